// The evidence document: what a runtime fetched, from where, what it loaded and whether anything
// left the allowed origins, as one JSON document for an auditor. Its schema is in docs/evidence.md.
import type {
  DenialEvent,
  EvictionEvent,
  LoadEvent,
  RequestEvent,
  RunEvent,
  VerificationEvent,
} from '../../protocol/audit-events.js';
import type { EngineVersions, HostingFacts } from '../../protocol/config.js';
import type { AuditLog } from './log.js';
import type { CollectorStatus } from '../../protocol/collector.js';

export const EVIDENCE_SCHEMA = 'airlock-evidence/1';

/** An event as the evidence lists it: its time as an ISO 8601 string, its type implied by the list. */
type Listed<E extends { type: string; at: number }> = Omit<E, 'type' | 'at'> & { at: string };

export interface EvidencePolicy {
  pageOrigin: string;
  modelOrigin: string;
  allowedOrigins: string[];
  modelBase: string;
  runtimeBase: string;
}

export interface EvidenceContext {
  library: { name: string; version: string };
  /** the engines' versions as the worker reported them; null before the worker started */
  engines: EngineVersions | null;
  policy: EvidencePolicy;
  /** the signed hosting policy the worker verified; null without one (or before the worker started) */
  hostingPolicy?: HostingFacts | null;
  page: { origin: string; crossOriginIsolated: boolean; userAgent: string };
  /** the central log's delivery, when `audit.collector` is set */
  collector?: CollectorStatus | null;
  now?: number;
}

/** A load as the evidence lists it: the load event, its time as `loadedAt`. */
export type EvidenceModel = Omit<LoadEvent, 'type' | 'at'> & { loadedAt: string };

export interface EvidenceOrigin {
  origin: string;
  allowed: boolean;
  /** every request to this origin since the runtime was created */
  count: number;
  bytes: number;
  /** the requests still in the log (all of them unless `log.dropped` > 0) */
  requests: Listed<Omit<RequestEvent, 'origin' | 'allowed'>>[];
}

export interface Evidence {
  schema: typeof EVIDENCE_SCHEMA;
  generatedAt: string;
  timeRange: { from: string; to: string };
  software: {
    library: { name: string; version: string };
    transformersJs: string | null;
    onnxruntimeWeb: string | null;
    userAgent: string;
  };
  page: { origin: string; crossOriginIsolated: boolean };
  policy: EvidencePolicy & { redirects: 'refused'; credentials: 'same-origin'; modelHub: 'off' };
  /** the hosting policy in force: its URL, signing key, issue time, where it came from, and its rules */
  hostingPolicy: HostingFacts | null;
  models: EvidenceModel[];
  /** `complete`: false when a worker stopped unexpectedly, since requests it made just before may be missing */
  requests: { total: number; complete: boolean; byOrigin: EvidenceOrigin[] };
  denials: Listed<DenialEvent>[];
  verifications: { total: number; failed: number; events: Listed<VerificationEvent>[] };
  evictions: Listed<EvictionEvent>[];
  runs: { total: number; failed: number; events: Listed<RunEvent>[] };
  egress: { none: boolean; outsideRequests: number; outsideOrigins: string[]; statement: string };
  workers: { started: number; crashed: number };
  log: { held: number; dropped: number; maxEvents: number };
  /** delivery to `audit.collector`: sent, waiting, dropped by the bounded queue; null without one */
  collector: CollectorStatus | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

function listed<E extends { type: string; at: number }>(event: E): Listed<E> {
  const { type: _type, at, ...rest } = event;
  return { ...rest, at: iso(at) };
}

function statement(
  total: number,
  outside: { origin: string; count: number }[],
  allowed: readonly string[],
  denials: number,
  crashes: number,
): string {
  const refused =
    denials === 0
      ? 'No request was refused.'
      : `${denials} request(s) were refused by the policy before they were sent.`;
  const crashed =
    crashes === 0
      ? ''
      : ` The worker stopped unexpectedly ${crashes} time(s): requests it made just before may be missing.`;
  if (outside.length === 0) {
    return `All ${total} request(s) the library made went to allowed origins (${allowed.join(', ')}). ${refused}${crashed}`;
  }
  const where = outside.map((o) => `${o.count} to ${o.origin}`).join(', ');
  const count = outside.reduce((n, o) => n + o.count, 0);
  return `${count} of ${total} request(s) went outside the allowed origins: ${where}. ${refused}${crashed}`;
}

export function buildEvidence(log: AuditLog, ctx: EvidenceContext): Evidence {
  const now = ctx.now ?? Date.now();
  const events = log.events();
  const of = <T extends (typeof events)[number]['type']>(type: T) =>
    events.filter((e): e is Extract<(typeof events)[number], { type: T }> => e.type === type);
  const totals = log.originTotals();
  const requests = of('request');
  const byOrigin: EvidenceOrigin[] = totals.map((t) => ({
    ...t,
    requests: requests.filter((r) => r.origin === t.origin).map(({ origin: _o, allowed: _a, ...r }) => listed(r)),
  }));
  const outside = totals.filter((t) => !t.allowed);
  const total = totals.reduce((n, t) => n + t.count, 0);
  const { totals: counted } = log;
  return {
    schema: EVIDENCE_SCHEMA,
    generatedAt: iso(now),
    timeRange: { from: iso(log.startedAt), to: iso(now) },
    software: {
      library: ctx.library,
      transformersJs: ctx.engines?.transformersJs ?? null,
      onnxruntimeWeb: ctx.engines?.onnxruntimeWeb ?? null,
      userAgent: ctx.page.userAgent,
    },
    page: { origin: ctx.page.origin, crossOriginIsolated: ctx.page.crossOriginIsolated },
    policy: { ...ctx.policy, redirects: 'refused', credentials: 'same-origin', modelHub: 'off' },
    hostingPolicy: ctx.hostingPolicy ?? null,
    models: log.models().map(({ type: _t, at, ...m }) => ({ ...m, loadedAt: iso(at) })),
    requests: { total, complete: counted.workerCrashes === 0, byOrigin },
    denials: of('denial').map(listed),
    verifications: {
      total: counted.verifications,
      failed: counted.failedVerifications,
      events: of('verification').map(listed),
    },
    evictions: of('eviction').map(listed),
    runs: { total: counted.runs, failed: counted.failedRuns, events: of('run').map(listed) },
    egress: {
      none: outside.length === 0,
      outsideRequests: outside.reduce((n, o) => n + o.count, 0),
      outsideOrigins: outside.map((o) => o.origin),
      statement: statement(total, outside, ctx.policy.allowedOrigins, counted.denials, counted.workerCrashes),
    },
    workers: { started: counted.workersStarted, crashed: counted.workerCrashes },
    log: { held: events.length, dropped: log.dropped, maxEvents: log.maxEvents },
    collector: ctx.collector ?? null,
  };
}
