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

/** The line of a JSON.parse error's position in `text`, 1 when it names none. */
function lineOfError(text: string, e: unknown): number {
  const position = /position (\d+)/.exec((e as Error).message)?.[1];
  if (position === undefined) return 1;
  return text.slice(0, Number(position)).split('\n').length;
}

/** `text` parsed as JSON; `firstLine` is the line `text` starts on in the file. */
export function parseJson(file: string, text: string, option: string, firstLine = 1): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const why = (e as Error).message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/, ".*" is not valid JSON$/, '');
    throw invalidInput(file, firstLine + lineOfError(text, e) - 1, `not valid JSON (${why})`, option);
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
