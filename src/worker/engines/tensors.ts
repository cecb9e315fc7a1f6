// Conversion between ORT tensors and the plain TensorData that crosses the worker boundary.
import { AirlockError } from '../../errors.js';
import { ort } from './ort-env.js';
import type { TensorData } from '../../protocol/types.js';

/**
 * An ORT tensor from feeds that `checkFeeds` accepted. ORT takes int4 as packed bytes in a
 * Uint8Array only, and float16 bits in a Uint16Array as well as a Float16Array.
 */
export function toOrtTensor(name: string, t: TensorData): ort.Tensor {
  const data =
    t.type === 'int4' && t.data instanceof Int8Array
      ? new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)
      : t.data;
  try {
    return new ort.Tensor(t.type, data as ort.Tensor.DataType, t.dims);
  } catch (e) {
    throw new AirlockError('BAD_INPUT', `Input "${name}": ${(e as Error).message}`, { input: name });
  }
}

/** Reads a tensor back to the CPU (WebGPU outputs may live on the GPU) as plain data. */
export async function fromOrtTensor(t: ort.Tensor): Promise<TensorData> {
  const data = (await t.getData(true)) as TensorData['data'];
  return { type: t.type, data, dims: [...t.dims] };
}

/** transformers.js wraps ORT tensors in its own Tensor class; both have type, data and dims. */
export function isTensorLike(v: unknown): v is { type: string; data: TensorData['data']; dims: readonly number[] } {
  return (
    typeof v === 'object' &&
    v !== null &&
    'dims' in v &&
    'data' in v &&
    'type' in v &&
    ArrayBuffer.isView((v as { data: unknown }).data)
  );
}

/** Replaces every tensor in a pipeline's output with plain TensorData so it can be cloned. */
export function toPlain(value: unknown): unknown {
  if (isTensorLike(value)) return { type: value.type, data: value.data, dims: [...value.dims] };
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}

/** The ArrayBuffers inside a value, to transfer rather than copy. */
export function buffersOf(value: unknown, out: ArrayBuffer[] = []): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && !out.includes(value.buffer)) out.push(value.buffer);
  } else if (Array.isArray(value)) value.forEach((v) => buffersOf(v, out));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => buffersOf(v, out));
  return out;
}
