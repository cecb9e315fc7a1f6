// The options a page passes to createRuntime, and their defaults.
import type { AuditEvent } from '../protocol/audit-events.js';
import { AirlockError } from '../errors.js';
import { DEFAULT_MANIFEST_LIMITS } from '../manifest/limits.js';
import { createOriginPolicy, httpOrigin, type OriginPolicy } from '../shared/origins.js';
import { DEFAULT_MODEL_BASE, DEFAULT_RUNTIME_BASE } from '../shared/defaults.js';
import { badOption, optionalBoolean, optionalDevice, optionsObject, shown } from './checks.js';
import type { WorkerConfig } from '../protocol/config.js';
import type { Device } from '../protocol/types.js';
import { trustConfig, type TrustOptions } from './trust.js';
import { hostingSettings } from './hosting-options.js';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../shared/image-size.js';

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
  /** the most pixels (width x height) of an image input, checked before it is decoded; default 50 000 000 */
  maxImagePixels?: number;
  /** WASM threads when the page is cross-origin isolated; default half the cores, at most 4 */
  wasmThreads?: number;
  cache?: CacheOptions;
  /** with it, every manifest (and the index) must carry a valid signature by one of these keys */
  trust?: TrustOptions;
  /** the signed hosting policy (`policy.json` on the model origin) to fetch and enforce before anything else; needs `trust` */
  policyUrl?: string | URL;
}

export interface AuditOptions {
  /** how many of the latest events the runtime keeps for `audit.events()` and the evidence; default 1000 */
  maxEvents?: number;
  /** OTLP/HTTP logs endpoint for the events (a path or URL on the page's or the model origin), e.g. `/v1/logs` */
  collector?: string;
  /** the most events waiting for the collector; later ones are dropped and counted; default 1000 */
  maxQueued?: number;
  /** the longest an event waits for the collector's next batch, ms; default 5000 */
  batchMs?: number;
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

export const DEFAULTS = {
  modelBase: DEFAULT_MODEL_BASE,
  runtimeBase: DEFAULT_RUNTIME_BASE,
  device: 'auto',
  maxTextLength: 100_000,
  maxImagePixels: DEFAULT_MAX_IMAGE_PIXELS,
  storeName: 'airlock-models',
  chunkBytes: 4 * 2 ** 20,
  maxAuditEvents: 1000,
  headerTimeoutMs: 30_000,
} as const;

/** The page's origin, the model origin and the extra origins; a malformed one is BAD_INPUT. */
export function originPolicy(options: RuntimeOptions, pageUrl: string): OriginPolicy {
  const { modelOrigin, allowedOrigins = [] } = options;
  if (modelOrigin !== undefined && (typeof modelOrigin !== 'string' || !httpOrigin(modelOrigin)))
    throw badOption('modelOrigin', modelOrigin, 'an http(s) origin');
  if (!Array.isArray(allowedOrigins)) throw badOption('allowedOrigins', allowedOrigins, 'a list of http(s) origins');
  for (const entry of allowedOrigins as unknown[]) {
    if (typeof entry !== 'string' || !httpOrigin(entry)) {
      throw new AirlockError('BAD_INPUT', `allowedOrigins entry ${shown(entry)} is not an http(s) origin`, {
        option: 'allowedOrigins',
        value: shown(entry),
      });
    }
  }
  return createOriginPolicy(pageUrl, modelOrigin, allowedOrigins);
}

export function maxAuditEvents(audit?: AuditOptions): number {
  const max = optionsObject('audit', audit).maxEvents ?? DEFAULTS.maxAuditEvents;
  if (!Number.isSafeInteger(max) || max < 1 || max > 1_000_000)
    throw badOption('audit.maxEvents', max, 'an integer from 1 to 1000000');
  return max;
}

/** An http(s) URL that `value` (a URL or a path) names, resolved against `base`; anything else is BAD_INPUT. */
function httpUrl(option: string, value: unknown, base: string): URL {
  if (typeof value !== 'string' && !(value instanceof URL)) throw badOption(option, value, 'a URL or a path');
  let url: URL;
  try {
    url = new URL(String(value), base);
  } catch {
    throw badOption(option, String(value), 'a valid URL or path');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badOption(option, String(value), 'an http(s) URL or a path');
  return url;
}

/** Resolves a folder option (a base) against `base` and makes sure it ends with a slash. */
export function absoluteFolder(option: string, path: unknown, base: string): string {
  const url = httpUrl(option, path, base).href;
  return url.endsWith('/') ? url : `${url}/`;
}

/** The worker script's absolute URL; a worker must come from the page's own origin (the browser refuses others). */
export function workerScriptUrl(value: unknown, pageUrl: string): string | undefined {
  if (value === undefined) return undefined;
  const url = httpUrl('workerUrl', value, pageUrl);
  const page = new URL(pageUrl).origin;
  if (url.origin !== page) {
    throw new AirlockError(
      'BAD_INPUT',
      `workerUrl ${shown(url.href)} is not on the page's origin (${page}): the browser starts workers from the page's own origin only`,
      {
        option: 'workerUrl',
        value: shown(url.href),
      },
    );
  }
  return url.href;
}

/** The worker's store settings, checked. */
export function storeConfig(options?: CacheOptions): WorkerConfig['store'] {
  const cache = optionsObject('cache', options);
  const chunkBytes = cache.chunkBytes ?? DEFAULTS.chunkBytes;
  // small chunks are allowed (tests use them); a chunk over 256 MiB defeats the point of chunks
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1024 || chunkBytes > 256 * 2 ** 20) {
    throw badOption('cache.chunkBytes', chunkBytes, 'an integer from 1024 to 268435456');
  }
  const name = cache.name ?? DEFAULTS.storeName;
  if (typeof name !== 'string' || name.length === 0) throw badOption('cache.name', name, 'a non-empty string');
  const { maxBytes } = cache;
  if (maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || maxBytes < 0))
    throw badOption('cache.maxBytes', maxBytes, 'a non-negative integer');
  const headerTimeoutMs = integerIn(
    'cache.headerTimeoutMs',
    cache.headerTimeoutMs ?? DEFAULTS.headerTimeoutMs,
    100,
    600_000,
  );
  const maxFiles = integerIn(
    'cache.maxManifestFiles',
    cache.maxManifestFiles ?? DEFAULT_MANIFEST_LIMITS.maxFiles,
    1,
    10_000_000,
  );
  const maxManifestBytes = integerIn(
    'cache.maxManifestBytes',
    cache.maxManifestBytes ?? DEFAULT_MANIFEST_LIMITS.maxBytes,
    1,
    2 ** 30,
  );
  const evict = optionalBoolean('cache.evict', cache.evict) ?? true;
  return {
    dbName: name,
    chunkBytes,
    evict,
    maxBytes,
    headerTimeoutMs,
    manifestLimits: { maxFiles, maxBytes: maxManifestBytes },
  };
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw badOption(name, value, `an integer from ${min} to ${max}`);
  return value;
}

