// The run's record (results JSON), its chart bars and its printed table.
import type { Bar } from './chart.js';
import { checkFloors, FIXED_COST_MS, FLOORS, LOWER_BOUNDS, ROW_KEYS, type Ratios, type RowKey } from './floors.js';
import type { InferenceRow } from '../suites/inference.js';
import type { LoadSize } from '../suites/loads.js';
import type { LongTaskRow } from '../suites/long-tasks.js';
import type { MemoryRow } from '../suites/memory.js';
import type { StoreRow } from '../suites/store.js';

export interface Rows {
  inference?: InferenceRow;
  longTasks?: LongTaskRow;
  warmLoads?: LoadSize[];
  coldLoads?: LoadSize[];
  memory?: MemoryRow;
  store?: StoreRow;
  page?: { files: number; gzipBytes: number; kB: number };
}

export interface Results {
  schema: 'airlock-bench/1';
  date: string;
  commit: string;
  mode: 'full' | 'quick';
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string };
  browser: { name: 'Chromium'; version: string; headless: true };
  backend: 'wasm' | 'webgpu';
  wasmThreads: number;
  repetitions: number;
  rows: Rows;
  ratios: Ratios;
  floors: Record<RowKey, number>;
  /** which way each floor bounds its ratio */
  floorKinds: Record<RowKey, 'at most' | 'at least'>;
  pass: Record<RowKey, boolean | null>;
  /** the short calls, judged by their fixed cost (ms above the reference, at most FIXED_COST_MS) */
  shortCalls: { name: string; extraMs: number; ok: boolean }[];
}

export function floorKinds(): Record<RowKey, 'at most' | 'at least'> {
  return Object.fromEntries(ROW_KEYS.map((k) => [k, LOWER_BOUNDS.has(k) ? 'at least' : 'at most'])) as Record<
    RowKey,
    'at most' | 'at least'
  >;
}

export function passOf(ratios: Ratios): Record<RowKey, boolean | null> {
  return checkFloors(ratios);
}

export function barsOf(r: Results): Bar[] {
  const bars: Bar[] = [];
  for (const c of r.rows.inference?.calls ?? []) {
    const v = r.rows.inference!.verdicts.find((x) => x.name === c.name)!;
    bars.push({
      label: `${c.label}${v.short ? ` (+${v.extraMs.toFixed(3)} ms)` : ''}`,
      ratio: v.costRatio,
      floor: v.short ? undefined : FLOORS.inference,
      ok: v.ok,
    });
  }
  for (const s of r.rows.warmLoads ?? []) {
    bars.push({
      label: `warm load ${s.mib} MiB / Cache API`,
      ratio: s.against.cacheApi!.ratio,
      floor: FLOORS.warmLoad,
      ok: s.against.cacheApi!.ratio <= FLOORS.warmLoad,
    });
    bars.push({ label: `warm load ${s.mib} MiB / raw IndexedDB`, ratio: s.against.indexedDb!.ratio });
  }
  for (const s of r.rows.coldLoads ?? []) {
    bars.push({
      label: `cold load ${s.mib} MiB / transformers.js`,
      ratio: s.against.transformersJs!.ratio,
      floor: 1,
      ok: s.against.transformersJs!.ratio <= 1,
    });
    bars.push({
      label: `cold load ${s.mib} MiB / plain fetch`,
      ratio: s.against.plainFetch!.ratio,
      floor: FLOORS.coldLoad,
      ok: s.against.plainFetch!.ratio <= FLOORS.coldLoad,
    });
  }
  if (r.rows.memory)
    bars.push({
      label: `download peak memory / file (${r.rows.memory.fileBytes >> 20} MiB)`,
      ratio: r.rows.memory.downloadRatio,
      floor: FLOORS.peakMemory,
      ok: r.pass.peakMemory,
    });
  if (r.rows.store) {
    bars.push({
      label: 'store write MB/s / raw IndexedDB',
      ratio: r.rows.store.write.ratio,
      floor: FLOORS.storeThroughput,
      ok: r.rows.store.write.ratio >= FLOORS.storeThroughput,
    });
    bars.push({
      label: 'store read MB/s / raw IndexedDB',
      ratio: r.rows.store.read.ratio,
      floor: FLOORS.storeThroughput,
      ok: r.rows.store.read.ratio >= FLOORS.storeThroughput,
    });
  }
  return bars;
}

const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const spread = (s: { spread: number }) => `±${(s.spread * 50).toFixed(0)}%`;

