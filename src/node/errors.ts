// Errors the CLI reports: a stable code, the exit status it maps to, and one line for a person
// that says what happened and what to do.

/** 0 done, 1 verification failed, 2 bad usage, 3 network or hub error, 4 local I/O error */
export const EXIT = { ok: 0, verification: 1, usage: 2, network: 3, io: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type CliErrorCode =
  | 'BAD_USAGE'
  | 'VERIFICATION_FAILED'
  | 'MANIFEST_INVALID'
  | 'NO_MANIFEST'
  | 'REPO_NOT_FOUND'
  | 'REVISION_NOT_FOUND'
  | 'ENTRY_NOT_FOUND'
  | 'GATED_REPO'
  | 'HUB_ERROR'
  | 'NETWORK'
  | 'LOCAL_IO';

const EXIT_OF: Record<CliErrorCode, ExitCode> = {
  BAD_USAGE: EXIT.usage,
  VERIFICATION_FAILED: EXIT.verification,
  MANIFEST_INVALID: EXIT.verification,
  NO_MANIFEST: EXIT.verification,
  REPO_NOT_FOUND: EXIT.network,
  REVISION_NOT_FOUND: EXIT.network,
  ENTRY_NOT_FOUND: EXIT.network,
  GATED_REPO: EXIT.network,
  HUB_ERROR: EXIT.network,
  NETWORK: EXIT.network,
  LOCAL_IO: EXIT.io,
};

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exit: ExitCode;

  /** `message` says what happened; `hint` what to do about it. */
  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly hint: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.exit = EXIT_OF[code];
  }

  /** The one line a person reads. */
  line(): string {
    return `${this.message}. ${this.hint}`;
  }
}

/** A local file-system failure (full disk, read-only folder, missing folder) as a CliError. */
export function ioError(what: string, e: unknown): CliError {
  const err = e as NodeJS.ErrnoException;
  const why = err.code === 'ENOSPC' ? 'the disk is full' : err.code === 'EACCES' || err.code === 'EROFS' || err.code === 'EPERM' ? 'it is not writable' : (err.code ?? String(e));
  return new CliError('LOCAL_IO', `could not ${what}: ${why}`, 'Free space or pick another --out, then run again', { errno: err.code });
}
