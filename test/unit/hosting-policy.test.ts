// The hosting policy's parser and rules, in Node: strict parsing (POLICY_INVALID naming the
// field), the signature check (against Node's own Ed25519), and each rule's refusal.
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/protocol/audit-events.js';
import type { Manifest } from '../../src/manifest/types.js';
import { modelIdProblem } from '../../src/manifest/paths.js';
import { hostingSettings } from '../../src/page/hosting-options.js';
import { createOriginPolicy } from '../../src/shared/origins.js';
import { parsePolicy, parsePolicyText, type Policy } from '../../src/shared/trust/policy.js';
import { urlOf } from '../../src/worker/policy/guarded-fetch.js';
import { createHostingRules } from '../../src/worker/policy/hosting-rules.js';
import { setEd25519Engine, verifySigned } from '../../src/worker/trust/verify.js';
import { anyMessage, thrown } from '../support/outcome.js';
import { signatureFile, testKey } from '../support/policy-signing.js';

const REV = 'a'.repeat(64);
const base = {
  kind: 'airlock-policy/1',
  allowedOrigins: ['https://models.example'],
  models: [{ id: 'tiny-lm', revisions: [REV] }, { id: 'org/tiny-ner' }],
  backends: ['wasm', 'webgpu'],
  maxModelBytes: 1_000_000,
  collector: '/v1/logs',
  evidenceRetentionDays: 90,
  issuedAt: '2026-12-01T10:00:00Z',
};
const invalid = (field: string) => ({ code: 'POLICY_INVALID', details: { field }, message: anyMessage });
const withField = (key: string, value: unknown) => ({ ...base, [key]: value });

describe('parsePolicy', () => {
  it('returns a valid policy as it is, collector and all; revisions may be omitted; any-signed', () => {
    expect(parsePolicy(base)).toEqual(base);
    const { collector: _c, ...noCollector } = base;
    expect(parsePolicy(noCollector)).toEqual(noCollector);
    expect(parsePolicy(withField('models', 'any-signed')).models).toBe('any-signed');
    expect(parsePolicy(withField('collector', 'https://models.example/v1/logs')).collector).toBe(
      'https://models.example/v1/logs',
    );
  });

  it('refuses unknown keys, at the top and in a model entry, naming them', () => {
    expect(thrown(() => parsePolicy(withField('allowAll', true)))).toEqual(invalid('allowAll'));
    expect(thrown(() => parsePolicy(withField('models', [{ id: 'x', revision: REV }])))).toEqual(
      invalid('models[0].revision'),
    );
  });

  it('refuses wrong types and values, naming the field', () => {
    const cases: [string, unknown, string][] = [
      ['kind', 'airlock-policy/2', 'kind'],
      ['allowedOrigins', 'https://models.example', 'allowedOrigins'],
      ['allowedOrigins', ['https://models.example/models/'], 'allowedOrigins[0]'],
      ['allowedOrigins', ['ftp://models.example'], 'allowedOrigins[0]'],
      ['allowedOrigins', ['https://a.example', 'https://a.example'], 'allowedOrigins[1]'],
      ['models', 'any', 'models'],
      ['models', [{ id: '../x' }], 'models[0].id'],
      ['models', [{ id: 'a' }, { id: 'a' }], 'models[1].id'],
      ['models', [{ id: 'a', revisions: ['main'] }], 'models[0].revisions[0]'],
      ['models', [{ id: 'a', revisions: 'x' }], 'models[0].revisions'],
      ['backends', ['wasm', 'cuda'], 'backends[1]'],
      ['maxModelBytes', '1000', 'maxModelBytes'],
      ['maxModelBytes', 0, 'maxModelBytes'],
      ['maxModelBytes', 1.5, 'maxModelBytes'],
      ['evidenceRetentionDays', -1, 'evidenceRetentionDays'],
      ['issuedAt', 'yesterday', 'issuedAt'],
      ['issuedAt', 1764583200000, 'issuedAt'],
      ['collector', '//elsewhere.example/v1/logs', 'collector'],
      ['collector', 'v1/logs', 'collector'],
    ];
    for (const [key, value, field] of cases) {
      expect(
        thrown(() => parsePolicy(withField(key, value))),
        `${key}: ${JSON.stringify(value)}`,
      ).toEqual(invalid(field));
    }
  });

  it('refuses empty lists and missing fields', () => {
    for (const key of ['allowedOrigins', 'models', 'backends']) {
      expect(
        thrown(() => parsePolicy(withField(key, []))),
        key,
      ).toEqual(invalid(key));
    }
    for (const key of [
      'kind',
      'allowedOrigins',
      'models',
      'backends',
      'maxModelBytes',
      'evidenceRetentionDays',
      'issuedAt',
    ]) {
      const { [key]: _gone, ...rest } = base as Record<string, unknown>;
      expect(
        thrown(() => parsePolicy(rest)),
        key,
      ).toEqual(invalid(key));
    }
    expect(thrown(() => parsePolicy([base]))).toEqual(invalid('policy'));
    expect(thrown(() => parsePolicyText('{"kind":'))).toEqual(invalid('policy'));
  });

  it('takes the model ids the manifest rules take, and refuses the others', () => {
    const ids = [
      'a',
      'org/name',
      'Xenova/distilbert-base-uncased',
      'a.b_c-d',
      '../x',
      'a/b/c',
      '',
      '-a',
      'a..b',
      'x'.repeat(129),
    ];
    for (const id of ids) {
      const policyRefuses = thrown(() => parsePolicy(withField('models', [{ id }]))) !== undefined;
      expect(policyRefuses, id).toBe(modelIdProblem(id) !== undefined);
    }
  });

  it('names the field and the value in its message', () => {
    expect(thrown(() => parsePolicy(withField('maxModelBytes', -5)))?.message).toMatch(/maxModelBytes.*-5/);
  });
});

