// `ai.files(modelId)`: a model's files other than its engines' (a dictionary, labels, a
// vocabulary), read through the worker's verified store like its ONNX files.
import { AirlockError } from '../errors.js';
import { nonEmptyString, optionalBoolean, optionalSignal, optionsObject } from './checks.js';
import type { WorkerHost } from './worker-host.js';

export interface FileReadOptions {
  signal?: AbortSignal;
  /** ask the origin for a newer manifest first (default true); offline, the stored one is used */
  revalidate?: boolean;
}

export interface ModelFiles {
  /** The file's bytes, verified against the manifest's SHA-256. */
  bytes(path: string, options?: FileReadOptions): Promise<Uint8Array<ArrayBuffer>>;
  /** The file as UTF-8 text. */
  text(path: string, options?: FileReadOptions): Promise<string>;
  /** The file parsed as JSON; a file that is not JSON is BAD_INPUT naming it. */
  json<T = unknown>(path: string, options?: FileReadOptions): Promise<T>;
}

export function modelFiles(host: WorkerHost, modelId: string): ModelFiles {
  nonEmptyString('modelId', modelId);
  const bytes = async (path: string, options?: FileReadOptions) => {
    nonEmptyString('path', path);
    const given = optionsObject('options', options);
    const signal = optionalSignal('signal', given.signal);
    const revalidate = optionalBoolean('revalidate', given.revalidate);
    const read = revalidate === undefined ? {} : { revalidate };
    // moved here from the worker, never shared: a plain ArrayBuffer
    const got = await host.call((api, callId) => api.readFile(modelId, path, read, callId), signal ? { signal } : {});
    return got as Uint8Array<ArrayBuffer>;
  };
  const text = async (path: string, options?: FileReadOptions) => new TextDecoder().decode(await bytes(path, options));
  return {
    bytes,
    text,
    async json<T>(path: string, options?: FileReadOptions) {
      const body = await text(path, options);
      try {
        return JSON.parse(body) as T;
      } catch (e) {
        throw new AirlockError('BAD_INPUT', `${path} of "${modelId}" is not JSON: ${(e as Error).message}`, {
          option: 'path',
          value: path,
          modelId,
        });
      }
    },
  };
}
