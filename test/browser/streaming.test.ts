// Streaming generation, aborting it, and typed load progress.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceGenerate } from '../../scripts/fixtures/tiny-lm.js';
import { useBrowser } from '../support/browser.js';
import { MODELS_DIR } from '../support/paths.js';

const browser = useBrowser();

describe(`streaming and progress (${browser.mode})`, () => {
  it('streams the greedy continuation in order, piece by piece, and completely', async () => {
    const { page } = await browser.open();
    const prompt = 'Once upon a time there was a cat';
    const got = await page.evaluate(async (prompt) => {
      const ai = window.airlock.createRuntime();
      const generate = await ai.pipeline('text-generation', 'tiny-lm');
      const pieces: { text: string; at: number }[] = [];
      const t0 = performance.now();
      for await (const text of generate.stream(prompt, { maxNewTokens: 32 }))
        pieces.push({ text, at: performance.now() - t0 });
      // on a long generation, the first piece arrives long before the end: pieces are not held back
      let first = -1;
      const t1 = performance.now();
      for await (const text of generate.stream(prompt, { maxNewTokens: 200, minNewTokens: 200 }))
        if (first < 0 && text) first = performance.now() - t1;
      const whole = performance.now() - t1;
      // a second stream on the same model works after the first completed
      let again = '';
      for await (const text of generate.stream('Once upon a time there was a robot', { maxNewTokens: 32 }))
        again += text;
      await ai.dispose();
      return { pieces, again, first, whole };
    }, prompt);
    const want = referenceGenerate(prompt);
    expect(got.pieces.map((p) => p.text).join('')).toBe(want);
    // the streamer emits each word once it is complete: several pieces, in time order
    expect(got.pieces.length).toBeGreaterThanOrEqual(want.trim().split(' ').length - 1);
    expect(got.first).toBeGreaterThanOrEqual(0);
    expect(got.first).toBeLessThan(got.whole / 4);
    expect(got.again).toBe(referenceGenerate('Once upon a time there was a robot'));
  });

  it('an abort stops generation in the worker within a token, rejects with ABORTED, and the next call works', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async () => {
      const ai = window.airlock.createRuntime();
      const generate = await ai.pipeline('text-generation', 'tiny-lm');
      const controller = new AbortController();
      const pieces: string[] = [];
      let piecesAtAbort = 0;
      let abortedAt = 0;
      let error: { code?: string; tokens?: unknown; afterMs: number } | undefined;
      try {
        // min_new_tokens keeps it from stopping at the end of the story: a long generation
        for await (const text of generate.stream('Once upon a time there was a robot', {
          maxNewTokens: 400,
          minNewTokens: 400,
          signal: controller.signal,
        })) {
          pieces.push(text);
          if (pieces.length === 3) {
            piecesAtAbort = pieces.length;
            abortedAt = performance.now();
            controller.abort();
          }
        }
      } catch (e) {
        const err = e as { code?: string; details?: { tokens?: unknown } };
        error = { code: err.code, tokens: err.details?.tokens, afterMs: performance.now() - abortedAt };
      }
      const after = (await generate('Once upon a time there was a cat', { maxNewTokens: 32 })) as {
        generated_text: string;
      }[];
      // a non-streaming call aborts too
      const c2 = new AbortController();
      const pending = generate('Once upon a time there was a cat', {
        maxNewTokens: 400,
        minNewTokens: 400,
        signal: c2.signal,
      });
      setTimeout(() => c2.abort(), 50);
      const second = await pending.then(
        () => 'finished',
        (e: { code?: string }) => e.code,
      );
      await ai.dispose();
      return { error, piecesAtAbort, piecesTotal: pieces.length, after: after[0]!.generated_text, second };
    });
    console.log(
      `${browser.mode}: abort after ${got.piecesAtAbort} pieces; the worker generated ${String(got.error?.tokens)} tokens; rejected ${got.error?.afterMs.toFixed(0)} ms after the abort`,
    );
    expect(got.error?.code).toBe('ABORTED');
    // the loop ends at the abort: no piece is handed out after it
    expect(got.piecesAtAbort).toBe(3);
    expect(got.piecesTotal).toBe(3);
    // the worker stopped within a token of hearing of it: a handful of tokens, not 400
    expect(got.error?.tokens).toEqual(expect.any(Number));
    expect(got.error?.tokens as number).toBeLessThan(30);
    expect(got.error?.afterMs).toBeLessThan(2000);
    expect(got.after).toBe('Once upon a time there was a cat' + referenceGenerate('Once upon a time there was a cat'));
    expect(got.second).toBe('ABORTED');
  });

  it('reports typed load progress: phases in order, bytes per file and in total', async () => {
    const { page } = await browser.open();
    const events = await page.evaluate(async () => {
      const ai = window.airlock.createRuntime();
      const seen: unknown[] = [];
      await ai.pipeline('text-classification', 'tiny-sentiment', { onProgress: (p) => seen.push(p) });
      await ai.dispose();
      return seen as {
        modelId: string;
        phase: string;
        file?: string;
        fileLoaded?: number;
        fileTotal?: number;
        loaded: number;
        total: number;
      }[];
    });
    const manifest = JSON.parse(await readFile(join(MODELS_DIR, 'tiny-sentiment/manifest.json'), 'utf8')) as {
      files: { path: string; size: number }[];
    };
    const total = manifest.files.reduce((n, f) => n + f.size, 0);
    const phases = events.map((e) => e.phase).filter((p, i, all) => p !== all[i - 1]);
    expect(phases[0]).toBe('manifest');
    expect(phases.slice(-2)).toEqual(['compile', 'ready']);
    expect(new Set(phases)).toEqual(new Set(['manifest', 'download', 'verify', 'compile', 'ready']));
    expect(events.every((e) => e.modelId === 'tiny-sentiment')).toBe(true);
    const bytes = events.filter((e) => e.phase !== 'manifest');
    bytes.slice(1).forEach((e, i) => expect(e.loaded).toBeGreaterThanOrEqual(bytes[i]!.loaded));
    expect(bytes.every((e) => e.total === total)).toBe(true);
    expect(events.at(-1)).toMatchObject({ phase: 'ready', loaded: total, total });
    for (const f of manifest.files) {
      const verified = events.find((e) => e.phase === 'verify' && e.file === f.path);
      expect(verified, f.path).toMatchObject({ fileLoaded: f.size, fileTotal: f.size });
    }
  });
});
