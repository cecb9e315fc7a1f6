// The reference side: onnxruntime-web and transformers.js used directly in a plain module worker,
// the same runtime build and runtime files as Airlock, no verification and no store.
import { env, pipeline } from '@huggingface/transformers';
import * as ort from 'onnxruntime-web/webgpu';
import {
  REF_CACHE,
  REF_DB,
  type ModelFiles,
  type Reply,
  type RefSource,
  type Request,
  type Tensor,
} from './protocol.js';

type Callable = (...args: unknown[]) => Promise<unknown>;
const sessions = new Map<number, ort.InferenceSession>();
const pipes = new Map<number, Callable>();
let next = 1;
let backend: 'wasm' | 'webgpu' = 'wasm';
/** the provider Airlock uses for the same backend (NCHW on WebGPU) */
const provider = () => (backend === 'webgpu' ? { name: 'webgpu', preferredLayout: 'NCHW' as const } : 'wasm');

function openRaw(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(REF_DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('files');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error(`${REF_DB} could not be opened`));
  });
}

function idbRequest<T>(
  db: IDBDatabase,
  mode: IDBTransactionMode,
  act: (s: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('files', mode);
    const req = act(tx.objectStore('files'));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error ?? new Error(`a ${mode} transaction on ${REF_DB} failed`));
  });
}

async function fetched(url: string): Promise<ArrayBuffer> {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

/** What transformers.js does with a file it fetched: checks the cache, then puts a copy in it. */
async function fetchedAndCached(cache: Cache, url: string): Promise<ArrayBuffer> {
  const res = await fetch(url, { cache: 'no-store' });
  const bytes = await res.arrayBuffer();
  if ((await cache.match(url)) === undefined) {
    const headers = new Headers(res.headers);
    headers.set('content-length', String(bytes.byteLength));
    await cache.put(url, new Response(bytes, { headers }));
  }
  return bytes;
}

async function bytesOf(url: string, source: RefSource, db?: IDBDatabase, cache?: Cache): Promise<ArrayBuffer> {
  if (source === 'fetch') return fetched(url);
  if (source === 'cache-cold') return fetchedAndCached(cache!, url);
  if (source === 'cache') {
    const hit = await cache!.match(url);
    if (!hit) throw new Error(`${url} is not in the Cache API`);
    return hit.arrayBuffer();
  }
  const value: unknown = await idbRequest(db!, 'readonly', (s) => s.get(url));
  if (!(value instanceof ArrayBuffer)) throw new Error(`${url} is not in IndexedDB`);
  return value;
}

async function createSession(files: ModelFiles, source: RefSource): Promise<number> {
  const db = source === 'idb' ? await openRaw() : undefined;
  const cache = source.startsWith('cache') ? await caches.open(REF_CACHE) : undefined;
  const model = new Uint8Array(await bytesOf(files.model, source, db, cache));
  const externalData = [];
  for (const d of files.data)
    externalData.push({ path: d.path, data: new Uint8Array(await bytesOf(d.url, source, db, cache)) });
  db?.close();
  const session = await ort.InferenceSession.create(model, {
    ...(externalData.length > 0 && { externalData }),
    executionProviders: [provider()],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
  sessions.set(next, session);
  return next++;
}

async function run(handle: number, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const session = sessions.get(handle)!;
  const input = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(t.type, t.data, t.dims)]));
  const out = await session.run(input);
  const result: Record<string, Tensor> = {};
  for (const name of session.outputNames) {
    const t = out[name]!;
    result[name] = {
      type: t.type as Tensor['type'],
      data: (await t.getData(true)) as Tensor['data'],
      dims: [...t.dims],
    };
  }
  return result;
}

async function fillIdb(files: ModelFiles): Promise<void> {
  const db = await openRaw();
  for (const url of [files.model, ...files.data.map((d) => d.url)]) {
    const bytes = await fetched(url);
    await idbRequest(db, 'readwrite', (s) => s.put(bytes, url));
  }
  db.close();
}

function plain(value: unknown): unknown {
  if (value && typeof value === 'object' && 'dims' in value && 'data' in value) {
    const t = value as { type: string; data: unknown; dims: number[] };
    return { type: t.type, data: t.data, dims: [...t.dims] };
  }
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'init':
      backend = req.backend;
      ort.env.wasm.wasmPaths = req.runtimeBase;
      ort.env.wasm.numThreads = req.threads;
      ort.env.wasm.proxy = false;
      ort.env.logLevel = 'error';
      env.allowLocalModels = false;
      env.allowRemoteModels = true;
      env.remoteHost = req.modelBase;
      env.remotePathTemplate = '{model}/';
      env.useBrowserCache = false;
      env.useWasmCache = false;
      env.backends.onnx.wasm!.wasmPaths = req.runtimeBase;
      env.backends.onnx.wasm!.numThreads = req.threads;
      return null;
    case 'session':
      return createSession(req.files, req.source);
    case 'run':
      return run(req.handle, req.feeds);
    case 'pipeline': {
      const pipe = (await pipeline(req.task as 'text-classification', req.model, {
        device: backend,
        dtype: req.dtype as 'fp32',
        ...(backend === 'webgpu' && { session_options: { executionProviders: [provider()] } }),
      })) as unknown as Callable;
      pipes.set(next, pipe);
      return next++;
    }
    case 'call':
      return plain(await pipes.get(req.handle)!(...req.args));
    case 'fill-idb':
      return fillIdb(req.files);
    case 'release':
      await sessions.get(req.handle)?.release();
      sessions.delete(req.handle);
      return null;
  }
}

function buffersIn(value: unknown, out: Transferable[] = []): Transferable[] {
  if (ArrayBuffer.isView(value)) out.push(value.buffer as ArrayBuffer);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) buffersIn(v, out);
  return out;
}

self.onmessage = async (e: MessageEvent<Request & { id: number }>) => {
  const { id } = e.data;
  try {
    const value = await handle(e.data);
    const reply: Reply = { id, ok: true, value };
    self.postMessage(reply, { transfer: [...new Set(buffersIn(value))] });
  } catch (err) {
    const reply: Reply = { id, ok: false, message: (err as Error)?.message ?? String(err) };
    self.postMessage(reply);
  }
};
