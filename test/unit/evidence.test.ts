// The evidence report for the fixture setup (test/fixtures/evidence/): exactly the seeded
// requests, the foreign one flagged in the summary and drawn red, the refusal, the old runtime
// version and the advisory, every model file's hash, and an HTML page with no external resource.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type EvidenceInputs } from '../../src/node/evidence/build-report.js';
import { writeReport } from '../../src/node/evidence/write-report.js';
import type { EvidenceReport } from '../../src/node/evidence/types.js';
import { LIBRARY } from '../../src/version.js';
import { ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';

const F = join(ROOT, 'test/fixtures/evidence');
const NOW = Date.parse('2026-12-01T00:00:00.000Z');
const INPUTS: EvidenceInputs = {
  tool: LIBRARY,
  models: join(F, 'models'),
  audit: [join(F, 'export.json'), join(F, 'collector.jsonl')],
  accessLogs: [join(F, 'access-airlock.log'), join(F, 'access-nginx.log')],
  policy: join(F, 'policy.json'),
  releases: join(F, 'releases.json'),
  advisories: join(F, 'advisories.json'),
  now: NOW,
};
const M = 'https://models.example';
const FOREIGN = 'https://cdn.foreign.example';

let report: EvidenceReport;
let html: string;

beforeAll(async () => {
  report = await buildReport(INPUTS);
  const out = mkdtempSync(join(tmpdir(), 'airlock-evidence-'));
  await writeReport(out, report);
  html = readFileSync(join(out, 'report.html'), 'utf8');
});

const status = (id: string) => report.summary.find((l) => l.id === id)?.status;

describe('the evidence report of the fixture setup', () => {
  it('lists exactly the requests the audit inputs hold, the foreign one not allowed', () => {
    expect(report.requests.map((r) => [r.url, r.status, r.allowed])).toEqual([
      [`${M}/models/tiny-a/manifest.json`, 200, true],
      [`${M}/models/tiny-a/config.json`, 200, true],
      [`${M}/models/tiny-a/onnx/model.onnx`, 200, true],
      [`${M}/airlock/ort/ort-wasm-simd-threaded.asyncify.wasm`, 200, true],
      [`${FOREIGN}/ort/ort-wasm-simd-threaded.wasm`, 0, false],
      [`${M}/models/acme/tiny-b/manifest.json`, 200, true],
      [`${M}/models/acme/tiny-b/b.onnx`, 200, true],
    ]);
    expect(report.egress).toEqual([
      { file: join(F, 'export.json'), requests: 5, outside: [{ origin: FOREIGN, count: 1 }], complete: true },
      { file: join(F, 'collector.jsonl'), requests: 2, outside: [], complete: true },
    ]);
    expect(report.network.foreignOrigins).toEqual([FOREIGN]);
  });

  it('fails the egress line of the summary, naming the foreign origin', () => {
    const egress = report.summary.find((l) => l.id === 'egress')!;
    expect(egress.status).toBe('fail');
    expect(egress.text).toContain(FOREIGN);
    expect(html).toMatch(
      /<li class="fail"><span class="badge fail">FAIL<\/span><span>Requests left the allowed origins: 1 to https:\/\/cdn\.foreign\.example/,
    );
  });

  it('draws the foreign origin in red, reached only from the page that asked it', () => {
    const svg = /<svg[\s\S]*?<\/svg>/.exec(html)![0];
    const foreign = /<g class="node foreign"><rect [^>]*stroke="#c62828"[^>]*\/>[\s\S]*?<\/g>/.exec(svg)?.[0] ?? '';
    expect(foreign).toContain(FOREIGN);
    expect(svg.match(/<line class="link foreign"[^>]*stroke="#c62828"/g)).toHaveLength(1);
    expect(report.network.clients).toEqual([
      { label: 'client 10.0.0.21', reaches: [M] },
      { label: 'client 10.0.0.35', reaches: [`${M}/v1/logs`, M].sort() },
      { label: 'page https://portal.example', reaches: [FOREIGN, M] },
      { label: 'runtimes in collector.jsonl', reaches: [M] },
    ]);
  });

  it('groups the access logs of both formats by endpoint, page origin and client', () => {
    expect(
      report.access.entries.map((e) => [e.format, e.time, e.method, e.path, e.status, e.bytes, e.client, e.origin]),
    ).toEqual([
      [
        'airlock',
        '2026-11-30T10:00:01.010Z',
        'GET',
        '/models/tiny-a/manifest.json',
        200,
        500,
        '10.0.0.21',
        'https://portal.example',
      ],
      [
        'airlock',
        '2026-11-30T10:00:02.010Z',
        'GET',
        '/models/tiny-a/config.json',
        200,
        22,
        '10.0.0.21',
        'https://portal.example',
      ],
      [
        'airlock',
        '2026-11-30T10:00:03.010Z',
        'GET',
        '/models/tiny-a/onnx/model.onnx',
        200,
        14,
        '10.0.0.21',
        'https://portal.example',
      ],
      [
        'airlock',
        '2026-11-30T10:00:04.010Z',
        'GET',
        '/airlock/ort/ort-wasm-simd-threaded.asyncify.wasm',
        200,
        600,
        '10.0.0.21',
        'https://portal.example',
      ],
      [
        'combined',
        '2026-11-30T11:00:00.000Z',
        'GET',
        '/models/acme/tiny-b/manifest.json',
        200,
        400,
        '10.0.0.35',
        'https://kiosk.example',
      ],
      [
        'combined',
        '2026-11-30T11:00:01.000Z',
        'GET',
        '/models/acme/tiny-b/b.onnx',
        200,
        5,
        '10.0.0.35',
        'https://kiosk.example',
      ],
      ['combined', '2026-11-30T11:00:05.000Z', 'POST', '/v1/logs', 200, 21, '10.0.0.35', 'https://kiosk.example'],
    ]);
    expect(report.access.groups.map((g) => [g.endpoint, g.origin, g.client, g.count, g.bytes])).toEqual([
      ['collector', 'https://kiosk.example', '10.0.0.35', 1, 21],
      ['models', 'https://kiosk.example', '10.0.0.35', 2, 405],
      ['models', 'https://portal.example', '10.0.0.21', 3, 536],
      ['runtime', 'https://portal.example', '10.0.0.21', 1, 600],
    ]);
  });

  it('states the policy and lists its refusal', () => {
    expect(report.policy.given).toBe(true);
    expect(report.policy.words[0]).toBe(`Requests may go only to ${M}.`);
    expect(report.network.collector).toBe(`${M}/v1/logs`);
    expect(report.denials).toEqual([
      {
        url: 'https://hub.example/acme/tiny-a/resolve/main/config.json',
        reason: 'origin https://hub.example is not allowed',
        modelId: 'tiny-a',
        at: '2026-11-30T10:00:06.000Z',
        file: join(F, 'export.json'),
      },
    ]);
    expect(status('policy')).toBe('pass');
  });

  it('inventories every model file with its hash, the signer, the licence and when it was mirrored and verified', () => {
    const byId = Object.fromEntries(report.models.map((m) => [m.id, m]));
    expect(Object.keys(byId)).toEqual(['acme/tiny-b', 'tiny-a']);
    const manifest = JSON.parse(readFileSync(join(F, 'models/tiny-a/manifest.json'), 'utf8')) as { files: unknown[] };
    expect(byId['tiny-a']!.files).toEqual(manifest.files);
    expect(byId['tiny-a']).toMatchObject({
      signer: '3f9a1c0d2b4e6a81',
      license: 'MIT',
      mirroredAt: '2026-11-20T08:00:00.000Z',
      mirroredFrom: 'manifest',
      lastVerified: '2026-11-30T10:00:58.000Z',
      failedVerifications: 0,
    });
    expect(byId['acme/tiny-b']).toMatchObject({ signer: null, license: 'Apache-2.0', mirroredFrom: 'file-mtime' });
    expect(byId['acme/tiny-b']!.card.map((c) => c.file)).toEqual(['NOTICE.txt']);
    expect(status('signed')).toBe('fail');
    for (const f of manifest.files as { sha256: string }[]) expect(html).toContain(f.sha256);
  });

  it('flags the old onnxruntime-web and the advisory on transformers.js, and only those', () => {
    expect(
      report.runtime.components.map((c) => [c.name, c.version, c.ageDays, c.tooOld, c.advisories.map((a) => a.id)]),
    ).toEqual([
      ['airlock', '0.1.0', 16, false, []],
      ['@huggingface/transformers', '4.3.1', 42, false, ['TEST-2026-0001']],
      ['onnxruntime-web', '1.20.0', 761, true, []],
    ]);
    expect(status('runtime')).toBe('fail');
    expect(html).toContain('OLDER THAN 180 DAYS');
    expect(html).toContain('TEST-2026-0001: seeded advisory for the evidence tests');
  });

  it('references no external resource and needs no script', () => {
    const attrs = [...html.matchAll(/\b(?:src|href|xlink:href|action|srcset|poster)\s*=\s*["']?([^"'\s>]+)/gi)].map(
      (m) => m[1],
    );
    expect(attrs.filter((a) => /^(https?:)?\/\//i.test(a!))).toEqual([]);
    const urls = [...html.matchAll(/url\(\s*['"]?([^'")]+)/gi)].map((m) => m[1]);
    expect(urls.filter((u) => !u!.startsWith('#'))).toEqual([]);
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/@import/i);
  });

  it('says so when no policy was given', async () => {
    const bare = await buildReport({ ...INPUTS, policy: undefined });
    expect(bare.policy).toEqual({ given: false, data: null, words: ['No hosting policy was given.'] });
    expect(bare.summary.find((l) => l.id === 'policy')).toEqual({
      id: 'policy',
      status: 'fail',
      text: 'No hosting policy was given.',
    });
    // the runtimes' own allowed origins stand in: the foreign request is still outside them
    expect(bare.egress[0]!.outside).toEqual([{ origin: FOREIGN, count: 1 }]);
  });
});

describe('airlock evidence (the command)', () => {
  it('writes the three files and exits 1 naming the failed checks', async () => {
    const out = mkdtempSync(join(tmpdir(), 'airlock-evidence-cli-'));
    const args = ['evidence', '--models', INPUTS.models, '--audit', INPUTS.audit[0]!, '--audit', INPUTS.audit[1]!];
    const run = await runCli([
      ...args,
      '--access-log',
      INPUTS.accessLogs[0]!,
      '--policy',
      INPUTS.policy!,
      '--out',
      out,
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(run.json?.error?.code).toBe('VERIFICATION_FAILED');
    expect((run.json?.error as unknown as { files: string[] }).files).toEqual(
      ['report.html', 'report.json', 'bom.cdx.json'].map((f) => join(out, f)),
    );
    const written = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as EvidenceReport;
    expect(written.summary.filter((l) => l.status === 'fail').map((l) => l.id)).toEqual(['egress', 'signed']);
  });
});
