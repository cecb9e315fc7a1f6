import { defineConfig } from 'vitest/config';

const browserTests = (gpu: 'webgpu' | 'nogpu', order: number) => ({
  test: {
    name: `browser-${gpu}`,
    // one project at a time: two Chromiums already fill two cores
    sequence: { groupOrder: order },
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
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 60_000, sequence: { groupOrder: 0 } } },
      browserTests('nogpu', 1),
      browserTests('webgpu', 2),
    ],
  },
});
