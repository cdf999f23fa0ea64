import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // onnxruntime-node is a native addon: forks isolate it per file.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    sequence: { shuffle: { files: true, tests: false } },
    env: { FORCE_COLOR: '1' },
    // In CI every test is listed by name, so a test skipped for want of ../shared/data or tmux says so.
    reporters: process.env.CI ? ['verbose'] : ['default'],
  },
});
