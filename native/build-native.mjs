// The package's install step: builds our N-API addon with node-gyp when a C++ toolchain is there.
// romgfx works without it (the TypeScript kernels are the reference and the fallback, and ROMs
// are read into memory instead of mapped), so a failed build warns and lets the install finish:
// `npm install romgfx` must work on a machine without a compiler. Our own CI still requires the
// addon: test/native/addon.test.ts fails when it was not built.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = dirname(fileURLToPath(import.meta.url));
// npm tells install scripts where its own node-gyp is; fall back to one on the PATH.
const nodeGyp = process.env.npm_config_node_gyp;
const result = nodeGyp
  ? spawnSync(process.execPath, [nodeGyp, 'rebuild', '--directory', nativeDir], { stdio: 'inherit' })
  : spawnSync('node-gyp', ['rebuild', '--directory', nativeDir], { stdio: 'inherit', shell: process.platform === 'win32' });
if (result.status !== 0) {
  const why = result.error ? result.error.message : `node-gyp exited with ${result.status ?? result.signal}`;
  console.warn(`romgfx: the native addon was not built (${why}); romgfx will use its TypeScript kernels and read ROMs into memory. \`romgfx version --json\` says which are in use.`);
}
