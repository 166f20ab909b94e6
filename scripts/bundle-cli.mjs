// Bundles the compiled CLI (dist/src/cli/main.js, tsc's output) into dist/cli/ with esbuild, one
// chunk per command module plus the shared ones: a command run resolves and compiles a handful
// of files instead of the engine's hundreds (Node's ES-module resolver was ~25 ms of every start-up;
// issue #18). Run after `tsc -p tsconfig.json` (package.json's build, prepare and test scripts do).
//
// What stays outside the bundle, loaded from node_modules by path as before: packages with native
// code or worker files of their own (sharp, piscina, @riaskov/mmap-io), pino (it starts worker
// transports by file name), and our own addon and workers, which the engine finds under
// PACKAGE_ROOT (dist/workers/*, native/build/Release). The library (dist/src) is not touched.
// bin/romgfx.js runs dist/cli/main.js when it is at least as new as dist/src/cli/main.js, so a
// later `tsc` alone never leaves the CLI running an older bundle.
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * An ES-module import of a built-in makes Node build an ES facade of it, reading every export,
 * and some exports are getters that load more modules: node:fs's promises, ReadStream and
 * WriteStream (the whole streams stack), node:util's parseArgs and MIMEType. The bundle takes
 * these two through require() instead, which reads an export only where the code uses it.
 *
 * Two packages load Node built-ins at import that a CLI run does not use, each ~10 ms of start-up
 * (Node compiles a built-in on first load):
 * - commander requires node:child_process at the top of lib/command.js, for executable
 *   subcommands, which romgfx has none of: it gets a stand-in that requires the real module on
 *   first use.
 * - fflate's Node build requires node:worker_threads for its asynchronous API; the engine and
 *   fast-png call only its synchronous functions (zlibSync, unzlibSync, Unzlib), which are the
 *   same code in its browser build, which loads nothing.
 */
const lazyBuiltins = {
  name: 'romgfx-lazy-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?(fs|util)$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      return args.namespace === 'romgfx-required' ? { path: `node:${name}`, external: true } : { path: name, namespace: 'romgfx-required' };
    });
    build.onLoad({ filter: /.*/, namespace: 'romgfx-required' }, (args) => ({ loader: 'js', contents: `module.exports = require('node:${args.path}');` }));
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/u.test(args.importer) ? { path: 'child_process', namespace: 'romgfx-lazy' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'romgfx-lazy' }, () => ({
      loader: 'js',
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
    }));
    // fflate's entry for require is lib/node.cjs; its browser ES module sits beside it in esm/.
    const fflateBrowser = join(dirname(createRequire(join(root, 'package.json')).resolve('fflate')), '..', 'esm', 'browser.js');
    if (!existsSync(fflateBrowser)) throw new Error(`romgfx: fflate's browser build is not at ${fflateBrowser}`);
    build.onResolve({ filter: /^fflate$/ }, () => ({ path: fflateBrowser }));
  },
};
const outdir = join(root, 'dist', 'cli');

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/src/cli/main.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['sharp', 'piscina', 'pino', '@riaskov/mmap-io'],
  // Chunk names carry a content hash; the folder is rebuilt whole each time.
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS (commander) calls require() for Node built-ins; an ES module has none.
  banner: { js: "import { createRequire as __romgfxCreateRequire } from 'node:module'; const require = __romgfxCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [lazyBuiltins],
});
const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const bytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
console.log(`romgfx: bundled the CLI into ${outputs.length} files (${Math.round(bytes / 1024)} KiB) under dist/cli`);