/** The table as Markdown: measure, Airlock, reference, ratio, floor, verdict. */
export function tableOf(r: Results): string {
  const lines = ['| # | measure | Airlock | reference | ratio | floor |', '| --- | --- | --- | --- | --- | --- |'];
  const mark = (ok: boolean | null | undefined) => (ok === true ? 'ok' : ok === false ? 'MISSED' : '');
  const inf = r.rows.inference;
  for (const c of inf?.calls ?? []) {
    const v = inf!.verdicts.find((x) => x.name === c.name)!;
    const floor =
      c.unit === 'tokens/s' ? '≥ 0.97 tokens/s' : v.short ? `+${FIXED_COST_MS} ms` : `≤ ${FLOORS.inference}`;
    const shown = v.short ? `${f(c.ratio)} (+${f(v.extraMs, 3)} ms)` : f(c.ratio, 3);
    lines.push(
      `| 1 | ${c.label} (${c.unit}) | ${f(c.airlock.median, 3)} ${spread(c.airlock)} | ${f(c.reference.median, 3)} ${spread(c.reference)} | ${shown} | ${floor} ${mark(v.ok)} |`,
    );
  }
  const lt = r.rows.longTasks;
  if (lt) {
    const main = lt.mainThread.generation.tasks.length + lt.mainThread.ocr.tasks.length;
    lines.push(
      `| 2 | main-thread tasks > 50 ms (${lt.tokens} tokens, OCR det ${lt.detSize}²) | ${lt.count} | ${main} on the main thread | ${lt.count} | 0 ${mark(r.pass.mainThreadLongTasks)} |`,
    );
  }
  for (const s of r.rows.warmLoads ?? []) {
    const c = s.against.cacheApi!;
    const i = s.against.indexedDb!;
    lines.push(
      `| 3 | warm load ${s.mib} MiB (ms) | ${f(s.airlock.median, 0)} ${spread(s.airlock)} | ${f(c.reference.median, 0)} Cache API · ${f(i.reference.median, 0)} IndexedDB | ${f(c.ratio)} · ${f(i.ratio)} | ≤ 1.0 ${mark(c.ratio <= 1)} |`,
    );
  }
  for (const s of r.rows.coldLoads ?? []) {
    const t = s.against.transformersJs!;
    const p = s.against.plainFetch!;
    lines.push(
      `| 4 | cold load ${s.mib} MiB (ms) | ${f(s.airlock.median, 0)} ${spread(s.airlock)} | ${f(t.reference.median, 0)} transformers.js · ${f(p.reference.median, 0)} fetch | ${f(t.ratio)} · ${f(p.ratio)} | ≤ 1.0 · ≤ 1.10 ${mark(t.ratio <= 1 && p.ratio <= FLOORS.coldLoad)} |`,
    );
  }
  const m = r.rows.memory;
  if (m) {
    const mib = (n: number | null) => (n === null ? '?' : `${(n / 2 ** 20).toFixed(0)} MiB`);
    lines.push(
      `| 5 | peak memory, ${mib(m.fileBytes)} file: download (worker · renderer) | ${mib(m.download.worker)} · ${mib(m.download.renderer)} | file ${mib(m.fileBytes)} | ${f(m.downloadRatio)} | ≤ 1.25 ${mark(r.pass.peakMemory)} |`,
    );
    lines.push(
      `| 5 | peak memory: cold load · warm load (worker · renderer) | ${mib(m.coldLoad.worker)} · ${mib(m.coldLoad.renderer)}; ${mib(m.warmLoad.worker)} · ${mib(m.warmLoad.renderer)} | fetch + create: ${mib(m.referenceColdLoad.worker)} · ${mib(m.referenceColdLoad.renderer)} | | report |`,
    );
  }
  const st = r.rows.store;
  if (st) {
    lines.push(
      `| 6 | store write (MB/s) | ${f(st.write.airlock.median, 0)} ${spread(st.write.airlock)} | ${f(st.write.reference.median, 0)} raw puts | ${f(st.write.ratio)} | ≥ 0.8 ${mark(st.write.ratio >= 0.8)} |`,
    );
    lines.push(
      `| 6 | store read, verified (MB/s) | ${f(st.read.airlock.median, 0)} ${spread(st.read.airlock)} | ${f(st.read.reference.median, 0)} raw gets | ${f(st.read.ratio)} | ≥ 0.8 ${mark(st.read.ratio >= 0.8)} |`,
    );
  }
  if (r.rows.page)
    lines.push(
      `| 7 | page JavaScript before the first call (gzip) | ${f(r.rows.page.kB, 1)} kB | | ${f(r.rows.page.kB, 1)} | ≤ 15 kB ${mark(r.pass.pageKB)} |`,
    );
  return lines.join('\n');
}
