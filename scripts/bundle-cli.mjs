// Bundles the compiled CLI (dist/src/cli/main.js, tsc's output) into dist/cli/ with esbuild, one
// chunk per command module plus the shared ones: a command run resolves and compiles a handful
// of files instead of the engine's hundreds (Node's ES-module resolver was ~25 ms of every start-up;
// issue #18). Run after `tsc -p tsconfig.json` (package.json's build, prepare and test scripts do).
//
// The files are CommonJS (dist/cli/package.json says so): Node's ES-module loader costs a run
// ~10 ms of CPU on its own, and bin/romgfx.js compiles CommonJS files with V8's code cache, which
// scripts/cli-code-cache.mjs writes at the end of this script (docs/cli.md, "Start-up").
//
// What stays outside the bundle, loaded from node_modules by path as before: packages with native
// code or worker files of their own (sharp, piscina, @riaskov/mmap-io), pino (it starts worker
// transports by file name), and our own addon and workers, which the engine finds under
// PACKAGE_ROOT (dist/workers/*, native/build/Release). The library (dist/src) is not touched.
// bin/romgfx.js runs dist/cli/main.js when it is at least as new as dist/src/cli/main.js, so a
// later `tsc` alone never leaves the CLI running an older bundle.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { build, transform } from 'esbuild';
import { settleExports } from './settle-exports.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Built-ins loaded at import that a CLI run mostly does not use, each ~5–10 ms of start-up (Node
 * compiles a built-in on first load):
 * - node:fs/promises, which src/util/files.ts imports (every command's output path) and which
 *   loads Node's readline and file-watcher internals: a stand-in that requires it on first use
 *   (a CommonJS chunk requires its imports when it loads).
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
    build.onResolve({ filter: /^(node:)?(child_process|fs\/promises)$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      // The stand-in's own require of the real module.
      if (args.namespace === 'romgfx-lazy') return { path: `node:${name}`, external: true };
      if (name === 'child_process' && !/[\\/]node_modules[\\/]commander[\\/]/u.test(args.importer)) return undefined;
      return { path: name, namespace: 'romgfx-lazy' };
    });
    build.onLoad({ filter: /.*/, namespace: 'romgfx-lazy' }, (args) => ({ loader: 'js', contents: lazyBuiltinSource(args.path) }));
    // fflate's entry for require is lib/node.cjs; its browser ES module sits beside it in esm/.
    const fflateBrowser = join(dirname(createRequire(join(root, 'package.json')).resolve('fflate')), '..', 'esm', 'browser.js');
    if (!existsSync(fflateBrowser)) throw new Error(`romgfx: fflate's browser build is not at ${fflateBrowser}`);
    build.onResolve({ filter: /^fflate$/ }, () => ({ path: fflateBrowser }));
  },
};
/** Longest line of the minified bundle (esbuild's lineLimit), in characters. */
const maximumBundleLineLengthInCharacters = 160;
const outdir = join(root, 'dist', 'cli');

/**
 * A stand-in for a Node built-in that requires the real one on first use: one getter per export
 * (the names read from this Node at build time), so an ES import of it (esbuild copies the
 * property descriptors, not the values) and a CommonJS require both stay lazy.
 */
function lazyBuiltinSource(name) {
  const names = Object.keys(createRequire(import.meta.url)(`node:${name}`)).filter((key) => key !== 'default');
  const getters = names.map((key) => `  get ${JSON.stringify(key)}() { return load()[${JSON.stringify(key)}]; },`).join('\n');
  return `let real;\nconst load = () => (real ??= require('node:${name}'));\nmodule.exports = {\n${getters}\n};\n`;
}

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/src/cli/main.js' },
  outdir,
  bundle: true,
  // esbuild splits only ES modules: the chunks are made as ES modules, then each is turned into
  // CommonJS below (imports become require(), import() a require() in a promise).
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['sharp', 'piscina', 'pino', '@riaskov/mmap-io'],
  // Chunk names carry a content hash; the folder is rebuilt whole each time.
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
  plugins: [lazyBuiltins],
});
mkdirSync(join(outdir, 'chunks'), { recursive: true });
// The files are CommonJS (in a package whose other files are ES modules).
writeFileSync(join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
let bytes = 0;
const outputs = result.outputFiles.filter((file) => file.path.endsWith('.js'));
for (const file of outputs) {
  const usesModuleUrl = file.text.includes('import.meta');
  const cjs = await transform(file.text, {
    format: 'cjs',
    target: 'node20',
    platform: 'node',
    // import() of a chunk becomes require(): bin/romgfx.js compiles the files with vm.Script,
    // which has no ES-module loader behind it (and needs none).
    supported: { 'dynamic-import': false },
    // import.meta.url from the file's name, worked out on first use.
    ...(usesModuleUrl
      ? { define: { 'import.meta': '__romgfxImportMeta' }, banner: "const __romgfxImportMeta = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" }
      : {}),
    legalComments: 'none',
    logLevel: 'warning',
  });
  if (/\bimport\(|\bimport\.meta\b/u.test(cjs.code)) throw new Error(`romgfx: ${file.path} still has import() or import.meta after the CommonJS transform`);
  // esbuild exports a file's bindings as getters on one object, then copies them onto another
  // (one more getter each) for module.exports: marking the first as an ES module and exporting it
  // is the same to every importer (the bundle's own files only) and halves the work per export.
  const exportLine = 'module.exports = __toCommonJS(stdin_exports);';
  const code = cjs.code.split(exportLine).join('module.exports = __defProp(stdin_exports, "__esModule", { value: true });');
  if (cjs.code.includes(exportLine) && code.includes('__toCommonJS(')) throw new Error(`romgfx: ${file.path}: esbuild's export code is not the one expected`);
  // Whitespace and comments go last (the rewrites above read esbuild's layout). Every CLI run reads
  // and holds the source of each file it loads, and V8 copies it as it compiles: commander's
  // JSDoc alone was half its file. `import` of one PNG read 343 KiB of source before, 243 KiB
  // after, and spent 2-7 ms less CPU (bench/startup, load 2.5, issue #18). Names are kept, so a
  // stack trace still names each function, and lines are cut at a readable length: Node prints
  // the line an uncaught error was thrown from, which would otherwise be a whole file.
  const settled = (await transform(settleExports(code, file.path), { minifyWhitespace: true, lineLimit: maximumBundleLineLengthInCharacters, legalComments: 'none', target: 'node20', platform: 'node', logLevel: 'warning' })).code;
  writeFileSync(file.path, settled);
  bytes += settled.length;
}
console.log(`romgfx: bundled the CLI into ${outputs.length} CommonJS files (${Math.round(bytes / 1024)} KiB) under dist/cli`);

// V8 code caches of the files, made by running the common commands once in a fresh process. The
// CLI works the same without them (only slower to start), so a failure here is a warning, not a
// failed build; test/cli/startup.test.ts checks that the common commands find their caches.
const cacheWriter = spawnSync(process.execPath, [join(root, 'scripts', 'cli-code-cache.mjs')], { stdio: ['ignore', 'inherit', 'inherit'] });
if (cacheWriter.status !== 0) console.warn(`romgfx: warning: no complete code cache for the CLI (node scripts/cli-code-cache.mjs exited ${cacheWriter.status ?? cacheWriter.signal}); it will start slower`);
