import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../src/errors.js';
import { createGuardedFetch } from '../../src/worker/policy/guarded-fetch.js';
import { createOriginPolicy, isAllowedUrl } from '../../src/shared/origins.js';

const page = 'https://portal.intranet.test/app/';

describe('origin policy', () => {
  const policy = createOriginPolicy(page, 'https://models.intranet.test/m/', ['https://extra.intranet.test/any/path']);

  it('lists the page origin, the model origin and the extra origins', () => {
    expect(policy.pageOrigin).toBe('https://portal.intranet.test');
    expect(policy.modelOrigin).toBe('https://models.intranet.test');
    expect(policy.allowedOrigins).toEqual([
      'https://portal.intranet.test',
      'https://models.intranet.test',
      'https://extra.intranet.test',
    ]);
  });

  it('takes the page origin as the model origin by default, once', () => {
    const own = createOriginPolicy(page, undefined, ['https://portal.intranet.test']);
    expect(own.modelOrigin).toBe('https://portal.intranet.test');
    expect(own.allowedOrigins).toEqual(['https://portal.intranet.test']);
  });

  it('refuses origins that are not http(s)', () => {
    expect(() => createOriginPolicy(page, 'ftp://models.intranet.test')).toThrow(/modelOrigin/);
    expect(() => createOriginPolicy(page, undefined, ['not a url'])).toThrow(/allowedOrigins/);
    expect(() => createOriginPolicy(page, undefined, ['blob:https://portal.intranet.test/1'])).toThrow(
      /allowedOrigins/,
    );
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
  const policy = createOriginPolicy(page, undefined);
  const seen: string[] = [];
  const inner = (url: string | URL | Request) => {
    seen.push(url instanceof Request ? url.url : url.toString());
    return Promise.resolve(new Response('ok'));
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

  it('reports each refusal, and refuses Request objects and protocol-relative URLs alike', async () => {
    const denied: string[] = [];
    const guarded = createGuardedFetch(policy, page, inner, (url, reason) => denied.push(`${url} (${reason})`));
    const before = seen.length;
    for (const input of [
      new Request('https://cdn.example.com/a.mjs'),
      '//cdn.example.com/b',
      new URL('http://portal.intranet.test/c'),
    ]) {
      expect(((await guarded(input).catch((e: unknown) => e)) as AirlockError).code).toBe('EGRESS_BLOCKED');
    }
    expect(seen.length).toBe(before);
    expect(denied).toEqual([
      'https://cdn.example.com/a.mjs (its origin is not in the policy)',
      'https://cdn.example.com/b (its origin is not in the policy)',
      'http://portal.intranet.test/c (its origin is not in the policy)',
    ]);
  });

  it('never follows a redirect and keeps credentials on the origin, whatever the caller asks', async () => {
    const inits: (RequestInit | undefined)[] = [];
    const requests: Request[] = [];
    const guarded = createGuardedFetch(policy, page, (input, init) => {
      inits.push(init);
      if (input instanceof Request) requests.push(input);
      return Promise.resolve(new Response('ok'));
    });
    await guarded('/models/a', { redirect: 'follow', credentials: 'include' });
    await guarded(new Request('https://portal.intranet.test/models/b', { redirect: 'follow', credentials: 'include' }));
    expect(inits[0]).toMatchObject({ redirect: 'error', credentials: 'same-origin' });
    expect(requests[0]!.redirect).toBe('error');
    expect(requests[0]!.credentials).toBe('same-origin');
  });

  it('reports transport failures as NETWORK and aborts as ABORTED', async () => {
    const failing = createGuardedFetch(policy, page, () => Promise.reject(new TypeError('Failed to fetch')));
    expect(((await failing('/models/x').catch((e: unknown) => e)) as AirlockError).code).toBe('NETWORK');
    const aborting = createGuardedFetch(policy, page, () => Promise.reject(new DOMException('aborted', 'AbortError')));
    expect(((await aborting('/models/x').catch((e: unknown) => e)) as AirlockError).code).toBe('ABORTED');
  });
});
