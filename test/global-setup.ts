/**
 * vitest global setup: the tests that run bin/romgfx.js should run the CLI as `npm install` and
 * `npm test` build it, the esbuild bundle in dist/cli (scripts/bundle-cli.mjs). bin/romgfx.js
 * falls back to tsc's dist/src when the bundle is older than it, which is what a plain
 * `npx tsc -p tsconfig.json` leaves; so when dist/src is newer, the bundle is made again here,
 * once, before any test file runs (about a second). Without dist/ nothing is done: the tests
 * that need it say so themselves.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function mtimeMs(relative: string): number | undefined {
  return statSync(join(root, relative), { throwIfNoEntry: false })?.mtimeMs;
}

export default function setup(): void {
  const compiled = mtimeMs('dist/src/cli/main.js');
  const bundled = mtimeMs('dist/cli/main.js');
  if (compiled === undefined || (bundled !== undefined && bundled >= compiled)) return;
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'bundle-cli.mjs')], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`bundling the CLI failed (node scripts/bundle-cli.mjs): ${result.stderr}`);
}