/** The worker's settings from the page's options (all but the store's), checked in this order. */
export function workerSettings(
  options: Partial<RuntimeOptions>,
  page: string,
): { worker: Omit<WorkerConfig, 'livenessLock' | 'store'>; workerUrl: string | undefined } {
  const maxTextLength = options.maxTextLength ?? DEFAULTS.maxTextLength;
  if (!Number.isSafeInteger(maxTextLength) || maxTextLength < 1)
    throw badOption('maxTextLength', maxTextLength, 'a positive integer');
  const maxImagePixels = options.maxImagePixels ?? DEFAULTS.maxImagePixels;
  if (!Number.isSafeInteger(maxImagePixels) || maxImagePixels < 1)
    throw badOption('maxImagePixels', maxImagePixels, 'a positive integer');
  const { wasmThreads } = options;
  if (wasmThreads !== undefined && (!Number.isSafeInteger(wasmThreads) || wasmThreads < 1 || wasmThreads > 64))
    throw badOption('wasmThreads', wasmThreads, 'an integer from 1 to 64');
  const policy = originPolicy(options, page);
  // a relative model base is a folder on the model origin
  const modelBase = absoluteFolder('modelBase', options.modelBase ?? DEFAULTS.modelBase, `${policy.modelOrigin}/`);
  const runtimeBase = absoluteFolder('runtimeBase', options.runtimeBase ?? DEFAULTS.runtimeBase, page);
  const device = optionalDevice('device', options.device) ?? DEFAULTS.device;
  const workerUrl = workerScriptUrl(options.workerUrl, page);
  const trust = trustConfig(options.trust);
  const hostingPolicy = hostingSettings(options.policyUrl, options.trust, policy);
  return {
    worker: {
      modelBase,
      runtimeBase,
      device,
      policy,
      maxTextLength,
      maxImagePixels,
      wasmThreads,
      trust,
      hostingPolicy,
    },
    workerUrl,
  };
}
