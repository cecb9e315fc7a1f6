// Which files of a Hugging Face layout model transformers.js (4.3.1) reads for a dtype: the
// configs, tokenizer and preprocessor files, and for each session of the model type
// `onnx/<session><suffix>.onnx` with its external data. One definition for the CLI's pull
// (src/node) and the worker's pipeline loads; it works on path lists, not on manifests.
import { sessionsOf, type ModelConfig } from './model-sessions.js';

/** A dtype for every session, or one per session key (as `transformers.js_config.dtype` may say). */
export type DtypeChoice = string | Readonly<Record<string, string>>;

/** transformers.js's file suffix for each dtype (utils/dtypes.js) */
export const DTYPE_SUFFIX: Readonly<Record<string, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
  q2: '_q2',
  q2f16: '_q2f16',
  q1: '_q1',
  q1f16: '_q1f16',
};

/** what a pipeline reads besides the ONNX files, when the model has them */
export const SIDE_FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'preprocessor_config.json',
  'processor_config.json',
  'chat_template.jinja',
];

/**
 * The dtype transformers.js takes when neither the call nor config.json names one
 * (utils/dtypes.js: q8 for `wasm`, fp32 for every other device).
 */
export const DEFAULT_DTYPE = { wasm: 'q8', webgpu: 'fp32' } as const;

export function isKnownDtype(dtype: string): boolean {
  return Object.hasOwn(DTYPE_SUFFIX, dtype);
}

/** `onnx/<name>_data`, `onnx/<name>_data_1`, …: the external data chunk names beside an ONNX file. */
const dataName = (onnx: string, i: number) => `${onnx}_data${i === 0 ? '' : `_${i}`}`;

/** The ONNX files of `dtype` (with the external data `present` has beside them), whether present or not. */
export function onnxFilesFor(config: ModelConfig, dtype: DtypeChoice, present: ReadonlySet<string>): string[] {
  const files: string[] = [];
  for (const [key, base] of Object.entries(sessionsOf(config))) {
    const d = typeof dtype === 'string' ? dtype : (dtype[key] ?? 'fp32');
    const name = `onnx/${base}${DTYPE_SUFFIX[d] ?? ''}.onnx`;
    files.push(name);
    for (let i = 0; present.has(dataName(name, i)); i++) files.push(dataName(name, i));
  }
  return files;
}

/** The dtypes whose every session file `present` has. */
export function availableDtypes(config: ModelConfig, present: ReadonlySet<string>): string[] {
  return Object.keys(DTYPE_SUFFIX).filter((d) => onnxFilesFor(config, d, present).every((f) => present.has(f)));
}

/** config.json's `transformers.js_config.dtype`, if it names one. */
export function configDtype(config: ModelConfig): DtypeChoice | undefined {
  const dtype = config['transformers.js_config']?.dtype;
  return typeof dtype === 'string' || (typeof dtype === 'object' && dtype !== null) ? dtype : undefined;
}

/** The dtypes a choice names, each once. */
export function dtypesOf(choice: DtypeChoice): string[] {
  return [...new Set(typeof choice === 'string' ? [choice] : Object.values(choice))];
}

export interface PipelineFiles {
  /** the side files present, then the ONNX files (those present) */
  files: string[];
  /** ONNX files of the dtype that `present` lacks */
  missing: string[];
}

/** What a pipeline of `config` reads for `dtype`, out of the `present` paths. */
export function pipelineFiles(config: ModelConfig, dtype: DtypeChoice, present: ReadonlySet<string>): PipelineFiles {
  const onnx = onnxFilesFor(config, dtype, present);
  return {
    files: [...SIDE_FILES.filter((f) => present.has(f)), ...onnx.filter((f) => present.has(f))],
    missing: onnx.filter((f) => !present.has(f)),
  };
}
