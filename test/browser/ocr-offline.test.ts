// ai.ocr() once stored works with the model origin gone (its dictionary included); the image
// moves to the worker as a transferred ImageBitmap.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.js';
import { flakyModels } from '../support/misbehaving.js';
import { ROOT } from '../support/paths.js';

const flaky = flakyModels();
const browser = useBrowser({ before: [flaky.handler] });
const LABEL = readFileSync(resolve(ROOT, 'test/fixtures/ocr/label.png')).toString('base64');

afterEach(() => flaky.down(false));

describe('ai.ocr() offline and with a transferred bitmap', () => {
  it('reads the label with the origin down once stored; the bitmap is moved, not copied', async () => {
    const { page } = await browser.open();
    const read = () =>
      page.evaluate(
        async ({ b64 }) => {
          const ai = window.airlock.createRuntime({ modelBase: '/flaky/ok/', device: 'wasm' });
          try {
            const ocr = await ai.ocr();
            const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' });
            const bitmap = await createImageBitmap(blob);
            const before = [bitmap.width, bitmap.height];
            const result = await ocr(bitmap);
            const reads = ai.audit
              .events()
              .flatMap((e) => (e.type === 'verification' && e.path === 'ppocr_keys_v1.txt' ? [e.stage] : []));
            return {
              ok: true,
              texts: result.lines.map((l) => l.text),
              before,
              after: [bitmap.width, bitmap.height],
              reads,
            };
          } catch (e) {
            return { ok: false, code: (e as { code: string }).code, message: String(e) };
          } finally {
            await ai.dispose();
          }
        },
        { b64: LABEL },
      );
    const online = await read();
    expect(online).toMatchObject({ ok: true, texts: ['Aisle 7 Bakery'], before: [256, 64], after: [0, 0] });
    expect(online.reads).toEqual(['download', 'read']);
    flaky.down(true);
    const offline = await read();
    expect(offline).toMatchObject({ ok: true, texts: ['Aisle 7 Bakery'], after: [0, 0], reads: ['read'] });
  });
});
