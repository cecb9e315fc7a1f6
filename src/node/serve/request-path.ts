// Which file a request names, inside the folder it is mounted on; and the rules that keep some
// names out of every answer and every manifest.
import { isAbsolute, relative, sep } from 'node:path';

/** A name that starts with `.` (`.env`, `.git`, `..`) is never served nor listed. */
export function isHidden(segment: string): boolean {
  return segment.startsWith('.');
}

/**
 * The decoded path segments of a URL path (`/a/b%20c` -> ['a', 'b c']), or undefined when any
 * of them is hidden, cannot be decoded, or decodes to a separator or NUL. Decoded once, as HTTP
 * does: `%252e` names a file called `%2e…`, not a dotfile. A trailing `/` gives a last ''.
 */
export function requestSegments(urlPath: string): string[] | undefined {
  const path = urlPath.split(/[?#]/, 1)[0] ?? '';
  if (!path.startsWith('/')) return undefined;
  const raws = path.slice(1).split('/');
  const segments: string[] = [];
  for (const [i, raw] of raws.entries()) {
    if (raw === '' && i < raws.length - 1) return undefined; // `a//b` is not a path we wrote
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (isHidden(segment) || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  return segments;
}

/**
 * The segments of `real` (a resolved path, links followed) below `rootReal`, or undefined when it
 * lies outside that folder or passes through a hidden name there: a link may point anywhere
 * inside the folder except into what would not be served by name.
 */
export function segmentsInside(rootReal: string, real: string): string[] | undefined {
  const rel = relative(rootReal, real);
  if (rel === '') return [];
  if (isAbsolute(rel)) return undefined; // another drive
  const segments = rel.split(sep);
  return segments.some(isHidden) ? undefined : segments; // `..` is hidden too
}
