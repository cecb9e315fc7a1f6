// Runs a model with native onnxruntime (onnxruntime-node, CPU): the reference for browser numbers.
import * as ort from 'onnxruntime-node';
import type { TensorData } from '../../src/index.js';

export async function ortReference(
  modelPath: string,
  feeds: Record<string, TensorData>,
): Promise<Record<string, TensorData>> {
  const session = await ort.InferenceSession.create(modelPath);
  try {
    const out = await session.run(
      Object.fromEntries(
        Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(t.type, t.data as ort.Tensor.DataType, t.dims)]),
      ),
    );
    return Object.fromEntries(
      Object.entries(out).map(([k, t]) => [k, { type: t.type, data: t.data, dims: [...t.dims] }]),
    );
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
