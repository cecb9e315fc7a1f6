// Which of a hub repo's files a pull takes: the configs, tokenizer and preprocessor files, and the
// ONNX files transformers.js loads for each dtype, with their external data.
import { MANIFEST_FILE } from '../manifest/types.js';
import { CliError } from './errors.js';
import type { HubSibling } from './hub-client.js';
import { sessionsOf, type ModelConfig } from './model-sessions.js';

/** transformers.js's file suffix for each dtype (utils/dtypes.js) */
export const DTYPE_SUFFIX: Readonly<Record<string, string>> = {
  fp32: '', fp16: '_fp16', q8: '_quantized', int8: '_int8', uint8: '_uint8',
  q4: '_q4', q4f16: '_q4f16', bnb4: '_bnb4', q2: '_q2', q2f16: '_q2f16', q1: '_q1', q1f16: '_q1f16',
};

/** what a pipeline reads besides the ONNX files, when the repo has them */
export const SIDE_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json', 'processor_config.json', 'chat_template.jinja'];

/** the dtypes transformers.js picks when neither the call nor config.json names one: q8 on WASM, fp32 on WebGPU */
export const DEFAULT_DTYPES = ['q8', 'fp32'];

/** own keys only: `constructor` or `toString` are no dtype */
const isDtype = (d: unknown): d is string => typeof d === 'string' && Object.hasOwn(DTYPE_SUFFIX, d);

const isDotPath = (p: string) => p.split('/').some((part) => part.startsWith('.'));

/** The ONNX files (with external data present in the repo) for one dtype. */
function onnxFilesFor(config: ModelConfig, dtype: string | Record<string, string>, present: Set<string>): string[] {
  const files: string[] = [];
  for (const [key, base] of Object.entries(sessionsOf(config))) {
    const d = typeof dtype === 'string' ? dtype : (dtype[key] ?? 'fp32');
    const name = `onnx/${base}${DTYPE_SUFFIX[d] ?? ''}.onnx`;
    files.push(name);
    for (let i = 0; present.has(`${name}_data${i === 0 ? '' : `_${i}`}`); i++) files.push(`${name}_data${i === 0 ? '' : `_${i}`}`);
  }
  return files;
}

/** The dtypes whose every session file the repo has. */
export function availableDtypes(config: ModelConfig, siblings: readonly HubSibling[]): string[] {
  const present = new Set(siblings.map((s) => s.rfilename));
  return Object.keys(DTYPE_SUFFIX).filter((d) => onnxFilesFor(config, d, present).every((f) => present.has(f)));
}

export interface Selection {
  files: string[];
  /** the dtypes taken, as written to the manifest */
  dtypes: string[];
}

function configDtype(config: ModelConfig): string | Record<string, string> | undefined {
  return config['transformers.js_config']?.dtype;
}

/**
 * The files for `dtypes` (default: config.json's dtype, else q8 and fp32 where the repo has them).
 * A dtype the repo lacks is bad usage: the message lists the ones it has.
 */
export function selectFiles(config: ModelConfig, siblings: readonly HubSibling[], dtypes: readonly string[] | undefined): Selection {
  const present = new Set(siblings.map((s) => s.rfilename));
  const available = availableDtypes(config, siblings);
  for (const d of dtypes ?? []) {
    if (!isDtype(d)) throw new CliError('BAD_USAGE', `--dtype ${String(d)} is not a dtype transformers.js knows`, `Use one of: ${Object.keys(DTYPE_SUFFIX).join(', ')}`);
  }
  const fromConfig = dtypes?.length ? undefined : configDtype(config);
  for (const d of fromConfig === undefined ? [] : typeof fromConfig === 'string' ? [fromConfig] : Object.values(fromConfig)) {
    if (!isDtype(d)) throw new CliError('BAD_USAGE', `config.json names dtype ${JSON.stringify(d)}, which transformers.js does not know`, `Pass --dtype with one of: ${Object.keys(DTYPE_SUFFIX).join(', ')}`);
  }
  const wanted: (string | Record<string, string>)[] = dtypes?.length ? [...dtypes] : fromConfig ? [fromConfig] : DEFAULT_DTYPES.filter((d) => available.includes(d));
  if (wanted.length === 0) {
    throw new CliError('BAD_USAGE', `the repo has no ONNX files for ${DEFAULT_DTYPES.join(' or ')}${available.length ? ` (it has: ${available.join(', ')})` : ''}`, available.length ? 'Pass --dtype' : 'Pass --all to take every file');
  }
  const onnx = new Set<string>();
  for (const d of wanted) {
    const files = onnxFilesFor(config, d, present);
    const missing = files.filter((f) => !present.has(f));
    if (missing.length > 0) {
      throw new CliError('BAD_USAGE', `the repo has no ${missing.join(', ')} for dtype ${typeof d === 'string' ? d : JSON.stringify(d)}`, available.length ? `Pick one it has: --dtype ${available.join(',')}` : 'Pass --all to take every file');
    }
    for (const f of files) onnx.add(f);
  }
  const side = SIDE_FILES.filter((f) => present.has(f));
  return { files: [...side, ...[...onnx].sort()], dtypes: [...new Set(wanted.flatMap((d) => (typeof d === 'string' ? [d] : Object.values(d))))] };
}

/**
 * `--all`: every file but dotfiles such as .gitattributes, which no page loads, and the repo's own
 * manifest.json: the pull writes ours.
 */
export function selectAll(config: ModelConfig | undefined, siblings: readonly HubSibling[]): Selection {
  return {
    files: siblings.map((s) => s.rfilename).filter((p) => !isDotPath(p) && p !== MANIFEST_FILE).sort(),
    dtypes: config ? availableDtypes(config, siblings) : [],
  };
}
