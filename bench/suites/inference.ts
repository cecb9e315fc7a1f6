// Row 1: per-call latency, Airlock against the plain worker, same backend, same bytes.
import type { CallName } from '../app/calls.js';
import { judgeCalls, type CallMeasure, type CallVerdict } from '../lib/floors.js';
import { inTurn } from '../lib/rotate.js';
import { compare, type Comparison } from '../lib/stats.js';
import { config, type SuiteContext } from './context.js';

/** calls per repetition: enough that a repetition lasts a fraction of a second or more */
const CALLS: Record<CallName, { n: number; quickN: number; unit: 'ms' | 'tokens/s'; label: string }> = {
  silero: { n: 300, quickN: 100, unit: 'ms', label: 'Silero VAD frame' },
  ocrRec: { n: 20, quickN: 5, unit: 'ms', label: 'PaddleOCR recognition, one line (48x320)' },
  classifier: { n: 300, quickN: 100, unit: 'ms', label: 'tiny classifier' },
  lm: { n: 5, quickN: 2, unit: 'tokens/s', label: 'LM generation, 32 tokens' },
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
    const outputs: { airlock: unknown; reference: unknown } = { airlock: undefined, reference: undefined };
    const side = (s: 'airlock' | 'reference') => async () => {
      const r = await page.evaluate(([s, name, n]) => window.bench.timeCalls(s, name, n), [s, name, n] as const);
      outputs[s] = r.check;
      return r.value;
    };
    const got = await inTurn(ctx.settings.repetitions, { airlock: side('airlock'), reference: side('reference') });
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
  }));
  return { calls, verdicts: judgeCalls(measures), ...prepared };
}
