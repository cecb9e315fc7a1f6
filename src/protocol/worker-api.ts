// The worker's contract: the methods the page may call, and nothing else. The worker implements
// it (src/worker/dispatcher.ts) and exposes only these methods; the page imports it type-only.
// Every method answers with a Result rather than throwing, so error codes cross the boundary
// intact; `callId` lets the page abort a call, `events` carries its progress and text.
import type { CollectorStatus } from './collector.js';
import type { Result, EventSink } from './messages.js';
import type { WorkerConfig, WorkerFacts } from './config.js';
import type { IndexEntry } from '../manifest/models-index.js';
import type { OcrInfo, OcrLoadOptions, OcrResult } from './ocr.js';
import type {
  LoadedModel,
  LoadOptions,
  PrefetchOptions,
  PrefetchResult,
  RuntimeInfo,
  SessionInfo,
  SessionLoadOptions,
  StoredModel,
  TensorData,
  VerifyReport,
} from './types.js';
import type { SpeechSegment, VadEvent, VadSettings } from './vad.js';

export interface WorkerContract {
  /** Starts the worker: the policy, the audit trail, the engines' settings, the store. */
  init(config: WorkerConfig): Promise<Result<WorkerFacts>>;
  /** Sends the audit events recorded but not yet reported; its answer reaches the page after them. */
  flushAudit(): Promise<void>;
  /** sends what waits for the central log now; its status, or null without a collector */
  flushCollector(): Promise<Result<CollectorStatus | null>>;
  /** the central log's status without sending; null without a collector */
  collectorStatus(): Promise<Result<CollectorStatus | null>>;
  /** a last flush; nothing is sent after it (the page disposes the runtime) */
  closeCollector(): Promise<Result<CollectorStatus | null>>;
  loadPipeline(
    task: string,
    modelId: string,
    options?: LoadOptions,
    callId?: number,
    events?: EventSink,
  ): Promise<Result<LoadedModel>>;
  /** Runs a pipeline on its positional arguments (the input; for some tasks more) and options. */
  runPipeline(
    handle: number,
    args: unknown[],
    options?: Record<string, unknown>,
    callId?: number,
    events?: EventSink,
  ): Promise<Result<unknown>>;
  loadSession(
    modelId: string,
    options?: SessionLoadOptions,
    callId?: number,
    events?: EventSink,
  ): Promise<Result<SessionInfo>>;
  runSession(
    handle: number,
    feeds: Record<string, TensorData>,
    callId?: number,
  ): Promise<Result<Record<string, TensorData>>>;
  /** Stores the files of a model (every file, or a dtype's) that the store lacks, without loading it into an engine. */
  cachePrefetch(
    modelId: string,
    options?: PrefetchOptions,
    callId?: number,
    events?: EventSink,
  ): Promise<Result<PrefetchResult>>;
  /** The models the model origin offers: its `<modelBase>index.json`, checked. */
  listModels(callId?: number): Promise<Result<IndexEntry[]>>;
  cacheList(): Promise<Result<StoredModel[]>>;
  cacheHas(modelId: string): Promise<Result<boolean>>;
  cacheVerify(modelId: string): Promise<Result<VerifyReport | null>>;
  cacheDelete(modelId: string): Promise<Result<boolean>>;
  cacheClear(): Promise<Result<void>>;
  /** once the store's writes that loads left going on (their bytes handed over, verified) are done */
  cacheSettled(): Promise<Result<void>>;
  /** The verified bytes of one file the model's manifest lists (stored first when missing). */
  readFile(
    modelId: string,
    path: string,
    options?: { revalidate?: boolean },
    callId?: number,
  ): Promise<Result<Uint8Array>>;
  /** Loads an OCR model's sessions (det, rec, cls) and dictionary; the handle frees them all. */
  loadOcr(modelId: string, options?: OcrLoadOptions, callId?: number, events?: EventSink): Promise<Result<OcrInfo>>;
  /** The text lines of an image (transferred, and closed in the worker). */
  runOcr(handle: number, image: ImageBitmap, callId?: number): Promise<Result<OcrResult>>;
  /** Aborts call `callId`: a load stops between reads, a generation within one token. */
  abort(callId: number): void;
  /** Frees one loaded handle (a pipeline, or one session of a model). */
  unload(handle: number): Promise<Result<void>>;
  info(): Promise<Result<RuntimeInfo>>;
  /** Speech segments of a recording, on a loaded Silero session; the samples at `sampleRate`, resampled here. */
  runVad(
    handle: number,
    samples: Float32Array,
    sampleRate: number,
    settings?: Partial<VadSettings>,
    callId?: number,
  ): Promise<Result<SpeechSegment[]>>;
  /** Each 32 ms frame's speech probability. */
  vadProbabilities(
    handle: number,
    samples: Float32Array,
    sampleRate: number,
    callId?: number,
  ): Promise<Result<Float32Array>>;
  /** Starts a stream whose state stays in the worker; answers its id. */
  vadStreamOpen(handle: number, sampleRate: number, settings?: Partial<VadSettings>): Promise<Result<number>>;
  /** The events a chunk brings about; `last` ends the stream's audio (speech still going ends there). */
  vadStreamPush(stream: number, samples: Float32Array, last: boolean, callId?: number): Promise<Result<VadEvent[]>>;
  vadStreamClose(stream: number): Promise<Result<void>>;
}
