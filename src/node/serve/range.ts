// The Range header per RFC 9110 §14, for one file of a known size. Only single byte ranges are
// served; any other form is ignored (the whole file, as §14.2 allows), never guessed at.

export type RangeAnswer =
  /** no Range, or one to ignore: send the whole file with 200 */
  | { kind: 'whole' }
  /** 206 with bytes start..end (inclusive) */
  | { kind: 'slice'; start: number; end: number }
  /** 416 with `Content-Range: bytes *\/size` */
  | { kind: 'unsatisfiable' };

const SINGLE = /^bytes=(\d*)-(\d*)$/i;

export function parseRange(header: string | undefined, size: number): RangeAnswer {
  // several ranges would need multipart/byteranges: the whole file is also a correct answer
  const m = header === undefined ? null : SINGLE.exec(header.trim());
  if (!m) return { kind: 'whole' };
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    // a suffix: the last N bytes, all of them when the file is shorter
    const n = Number(last);
    return n === 0 || size === 0
      ? { kind: 'unsatisfiable' }
      : { kind: 'slice', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  if (end < start) return { kind: 'whole' }; // invalid (§14.1.1), so ignored
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'slice', start, end: Math.min(end, size - 1) };
}
