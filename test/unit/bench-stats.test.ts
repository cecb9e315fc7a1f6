// The bench's arithmetic: medians, spreads, ratios, turn-taking, floors and the row ratios.
import { describe, expect, it } from 'vitest';
import { renderChart } from '../../bench/lib/chart.js';
import { checkFloors, FLOORS, inferenceRatio, judgeCalls, meetsFloor } from '../../bench/lib/floors.js';
import { atSize, ratiosOf } from '../../bench/lib/ratios.js';
import { inTurn, rotation } from '../../bench/lib/rotate.js';
import { compare, median, megabytesPerSecond, summarize } from '../../bench/lib/stats.js';

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('summarizes with the spread as the range over the median', () => {
    const s = summarize([10, 12, 8, 11, 9]);
    expect(s).toMatchObject({ median: 10, min: 8, max: 12, n: 5 });
    expect(s.spread).toBeCloseTo(0.4, 12);
    expect(s.samples).toEqual([10, 12, 8, 11, 9]);
  });

  it('compares samples of equal count pair by pair: the median of the ratios and of the differences', () => {
    const c = compare([2, 2.2, 2.1], [2, 1.9, 2.1]);
    expect(c.paired).toBe(true);
    // ratios 1, 1.157…, 1; differences 0, 0.3, 0
    expect(c.ratio).toBe(1);
    expect(c.difference).toBeCloseTo(0, 12);
    expect(c.airlock.median).toBe(2.1);
  });

  it('takes the pairs, not the medians: each repetition is judged against its own partner', () => {
    // repetition by repetition Airlock costs 5 % more; the medians come from different repetitions
    const reference = [10, 30, 12, 40, 11];
    const airlock = reference.map((r) => r * 1.05);
    airlock[2] = 30; // one repetition slowed down while Airlock's blocks ran
    const c = compare(airlock, reference);
    expect(c.ratio).toBeCloseTo(1.05, 12);
    expect(c.airlock.median / c.reference.median).toBeCloseTo(30 / 12, 12);
  });

  it('compares medians when the sides have different counts', () => {
    const c = compare([2, 2.2, 2.1], [2, 1.9]);
    expect(c.ratio).toBeCloseTo(2.1 / 1.95, 12);
    expect(c.difference).toBeCloseTo(0.15, 12);
  });

  it('counts MB as 10^6 bytes', () => {
    expect(megabytesPerSecond(268_435_456, 1000)).toBeCloseTo(268.435456, 9);
  });

  it('rotates the sides so that each goes first in turn', async () => {
    expect(rotation(0, ['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(rotation(1, ['a', 'b', 'c'])).toEqual(['b', 'c', 'a']);
    expect(rotation(4, ['a', 'b'])).toEqual(['a', 'b']);
    const order: string[] = [];
    const side = (name: string, value: number) => () => (order.push(name), Promise.resolve(value));
    const got = await inTurn(3, { a: side('a', 1), b: side('b', 2) });
    expect(order).toEqual(['a', 'b', 'b', 'a', 'a', 'b']);
    expect(got).toEqual({ a: [1, 1, 1], b: [2, 2, 2] });
  });
});

describe('bench floors', () => {
  it('bounds every ratio from above except store throughput, from below', () => {
    expect(meetsFloor('coldLoad', 1.1)).toBe(true);
    expect(meetsFloor('coldLoad', 1.11)).toBe(false);
    expect(meetsFloor('storeThroughput', 0.8)).toBe(true);
    expect(meetsFloor('storeThroughput', 0.79)).toBe(false);
    expect(meetsFloor('mainThreadLongTasks', 1)).toBe(false);
    expect(meetsFloor('pageKB', null)).toBe(null);
    expect(
      checkFloors({
        inference: 1.02,
        mainThreadLongTasks: 0,
        warmLoad: 1.2,
        coldLoad: null,
        peakMemory: 0.5,
        storeThroughput: 0.9,
        pageKB: 11.6,
      }),
    ).toEqual({
      inference: true,
      mainThreadLongTasks: true,
      warmLoad: false,
      coldLoad: null,
      peakMemory: true,
      storeThroughput: true,
      pageKB: true,
    });
  });

  it('judges short calls by their fixed cost, long ones by their ratio, the LM by tokens per second', () => {
    const verdicts = judgeCalls([
      { name: 'silero', unit: 'ms', airlock: 1.21, reference: 1.17 },
      { name: 'classifier', unit: 'ms', airlock: 0.53, reference: 0.35 },
      { name: 'ocrRec', unit: 'ms', airlock: 20.4, reference: 20 },
      { name: 'lm', unit: 'tokens/s', airlock: 96, reference: 100 },
    ]);
    expect(verdicts.map((v) => [v.name, v.short, v.ok])).toEqual([
      ['silero', true, true],
      ['classifier', true, false],
      ['ocrRec', false, true],
      ['lm', false, false],
    ]);
    expect(verdicts[0]!.extraMs).toBeCloseTo(0.04, 12);
    expect(verdicts[3]!.costRatio).toBeCloseTo(100 / 96, 12);
    // the worst of the long calls: the LM's cost ratio
    expect(inferenceRatio(verdicts)).toBeCloseTo(100 / 96, 12);
    expect(inferenceRatio(verdicts.filter((v) => v.short))).toBe(null);
  });

  it('judges calls measured in pairs by the median of the pairs', () => {
    // each repetition: Airlock 0.04 ms more; the machine's speed changes between repetitions
    const reference = [0.3, 0.45, 0.33, 0.6, 0.31];
    const [verdict] = judgeCalls([
      {
        name: 'classifier',
        unit: 'ms',
        airlock: 0.49,
        reference: 0.33,
        pairs: { airlock: reference.map((r) => r + 0.04), reference },
      },
    ]);
    // the medians alone (0.37 against 0.33) would say the same here; the pairs say it for each repetition
    expect(verdict!.extraMs).toBeCloseTo(0.04, 12);
    expect(verdict!.ok).toBe(true);
    const [lm] = judgeCalls([
      {
        name: 'lm',
        unit: 'tokens/s',
        airlock: 0,
        reference: 0,
        pairs: { airlock: [99, 198, 297], reference: [100, 200, 300] },
      },
    ]);
    expect(lm!.costRatio).toBeCloseTo(100 / 99, 12);
    expect(lm!.ok).toBe(true);
  });

  it('takes the load ratios at 256 MiB, or at the largest size a quick run measured', () => {
    const c = (ratio: number) => ({ ...compare([ratio], [1]) });
    const sizes = new Map([
      [16, c(1.5)],
      [64, c(1.2)],
      [256, c(1.05)],
    ]);
    expect(atSize(sizes, 256)).toBeCloseTo(1.05, 12);
    sizes.delete(256);
    expect(atSize(sizes, 256)).toBeCloseTo(1.2, 12);
    expect(atSize(undefined, 256)).toBe(null);
  });

  it('gives one ratio per row, the store by the lower of write and read', () => {
    const ratios = ratiosOf({
      loadSize: 256,
      longTaskCount: 0,
      store: { write: compare([200], [250]), read: compare([400], [420]) },
      pageKB: 11.6,
      downloadMemoryRatio: 0.04,
    });
    expect(ratios).toEqual({
      inference: null,
      mainThreadLongTasks: 0,
      warmLoad: null,
      coldLoad: null,
      peakMemory: 0.04,
      storeThroughput: 0.8,
      pageKB: 11.6,
    });
    expect(Object.keys(ratios).sort()).toEqual(Object.keys(FLOORS).sort());
  });

  it('draws one bar per comparison, coloured by its verdict, with its floor marked', () => {
    const svg = renderChart('t <&>', [
      { label: 'cold 256 MiB', ratio: 1.5, floor: 1.1, ok: false },
      { label: 'warm', ratio: 0.9, floor: 1, ok: true },
      { label: 'raw', ratio: 1.2 },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('t &lt;&amp;&gt;');
    expect(svg.match(/<rect x=/g)).toHaveLength(3);
    expect(svg.match(/fill="#c0392b"/g)).toHaveLength(1);
    expect(svg.match(/fill="#2e8b57"/g)).toHaveLength(1);
    expect(svg).toContain('>1.50<');
    // two floor marks, drawn black
    expect(svg.match(/stroke="#000"/g)).toHaveLength(2);
  });

  it('writes a value after the floor mark when the mark stands where the value would', () => {
    const xOf = (svg: string, value: string) => Number(new RegExp(`<text x="([\\d.]+)"[^>]*>${value}<`).exec(svg)?.[1]);
    const markOf = (svg: string) => Number(/<line x1="([\d.]+)"[^>]*stroke="#000"/.exec(svg)?.[1]);
    const near = renderChart('t', [{ label: 'cold', ratio: 1.02, floor: 1.1, ok: true }]);
    expect(xOf(near, '1.02')).toBeGreaterThan(markOf(near));
    // a mark well past the bar's end leaves the value where it was
    const far = renderChart('t', [{ label: 'cold', ratio: 0.5, floor: 1.1, ok: true }]);
    expect(xOf(far, '0.50')).toBeLessThan(markOf(far));
  });
});
