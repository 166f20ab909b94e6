// Preloaded with `node --require` by test/cli/startup.test.ts: at exit, prints (to stderr, one
// marked line) which packages under node_modules the process loaded. CommonJS packages (sharp,
// piscina, pino) are in require.cache whether they were required or imported from ESM.
'use strict';
process.on('exit', () => {
  const names = new Set();
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    if (match) names.add(match[1].replace('\\', '/'));
  }
  process.stderr.write(`ROMGFX_LOADED_PACKAGES ${JSON.stringify([...names].sort())}\n`);
});
