// The ONNX files a pull takes are the ones transformers.js loads: checked against the installed
// transformers.js's own ModelRegistry.get_model_files, for every architecture it knows.
import { ModelRegistry } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import TABLE from '../../src/shared/hf/model-types.json' with { type: 'json' };
import { DTYPE_SUFFIX, selectFiles } from '../../src/node/pull-selection.js';
import type { ModelConfig } from '../../src/shared/hf/model-sessions.js';
import { modelTypeTable } from '../support/transformers-model-types.js';

// sub-configs that transformers.js's config normalizer reads for some models
const SUB_CONFIGS = {
  vision_config: {},
  audio_config: {},
  text_config: {},
  encoder_config: {},
  decoder_config: {},
  encoder: {},
  decoder: {},
};

/** a repo that has every file transformers.js could ask for */
function everything(files: string[]) {
  return files.map((rfilename) => ({ rfilename, size: 1 }));
}

async function theirs(config: ModelConfig, dtype: string): Promise<string[]> {
  const files: string[] = await ModelRegistry.get_model_files('x/y', {
    config: config as never,
    dtype: dtype as never,
  });
  return files.filter((f) => f.startsWith('onnx/')).sort();
}

function ours(config: ModelConfig, dtype: string, repoFiles: string[]): string[] {
  return selectFiles(config, everything(['config.json', ...repoFiles]), [dtype])
    .files.filter((f) => f.startsWith('onnx/'))
    .sort();
}

describe('file selection', () => {
  it('uses the same model-type table as the installed transformers.js (run scripts/model-types.ts after an upgrade)', async () => {
    expect(await modelTypeTable()).toEqual(TABLE);
  });

  it('takes the same ONNX files as transformers.js for every architecture and dtype', async () => {
    const archs = [
      ...Object.keys(TABLE.architectures),
      'BertForSequenceClassification',
      'LlamaForCausalLM',
      'GPT2LMHeadModel',
    ];
    const cases: [string, ModelConfig, string][] = [
      ...archs.flatMap((arch) =>
        Object.keys(DTYPE_SUFFIX).map((d): [string, ModelConfig, string] => [
          arch,
          { architectures: [arch], ...SUB_CONFIGS },
          d,
        ]),
      ),
      ...[...Object.keys(TABLE.modelTypes), 'bert', 'llama'].map((t): [string, ModelConfig, string] => [
        t,
        { model_type: t, ...SUB_CONFIGS },
        'q8',
      ]),
    ];
    // transformers.js cannot build a config for a few models from a minimal config.json (its
    // normalizer reads fields of their own): those are left out, and counted
    const skipped: string[] = [];
    for (const [name, config, dtype] of cases) {
      const want = await theirs(config, dtype).catch(() => undefined);
      if (!want) skipped.push(name);
      else expect(ours(config, dtype, want), `${name} ${dtype}`).toEqual(want);
    }
    expect(new Set(skipped).size, [...new Set(skipped)].join(', ')).toBeLessThanOrEqual(1);
  });

  it('takes external data beside each ONNX file, and the chunks config.json names', async () => {
    const config: ModelConfig = {
      model_type: 'whisper',
      'transformers.js_config': { use_external_data_format: { 'encoder_model_fp16.onnx': 2 } },
    };
    const want = await theirs(config, 'fp16');
    expect(want).toEqual([
      'onnx/decoder_model_merged_fp16.onnx',
      'onnx/encoder_model_fp16.onnx',
      'onnx/encoder_model_fp16.onnx_data',
      'onnx/encoder_model_fp16.onnx_data_1',
    ]);
    expect(
      ours(config, 'fp16', [
        ...want,
        'onnx/encoder_model.onnx',
        'onnx/decoder_model.onnx',
        'onnx/decoder_with_past_model_fp16.onnx',
      ]),
    ).toEqual(want);
  });

  it('follows a per-session dtype in config.json when no --dtype is given', async () => {
    const dtype = { embed_tokens: 'q4', decoder_model_merged: 'q4f16', vision_encoder: 'fp16' };
    const config: ModelConfig = {
      architectures: ['SmolVLMForConditionalGeneration'],
      'transformers.js_config': { dtype },
    };
    const want: string[] = (await ModelRegistry.get_model_files('x/y', { config: config as never }))
      .filter((f: string) => f.startsWith('onnx/'))
      .sort();
    const got = selectFiles(config, everything(['config.json', ...want]), undefined);
    expect(got.files.filter((f) => f.startsWith('onnx/')).sort()).toEqual(want);
    expect(got.dtypes.sort()).toEqual(['fp16', 'q4', 'q4f16']);
  });
});
