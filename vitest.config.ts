import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Re-bundles the CLI (dist/cli) when a plain tsc left it older than dist/src.
    globalSetup: ['test/global-setup.ts'],
    // 2-core machines: forks keep native addons and mmap out of each other's way.
    pool: 'forks',
    testTimeout: 120_000, // bounded, not a speed check: heavy files (scanner PB16, pack + install, sanitizer build) run minutes on a loaded 2-core box
    hookTimeout: 120_000,
    // A skipped test is a failing test (project standard); .ci/run also fails on any skip.
    allowOnly: false,
    // Under CI a JSON report too, from which .ci/run prints the plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
