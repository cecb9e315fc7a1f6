// What the page tells a worker when it starts it, and what the worker answers.
import type { ManifestLimits } from '../manifest/limits.js';
import type { OriginPolicy } from '../shared/origins.js';
import type { Device } from './types.js';
import type { CollectorSettings } from './collector.js';

/** The model store's settings, checked on the page (from `createRuntime({ cache })`). */
export interface StoreOptions {
  dbName: string;
  /** bytes per stored chunk: the most of a file held in memory while it downloads */
  chunkBytes: number;
  /** evict least-recently-used models when the quota is short */
  evict: boolean;
  /** the most bytes the store may hold, below the browser's quota */
  maxBytes?: number | undefined;
  /** how long a file request may wait for its response headers before it counts as broken */
  headerTimeoutMs: number;
  /** caps on the manifests a load accepts (files, bytes) */
  manifestLimits: ManifestLimits;
}

export interface WorkerConfig {
  /** absolute URL of the folder holding `<id>/manifest.json` */
  modelBase: string;
  /** absolute URL of the folder holding the ORT `.mjs`/`.wasm` runtime files */
  runtimeBase: string;
  device: Device;
  /** the origins the library may contact; everything else is refused */
  policy: OriginPolicy;
  /** a Web Lock name the worker holds while alive, so the page learns when it dies */
  livenessLock: string;
  /** longest text input accepted, in characters */
  maxTextLength: number;
  /** WASM threads; default: half the cores, at most 4 */
  wasmThreads?: number | undefined;
  store: StoreOptions;
  /** the central audit log (OTLP/HTTP JSON logs), from `audit.collector` or the hosting policy */
  collector?: CollectorSettings | undefined;
}

/** The versions of the engines a worker runs. */
export interface EngineVersions {
  transformersJs: string;
  onnxruntimeWeb: string;
}

/** What a worker tells the page when it starts. */
export interface WorkerFacts {
  /** the worker script's URL, as the page's resource timing names it */
  scriptUrl: string;
  engines: EngineVersions;
}
