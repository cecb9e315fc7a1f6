// Runs a model's creation on the right backend: probes the adapter once, applies the choice,
// and under `auto` falls back to WASM when WebGPU fails, keeping the reason for `info()`.
import { AirlockError } from '../errors.js';
import { chooseBackend, type BackendChoice } from './backend-choice.js';
import type { AdapterSummary, Backend, Device, RuntimeInfo } from '../protocol/types.js';

let adapterProbe: Promise<AdapterSummary | null> | undefined;

/** Asks for a WebGPU adapter once per worker; null when there is none. */
export function probeWebGpu(): Promise<AdapterSummary | null> {
  adapterProbe ??= (async () => {
    const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) return null;
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) return null;
      const info = adapter.info;
      return {
        vendor: info.vendor,
        architecture: info.architecture,
        isFallbackAdapter: Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter),
        shaderF16: adapter.features.has('shader-f16'),
      };
    } catch {
      return null;
    }
  })();
  return adapterProbe;
}

/** The backend a load on `device` starts with, before any dtype is known: what picks transformers.js's default dtype. */
export async function firstBackend(device: Device): Promise<Backend> {
  if (device !== 'auto') return device;
  return (await probeWebGpu()) ? 'webgpu' : 'wasm';
}

export async function withFallback<T>(
  device: Device,
  dtype: string | undefined,
  create: (backend: Backend) => Promise<T>,
): Promise<{ value: T } & BackendChoice> {
  const choice = chooseBackend(device, await probeWebGpu(), dtype);
  if (choice.backend === 'wasm') return { value: await create('wasm'), ...choice };
  try {
    return { value: await create('webgpu'), backend: 'webgpu' };
  } catch (e) {
    // our own errors (an abort, a bad model) are not WebGPU's fault: no fallback for them
    if (e instanceof AirlockError) throw e;
    if (device === 'webgpu') {
      throw new AirlockError('BACKEND_UNAVAILABLE', `WebGPU session failed: ${(e as Error)?.message ?? String(e)}`);
    }
    const reason = `WebGPU failed, fell back to WASM: ${(e as Error)?.message ?? String(e)}`;
    return { value: await create('wasm'), backend: 'wasm', reason };
  }
}

/** What `info()` says: the device, the adapter, isolation, threads and the models loaded. */
export async function runtimeInfo(
  device: Device,
  threads: number,
  models: RuntimeInfo['models'],
  storeNotes: string[] = [],
): Promise<RuntimeInfo> {
  const isolation = self.crossOriginIsolated
    ? []
    : ['The page is not cross-origin isolated (COOP/COEP): WASM runs on one thread.'];
  const notes = [...isolation, ...storeNotes];
  return {
    device,
    webgpu: await probeWebGpu(),
    crossOriginIsolated: self.crossOriginIsolated,
    wasmThreads: threads,
    notes,
    models,
  };
}
