// A load's verification results on the audit record, and a stored file's stream watched for its end.
import type { AuditSink } from '../protocol/audit-events.js';
import type { ManifestFile } from '../manifest/types.js';
import { verification } from './audit/events.js';
import { IntegrityFailure } from './store/errors.js';

export type Stage = 'download' | 'read';

/** Reports the verification results of model `id`'s files: passes, and integrity failures. */
export function verificationReporter(audit: AuditSink | undefined, modelId: string) {
  const report = (
    file: ManifestFile,
    stage: Stage,
    failure?: { actual?: string | undefined; problem?: string | undefined },
  ) =>
    audit?.(
      verification({ modelId, path: file.path, sha256: file.sha256, ok: failure === undefined, stage, ...failure }),
    );
  /** reports `e` when it is an integrity failure of one of `files`: the hash found, or what was wrong */
  const failed = (stage: Stage, files: ManifestFile[], e: unknown) => {
    if (!(e instanceof IntegrityFailure)) return;
    const file = files.find((f) => f.path === e.path);
    if (file) report(file, stage, e.actualSha256 ? { actual: e.actualSha256 } : { problem: e.message });
  };
  return {
    passed: (file: ManifestFile, stage: Stage) => report(file, stage),
    failed,
    /** a catch handler: reports, then rethrows */
    rethrow:
      (stage: Stage, files: ManifestFile[]) =>
      (e: unknown): never => {
        failed(stage, files, e);
        throw e;
      },
  };
}

/** `stream`, passed through chunk by chunk, with a call when it ended whole and one when it failed. */
export function watched(
  stream: ReadableStream<Uint8Array>,
  onEnd: () => void,
  onError: (e: unknown) => void,
): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (e) {
          onError(e);
          return controller.error(e);
        }
        if (!next.done) return controller.enqueue(next.value);
        onEnd();
        controller.close();
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
