// Preloaded with `node --require` by test/cli/startup.test.ts: at exit, prints (to stderr, one
// marked line) which packages under node_modules the process loaded. CommonJS packages (sharp,
// piscina, pino) are in require.cache whether they were required or imported from ESM, and so
// is every native addon (`.node` file: ours and mmap-io's binding). A second line lists the
// Node built-ins the process loaded (process.moduleLoadList), the costly ones being
// node:crypto, node:zlib, node:child_process and node:worker_threads. A third lists the files
// of the bundled CLI (dist/cli) the process loaded: bin/romgfx.js compiles them itself (with their
// code cache) but registers each in require.cache as require() would.
'use strict';
process.on('exit', () => {
  const names = new Set();
  const bundleFiles = [];
  const addons = new Set();
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    if (match) names.add(match[1].replace('\\', '/'));
    if (file.endsWith('.node')) addons.add(file.split(/[\\/]/).pop());
    if (/[\\/]dist[\\/]cli[\\/]/.test(file)) bundleFiles.push(file);
  }
  const builtins = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule ')).map((entry) => entry.slice('NativeModule '.length));
  process.stderr.write(`ROMGFX_LOADED_PACKAGES ${JSON.stringify([...names].sort())}\n`);
  process.stderr.write(`ROMGFX_LOADED_ADDONS ${JSON.stringify([...addons].sort())}\n`);
  process.stderr.write(`ROMGFX_LOADED_BUILTINS ${JSON.stringify(builtins)}\n`);
  process.stderr.write(`ROMGFX_LOADED_BUNDLE_FILES ${JSON.stringify(bundleFiles.sort())}\n`);
});
