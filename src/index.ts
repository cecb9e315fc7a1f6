// The public entry. It stays small: the heavy engines load in the worker only.
export { createRuntime, type Runtime, type PipelineHandle, type SessionHandle } from './runtime/create-runtime.js';
export type { RuntimeOptions } from './runtime/options.js';
export { AirlockError, isAirlockError, ERROR_CODES, type ErrorCode } from './errors.js';
export type {
  AdapterSummary,
  Backend,
  Device,
  LoadedModel,
  LoadOptions,
  SessionLoadOptions,
  RuntimeInfo,
  TensorArray,
  TensorData,
  TensorType,
} from './worker/protocol.js';
export type { Manifest, ManifestFile } from './manifest/types.js';
