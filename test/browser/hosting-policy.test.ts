// The signed hosting policy in Chromium: fetched and verified before any other request, then
// enforced (models, pinned revisions, origins, backends, size), each refusal with its code, rule
// and denial event and nothing of the refused model fetched; offline the stored policy stands,
// and a stored one changed where it is kept is refused.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Evidence } from '../../src/page/audit/evidence.js';
import { useBrowser } from '../support/browser.js';
import { hostingPolicies, signedManifests } from '../support/hosting-server.js';
import { MODELS_DIR } from '../support/paths.js';
import { signatureFile, testKey } from '../support/policy-signing.js';
import type { Handler } from '../../src/node/serve/server.js';
import type { ExportLogsServiceRequest } from '../../src/worker/audit/collector-otlp.js';
import { attribute, logRecords, otlpRoundTrip } from '../support/otlp.js';

const served = hostingPolicies();
const key = testKey();
/** the bodies posted to the policy's collector, `/v1/logs` */
const posted: ExportLogsServiceRequest[] = [];
const collector: Handler = (req, res, next) => {
  if (req.url !== '/v1/logs' || req.method !== 'POST') return next();
  const chunks: Buffer[] = [];
  req.on('data', (b: Buffer) => chunks.push(b));
  req.on('end', () => {
    posted.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportLogsServiceRequest);
    res.setHeader('Content-Type', 'application/json');
    res.end('{"partialSuccess":{}}');
  });
};
// the policy's keys also sign the manifests: with trusted keys, only signed manifests load
const browser = useBrowser({ before: [served.handler, signedManifests(key)], collector });
const REVISION = (
  JSON.parse(readFileSync(join(MODELS_DIR, 'tiny-sentiment/manifest.json'), 'utf8')) as { revision: string }
).revision;

function policyFor(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'airlock-policy/1',
    allowedOrigins: [browser.origin],
    models: [{ id: 'tiny-sentiment', revisions: [REVISION] }],
    backends: ['wasm', 'webgpu'],
    maxModelBytes: 1_000_000,
    collector: '/v1/logs',
    evidenceRetentionDays: 90,
    issuedAt: '2026-12-01T10:00:00.000Z',
    ...overrides,
  };
}

/** Serves `policy` signed under `/hosting/<name>/`; returns its URL. */
function publish(name: string, policy: object, sign = true): string {
  const text = JSON.stringify(policy, null, 2);
  served.set(name, sign ? { text, signature: signatureFile(key, text) } : { text });
  return `/hosting/${name}/policy.json`;
}

interface Attempt {
  options?: Record<string, unknown>;
  model?: string;
  device?: string;
}

async function classify(page: Page, name: string, policyUrl: string, a: Attempt = {}) {
  return page.evaluate(
    async ({ name, policyUrl, a, publicKeys }) => {
      const ai = window.airlock.createRuntime({
        cache: { name: `hosting-${name}` },
        policyUrl,
        trust: { publicKeys },
        ...a.options,
      });
      const out = await window.settle(
        ai
          .pipeline('text-classification', a.model ?? 'tiny-sentiment', a.device ? { device: a.device as 'wasm' } : {})
          .then(async (h) => ({ backend: h.backend, labels: await h('great film', { top_k: 2 }) })),
      );
      const evidence = await ai.audit.export();
      await ai.dispose();
      return { out, evidence };
    },
    { name, policyUrl, a, publicKeys: [testKey().publicKey, key.publicKey] },
  );
}

const denials = (e: Evidence) => e.denials.map((d) => ({ rule: d.rule, url: d.url, modelId: d.modelId }));

