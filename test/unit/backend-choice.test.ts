import { describe, expect, it } from 'vitest';
import { chooseBackend, needsShaderF16 } from '../../src/worker/backend-choice.js';
import type { AdapterSummary } from '../../src/protocol/types.js';
import { codeOf } from '../support/outcome.js';

const gpu = (shaderF16: boolean): AdapterSummary => ({
  vendor: 'v',
  architecture: 'a',
  isFallbackAdapter: false,
  shaderF16,
});

describe('backend choice', () => {
  it('auto takes WebGPU when there is an adapter, else WASM with the reason', () => {
    expect(chooseBackend('auto', gpu(false))).toEqual({ backend: 'webgpu' });
    expect(chooseBackend('auto', null)).toEqual({ backend: 'wasm', reason: 'no WebGPU adapter in this worker' });
  });

  it('auto needs shader-f16 for half-precision dtypes only', () => {
    expect(needsShaderF16('fp16')).toBe(true);
    expect(needsShaderF16('q4f16')).toBe(true);
    expect(needsShaderF16('q4')).toBe(false);
    expect(needsShaderF16(undefined)).toBe(false);
    expect(chooseBackend('auto', gpu(true), 'fp16')).toEqual({ backend: 'webgpu' });
    expect(chooseBackend('auto', gpu(false), 'q4')).toEqual({ backend: 'webgpu' });
    expect(chooseBackend('auto', gpu(false), 'q4f16')).toEqual({
      backend: 'wasm',
      reason: 'dtype q4f16 needs the WebGPU feature shader-f16, which this adapter lacks',
    });
  });

  it('wasm is always wasm; webgpu without what it needs is BACKEND_UNAVAILABLE', () => {
    expect(chooseBackend('wasm', gpu(true), 'fp16')).toEqual({ backend: 'wasm' });
    expect(chooseBackend('webgpu', gpu(false), 'fp32')).toEqual({ backend: 'webgpu' });
    expect(codeOf(() => chooseBackend('webgpu', null))).toBe('BACKEND_UNAVAILABLE');
    expect(codeOf(() => chooseBackend('webgpu', gpu(false), 'fp16'))).toBe('BACKEND_UNAVAILABLE');
  });
});
