// Pure figures for the benchmark: medians with their spread, paired ratios, floors. No I/O here,
// so that the unit tests can pin the arithmetic down.

/** A median of repeated measurements, with the spread they showed. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** (max - min) / median: how much the repetitions disagreed */
  spread: number;
  n: number;
  samples: number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const m = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { median: m, min, max, spread: m === 0 ? 0 : (max - min) / m, n: values.length, samples: [...values] };
}

/** Airlock against its reference, each summarized, with their ratio and difference. */
export interface Comparison {
  airlock: Summary;
  reference: Summary;
  /**
   * Airlock / reference: the median of the per-repetition ratios when the two were measured in
   * pairs (each repetition measures both sides back to back), else the ratio of the medians
   */
  ratio: number;
  /** Airlock - reference in the measure's unit, taken the same way */
  difference: number;
  /** whether `ratio` and `difference` come from pairs */
  paired: boolean;
}

/**
 * Compares two sides. Samples of equal count are taken as pairs, repetition by repetition: on a
 * machine whose speed drifts between repetitions (shared cores), a pair meets the same speed, so
 * the median of the pairs' ratios moves much less than the ratio of the two medians.
 */
export function compare(airlock: readonly number[], reference: readonly number[]): Comparison {
  const a = summarize(airlock);
  const r = summarize(reference);
  const paired = airlock.length === reference.length;
  if (!paired) {
    return {
      airlock: a,
      reference: r,
      ratio: r.median === 0 ? Number.POSITIVE_INFINITY : a.median / r.median,
      difference: a.median - r.median,
      paired,
    };
  }
  const ratios = airlock.map((v, i) => (reference[i] === 0 ? Number.POSITIVE_INFINITY : v / reference[i]!));
  return {
    airlock: a,
    reference: r,
    ratio: median(ratios),
    difference: median(airlock.map((v, i) => v - reference[i]!)),
    paired,
  };
}

/** MB/s (10^6 bytes per second) for `bytes` moved in `ms`. */
export function megabytesPerSecond(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}
