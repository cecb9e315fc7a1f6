// The report's five sections as HTML, each from the report's data only.
import { networkDiagram } from './diagram.js';
import { esc } from './escape.js';
import { badge, facts, mono, section, table, type Cell } from './html-parts.js';
import type { EvidenceReport, ModelEntry } from './types.js';

const statuses = (s: Record<string, number>) =>
  Object.entries(s)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');

export function summarySection(r: EvidenceReport): string {
  const items = r.summary
    .map((l) => `<li class="${l.status}">${badge(l.status).html}<span>${esc(l.text)}</span></li>`)
    .join('\n');
  return section('summary', 'Summary', `<ul class="summary">\n${items}\n</ul>`);
}

export function networkSection(r: EvidenceReport): string {
  const legend =
    '<p class="legend">Drawn from the hosting policy and what the access logs and audit inputs show. Green: origins the policy allows; red, dashed: origins requests were observed going to outside them.</p>';
  return section(
    'network',
    '1. Network architecture',
    `<div class="diagram">${networkDiagram(r.network)}</div>${legend}`,
  );
}

export function accessSection(r: EvidenceReport): string {
  const groups = table(
    ['endpoint', 'page origin', 'client', 'requests', 'bytes', 'statuses'],
    r.access.groups.map((g) => [g.endpoint, g.origin, g.client, g.count, g.bytes, statuses(g.statuses)]),
  );
  const egress = table(
    ['audit input', 'requests', 'outside the allowed origins', 'complete'],
    r.egress.map((e) => [
      e.file,
      e.requests,
      e.outside.length ? e.outside.map((o) => `${o.count} to ${o.origin}`).join(', ') : 'none',
      e.complete ? 'yes' : 'no',
    ]),
    (i) => (r.egress[i]!.outside.length ? 'bad' : ''),
  );
  const requests = table(
    ['url', 'status', 'bytes', 'initiator', 'at', 'allowed'],
    r.requests.map((q) => [mono(q.url), q.status, q.bytes, q.initiator, q.at, q.allowed ? 'yes' : 'NO']),
    (i) => (r.requests[i]!.allowed ? '' : 'bad'),
  );
  const endpoints =
    "<p class=\"legend\">Endpoints: models (<code>/models/</code>), runtime (<code>/airlock/ort/</code>), collector (the policy's), policy (<code>policy.json</code>), other (the app's own pages and scripts). Page origin: the Origin header (nginx: the Referer's origin).</p>";
  return section(
    'access',
    '2. Access-log evidence',
    [
      `<h3>Requests to the origin's endpoints, by page origin and client (${r.access.entries.length} log lines)</h3>`,
      groups,
      endpoints,
      '<h3>Outbound requests, per audit input</h3>',
      '<p>Computed from the requests each runtime recorded, against the allowed origins.</p>',
      egress,
      `<details><summary>Every request the runtimes recorded (${r.requests.length})</summary>${requests}</details>`,
    ].join('\n'),
  );
}

export function policySection(r: EvidenceReport): string {
  const words = `<ul>${r.policy.words.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`;
  const data = r.policy.data ? `<h3>As data</h3><pre>${esc(JSON.stringify(r.policy.data, null, 2))}</pre>` : '';
  const refusals = table(
    ['at', 'url', 'model', 'reason', 'audit input'],
    r.denials.map((d) => [d.at, mono(d.url), d.modelId ?? null, d.reason, d.file]),
  );
  return section('policy', '3. Hosting policy', `${words}${data}<h3>Refusals (${r.denials.length})</h3>${refusals}`);
}

function modelBlock(m: ModelEntry): string {
  const rows: [string, Cell][] = [
    ['revision', mono(m.revision)],
    ['task', m.task],
    [
      'signer (key id named by manifest.json.sig; not checked here)',
      m.signer ? mono(m.signer) : { html: '<strong class="unsigned">unsigned</strong>' },
    ],
    ['licence', m.license],
    ['source', m.source],
    [
      'mirrored',
      `${m.mirroredAt} (${m.mirroredFrom === 'manifest' ? 'as the manifest records it' : "the manifest file's modification time"})`,
    ],
    ['last verified on a device', m.lastVerified ?? 'not in the audit inputs'],
    ['failed verifications', m.failedVerifications],
    ['size', `${m.size} bytes in ${m.files.length} files`],
  ];
  const files = table(
    ['file', 'bytes', 'SHA-256'],
    m.files.map((f) => [mono(f.path), f.size, mono(f.sha256)]),
  );
  const card = m.card
    .map((c) => `<details><summary>${esc(c.file)}</summary><pre>${esc(c.text)}</pre></details>`)
    .join('');
  return `<h3>${esc(m.id)}</h3>${facts(rows)}${files}${card}`;
}

export function modelsSection(r: EvidenceReport): string {
  const overview = table(
    ['model', 'revision', 'signer', 'licence', 'files', 'bytes', 'last verified'],
    r.models.map((m) => [
      m.id,
      mono(m.revision.slice(0, 12)),
      m.signer ?? 'unsigned',
      m.license,
      m.files.length,
      m.size,
      m.lastVerified,
    ]),
    (i) => (r.models[i]!.signer && r.models[i]!.failedVerifications === 0 ? '' : 'bad'),
  );
  const note =
    '<p class="legend">The signer is the key id that <code>manifest.json.sig</code> names; this report does not check signatures (the runtime does, before it loads a manifest). Mirrored: the time the manifest records, else its file\'s modification time, as each model says.</p>';
  return section(
    'models',
    `4. Model inventory (${r.models.length})`,
    [overview, note, ...r.models.map(modelBlock)].join('\n'),
  );
}

export function runtimeSection(r: EvidenceReport): string {
  const { components, files, maxAgeDays } = r.runtime;
  const rows = components.map((c) => [
    c.name,
    c.version,
    c.foundIn.join(', '),
    c.released ? `${c.released.slice(0, 10)} (releases file)` : 'unknown',
    c.ageDays,
    c.tooOld ? `OLDER THAN ${maxAgeDays} DAYS` : 'ok',
    c.advisories.length ? c.advisories.map((a) => `${a.id}: ${a.summary}`).join('; ') : 'none',
  ]);
  const bad = (i: number) => (components[i]!.tooOld || components[i]!.advisories.length ? 'bad' : '');
  return section(
    'runtime',
    '5. Runtime inventory',
    [
      table(['package', 'version', 'found in', 'released', 'age (days)', 'age', 'advisories'], rows, bad),
      '<h3>Runtime files</h3>',
      table(
        ['file', 'bytes', 'SHA-256'],
        files.map((f) => [mono(f.path), f.size, mono(f.sha256)]),
      ),
    ].join('\n'),
  );
}
