// The central audit log in Chromium: a runtime with `audit.collector` posts its events to the
// server's OTLP receiver (`airlock serve --collect`'s handler); the file's lines decode as OTLP and
// hold exactly the events the runtime lists, never the prompt; a collector that answers 503 or
// drops the connection is retried with back-off, a 4xx is not; the queue survives a reload while
// the collector is away (nothing sent twice), and a full queue counts what it dropped.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { collectorHandler } from '../../src/node/serve/collector.js';
import type { Handler } from '../../src/node/serve/server.js';
import type { ExportLogsServiceRequest, OtlpLogRecord } from '../../src/worker/audit/collector-otlp.js';
import type { AuditEvent } from '../../src/protocol/audit-events.js';
import { useBrowser } from '../support/browser.js';
import { attribute, logRecords, otlpRoundTrip } from '../support/otlp.js';

const PROMPT = 'a distinctive prompt: zebra quartz lantern 7391';
const dir = mkdtempSync(join(tmpdir(), 'airlock-collector-'));
let file = '';
type Mode = 'up' | '503' | 'drop' | '400';
/** how the collector answers: the next scripted answer, else `mode` */
let mode: Mode = 'up';
let script: Mode[] = [];
let answer: Mode = 'up';
let lastAt = 0;
/** every POST the collector saw: when, and what it answered (0: the connection was dropped) */
let attempts: { at: number; status: number }[] = [];
let raw: Buffer[] = [];

let receiver: Handler = () => undefined;
const fallback = () => mode;
/** the answer from the next try on */
function setMode(next: Mode): void {
  mode = next;
  lastAt = 0;
}
const collector: Handler = (req, res, next) => {
  if (req.url !== '/v1/logs' || req.method !== 'POST') return next();
  const at = Date.now();
  // Chromium repeats a POST at once by itself when a reused connection drops before any answer:
  // attempts within 300 ms of the last are one try of the runtime's, and get the same answer
  if (at - lastAt > 300) answer = script.shift() ?? fallback();
  lastAt = at;
  req.on('data', (b: Buffer) => raw.push(b));
  if (answer === 'drop') return (attempts.push({ at, status: 0 }), void req.socket.destroy());
  if (answer !== 'up') {
    attempts.push({ at, status: Number(answer) });
    res.statusCode = Number(answer);
    return void req.resume().on('end', () => res.end());
  }
  attempts.push({ at, status: 200 });
  receiver(req, res, next);
};

const browser = useBrowser({ collector });

