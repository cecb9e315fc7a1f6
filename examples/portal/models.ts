// The models page: what the store holds, what the origin offers besides, prefetch, verify,
// delete, and the storage the browser grants this origin.
import { isAirlockError, type IndexEntry, type StoredModel } from '../../src/index.js';
import { ai, mountNav, progressBar, showError } from './shared.js';

mountNav('models');

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}) =>
  Object.assign(document.createElement(tag), props);

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

const when = (ms: number) => new Date(ms).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });

function button(label: string, work: (b: HTMLButtonElement) => Promise<void>, quiet = false): HTMLButtonElement {
  const b = el('button', { textContent: label, className: quiet ? 'quiet' : '' });
  b.addEventListener('click', () => {
    b.disabled = true;
    work(b)
      .catch((e: unknown) => showError($('verify-out'), e))
      .finally(() => (b.disabled = false));
  });
  return b;
}

async function verify(m: StoredModel): Promise<void> {
  const out = $('verify-out');
  out.className = 'out';
  const report = await ai.cache.verify(m.id);
  out.dataset.model = m.id;
  if (!report) {
    out.textContent = `${m.id} is no longer stored.`;
    out.dataset.ok = 'false';
    return;
  }
  const bad = report.files.filter((f) => !f.ok);
  out.dataset.ok = String(report.ok);
  out.dataset.files = String(report.files.length);
  out.className = report.ok ? 'out ok' : 'out error';
  out.replaceChildren(
    el('strong', {
      textContent: report.ok
        ? `${m.id}: all ${report.files.length} stored files match their manifest hashes.`
        : `${m.id}: ${bad.length} of ${report.files.length} files failed and were dropped (${bad.map((f) => `${f.path}: ${f.problem ?? 'mismatch'}`).join(', ')}).`,
    }),
    el('ul', {}),
  );
  out
    .querySelector('ul')!
    .append(
      ...report.files.map((f) =>
        el('li', { textContent: `${f.ok ? '✓' : '✗'} ${f.path} · sha256 ${f.sha256.slice(0, 12)}…` }),
      ),
      ...report.notStored.map((path) => el('li', { textContent: `– ${path} · not stored (not needed so far)` })),
    );
}

function storedRow(m: StoredModel): HTMLTableRowElement {
  const row = el('tr');
  row.dataset.model = m.id;
  row.dataset.bytes = String(m.bytes);
  row.dataset.revision = m.revision;
  const actions = el('td');
  actions.append(
    button('Verify', () => verify(m)),
    button(
      'Delete',
      async () => {
        await ai.cache.delete(m.id);
        $('verify-out').textContent = `Deleted ${m.id}.`;
        await refresh();
      },
      true,
    ),
  );
  row.append(
    el('td', { textContent: m.id }),
    el('td', { textContent: `${size(m.bytes)}${m.complete ? '' : ' (part)'}`, className: 'num' }),
    el('td', { textContent: m.revision.slice(0, 12), title: m.revision }),
    el('td', { textContent: when(m.lastUsed) }),
    actions,
  );
  return row;
}

async function prefetch(entry: IndexEntry, cell: HTMLElement): Promise<void> {
  const holder = el('div', { className: 'progress' });
  cell.replaceChildren(holder);
  const bar = progressBar(holder);
  const out = $('verify-out');
  let last = { loaded: 0, total: entry.size };
  const result = await ai.cache.prefetch(entry.id, {
    onProgress: (p) => {
      bar.update(p);
      last = { loaded: p.loaded, total: p.total };
    },
  });
  bar.done();
  out.className = 'out ok';
  out.textContent = `Prefetched ${entry.id}: ${size(result.bytes)}, verified and stored.`;
  Object.assign(out.dataset, { model: entry.id, loaded: String(last.loaded), total: String(last.total) });
  await refresh();
}

function offeredRow(entry: IndexEntry): HTMLTableRowElement {
  const row = el('tr');
  row.dataset.model = entry.id;
  const action = el('td');
  action.append(button('Prefetch', () => prefetch(entry, action)));
  row.append(
    el('td', { textContent: entry.id }),
    el('td', { textContent: entry.task }),
    el('td', { textContent: size(entry.size), className: 'num' }),
    el('td', { textContent: entry.license }),
    action,
  );
  return row;
}

/** The origin's index, or null where it publishes none (`airlock index` writes it). */
async function offered(): Promise<IndexEntry[] | null> {
  try {
    return await ai.models();
  } catch (e) {
    if (isAirlockError(e) && e.code === 'MODEL_NOT_FOUND') return null;
    throw e;
  }
}

async function showOffered(stored: StoredModel[]): Promise<void> {
  const note = $('offered-note');
  const body = $('offered-models').querySelector('tbody')!;
  const index = await offered().catch((e: unknown) => (showError(note, e), []));
  if (index === null) {
    note.textContent = 'The origin publishes no model index: run airlock index on its model folder.';
    note.dataset.index = 'none';
    $('offered-models').hidden = true;
    return void body.replaceChildren();
  }
  const have = new Set(stored.filter((m) => m.complete).map((m) => m.id));
  const rest = index.filter((m) => !have.has(m.id));
  note.dataset.index = String(index.length);
  note.textContent = `${index.length} models offered; ${rest.length} not stored here.`;
  body.replaceChildren(...rest.map(offeredRow));
  $('offered-models').hidden = rest.length === 0;
}

async function showStorage(): Promise<void> {
  const [estimate, persisted] = await Promise.all([ai.cache.estimate(), ai.cache.persisted()]);
  const info = $('storage-info');
  info.dataset.usage = String(estimate?.usage ?? '');
  info.dataset.persisted = String(persisted);
  const rows: [string, string][] = [
    ['used', estimate ? size(estimate.usage) : 'not reported'],
    ['available', estimate ? size(estimate.available) : 'not reported'],
    ['quota', estimate ? size(estimate.quota) : 'not reported'],
    ['persistence', persisted ? 'granted: kept under storage pressure' : 'not granted: the browser may clear it'],
  ];
  info.replaceChildren(
    ...rows.map(([k, v]) => {
      const pair = el('div');
      pair.append(el('dt', { textContent: k }), el('dd', { textContent: v }));
      return pair;
    }),
  );
}

async function refresh(): Promise<void> {
  const stored = (await ai.cache.list()).sort((a, b) => a.id.localeCompare(b.id));
  $('stored-models')
    .querySelector('tbody')!
    .replaceChildren(...stored.map(storedRow));
  $('stored-empty').hidden = stored.length > 0;
  $('stored-models').hidden = stored.length === 0;
  await Promise.all([showOffered(stored), showStorage()]);
}

refresh()
  .then(() => ($('status').textContent = 'ready'))
  .catch((e: unknown) => showError($('status'), e));
