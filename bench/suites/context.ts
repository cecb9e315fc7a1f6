// What every suite gets: the browser, the run's settings, and a log line.
import type { BenchBrowser } from '../lib/browser.js';

export interface RunSettings {
  quick: boolean;
  device: 'wasm' | 'webgpu';
  repetitions: number;
  warmSizes: number[];
  coldSizes: number[];
  /** the size the memory and store rows use */
  bigSize: number;
}

export interface SuiteContext {
  browser: BenchBrowser;
  settings: RunSettings;
  /** WASM threads Airlock uses here; the references get the same */
  threads: number;
  log(line: string): void;
}

export const config = (ctx: SuiteContext) => ({ device: ctx.settings.device, threads: ctx.threads });
