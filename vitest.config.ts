import { defineConfig } from 'vitest/config';

const browserTests = (gpu: 'webgpu' | 'nogpu') => ({
  test: {
    name: `browser-${gpu}`,
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    env: { AIRLOCK_GPU: gpu },
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // each file runs its own Chromium; two at once is what two cores take
    maxWorkers: 2,
  },
});

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 60_000 } },
      browserTests('webgpu'),
      browserTests('nogpu'),
    ],
  },
});
