// The manifest's path rules, applied to a pull's selection before anything is downloaded: a name
// the runtime refuses is skipped (no page could load it), and two names that differ only in case
// stop the pull (one folder on a case-insensitive disk), rather than failing after the download.
import { caseTwinKey, pathProblem } from '../manifest/paths.js';
import { CliError } from './errors.js';

export interface SkippedFile {
  path: string;
  why: string;
}

export function screenSelection(repo: string, files: readonly string[]): { files: string[]; skipped: SkippedFile[] } {
  const kept: string[] = [];
  const skipped: SkippedFile[] = [];
  const byKey = new Map<string, string>();
  for (const path of files) {
    const problem = pathProblem(path);
    if (problem) {
      skipped.push({ path, why: `its name ${problem}, which the runtime refuses` });
      continue;
    }
    const key = caseTwinKey(path);
    const twin = byKey.get(key);
    if (twin !== undefined) {
      throw new CliError(
        'MANIFEST_INVALID',
        `"${repo}" has files whose names differ only in case: ${twin} and ${path}`,
        'Pull without --all (only the files transformers.js loads), or fix the repo',
        { paths: [twin, path] },
      );
    }
    byKey.set(key, path);
    kept.push(path);
  }
  return { files: kept, skipped };
}
