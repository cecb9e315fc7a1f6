// Which of a hub repo's files a pull takes: the configs, tokenizer and preprocessor files, and the
// ONNX files transformers.js loads for each dtype, with their external data (the rule itself is
// src/shared/hf/pipeline-files.ts, which the worker's pipeline loads follow too).
import { MANIFEST_FILE } from '../manifest/types.js';
import { CliError } from './errors.js';
import type { HubSibling } from './hub-client.js';
import type { ModelConfig } from '../shared/hf/model-sessions.js';
import {
  availableDtypes as dtypesPresent,
  configDtype,
  DEFAULT_DTYPE,
  DTYPE_SUFFIX,
  dtypesOf,
  onnxFilesFor,
  SIDE_FILES,
  type DtypeChoice,
} from '../shared/hf/pipeline-files.js';

export { DTYPE_SUFFIX, SIDE_FILES };

/** the dtypes transformers.js picks when neither the call nor config.json names one: q8 on WASM, fp32 on WebGPU */
export const DEFAULT_DTYPES: string[] = [DEFAULT_DTYPE.wasm, DEFAULT_DTYPE.webgpu];

/** own keys only: `constructor` or `toString` are no dtype */
const isDtype = (d: unknown): d is string => typeof d === 'string' && Object.hasOwn(DTYPE_SUFFIX, d);

const isDotPath = (p: string) => p.split('/').some((part) => part.startsWith('.'));

const pathsOf = (siblings: readonly HubSibling[]) => new Set(siblings.map((s) => s.rfilename));

/** The dtypes whose every session file the repo has. */
export function availableDtypes(config: ModelConfig, siblings: readonly HubSibling[]): string[] {
  return dtypesPresent(config, pathsOf(siblings));
}

export interface Selection {
  files: string[];
  /** the dtypes taken, as written to the manifest */
  dtypes: string[];
}

/**
 * The files for `dtypes` (default: config.json's dtype, else q8 and fp32 where the repo has them).
 * A dtype the repo lacks is bad usage: the message lists the ones it has.
 */
export function selectFiles(
  config: ModelConfig,
  siblings: readonly HubSibling[],
  dtypes: readonly string[] | undefined,
): Selection {
  const present = pathsOf(siblings);
  const available = dtypesPresent(config, present);
  for (const d of dtypes ?? []) {
    if (!isDtype(d))
      throw new CliError(
        'BAD_USAGE',
        `--dtype ${String(d)} is not a dtype transformers.js knows`,
        `Use one of: ${Object.keys(DTYPE_SUFFIX).join(', ')}`,
      );
  }
  const fromConfig = dtypes?.length ? undefined : configDtype(config);
  for (const d of fromConfig === undefined
    ? []
    : typeof fromConfig === 'string'
      ? [fromConfig]
      : Object.values(fromConfig)) {
    if (!isDtype(d))
      throw new CliError(
        'BAD_USAGE',
        `config.json names dtype ${JSON.stringify(d)}, which transformers.js does not know`,
        `Pass --dtype with one of: ${Object.keys(DTYPE_SUFFIX).join(', ')}`,
      );
  }
  const wanted: DtypeChoice[] = dtypes?.length
    ? [...dtypes]
    : fromConfig
      ? [fromConfig]
      : DEFAULT_DTYPES.filter((d) => available.includes(d));
  if (wanted.length === 0) {
    throw new CliError(
      'BAD_USAGE',
      `the repo has no ONNX files for ${DEFAULT_DTYPES.join(' or ')}${available.length ? ` (it has: ${available.join(', ')})` : ''}`,
      available.length ? 'Pass --dtype' : 'Pass --all to take every file',
    );
  }
  const onnx = new Set<string>();
  for (const d of wanted) {
    const files = onnxFilesFor(config, d, present);
    const missing = files.filter((f) => !present.has(f));
    if (missing.length > 0) {
      throw new CliError(
        'BAD_USAGE',
        `the repo has no ${missing.join(', ')} for dtype ${typeof d === 'string' ? d : JSON.stringify(d)}`,
        available.length ? `Pick one it has: --dtype ${available.join(',')}` : 'Pass --all to take every file',
      );
    }
    for (const f of files) onnx.add(f);
  }
  const side = SIDE_FILES.filter((f) => present.has(f));
  return { files: [...side, ...[...onnx].sort()], dtypes: [...new Set(wanted.flatMap(dtypesOf))] };
}

/**
 * `--all`: every file but dotfiles such as .gitattributes, which no page loads, and the repo's own
 * manifest.json: the pull writes ours.
 */
export function selectAll(config: ModelConfig | undefined, siblings: readonly HubSibling[]): Selection {
  return {
    files: siblings
      .map((s) => s.rfilename)
      .filter((p) => !isDotPath(p) && p !== MANIFEST_FILE)
      .sort(),
    dtypes: config ? availableDtypes(config, siblings) : [],
  };
}
