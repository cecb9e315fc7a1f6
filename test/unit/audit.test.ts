import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEvent, RequestEvent } from '../../src/protocol/audit-events.js';
import { buildEvidence, EVIDENCE_SCHEMA, type EvidenceContext } from '../../src/page/audit/evidence.js';
import { AuditLog } from '../../src/page/audit/log.js';
import { LIBRARY } from '../../src/version.js';
import { byteSize, utf8Length } from '../../src/worker/sizes.js';
import { ROOT } from '../support/paths.js';

const PAGE = 'https://portal.intranet.test';
const request = (url: string, over: Partial<RequestEvent> = {}): RequestEvent => ({
  type: 'request',
  at: Date.UTC(2026, 10, 26, 12),
  url,
  origin: new URL(url).origin,
  allowed: new URL(url).origin === PAGE,
  status: 200,
  bytes: 100,
  durationMs: 5,
  initiator: 'fetch',
  ...over,
});
const context: EvidenceContext = {
  library: LIBRARY,
  engines: { transformersJs: '4.3.1', onnxruntimeWeb: '1.31.0' },
  policy: {
    pageOrigin: PAGE,
    modelOrigin: PAGE,
    allowedOrigins: [PAGE],
    modelBase: `${PAGE}/models/`,
    runtimeBase: `${PAGE}/airlock/ort/`,
  },
  page: { origin: PAGE, crossOriginIsolated: true, userAgent: 'test' },
  now: Date.UTC(2026, 10, 26, 13),
};

describe('audit log', () => {
  it('holds the latest events only, but counts every request by origin', () => {
    const log = new AuditLog(2);
    for (let i = 0; i < 5; i++) log.add(request(`${PAGE}/models/m/${i}`, { bytes: 10 }));
    log.add(request('https://cdn.example.com/x', { status: 0, bytes: 0 }));
    expect(log.events().map((e) => (e as RequestEvent).url)).toEqual([
      `${PAGE}/models/m/4`,
      'https://cdn.example.com/x',
    ]);
    expect(log.dropped).toBe(4);
    expect(log.originTotals()).toEqual([
      { origin: PAGE, allowed: true, count: 5, bytes: 50 },
      { origin: 'https://cdn.example.com', allowed: false, count: 1, bytes: 0 },
    ]);
  });

  it('keeps counting what it no longer holds: refusals, checks, runs, crashes', () => {
    const log = new AuditLog(2);
    log.add({ type: 'denial', at: 1, url: 'https://hub.example/m', reason: 'its origin is not in the policy' });
    log.add({
      type: 'verification',
      at: 2,
      modelId: 'm',
      path: 'a',
      sha256: 'f'.repeat(64),
      ok: false,
      stage: 'read',
      actual: '0'.repeat(64),
    });
    log.add({ type: 'worker', at: 3, state: 'crashed', reason: 'it exited or was killed' });
    for (let i = 0; i < 3; i++)
      log.add({ type: 'run', at: 4 + i, modelId: 'm', inputBytes: 1, outputBytes: 1, durationMs: 1, ok: true });
    expect(log.events().map((e) => e.at)).toEqual([5, 6]);
    expect(log.totals).toMatchObject({
      denials: 1,
      verifications: 1,
      failedVerifications: 1,
      runs: 3,
      workerCrashes: 1,
    });
    const evidence = buildEvidence(log, context);
    expect(evidence.denials).toEqual([]);
    expect(evidence.verifications).toEqual({ total: 1, failed: 1, events: [] });
    expect(evidence.requests.complete).toBe(false);
    expect(evidence.egress.statement).toBe(
      `All 0 request(s) the library made went to allowed origins (${PAGE}). 1 request(s) were refused by the policy before they were sent. The worker stopped unexpectedly 1 time(s): requests it made just before may be missing.`,
    );
  });

  it('lists two sessions of one model with different files as two models, and freezes what it holds', () => {
    const log = new AuditLog(10);
    const session = (file: string): AuditEvent => ({
      type: 'load',
      at: 1,
      modelId: 'ocr',
      kind: 'session',
      task: 'raw',
      backend: 'wasm',
      manifest: {
        url: `${PAGE}/models/ocr/manifest.json`,
        from: 'network',
        revision: 'r',
        source: 's',
        license: 'Apache-2.0',
      },
      files: [{ path: file, size: 1, sha256: 'a'.repeat(64), source: 'network' }],
    });
    log.add(session('det.onnx'));
    log.add(session('rec.onnx'));
    log.add(session('rec.onnx'));
    expect(log.models().map((m) => m.files[0]!.path)).toEqual(['det.onnx', 'rec.onnx']);
    const held = log.events()[0] as Extract<AuditEvent, { type: 'load' }>;
    expect(() => {
      (held.files[0] as { path: string }).path = 'changed';
    }).toThrow(TypeError);
  });

  it('tells listeners, keeps going when one throws, and stops when asked', async () => {
    const log = new AuditLog(10);
    const heard: string[] = [];
    const thrown: unknown[] = [];
    const onError = (e: unknown) => thrown.push(e);
    process.on('uncaughtException', onError);
    log.on(() => {
      throw new Error('a page bug');
    });
    const stop = log.on((e) => heard.push(e.type));
    log.add(request(`${PAGE}/a`));
    stop();
    log.add(request(`${PAGE}/b`));
    await new Promise((r) => setTimeout(r, 0));
    process.off('uncaughtException', onError);
    expect(heard).toEqual(['request']);
    expect(log.events()).toHaveLength(2);
    expect(thrown.map((e) => (e as Error).message)).toEqual(['a page bug', 'a page bug']);
  });
});

