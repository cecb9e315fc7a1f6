// The two kinds of engine the load path builds: transformers.js pipelines and raw onnxruntime-web
// sessions (src/worker/load.ts).
import { AirlockError } from '../errors.js';
import type { ManifestFile } from '../manifest/types.js';
import { canonicalTask } from '../protocol/tasks.js';
import type { ort } from './engines/ort-env.js';
import { createSession, type ExternalData } from './engines/sessions.js';
import { configuredDtype, loadPipeline, type Pipeline } from './engines/transformers.js';
import type { EngineKind } from './load.js';
import { sessionFiles } from './session-files.js';

/** A pipeline for `task` (canonical); `dtype` as the page asked, else the model's config decides. */
export function pipelineKind(task: string, modelBase: string, dtype: string | undefined): EngineKind<string | undefined, Pipeline> {
  return {
    select(manifest) {
      // refused before anything is downloaded; either side may name the task by an alias
      const modelTask = canonicalTask(manifest.task);
      if (modelTask !== task) throw new AirlockError('UNSUPPORTED_TASK', `Model "${manifest.id}" is for "${modelTask}", not "${task}"`, { modelId: manifest.id, task });
      return manifest.files;
    },
    prepare: async (model) => dtype ?? (await configuredDtype(model)),
    dtype: (configured) => configured,
    create: (model, _configured, backend) => loadPipeline(task, model, modelBase, backend, dtype),
    dispose: (pipe) => pipe.dispose(),
  };
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
      for (const f of data) externalData.push({ path: f.path.slice(f.path.lastIndexOf('/') + 1), data: await model.read(f) });
      return { bytes, externalData };
    },
    dtype: () => undefined,
    create: (_model, { bytes, externalData }, backend) => createSession(bytes, backend, externalData),
    dispose: (session) => session.release(),
  };
}
