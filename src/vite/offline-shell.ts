// `airlock({ offline })`: at build time, the offline shell's service worker with the build's own
// file list (each file with its SHA-256) and a build id derived from that list, so that a new
// build's service worker differs byte for byte and replaces the old one. In `vite dev` the same
// URL answers a service worker that unregisters itself: dev pages always come from the dev server.
import { createHash } from 'node:crypto';
import type { Connect } from 'vite';
import { SHELL_PLACEHOLDER, type ShellFile, type ShellManifest } from '../shared/offline-shell.js';

export interface OfflineBuildOptions {
  /** the service worker's file name in the output, served at `<base><fileName>`; default `airlock-sw.js` */
  fileName?: string;
  /** output files left out of the shell (matched against their name in the output folder) */
  exclude?: (string | RegExp)[];
}

export interface ResolvedOffline {
  fileName: string;
  exclude: (string | RegExp)[];
}

export const DEFAULT_SHELL_FILE = 'airlock-sw.js';

export function resolveOffline(value: boolean | OfflineBuildOptions | undefined): ResolvedOffline | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { fileName: DEFAULT_SHELL_FILE, exclude: [] };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`airlock: offline must be true, false or { fileName, exclude }, got ${JSON.stringify(value)}`);
  const fileName = value.fileName ?? DEFAULT_SHELL_FILE;
  if (!/^[\w.-]+\.js$/.test(fileName))
    throw new Error(`airlock: offline.fileName must be a plain .js file name, got ${JSON.stringify(fileName)}`);
  const exclude = value.exclude ?? [];
  if (!Array.isArray(exclude) || !exclude.every((e) => typeof e === 'string' || e instanceof RegExp))
    throw new Error('airlock: offline.exclude must be an array of file names and regular expressions');
  return { fileName, exclude };
}

/** The URL path the output folder is served at (a relative base is taken as the root, as for the runtime files). */
export function servedAt(base: string): string {
  const path = /^[a-z][a-z\d+.-]*:/i.test(base) ? new URL(base).pathname : base;
  if (!path.startsWith('/')) return '/';
  return path.endsWith('/') ? path : `${path}/`;
}

const isModelFile = (name: string) => /\.onnx(_data(_\d+)?)?$/.test(name);

/** Whether an output file belongs in the shell: not a model file, not under the models path, not excluded. */
export function inShell(fileName: string, url: string, modelsPath: string, offline: ResolvedOffline): boolean {
  if (url.startsWith(modelsPath) || isModelFile(fileName) || fileName === offline.fileName) return false;
  if (fileName.endsWith('.map')) return false;
  return !offline.exclude.some((e) => (typeof e === 'string' ? e === fileName : e.test(fileName)));
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

export function shellManifest(files: ShellFile[], modelsPath: string): ShellManifest {
  const sorted = [...files].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const buildId = sha256(sorted.map((f) => `${f.url} ${f.sha256} ${f.size}\n`).join('')).slice(0, 16);
  return { buildId, files: sorted, passThrough: [modelsPath] };
}

/** An output file: a chunk's code or an asset's bytes. */
export type OutputFile = { fileName: string } & ({ code: string } | { source: string | Uint8Array });

/** The shell's files from the finished bundle (pages, scripts, the worker, styles, runtime files). */
export function bundleFiles(
  output: readonly OutputFile[],
  base: string,
  modelsPath: string,
  offline: ResolvedOffline,
): ShellFile[] {
  const at = servedAt(base);
  return output.flatMap((item) => {
    const url = `${at}${item.fileName}`;
    if (!inShell(item.fileName, url, modelsPath, offline)) return [];
    const bytes = 'code' in item ? Buffer.from(item.code) : Buffer.from(item.source);
    return [{ url, sha256: sha256(bytes), size: bytes.byteLength }];
  });
}

/** The template with the manifest in place of its one placeholder. */
export function fillShell(template: string, manifest: ShellManifest): string {
  const placeholder = new RegExp(`(["'])${SHELL_PLACEHOLDER}\\1`, 'g');
  const found = template.match(placeholder)?.length ?? 0;
  if (found !== 1) throw new Error(`airlock: the shell's service worker has ${found} placeholders, not one`);
  // a function replacement: `$` in the JSON must stay as it is
  return template.replace(placeholder, () => JSON.stringify(manifest));
}

/** Dev: a service worker that removes itself (and the shell caches are left to the built app). */
export const DEV_SHELL =
  '// airlock offline shell: off in dev (this worker unregisters itself)\n' +
  "self.addEventListener('install', () => self.skipWaiting());\n" +
  "self.addEventListener('activate', (event) => event.waitUntil(self.registration.unregister()));\n" +
  "self.addEventListener('message', (event) => event.ports[0]?.postMessage({ buildId: 'dev', cached: false, files: 0, passedThrough: 0 }));\n";

export function devShell(base: string, offline: ResolvedOffline): Connect.NextHandleFunction {
  const url = `${servedAt(base)}${offline.fileName}`;
  return (req, res, next) => {
    if ((req.url ?? '').split('?')[0] !== url) return next();
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.end(DEV_SHELL);
  };
}
