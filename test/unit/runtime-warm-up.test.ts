// The model the worker starts onnxruntime-web with is what its comment says: y = Identity(x) on a
// float [1], a graph of our own (no downloaded byte), and it runs in onnxruntime-node.
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { WARM_UP_MODEL } from '../../src/worker/engines/runtime-warm-up.js';

const bytes = Buffer.from(WARM_UP_MODEL, 'base64');

describe('runtime warm-up model', () => {
  it('is one Identity node from x to y, float [1], opset 17, 83 bytes', () => {
    const model = onnxProto.onnx.ModelProto.decode(bytes);
    expect(bytes.byteLength).toBe(83);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    const graph: onnxProto.onnx.IGraphProto = model.graph!;
    expect((graph.node ?? []).map((n) => [n.opType, n.input, n.output])).toEqual([['Identity', ['x'], ['y']]]);
    expect(graph.initializer).toEqual([]);
    const values = [...(graph.input ?? []), ...(graph.output ?? [])];
    for (const v of values) {
      const tensor = v.type?.tensorType;
      expect(tensor?.elemType).toBe(onnxProto.onnx.TensorProto.DataType.FLOAT);
      expect((tensor?.shape?.dim ?? []).map((d) => Number(d.dimValue))).toEqual([1]);
    }
  });

  it('runs: y equals x', async () => {
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(0.25), [1]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([0.25]);
    await session.release();
  });
});
