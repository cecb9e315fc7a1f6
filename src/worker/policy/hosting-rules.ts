// The hosting policy's rules, applied where a load decides: the origins a request may reach (the
// page's list narrowed to the policy's), the models and revisions, the backends, and the size of
// what a load would fetch. Each refusal is POLICY_DENIED with `{ rule, value }` and a denial event
// naming the rule; nothing refused is ever requested.
import { AirlockError } from '../../errors.js';
import type { Manifest, ManifestFile } from '../../manifest/types.js';
import type { AuditSink } from '../../protocol/audit-events.js';
import type { Device } from '../../protocol/types.js';
import { httpOrigin } from '../../shared/origins.js';
import type { Policy } from '../../shared/trust/policy.js';
import { denial } from '../audit/events.js';
import { urlOf, type FetchLike } from './guarded-fetch.js';

/** What a load asks the policy before it fetches any file of the model. */
export interface Admission {
  /** the model's id and revision, and the load's backend */
  manifest(manifest: Manifest, manifestUrl: string): void;
  /** the files the load would fetch, by their total size */
  files(manifest: Manifest, manifestUrl: string, files: readonly ManifestFile[]): void;
}

export interface HostingRules {
  /** `auto` narrowed to the one backend the policy allows, when it allows one; other devices unchanged */
  device(requested: Device): Device;
  admission(device: Device): Admission;
  /** refuses a URL whose origin the page allows but the policy does not */
  checkOrigin(url: string, what: string): void;
  /** `inner` behind the origin rule */
  guard(inner: FetchLike, pageAllows: (url: string) => boolean): FetchLike;
}

export function createHostingRules(policy: Policy, policyUrl: string, emit: AuditSink): HostingRules {
  const refuse = (rule: string, value: unknown, url: string, message: string, extra: Record<string, unknown> = {}) => {
    emit({ ...denial(url, message, extra.modelId as string | undefined), rule });
    return new AirlockError('POLICY_DENIED', `${message} (hosting policy ${policyUrl}, rule ${rule})`, {
      rule,
      value,
      ...extra,
    });
  };
  const checkOrigin = (url: string, what: string) => {
    const origin = httpOrigin(url);
    if (origin !== undefined && policy.allowedOrigins.includes(origin)) return;
    throw refuse('allowedOrigins', origin ?? url, url, `${what} ${url}: its origin is not in the hosting policy`, {
      url,
      allowedOrigins: [...policy.allowedOrigins],
    });
  };
  return {
    device: (requested) => (requested === 'auto' && policy.backends.length === 1 ? policy.backends[0]! : requested),
    admission: (device) => admission(policy, device, refuse),
    checkOrigin,
    guard: (inner, pageAllows) => async (input, init) => {
      const url = urlOf(input);
      // outside the page's own list it is the guarded fetch's refusal (EGRESS_BLOCKED), as without a policy
      if (pageAllows(url)) checkOrigin(url, 'Refused a request to');
      return await inner(input, init);
    },
  };
}

type Refuse = (rule: string, value: unknown, url: string, message: string, extra?: Record<string, unknown>) => Error;

function admission(policy: Policy, device: Device, refuse: Refuse): Admission {
  return {
    manifest({ id, revision }, url) {
      if (device !== 'auto' && !policy.backends.includes(device)) {
        throw refuse('backends', device, url, `Backend ${device} for "${id}" is not allowed`, {
          modelId: id,
          allowed: [...policy.backends],
        });
      }
      if (policy.models === 'any-signed') return;
      const entry = policy.models.find((m) => m.id === id);
      if (!entry) throw refuse('models', id, url, `Model "${id}" is not in the hosting policy`, { modelId: id });
      if (entry.revisions && !entry.revisions.includes(revision)) {
        throw refuse(
          'revisions',
          revision,
          url,
          `Revision ${revision} of "${id}" is not pinned by the hosting policy`,
          {
            modelId: id,
            allowed: [...entry.revisions],
          },
        );
      }
    },
    files({ id }, url, files) {
      const bytes = files.reduce((n, f) => n + f.size, 0);
      if (bytes <= policy.maxModelBytes) return;
      throw refuse(
        'maxModelBytes',
        bytes,
        url,
        `Model "${id}" would fetch ${bytes} bytes, over the hosting policy's maxModelBytes of ${policy.maxModelBytes}`,
        { modelId: id, limit: policy.maxModelBytes },
      );
    },
  };
}
