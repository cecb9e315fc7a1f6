// The hosting policy (`policy.json`, schema `airlock-policy/1`): which origins, models, backends and
// sizes a runtime may use. Parsing is strict: a key we do not know, a wrong type or an empty list
// is refused (POLICY_INVALID naming the field), since a policy read loosely is a policy widened.
import { AirlockError } from '../../errors.js';
import type { Backend } from '../../protocol/types.js';

export const POLICY_KIND = 'airlock-policy/1';
export const POLICY_BACKENDS: readonly Backend[] = ['wasm', 'webgpu'];

export interface PolicyModel {
  id: string;
  /** the manifest revisions allowed; absent: any revision of this id */
  revisions?: string[];
}

export interface Policy {
  kind: typeof POLICY_KIND;
  /** origins the runtime may contact (the intersection with the page's own list is what applies) */
  allowedOrigins: string[];
  /** the models allowed, or `any-signed`: any model whose manifest carries a valid signature */
  models: PolicyModel[] | 'any-signed';
  backends: Backend[];
  /** the most bytes one load may fetch, summed over its files */
  maxModelBytes: number;
  /** where audit events are posted: a path or URL on the model origin */
  collector?: string;
  evidenceRetentionDays: number;
  /** when the policy was issued, ISO 8601 */
  issuedAt: string;
}

const KEYS = new Set([
  'kind',
  'allowedOrigins',
  'models',
  'backends',
  'maxModelBytes',
  'collector',
  'evidenceRetentionDays',
  'issuedAt',
]);
const MODEL_KEYS = new Set(['id', 'revisions']);
// the model id rule of src/manifest/paths.ts (which shared code may not import): name or org/name
const ID_PART = /^[a-z0-9][a-z0-9._-]{0,127}$/i;

function idProblem(id: string): string | undefined {
  const parts = id.split('/');
  return parts.length <= 2 && parts.every((p) => ID_PART.test(p) && !p.includes('..'))
    ? undefined
    : 'must be a model id: name or org/name';
}
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const REVISION = /^[0-9a-f]{64}$/;

function invalid(field: string, problem: string, value?: unknown): AirlockError {
  const shown = value === undefined ? '' : ` (got ${JSON.stringify(value)?.slice(0, 80)})`;
  return new AirlockError('POLICY_INVALID', `Hosting policy: ${field} ${problem}${shown}`, { field });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strictKeys(obj: Record<string, unknown>, allowed: Set<string>, where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) throw invalid(`${where}${key}`, 'is not a field of airlock-policy/1');
  }
}

/** A non-empty list of distinct strings, each passing `check` (which names its problem). */
function stringList(field: string, v: unknown, check: (s: string) => string | undefined): string[] {
  if (!Array.isArray(v)) throw invalid(field, 'must be a list', v);
  if (v.length === 0) throw invalid(field, 'must not be empty');
  v.forEach((item, i) => {
    if (typeof item !== 'string') throw invalid(`${field}[${i}]`, 'must be a string', item);
    const problem = check(item);
    if (problem) throw invalid(`${field}[${i}]`, problem, item);
    if (v.indexOf(item) !== i) throw invalid(`${field}[${i}]`, 'is listed twice', item);
  });
  return [...(v as string[])];
}

function originProblem(s: string): string | undefined {
  try {
    const url = new URL(s);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === s) return undefined;
  } catch {
    // not a URL: the message below
  }
  return 'must be an http(s) origin (scheme, host and port; no path)';
}

function models(v: unknown): Policy['models'] {
  if (v === 'any-signed') return v;
  if (!Array.isArray(v)) throw invalid('models', 'must be a list or "any-signed"', v);
  if (v.length === 0) throw invalid('models', 'must not be empty');
  const seen = new Set<string>();
  return v.map((entry: unknown, i) => {
    const at = `models[${i}]`;
    if (!isObject(entry)) throw invalid(at, 'must be an object', entry);
    strictKeys(entry, MODEL_KEYS, `${at}.`);
    const { id, revisions } = entry;
    if (typeof id !== 'string') throw invalid(`${at}.id`, 'must be a string', id);
    const problem = idProblem(id);
    if (problem) throw invalid(`${at}.id`, problem, id);
    if (seen.has(id)) throw invalid(`${at}.id`, 'is listed twice', id);
    seen.add(id);
    if (revisions === undefined) return { id };
    const list = stringList(`${at}.revisions`, revisions, (r) =>
      REVISION.test(r) ? undefined : 'must be a manifest revision (64 lowercase hex characters)',
    );
    return { id, revisions: list };
  });
}

function positiveInteger(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw invalid(field, 'must be a positive integer', v);
  return v;
}

function collector(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0) throw invalid('collector', 'must be a path or URL', v);
  if (v.startsWith('/') && !v.startsWith('//')) return v;
  if (/^https?:\/\//.test(v) && URL.canParse(v)) return v;
  throw invalid('collector', 'must be a path ("/v1/logs") or an http(s) URL', v);
}

/** Checks a parsed `policy.json` and returns it typed; anything else is POLICY_INVALID naming the field. */
export function parsePolicy(json: unknown): Policy {
  if (!isObject(json)) throw invalid('policy', 'must be a JSON object', json);
  strictKeys(json, KEYS, '');
  if (json.kind !== POLICY_KIND) throw invalid('kind', `must be "${POLICY_KIND}"`, json.kind);
  const allowedOrigins = stringList('allowedOrigins', json.allowedOrigins, originProblem);
  const backends = stringList('backends', json.backends, (b) =>
    (POLICY_BACKENDS as readonly string[]).includes(b) ? undefined : 'must be "wasm" or "webgpu"',
  ) as Backend[];
  const issuedAt = json.issuedAt;
  if (typeof issuedAt !== 'string' || !ISO_TIME.test(issuedAt) || Number.isNaN(Date.parse(issuedAt)))
    throw invalid('issuedAt', 'must be an ISO 8601 time', issuedAt);
  const found = collector(json.collector);
  return {
    kind: POLICY_KIND,
    allowedOrigins,
    models: models(json.models),
    backends,
    maxModelBytes: positiveInteger('maxModelBytes', json.maxModelBytes),
    ...(found !== undefined && { collector: found }),
    evidenceRetentionDays: positiveInteger('evidenceRetentionDays', json.evidenceRetentionDays),
    issuedAt,
  };
}

/** The policy from the bytes of `policy.json`; text that is not JSON is POLICY_INVALID too. */
export function parsePolicyText(text: string): Policy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid('policy', `is not JSON: ${(e as Error).message}`);
  }
  return parsePolicy(json);
}