describe(`hosting policy (${browser.mode})`, () => {
  it('a permitted load works, and policy.json and its signature come before any other request', async () => {
    const { page, recorder } = await browser.open();
    const url = publish('ok', policyFor());
    const { out, evidence } = await classify(page, 'ok', url);
    expect(out.ok, JSON.stringify(out)).toBe(true);
    const { labels } = (out as { value: { labels: { label: string; score: number }[] } }).value;
    const want = sentimentReference('great film');
    expect(labels.map((l) => l.label)).toEqual(want.map((w) => w.label));
    labels.forEach((l, i) => expect(Math.abs(l.score - want[i]!.score)).toBeLessThan(1e-4));
    const paths = recorder.paths();
    const policyAt = paths.indexOf(url);
    const sigAt = paths.indexOf(`${url}.sig`);
    expect([policyAt, sigAt].every((i) => i >= 0) && policyAt < sigAt).toBe(true);
    const later = paths.filter((p) => p.startsWith('/models/') || p.startsWith('/airlock/ort/'));
    expect(later.length).toBeGreaterThan(3);
    for (const p of later) expect(paths.indexOf(p), p).toBeGreaterThan(sigAt);
    expect(evidence.hostingPolicy).toEqual({
      url: `${browser.origin}${url}`,
      keyId: key.keyId,
      issuedAt: '2026-12-01T10:00:00.000Z',
      from: 'network',
      rules: policyFor(),
      collectorUrl: `${browser.origin}/v1/logs`,
    });
    expect(evidence.denials).toEqual([]);
  });

  it('posts the audit events to the collector the policy names, as OTLP logs', async () => {
    const { page } = await browser.open();
    posted.length = 0;
    const { out, evidence } = await classify(page, 'collect', publish('collect', policyFor()));
    expect(out.ok, JSON.stringify(out)).toBe(true);
    // dispose sent what waited; every body is OTLP as OpenTelemetry's definitions encode it
    for (const body of posted) expect(otlpRoundTrip(body)).toEqual(body);
    const records = posted.flatMap(logRecords);
    const loads = records.filter((r) => attribute(r, 'airlock.event.type') === 'load');
    expect(loads.map((r) => (JSON.parse(r.body.stringValue) as { modelId: string }).modelId)).toEqual([
      'tiny-sentiment',
    ]);
    expect(evidence.collector?.endpoint).toBe(`${browser.origin}/v1/logs`);
  });

  it('refuses a model not in the policy and a revision it does not pin, fetching nothing of the model', async () => {
    const { page, recorder } = await browser.open();
    const notListed = await classify(page, 'models', publish('models', policyFor()), { model: 'tiny-ner' });
    expect(notListed.out).toMatchObject({
      ok: false,
      code: 'POLICY_DENIED',
      details: { rule: 'models', value: 'tiny-ner', modelId: 'tiny-ner' },
    });
    const manifest = `${browser.origin}/models/tiny-ner/manifest.json`;
    expect(denials(notListed.evidence)).toEqual([{ rule: 'models', url: manifest, modelId: 'tiny-ner' }]);
    const pinned = 'f'.repeat(64);
    const wrong = await classify(
      page,
      'revisions',
      publish('revisions', policyFor({ models: [{ id: 'tiny-sentiment', revisions: [pinned] }] })),
    );
    expect(wrong.out).toMatchObject({
      ok: false,
      code: 'POLICY_DENIED',
      details: { rule: 'revisions', value: REVISION, modelId: 'tiny-sentiment', allowed: [pinned] },
    });
    expect(denials(wrong.evidence).map((d) => d.rule)).toEqual(['revisions']);
    // the manifest and its signature are read to know the revision; no file of the model
    const modelFiles = recorder.paths().filter((p) => p.startsWith('/models/') && !/\/manifest\.json(\.sig)?$/.test(p));
    expect(modelFiles).toEqual([]);
  });

  it('refuses an origin the page allows but the policy does not, without contacting it', async () => {
    const { page, recorder } = await browser.open();
    const foreign = 'http://127.0.0.1:9';
    const url = publish('origins', policyFor());
    const { out, evidence } = await classify(page, 'origins', url, {
      options: { allowedOrigins: [foreign], modelBase: `${foreign}/models/` },
    });
    const manifest = `${foreign}/models/tiny-sentiment/manifest.json`;
    expect(out).toMatchObject({
      ok: false,
      code: 'POLICY_DENIED',
      details: { rule: 'allowedOrigins', value: foreign, url: manifest, allowedOrigins: [browser.origin] },
    });
    expect(denials(evidence)).toEqual([{ rule: 'allowedOrigins', url: manifest, modelId: undefined }]);
    expect(recorder.requests.filter((r) => r.url.startsWith(foreign))).toEqual([]);
  });

  it('refuses a backend outside the policy; auto takes the one it allows', async () => {
    const { page } = await browser.open();
    const url = publish('backends', policyFor({ backends: ['wasm'] }));
    const refused = await classify(page, 'backends', url, { device: 'webgpu' });
    expect(refused.out).toMatchObject({
      ok: false,
      code: 'POLICY_DENIED',
      details: { rule: 'backends', value: 'webgpu', allowed: ['wasm'] },
    });
    expect(denials(refused.evidence).map((d) => d.rule)).toEqual(['backends']);
    const auto = await classify(page, 'backends', url);
    expect(auto.out).toMatchObject({ ok: true, value: { backend: 'wasm' } });
  });

  it('refuses a model over maxModelBytes before any ONNX file is fetched', async () => {
    const { page, recorder } = await browser.open();
    const { out, evidence } = await classify(page, 'size', publish('size', policyFor({ maxModelBytes: 1000 })));
    expect(out).toMatchObject({
      ok: false,
      code: 'POLICY_DENIED',
      details: { rule: 'maxModelBytes', value: 5958, limit: 1000, modelId: 'tiny-sentiment' },
    });
    expect(denials(evidence).map((d) => d.rule)).toEqual(['maxModelBytes']);
    expect(recorder.paths().filter((p) => p.endsWith('.onnx'))).toEqual([]);
  });

  it('refuses a tampered policy, an unsigned one, a collector on another origin, and a policy URL without trusted keys', async () => {
    const { page, recorder } = await browser.open();
    const text = JSON.stringify(policyFor());
    served.set('tampered', { text: text.replace('1000000', '9000000'), signature: signatureFile(key, text) });
    const tampered = await classify(page, 'tampered', '/hosting/tampered/policy.json');
    expect(tampered.out).toMatchObject({
      ok: false,
      code: 'SIGNATURE_INVALID',
      details: { reason: 'bad-signature', keyId: key.keyId },
    });
    const policyUrl = `${browser.origin}/hosting/tampered/policy.json`;
    expect(denials(tampered.evidence)).toEqual([{ rule: 'signature', url: policyUrl, modelId: undefined }]);
    expect(tampered.evidence.hostingPolicy).toBeNull();
    const unsigned = await classify(page, 'unsigned', publish('unsigned', policyFor(), false));
    expect(unsigned.out).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID', details: { reason: 'unsigned' } });
    expect(denials(unsigned.evidence).map((d) => d.rule)).toEqual(['signature']);
    const elsewhere = await classify(
      page,
      'collector',
      publish('collector', policyFor({ collector: 'http://127.0.0.1:9/v1/logs' })),
    );
    expect(elsewhere.out).toMatchObject({ ok: false, code: 'POLICY_INVALID', details: { field: 'collector' } });
    expect(recorder.paths().filter((p) => p.startsWith('/models/') || p.startsWith('/airlock/ort/'))).toEqual([]);
    const noKeys = await page.evaluate(() =>
      window.settle(
        Promise.resolve().then(() => window.airlock.createRuntime({ policyUrl: '/hosting/ok/policy.json' })),
      ),
    );
    expect(noKeys).toMatchObject({ ok: false, code: 'BAD_INPUT', details: { option: 'trust.publicKeys' } });
  });

  it('offline the stored policy stands; an older one online, or a 404, does not replace it; a tampered stored one is refused', async () => {
    const { page } = await browser.open();
    const url = publish('offline', policyFor());
    expect((await classify(page, 'offline', url)).evidence.hostingPolicy?.from).toBe('network');
    // an older signed policy served again does not replace the one verified before it
    publish('offline', policyFor({ issuedAt: '2026-11-01T10:00:00.000Z', models: 'any-signed' }));
    const rollback = await classify(page, 'offline', url);
    expect(rollback.out).toMatchObject({
      ok: false,
      code: 'POLICY_DENIED',
      details: { rule: 'issuedAt', value: '2026-11-01T10:00:00.000Z', stored: '2026-12-01T10:00:00.000Z' },
    });
    expect(denials(rollback.evidence).map((d) => d.rule)).toEqual(['issuedAt']);
    served.set('offline', 'cut');
    const offline = await classify(page, 'offline', url);
    expect(offline.out.ok, JSON.stringify(offline.out)).toBe(true);
    expect(offline.evidence.hostingPolicy).toMatchObject({ from: 'store', keyId: key.keyId, rules: policyFor() });
    served.set('offline', 'missing');
    const gone = await classify(page, 'offline', url);
    expect(gone.out).toMatchObject({ ok: false, code: 'POLICY_INVALID', details: { status: 404 } });
    served.set('offline', 'cut');
    await page.evaluate(async () => {
      const open = indexedDB.open('hosting-offline:policy');
      const db = await new Promise<IDBDatabase>((ok) => (open.onsuccess = () => ok(open.result)));
      const tx = db.transaction('policies', 'readwrite');
      const store = tx.objectStore('policies');
      const all = await new Promise<{ text: string }[]>((ok) => {
        const r = store.getAll();
        r.onsuccess = () => ok(r.result as { text: string }[]);
      });
      for (const record of all) store.put({ ...record, text: record.text.replace('1000000', '9000000') });
      await new Promise((ok) => (tx.oncomplete = ok));
      db.close();
    });
    const tampered = await classify(page, 'offline', url);
    expect(tampered.out).toMatchObject({
      ok: false,
      code: 'SIGNATURE_INVALID',
      details: { reason: 'bad-signature', stored: true },
    });
    expect(denials(tampered.evidence).map((d) => d.rule)).toEqual(['signature']);
  });
});
