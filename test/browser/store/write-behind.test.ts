// A cold raw-session load hands its verified bytes to the engine as soon as they are checked;
// the store finishes writing them behind. The page's store calls and `dispose()` wait for those
// writes, so they see what they would have seen had the load waited; a write refused after the
// hand-over leaves the model running but not stored, and `info().notes` says so.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/manifest/types.js';
import { useBrowser } from '../../support/browser.js';
import { storeOf } from '../../support/model-store.js';
import { MODELS_DIR } from '../../support/paths.js';
import { sileroReference } from '../../support/silero-reference.js';

const browser = useBrowser();
const manifest = JSON.parse(readFileSync(join(MODELS_DIR, 'silero-vad', 'manifest.json'), 'utf8')) as Manifest;
const SILERO = manifest.files.find((f) => f.path.endsWith('.onnx'))!;
let silence: number;
beforeAll(async () => {
  silence = (await sileroReference(new Float32Array(512)))[0]!;
});

describe(`writes behind a cold raw-session load (${browser.mode})`, () => {
  it('answers before its writes end; store calls and dispose() wait for them; the file is then stored whole', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async () => {
      const sleep = (ms: number) => new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms));
      const release = () => new BroadcastChannel('airlock-test').postMessage('release-writes');
      /** A cold load of Silero whose chunk writes are held open, and its first result. */
      const loadHeld = async (name: string) => {
        const ai = window.airlock.createRuntime({
          workerUrl: `${window.testWorkerUrl}?hold-chunk-writes`,
          cache: { name },
        });
        const vad = await Promise.race([ai.session('silero-vad'), sleep(20_000)]);
        if (vad === 'pending') throw new Error('the load waited for its writes');
        const out = await vad.run({
          input: { type: 'float32', data: new Float32Array(512), dims: [1, 512] },
          state: { type: 'float32', data: new Float32Array(256), dims: [2, 1, 128] },
          sr: { type: 'int64', data: BigInt64Array.from([16000n]), dims: [] },
        });
        return { ai, probability: (out.output!.data as Float32Array)[0]! };
      };
      const first = await loadHeld('behind-a');
      const listed = first.ai.cache.list();
      const listedEarly = await Promise.race([listed, sleep(500)]);
      release();
      const listedLate = await listed;
      await first.ai.dispose();

      const second = await loadHeld('behind-b');
      const disposing = second.ai.dispose();
      const disposedEarly = await Promise.race([disposing.then(() => 'done'), sleep(500)]);
      release();
      await disposing;
      const next = window.airlock.createRuntime({ cache: { name: 'behind-b' } });
      const stored = await next.cache.list();
      const check = await next.cache.verify('silero-vad');
      await next.dispose();
      return {
        probabilities: [first.probability, second.probability],
        listedEarly,
        listedLate,
        disposedEarly,
        stored,
        check,
      };
    });
    for (const p of got.probabilities) expect(p).toBeCloseTo(silence, 5);
    // the first result came while the file's write was held open; the store's answer waited for it
    expect(got.listedEarly).toBe('pending');
    expect(got.disposedEarly).toBe('pending');
    // a session stores its own files: the .onnx, not the NOTICE beside it
    expect(got.listedLate).toMatchObject([{ id: 'silero-vad', bytes: SILERO.size, complete: false }]);
    expect(got.stored).toMatchObject([{ id: 'silero-vad', bytes: SILERO.size }]);
    expect(got.check).toMatchObject({ ok: true, files: [{ path: SILERO.path, ok: true }] });
    const raw = (await page.evaluate(() => window.storeProbe.read('behind-b')))!;
    expect(raw.files.find((f) => f.sha256 === SILERO.sha256)).toMatchObject({ state: 'complete', stored: SILERO.size });
  });

  it('a write refused after the hand-over: the model runs, is not stored, and info() notes why', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async () => {
      const ai = window.airlock.createRuntime({ workerUrl: `${window.testWorkerUrl}?fail-chunk-writes` });
      const vad = await ai.session('silero-vad');
      const out = await vad.run({
        input: { type: 'float32', data: new Float32Array(512), dims: [1, 512] },
        state: { type: 'float32', data: new Float32Array(256), dims: [2, 1, 128] },
        sr: { type: 'int64', data: BigInt64Array.from([16000n]), dims: [] },
      });
      const stored = await ai.cache.list();
      const { notes } = await ai.info();
      await ai.dispose();
      return { probability: (out.output!.data as Float32Array)[0]!, stored, notes };
    });
    expect(got.probability).toBeCloseTo(silence, 5);
    expect(got.stored).toEqual([]);
    const note = got.notes.find((n) => n.startsWith('"silero-vad" was loaded, but could not be stored'));
    expect(note).toContain('(QUOTA_EXCEEDED)');
    expect(note).toContain(`${SILERO.size} bytes needed`);
    // nothing of the file is left behind
    const raw = (await storeOf(page))!;
    expect(raw.files.find((f) => f.sha256 === SILERO.sha256)).toBeUndefined();
  });
});
