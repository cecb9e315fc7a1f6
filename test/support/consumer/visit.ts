// A consumer app's page in Chromium: what it showed, and every request it and its worker made.
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { reference } from '../../../scripts/fixtures/tiny-sentiment.js';
import { RequestRecorder } from '../egress.js';

export const TEXTS = ['great film', 'terrible film'];
export const RUNTIME = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

export interface Visit {
  status: string;
  result: { results: { label: string; score: number }[]; backend: string; noEgress: boolean; requests: number } | null;
  isolated: boolean;
  /** the page's Content-Security-Policy header, if any */
  csp: string | null;
  paths: string[];
  foreign: string[];
  errors: string[];
}

export async function visit(browser: Browser, origin: string): Promise<Visit> {
  const context = await browser.newContext();
  try {
    const recorder = new RequestRecorder(origin);
    await recorder.attach(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => !document.getElementById('status')?.textContent?.startsWith('loading'), null, {
      timeout: 60_000,
    });
    const text = (await page.textContent('#result')) || 'null';
    return {
      status: (await page.textContent('#status')) ?? '',
      result: JSON.parse(text) as Visit['result'],
      isolated: await page.evaluate(() => crossOriginIsolated),
      csp: await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy')),
      paths: recorder.paths(),
      foreign: recorder.foreign().map((r) => r.url),
      errors,
    };
  } finally {
    await context.close();
  }
}

/** The classifier gave the reference labels on WASM, with every request on the page's origin. */
export function expectRanLocally(got: Visit, runtimeBase = '/airlock/ort/'): void {
  expect(got.status).toBe('ready');
  expect(got.result!.results.map((r) => r.label)).toEqual(TEXTS.map((t) => reference(t)[0]!.label));
  got.result!.results.forEach((r, i) => expect(r.score).toBeCloseTo(reference(TEXTS[i]!)[0]!.score, 4));
  expect(got.result!.backend).toBe('wasm');
  // the library's own evidence agrees: every one of its requests stayed on the origin
  expect(got.result!.noEgress).toBe(true);
  expect(got.result!.requests).toBeGreaterThanOrEqual(RUNTIME.length + 1);
  // the headers make the page cross-origin isolated (WASM threads)
  expect(got.isolated).toBe(true);
  // ORT's runtime came from the app's origin at its runtimeBase, and only that pair
  expect(got.paths.filter((p) => /ort-wasm/.test(p)).sort()).toEqual(RUNTIME.map((f) => `${runtimeBase}${f}`));
  expect(got.foreign).toEqual([]);
  expect(got.errors).toEqual([]);
}
