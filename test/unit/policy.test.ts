import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../src/errors.js';
import { createGuardedFetch } from '../../src/policy/guarded-fetch.js';
import { createOriginPolicy, isAllowedUrl } from '../../src/policy/origins.js';

const page = 'https://portal.intranet.test/app/';

describe('origin policy', () => {
  const policy = createOriginPolicy(page, ['/models/', 'https://models.intranet.test/m/'], ['https://extra.intranet.test']);

  it('lists the page origin, the bases and the extra origins', () => {
    expect(policy.allowedOrigins).toEqual(['https://portal.intranet.test', 'https://models.intranet.test', 'https://extra.intranet.test']);
  });

  it('allows exactly those origins over http(s)', () => {
    expect(isAllowedUrl(policy, 'https://portal.intranet.test/models/x/manifest.json')).toBe(true);
    expect(isAllowedUrl(policy, 'https://models.intranet.test/anything')).toBe(true);
    expect(isAllowedUrl(policy, 'https://huggingface.co/x')).toBe(false);
    expect(isAllowedUrl(policy, 'http://portal.intranet.test/models/')).toBe(false); // scheme is part of the origin
    expect(isAllowedUrl(policy, 'https://portal.intranet.test:8443/')).toBe(false);
    expect(isAllowedUrl(policy, 'https://portal.intranet.test.evil.example/')).toBe(false);
    expect(isAllowedUrl(policy, 'data:text/plain,hi')).toBe(false);
    expect(isAllowedUrl(policy, 'not a url')).toBe(false);
  });
});

describe('guarded fetch', () => {
  const policy = createOriginPolicy(page, ['/models/']);
  const seen: string[] = [];
  const inner = async (url: string | URL | Request) => {
    seen.push(String(url));
    return new Response('ok');
  };

  it('passes allowed URLs through, resolved against the base', async () => {
    const guarded = createGuardedFetch(policy, page, inner);
    expect(await (await guarded('/models/a/manifest.json')).text()).toBe('ok');
    expect(seen.at(-1)).toBe('https://portal.intranet.test/models/a/manifest.json');
  });

  it('refuses other origins with EGRESS_BLOCKED and never calls fetch', async () => {
    const guarded = createGuardedFetch(policy, page, inner);
    const before = seen.length;
    const err = await guarded('https://cdn.example.com/ort.wasm').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AirlockError);
    expect((err as AirlockError).code).toBe('EGRESS_BLOCKED');
    expect((err as AirlockError).details?.url).toBe('https://cdn.example.com/ort.wasm');
    expect(seen.length).toBe(before);
  });

  it('reports transport failures as NETWORK and aborts as ABORTED', async () => {
    const failing = createGuardedFetch(policy, page, async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(((await failing('/models/x').catch((e: unknown) => e)) as AirlockError).code).toBe('NETWORK');
    const aborting = createGuardedFetch(policy, page, async () => {
      throw new DOMException('aborted', 'AbortError');
    });
    expect(((await aborting('/models/x').catch((e: unknown) => e)) as AirlockError).code).toBe('ABORTED');
  });
});
