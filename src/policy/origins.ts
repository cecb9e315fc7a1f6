// The origin policy: which origins the library may contact. Everything else is egress.

export interface OriginPolicy {
  /** origins (scheme://host:port) that model files and runtime files may come from */
  readonly allowedOrigins: readonly string[];
}

/** Resolves `modelBase`, `runtimeBase` and any extra origins against the page and lists the origins. */
export function createOriginPolicy(pageUrl: string, bases: readonly string[], extraOrigins: readonly string[] = []): OriginPolicy {
  const origins = new Set<string>([new URL(pageUrl).origin]);
  for (const b of bases) origins.add(new URL(b, pageUrl).origin);
  for (const o of extraOrigins) origins.add(new URL(o).origin);
  return { allowedOrigins: [...origins] };
}

export function isAllowedUrl(policy: OriginPolicy, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  return policy.allowedOrigins.includes(parsed.origin);
}
