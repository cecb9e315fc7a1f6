// Which of a manifest's files a pipeline downloads: the ones transformers.js reads for the dtype
// the load uses (src/shared/hf/pipeline-files.ts), so a repo with eight ONNX variants is
// fetched once, not eight times. The dtype: the call's, else config.json's, else transformers.js's
// default for the backend the load will pick; it is then passed to transformers.js explicitly.
import { AirlockError } from '../errors.js';
import type { Manifest, ManifestFile } from '../manifest/types.js';
import type { ModelConfig } from '../shared/hf/model-sessions.js';
import {
  availableDtypes,
  configDtype,
  DEFAULT_DTYPE,
  DTYPE_SUFFIX,
  isKnownDtype,
  pipelineFiles,
  type DtypeChoice,
} from '../shared/hf/pipeline-files.js';
import type { Backend } from '../protocol/types.js';
import type { PeekFile } from './model-source.js';

export interface PipelinePlan {
  files: ManifestFile[];
  /** the dtype for transformers.js (and the backend choice); undefined when config.json names one per session */
  dtype: string | undefined;
}

const CONFIG = 'config.json';

/**
 * config.json as JSON. One that does not parse is refused here, before the ONNX files are
 * downloaded: transformers.js could not build the pipeline from it either.
 */
async function readConfig(manifest: Manifest, file: ManifestFile, peek: PeekFile): Promise<ModelConfig> {
  const bytes = await peek(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new AirlockError(
      'BACKEND_UNAVAILABLE',
      `${CONFIG} of "${manifest.id}" is not JSON (${(e as Error).message}): transformers.js cannot build a pipeline from it`,
      { modelId: manifest.id, path: file.path },
    );
  }
  return typeof parsed === 'object' && parsed !== null ? parsed : {};
}

function badDtype(manifest: Manifest, dtype: string, why: string, details: Record<string, unknown>): AirlockError {
  return new AirlockError('BAD_INPUT', `Model "${manifest.id}" ${why}`, {
    modelId: manifest.id,
    option: 'dtype',
    value: dtype,
    ...details,
  });
}

/**
 * The files of `manifest` a pipeline reads with dtype `wanted` (or the model's own), and that
 * dtype; refuses a dtype the manifest has no files for, naming the ones it has. A manifest
 * without config.json is not in the Hugging Face layout: all its files, as they are (a prefetch
 * with a dtype; a pipeline load refuses such a manifest first, see engine-kinds.ts).
 */
export async function planPipeline(
  manifest: Manifest,
  peek: PeekFile,
  wanted: string | undefined,
  backend: () => Promise<Backend>,
): Promise<PipelinePlan> {
  const configFile = manifest.files.find((f) => f.path === CONFIG);
  if (!configFile) return { files: manifest.files, dtype: wanted };
  if (wanted !== undefined && !isKnownDtype(wanted)) {
    throw badDtype(
      manifest,
      wanted,
      `cannot load dtype "${wanted}": transformers.js knows ${Object.keys(DTYPE_SUFFIX).join(', ')}`,
      { known: Object.keys(DTYPE_SUFFIX) },
    );
  }
  const config = await readConfig(manifest, configFile, peek);
  const fromConfig = configDtype(config);
  const choice: DtypeChoice =
    wanted ?? (fromConfig && fromConfig !== 'auto' ? fromConfig : DEFAULT_DTYPE[await backend()]);
  const present = new Set(manifest.files.map((f) => f.path));
  const { files, missing } = pipelineFiles(config, choice, present);
  if (missing.length > 0) {
    const dtypes = manifest.dtypes ?? availableDtypes(config, present);
    const shown = typeof choice === 'string' ? choice : JSON.stringify(choice);
    throw badDtype(
      manifest,
      shown,
      `has no files for dtype ${shown} (${missing.join(', ')}); it has: ${dtypes.join(', ') || 'none'}`,
      { dtypes, missing },
    );
  }
  // in the manifest's order, as the load's record lists them
  const chosen = new Set(files);
  return {
    files: manifest.files.filter((f) => chosen.has(f.path)),
    dtype: typeof choice === 'string' ? choice : undefined,
  };
}
