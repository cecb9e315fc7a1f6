// The files of Vite's `publicDir`: copied into the output as they are, outside the bundle, so the
// shell's list reads them from disk. Model files and excluded ones are skipped before reading.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { inShell, servedAt, type OutputFile, type ResolvedOffline } from './offline-shell.js';

export function publicFiles(
  publicDir: string | false,
  base: string,
  modelsPath: string,
  offline: ResolvedOffline,
): OutputFile[] {
  if (!publicDir) return [];
  let entries;
  try {
    entries = readdirSync(publicDir, { recursive: true, withFileTypes: true });
  } catch {
    return []; // no public folder
  }
  return entries.flatMap((e) => {
    if (!e.isFile()) return [];
    const path = join(e.parentPath, e.name);
    const fileName = relative(publicDir, path).split(sep).join('/');
    if (!inShell(fileName, `${servedAt(base)}${fileName}`, modelsPath, offline)) return [];
    return [{ fileName, source: readFileSync(path) }];
  });
}