beforeEach(() => {
  file = join(dir, `audit-${Date.now()}.jsonl`);
  receiver = collectorHandler(file);
  mode = 'up';
  script = [];
  lastAt = 0;
  attempts = [];
  raw = [];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The collector file's requests, each checked against the OTLP definitions, and their records. */
function received(): { requests: ExportLogsServiceRequest[]; records: OtlpLogRecord[] } {
  if (!existsSync(file)) return { requests: [], records: [] };
  const requests = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ExportLogsServiceRequest);
  for (const r of requests) expect(otlpRoundTrip(r)).toEqual(r);
  return { requests, records: requests.flatMap(logRecords) };
}
/**
 * The events the worker's collector posts: all but the page's own (the worker's start, the
 * request for its script) and the collector's own posts, which the page's log lists.
 */
const workerSide = (events: AuditEvent[]) =>
  events.filter(
    (e) => e.type !== 'worker' && !(e.type === 'request' && (e.initiator === 'worker' || e.url.endsWith('/v1/logs'))),
  );
const eventsOf = (records: OtlpLogRecord[]) =>
  records
    .filter((r) => attribute(r, 'airlock.event.type') !== 'dropped')
    .map((r) => JSON.parse(r.body.stringValue) as AuditEvent);

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms; attempts ${JSON.stringify(attempts)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A runtime with a collector on the page, kept as `window.ai`, that classifies PROMPT. */
async function classify(page: Page, audit: Record<string, unknown>) {
  return page.evaluate(
    async ({ audit, prompt }) => {
      const ai = window.airlock.createRuntime({ audit: { collector: '/v1/logs', ...audit } });
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      Object.assign(window, { ai, classify });
      const out = (await classify(prompt)) as { label: string }[];
      return out[0]!.label;
    },
    { audit, prompt: PROMPT },
  );
}

/** flush, events and the evidence of `window.ai`; `dispose` ends it. */
function settle(page: Page, dispose = true) {
  return page.evaluate(async (dispose) => {
    const { ai } = window as unknown as { ai: ReturnType<typeof window.airlock.createRuntime> };
    const flushed = await ai.audit.flush();
    const evidence = await ai.audit.export();
    const events = ai.audit.events();
    if (dispose) await ai.dispose();
    return { flushed, evidence, events };
  }, dispose);
}

describe('central audit log', () => {
  it('refuses a collector on another origin, naming the option', async () => {
    const { page } = await browser.open();
    const outcome = await page.evaluate(async () =>
      window.settle(
        Promise.resolve().then(() =>
          window.airlock.createRuntime({ audit: { collector: 'http://127.0.0.2:4318/v1/logs' } }),
        ),
      ),
    );
    expect(outcome).toMatchObject({
      ok: false,
      code: 'BAD_INPUT',
      details: { option: 'audit.collector', value: '"http://127.0.0.2:4318/v1/logs"' },
    });
    expect(outcome.ok || outcome.message).toContain('http://127.0.0.2:4318/v1/logs');
  });

  it('posts the events the runtime lists as OTLP, and never the prompt', async () => {
    const { page, recorder } = await browser.open();
    expect(await classify(page, { batchMs: 200 })).toMatch(/POSITIVE|NEGATIVE/);
    const { flushed, evidence, events } = await settle(page);
    const { requests, records } = received();
    expect(requests.length).toBeGreaterThan(0);
    const posted = eventsOf(records);
    expect(posted).toEqual(workerSide(events));
    expect(posted.length).toBeGreaterThan(10);
    // the same requests (but the page's and the collector's own), loads and verifications as the evidence
    const listed = evidence.requests.byOrigin.flatMap((o) => o.requests);
    expect(
      posted
        .filter((e) => e.type === 'request')
        .map((e) => e.url)
        .sort(),
    ).toEqual(
      listed
        .filter((r) => r.initiator !== 'worker' && !r.url.endsWith('/v1/logs'))
        .map((r) => r.url)
        .sort(),
    );
    expect(posted.filter((e) => e.type === 'load').map((e) => e.modelId)).toEqual(
      evidence.models.map((m) => m.modelId),
    );
    expect(posted.filter((e) => e.type === 'verification').length).toBe(evidence.verifications.total);
    expect(posted.filter((e) => e.type === 'run').length).toBe(1);
    // the collector's own posts are in the page's log, once each, as the browser saw them, and are
    // not posted (no loop)
    const posts = recorder.requests.filter((r) => r.url.endsWith('/v1/logs'));
    expect(posts.length).toBe(requests.length);
    const logged = listed.filter((r) => r.url.endsWith('/v1/logs')).map((r) => [r.url, r.status]);
    expect(logged).toEqual(posts.map(() => [`${browser.origin}/v1/logs`, 200]));
    expect(flushed).toMatchObject({
      sent: posted.length,
      queued: 0,
      dropped: 0,
      failures: 0,
      batches: requests.length,
    });
    expect(evidence.collector).toMatchObject({ endpoint: `${browser.origin}/v1/logs`, dropped: 0 });
    expect(new Set(records.map((r) => attribute(r, 'airlock.event.id'))).size).toBe(records.length);
    // not one byte the collector received holds the prompt, nor does the file
    expect(Buffer.concat(raw).includes(PROMPT)).toBe(false);
    expect(readFileSync(file, 'utf8')).not.toContain('zebra');
  });

  it('retries 503s and dropped connections with growing waits, then delivers; a 4xx is final', async () => {
    const { page } = await browser.open();
    script = ['503', '503', 'drop'];
    await classify(page, { batchMs: 100 });
    await waitFor(() => received().records.length > 0, 30_000);
    const { events, evidence } = await settle(page, false);
    const tries = attempts.filter((a, i) => i === 0 || a.at - attempts[i - 1]!.at > 300);
    expect(tries.map((a) => a.status).slice(0, 4)).toEqual([503, 503, 0, 200]);
    // 1 s, 2 s, 4 s of back-off at least (a worker busy loading a model, or a busy machine, adds to it)
    tries.slice(1, 4).forEach((a, i) => {
      const gap = a.at - tries[i]!.at;
      expect(gap, `wait before try ${i + 2}: ${JSON.stringify(attempts)}`).toBeGreaterThanOrEqual(1000 * 2 ** i - 50);
      expect(gap, `wait before try ${i + 2}`).toBeLessThan(1000 * 2 ** i + 15_000);
    });
    expect(eventsOf(received().records)).toEqual(workerSide(events));
    expect(evidence.collector).toMatchObject({
      failures: 3,
      sent: workerSide(events).length,
      queued: 0,
      rejected: 0,
    });

    // a refusal is not retried: the batch (one run event) is counted as rejected and forgotten
    setMode('400');
    const before = attempts.length;
    const refused = await page.evaluate(async (prompt) => {
      const w = window as unknown as {
        ai: ReturnType<typeof window.airlock.createRuntime>;
        classify: (t: string) => Promise<unknown>;
      };
      await w.classify(prompt);
      return (await w.ai.audit.flush())!;
    }, PROMPT);
    await new Promise((r) => setTimeout(r, 2500));
    expect(attempts.slice(before).map((a) => a.status)).toEqual([400]);
    expect(refused).toMatchObject({ rejected: 1, queued: 0, failures: 3, lastError: 'HTTP 400' });
  });

  it('keeps the queue across a reload while the collector is away, then delivers it once', async () => {
    const { page } = await browser.open();
    setMode('503');
    await classify(page, { batchMs: 100 });
    await waitFor(() => attempts.length >= 1, 10_000);
    const first = await page.evaluate(
      () => window.airlock && (window as unknown as { ai: { audit: { events(): AuditEvent[] } } }).ai.audit.events(),
    );
    await page.reload();
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    setMode('up');
    const second = await page.evaluate(async () => {
      const ai = window.airlock.createRuntime({ audit: { collector: '/v1/logs', batchMs: 100 } });
      const flushed = await ai.audit.flush();
      const again = await ai.audit.flush();
      await ai.dispose();
      return { flushed, again };
    });
    const posted = eventsOf(received().records);
    // the first page's events, each once, in order (the second page made none before it flushed)
    expect(posted).toEqual(workerSide(first));
    expect(posted.length).toBeGreaterThan(10);
    expect(second.flushed).toMatchObject({ sent: workerSide(first).length, queued: 0 });
    expect(second.again).toMatchObject({ sent: workerSide(first).length, queued: 0 });
    const ids = received().records.map((r) => attribute(r, 'airlock.event.id'));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('bounds the queue and reports how many events it dropped', async () => {
    const { page } = await browser.open();
    setMode('503');
    await classify(page, { batchMs: 100, maxQueued: 5 });
    const down = await page.evaluate(async () => {
      const ai = (window as unknown as { ai: ReturnType<typeof window.airlock.createRuntime> }).ai;
      const evidence = await ai.audit.export();
      return { events: ai.audit.events(), collector: evidence.collector };
    });
    const dropped = workerSide(down.events).length - 5;
    expect(dropped).toBeGreaterThan(0);
    expect(down.collector).toMatchObject({ queued: 5, dropped });
    setMode('up');
    const { flushed } = await settle(page);
    const { records } = received();
    expect(eventsOf(records)).toEqual(workerSide(down.events).slice(0, 5));
    const report = records.filter((r) => attribute(r, 'airlock.event.type') === 'dropped');
    expect(report.map((r) => [attribute(r, 'airlock.dropped.count'), r.severityNumber])).toEqual([
      [String(dropped), 13],
    ]);
    expect(flushed).toMatchObject({ sent: 5, dropped, queued: 0 });
  });
});
