// Bad image inputs get typed errors with their reason, and the runtime stays healthy: each bad
// call is followed by a good one on the same handle that must give the reference answer. A
// foreign image URL is refused before any request, with a denial on the record.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Handler } from '../../src/node/serve/server.js';
import { referenceClassify, sampleImage, SIDE } from '../../scripts/fixtures/tiny-vision.js';
import { VISION_REFERENCE } from '../../scripts/write-vision-reference.js';
import { useBrowser } from '../support/browser.js';
import { maxAbsDiff } from '../support/ort-reference.js';
import { naming, type Outcome } from '../support/outcome.js';
import { claimedPng, encodePng } from '../support/png.js';

const red = encodePng(sampleImage('red'), SIDE, SIDE);
const huge = claimedPng(20_000, 20_000);
// a valid header over pixel data that is not a deflate stream of them
const broken = Buffer.concat([red.subarray(0, 33), claimedPng(SIDE, SIDE).subarray(33, 50), Buffer.alloc(40, 7)]);
const served: Record<string, Buffer> = {
  '/test-images/red.png': red,
  '/test-images/huge.png': huge,
  '/test-images/broken.png': broken,
  '/test-images/text.png': Buffer.from('<html>not an image</html>'),
};
const images: Handler = (req, res, next) => {
  if (req.url === '/test-images/endless.png') {
    // a 20000x20000 header, then a body that never ends: only a check of the first bytes answers
    res.writeHead(200, { 'content-type': 'image/png' });
    res.write(huge.subarray(0, 33));
    const timer = setInterval(() => res.write(Buffer.alloc(1024)), 50);
    res.on('close', () => clearInterval(timer));
    return;
  }
  const body = served[req.url ?? ''];
  if (!body) return next();
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length });
  res.end(body);
};
const browser = useBrowser({ before: [images] });

interface Case {
  bad: Outcome;
  then: unknown;
}

