// Runs before the worker starts (see test-worker.ts): reads the test's wishes from the worker URL.
import { InferenceSession } from 'onnxruntime-web/webgpu';
import type { WorkerHooks } from '../../src/worker/hooks.js';

const params = new URL(self.location.href).searchParams;

/** The worker's test hooks: WebGPU engine creation fails before onnxruntime-web is asked, to exercise the fallback to WASM. */
export const testHooks: WorkerHooks = params.has('fail-webgpu')
  ? {
      beforeCreate(backend) {
        if (backend === 'webgpu') throw new Error('WebGPU session creation failed (injected fault)');
      },
    }
  : {};

// a WebGPU session that fails inside onnxruntime-web's own create, the call transformers.js
// makes (and chains), as a driver or an unsupported model would make it fail
if (params.has('fail-webgpu-session')) {
  const create = InferenceSession.create.bind(InferenceSession);
  const onWebGpu = (options: unknown) =>
    ((options as InferenceSession.SessionOptions | undefined)?.executionProviders ?? []).some(
      (ep) => (typeof ep === 'string' ? ep : ep.name) === 'webgpu',
    );
  InferenceSession.create = (async (...args: Parameters<typeof create>) => {
    if (args.some(onWebGpu)) throw new Error('WebGPU session creation failed (injected session fault)');
    return create(...args);
  }) as typeof InferenceSession.create;
}

// the model store's database closes while a chunk of file <sha256> is read (its first chunk only,
// once): the stream that reads it fails on its next chunk, as when the browser closes the
// connection under the worker (another tab's upgrade, storage cleared, a disk error)
const closeAt = params.get('close-db-reading');
if (closeAt) {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with the store as `this` (get.call below)
  const get = IDBObjectStore.prototype.get;
  let done = false;
  IDBObjectStore.prototype.get = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
    if (!done && this.name === 'chunks' && Array.isArray(query) && query[0] === closeAt && query[1] === 0) {
      done = true;
      this.transaction.db.close();
    }
    return get.call(this, query);
  };
}

// the browser's own fetch, taken before the worker puts its policy in front of it: a test uses it
// to make a request the way code that bypasses the library would
const unguardedFetch = globalThis.fetch.bind(globalThis);

// the store's chunk writes do not end until the test says so ('release-writes' on the test
// channel): each write's transaction is kept open by one read after another until then
let writesHeld = params.has('hold-chunk-writes');
if (writesHeld) {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with the store as `this` (put.call below)
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    const request = put.call(this, value, key);
    if (this.name === 'chunks' && writesHeld) {
      const keepOpen = () => {
        if (writesHeld) this.count().onsuccess = keepOpen;
      };
      keepOpen();
    }
    return request;
  };
}

// every chunk write is refused, as by a full disk or quota
if (params.has('fail-chunk-writes')) {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with the store as `this` (put.call below)
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    if (this.name === 'chunks') throw new DOMException('The disk is full (injected fault)', 'QuotaExceededError');
    return put.call(this, value, key);
  };
}

new BroadcastChannel('airlock-test').onmessage = (e: MessageEvent<unknown>) => {
  if (e.data === 'exit') self.close();
  if (e.data === 'release-writes') writesHeld = false;
  const bypass = typeof e.data === 'object' && e.data !== null && 'bypass' in e.data ? e.data.bypass : undefined;
  // fire and forget: the test reads the request from the evidence, not from this fetch's result
  if (typeof bypass === 'string') void unguardedFetch(bypass).catch(() => undefined);
};

// a browser whose WebCrypto has no Ed25519: the worker must find that out and verify signatures
// with @noble/curves instead (src/worker/trust/verify.ts)
if (params.has('no-webcrypto-ed25519')) {
  const subtle = crypto.subtle;
  const importKey = subtle.importKey.bind(subtle) as (...args: unknown[]) => Promise<CryptoKey>;
  const named = (alg: unknown) => (typeof alg === 'string' ? alg : (alg as { name?: string })?.name);
  (subtle as { importKey: unknown }).importKey = (...args: unknown[]) =>
    named(args[2]) === 'Ed25519'
      ? Promise.reject(new DOMException('Unrecognized algorithm name', 'NotSupportedError'))
      : importKey(...args);
}

// the store's note of when a model was last used cannot be written (src/worker/store/model-store.ts
// `touch`: the one put on the models store after a get in the same transaction), as with a disk
// error or a full quota; the model's own record is written without such a get first
if (params.has('fail-touch')) {
  const touching = new WeakSet<IDBTransaction>();
  /* eslint-disable @typescript-eslint/unbound-method -- kept to be called with the store as `this` (call below) */
  const get = IDBObjectStore.prototype.get;
  const put = IDBObjectStore.prototype.put;
  /* eslint-enable @typescript-eslint/unbound-method */
  IDBObjectStore.prototype.get = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
    if (this.name === 'models' && this.transaction.mode === 'readwrite') touching.add(this.transaction);
    return get.call(this, query);
  };
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    if (this.name === 'models' && touching.has(this.transaction))
      throw new DOMException('The disk is full (injected fault)', 'QuotaExceededError');
    return put.call(this, value, key);
  };
}
