// Finds Debian's Chromium and launches it headless, with or without WebGPU (SwiftShader).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export type GpuMode = 'webgpu' | 'nogpu';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string {
  const fromEnv = process.env.AIRLOCK_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`AIRLOCK_CHROMIUM=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      'No Chromium found for the browser tests. On Debian: `sudo apt-get install -y chromium` ' +
        '(.ci/run does this when run as root), or set AIRLOCK_CHROMIUM to a Chromium binary.',
    );
  }
  return found;
}

// Without these, Chromium contacts hosts of its own (updates, sync, field trials).
const QUIET = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-quic',
  '--metrics-recording-only',
];
const WEBGPU = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];

export function gpuMode(): GpuMode {
  return process.env.AIRLOCK_GPU === 'nogpu' ? 'nogpu' : 'webgpu';
}

/** The command-line flags for `mode` (the bench launches with a profile on disk, with these). */
export function chromiumArgs(mode: GpuMode = gpuMode()): string[] {
  return [...QUIET, ...(mode === 'webgpu' ? WEBGPU : [])];
}

export function launchChromium(mode: GpuMode = gpuMode()): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs(mode),
  });
}
