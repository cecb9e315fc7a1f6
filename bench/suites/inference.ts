// Row 1: per-call latency, Airlock against the plain worker, same backend, same bytes.
import type { CallName } from '../app/calls.js';
import { judgeCalls, type CallMeasure, type CallVerdict } from '../lib/floors.js';
import { compare, type Comparison } from '../lib/stats.js';
import { config, type SuiteContext } from './context.js';

/**
 * Calls per side per repetition (enough that it lasts a fraction of a second or more), in
 * alternating blocks of a few tens of ms each.
 */
const CALLS: Record<CallName, { n: number; quickN: number; blocks: number; unit: 'ms' | 'tokens/s'; label: string }> = {
  silero: { n: 400, quickN: 100, blocks: 20, unit: 'ms', label: 'Silero VAD frame' },
  ocrRec: { n: 20, quickN: 6, blocks: 10, unit: 'ms', label: 'PaddleOCR recognition, one line (48x320)' },
  classifier: { n: 400, quickN: 100, blocks: 20, unit: 'ms', label: 'tiny classifier' },
  lm: { n: 60, quickN: 20, blocks: 20, unit: 'tokens/s', label: 'LM generation, 32 tokens' },
};

export interface InferenceRow {
  calls: (Comparison & {
    name: CallName;
    label: string;
    unit: string;
    outputs: { airlock: unknown; reference: unknown };
  })[];
  verdicts: CallVerdict[];
  wasmThreads: number;
  backends: string[];
}

export async function runInference(ctx: SuiteContext): Promise<InferenceRow> {
  const page = await ctx.browser.fresh('/');
  const prepared = await page.evaluate((c) => window.bench.prepareCalls(c), config(ctx));
  const calls: InferenceRow['calls'] = [];
  for (const [name, spec] of Object.entries(CALLS) as [CallName, (typeof CALLS)[CallName]][]) {
    const n = ctx.settings.quick ? spec.quickN : spec.n;
    const timed = () =>
      page.evaluate(([name, n, blocks]) => window.bench.timeCalls(name, n, blocks), [name, n, spec.blocks] as const);
    // one untimed repetition first: the engines' code reaches its optimised tiers (the first
    // repetitions ran up to 3 times slower than the later ones)
    await timed();
    const got = { airlock: [] as number[], reference: [] as number[] };
    let outputs: { airlock: unknown; reference: unknown } = { airlock: undefined, reference: undefined };
    for (let r = 0; r < ctx.settings.repetitions; r++) {
      const t = await timed();
      got.airlock.push(t.airlock);
      got.reference.push(t.reference);
      outputs = t.checks;
    }
    const c = compare(got.airlock, got.reference);
    ctx.log(
      `  ${spec.label}: ${c.airlock.median.toFixed(3)} vs ${c.reference.median.toFixed(3)} ${spec.unit} (ratio ${c.ratio.toFixed(3)})`,
    );
    calls.push({ ...c, name, label: spec.label, unit: spec.unit, outputs });
  }
  const measures: CallMeasure[] = calls.map((c) => ({
    name: c.name,
    unit: c.unit as CallMeasure['unit'],
    airlock: c.airlock.median,
    reference: c.reference.median,
    pairs: { airlock: c.airlock.samples, reference: c.reference.samples },
  }));
  return { calls, verdicts: judgeCalls(measures), ...prepared };
}
