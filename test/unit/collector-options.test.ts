// `audit.collector` and its settings: where the endpoint may be, and the checked numbers.
import { describe, expect, it } from 'vitest';
import { collectorSettings } from '../../src/page/audit/collector-options.js';
import { createOriginPolicy } from '../../src/shared/origins.js';
import { LIBRARY } from '../../src/version.js';
import { AirlockError } from '../../src/errors.js';

const PAGE = 'https://app.intranet.example/portal/';
const MODELS = 'https://models.intranet.example';
const policy = createOriginPolicy(PAGE, MODELS, ['https://other.intranet.example']);

function refusal(audit: Record<string, unknown>) {
  try {
    collectorSettings(audit, policy);
  } catch (e) {
    expect(e).toBeInstanceOf(AirlockError);
    return { code: (e as AirlockError).code, details: (e as AirlockError).details, message: (e as Error).message };
  }
  throw new Error('not refused');
}

describe('audit.collector', () => {
  it('takes a path on the model origin, or a URL on the page or the model origin, with the defaults', () => {
    expect(collectorSettings({ collector: '/v1/logs' }, policy)).toEqual({
      url: `${MODELS}/v1/logs`,
      maxQueued: 1000,
      batchMs: 5000,
      library: { ...LIBRARY },
    });
    expect(
      collectorSettings({ collector: 'https://app.intranet.example/otlp/v1/logs', maxQueued: 5, batchMs: 100 }, policy),
    ).toMatchObject({
      url: 'https://app.intranet.example/otlp/v1/logs',
      maxQueued: 5,
      batchMs: 100,
    });
    expect(collectorSettings({}, policy)).toBeUndefined();
    expect(collectorSettings(undefined, policy)).toBeUndefined();
  });

  it('refuses another origin, even an allowed one, naming the option, the value and the origins', () => {
    for (const url of [
      'https://other.intranet.example/v1/logs',
      'http://127.0.0.2:4318/v1/logs',
      'ftp://models.intranet.example/x',
    ]) {
      const r = refusal({ collector: url });
      expect(r.code).toBe('BAD_INPUT');
      expect(r.details).toEqual({ option: 'audit.collector', value: JSON.stringify(url) });
      expect(r.message).toContain(url);
      expect(r.message).toContain(MODELS);
    }
  });

  it('refuses a collector that is not a string, and bad numbers, naming each', () => {
    expect(refusal({ collector: 42 }).details).toEqual({ option: 'audit.collector', value: '42' });
    expect(refusal({ collector: '' }).details).toMatchObject({ option: 'audit.collector' });
    expect(refusal({ collector: '/v1/logs', maxQueued: 0 }).details).toEqual({ option: 'audit.maxQueued', value: '0' });
    expect(refusal({ collector: '/v1/logs', maxQueued: 1.5 }).details).toMatchObject({ option: 'audit.maxQueued' });
    expect(refusal({ collector: '/v1/logs', batchMs: 5 }).details).toEqual({ option: 'audit.batchMs', value: '5' });
  });
});
