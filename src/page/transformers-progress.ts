// Airlock's load progress as transformers.js's `progress_callback` events (4.3.1, utils/core.js
// and utils/hub.js), so code written for transformers.js's `pipeline(task, id, { progress_callback })`
// works unchanged. Per file, in transformers.js's order: `initiate`, `download`, then
// `progress_total` and `progress` as bytes arrive, `done` once the file is verified; `ready` at
// the end. Bytes are Airlock's: a file already in the store goes from `download` to 100% at once.
import type { LoadProgress } from '../protocol/types.js';

export interface FileProgressInfo {
  status: 'initiate' | 'download' | 'done';
  /** the model id */
  name: string;
  /** the file's path in the model's folder, e.g. `onnx/model.onnx` */
  file: string;
}

export interface BytesProgressInfo {
  status: 'progress';
  name: string;
  file: string;
  /** 0 to 100 */
  progress: number;
  loaded: number;
  total: number;
}

export interface TotalProgressInfo {
  status: 'progress_total';
  name: string;
  /** 0 to 100, over every file of the load (Airlock knows them all from the manifest at the start) */
  progress: number;
  loaded: number;
  total: number;
  /** the files seen so far, with their bytes */
  files: Record<string, { loaded: number; total: number }>;
}

export interface ReadyProgressInfo {
  status: 'ready';
  task: string;
  model: string;
}

/** What transformers.js passes to a `progress_callback`. */
export type TransformersProgressInfo = FileProgressInfo | BytesProgressInfo | TotalProgressInfo | ReadyProgressInfo;

const percent = (loaded: number, total: number) => (total > 0 ? (loaded / total) * 100 : 100);

/**
 * An `onProgress` that calls `callback` with transformers.js's progress events.
 * `task` is what the `ready` event names (a pipeline's task).
 */
export function transformersProgress(
  callback: (info: TransformersProgressInfo) => void,
  task = '',
): (progress: LoadProgress) => void {
  const files: Record<string, { loaded: number; total: number }> = {};
  const bytes = (p: LoadProgress, file: string, loaded: number, total: number) => {
    files[file] = { loaded, total };
    callback({
      status: 'progress_total',
      name: p.modelId,
      progress: percent(p.loaded, p.total),
      loaded: p.loaded,
      total: p.total,
      files: structuredClone(files),
    });
    callback({ status: 'progress', name: p.modelId, file, progress: percent(loaded, total), loaded, total });
  };
  return (p) => {
    if (p.phase === 'ready') return callback({ status: 'ready', task, model: p.modelId });
    const { file } = p;
    if ((p.phase !== 'download' && p.phase !== 'verify') || file === undefined) return;
    const total = p.fileTotal ?? 0;
    if (!(file in files)) {
      callback({ status: 'initiate', name: p.modelId, file });
      callback({ status: 'download', name: p.modelId, file });
    }
    if (p.phase === 'download') return bytes(p, file, p.fileLoaded ?? 0, total);
    if (files[file]?.loaded !== total) bytes(p, file, total, total);
    callback({ status: 'done', name: p.modelId, file });
  };
}
