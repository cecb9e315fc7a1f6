// From the rows' figures to the issue's `ratios`: one number per row.
import type { CallVerdict } from './floors.js';
import { inferenceRatio, type Ratios } from './floors.js';
import type { Comparison } from './stats.js';

export interface RowFigures {
  verdicts?: CallVerdict[] | undefined;
  longTaskCount?: number | undefined;
  /** Airlock against the Cache API, by size in MiB */
  warmAgainstCache?: Map<number, Comparison> | undefined;
  /** Airlock against plain fetch + create, by size in MiB */
  coldAgainstFetch?: Map<number, Comparison> | undefined;
  /** the size the load ratios are taken at (256 MiB in a full run) */
  loadSize: number;
  downloadMemoryRatio?: number | undefined;
  store?: { write: Comparison; read: Comparison } | undefined;
  pageKB?: number | undefined;
}

/** The ratio at `size`, or at the largest size measured when `size` was not (a quick run). */
export function atSize(bySize: Map<number, Comparison> | undefined, size: number): number | null {
  if (!bySize || bySize.size === 0) return null;
  const c = bySize.get(size) ?? bySize.get(Math.max(...bySize.keys()));
  return c ? c.ratio : null;
}

export function ratiosOf(f: RowFigures): Ratios {
  return {
    inference: f.verdicts ? inferenceRatio(f.verdicts) : null,
    mainThreadLongTasks: f.longTaskCount ?? null,
    warmLoad: atSize(f.warmAgainstCache, f.loadSize),
    coldLoad: atSize(f.coldAgainstFetch, f.loadSize),
    peakMemory: f.downloadMemoryRatio ?? null,
    storeThroughput: f.store ? Math.min(f.store.write.ratio, f.store.read.ratio) : null,
    pageKB: f.pageKB ?? null,
  };
}