describe(`bad image inputs (${browser.mode})`, () => {
  it('each bad image is refused with its reason, the next call still gives the reference answer', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(
      async ({ red, huge, broken, side }) => {
        const ai = window.airlock.createRuntime();
        const classify = await ai.pipeline('image-classification', 'tiny-vision');
        const blob = (bytes: number[], type = 'image/png') => new Blob([Uint8Array.from(bytes)], { type });
        const good = () => classify(blob(red), { top_k: 4 });
        const closed = await createImageBitmap(blob(red));
        closed.close();
        const emptyCanvas = document.createElement('canvas');
        emptyCanvas.width = 0;
        const bigCanvas = document.createElement('canvas');
        bigCanvas.width = bigCanvas.height = 8000; // 64 megapixels, never drawn
        const brokenImg = new Image();
        brokenImg.src = '/test-images/no-such.png';
        const cases: Record<string, () => Promise<unknown>> = {
          'not decodable Blob': () => classify(blob(broken)),
          'not an image format': () => classify(blob([...new TextEncoder().encode('hello')], 'text/plain')),
          'empty Blob': () => classify(new Blob([])),
          'zero-size PNG header': () =>
            classify(blob(huge.slice(0, 16).concat([0, 0, 0, 0, 0, 0, 0, 16], huge.slice(24)))),
          'empty canvas': () => classify(emptyCanvas),
          'empty OffscreenCanvas': () => classify(new OffscreenCanvas(0, 0)),
          'closed ImageBitmap': () => classify(closed),
          'canvas over the limit': () => classify(bigCanvas),
          'broken <img>': () => classify(brokenImg),
          'not an image': () => classify(42),
          'empty list': () => classify([]),
          'URL over the limit': () => classify('/test-images/huge.png'),
          'URL over the limit, endless body': () => classify('/test-images/endless.png'),
          'URL not decodable': () => classify('/test-images/broken.png'),
          'URL not an image': () => classify('/test-images/text.png'),
          'URL missing': () => classify('/test-images/no-such.png'),
          'foreign URL': () => classify('http://elsewhere.example/cat.png'),
        };
        const results: Record<string, { bad: Outcome; then: unknown }> = {};
        for (const [name, call] of Object.entries(cases))
          results[name] = { bad: await window.settle(call()), then: await good() };
        // refused before decoding: the time of the whole call, from the page, median of 5
        let hugeBlob: Outcome | undefined;
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          const started = performance.now();
          hugeBlob = await window.settle(classify(blob(huge)));
          times.push(performance.now() - started);
        }
        const hugeMs = times.sort((a, b) => a - b)[2]!;
        results['20000x20000 PNG'] = { bad: hugeBlob!, then: await good() };
        const denials = (await ai.audit.export()).denials;
        await ai.dispose();
        // the limit is an option: lowered under a 16x16 image here
        const strict = window.airlock.createRuntime({ maxImagePixels: side * side - 1 });
        const strictClassify = await strict.pipeline('image-classification', 'tiny-vision');
        const lowered = await window.settle(strictClassify(blob(red)));
        const loweredUrl = await window.settle(strictClassify('/test-images/red.png'));
        await strict.dispose();
        const badOption = await window.settle(
          Promise.resolve().then(() => window.airlock.createRuntime({ maxImagePixels: 0 })),
        );
        return { results, hugeMs, denials, lowered, loweredUrl, badOption };
      },
      { red: [...red], huge: [...huge], broken: [...broken], side: SIDE },
    );

    const reasons = Object.fromEntries(
      Object.entries(got.results as Record<string, Case>).map(([name, c]) => [
        name,
        c.bad.ok ? 'ok' : `${c.bad.code} ${(c.bad.details?.reason as string | undefined) ?? ''}`.trim(),
      ]),
    );
    expect(reasons).toEqual({
      'not decodable Blob': 'BAD_INPUT not-decodable',
      'not an image format': 'BAD_INPUT unknown-format',
      'empty Blob': 'BAD_INPUT unknown-format',
      'zero-size PNG header': 'BAD_INPUT empty',
      'empty canvas': 'BAD_INPUT empty',
      'empty OffscreenCanvas': 'BAD_INPUT empty',
      'closed ImageBitmap': 'BAD_INPUT empty',
      'canvas over the limit': 'BAD_INPUT too-large',
      'broken <img>': 'BAD_INPUT not-decodable',
      'not an image': 'BAD_INPUT not-an-image',
      'empty list': 'BAD_INPUT empty',
      'URL over the limit': 'BAD_INPUT too-large',
      'URL over the limit, endless body': 'BAD_INPUT too-large',
      'URL not decodable': 'BAD_INPUT not-decodable',
      'URL not an image': 'BAD_INPUT unknown-format',
      'URL missing': 'NETWORK',
      'foreign URL': 'EGRESS_BLOCKED',
      '20000x20000 PNG': 'BAD_INPUT too-large',
    });
    const committed = JSON.parse(readFileSync(VISION_REFERENCE, 'utf8')) as { logits: Record<string, number[]> };
    const want = referenceClassify(committed.logits.red!);
    for (const [name, c] of Object.entries(got.results as Record<string, Case>)) {
      const then = c.then as { label: string; score: number }[];
      expect(
        then.map((t) => t.label),
        `after ${name}`,
      ).toEqual(want.map((w) => w.label));
      expect(
        maxAbsDiff(
          then.map((t) => t.score),
          want.map((w) => w.score),
        ),
      ).toBeLessThan(1e-4);
    }

    const hugeBad = (got.results as Record<string, Case>)['20000x20000 PNG']!.bad;
    expect(hugeBad.ok).toBe(false);
    if (!hugeBad.ok) {
      expect(hugeBad.details).toEqual({
        reason: 'too-large',
        width: 20_000,
        height: 20_000,
        pixels: 400_000_000,
        limit: 50_000_000,
      });
      expect(hugeBad.message).toEqual(naming('20000x20000'));
      expect(hugeBad.message).toEqual(naming('50000000 pixels (maxImagePixels)'));
    }
    // a decode of 400 megapixels would take seconds and 1.6 GB; the header check takes a few ms
    console.log(`20000x20000 PNG refused in ${got.hugeMs.toFixed(1)} ms (median of 5, whole call from the page)`);
    expect(got.hugeMs).toBeLessThan(500);
    const urlHuge = (got.results as Record<string, Case>)['URL over the limit']!.bad;
    if (!urlHuge.ok) expect(urlHuge.message).toEqual(naming('/test-images/huge.png'));
    const canvasBig = (got.results as Record<string, Case>)['canvas over the limit']!.bad;
    if (!canvasBig.ok) expect(canvasBig.details).toMatchObject({ width: 8000, height: 8000, limit: 50_000_000 });
    const foreign = (got.results as Record<string, Case>)['foreign URL']!.bad;
    if (!foreign.ok) expect(foreign.details).toMatchObject({ url: 'http://elsewhere.example/cat.png' });
    expect(got.denials).toEqual([
      expect.objectContaining({ url: 'http://elsewhere.example/cat.png', reason: naming('not in the policy') }),
    ]);

    for (const lowered of [got.lowered, got.loweredUrl]) {
      expect(lowered.ok).toBe(false);
      if (!lowered.ok) {
        expect(lowered.code).toBe('BAD_INPUT');
        expect(lowered.details).toMatchObject({ reason: 'too-large', pixels: SIDE * SIDE, limit: SIDE * SIDE - 1 });
      }
    }
    expect(got.badOption).toMatchObject({ ok: false, code: 'BAD_INPUT', details: { option: 'maxImagePixels' } });
  });
});
