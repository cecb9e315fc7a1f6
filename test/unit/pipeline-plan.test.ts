// Which of a manifest's files a pipeline downloads (src/worker/pipeline-plan.ts), in Node: the
// dtype from the call, config.json or the backend's default, and a clear refusal of a dtype the
// manifest has no files for.
import { describe, expect, it } from 'vitest';
import { isAirlockError } from '../../src/errors.js';
import type { Manifest, ManifestFile } from '../../src/manifest/types.js';
import { planPipeline } from '../../src/worker/pipeline-plan.js';
import type { Backend } from '../../src/protocol/types.js';
import { naming } from '../support/outcome.js';

const file = (path: string): ManifestFile => ({ path, size: path.length, sha256: '0'.repeat(64) });
const VARIANTS = ['onnx/model.onnx', 'onnx/model_quantized.onnx', 'onnx/model_fp16.onnx', 'onnx/model_fp16.onnx_data'];
const SIDE = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'README.md'];

function manifest(paths: string[], extra: Partial<Manifest> = {}): Manifest {
  return {
    schema: 1,
    id: 'org/m',
    task: 'text-classification',
    revision: 'r',
    source: 's',
    license: 'MIT',
    files: paths.map(file),
    ...extra,
  };
}

/** plans with config.json holding `config`; records which backend default was asked for */
async function plan(m: Manifest, config: unknown, dtype: string | undefined, backend: Backend = 'wasm') {
  const peek = (f: ManifestFile) => {
    expect(f.path).toBe('config.json');
    return Promise.resolve(new TextEncoder().encode(JSON.stringify(config)));
  };
  const got = await planPipeline(m, peek, dtype, () => Promise.resolve(backend));
  return { dtype: got.dtype, files: got.files.map((f) => f.path) };
}

async function refusal(p: Promise<unknown>) {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  return isAirlockError(e) ? { code: e.code, details: e.details, message: e.message } : e;
}

const bert = { model_type: 'bert', architectures: ['BertForSequenceClassification'] };

describe('a pipeline’s files', () => {
  it('takes the side files and the ONNX file of the dtype, with its external data, and nothing else', async () => {
    const m = manifest([...SIDE, ...VARIANTS]);
    expect(await plan(m, bert, 'fp16')).toEqual({
      dtype: 'fp16',
      files: [
        'config.json',
        'tokenizer.json',
        'tokenizer_config.json',
        'onnx/model_fp16.onnx',
        'onnx/model_fp16.onnx_data',
      ],
    });
    expect((await plan(m, bert, 'q8')).files.at(-1)).toBe('onnx/model_quantized.onnx');
  });

  it('takes config.json’s dtype, else q8 on WASM and fp32 on WebGPU (auto counts as none)', async () => {
    const m = manifest([...SIDE, ...VARIANTS]);
    expect((await plan(m, { ...bert, 'transformers.js_config': { dtype: 'fp16' } }, undefined)).dtype).toBe('fp16');
    expect(await plan(m, bert, undefined, 'wasm')).toMatchObject({
      dtype: 'q8',
      files: expect.arrayContaining(['onnx/model_quantized.onnx']) as string[],
    });
    expect(await plan(m, bert, undefined, 'webgpu')).toMatchObject({
      dtype: 'fp32',
      files: expect.arrayContaining(['onnx/model.onnx']) as string[],
    });
    expect((await plan(m, { ...bert, 'transformers.js_config': { dtype: 'auto' } }, undefined, 'webgpu')).dtype).toBe(
      'fp32',
    );
    // the call's dtype wins over config.json's
    expect((await plan(m, { ...bert, 'transformers.js_config': { dtype: 'fp16' } }, 'q8')).dtype).toBe('q8');
  });

  it('refuses a dtype the manifest lacks, naming the dtypes it has: the manifest’s list, else the ones its files hold', async () => {
    const derived = await refusal(plan(manifest([...SIDE, ...VARIANTS]), bert, 'q4'));
    expect(derived).toEqual({
      code: 'BAD_INPUT',
      message: naming('q4'),
      details: {
        modelId: 'org/m',
        option: 'dtype',
        value: 'q4',
        dtypes: ['fp32', 'fp16', 'q8'],
        missing: ['onnx/model_q4.onnx'],
      },
    });
    const listed = await refusal(plan(manifest([...SIDE, ...VARIANTS], { dtypes: ['q8', 'fp16'] }), bert, 'q4'));
    expect(listed).toMatchObject({ code: 'BAD_INPUT', details: { dtypes: ['q8', 'fp16'] } });
    expect(await refusal(plan(manifest([...SIDE, ...VARIANTS]), bert, 'q3'))).toMatchObject({
      code: 'BAD_INPUT',
      message: naming('q3'),
      details: { option: 'dtype', value: 'q3' },
    });
    // the default of the backend, when the manifest lacks it
    expect(await refusal(plan(manifest([...SIDE, 'onnx/model_fp16.onnx']), bert, undefined, 'wasm'))).toMatchObject({
      code: 'BAD_INPUT',
      details: { value: 'q8', dtypes: ['fp16'] },
    });
  });

  it('leaves a manifest without config.json as it is: all its files', async () => {
    const m = manifest(['onnx/model.onnx', 'onnx/model_q4.onnx', 'tokenizer.json']);
    expect(
      await planPipeline(
        m,
        () => Promise.reject(new Error('not read')),
        undefined,
        () => Promise.resolve<Backend>('wasm'),
      ),
    ).toEqual({ files: m.files, dtype: undefined });
  });
});
