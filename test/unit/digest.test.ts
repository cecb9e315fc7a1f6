// The store's SHA-256: the incremental hasher (WASM) and the whole-bytes digest agree with Node's.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHasher, digestOf } from '../../src/worker/store/digest.js';

const bytes = Uint8Array.from({ length: 5 * 2 ** 20 + 13 }, (_, i) => (i * 2654435761) >>> 24);
const expected = createHash('sha256').update(bytes).digest('hex');

describe('store digest', () => {
  it('hashes in pieces of any size to the same SHA-256', async () => {
    const hasher = await createHasher();
    for (let at = 0, step = 1; at < bytes.length; at += step, step = step * 7 + 1)
      hasher.update(bytes.subarray(at, Math.min(bytes.length, at + step)));
    expect(hasher.hex()).toBe(expected);
  });

  it('keeps two hashers apart, as two downloads at once need', async () => {
    const a = await createHasher();
    const b = await createHasher();
    a.update(bytes.subarray(0, 1000));
    b.update(new Uint8Array([1, 2, 3]));
    a.update(bytes.subarray(1000));
    expect(a.hex()).toBe(expected);
    expect(b.hex()).toBe(
      createHash('sha256')
        .update(new Uint8Array([1, 2, 3]))
        .digest('hex'),
    );
  });

  it('hashes whole bytes the same way', async () => {
    expect(await digestOf(bytes)).toBe(expected);
  });
});
