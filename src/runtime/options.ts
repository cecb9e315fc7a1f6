// The options a page passes to createRuntime, and their defaults.
import type { Device } from '../worker/protocol.js';

export interface RuntimeOptions {
  /** folder of the model tree on the internal origin; default `/models/` */
  modelBase?: string;
  /** folder of the self-hosted ORT runtime files; default `/airlock/ort/` */
  runtimeBase?: string;
  /** default `auto`: WebGPU when the worker gets an adapter, else WASM */
  device?: Device;
  /** further internal origins that may serve models or runtime files */
  allowedOrigins?: string[];
  /** where the worker script lives, for apps that host it themselves */
  workerUrl?: string | URL;
  /** longest text input accepted, in characters; default 100 000 */
  maxTextLength?: number;
  /** WASM threads when the page is cross-origin isolated; default half the cores, at most 4 */
  wasmThreads?: number;
}

export const DEFAULTS = { modelBase: '/models/', runtimeBase: '/airlock/ort/', device: 'auto', maxTextLength: 100_000 } as const;

/** Resolves relative bases against the page and makes sure folders end with a slash. */
export function absoluteFolder(path: string, pageUrl: string): string {
  const url = new URL(path, pageUrl).href;
  return url.endsWith('/') ? url : `${url}/`;
}
