// Reading the report's input files: an unreadable file is a LOCAL_IO error naming it and its
// option; malformed content an INPUT_INVALID error naming the file and the line.
import { readFile } from 'node:fs/promises';
import { CliError, ioError } from '../errors.js';

export async function readText(file: string, option: string): Promise<string> {
  return readFile(file, 'utf8').catch((e: unknown) => {
    throw ioError(`read ${file} (${option})`, e, option);
  });
}

/** A problem in `file` at `line` (1-based), with what to do about it. */
export function invalidInput(file: string, line: number, why: string, option: string): CliError {
  return new CliError('INPUT_INVALID', `${file}:${line}: ${why}`, `Fix that line, or leave the file out of ${option}`, {
    file,
    line,
    option,
  });
}

/** Whether the first `n` lines of `lines` hold a JSON error (not just an unfinished document). */
function brokenWithin(lines: readonly string[], n: number): boolean {
  const prefix = lines.slice(0, n).join('\n');
  try {
    JSON.parse(prefix);
    return false;
  } catch (e) {
    const message = (e as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    if (/Unexpected end of JSON input/.test(message)) return false;
    return position === undefined || Number(position) < prefix.trimEnd().length;
  }
}

/**
 * The line of a JSON.parse error in `text`. Node names no position for some errors, so the line
 * is found by parsing prefixes: a prefix that holds the error fails before its end (binary search).
 */
function lineOfError(text: string): number {
  const lines = text.split('\n');
  let lo = 1;
  let hi = lines.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (brokenWithin(lines, mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `text` parsed as JSON; `firstLine` is the line `text` starts on in the file. */
export function parseJson(file: string, text: string, option: string, firstLine = 1): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const why = (e as Error).message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/, ".*" is not valid JSON$/, '');
    throw invalidInput(file, firstLine + lineOfError(text) - 1, `not valid JSON (${why})`, option);
  }
}

export async function readJson(file: string, option: string): Promise<unknown> {
  return parseJson(file, await readText(file, option), option);
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const isoTime = (v: unknown): string | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v).toISOString();
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString();
  return null;
};
