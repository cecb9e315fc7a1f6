// The only way the worker reaches the network: a fetch that refuses URLs outside the policy.
import { AirlockError } from '../../errors.js';
import { isAllowedUrl, type OriginPolicy } from '../../shared/origins.js';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/**
 * A fetch that checks every URL against `policy` first. A refused URL is never requested: it
 * throws EGRESS_BLOCKED and is reported to `onDenied`.
 */
export function createGuardedFetch(
  policy: Pick<OriginPolicy, 'allowedOrigins'>,
  base: string,
  inner: FetchLike = fetch,
  onDenied?: (url: string, reason: string) => void,
): FetchLike {
  return async (input, init) => {
    const url = new URL(urlOf(input), base).href;
    if (!isAllowedUrl(policy, url)) {
      onDenied?.(url, 'its origin is not in the policy');
      throw new AirlockError('EGRESS_BLOCKED', `Refused a request to ${url}: its origin is not allowed`, {
        url,
        allowedOrigins: [...policy.allowedOrigins],
      });
    }
    try {
      // credentials stay on the origin, and a redirect is an error: following one could take
      // the request to an origin that the check above never saw. The caller cannot change either.
      const options: RequestInit = { ...init, credentials: 'same-origin', redirect: 'error' };
      return await (input instanceof Request ? inner(new Request(input, options)) : inner(url, options));
    } catch (e) {
      if ((e as Error)?.name === 'AbortError')
        throw new AirlockError('ABORTED', `Request to ${url} was aborted`, { url });
      throw new AirlockError('NETWORK', `Request to ${url} failed: ${(e as Error)?.message ?? String(e)}`, { url });
    }
  };
}
