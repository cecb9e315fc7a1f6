// A manifest's pieces: the writer gives a large file the SHA-256 of each piece of the same bytes,
// and the browser's validation takes only pieces that add up to the file.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIECE_BYTES, isPieceSize } from '../../src/manifest/pieces.js';
import { validateManifest } from '../../src/manifest/validate.js';
import { buildManifest, writeManifestFile } from '../../src/node/manifest-writer.js';
import { verifyDir } from '../../src/node/verify-dir.js';

const INFO = { id: 'pieced', task: 'raw', source: 'test', license: 'MIT' };
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let dir: string;
const big = randomBytes(5 * 1024 + 300);
const small = randomBytes(1000);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-pieces-'));
  await writeFile(join(dir, 'model.onnx'), big);
  await writeFile(join(dir, 'config.json'), small);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('manifest pieces', () => {
  it('are written for files larger than one piece, each the SHA-256 of its slice of the file', async () => {
    const manifest = await buildManifest(dir, INFO, { pieceBytes: 1024 });
    const model = manifest.files.find((f) => f.path === 'model.onnx')!;
    expect(model.sha256).toBe(sha256(big));
    expect(model.pieces).toEqual({
      bytes: 1024,
      sha256: Array.from({ length: 6 }, (_, i) => sha256(big.subarray(i * 1024, (i + 1) * 1024))),
    });
    // a file of one piece has none: its SHA-256 says it all
    expect(manifest.files.find((f) => f.path === 'config.json')!.pieces).toBeUndefined();
  });

  it('default to 4 MiB pieces, which the small files here do not reach', async () => {
    expect(PIECE_BYTES).toBe(4 * 2 ** 20);
    const manifest = await buildManifest(dir, INFO);
    expect(manifest.files.every((f) => f.pieces === undefined)).toBe(true);
  });

  it('take piece sizes that are powers of two from 1 KiB to 256 MiB', () => {
    expect([1024, 4 * 2 ** 20, 2 ** 28].map(isPieceSize)).toEqual([true, true, true]);
    expect([512, 3000, 2 ** 29, 1024.5, '1024', -1024].map(isPieceSize)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('are checked by the browser: the size, the count, the digests', async () => {
    const manifest = await buildManifest(dir, INFO, { pieceBytes: 1024 });
    const withPieces = (pieces: unknown) => ({
      ...manifest,
      files: manifest.files.map((f) => (f.path === 'model.onnx' ? { ...f, pieces } : f)),
    });
    const good = manifest.files.find((f) => f.path === 'model.onnx')!.pieces!;
    expect(validateManifest(withPieces(good), 'pieced').files.find((f) => f.pieces)!.pieces).toEqual(good);
    const refused: [unknown, RegExp][] = [
      ['all', /pieces of "model.onnx" must be an object/],
      [{ ...good, bytes: 1000 }, /bytes must be a power of two from 1024 to 268435456/],
      [{ ...good, sha256: good.sha256.slice(1) }, /must list 6 digests, one per piece of 1024 bytes/],
      [{ ...good, sha256: [...good.sha256.slice(1), 'ABC'] }, /must be 64 lowercase hex digits each/],
      [{ bytes: 8192, sha256: [good.sha256[0]] }, /are listed for a file no larger than one piece/],
    ];
    for (const [pieces, message] of refused) {
      expect(() => validateManifest(withPieces(pieces), 'pieced')).toThrow(message);
    }
    // pieces do not change the revision: they follow from the bytes the file list names
    expect(validateManifest(withPieces(good), 'pieced').revision).toBe(manifest.revision);
  });

  it("are checked by airlock verify: a piece digest that is not the file's is reported", async () => {
    const manifest = await buildManifest(dir, INFO, { pieceBytes: 1024 });
    await writeManifestFile(dir, manifest);
    expect((await verifyDir(dir)).ok).toBe(true);
    const model = manifest.files.find((f) => f.path === 'model.onnx')!;
    model.pieces!.sha256[4] = sha256(Buffer.from('another piece'));
    await writeManifestFile(dir, manifest);
    const report = await verifyDir(dir);
    expect(report.ok).toBe(false);
    expect(report.mismatched).toEqual([
      expect.objectContaining({ path: 'model.onnx', problem: 'piece 4 has another SHA-256 in the manifest' }),
    ]);
    await rm(join(dir, 'manifest.json'));
  });
});
