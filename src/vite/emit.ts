// Build: the runtime files go into the output at `runtimeBase`, next to the app that loads them.
import { readFileSync } from 'node:fs';

/**
 * Where the files land inside the output folder. The output is served at Vite's `base`, so
 * `runtimeBase` must lie under it; a relative base (`./`) is taken as served from the root.
 */
export function emittedFolder(runtimeBase: string, base: string): string {
  const basePath = /^[a-z][a-z\d+.-]*:/i.test(base) ? new URL(base).pathname : base;
  if (!basePath.startsWith('/')) return runtimeBase.slice(1);
  const folder = basePath.endsWith('/') ? basePath : `${basePath}/`;
  if (!runtimeBase.startsWith(folder)) {
    throw new Error(
      `airlock: runtimeBase ${runtimeBase} is outside the app's base ${base}, so the built app would not serve it; ` +
        `use runtimeBase: '${folder}airlock/ort/' here and in createRuntime()`,
    );
  }
  return runtimeBase.slice(folder.length);
}

export interface EmittedAsset {
  fileName: string;
  source: Uint8Array;
}

export function runtimeAssets(files: Map<string, string>, folder: string): EmittedAsset[] {
  return [...files].map(([name, path]) => ({ fileName: `${folder}${name}`, source: readFileSync(path) }));
}
