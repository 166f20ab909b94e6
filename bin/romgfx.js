#!/usr/bin/env node
// The romgfx command: a thin launcher for the compiled CLI in dist/.
// dist/cli/main.js is the esbuild bundle of dist/src/cli/main.js (scripts/bundle-cli.mjs): a few
// files to resolve instead of hundreds, which is most of a start-up. It runs only when it is at
// least as new as tsc's output, so a `tsc` without a new bundle runs the fresh unbundled CLI.
// node:fs by require: an ES import of it makes Node read every export for the module facade,
// and fs.promises, ReadStream and WriteStream are getters that load the whole streams stack.
import module, { createRequire } from 'node:module';

// Node 22.1+ can keep V8's compiled code of the modules between runs (in the OS temporary
// folder), which is most of what a start-up spends once resolution is cheap; Node 20 has no
// such cache and this is skipped there.
module.enableCompileCache?.();

const { statSync } = createRequire(import.meta.url)('node:fs');

function mtimeMs(relative) {
  return statSync(new URL(relative, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
}

const bundled = mtimeMs('../dist/cli/main.js');
const compiled = mtimeMs('../dist/src/cli/main.js');
const { main } = bundled !== undefined && (compiled === undefined || bundled >= compiled) ? await import('../dist/cli/main.js') : await import('../dist/src/cli/main.js');

const code = await main(process.argv.slice(2));
// Let stdout drain before exiting (a piped `romgfx … --json | jq` must get every byte).
process.exitCode = code;
