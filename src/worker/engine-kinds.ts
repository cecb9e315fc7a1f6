// The two kinds of engine the load path builds: transformers.js pipelines and raw onnxruntime-web
// sessions (src/worker/load.ts).
import { AirlockError } from '../errors.js';
import type { ManifestFile } from '../manifest/types.js';
import { canonicalTask } from '../protocol/tasks.js';
import type { ort } from './engines/ort-env.js';
import { createSession, type ExternalData } from './engines/sessions.js';
import { loadPipeline, type Pipeline } from './engines/transformers.js';
import { firstBackend } from './backend.js';
import type { FileSelection, OpenedModel } from './model-source.js';
import { planPipeline } from './pipeline-plan.js';
import type { Device, SessionInfo } from '../protocol/types.js';
import type { EngineKind } from './load.js';
import { sessionFiles } from './session-files.js';

const CONFIG = 'config.json';

/**
 * A pipeline for `task` (canonical) that downloads only the files of its dtype: `dtype` as the
 * page asked, else config.json's, else transformers.js's default for the backend `device` starts
 * with. The same dtype goes to transformers.js, on a fallback to WASM too.
 */
export function pipelineKind(
  task: string,
  modelBase: string,
  dtype: string | undefined,
  device: Device,
): EngineKind<string | undefined, Pipeline> {
  let chosen = dtype;
  return {
    async select(manifest, peek) {
      // refused before anything is downloaded; either side may name the task by an alias
      const modelTask = canonicalTask(manifest.task);
      if (modelTask !== task)
        throw new AirlockError('UNSUPPORTED_TASK', `Model "${manifest.id}" is for "${modelTask}", not "${task}"`, {
          modelId: manifest.id,
          task,
        });
      // transformers.js builds every pipeline from config.json: without one, refused before any download
      if (!manifest.files.some((f) => f.path === CONFIG))
        throw new AirlockError(
          'UNSUPPORTED_TASK',
          `Model "${manifest.id}" has no ${CONFIG}, which a transformers.js pipeline needs; ai.session() loads its ONNX file`,
          { modelId: manifest.id, task, missing: CONFIG },
        );
      const plan = await planPipeline(manifest, peek, dtype, () => firstBackend(device));
      chosen = plan.dtype;
      return plan.files;
    },
    prepare: () => Promise.resolve(chosen),
    dtype: (configured) => configured,
    create: (model, configured, backend) => loadPipeline(task, model, modelBase, backend, configured),
    dispose: (pipe) => pipe.dispose(),
  };
}

/** What a prefetch stores: the files of `dtype` as a pipeline would read them, or every file of the manifest. */
export function prefetchSelection(dtype: string | undefined, device: Device): FileSelection | undefined {
  if (dtype === undefined) return undefined;
  return async (manifest, peek) => (await planPipeline(manifest, peek, dtype, () => firstBackend(device))).files;
}

interface SessionBytes {
  bytes: Uint8Array;
  externalData: ExternalData;
}

/** A raw session of one `.onnx` file (`file`, or the model's only one) and its external data. */
export function sessionKind(file: string | undefined): EngineKind<SessionBytes, ort.InferenceSession> {
  return {
    select: (manifest) => sessionFiles(manifest, file),
    keep: true,
    async prepare(model) {
      const [onnx, ...data] = model.files as [ManifestFile, ...ManifestFile[]];
      const bytes = await model.read(onnx);
      const externalData: ExternalData = [];
      for (const f of data)
        externalData.push({ path: f.path.slice(f.path.lastIndexOf('/') + 1), data: await model.read(f) });
      return { bytes, externalData };
    },
    dtype: () => undefined,
    create: (_model, { bytes, externalData }, backend) => createSession(bytes, backend, externalData),
    dispose: (session) => session.release(),
  };
}

/** What `info()` and the handle say of a raw session: its file and its input and output names. */
export function sessionNames(
  model: OpenedModel,
  session: ort.InferenceSession,
): Pick<SessionInfo, 'file' | 'inputNames' | 'outputNames'> {
  return { file: model.files[0]!.path, inputNames: [...session.inputNames], outputNames: [...session.outputNames] };
}
