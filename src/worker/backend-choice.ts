// The backend decision, as pure logic: which backend a model gets on this adapter, and why.
import { AirlockError } from '../errors.js';
import type { AdapterSummary, Backend, Device } from '../protocol/types.js';

export interface BackendChoice {
  backend: Backend;
  /** why WebGPU is not used, when it is not */
  reason?: string;
}

/** dtypes whose WebGPU kernels compute in half precision, and so need the `shader-f16` feature */
const F16_DTYPES = new Set(['fp16', 'q4f16']);

export function needsShaderF16(dtype: string | undefined): boolean {
  return dtype !== undefined && F16_DTYPES.has(dtype);
}

export function chooseBackend(device: Device, adapter: AdapterSummary | null, dtype?: string): BackendChoice {
  if (device === 'wasm') return { backend: 'wasm' };
  const missing = !adapter
    ? 'no WebGPU adapter in this worker'
    : needsShaderF16(dtype) && !adapter.shaderF16
      ? `dtype ${dtype} needs the WebGPU feature shader-f16, which this adapter lacks`
      : undefined;
  if (!missing) return { backend: 'webgpu' };
  if (device === 'webgpu')
    throw new AirlockError('BACKEND_UNAVAILABLE', `WebGPU was requested but ${missing}`, { dtype });
  return { backend: 'wasm', reason: missing };
}
