// The plugin's options, their defaults, and the checks that catch a setting that cannot work.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { findModelsSync } from '../node/model-dirs.js';
import { DEFAULT_MODEL_BASE, DEFAULT_RUNTIME_BASE } from '../shared/defaults.js';
import { resolveOffline, type OfflineBuildOptions, type ResolvedOffline } from './offline-shell.js';

export interface AirlockPluginOptions {
  /**
   * URL path where the ORT runtime files are served and emitted; default `/airlock/ort/`, the
   * library's own default. Pass the same value to `createRuntime({ runtimeBase })` if you change it.
   */
  runtimeBase?: string;
  /** folder on disk served at `modelsPath` by the dev and preview servers; default `models` (relative to the Vite root) */
  modelsDir?: string;
  /** URL path of the models; default `/models/`, the library's `modelBase` default */
  modelsPath?: string;
  /**
   * default true: COOP `same-origin` and COEP `require-corp` on every dev and preview response (the
   * page is cross-origin isolated, so WASM runs on several threads), CORP `same-origin` and
   * `nosniff` on model and runtime files
   */
  headers?: boolean;
  /**
   * a Content-Security-Policy sent with every preview response, e.g. `STRICT_CSP`. Not sent by the
   * dev server: Vite's dev client injects inline styles, which a strict policy refuses.
   */
  csp?: string;
  /**
   * the offline app shell: `vite build` emits a service worker (`<base>airlock-sw.js`) that caches
   * the build's files, verified by SHA-256; models stay with the store. Default false.
   */
  offline?: boolean | OfflineBuildOptions;
}

export interface ResolvedOptions {
  runtimeBase: string;
  modelsDir: string;
  modelsPath: string;
  headers: boolean;
  csp: string | undefined;
  offline: ResolvedOffline | undefined;
}

export { DEFAULT_RUNTIME_BASE };
export const DEFAULT_MODELS_PATH = DEFAULT_MODEL_BASE;

/** An origin-relative folder path (`/x/y/`); a full URL cannot be served by this server. */
function urlFolder(name: string, value: string): string {
  if (!value.startsWith('/') || value.startsWith('//')) {
    throw new Error(
      `airlock: ${name} must be a path on the page's own origin, starting with "/" (got ${JSON.stringify(value)})`,
    );
  }
  return value.endsWith('/') ? value : `${value}/`;
}

export function resolveOptions(options: AirlockPluginOptions, root: string): ResolvedOptions {
  const modelsDir = options.modelsDir ?? 'models';
  return {
    runtimeBase: urlFolder('runtimeBase', options.runtimeBase ?? DEFAULT_RUNTIME_BASE),
    modelsDir: isAbsolute(modelsDir) ? modelsDir : resolve(root, modelsDir),
    modelsPath: urlFolder('modelsPath', options.modelsPath ?? DEFAULT_MODELS_PATH),
    headers: options.headers ?? true,
    csp: options.csp,
    offline: resolveOffline(options.offline),
  };
}

/**
 * What is wrong with the models folder, said at start-up: a misnamed `modelsDir` would otherwise
 * show only as a 404 for every model (or, without the plugin, as the app's index.html).
 */
export function modelsDirProblem(options: ResolvedOptions): string | undefined {
  const { modelsDir, modelsPath } = options;
  const fix = 'set modelsDir (relative to the Vite root) to the folder that holds <id>/manifest.json';
  if (!existsSync(modelsDir))
    return `airlock: modelsDir ${modelsDir} does not exist, so every model under ${modelsPath} answers 404: ${fix}`;
  if (!statSync(modelsDir).isDirectory())
    return `airlock: modelsDir ${modelsDir} is not a folder, so every model under ${modelsPath} answers 404: ${fix}`;
  // the CLI's own finder: `name/` and `org/name/` (as `airlock pull` writes them)
  if (findModelsSync(modelsDir).length === 0)
    return `airlock: modelsDir ${modelsDir} holds no model (no <id>/manifest.json in it): ${fix}`;
  return undefined;
}
