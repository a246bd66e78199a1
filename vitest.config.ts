import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Model tests share one wasm backend per file; two workers match CI's two cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
