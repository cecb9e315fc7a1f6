// Version comparison for the advisories file: a list of versions, or a range of comparators
// (`<1.2.0`, `>=1.0.0 <1.2.0`, `1.0.0 || 1.1.0`), compared as semantic versions.

function parts(version: string): { release: number[]; pre: string[] } {
  const [core = '', pre] = version.trim().replace(/^v/, '').split('+')[0]!.split(/-(.*)/s);
  return { release: core.split('.').map((n) => Number(n) || 0), pre: pre ? pre.split('.') : [] };
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return Math.sign(b.length - a.length); // a release is above its prereleases
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const c = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return Math.sign(c);
  }
  return 0;
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < 3; i++) {
    const c = (pa.release[i] ?? 0) - (pb.release[i] ?? 0);
    if (c !== 0) return Math.sign(c);
  }
  return comparePre(pa.pre, pb.pre);
}

function satisfies(version: string, comparator: string): boolean {
  const m = /^(<=|>=|<|>|=)?\s*(\S+)$/.exec(comparator);
  if (!m) return false;
  const c = compareVersions(version, m[2]!);
  switch (m[1]) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      return c === 0;
  }
}

/** Whether `version` is in `range`: a list of versions, or comparators (space: and, `||`: or). */
export function inRange(version: string, range: string | readonly string[]): boolean {
  if (Array.isArray(range)) return range.some((v: string) => compareVersions(version, v) === 0);
  return (range as string).split('||').some((alt) => {
    const comparators = alt
      .trim()
      .replace(/(<=|>=|<|>|=)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    return comparators.length > 0 && comparators.every((c) => satisfies(version, c));
  });
}
