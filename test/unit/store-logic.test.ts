// Pure pieces of the model store, in Node: reading bodies into the store's own buffers, which
// files a raw session takes, and the store's options.
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/manifest/types.js';
import { storeConfig } from '../../src/page/options.js';
import { bodyReader } from '../../src/worker/store/body-reader.js';
import { sessionFiles } from '../../src/worker/session-files.js';

const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);

/** A body of `pieces`, as a byte stream (BYOB-capable) or a plain one; it may fail after them. */
function body(kind: 'bytes' | 'plain', pieces: Uint8Array[], failAtEnd = false): ReadableStream<Uint8Array> {
  let i = 0;
  const next = (enqueue: (b: Uint8Array) => void, error: (e: Error) => void, close: () => void) => {
    if (i < pieces.length) return enqueue(pieces[i++]!.slice());
    if (failAtEnd) error(new Error('connection reset'));
    else close();
  };
  // a byte stream closing under a pending BYOB read must also answer that read (respond(0))
  if (kind === 'bytes')
    return new ReadableStream({
      type: 'bytes',
      pull: (c) =>
        next(
          (b) => c.enqueue(b as Uint8Array<ArrayBuffer>),
          (e) => c.error(e),
          () => (c.close(), c.byobRequest?.respond(0)),
        ),
    });
  return new ReadableStream<Uint8Array>({
    pull: (c) =>
      next(
        (b) => c.enqueue(b),
        (e) => c.error(e),
        () => c.close(),
      ),
  });
}

async function readAll(
  stream: ReadableStream<Uint8Array>,
  into: Uint8Array,
  step: number,
): Promise<{ n: number; error?: string }> {
  const reader = bodyReader(stream);
  let n = 0;
  try {
    for (;;) {
      // once the buffer is full, one more byte of room tells the end from a longer body
      const room = Math.min(into.length, n + step) - n;
      const got = await reader.read(room > 0 ? into.subarray(n, n + room) : new Uint8Array(1));
      if (got === null) return { n };
      if (room === 0) return { n, error: 'longer than expected' };
      n += got;
    }
  } catch (e) {
    return { n, error: (e as Error).message };
  }
}

describe('bodyReader', () => {
  for (const kind of ['bytes', 'plain'] as const) {
    it(`copies a ${kind} body into the caller's buffer in any step size`, async () => {
      for (const step of [1, 7, 100, 1000]) {
        const into = new Uint8Array(1000);
        const pieces = [bytes.subarray(0, 333), bytes.subarray(333, 334), bytes.subarray(334)];
        expect(await readAll(body(kind, pieces), into, step)).toEqual({ n: 1000 });
        expect(into).toEqual(bytes);
      }
    });

    it(`keeps the bytes gathered before a ${kind} body breaks`, async () => {
      const into = new Uint8Array(1000);
      const got = await readAll(body(kind, [bytes.subarray(0, 400)], true), into, 256);
      expect(got).toEqual({ n: 400, error: 'connection reset' });
      // the caller's buffer was never handed to the stream, so the failed read took nothing with it
      expect(into.subarray(0, 400)).toEqual(bytes.subarray(0, 400));
    });
  }
});

describe('sessionFiles', () => {
  const manifest = (paths: string[]): Manifest => ({
    schema: 1,
    id: 'm',
    task: 'raw',
    revision: '0'.repeat(64),
    source: 'test',
    license: 'MIT',
    files: paths.map((path) => ({ path, size: 1, sha256: '0'.repeat(64) })),
  });

  it('takes the one .onnx file and its external data, in order', () => {
    const m = manifest([
      'NOTICE.txt',
      'onnx/model.onnx',
      'onnx/model.onnx_data',
      'onnx/model.onnx_data_1',
      'onnx/model.onnx_data.bak',
      'model.onnx_data',
    ]);
    expect(sessionFiles(m).map((f) => f.path)).toEqual([
      'onnx/model.onnx',
      'onnx/model.onnx_data',
      'onnx/model.onnx_data_1',
    ]);
  });

  it('names the file when there are several, and refuses when it is unclear', () => {
    const m = manifest(['det.onnx', 'rec.onnx', 'rec.onnx_data']);
    expect(sessionFiles(m, 'rec.onnx').map((f) => f.path)).toEqual(['rec.onnx', 'rec.onnx_data']);
    expect(() => sessionFiles(m)).toThrow('Model "m" has 2 .onnx files: name one');
    expect(() => sessionFiles(m, 'cls.onnx')).toThrow('Model "m" has no file "cls.onnx"');
  });
});

describe('storeConfig', () => {
  it('has defaults and refuses nonsense', () => {
    const limits = { maxFiles: 10_000, maxBytes: 4 * 2 ** 20 };
    expect(storeConfig()).toEqual({
      dbName: 'airlock-models',
      chunkBytes: 4 * 2 ** 20,
      evict: true,
      maxBytes: undefined,
      headerTimeoutMs: 30_000,
      manifestLimits: limits,
    });
    expect(
      storeConfig({
        name: 'kiosk',
        chunkBytes: 65536,
        evict: false,
        maxBytes: 10,
        headerTimeoutMs: 1000,
        maxManifestFiles: 50,
        maxManifestBytes: 65536,
      }),
    ).toEqual({
      dbName: 'kiosk',
      chunkBytes: 65536,
      evict: false,
      maxBytes: 10,
      headerTimeoutMs: 1000,
      manifestLimits: { maxFiles: 50, maxBytes: 65536 },
    });
    expect(() => storeConfig({ headerTimeoutMs: 0 })).toThrow(
      'cache.headerTimeoutMs must be an integer from 100 to 600000',
    );
    expect(() => storeConfig({ maxManifestFiles: 0.5 })).toThrow(
      'cache.maxManifestFiles must be an integer from 1 to 10000000',
    );
    expect(() => storeConfig({ maxManifestBytes: 0 })).toThrow(
      'cache.maxManifestBytes must be an integer from 1 to 1073741824',
    );
    expect(() => storeConfig({ chunkBytes: 100 })).toThrow(
      'cache.chunkBytes must be an integer from 1024 to 268435456',
    );
    expect(() => storeConfig({ maxBytes: -1 })).toThrow('cache.maxBytes must be a non-negative integer');
    expect(() => storeConfig({ name: '' })).toThrow('cache.name must be a non-empty string');
  });
});
