// The options a page passes to createRuntime, and their defaults.
import type { AuditEvent } from '../audit/events.js';
import { AirlockError } from '../errors.js';
import { DEFAULT_MANIFEST_LIMITS } from '../manifest/limits.js';
import { createOriginPolicy, type OriginPolicy } from '../policy/origins.js';
import type { Device, WorkerConfig } from '../worker/protocol.js';

export interface RuntimeOptions {
  /** the origin that serves the models, e.g. `https://models.intranet.example`; default the page's */
  modelOrigin?: string;
  /** folder of the model tree, on the model origin; default `/models/` */
  modelBase?: string;
  /** folder of the self-hosted ORT runtime files, on the page's origin; default `/airlock/ort/` */
  runtimeBase?: string;
  /** default `auto`: WebGPU when the worker gets an adapter, else WASM */
  device?: Device;
  /**
   * further internal origins the library may contact (besides the page's and the model origin);
   * a model or runtime base anywhere else is refused with EGRESS_BLOCKED
   */
  allowedOrigins?: string[];
  /** called with every audit event: requests, loads, verifications, denials, evictions, runs */
  onAudit?: (event: AuditEvent) => void;
  audit?: AuditOptions;
  /** where the worker script lives, for apps that host it themselves */
  workerUrl?: string | URL;
  /** longest text input accepted, in characters; default 100 000 */
  maxTextLength?: number;
  /** WASM threads when the page is cross-origin isolated; default half the cores, at most 4 */
  wasmThreads?: number;
  cache?: CacheOptions;
}

export interface AuditOptions {
  /** how many of the latest events the runtime keeps for `audit.events()` and the evidence; default 1000 */
  maxEvents?: number;
}

export interface CacheOptions {
  /** IndexedDB database of the store; runtimes with the same name share their models. Default `airlock-models` */
  name?: string;
  /** bytes per stored chunk: the most of a file held in memory while it downloads; default 4 MiB */
  chunkBytes?: number;
  /** when the quota is short, evict least-recently-used models that no page has loaded; default true */
  evict?: boolean;
  /** ask the browser to keep the models under storage pressure (`navigator.storage.persist()`); default true */
  persist?: boolean;
  /** the most bytes the store may hold (a budget below the browser's quota, e.g. on a kiosk); default none */
  maxBytes?: number;
  /** how long a file request may wait for the response headers before it counts as broken (and resumes later); default 30 000 ms */
  headerTimeoutMs?: number;
  /** the most files a model's manifest may list; default 10 000 */
  maxManifestFiles?: number;
  /** the most bytes of a model's manifest.json; default 4 MiB */
  maxManifestBytes?: number;
}

export const DEFAULTS = { modelBase: '/models/', runtimeBase: '/airlock/ort/', device: 'auto', maxTextLength: 100_000, storeName: 'airlock-models', chunkBytes: 4 * 2 ** 20, maxAuditEvents: 1000, headerTimeoutMs: 30_000 } as const;

/** The page's origin, the model origin and the extra origins; a malformed one is BAD_INPUT. */
export function originPolicy(options: RuntimeOptions, pageUrl: string): OriginPolicy {
  try {
    return createOriginPolicy(pageUrl, options.modelOrigin, options.allowedOrigins ?? []);
  } catch (e) {
    throw new AirlockError('BAD_INPUT', (e as Error).message);
  }
}

export function maxAuditEvents(audit: AuditOptions = {}): number {
  const max = audit.maxEvents ?? DEFAULTS.maxAuditEvents;
  if (!Number.isSafeInteger(max) || max < 1 || max > 1_000_000) throw new AirlockError('BAD_INPUT', 'audit.maxEvents must be an integer from 1 to 1000000');
  return max;
}

/** Resolves relative bases against the page and makes sure folders end with a slash. */
export function absoluteFolder(path: string, pageUrl: string): string {
  const url = new URL(path, pageUrl).href;
  return url.endsWith('/') ? url : `${url}/`;
}

/** The worker's store settings, checked. */
export function storeConfig(cache: CacheOptions = {}): WorkerConfig['store'] {
  const chunkBytes = cache.chunkBytes ?? DEFAULTS.chunkBytes;
  // small chunks are allowed (tests use them); a chunk over 256 MiB defeats the point of chunks
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1024 || chunkBytes > 256 * 2 ** 20) {
    throw new AirlockError('BAD_INPUT', 'cache.chunkBytes must be an integer from 1024 to 268435456');
  }
  const name = cache.name ?? DEFAULTS.storeName;
  if (typeof name !== 'string' || name.length === 0) throw new AirlockError('BAD_INPUT', 'cache.name must be a non-empty string');
  const { maxBytes } = cache;
  if (maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || maxBytes < 0)) throw new AirlockError('BAD_INPUT', 'cache.maxBytes must be a non-negative integer');
  const headerTimeoutMs = integerIn('cache.headerTimeoutMs', cache.headerTimeoutMs ?? DEFAULTS.headerTimeoutMs, 100, 600_000);
  const maxFiles = integerIn('cache.maxManifestFiles', cache.maxManifestFiles ?? DEFAULT_MANIFEST_LIMITS.maxFiles, 1, 10_000_000);
  const maxManifestBytes = integerIn('cache.maxManifestBytes', cache.maxManifestBytes ?? DEFAULT_MANIFEST_LIMITS.maxBytes, 1, 2 ** 30);
  return { dbName: name, chunkBytes, evict: cache.evict ?? true, maxBytes, headerTimeoutMs, manifestLimits: { maxFiles, maxBytes: maxManifestBytes } };
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new AirlockError('BAD_INPUT', `${name} must be an integer from ${min} to ${max}`);
  return value;
}
