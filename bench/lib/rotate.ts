// Taking turns among several sides within one run, so that none always goes first.

/** The order of `sides` in repetition `i`: rotated by one each time. */
export function rotation<T>(i: number, sides: readonly T[]): T[] {
  const k = i % sides.length;
  return [...sides.slice(k), ...sides.slice(0, k)];
}

/** Measures every side `repetitions` times, in turn; the values per side. */
export async function inTurn<K extends string>(
  repetitions: number,
  sides: Record<K, () => Promise<number>>,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(sides) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < repetitions; i++) for (const k of rotation(i, keys)) out[k].push(await sides[k]());
  return out;
}
