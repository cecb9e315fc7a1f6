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
  | 'LOCAL_IO'
  | 'LOCKED'
  | 'INPUT_INVALID';

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
  LOCKED: EXIT.io,
  INPUT_INVALID: EXIT.usage,
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

const NOT_WRITABLE = new Set(['EACCES', 'EROFS', 'EPERM']);
const IN_THE_WAY = new Set(['EEXIST', 'ENOTDIR']);

/** What an errno means, in words. */
function errnoWords(code: string | undefined): string | undefined {
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'the disk is full';
  if (code && NOT_WRITABLE.has(code)) return 'it is not writable';
  if (code === 'EEXIST') return 'it is a file, not a folder';
  if (code === 'ENOTDIR') return 'a part of that path is a file, not a folder';
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  return undefined;
}

/** What to do about it; `other` names the option or thing to change, e.g. "--out". */
function errnoHint(code: string | undefined, other: string): string {
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'Free space, then run again';
  if (code && NOT_WRITABLE.has(code)) return `Pick another ${other} that you can write, or change its permissions`;
  if (code && IN_THE_WAY.has(code)) return `Move that file away, or pick another ${other}`;
  if (code === 'ENOENT') return `Check the path, or pick another ${other}`;
  return 'Run again; if it persists, check the disk';
}

/**
 * A local file-system failure (full disk, read-only folder, missing folder) as a CliError;
 * `other` names what the user may change instead (default "--out").
 */
export function ioError(what: string, e: unknown, other = '--out'): CliError {
  const err = e as NodeJS.ErrnoException;
  const why = errnoWords(err.code) ?? `${err.code ?? ''} ${err.message ?? String(e)}`.trim();
  return new CliError('LOCAL_IO', `could not ${what}: ${why}`, errnoHint(err.code, other), { errno: err.code });
}
