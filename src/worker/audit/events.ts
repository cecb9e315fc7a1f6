// One constructor per kind of audit event the worker records: the event's shape is written once,
// and every event carries the time it was made.
import type {
  DenialEvent,
  EvictionEvent,
  LoadEvent,
  RunEvent,
  VerificationEvent,
} from '../../protocol/audit-events.js';
import type { Eviction, FileCheck, LoadedModel } from '../../protocol/types.js';
import type { OpenedModel } from '../model-source.js';

export function denial(url: string, reason: string, modelId?: string): DenialEvent {
  return { type: 'denial', at: Date.now(), url, reason, ...(modelId !== undefined && { modelId }) };
}

/** A model now loaded: its manifest's provenance and every file's hash and source. */
export function loaded(model: OpenedModel, kind: LoadEvent['kind'], info: LoadedModel): LoadEvent {
  const { revision, source, license } = model.manifest;
  const signedBy = model.signedBy && { signedBy: model.signedBy };
  const manifest = { url: model.manifestUrl, from: model.manifestFrom, revision, source, license, ...signedBy };
  const { modelId, task, backend, fallbackReason } = info;
  return {
    type: 'load',
    at: Date.now(),
    modelId,
    kind,
    task,
    backend,
    ...(fallbackReason && { fallbackReason }),
    manifest,
    files: model.loadedFiles(),
  };
}

export function verification(check: Omit<VerificationEvent, 'type' | 'at'>): VerificationEvent {
  return { type: 'verification', at: Date.now(), ...check };
}

/** The outcome of `cache.verify()` for one file. */
export function checked(modelId: string, f: FileCheck): VerificationEvent {
  return verification({
    modelId,
    path: f.path,
    sha256: f.sha256,
    ok: f.ok,
    stage: 'check',
    ...(f.problem && { problem: f.problem }),
  });
}

export function evicted(e: Eviction, forModel: string): EvictionEvent {
  return { type: 'eviction', at: Date.now(), modelId: e.id, modelBase: e.modelBase, bytes: e.bytes, forModel };
}

export function ran(run: Omit<RunEvent, 'type' | 'at'>): RunEvent {
  return { type: 'run', at: Date.now(), ...run };
}
