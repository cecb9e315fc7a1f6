// A file request that never gets its response headers: the load gives up after
// `cache.headerTimeoutMs` with NETWORK, lets go of the file's lock (so another page waiting for
// the file gets it), keeps what was stored, and the next load resumes after it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { referenceGenerate } from '../../../scripts/fixtures/tiny-lm.js';
import type { Manifest } from '../../../src/manifest/types.js';
import { openAnother, useBrowser } from '../../support/browser.js';
import { flakyModels } from '../../support/misbehaving.js';
import { storedFile } from '../../support/model-store.js';
import { anyMessage, type Outcome } from '../../support/outcome.js';
import { MODELS_DIR } from '../../support/paths.js';

const flaky = flakyModels();
const browser = useBrowser({ before: [flaky.handler] });
const PROMPT = 'Once upon a time there was a robot';
const STORY = PROMPT + referenceGenerate(PROMPT);
const manifest = JSON.parse(readFileSync(join(MODELS_DIR, 'tiny-lm/manifest.json'), 'utf8')) as Manifest;
const onnx = manifest.files.find((f) => f.path === 'onnx/model.onnx')!;
/** longer than any load here should take once it gives up; before the fix a load hung past it */
const GUARD_MS = 20_000;

interface Loaded {
  /** the text, or the error; 'hung' when it did not settle within GUARD_MS */
  out: Outcome | 'hung';
  /** the store's file and pin locks still held in the origin a moment (at most 1 s) after the call settled */
  held: string[];
  ms: number;
}

/** In the page: loads tiny-lm from `base` and generates; gives up waiting after GUARD_MS ('hung'). */
function generateFrom(page: Page, base: string, headerTimeoutMs?: number): Promise<Loaded> {
  return page.evaluate(
    async ({ base, prompt, headerTimeoutMs, guardMs }) => {
      const ai = window.airlock.createRuntime({
        modelBase: base,
        cache: { chunkBytes: 1024, ...(headerTimeoutMs && { headerTimeoutMs }) },
      });
      const started = performance.now();
      const storeLocks = async () =>
        ((await navigator.locks.query()).held ?? []).map((l) => l.name!).filter((n) => /:(file|pin):/.test(n));
      const run = window.settle(
        ai
          .pipeline('text-generation', 'tiny-lm')
          .then(async (generate) => ((await generate(prompt)) as { generated_text: string }[])[0]!.generated_text),
      );
      const guard = new Promise<'hung'>((done) => setTimeout(() => done('hung'), guardMs));
      const out = await Promise.race([run, guard]);
      const ms = performance.now() - started;
      // a failed load lets go of its pins as its error travels to the page: give that a moment
      let held = await storeLocks();
      for (let i = 0; i < 50 && held.length > 0; i++)
        held = await new Promise<string[]>((done) => setTimeout(() => void storeLocks().then(done), 20));
      const result = { out, held, ms };
      await ai.dispose();
      return result;
    },
    { base, prompt: PROMPT, headerTimeoutMs, guardMs: GUARD_MS },
  );
}

beforeEach(() => {
  flaky.reset();
  flaky.down(false);
});

describe('a file request that never gets response headers', () => {
  it('ends the load with NETWORK after the header timeout, releases the lock, keeps the prefix, and the next load resumes', async () => {
    const { page } = await browser.open();
    // a prefix to resume from: every other file arrives, the model file keeps being cut
    expect((await generateFrom(page, '/flaky/cutalways3000/')).out).toMatchObject({ ok: false, code: 'NETWORK' });
    const prefix = (await storedFile(page, onnx.sha256))!;
    expect(prefix.state).toBe('partial');
    expect(prefix.stored).toBeGreaterThan(0);

    flaky.reset();
    const hung = await generateFrom(page, '/flaky/noheaders/', 1000);
    expect(hung.out).toEqual({
      ok: false,
      code: 'NETWORK',
      message: anyMessage,
      details: { url: `${browser.origin}/flaky/noheaders/tiny-lm/onnx/model.onnx`, timeoutMs: 1000 },
    });
    // retried as a broken connection is, each time asking for the rest after the prefix
    expect(flaky.requests.filter((r) => r.url.endsWith('.onnx')).map((r) => [r.range, r.status])).toEqual(
      Array(3).fill([`bytes=${prefix.stored}-`, 0]),
    );
    // three timeouts and the two pauses between tries (250 ms, 1 s), not much more
    expect(hung.ms).toBeGreaterThan(3 * 1000 + 1250);
    expect(hung.ms).toBeLessThan(10_000);
    // no file lock or pin left behind in the origin, and what was stored is untouched
    expect(hung.held).toEqual([]);
    expect(await storedFile(page, onnx.sha256)).toEqual(prefix);

    flaky.reset();
    const resumed = await generateFrom(page, '/flaky/ok/');
    expect(resumed.out).toEqual({ ok: true, value: STORY });
    expect(flaky.requests.filter((r) => r.url.endsWith('.onnx')).map((r) => r.range)).toEqual([
      `bytes=${prefix.stored}-`,
    ]);
    expect(await storedFile(page, onnx.sha256)).toMatchObject({
      state: 'complete',
      stored: onnx.size,
      digest: onnx.sha256,
    });
  });

  it('lets another page that waits for the same file have it once the stuck request gives up', async () => {
    const { page, context } = await browser.open();
    const second = await openAnother(context, browser.origin);
    const first = manifest.files[0]!;
    const stuck = generateFrom(page, '/flaky/noheaders/', 1500);
    // the second page starts once the first holds the first file's lock (its request is out)
    await expect
      .poll(() => flaky.requests.some((r) => r.url.includes('/noheaders/')), { timeout: 30_000, interval: 20 })
      .toBe(true);
    const waiting = generateFrom(second, '/flaky/ok/');
    const [a, b] = await Promise.all([stuck, waiting]);
    expect(a.out).toEqual({
      ok: false,
      code: 'NETWORK',
      message: anyMessage,
      details: { url: `${browser.origin}/flaky/noheaders/tiny-lm/${first.path}`, timeoutMs: 1500 },
    });
    expect(b.out).toEqual({ ok: true, value: STORY });
    // the second page asked for the file only after the first had given up on it: one download at a time
    const forFirst = flaky.requests
      .filter((r) => r.url.endsWith(`/tiny-lm/${first.path}`))
      .map((r) => r.url.split('/')[2]);
    expect(forFirst).toEqual(['noheaders', 'noheaders', 'noheaders', 'ok']);
    expect(await storedFile(second, first.sha256)).toMatchObject({ state: 'complete', digest: first.sha256 });
  });
});
