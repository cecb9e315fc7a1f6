// `airlock evidence` on what a real runtime did: a classifier loads and runs on WASM from the
// test server, its evidence is exported, and the report made from that export, the server's
// access log and the models tree lists exactly the requests the browser made. The report is then
// opened in Chromium (with no network: every request it tried would be a foreign one) and
// screenshotted at a desktop and a phone width into test-results/.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { main } from '../../src/cli/main.js';
import type { Manifest } from '../../src/manifest/index.js';
import type { EvidenceReport } from '../../src/node/evidence/types.js';
import { useBrowser } from '../support/browser.js';
import { MODELS_DIR, RESULTS_DIR } from '../support/paths.js';

const work = mkdtempSync(join(tmpdir(), 'airlock-evidence-report-'));
const ACCESS_LOG = join(work, 'access.log');
const browser = useBrowser({ accessLog: ACCESS_LOG });
const TEXT = 'great film';

const manifest = JSON.parse(readFileSync(join(MODELS_DIR, 'tiny-sentiment/manifest.json'), 'utf8')) as Manifest;

/** The access log's lines once it holds `count` of them (each is written when its response ends). */
async function accessLines(count: number): Promise<{ method: string; path: string; status: number }[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = readFileSync(ACCESS_LOG, 'utf8').split('\n').filter(Boolean);
    if (lines.length >= count || Date.now() > deadline)
      return lines.map((l) => JSON.parse(l) as { method: string; path: string; status: number });
    await new Promise((r) => setTimeout(r, 50));
  }
}

function policyFor(origin: string) {
  return {
    kind: 'airlock-policy/1',
    allowedOrigins: [origin],
    models: [{ id: 'tiny-sentiment', revisions: [manifest.revision] }],
    backends: ['wasm'],
    maxModelBytes: 1 << 30,
    evidenceRetentionDays: 90,
    issuedAt: '2026-12-01T00:00:00.000Z',
  };
}

describe('airlock evidence on a real runtime (wasm)', () => {
  it('reports exactly the requests the test made, and a person can read it', async () => {
    const { page, recorder } = await browser.open();
    const before = recorder.requests.length;
    const got = await page.evaluate(async (text) => {
      const ai = window.airlock.createRuntime({ device: 'wasm' });
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      const output = (await classify(text)) as { label: string; score: number }[];
      const evidence = await ai.audit.export();
      await ai.dispose();
      return { output, evidence };
    }, TEXT);
    const { evidence } = got;
    expect(got.output[0]!.label).toBe(sentimentReference(TEXT)[0]!.label);
    expect(Math.abs(got.output[0]!.score - sentimentReference(TEXT)[0]!.score)).toBeLessThan(1e-4);

    const exportFile = join(work, 'export.json');
    const policyFile = join(work, 'policy.json');
    const out = join(work, 'report');
    writeFileSync(exportFile, JSON.stringify(evidence, null, 2));
    writeFileSync(policyFile, JSON.stringify(policyFor(browser.origin)));
    const served = await accessLines(recorder.requests.length);
    const args = ['evidence', '--models', MODELS_DIR, '--audit', exportFile, '--access-log', ACCESS_LOG];
    const code = await main([...args, '--policy', policyFile, '--out', out]);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as EvidenceReport;

    // the runtime's requests: exactly those the browser made after the page was up
    const made = recorder.requests.slice(before).map((r) => r.url);
    expect(report.requests.map((r) => r.url).sort()).toEqual([...made].sort());
    expect(report.requests.every((r) => r.allowed && r.status === 200)).toBe(true);
    expect(report.egress).toEqual([{ file: exportFile, requests: made.length, outside: [], complete: true }]);
    expect(report.network.foreignOrigins).toEqual([]);
    // the server's side: every request the browser made, page and app included, is a line of the access log
    const sent = recorder.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`).sort();
    expect(served.map((l) => `${l.method} ${l.path}`).sort()).toEqual(sent);
    expect(report.access.entries.map((e) => `${e.method} ${e.path}`).sort()).toEqual(sent);
    const modelRequests = report.access.groups.filter((g) => g.endpoint === 'models');
    expect(modelRequests.map((g) => [g.client, g.count])).toEqual([
      ['127.0.0.1', made.filter((u) => new URL(u).pathname.startsWith('/models/')).length],
    ]);

    // the summary: everything holds but the signatures (the test tree is unsigned)
    expect(report.summary.filter((l) => l.status === 'fail').map((l) => l.id)).toEqual(['signed']);
    expect(code).toBe(1);
    expect(report.summary.find((l) => l.id === 'egress')?.status).toBe('pass');
    expect(report.summary.find((l) => l.id === 'loads')?.status).toBe('pass');
    const model = report.models.find((m) => m.id === 'tiny-sentiment')!;
    expect(model.files).toEqual(manifest.files);
    expect(model.lastVerified).toBe(
      evidence.verifications.events
        .map((v) => v.at)
        .sort()
        .at(-1),
    );
    expect(report.runtime.components.map((c) => [c.name, c.version])).toEqual([
      ['airlock', evidence.software.library.version],
      ['@huggingface/transformers', evidence.software.transformersJs],
      ['onnxruntime-web', evidence.software.onnxruntimeWeb],
    ]);

    // the page itself: no request at all (the harness fails the test on any foreign one)
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const shown = recorder.requests.length;
    mkdirSync(RESULTS_DIR, { recursive: true });
    for (const [width, height] of [
      [1280, 800],
      [420, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.setContent(html, { waitUntil: 'load' });
      expect(await page.locator('h2').allTextContents()).toEqual([
        'Summary',
        '1. Network architecture',
        '2. Access-log evidence',
        '3. Hosting policy',
        `4. Model inventory (${report.models.length})`,
        '5. Runtime inventory',
      ]);
      // nothing wider than the screen but the tables and the diagram, which scroll inside their boxes
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: join(RESULTS_DIR, `evidence-report-${width}x${height}.png`), fullPage: true });
    }
    expect(recorder.requests.length).toBe(shown);
  });
});
