// What the page tells a worker when it starts it, and what the worker answers.
import type { ManifestLimits } from '../manifest/limits.js';
import type { OriginPolicy } from '../shared/origins.js';
import type { Policy } from '../shared/trust/policy.js';
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
  /** the most pixels of an image input (the page checks its own, the worker those it fetches) */
  maxImagePixels: number;
  /** WASM threads; default: half the cores, at most 4 */
  wasmThreads?: number | undefined;
  store: StoreOptions;
  /** the central audit log (OTLP/HTTP JSON logs), from `audit.collector` or the hosting policy */
  collector?: CollectorSettings | undefined;
  /** with it, every manifest and the index must be signed by one of these keys (`ed25519:…`) */
  trust?: { publicKeys: string[] } | undefined;
  /** the signed hosting policy to fetch and enforce before anything else (`createRuntime({ policyUrl, trust })`) */
  hostingPolicy?: HostingPolicyConfig | undefined;
}

export interface HostingPolicyConfig {
  /** absolute URL of policy.json, on the model origin; its signature is `<url>.sig` */
  url: string;
  /** the central log's settings, used when the policy names a collector (its URL then replaces `url`) */
  collector?: CollectorSettings | undefined;
  /** the trusted keys, `ed25519:<base64url>` */
  publicKeys: string[];
}

/** The hosting policy in force: where it came from, who signed it, and its rules (collector included). */
export interface HostingFacts {
  url: string;
  keyId: string;
  issuedAt: string;
  /** `network`: fetched and verified at the worker's start; `store`: the last verified one, the origin unreachable */
  from: 'network' | 'store';
  rules: Policy;
  /** the policy's collector as an absolute URL on the model origin, when it names one */
  collectorUrl?: string;
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
  /** the hosting policy in force, when the page named one */
  hostingPolicy?: HostingFacts | undefined;
}
