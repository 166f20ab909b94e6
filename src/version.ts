import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest folder above this module whose package.json is romgfx's (works from src/ and dist/src/). */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'romgfx') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('romgfx: cannot find its own package.json');
    dir = parent;
  }
}

export const PACKAGE_ROOT: string = findPackageRoot();

/** The engine version (from package.json); part of every cache key, so a new engine never serves an old result. */
export const ENGINE_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
