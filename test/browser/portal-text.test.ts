// The portal's text page, used as a person would, under the strict CSP: the story's greedy text
// against the tiny-lm reference, Stop, sentiment against its reference, and search ranked as the
// reference embeddings rank the documents.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { referenceGenerate } from '../../scripts/fixtures/tiny-lm.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { reference as embedReference } from '../../scripts/fixtures/tiny-embed.js';
import { DOCUMENTS } from '../../examples/portal/documents.js';
import { STRICT_CSP } from '../../src/node/serve/headers.js';
import { useBrowser } from '../support/browser.js';
import { MODELS_DIR, PORTAL_BUILD } from '../support/paths.js';
import type { Manifest } from '../../src/manifest/types.js';
import { overflowsSideways, portalShots } from '../support/portal-shots.js';

const browser = useBrowser({ appDir: PORTAL_BUILD, csp: STRICT_CSP });

/** The documents by cosine similarity to `query`, as the reference encoder computes them. */
function referenceRanking(query: string): { id: string; score: number }[] {
  const q = embedReference(query);
  return DOCUMENTS.map((d) => ({
    id: d.id,
    score: embedReference(d.text).reduce((n, x, i) => n + x * q[i]!, 0),
  })).sort((a, b) => b.score - a.score);
}

async function search(page: Page, query: string): Promise<{ id: string; score: number }[]> {
  await page.fill('#search-query', query);
  await page.click('#search-run');
  await page.waitForSelector(`#search-out[data-query="${query}"]`);
  return page.$$eval('#search-out li', (lis) =>
    lis.map((li) => ({ id: li.getAttribute('data-doc')!, score: Number(li.getAttribute('data-score')) })),
  );
}

describe(`portal text page (${browser.mode})`, () => {
  it('tells the reference story, stops it early, classifies and searches, each on the expected backend', async () => {
    const { page, errors } = await browser.open('/text.html');
    expect(await page.textContent('#status')).toBe('ready');
    // each model's bar went to its download's byte total: every file of its manifest
    for (const [card, id] of [
      ['story', 'tiny-lm'],
      ['sentiment', 'tiny-sentiment'],
      ['search', 'tiny-embed'],
    ]) {
      const manifest = JSON.parse(await readFile(join(MODELS_DIR, id!, 'manifest.json'), 'utf8')) as Manifest;
      const bytes = manifest.files.reduce((n, f) => n + f.size, 0);
      const bar = await page.$eval(`#${card}-progress`, (e) => ({ ...(e as HTMLElement).dataset }));
      expect(bar, id).toEqual({ loaded: String(bytes), total: String(bytes) });
    }
    expect(await page.$$eval('.demo-note', (ps) => ps.map((p) => (p as HTMLElement).innerText))).toEqual(
      Array(3).fill(
        expect.stringMatching(/^A demonstration model.* Mirror a real one .*with airlock pull <org>\/<name>\.$/),
      ),
    );

    const prompt = 'Once upon a time there was a cat';
    await page.fill('#story-prompt', prompt);
    await page.click('#story-run');
    await page.waitForSelector('#story-out[data-state=done]');
    const story = referenceGenerate(prompt, 64);
    expect(await page.textContent('#story-out')).toBe(prompt + story);
    expect(await page.getAttribute('#story-meta', 'data-backend')).toBe(browser.expectedBackend);

    // the whole story takes milliseconds: the page clicks Stop itself as the first word lands
    await page.evaluate((p) => {
      const out = document.getElementById('story-out')!;
      const stop = document.getElementById('story-stop')!;
      const seen = new MutationObserver(() => {
        if (out.dataset.state !== 'running' || !out.textContent.slice(p.length).trim()) return;
        seen.disconnect();
        stop.click();
      });
      seen.observe(out, { childList: true, characterData: true, subtree: true });
    }, prompt);
    await page.click('#story-run');
    await page.waitForSelector('#story-out[data-state=stopped]');
    const stopped = (await page.textContent('#story-out'))!.slice(prompt.length);
    console.log(`${browser.mode}: stopped after ${JSON.stringify(stopped)} of ${JSON.stringify(story)}`);
    expect(stopped.trim().length).toBeGreaterThan(0);
    expect(stopped.length).toBeLessThan(story.length);
    expect(story.startsWith(stopped)).toBe(true);
    expect(await page.textContent('#story-meta')).toMatch(/ · stopped before the end$/);
    // and the next story runs to its end again
    await page.click('#story-run');
    await page.waitForSelector('#story-out[data-state=done]');
    expect(await page.textContent('#story-out')).toBe(prompt + story);

    const text = 'What a wonderful film, great acting!';
    await page.fill('#sentiment-text', text);
    await page.click('#sentiment-run');
    await page.waitForSelector('#sentiment-out[data-label]');
    const want = sentimentReference(text);
    expect(await page.getAttribute('#sentiment-out', 'data-label')).toBe(want[0]!.label);
    expect(Number(await page.getAttribute('#sentiment-out', 'data-score'))).toBeCloseTo(want[0]!.score, 5);
    expect(await page.textContent('#sentiment-out')).toContain(want[0]!.score.toFixed(4));
    expect(await page.getAttribute('#sentiment-meta', 'data-backend')).toBe(browser.expectedBackend);

    const expected = {
      'great acting': 'review-gala',
      'boring plot': 'review-sequel',
      rain: 'forecast-tuesday',
      sun: 'forecast-monday',
    };
    for (const [query, first] of Object.entries(expected)) {
      const got = await search(page, query);
      const ref = referenceRanking(query);
      expect(got[0]!.id, query).toBe(first);
      expect(
        got.slice(0, 3).map((r) => r.id),
        query,
      ).toEqual(ref.slice(0, 3).map((r) => r.id));
      got.forEach((r) => expect(r.score, `${query}: ${r.id}`).toBeCloseTo(ref.find((x) => x.id === r.id)!.score, 4));
    }
    expect(await page.getAttribute('#search-meta', 'data-backend')).toBe(browser.expectedBackend);
    expect(await page.textContent('#search-meta')).toMatch(
      new RegExp(`^ran on ${browser.expectedBackend === 'webgpu' ? 'WebGPU' : 'WASM \\(CPU\\)'} in \\d+ ms$`),
    );

    await portalShots(page, `portal-text-${browser.mode}`);
    expect(await overflowsSideways(page)).toBe(false);
    expect(errors).toEqual([]);
  });
});
