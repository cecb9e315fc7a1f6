import { defineConfig } from 'vitest/config';

const TIMING = ['test/browser/responsiveness.test.ts', 'test/browser/ocr-responsiveness.test.ts'];
// the store does not depend on the backend: its tests run once, without a GPU
const STORE = ['test/browser/store/**/*.test.ts'];
// packaging and origins, not the backend: once, without a GPU
const ONCE = ['test/browser/consumer.test.ts', 'test/browser/model-origin.test.ts', 'test/browser/nginx.test.ts'];
// the offline shell (service worker, Cache API) does not depend on the backend either
ONCE.push('test/browser/kiosk.test.ts');
// the central log does not depend on the backend either
ONCE.push('test/browser/collector.test.ts');
// OCR offline: the store and the transfer, on WASM in either project
ONCE.push('test/browser/ocr-offline.test.ts');
// timing tests whose calls run on WASM in either project: once, without a GPU
const TIMING_ONCE = ['test/browser/ocr-responsiveness.test.ts'];
// the portal's models page shows the store, which does not depend on the backend
ONCE.push('test/browser/portal-models.test.ts');
// speech detection runs on WASM whatever the device: the portal's speech page once
ONCE.push('test/browser/portal-speech.test.ts');

const browserTests = (gpu: 'webgpu' | 'nogpu', order: number, timing = false) => ({
  test: {
    name: `browser-${gpu}${timing ? '-timing' : ''}`,
    // one project at a time: two Chromiums already fill two cores
    sequence: { groupOrder: order },
    include: timing ? TIMING : ['test/browser/**/*.test.ts'],
    exclude: timing
      ? gpu === 'webgpu'
        ? TIMING_ONCE
        : []
      : gpu === 'webgpu'
        ? [...TIMING, ...STORE, ...ONCE]
        : TIMING,
    environment: 'node',
    env: { AIRLOCK_GPU: gpu },
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // each file runs its own Chromium; two at once is what two cores take, but a test that
    // measures the main thread's timing runs alone, so that it measures the page, not the load
    maxWorkers: timing ? 1 : 2,
  },
});

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          sequence: { groupOrder: 0 },
        },
      },
      browserTests('nogpu', 1),
      browserTests('webgpu', 2),
      browserTests('nogpu', 3, true),
      browserTests('webgpu', 4, true),
    ],
  },
});
