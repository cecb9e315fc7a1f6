// The public entry. It stays small: the heavy engines load in the worker only.
export { createRuntime, type Runtime } from './runtime/create-runtime.js';
export type { PipelineHandle, SessionHandle, CallOptions, LoadControls, PipelineLoadOptions, SessionOpenOptions } from './runtime/handles.js';
export type { RuntimeOptions, CacheOptions, AuditOptions } from './runtime/options.js';
export type { AuditTrail } from './runtime/audit.js';
export type { AuditEvent, RequestEvent, DenialEvent, LoadEvent, LoadedFile, ManifestProvenance, VerificationEvent, EvictionEvent, RunEvent, WorkerLifecycleEvent } from './audit/events.js';
export { EVIDENCE_SCHEMA, type Evidence, type EvidenceModel, type EvidenceOrigin, type EvidencePolicy } from './audit/evidence.js';
export type { ModelCache } from './runtime/cache.js';
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
  TensorData,
  TensorType,
  StoredModel,
  VerifyReport,
  FileCheck,
  Eviction,
  StorageEstimate,
  PrefetchResult,
} from './worker/protocol.js';
export type { Manifest, ManifestFile } from './manifest/types.js';
