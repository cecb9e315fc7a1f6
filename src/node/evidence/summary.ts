// The report's first lines: one pass, fail or note per question an auditor asks.
import type { AuditSource, EvidenceReport, HostingPolicy, SummaryLine } from './types.js';

type Parts = Pick<EvidenceReport, 'egress' | 'access' | 'denials' | 'models' | 'runtime'> & {
  policy: HostingPolicy | null;
  sources: readonly AuditSource[];
  allowed: readonly string[];
};

function egressLine(p: Parts): SummaryLine {
  if (p.egress.length === 0)
    return { id: 'egress', status: 'note', text: 'No audit input was given: egress is not shown.' };
  const outside = p.egress.flatMap((e) => e.outside.map((o) => `${o.count} to ${o.origin} (${e.file})`));
  if (outside.length > 0)
    return { id: 'egress', status: 'fail', text: `Requests left the allowed origins: ${outside.join(', ')}.` };
  const total = p.egress.reduce((n, e) => n + e.requests, 0);
  return {
    id: 'egress',
    status: 'pass',
    text: `No request left the allowed origins (${total} requests in ${p.egress.length} audit input(s) to ${p.allowed.join(', ')}).`,
  };
}

function completeLine(p: Parts): SummaryLine | null {
  const partial = p.egress.filter((e) => !e.complete).map((e) => e.file);
  if (partial.length === 0) return null;
  return {
    id: 'complete',
    status: 'fail',
    text: `Some requests may be missing from ${partial.join(', ')} (a worker crashed or the log was full).`,
  };
}

function policyLine(p: Parts): SummaryLine {
  if (!p.policy) return { id: 'policy', status: 'fail', text: 'No hosting policy was given.' };
  const refused = p.denials.length;
  return { id: 'policy', status: 'pass', text: `A hosting policy was given; it caused ${refused} refusal(s).` };
}

function loadsLine(p: Parts): SummaryLine {
  const loads = p.sources.flatMap((s) => s.loads);
  const policy = p.policy;
  const known = new Map(p.models.map((m) => [m.id, m.revision]));
  const bad: string[] = [];
  for (const l of loads) {
    if (known.get(l.modelId) !== l.revision)
      bad.push(`${l.modelId} ran revision ${l.revision.slice(0, 12)}, not the tree's`);
    if (policy && policy.models !== 'any-signed') {
      const rule = policy.models.find((m) => m.id === l.modelId);
      if (!rule || (rule.revisions && !rule.revisions.includes(l.revision)))
        bad.push(`${l.modelId} (revision ${l.revision.slice(0, 12)}) is not allowed by the policy`);
    }
    if (policy && !policy.backends.includes(l.backend)) bad.push(`${l.modelId} ran on ${l.backend}`);
  }
  if (bad.length > 0)
    return {
      id: 'loads',
      status: 'fail',
      text: `Models ran outside the tree or policy: ${[...new Set(bad)].join('; ')}.`,
    };
  return {
    id: 'loads',
    status: loads.length ? 'pass' : 'note',
    text: `${loads.length} model load(s), each of a revision the tree holds${policy ? ' and the policy allows' : ''}.`,
  };
}

function signedLine(p: Parts): SummaryLine {
  const unsigned = p.models.filter((m) => !m.signer).map((m) => m.id);
  if (unsigned.length === 0)
    return { id: 'signed', status: 'pass', text: `All ${p.models.length} manifests are signed.` };
  return {
    id: 'signed',
    status: 'fail',
    text: `${unsigned.length} of ${p.models.length} manifests are unsigned: ${unsigned.join(', ')}.`,
  };
}

function verifiedLine(p: Parts): SummaryLine {
  const failed = p.models.filter((m) => m.failedVerifications > 0).map((m) => m.id);
  const checked = p.models.filter((m) => m.lastVerified).length;
  if (failed.length > 0)
    return { id: 'verified', status: 'fail', text: `Files failed verification: ${failed.join(', ')}.` };
  return {
    id: 'verified',
    status: checked ? 'pass' : 'note',
    text: `${checked} model(s) verified on a device; no verification failed.`,
  };
}

function runtimeLine(p: Parts): SummaryLine {
  const problems = p.runtime.components.flatMap((c) => [
    ...(c.tooOld ? [`${c.name}@${c.version} is ${c.ageDays} days old (over ${p.runtime.maxAgeDays})`] : []),
    ...c.advisories.map((a) => `${c.name}@${c.version} has advisory ${a.id}`),
  ]);
  if (problems.length > 0)
    return { id: 'runtime', status: 'fail', text: `Runtime needs patching: ${problems.join('; ')}.` };
  const undated = p.runtime.components.filter((c) => !c.released).map((c) => `${c.name}@${c.version}`);
  if (undated.length > 0)
    return { id: 'runtime', status: 'note', text: `No release date known for ${undated.join(', ')}.` };
  return {
    id: 'runtime',
    status: 'pass',
    text: `Runtime versions are within ${p.runtime.maxAgeDays} days and have no advisory.`,
  };
}

export function summaryLines(p: Parts): SummaryLine[] {
  const access = p.access.entries.length;
  const clients = new Set(p.access.entries.map((e) => e.client)).size;
  return [
    egressLine(p),
    completeLine(p),
    {
      id: 'access',
      status: 'note',
      text: `${access} request(s) in the access logs from ${clients} client(s).`,
    } as const,
    policyLine(p),
    loadsLine(p),
    signedLine(p),
    verifiedLine(p),
    runtimeLine(p),
  ].filter((l): l is SummaryLine => l !== null);
}
