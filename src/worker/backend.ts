// Picks the execution backend: WebGPU when the worker gets an adapter, else WASM.
import { AirlockError } from '../errors.js';
import type { AdapterSummary, Backend, Device } from './protocol.js';

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
      };
    } catch {
      return null;
    }
  })();
  return adapterProbe;
}

export interface BackendChoice {
  backend: Backend;
  reason?: string;
}

export async function chooseBackend(device: Device): Promise<BackendChoice> {
  if (device === 'wasm') return { backend: 'wasm' };
  const adapter = await probeWebGpu();
  if (adapter) return { backend: 'webgpu' };
  if (device === 'webgpu') {
    throw new AirlockError('BACKEND_UNAVAILABLE', 'WebGPU was requested but this worker got no WebGPU adapter');
  }
  return { backend: 'wasm', reason: 'no WebGPU adapter in this worker' };
}

/**
 * Creates something on the chosen backend; under `auto`, a WebGPU failure falls back to WASM
 * and the reason is kept for `info()`.
 */
export async function withFallback<T>(device: Device, create: (backend: Backend) => Promise<T>): Promise<{ value: T } & BackendChoice> {
  const choice = await chooseBackend(device);
  if (choice.backend === 'wasm') return { value: await create('wasm'), ...choice };
  try {
    if (faultInjected('webgpu-create')) throw new Error('WebGPU session creation failed (injected fault)');
    return { value: await create('webgpu'), backend: 'webgpu' };
  } catch (e) {
    if (device === 'webgpu') {
      throw new AirlockError('BACKEND_UNAVAILABLE', `WebGPU session failed: ${(e as Error)?.message ?? String(e)}`);
    }
    const reason = `WebGPU failed, fell back to WASM: ${(e as Error)?.message ?? String(e)}`;
    return { value: await create('wasm'), backend: 'wasm', reason };
  }
}

/**
 * A test seam: a worker script that wraps the real entry may set
 * `globalThis[Symbol.for('airlock.faults')] = new Set(['webgpu-create'])` to make WebGPU session
 * creation fail, so the fallback path can be tested on a machine whose WebGPU works.
 */
function faultInjected(name: string): boolean {
  const faults = (globalThis as Record<symbol, unknown>)[Symbol.for('airlock.faults')];
  return faults instanceof Set && faults.has(name);
}
