// One onnxruntime-web for the whole worker: the WebGPU build that transformers.js imports too,
// so raw sessions and pipelines share a single runtime and a single `.wasm`.
import * as ort from 'onnxruntime-web/webgpu';

export { ort };

/**
 * WebGPU runs with the NCHW layout, for raw sessions and pipelines alike. Under its default NHWC
 * layout, onnxruntime-web's WebGPU Conv shader reads inputs three channels at a time but indexes
 * them as if four were packed, which gives wrong numbers whenever a Conv's input channel count is
 * a multiple of 3 but not of 4 (Silero VAD's first encoder Conv has 129: speech probability
 * 0.103 instead of 0.124 on the first frame of a tone). NCHW takes a shader without that fault.
 */
export const WEBGPU_PROVIDER: ort.InferenceSession.WebGpuExecutionProviderOption = {
  name: 'webgpu',
  preferredLayout: 'NCHW',
};

/**
 * WASM threads when the page allows them: half the cores, at most 4 (ORT's own default), so the
 * page's main thread keeps a core to itself.
 */
export function defaultThreads(cores: number): number {
  return Math.max(1, Math.min(4, Math.ceil(cores / 2)));
}

/** Points ORT at the self-hosted runtime files; must run before the first session is created. */
export function configureOrt(runtimeBase: string, wantedThreads?: number): { threads: number } {
  // A string prefix makes ORT import the `.mjs` and fetch the `.wasm` from our origin directly:
  // no CDN default, and no `blob:` URL that a strict CSP would block.
  ort.env.wasm.wasmPaths = runtimeBase;
  ort.env.wasm.proxy = false;
  // ORT's warnings (e.g. shape ops placed on the CPU) are expected, not the page's concern
  ort.env.logLevel = 'error';
  // threads need SharedArrayBuffer, which only cross-origin isolated pages have
  const threads = self.crossOriginIsolated ? (wantedThreads ?? defaultThreads(navigator.hardwareConcurrency || 1)) : 1;
  ort.env.wasm.numThreads = threads;
  return { threads };
}
