// The privacy page: the live audit log, the backend in use, the egress statement, and the
// evidence to download. The log holds URLs, sizes and hashes only, never an input or an output.
import type { AuditEvent } from '../../src/index.js';
import { ai, backendLabel, mountNav, showError } from './shared.js';

mountNav('privacy');

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}) =>
  Object.assign(document.createElement(tag), props);

const num = (n: number) => n.toLocaleString('en');

/** time, event, origin, what, bytes, from: one log line per audit event */
type Cells = [string, string, string, string, string];

function cells(e: AuditEvent): Cells {
  switch (e.type) {
    case 'request':
      return ['request', e.origin, `${new URL(e.url).pathname} · ${e.status}`, num(e.bytes), 'network'];
    case 'load': {
      const fromStore = e.files.filter((f) => f.source === 'store').length;
      const from = fromStore === e.files.length ? 'store' : fromStore ? 'store + network' : 'network';
      const bytes = e.files.reduce((n, f) => n + f.size, 0);
      return ['load', '', `${e.modelId} on ${backendLabel(e.backend)}, ${e.files.length} files`, num(bytes), from];
    }
    case 'verification':
      return [
        e.ok ? 'verified' : 'FAILED',
        '',
        `${e.modelId}/${e.path} · sha256 ${e.sha256.slice(0, 12)}…`,
        '',
        e.stage,
      ];
    case 'run':
      return [
        'run',
        '',
        `${e.modelId} · ${e.durationMs.toFixed(1)} ms`,
        `${e.inputBytes} in, ${e.outputBytes} out`,
        '',
      ];
    case 'denial':
      return ['REFUSED', new URL(e.url).origin, e.reason, '', 'not sent'];
    case 'eviction':
      return ['evicted', '', `${e.modelId} for ${e.forModel}`, num(e.bytes), 'store'];
    case 'worker':
      return ['worker', '', `${e.state}${e.reason ? `: ${e.reason}` : ''}`, '', ''];
  }
}

function logRow(e: AuditEvent): HTMLTableRowElement {
  const [type, origin, what, bytes, from] = cells(e);
  const row = el('tr');
  row.dataset.type = e.type;
  if (e.type === 'request') Object.assign(row.dataset, { url: e.url, origin: e.origin, bytes: String(e.bytes) });
  const time = new Date(e.at).toLocaleTimeString([], { hour12: false });
  row.append(
    el('td', { textContent: time }),
    el('td', { textContent: type, className: type === 'REFUSED' || type === 'FAILED' ? 'error' : '' }),
    el('td', { textContent: origin }),
    el('td', { textContent: what, className: 'url', title: what }),
    el('td', { textContent: bytes, className: 'num' }),
    el('td', {}),
  );
  if (from) row.lastElementChild!.append(el('span', { textContent: from, className: `tag ${from.split(' ')[0]!}` }));
  return row;
}

const body = $('log-events').querySelector('tbody')!;
// newest first, so that a live event shows without scrolling the log
for (const e of ai.audit.events()) body.prepend(logRow(e));
$('log-empty').hidden = body.rows.length > 0;

// new events are shown as they come; the statement and the backend are redrawn at most once a frame
let frame = 0;
ai.audit.subscribe((e) => {
  body.prepend(logRow(e));
  $('log-empty').hidden = true;
  frame ||= requestAnimationFrame(() => void redraw());
});

async function showStatement(): Promise<void> {
  const evidence = await ai.audit.export();
  const statement = $('egress-statement');
  statement.textContent = evidence.egress.statement;
  statement.className = evidence.egress.none ? 'statement ok' : 'statement error';
  statement.dataset.none = String(evidence.egress.none);
  statement.dataset.requests = String(evidence.requests.total);
}

async function showBackend(): Promise<void> {
  const info = await ai.info();
  const gpu = info.webgpu;
  const rows: [string, string][] = [
    ['device setting', info.device],
    ['WebGPU adapter', gpu ? `${gpu.vendor} ${gpu.architecture}${gpu.isFallbackAdapter ? ' (software)' : ''}` : 'none'],
    ['WASM threads', String(info.wasmThreads)],
    ['cross-origin isolated', info.crossOriginIsolated ? 'yes' : 'no'],
    ...info.models.map((m): [string, string] => [
      m.modelId,
      `${backendLabel(m.backend)}${m.fallbackReason ? ` (fell back: ${m.fallbackReason})` : ''}`,
    ]),
    ...info.notes.map((n): [string, string] => ['note', n]),
  ];
  const dl = $('backend-info');
  dl.dataset.webgpu = String(gpu !== null);
  dl.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', { textContent: k }), el('dd', { textContent: v })]));
}

async function redraw(): Promise<void> {
  frame = 0;
  await Promise.all([showStatement(), showBackend()]);
}

async function tryRun(): Promise<void> {
  const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
  const [top] = (await classify('What a wonderful film, great acting!')) as { label: string; score: number }[];
  const out = $('try-out');
  out.textContent = `tiny-sentiment says ${top!.label} (${top!.score.toFixed(4)}) on ${backendLabel(classify.backend)}: the log below shows what it took.`;
  out.dataset.done = 'true';
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The evidence as a file: a Blob URL opened by an `<a download>`, which the strict CSP allows. */
async function exportEvidence(): Promise<void> {
  const evidence = await ai.audit.export();
  const json = JSON.stringify(evidence, null, 2);
  const link = el('a', {
    href: URL.createObjectURL(new Blob([json], { type: 'application/json' })),
    download: `airlock-evidence-${evidence.generatedAt.replace(/[:.]/g, '-')}.json`,
  });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000); // once the download has its bytes
  const out = $('export-out');
  out.textContent = `Saved ${link.download}: ${count(evidence.requests.total, 'request')}, ${count(evidence.models.length, 'model')}, ${(json.length / 1024).toFixed(1)} kB.`;
  out.dataset.requests = String(evidence.requests.total);
}

for (const [id, work] of [
  ['try-run', tryRun],
  ['export', exportEvidence],
] as const) {
  const b = $<HTMLButtonElement>(id);
  b.addEventListener('click', () => {
    b.disabled = true;
    work()
      .catch((e: unknown) => showError($(id === 'export' ? 'export-out' : 'try-out'), e))
      .finally(() => (b.disabled = false));
  });
}

redraw()
  .then(() => ($('status').textContent = 'ready'))
  .catch((e: unknown) => showError($('status'), e));
