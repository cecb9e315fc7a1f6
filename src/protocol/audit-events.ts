// The audit trail's events: plain data, sent from the worker to the page and kept there. They
// name URLs, hashes, sizes and times; never a prompt, an input or an output.
import type { ManifestFile } from '../manifest/types.js';
import type { Backend } from './types.js';

/** A request the library made, as the browser's resource timing saw it. */
export interface RequestEvent {
  type: 'request';
  /** when it started, ms since the epoch */
  at: number;
  url: string;
  origin: string;
  /** whether its origin is in the policy; a request outside it is egress */
  allowed: boolean;
  /** HTTP status; 0 when it failed, was aborted, or the browser withheld it */
  status: number;
  /** body bytes received (encoded, as sent) */
  bytes: number;
  durationMs: number;
  /** what made it: `fetch` (manifests, model files, the `.wasm`), `script` (the runtime `.mjs`), `worker` (the worker script) */
  initiator: string;
}

/** A request the policy refused before it was made. */
export interface DenialEvent {
  type: 'denial';
  at: number;
  url: string;
  /** what was refused and why, in words */
  reason: string;
  modelId?: string;
  /** `signature`: a signed document (manifest, index) was refused; `reason` then starts with `signature: ` */
  check?: 'signature';
  /** the key id the refused signature named, when it named one */
  keyId?: string;
  /** the hosting policy's rule that refused it (`allowedOrigins`, `models`, `revisions`, `backends`, `maxModelBytes`, `signature`, `policy`) */
  rule?: string;
}

export interface LoadedFile extends ManifestFile {
  /** `network`: downloaded and verified in this load; `store`: already stored, verified again as read */
  source: 'network' | 'store';
}

/** A model loaded into an engine (a pipeline or a raw session). */
export interface LoadEvent {
  type: 'load';
  at: number;
  modelId: string;
  kind: 'pipeline' | 'session';
  task: string;
  backend: Backend;
  fallbackReason?: string;
  manifest: ManifestProvenance;
  files: LoadedFile[];
}

/** Where a manifest came from and what it says of itself. */
export interface ManifestProvenance {
  url: string;
  /** `network`: fetched from the model origin for this load; `store`: the stored copy (offline, or `revalidate: false`) */
  from: 'network' | 'store';
  revision: string;
  source: string;
  license: string;
  /** the key id of the signature checked for this load (with `trust`); absent when unsigned */
  signedBy?: string;
}

/** The outcome of checking one file's bytes against its manifest hash. */
export interface VerificationEvent {
  type: 'verification';
  at: number;
  modelId: string;
  path: string;
  sha256: string;
  ok: boolean;
  /** `download`: as it was stored; `read`: as the store handed it out; `check`: `cache.verify()` */
  stage: 'download' | 'read' | 'check';
  /** the hash that was found, when it was not the expected one */
  actual?: string;
  /** what was wrong when no hash could be given: for a check `missing`, `incomplete` or `mismatch`; else in words */
  problem?: string;
}

export interface EvictionEvent {
  type: 'eviction';
  at: number;
  modelId: string;
  modelBase: string;
  bytes: number;
  /** the model whose download needed the room */
  forModel: string;
}

/** One call of a loaded model: sizes and time only, never the data. */
export interface RunEvent {
  type: 'run';
  at: number;
  modelId: string;
  inputBytes: number;
  outputBytes: number;
  durationMs: number;
  ok: boolean;
}

/** The runtime's worker started, or stopped without being asked (a crash, or the browser ended it). */
export interface WorkerLifecycleEvent {
  type: 'worker';
  at: number;
  state: 'started' | 'crashed';
  reason?: string;
}

export type AuditEvent =
  RequestEvent | DenialEvent | LoadEvent | VerificationEvent | EvictionEvent | RunEvent | WorkerLifecycleEvent;

export type AuditSink = (event: AuditEvent) => void;
