// Checks of a raw session's feeds. Pure (no engine), so the page runs them before it posts a call
// (names and tensors) and the worker again with the model's types and dims: a clear
// BAD_INPUT that names the input beats an engine's or the structured clone's own error.
import { AirlockError } from '../errors.js';
import type { TensorData, TensorType } from '../protocol/types.js';

/** What onnxruntime-web's metadata says of an input (its ValueMetadata, reduced to what is checked). */
export type InputMetadata =
  | { name: string; isTensor: true; type: string; shape: readonly (number | string)[] }
  | { name: string; isTensor: false };

/** more elements than this in one tensor is a mistake, not a model input (1 GiB of float32) */
const MAX_ELEMENTS = 2 ** 28;

type ArrayKind = new (...args: never[]) => ArrayBufferView;
const float16Array = (globalThis as { Float16Array?: ArrayKind }).Float16Array;

/**
 * The arrays each type takes: ORT's own, plus float16 bits in a Uint16Array next to Float16Array
 * and, for int4, the Int8Array that ORT's typings name (both are packed bytes).
 */
const ARRAYS: Readonly<Record<Exclude<TensorType, 'string'>, readonly ArrayKind[]>> = {
  float32: [Float32Array],
  float16: float16Array ? [float16Array, Uint16Array] : [Uint16Array],
  float64: [Float64Array],
  int8: [Int8Array],
  uint8: [Uint8Array],
  int16: [Int16Array],
  uint16: [Uint16Array],
  int32: [Int32Array],
  uint32: [Uint32Array],
  int64: [BigInt64Array],
  uint64: [BigUint64Array],
  int4: [Uint8Array, Int8Array],
  uint4: [Uint8Array],
  bool: [Uint8Array],
};

export const TENSOR_TYPES: readonly TensorType[] = [...(Object.keys(ARRAYS) as TensorType[]), 'string'];

function bad(message: string, details?: Record<string, unknown>): AirlockError {
  return new AirlockError('BAD_INPUT', message, details);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'object') return 'an object';
  return typeof v === 'string' ? `the string ${JSON.stringify(v.slice(0, 40))}` : `a ${typeof v}`;
}

function isTensorType(type: unknown): type is TensorType {
  return typeof type === 'string' && (TENSOR_TYPES as readonly string[]).includes(type);
}

/** The number of values `data` must hold for `elements` elements: 4-bit types pack two to a byte. */
export function valuesFor(type: TensorType, elements: number): number {
  return type === 'int4' || type === 'uint4' ? Math.ceil(elements / 2) : elements;
}

function checkData(name: string, type: TensorType, data: unknown): void {
  const input = { input: name };
  if (type === 'string') {
    if (!Array.isArray(data))
      throw bad(`Input "${name}" is string but its data is ${describe(data)}, not an array of strings`, input);
    const at = data.findIndex((s) => typeof s !== 'string');
    if (at >= 0) throw bad(`Input "${name}" is string but value ${at} is ${describe(data[at])}`, input);
    return;
  }
  const kinds = ARRAYS[type];
  if (!kinds.some((k) => data instanceof k)) {
    throw bad(
      `Input "${name}" is ${type} but its data is ${describe(data)}; expected a ${kinds.map((k) => k.name).join(' or a ')}`,
      input,
    );
  }
}

function checkDims(name: string, dims: unknown): number {
  if (!Array.isArray(dims) || dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw bad(
      `Input "${name}" has invalid dims ${JSON.stringify(dims) ?? String(dims)}: they must be a list of integers >= 0`,
      { input: name },
    );
  }
  let elements = 1;
  for (const d of dims as number[]) {
    elements *= d;
    if (elements > MAX_ELEMENTS)
      throw bad(`Input "${name}" has more than ${MAX_ELEMENTS} elements (dims [${dims.join(', ')}])`, {
        input: name,
        limit: MAX_ELEMENTS,
      });
  }
  return elements;
}

/** One tensor's own consistency: a known type, data of that type, dims that fit the data. */
export function checkTensor(name: string, t: unknown): asserts t is TensorData {
  if (typeof t !== 'object' || t === null || Array.isArray(t) || ArrayBuffer.isView(t)) {
    throw bad(`Input "${name}" must be a tensor { type, data, dims }, got ${describe(t)}`, { input: name });
  }
  const missing = ['type', 'data', 'dims'].filter((k) => !Object.hasOwn(t, k));
  if (missing.length)
    throw bad(`Input "${name}" has no ${missing.join(', ')}: a tensor is { type, data, dims }`, {
      input: name,
      missing,
    });
  const { type, data, dims } = t as Record<'type' | 'data' | 'dims', unknown>;
  if (!isTensorType(type)) {
    throw bad(
      `Input "${name}" has an unknown type ${JSON.stringify(type) ?? String(type)}; the types are ${TENSOR_TYPES.join(', ')}`,
      { input: name },
    );
  }
  checkData(name, type, data);
  const elements = checkDims(name, dims);
  const length = (data as ArrayLike<unknown>).length;
  if (valuesFor(type, elements) !== length) {
    const packed = type === 'int4' || type === 'uint4' ? `, ${valuesFor(type, elements)} bytes packed` : '';
    throw bad(
      `Input "${name}" has ${length} values for dims [${(dims as number[]).join(', ')}] (${elements}${packed})`,
      { input: name },
    );
  }
}

function checkObject(feeds: unknown): asserts feeds is Record<string, unknown> {
  if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds) || ArrayBuffer.isView(feeds)) {
    throw bad(`Feeds must be an object of named tensors, got ${describe(feeds)}`);
  }
}

function checkAgainst(name: string, t: TensorData, meta: InputMetadata | undefined): void {
  if (!meta?.isTensor) return;
  if (meta.type !== t.type)
    throw bad(`Input "${name}" must be ${meta.type}, got ${t.type}`, { input: name, expected: meta.type });
  const shape = meta.shape;
  const fits =
    shape.length === 0 || (shape.length === t.dims.length && shape.every((d, i) => isFree(d) || d === t.dims[i]));
  if (!fits)
    throw bad(`Input "${name}" must have dims [${shape.join(', ')}], got [${t.dims.join(', ')}]`, {
      input: name,
      expected: shape,
    });
}

/**
 * Whether a declared dimension accepts any size: an empty shape means "not declared", names are
 * symbolic, and ORT reports an unnamed dynamic dimension as -1 or as 2^32 - 1.
 */
function isFree(d: number | string): boolean {
  return typeof d !== 'number' || d < 0 || d >= 2 ** 31;
}

/**
 * Raw session feeds: an object with the model's input names as its own keys (a `__proto__` or
 * `constructor` key is just an unknown name), each a consistent tensor of the declared type and
 * fixed dims. The page, which has the names but not the metadata, passes none.
 */
export function checkFeeds(
  feeds: unknown,
  names: readonly string[],
  metadata: readonly InputMetadata[],
): asserts feeds is Record<string, TensorData> {
  checkObject(feeds);
  const given = Object.keys(feeds);
  const missing = names.filter((n) => !Object.hasOwn(feeds, n));
  const unknown = given.filter((n) => !names.includes(n));
  if (missing.length || unknown.length) {
    throw bad(`Inputs do not match the model: missing [${missing.join(', ')}], unknown [${unknown.join(', ')}]`, {
      expected: [...names],
      missing,
      unknown,
    });
  }
  for (const name of given) {
    const t = feeds[name];
    checkTensor(name, t);
    checkAgainst(
      name,
      t,
      metadata.find((m) => m.name === name),
    );
  }
}
