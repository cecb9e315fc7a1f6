// The store under a small quota (set over DevTools): it makes room by evicting least-recently-used
// models nobody has loaded, refuses with QUOTA_EXCEEDED (needed and available bytes) when it cannot,
// and rolls a file back when the browser refuses a write halfway.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIG_GATHER_ID, writeBigGather } from '../../../scripts/fixtures/big-gather.js';
import { writeManifest } from '../../../src/node/manifest-writer.js';
import type { Manifest } from '../../../src/manifest/types.js';
import { useBrowser } from '../../support/browser.js';
import { flakyModels } from '../../support/misbehaving.js';
import { storeOf } from '../../support/model-store.js';
import { failure, type Outcome } from '../../support/outcome.js';
import { MODELS_DIR } from '../../support/paths.js';

const MiB = 2 ** 20;
const root = mkdtempSync(join(tmpdir(), 'airlock-quota-'));
const sizeOf = (id: string) =>
  (JSON.parse(readFileSync(join(root, id, 'manifest.json'), 'utf8')) as Manifest).files.reduce((n, f) => n + f.size, 0);
let SILERO = 0;
let GATHER = 0;

// the model tree is written before the server starts (this hook is registered before the harness's)
beforeAll(async () => {
  cpSync(join(MODELS_DIR, 'silero-vad'), join(root, 'silero-vad'), { recursive: true });
  cpSync(join(MODELS_DIR, 'tiny-sentiment'), join(root, 'tiny-sentiment'), { recursive: true });
  await writeBigGather(root, 2);
  // models of noise: the browser compresses what it stores, and noise is what it cannot shrink
  for (const id of ['noise-a', 'noise-b']) {
    mkdirSync(join(root, id));
    writeFileSync(join(root, id, 'weights.bin'), randomBytes(2 * 2 ** 20));
    await writeManifest(join(root, id), {
      id,
      task: 'raw',
      source: 'random bytes written by the quota test',
      license: 'MIT',
    });
  }
  SILERO = sizeOf('silero-vad');
  GATHER = sizeOf(BIG_GATHER_ID);
});

const flaky = flakyModels(root);
const browser = useBrowser({ before: [flaky.handler] });
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => flaky.reset());

/** Shrinks the origin's quota (what Chromium enforces on writes; its estimate() does not show it). */
async function shrinkQuota(page: Page, quotaSize: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: browser.origin, quotaSize });
  const { overrideActive } = await cdp.send('Storage.getUsageAndQuota', { origin: browser.origin });
  expect(overrideActive).toBe(true);
}

