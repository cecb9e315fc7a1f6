// A load's progress as the page sees it: bytes per file and in total, throttled.
import type { ManifestFile } from '../manifest/types.js';
import type { LoadProgress } from '../protocol/types.js';

/** Calls `report` with a byte count at most once per 1/64 of `total`, and always at the end. */
function throttled(total: number, report: (n: number) => void): (n: number) => void {
  const step = Math.max(1, Math.floor(total / 64));
  let next = step;
  return (n) => {
    if (n < next && n < total) return;
    next = n + step;
    report(n);
  };
}

/** A load's progress, per file and in total: downloads at most 64 reports a file, a verify for each stored file. */
export function fileProgress(
  onProgress: ((p: LoadProgress) => void) | undefined,
  id: string,
  files: readonly ManifestFile[],
) {
  const total = files.reduce((n, f) => n + f.size, 0);
  const loaded = new Map<string, number>();
  const reporters = new Map<string, (n: number) => void>();
  const verified = new Set<string>();
  const report = (file: ManifestFile, phase: 'download' | 'verify', n: number) => {
    loaded.set(file.path, n);
    const sum = [...loaded.values()].reduce((a, b) => a + b, 0);
    onProgress?.({ modelId: id, phase, file: file.path, fileLoaded: n, fileTotal: file.size, loaded: sum, total });
  };
  return {
    onBytes: (file: ManifestFile, n: number): void => {
      let reporter = reporters.get(file.path);
      if (!reporter) reporters.set(file.path, (reporter = throttled(file.size, (m) => report(file, 'download', m))));
      reporter(n);
    },
    verified: (file: ManifestFile): void => {
      verified.add(file.path);
      if (onProgress) report(file, 'verify', file.size);
    },
    /** the files not reported yet, as stored: the store says nothing of them when it had them all */
    verifiedRest: (): void => {
      for (const f of files) if (!verified.has(f.path) && onProgress) report(f, 'verify', f.size);
    },
  };
}
