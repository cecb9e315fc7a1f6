// The landing page: the tools, and the models the origin offers (its index.json) with whether
// each is already in this browser's store.
import type { IndexEntry } from '../../src/index.js';
import { ai, mountNav, showError } from './shared.js';

mountNav('index');

function cell(text: string, className = '', label = ''): HTMLTableCellElement {
  const td = Object.assign(document.createElement('td'), { textContent: text, className });
  if (label) td.dataset.label = label; // shown before the value where the table is stacked (narrow screens)
  return td;
}

function sizeText(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

/** `true`: every file stored (`cache.has`); `partial`: the files a load needed (a raw session skips the NOTICE). */
type Stored = 'true' | 'partial' | 'false';
const STORED_TEXT: Record<Stored, string> = { true: 'stored', partial: 'files in use stored', false: 'not stored' };

function modelRow(model: IndexEntry, stored: Stored): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.model = model.id;
  const flag = document.createElement('span');
  flag.className = stored === 'false' ? 'tag' : 'tag yes';
  flag.textContent = STORED_TEXT[stored];
  const storedCell = cell('');
  storedCell.dataset.stored = stored;
  storedCell.append(flag);
  row.append(
    cell(model.id),
    cell(model.task, '', 'task'),
    cell(sizeText(model.size), 'num', 'size'),
    cell(model.license, '', 'licence'),
    storedCell,
  );
  return row;
}

async function showModels(): Promise<void> {
  const models = await ai.models();
  const some = new Set((await ai.cache.list()).map((m) => m.id));
  const whole = await Promise.all(models.map((m) => ai.cache.has(m.id)));
  const stored = models.map((m, i): Stored => (whole[i] ? 'true' : some.has(m.id) ? 'partial' : 'false'));
  document.querySelector('#models tbody')!.replaceChildren(...models.map((m, i) => modelRow(m, stored[i]!)));
  const count = stored.filter((s) => s !== 'false').length;
  document.getElementById('models-out')!.textContent =
    `${models.length} models offered, ${count} stored in this browser. Open a tool to download the ones it needs.`;
}

const status = document.getElementById('status')!;
showModels().then(
  () => (status.textContent = 'ready'),
  (e: unknown) => {
    showError(document.getElementById('models-out')!, e);
    status.textContent = 'ready (the model index could not be read)';
  },
);
