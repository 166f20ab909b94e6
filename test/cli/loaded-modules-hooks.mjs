// Module hooks for loaded-modules.mjs (they run on Node's hooks thread): every ES module URL
// loaded, appended to ROMGFX_LOADED_MODULES_FILE.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  const file = process.env.ROMGFX_LOADED_MODULES_FILE;
  if (file) appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}
