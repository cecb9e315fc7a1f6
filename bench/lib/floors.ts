// The table as data: one ratio per row, its floor, and which way the floor bounds it.
import { median } from './stats.js';

export type RowKey =
  'inference' | 'mainThreadLongTasks' | 'warmLoad' | 'coldLoad' | 'peakMemory' | 'storeThroughput' | 'pageKB';

export const ROW_KEYS: readonly RowKey[] = [
  'inference',
  'mainThreadLongTasks',
  'warmLoad',
  'coldLoad',
  'peakMemory',
  'storeThroughput',
  'pageKB',
];

/** The floors; every one is an upper bound except `storeThroughput`, a lower one. */
export const FLOORS: Record<RowKey, number> = {
  inference: 1.03,
  mainThreadLongTasks: 0,
  warmLoad: 1.0,
  coldLoad: 1.1,
  peakMemory: 1.25,
  storeThroughput: 0.8,
  pageKB: 15,
};

export const LOWER_BOUNDS: ReadonlySet<RowKey> = new Set(['storeThroughput']);

/** Calls whose reference takes less than this are judged by their fixed cost, not their ratio. */
export const SHORT_CALL_MS = 5;
/** The most a short call may cost above its reference, in ms. */
export const FIXED_COST_MS = 0.05;
/** Tokens per second against the reference, at least. */
export const TOKENS_PER_SECOND_FLOOR = 0.97;

export function meetsFloor(key: RowKey, value: number | null): boolean | null {
  if (value === null || !Number.isFinite(value)) return null;
  return LOWER_BOUNDS.has(key) ? value >= FLOORS[key] : value <= FLOORS[key];
}

export type Ratios = Record<RowKey, number | null>;

/** For each row: whether its ratio meets the floor (null when the row was not measured). */
export function checkFloors(ratios: Ratios): Record<RowKey, boolean | null> {
  return Object.fromEntries(ROW_KEYS.map((k) => [k, meetsFloor(k, ratios[k])])) as Record<RowKey, boolean | null>;
}

/**
 * One per-call measure: a time per call, or a rate (tokens/s), Airlock's and the reference's
 * medians, and the repetitions' values when the two were measured in pairs.
 */
export interface CallMeasure {
  name: string;
  unit: 'ms' | 'tokens/s';
  airlock: number;
  reference: number;
  pairs?: { airlock: readonly number[]; reference: readonly number[] };
}

export interface CallVerdict {
  name: string;
  /** airlock / reference as a cost: time ratio, or reference rate / airlock rate */
  costRatio: number;
  /** the extra time per call (ms); for a rate, per token */
  extraMs: number;
  short: boolean;
  ok: boolean;
}

/** The median over the pairs of `f(airlock, reference)`, or `f` of the medians without pairs. */
function pairwise(c: CallMeasure, f: (airlock: number, reference: number) => number): number {
  if (!c.pairs) return f(c.airlock, c.reference);
  return median(c.pairs.airlock.map((a, i) => f(a, c.pairs!.reference[i]!)));
}

/** Judges each call: long calls by their ratio, short ones by their fixed cost, LM by tokens/s. */
export function judgeCalls(calls: readonly CallMeasure[]): CallVerdict[] {
  return calls.map((c) => {
    if (c.unit === 'tokens/s') {
      const costRatio = pairwise(c, (a, r) => r / a);
      return {
        name: c.name,
        costRatio,
        extraMs: pairwise(c, (a, r) => 1000 / a - 1000 / r),
        short: false,
        ok: 1 / costRatio >= TOKENS_PER_SECOND_FLOOR,
      };
    }
    const short = c.reference < SHORT_CALL_MS;
    const costRatio = pairwise(c, (a, r) => a / r);
    const extraMs = pairwise(c, (a, r) => a - r);
    return {
      name: c.name,
      costRatio,
      extraMs,
      short,
      ok: short ? extraMs <= FIXED_COST_MS : costRatio <= FLOORS.inference,
    };
  });
}

/** The `inference` ratio: the worst cost ratio of the calls of 5 ms or more (null if none). */
export function inferenceRatio(verdicts: readonly CallVerdict[]): number | null {
  const long = verdicts.filter((v) => !v.short);
  return long.length === 0 ? null : Math.max(...long.map((v) => v.costRatio));
}
