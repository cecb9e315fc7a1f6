// A call's outcome as plain data (the test page's `settle` makes it in the browser; `thrown` in
// Node) and the checks on it. Tests compare codes and details: messages may change, codes do not.
import { expect } from 'vitest';
import { AirlockError } from '../../src/errors.js';
import type { Outcome } from '../app/main.js';

export type { Outcome };
export type Failure = Extract<Outcome, { ok: false }>;

// vitest types its asymmetric matchers as `any`: these give them the type of what they match
/** Matches any message: where a test checks the code and the details only. */
export const anyMessage = expect.any(String) as string;
/** Matches a message that names `text` (an input, an option, a URL). */
export const naming = (text: string) => expect.stringContaining(text) as string;

/** The outcome as a failure; fails the test, showing what it got, when the call succeeded. */
export function failure(o: Outcome | undefined, name: string): Failure {
  expect(o?.ok, `${name}: ${JSON.stringify(o)}`).toBe(false);
  return o as Failure;
}

/** The outcome's value; fails the test, showing the error, when the call failed. */
export function success<T>(o: Outcome<T>, name: string): T {
  expect(o.ok, `${name}: ${JSON.stringify(o)}`).toBe(true);
  return (o as Extract<Outcome<T>, { ok: true }>).value;
}

/** What a synchronous call threw: an AirlockError's code, details and message; undefined when it returned. */
export function thrown(
  fn: () => unknown,
): { code: string; details: Record<string, unknown> | undefined; message: string } | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof AirlockError) return { code: e.code, details: e.details, message: e.message };
    return { code: 'not an AirlockError', details: undefined, message: String(e) };
  }
}

/** The code of what a synchronous call threw; undefined when it returned. */
export function codeOf(fn: () => unknown): string | undefined {
  return thrown(fn)?.code;
}
