// What `ai.ocr()` takes and gives, shared by page and worker.
import type { LoadOptions, SessionInfo } from './types.js';

export type OcrPoint = [x: number, y: number];

export interface OcrLine {
  text: string;
  /** the mean probability of the line's characters (0 to 1) */
  confidence: number;
  /** corners in image pixels: top-left, top-right, bottom-right, bottom-left */
  box: [OcrPoint, OcrPoint, OcrPoint, OcrPoint];
}

/** Where the time of one call went, in milliseconds (measured in the worker). */
export interface OcrTimings {
  /** the image's pixels read from the transferred bitmap */
  decode: number;
  detect: number;
  classify: number;
  recognize: number;
  total: number;
}

export interface OcrResult {
  /** in reading order: top to bottom, left to right */
  lines: OcrLine[];
  width: number;
  height: number;
  timings: OcrTimings;
}

export interface OcrLoadOptions extends Pick<LoadOptions, 'device' | 'revalidate'> {
  /** run the angle classifier (cls.onnx) and turn lines it finds upside down (default true) */
  angle?: boolean;
}

/** An OCR model loaded in the worker: its detector's session info (its handle frees all three). */
export interface OcrInfo extends SessionInfo {
  /** each session's file and backend */
  sessions: { file: string; backend: SessionInfo['backend'] }[];
}