describe('the model store under a small quota', () => {
  it('under a byte budget: evicts the least recently used model not in use, and refuses when nothing can go', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(
      async ({ gather, maxBytes }) => {
        const outcome = window.settle;
        const ai = window.airlock.createRuntime({ modelBase: '/flaky/ok/', cache: { maxBytes } });
        const ids = async () => (await ai.cache.list()).map((m) => m.id);
        const steps: Record<string, unknown> = {};
        steps.silero = await outcome(ai.cache.prefetch('silero-vad'));
        steps.afterSilero = await ids();
        // no room for both: silero, used least recently and loaded nowhere, makes way
        steps.gather = await outcome(ai.cache.prefetch(gather));
        steps.afterGather = await ids();
        // now the gather model is loaded (in use): it may not be evicted for silero
        const session = await ai.session(gather);
        steps.sileroWhileInUse = await outcome(ai.cache.prefetch('silero-vad'));
        steps.afterRefusal = await ids();
        await session.unload();
        // with eviction switched off, the same request is refused outright
        const strict = window.airlock.createRuntime({ modelBase: '/flaky/ok/', cache: { maxBytes, evict: false } });
        steps.strict = await outcome(strict.cache.prefetch('silero-vad'));
        steps.afterStrict = await ids();
        // unloaded again, it can go
        steps.sileroAfterUnload = await outcome(ai.cache.prefetch('silero-vad'));
        steps.afterAll = await ids();
        await strict.dispose();
        await ai.dispose();
        return steps;
      },
      { gather: BIG_GATHER_ID, maxBytes: Math.floor(SILERO + 1.2 * MiB) },
    );

    expect(got.silero).toMatchObject({ ok: true, value: { modelId: 'silero-vad', bytes: SILERO, evicted: [] } });
    expect(got.afterSilero).toEqual(['silero-vad']);
    expect(got.gather).toMatchObject({
      ok: true,
      value: {
        modelId: BIG_GATHER_ID,
        bytes: GATHER,
        evicted: [{ id: 'silero-vad', modelBase: `${browser.origin}/flaky/ok/`, bytes: SILERO }],
      },
    });
    expect(got.afterGather).toEqual([BIG_GATHER_ID]);
    const refused = failure(got.sileroWhileInUse as Outcome, 'silero while the gather model is in use');
    expect(refused).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      details: { needed: SILERO, available: Math.floor(SILERO + 1.2 * MiB) - GATHER },
    });
    // the message names the model it could not store
    expect(refused.message).toContain('"silero-vad"');
    expect(got.afterRefusal).toEqual([BIG_GATHER_ID]);
    expect(got.strict).toMatchObject({ ok: false, code: 'QUOTA_EXCEEDED', details: { needed: SILERO } });
    expect(got.afterStrict).toEqual([BIG_GATHER_ID]);
    expect(got.sileroAfterUnload).toMatchObject({
      ok: true,
      value: { evicted: [{ id: BIG_GATHER_ID, bytes: GATHER }] },
    });
    expect(got.afterAll).toEqual(['silero-vad']);
    // nothing but the last model's files is left
    const store = (await storeOf(page))!;
    expect(store.files.map((f) => f.size).reduce((a, b) => a + b, 0)).toBe(SILERO);
    expect(store.orphanChunks).toBe(0);
  });

  it("records the evictions made while a load reads the model's config.json first", async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(
      async ({ maxBytes }) => {
        const ai = window.airlock.createRuntime({ modelBase: '/flaky/ok/', cache: { maxBytes } });
        await ai.cache.prefetch('silero-vad');
        // no room left but a few bytes: the config.json that plans the files already needs silero's
        const prefetched = await ai.cache.prefetch('tiny-sentiment', { dtype: 'fp32' });
        const evictions = ai.audit.events().filter((e) => e.type === 'eviction');
        const stored = (await ai.cache.list()).map((m) => m.id);
        await ai.dispose();
        return { evicted: prefetched.evicted, evictions, stored };
      },
      { maxBytes: SILERO + 16 },
    );
    const silero = { id: 'silero-vad', modelBase: `${browser.origin}/flaky/ok/`, bytes: SILERO };
    expect(got.evicted).toMatchObject([silero]);
    expect(got.evicted).toHaveLength(1);
    expect(got.evictions).toMatchObject([
      { type: 'eviction', modelId: 'silero-vad', bytes: SILERO, forModel: 'tiny-sentiment' },
    ]);
    expect(got.stored).toEqual(['tiny-sentiment']);
  });

  it('under the browser quota: a refused write rolls the file back, evicts, and retries; with nothing to evict it fails', async () => {
    const { page } = await browser.open();
    await shrinkQuota(page, 3 * MiB);
    const got = await page.evaluate(async () => {
      const outcome = window.settle;
      // small chunks: many writes, so the browser sees the quota fill up while one file arrives
      const ai = window.airlock.createRuntime({ modelBase: '/flaky/ok/', cache: { chunkBytes: 262144 } });
      const strict = window.airlock.createRuntime({
        modelBase: '/flaky/ok/',
        cache: { chunkBytes: 262144, evict: false },
      });
      const ids = async () => (await ai.cache.list()).map((m) => m.id);
      const steps: Record<string, unknown> = {};
      steps.a = await outcome(ai.cache.prefetch('noise-a'));
      steps.b = await outcome(ai.cache.prefetch('noise-b'));
      steps.afterB = await ids();
      steps.strict = await outcome(strict.cache.prefetch('noise-a'));
      steps.afterStrict = await ids();
      await strict.dispose();
      await ai.dispose();
      return steps;
    });
    const NOISE = 2 * MiB;
    expect(got.a).toMatchObject({ ok: true, value: { evicted: [] } });
    // the browser's estimate showed room; it refused a write; noise-a made way
    expect(got.b).toMatchObject({
      ok: true,
      value: { modelId: 'noise-b', evicted: [{ id: 'noise-a', bytes: NOISE }] },
    });
    expect(got.afterB).toEqual(['noise-b']);
    const refused = failure(got.strict as Outcome, 'noise-a with eviction off');
    expect(refused).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      details: { path: 'weights.bin', needed: NOISE, available: expect.any(Number) as number },
    });
    // the message names the file and the model
    expect(refused.message).toContain('weights.bin');
    expect(refused.message).toContain('"noise-a"');
    expect(got.afterStrict).toEqual(['noise-b']);
    // nothing of the refused file stays: no record, no chunk
    const store = (await storeOf(page))!;
    expect(store.files.map((f) => f.size)).toEqual([NOISE]);
    expect(store.files.every((f) => f.state === 'complete' && f.digest === f.sha256)).toBe(true);
    expect(store.orphanChunks).toBe(0);
  });
});
