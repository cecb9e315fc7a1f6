// Sizes of a call's input and output for the audit trail: how much went in and came out, never what.

/** About how many bytes `value` holds: typed arrays by their length, text as UTF-8, the rest summed up. */
export function byteSize(value: unknown, seen = new WeakSet<object>()): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string') return new TextEncoder().encode(value).byteLength;
  if (typeof value !== 'object') return 8; // a number, a boolean, a bigint
  if (seen.has(value)) return 0; // inputs may be cyclic: structured clone allows it
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
  return Object.values(value).reduce((n: number, v) => n + byteSize(v, seen), 0);
}
