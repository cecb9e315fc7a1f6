// A model's other files (a dictionary, labels, a vocabulary) read through the store: downloaded
// and verified on first use like its ONNX files, verified again on every read, audited, and
// available offline once stored. Only the files its manifest lists exist.
import * as Comlink from 'comlink';
import { AirlockError } from '../errors.js';
import type { Manifest, ManifestFile } from '../manifest/types.js';
import type { Result } from '../protocol/messages.js';
import type { WorkerContract } from '../protocol/worker-api.js';
import { guard, type CallContext } from './guard.js';
import { withModel, type LoadContext } from './load.js';

interface Needs {
  /** reports the requests a call made before its result */
  settle: () => Promise<void>;
  /** a load's context without engines: reading a file builds none */
  context: (options: { revalidate?: boolean }, signal: AbortSignal | undefined, ctx: CallContext) => LoadContext;
}

/** The manifest's entry for `path`; a path it does not list is BAD_INPUT naming it and the model. */
export function manifestFile(manifest: Manifest, path: string): ManifestFile {
  const file = manifest.files.find((f) => f.path === path);
  if (file) return file;
  throw new AirlockError('BAD_INPUT', `Model "${manifest.id}" has no file "${path}" in its manifest`, {
    option: 'path',
    value: path,
    modelId: manifest.id,
  });
}

/** The verified bytes of one file of model `modelId`, stored first when missing. */
export async function readModelFile(load: LoadContext, modelId: string, path: string): Promise<Uint8Array> {
  const select = (manifest: Manifest) => [manifestFile(manifest, path)];
  const { value, release } = await withModel(load, modelId, { select }, (model) => model.read(model.files[0]!));
  release();
  return value;
}

export function fileCalls({ settle, context }: Needs): Pick<WorkerContract, 'readFile'> {
  return {
    readFile: async (modelId, path, options = {}, callId): Promise<Result<Uint8Array>> => {
      const result = await guard({ callId, settle, unexpected: 'STORAGE_FAILED' }, (signal, ctx) =>
        readModelFile(context(options, signal, ctx), modelId, path),
      );
      return result.ok ? Comlink.transfer(result, [result.value.buffer as ArrayBuffer]) : result;
    },
  };
}