describe('evidence', () => {
  const load: AuditEvent = {
    type: 'load',
    at: Date.UTC(2026, 10, 26, 12, 30),
    modelId: 'm',
    kind: 'pipeline',
    task: 'text-classification',
    backend: 'wasm',
    manifest: { url: `${PAGE}/models/m/manifest.json`, from: 'network', revision: 'r1', source: 's', license: 'MIT' },
    files: [{ path: 'a.onnx', size: 3, sha256: 'f'.repeat(64), source: 'network' }],
  };

  it('states that nothing left when every request went to an allowed origin', () => {
    const log = new AuditLog(100);
    log.add(request(`${PAGE}/models/m/manifest.json`));
    log.add(load);
    log.add({
      type: 'denial',
      at: Date.UTC(2026, 10, 26, 12),
      url: 'https://hub.example/m',
      reason: 'its origin is not in the policy',
    });
    log.add({
      type: 'run',
      at: Date.UTC(2026, 10, 26, 12),
      modelId: 'm',
      inputBytes: 12,
      outputBytes: 40,
      durationMs: 3,
      ok: true,
    });
    const evidence = buildEvidence(log, context);
    expect(evidence.schema).toBe(EVIDENCE_SCHEMA);
    expect(evidence.timeRange.to).toBe('2026-11-26T13:00:00.000Z');
    expect(evidence.software).toEqual({
      library: LIBRARY,
      transformersJs: '4.3.1',
      onnxruntimeWeb: '1.31.0',
      userAgent: 'test',
    });
    expect(evidence.requests.byOrigin).toEqual([
      {
        origin: PAGE,
        allowed: true,
        count: 1,
        bytes: 100,
        requests: [
          {
            url: `${PAGE}/models/m/manifest.json`,
            status: 200,
            bytes: 100,
            durationMs: 5,
            initiator: 'fetch',
            at: '2026-11-26T12:00:00.000Z',
          },
        ],
      },
    ]);
    const { type: _type, at: _at, ...model } = load;
    expect(evidence.models).toEqual([{ ...model, loadedAt: '2026-11-26T12:30:00.000Z' }]);
    expect(evidence.denials).toEqual([
      { url: 'https://hub.example/m', reason: 'its origin is not in the policy', at: '2026-11-26T12:00:00.000Z' },
    ]);
    expect(evidence.runs).toMatchObject({ total: 1, failed: 0 });
    expect(evidence.egress).toEqual({
      none: true,
      outsideRequests: 0,
      outsideOrigins: [],
      statement: `All 1 request(s) the library made went to allowed origins (${PAGE}). 1 request(s) were refused by the policy before they were sent.`,
    });
  });

  it('states what left, and counts requests the log no longer holds', () => {
    const log = new AuditLog(1);
    log.add(request('https://cdn.example.com/ort.wasm', { status: 0 }));
    log.add(request(`${PAGE}/models/m/manifest.json`));
    const evidence = buildEvidence(log, { ...context, engines: null });
    expect(evidence.software.transformersJs).toBeNull();
    expect(evidence.requests.total).toBe(2);
    expect(evidence.requests.byOrigin.find((o) => o.origin === 'https://cdn.example.com')).toEqual({
      origin: 'https://cdn.example.com',
      allowed: false,
      count: 1,
      bytes: 100,
      requests: [],
    });
    expect(evidence.egress).toEqual({
      none: false,
      outsideRequests: 1,
      outsideOrigins: ['https://cdn.example.com'],
      statement:
        '1 of 2 request(s) went outside the allowed origins: 1 to https://cdn.example.com. No request was refused.',
    });
    expect(evidence.log).toEqual({ held: 1, dropped: 1, maxEvents: 1 });
  });
});

describe('sizes of calls', () => {
  it('counts text as UTF-8, typed arrays by bytes, and survives cycles', () => {
    expect(byteSize('héllo')).toBe(6);
    expect(byteSize([new Float32Array(4), 'ab'])).toBe(18);
    const cyclic: Record<string, unknown> = { data: new Uint8Array(3) };
    cyclic.self = cyclic;
    expect(byteSize(cyclic)).toBe(3);
    expect(byteSize(undefined)).toBe(0);
  });

  it("counts UTF-8 bytes as TextEncoder's output has them, surrogates and lone halves included", () => {
    const samples = [
      '',
      'plain',
      'héllo',
      '日本語のテキスト',
      '😀 emoji 🚀',
      '\ud800 lone high',
      'lone low \udc00',
      '\udbff\udfff',
      '\u07ff\u0800',
    ];
    // and random strings over the whole UTF-16 range
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let k = 0; k < 200; k++)
      samples.push(String.fromCharCode(...Array.from({ length: 20 }, () => next() % 0x10000)));
    const encoder = new TextEncoder();
    for (const text of samples) expect(utf8Length(text)).toBe(encoder.encode(text).byteLength);
  });
});

describe('library version', () => {
  it('is the one package.json says', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
    expect(LIBRARY).toEqual({ name: pkg.name, version: pkg.version });
  });
});
