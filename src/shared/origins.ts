// The origin policy: which origins the library may contact. Everything else is egress.

export interface OriginPolicy {
  /** the origin of the page (and of the worker script) */
  readonly pageOrigin: string;
  /** the origin models come from; the page's unless the page names another */
  readonly modelOrigin: string;
  /** every origin the library may contact: the page's, the model origin and the extra ones, in that order */
  readonly allowedOrigins: readonly string[];
}

/** The origin of an http(s) URL, or undefined for anything else (data:, blob:, a typo). */
export function httpOrigin(url: string, base?: string): string | undefined {
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The page's origin, the model origin and an explicit list of further internal origins. The model
 * base and runtime base are not added on their own: a base on an origin outside this list is
 * refused when it is used, with EGRESS_BLOCKED, instead of widening the policy silently.
 */
export function createOriginPolicy(
  pageUrl: string,
  modelOrigin: string | undefined,
  extraOrigins: readonly string[] = [],
): OriginPolicy {
  const pageOrigin = new URL(pageUrl).origin;
  const origins = new Set<string>([pageOrigin]);
  const model = modelOrigin === undefined ? pageOrigin : httpOrigin(modelOrigin);
  if (!model) throw new TypeError(`modelOrigin "${modelOrigin}" is not an http(s) origin`);
  origins.add(model);
  for (const o of extraOrigins) {
    const origin = httpOrigin(o);
    if (!origin) throw new TypeError(`allowedOrigins entry "${o}" is not an http(s) origin`);
    origins.add(origin);
  }
  return { pageOrigin, modelOrigin: model, allowedOrigins: [...origins] };
}

export function isAllowedUrl(policy: Pick<OriginPolicy, 'allowedOrigins'>, url: string): boolean {
  const origin = httpOrigin(url);
  return origin !== undefined && policy.allowedOrigins.includes(origin);
}