describe('verifySigned', () => {
  const key = testKey();
  const other = testKey();
  const text = JSON.stringify(base);
  const bytes = new TextEncoder().encode(text);
  const refused = (reason: string, keyId?: string) => ({
    code: 'SIGNATURE_INVALID',
    details: keyId ? { reason, keyId } : { reason },
  });
  const outcome = (p: Promise<unknown>) =>
    p.then(
      (v) => ({ ok: v }),
      (e: { code: string; details: unknown }) => ({ code: e.code, details: e.details }),
    );

  it('accepts a signature by a trusted key, and names the key', async () => {
    expect(await verifySigned(bytes, signatureFile(key, text), [other.publicKey, key.publicKey])).toEqual({
      keyId: key.keyId,
    });
  });

  it('checks the same in JavaScript where WebCrypto has no Ed25519 (or no subtle at all)', async () => {
    // the engine is found out once per worker (test/unit/trust.test.ts checks the detection): pin it
    setEd25519Engine('noble');
    try {
      expect(await verifySigned(bytes, signatureFile(key, text), [key.publicKey])).toEqual({ keyId: key.keyId });
      const changed = new TextEncoder().encode(`${text} `);
      expect(await outcome(verifySigned(changed, signatureFile(key, text), [key.publicKey]))).toEqual(
        refused('bad-signature', key.keyId),
      );
    } finally {
      setEd25519Engine(undefined);
    }
  });

  it('refuses changed bytes, an unknown key, a malformed file', async () => {
    const changed = new TextEncoder().encode(text.replace('1000000', '9000000'));
    expect(await outcome(verifySigned(changed, signatureFile(key, text), [key.publicKey]))).toEqual(
      refused('bad-signature', key.keyId),
    );
    expect(await outcome(verifySigned(bytes, signatureFile(key, text), [other.publicKey]))).toEqual(
      refused('unknown-key', key.keyId),
    );
    expect(await outcome(verifySigned(bytes, '{"kind":"airlock-signature/1"}', [key.publicKey]))).toEqual(
      refused('malformed'),
    );
    expect(await outcome(verifySigned(bytes, 'not json', [key.publicKey]))).toEqual(refused('malformed'));
  });
});

