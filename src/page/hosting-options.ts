// `createRuntime({ policyUrl, trust })`: the signed hosting policy the worker fetches first. A
// policy URL needs trusted keys (a policy nobody signed is no policy) and lies on the model origin.
import type { HostingPolicyConfig } from '../protocol/config.js';
import type { OriginPolicy } from '../shared/origins.js';
import { badOption, optionsObject } from './checks.js';
import type { TrustOptions } from './trust.js';

const KEY = /^ed25519:[A-Za-z0-9_-]{43}$/;

/** The worker's hosting policy settings, checked; undefined without a `policyUrl`. */
export function hostingSettings(
  policyUrl: unknown,
  trust: TrustOptions | undefined,
  origins: OriginPolicy,
): HostingPolicyConfig | undefined {
  if (policyUrl === undefined) return undefined;
  if (typeof policyUrl !== 'string' && !(policyUrl instanceof URL))
    throw badOption('policyUrl', policyUrl, 'a URL or a path');
  let url: URL;
  try {
    // a path is on the model origin
    url = new URL(String(policyUrl), `${origins.modelOrigin}/`);
  } catch {
    throw badOption('policyUrl', String(policyUrl), 'a valid URL or path');
  }
  if (url.origin !== origins.modelOrigin)
    throw badOption('policyUrl', url.href, `a URL on the model origin (${origins.modelOrigin})`);
  const keys = optionsObject('trust', trust).publicKeys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw badOption('trust.publicKeys', keys, 'a non-empty list of keys: a policyUrl needs the keys that sign it');
  keys.forEach((k: unknown, i) => {
    if (typeof k !== 'string' || !KEY.test(k))
      throw badOption(`trust.publicKeys[${i}]`, k, 'an ed25519:<base64url> key');
  });
  return { url: url.href, publicKeys: [...keys] };
}
