// The page's side of the reference worker: requests by postMessage, buffers transferred.
import type { Reply, Request } from './protocol.js';
import workerUrl from './reference-worker.ts?worker&url';

export interface Reference {
  call<T = unknown>(req: Request, transfer?: Transferable[]): Promise<T>;
  terminate(): void;
}

export function startReference(): Reference {
  const worker = new Worker(new URL(workerUrl, location.href), { type: 'module', name: 'reference' });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  worker.onmessage = (e: MessageEvent<Reply>) => {
    const p = pending.get(e.data.id);
    pending.delete(e.data.id);
    if (e.data.ok) p?.resolve(e.data.value);
    else p?.reject(new Error(e.data.message));
  };
  return {
    call<T>(req: Request, transfer: Transferable[] = []): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ ...req, id }, transfer);
      });
    },
    terminate: () => worker.terminate(),
  };
}

/** The transferable buffers of a set of feeds. */
export function buffersOfFeeds(feeds: Record<string, { data: ArrayBufferView }>): Transferable[] {
  return Object.values(feeds).map((t) => t.data.buffer as ArrayBuffer);
}
