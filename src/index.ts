// The public entry. It stays small: the heavy engines load in the worker only.
export { createRuntime, type Runtime } from './page/create-runtime.js';
export type {
  PipelineHandle,
  SessionHandle,
  CallOptions,
  LoadControls,
  PipelineLoadOptions,
  SessionOpenOptions,
} from './page/handles.js';
export type { RuntimeOptions, CacheOptions, AuditOptions } from './page/options.js';
export type { TrustOptions } from './page/trust.js';
export type { HostingFacts } from './protocol/config.js';
export type { Policy, PolicyModel } from './shared/trust/policy.js';
export type { AuditTrail } from './page/audit/trail.js';
export type { CollectorStatus } from './protocol/collector.js';
export type {
  AuditEvent,
  RequestEvent,
  DenialEvent,
  LoadEvent,
  LoadedFile,
  ManifestProvenance,
  VerificationEvent,
  EvictionEvent,
  RunEvent,
  WorkerLifecycleEvent,
} from './protocol/audit-events.js';
export {
  EVIDENCE_SCHEMA,
  type Evidence,
  type EvidenceModel,
  type EvidenceOrigin,
  type EvidencePolicy,
} from './page/audit/evidence.js';
export type { ModelCache } from './page/cache.js';
export type { VadDetector, VadLoadOptions, VadOptions } from './page/tasks/vad.js';
export type { SpeechSegment, VadEvent, VadSettings } from './protocol/vad.js';
export type { ModelFiles, FileReadOptions } from './page/files.js';
export type { OcrHandle, OcrOptions, OcrCallOptions } from './page/tasks/ocr.js';
export type { OcrLine, OcrPoint, OcrResult, OcrTimings, OcrLoadOptions, OcrInfo } from './protocol/ocr.js';
export {
  transformersProgress,
  type TransformersProgressInfo,
  type FileProgressInfo,
  type BytesProgressInfo,
  type TotalProgressInfo,
  type ReadyProgressInfo,
} from './page/transformers-progress.js';
export { AirlockError, isAirlockError, ERROR_CODES, type ErrorCode } from './errors.js';
export type {
  AdapterSummary,
  Backend,
  Device,
  LoadedModel,
  LoadPhase,
  LoadProgress,
  LoadOptions,
  SessionLoadOptions,
  RuntimeInfo,
  TensorArray,
  TensorArrays,
  TensorData,
  OutputTensor,
  OutputTypes,
  SessionOutputs,
  SessionInfo,
  TensorType,
  StoredModel,
  VerifyReport,
  FileCheck,
  Eviction,
  StorageEstimate,
  PrefetchOptions,
  PrefetchResult,
} from './protocol/types.js';
export type { Manifest, ManifestFile } from './manifest/types.js';
export type { IndexEntry, ModelsIndex } from './manifest/models-index.js';
export type { ImageInput } from './page/inputs/image.js';