describe('hosting rules', () => {
  const policy: Policy = parsePolicy({ ...base, backends: ['wasm'] });
  const manifestOf = (id: string, revision: string, sizes: number[] = [10]): Manifest => ({
    schema: 1,
    id,
    task: 'text-generation',
    revision,
    source: 's',
    license: 'MIT',
    files: sizes.map((size, i) => ({ path: `f${i}`, size, sha256: '0'.repeat(64) })),
  });
  const setup = () => {
    const events: AuditEvent[] = [];
    return { events, rules: createHostingRules(policy, 'https://models.example/policy.json', (e) => events.push(e)) };
  };
  const denied = (rule: string, value: unknown, extra: Record<string, unknown> = {}) => ({
    code: 'POLICY_DENIED',
    details: { rule, value, ...extra },
    message: anyMessage,
  });
  const url = 'https://models.example/models/x/manifest.json';

  it('auto narrows to the one allowed backend; a device outside the policy is refused at the manifest', () => {
    const { rules, events } = setup();
    expect(rules.device('auto')).toBe('wasm');
    expect(rules.device('webgpu')).toBe('webgpu');
    const admit = rules.admission('webgpu');
    expect(thrown(() => admit.manifest(manifestOf('tiny-lm', REV), url))).toEqual(
      denied('backends', 'webgpu', { modelId: 'tiny-lm', allowed: ['wasm'] }),
    );
    expect(events).toMatchObject([{ type: 'denial', rule: 'backends', url, modelId: 'tiny-lm' }]);
  });

  it('models, pinned revisions, any revision when none is pinned', () => {
    const { rules, events } = setup();
    const admit = rules.admission('wasm');
    expect(thrown(() => admit.manifest(manifestOf('tiny-lm', REV), url))).toBeUndefined();
    expect(thrown(() => admit.manifest(manifestOf('org/tiny-ner', 'b'.repeat(64)), url))).toBeUndefined();
    expect(thrown(() => admit.manifest(manifestOf('tiny-lm', 'c'.repeat(64)), url))).toEqual(
      denied('revisions', 'c'.repeat(64), { modelId: 'tiny-lm', allowed: [REV] }),
    );
    expect(thrown(() => admit.manifest(manifestOf('other', REV), url))).toEqual(
      denied('models', 'other', { modelId: 'other' }),
    );
    expect(events.map((e) => e.type === 'denial' && e.rule)).toEqual(['revisions', 'models']);
  });

  it('maxModelBytes: the sum of the files the load would fetch, up to the limit inclusive', () => {
    const { rules } = setup();
    const admit = rules.admission('wasm');
    const m = manifestOf('tiny-lm', REV, [600_000, 400_000, 1]);
    expect(thrown(() => admit.files(m, url, m.files.slice(0, 2)))).toBeUndefined();
    expect(thrown(() => admit.files(m, url, m.files))).toEqual(
      denied('maxModelBytes', 1_000_001, { modelId: 'tiny-lm', limit: 1_000_000 }),
    );
  });

  it('origins: the page may allow more, the policy narrows; outside the page it is the egress refusal', async () => {
    const { rules, events } = setup();
    const asked: string[] = [];
    const inner = (input: string | URL | Request) => {
      asked.push(urlOf(input));
      return Promise.resolve(new Response('ok'));
    };
    const page = ['https://models.example', 'https://portal.example'];
    const fetch = rules.guard(inner, (u) => page.includes(new URL(u).origin));
    await fetch('https://models.example/models/a/manifest.json');
    const refusal = await fetch('https://portal.example/airlock/ort/x.wasm').then(
      () => undefined,
      (e: { code: string; details: unknown }) => ({ code: e.code, details: e.details }),
    );
    expect(refusal).toEqual({
      code: 'POLICY_DENIED',
      details: {
        rule: 'allowedOrigins',
        value: 'https://portal.example',
        url: 'https://portal.example/airlock/ort/x.wasm',
        allowedOrigins: ['https://models.example'],
      },
    });
    // not the page's: handed on, for the guarded fetch to refuse as before
    await fetch('https://elsewhere.example/x');
    expect(asked).toEqual(['https://models.example/models/a/manifest.json', 'https://elsewhere.example/x']);
    expect(events).toMatchObject([{ type: 'denial', rule: 'allowedOrigins' }]);
  });
});

describe('createRuntime({ policyUrl, trust }) options', () => {
  const origins = createOriginPolicy('https://portal.example/app/', 'https://models.example');
  const keys = [testKey().publicKey];
  const bad = (option: string) => ({
    code: 'BAD_INPUT',
    details: { option, value: expect.any(String) as string },
    message: anyMessage,
  });

  it('takes a path or URL on the model origin, with its keys; nothing without a policyUrl', () => {
    expect(hostingSettings('/policy.json', { publicKeys: keys }, origins)).toEqual({
      url: 'https://models.example/policy.json',
      publicKeys: keys,
    });
    expect(hostingSettings('https://models.example/p/policy.json', { publicKeys: keys }, origins)?.url).toBe(
      'https://models.example/p/policy.json',
    );
    expect(hostingSettings(undefined, { publicKeys: keys }, origins)).toBeUndefined();
  });

  it('refuses a policy URL off the model origin, one without keys, and a key that is not one', () => {
    expect(thrown(() => hostingSettings('https://portal.example/policy.json', { publicKeys: keys }, origins))).toEqual(
      bad('policyUrl'),
    );
    expect(thrown(() => hostingSettings('/policy.json', undefined, origins))).toEqual(bad('trust.publicKeys'));
    expect(thrown(() => hostingSettings('/policy.json', { publicKeys: [] }, origins))).toEqual(bad('trust.publicKeys'));
    expect(thrown(() => hostingSettings('/policy.json', { publicKeys: ['ed25519:short'] }, origins))).toEqual(
      bad('trust.publicKeys[0]'),
    );
    expect(thrown(() => hostingSettings('https://portal.example/x', { publicKeys: keys }, origins))?.message).toMatch(
      /policyUrl.*https:\/\/models\.example/,
    );
  });
});
