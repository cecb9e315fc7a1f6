// What the harness tells the page about this run.
export interface BenchConfig {
  device: 'wasm' | 'webgpu';
  /** WASM threads, the same on both sides */
  threads: number;
}

export const origin = () => location.origin;
export const runtimeBase = () => new URL('/airlock/ort/', location.href).href;
export const modelBase = () => new URL('/models/', location.href).href;
