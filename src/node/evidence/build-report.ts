// Reads every input and puts the report's data together (no files are written here).
import { basename } from 'node:path';
import { readAccessLog } from './access-log-input.js';
import { accessGroups, allowedOrigins, egressOf, foreignOrigins, withVerifications } from './analysis.js';
import { readAuditSource } from './audit-input.js';
import { readModels } from './models-input.js';
import { collectorUrl, policyInWords, readPolicy } from './policy-input.js';
import { readAdvisories, readReleases, runtimeComponents, runtimeFiles, versionsSeen } from './runtime-input.js';
import { summaryLines } from './summary.js';
import { REPORT_SCHEMA, type AuditSource, type EvidenceReport, type HostingPolicy } from './types.js';

export interface EvidenceInputs {
  /** the tool that writes the report (the CLI's name and version) */
  tool: { name: string; version: string };
  models: string;
  audit: readonly string[];
  accessLogs: readonly string[];
  policy?: string;
  app?: string;
  /** a folder holding onnxruntime-web's runtime files, when not inside `app` */
  runtime?: string;
  releases?: string;
  advisories?: string;
  maxAgeDays?: number;
  /** the report's time, ms since the epoch (default now) */
  now?: number;
}

export const DEFAULT_MAX_AGE_DAYS = 180;

async function all<T>(files: readonly string[], read: (f: string) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const f of files) out.push(await read(f));
  return out;
}

/** Who reached what: each access-log client the origin (or its collector), each audited page the origins it asked. */
function clientsOf(
  sources: readonly AuditSource[],
  access: EvidenceReport['access']['entries'],
  network: { modelOrigin: string | null; collector: string | null },
): EvidenceReport['network']['clients'] {
  const clients = new Map<string, Set<string>>();
  const reach = (label: string, target: string | null) => {
    const set = clients.get(label) ?? new Set<string>();
    if (target) set.add(target);
    clients.set(label, set);
  };
  const collectorPath = network.collector ? new URL(network.collector).pathname : null;
  for (const e of access)
    reach(`client ${e.client ?? '(unknown)'}`, e.path === collectorPath ? network.collector : network.modelOrigin);
  for (const s of sources)
    for (const r of s.requests)
      reach(
        s.pageOrigin ? `page ${s.pageOrigin}` : `runtimes in ${basename(s.file)}`,
        r.url === network.collector ? r.url : r.origin,
      );
  return [...clients]
    .map(([label, reaches]) => ({ label, reaches: [...reaches].sort() }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

async function runtimeOf(inputs: EvidenceInputs, sources: AuditSource[], now: number, maxAgeDays: number) {
  const releases = inputs.releases ? await readReleases(inputs.releases) : {};
  const advisories = inputs.advisories ? await readAdvisories(inputs.advisories) : [];
  const seen = await versionsSeen(inputs.app ?? null, sources);
  const files = [
    ...(inputs.app ? await runtimeFiles(inputs.app) : []),
    ...(inputs.runtime ? await runtimeFiles(inputs.runtime) : []),
  ];
  return { components: runtimeComponents(seen, releases, advisories, { now, maxAgeDays }), files, maxAgeDays };
}

export async function buildReport(inputs: EvidenceInputs): Promise<EvidenceReport> {
  const now = inputs.now ?? Date.now();
  const maxAgeDays = inputs.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  const policy: HostingPolicy | null = inputs.policy ? await readPolicy(inputs.policy) : null;
  const sources = await all(inputs.audit, readAuditSource);
  const entries = (await all(inputs.accessLogs, readAccessLog)).flat();
  const models = withVerifications(await readModels(inputs.models), sources);
  const allowed = allowedOrigins(policy, sources);
  const collector = policy ? collectorUrl(policy) : null;
  const egress = egressOf(sources, allowed);
  const access = { entries, groups: accessGroups(entries, collector ? new URL(collector).pathname : null) };
  const denials = sources.flatMap((s) => s.denials.map((d) => ({ ...d, file: s.file })));
  const runtime = await runtimeOf(inputs, sources, now, maxAgeDays);
  const parts = { egress, access, denials, models, runtime, policy, sources, allowed };
  return {
    schema: REPORT_SCHEMA,
    generatedAt: new Date(now).toISOString(),
    tool: { ...inputs.tool },
    inputs: {
      models: inputs.models,
      audit: [...inputs.audit],
      accessLogs: [...inputs.accessLogs],
      policy: inputs.policy ?? null,
      app: inputs.app ?? null,
    },
    summary: summaryLines(parts),
    network: {
      allowedOrigins: allowed,
      modelOrigin: allowed[0] ?? null,
      collector,
      clients: clientsOf(sources, entries, { modelOrigin: allowed[0] ?? null, collector }),
      foreignOrigins: foreignOrigins(egress),
    },
    access,
    egress,
    requests: sources.flatMap((s) =>
      s.requests.map((r) => ({ ...r, file: s.file, allowed: allowed.includes(r.origin) })),
    ),
    policy: {
      given: policy !== null,
      data: policy,
      words: policy ? policyInWords(policy) : ['No hosting policy was given.'],
    },
    denials,
    models,
    runtime,
  };
}
