// The offline app shell's contract: what `airlock/vite` writes into the service worker, what the
// service worker answers the page, and the names all three agree on.

/** One file of the shell: its URL path on the origin and the SHA-256 (hex) of its bytes. */
export interface ShellFile {
  url: string;
  sha256: string;
  size: number;
}

/** What the plugin fills into the service worker script at build time. */
export interface ShellManifest {
  /** derived from the file list: a new build with any changed file has another id */
  buildId: string;
  files: ShellFile[];
  /** URL path prefixes the service worker never answers (the model base: the store serves models) */
  passThrough: string[];
}

/** The shell's status, as the active service worker reports it. */
export interface ShellStatus {
  buildId: string;
  /** every listed file is in the build's cache */
  cached: boolean;
  files: number;
  /** how many requests under `passThrough` it left to the network since it last started (the browser stops idle service workers) */
  passedThrough: number;
}

/** The string literal in the built service worker that the plugin replaces with the manifest (JSON). */
export const SHELL_PLACEHOLDER = '__AIRLOCK_SHELL_MANIFEST__';
/** Caches of the shell are named `<prefix><buildId>`; older builds' caches are deleted on activate. */
export const SHELL_CACHE_PREFIX = 'airlock-shell-';
/** The message the page posts (with a port) to ask the service worker for its `ShellStatus`. */
export const SHELL_STATUS_MESSAGE = 'airlock-shell-status';
