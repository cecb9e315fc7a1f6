// Sizes of a call's input and output for the audit trail: how much went in and came out, never what.

/**
 * The UTF-8 length of `text`, counted without encoding it: every call's record needs it, and
 * TextEncoder's copy took about a third of a short call's overhead.
 */
export function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 4 bytes for its 2 code units
      i++;
    } else n += 2; // 3 bytes (a lone surrogate becomes U+FFFD, also 3)
  }
  return n;
}

/** About how many bytes `value` holds: typed arrays by their length, text as UTF-8, the rest summed up. */
export function byteSize(value: unknown, seen?: WeakSet<object>): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string') return utf8Length(value);
  if (typeof value !== 'object') return 8; // a number, a boolean, a bigint
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
  // inputs may be cyclic (structured clone allows it): objects already counted count 0; the set
  // is made only once a call's value has objects inside
  if (seen?.has(value)) return 0;
  seen?.add(value);
  let n = 0;
  for (const v of Object.values(value)) {
    n +=
      typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)
        ? byteSize(v, (seen ??= new WeakSet([value])))
        : byteSize(v);
  }
  return n;
}
