// Checks of what the page passes to the public API. A value of the wrong kind fails here with
// BAD_INPUT naming the option and the value, instead of as an engine's or the browser's own
// error somewhere later.
import { AirlockError } from '../errors.js';
import { DEVICES, type Device } from '../protocol/types.js';

/** A short, readable form of a value for a message: strings quoted, objects by their kind. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'undefined')
    return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}

export function badOption(option: string, value: unknown, expected: string): AirlockError {
  return new AirlockError('BAD_INPUT', `${option} must be ${expected}, got ${shown(value)}`, {
    option,
    value: shown(value),
  });
}

/** An options bag: an object, or nothing. */
export function optionsObject<T extends object>(option: string, value: T | undefined | null): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badOption(option, value, 'an object');
  return value;
}

export function optionalFunction<T extends (...args: never[]) => unknown>(
  option: string,
  value: T | undefined,
): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw badOption(option, value, 'a function');
  return value;
}

/** An AbortSignal, recognized by its shape (a signal from another realm is one too). */
export function optionalSignal(option: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it `unknown` cannot be narrowed by property
  const s = value as Partial<AbortSignal> | null;
  const isSignal =
    typeof s === 'object' &&
    s !== null &&
    typeof s.aborted === 'boolean' &&
    typeof s.addEventListener === 'function' &&
    typeof s.removeEventListener === 'function';
  if (!isSignal) throw badOption(option, value, 'an AbortSignal');
  return value as AbortSignal;
}

export function optionalDevice(option: string, value: unknown): Device | undefined {
  if (value !== undefined && !DEVICES.includes(value as Device))
    throw badOption(option, value, `one of ${DEVICES.map((d) => `"${d}"`).join(', ')}`);
  return value as Device | undefined;
}

export function optionalString(option: string, value: unknown): string | undefined {
  if (value !== undefined && typeof value !== 'string') throw badOption(option, value, 'a string');
  return value;
}

export function optionalBoolean(option: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw badOption(option, value, 'true or false');
  return value;
}

export function nonEmptyString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw badOption(option, value, 'a non-empty string');
  return value;
}
