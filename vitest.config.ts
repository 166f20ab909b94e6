import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // 2-core machines: forks keep native addons and mmap out of each other's way.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A skipped test is a failing test (project standard).
    allowOnly: false,
  },
});
