// The big-gather generator, at a small size: its manifest lists what it wrote, a rerun leaves the
// files alone, and native onnxruntime finds the external data and agrees with the reference.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIG_GATHER_COLS,
  BIG_GATHER_ID,
  bigGatherReference,
  bigGatherRows,
  writeBigGather,
} from '../../scripts/fixtures/big-gather.js';
import type { Manifest } from '../../src/manifest/types.js';
import { maxAbsDiff } from '../support/ort-reference.js';

const MEGABYTES = 2;

describe('big-gather generator', () => {
  let modelsDir: string;
  let written: Awaited<ReturnType<typeof writeBigGather>>;
  beforeAll(async () => {
    modelsDir = await mkdtemp(join(tmpdir(), 'airlock-big-gather-'));
    written = await writeBigGather(modelsDir, MEGABYTES);
  });
  afterAll(() => rm(modelsDir, { recursive: true, force: true }));

  it('writes a data file of the asked size and a manifest that lists both files', async () => {
    expect(written.dir).toBe(join(modelsDir, BIG_GATHER_ID));
    expect(written.dataBytes).toBe(MEGABYTES << 20);
    const manifest = JSON.parse(await readFile(join(written.dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest).toMatchObject({ id: BIG_GATHER_ID, task: 'raw', license: 'MIT' });
    expect(manifest.files.map((f) => [f.path, f.size])).toEqual([
      ['onnx/model.onnx', written.onnxBytes],
      ['onnx/model.onnx_data', written.dataBytes],
    ]);
    for (const f of manifest.files) {
      const bytes = await readFile(join(written.dir, f.path));
      expect(bytes.length).toBe(f.size);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
    }
  });

  it('leaves an existing instance alone', async () => {
    const before = await stat(join(written.dir, 'onnx/model.onnx_data'));
    expect(await writeBigGather(modelsDir, MEGABYTES)).toEqual(written);
    expect((await stat(join(written.dir, 'onnx/model.onnx_data'))).mtimeMs).toBe(before.mtimeMs);
  });

  it('runs under native onnxruntime with its external data and matches the reference', async () => {
    const rows = bigGatherRows(MEGABYTES);
    const ids = [0, 1, rows - 1, 1234, 999];
    const session = await ort.InferenceSession.create(join(written.dir, 'onnx/model.onnx'));
    try {
      const out = await session.run({
        ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [ids.length]),
      });
      expect(out.rows!.dims).toEqual([ids.length, BIG_GATHER_COLS]);
      expect(maxAbsDiff(out.rows!.data as Float32Array, bigGatherReference(ids))).toBeLessThan(1e-6);
    } finally {
      await session.release();
    }
  });
});
