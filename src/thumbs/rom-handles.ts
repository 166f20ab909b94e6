/**
 * The ROMs a worker holds open. Each worker maps a ROM itself (a mapped Buffer posted between
 * threads would be copied) and keeps the last few open, keyed by path, mtime and size; before
 * decoding it checks that the file is still the ROM the request named by SHA-1.
 */
import { LRUCache } from 'lru-cache';
import { RomIdentityMismatchError } from '../errors.js';
import { openRom, type Rom } from '../rom/rom.js';
import { statRegularFile } from '../util/files.js';
import type { RomRef } from './request.js';

/** ROMs a worker keeps mapped: an editor shows a few ROMs at once, and a mapping costs address space, not memory. */
export const maximumOpenRomsPerWorker = 4;

export class RomHandles {
  readonly #open = new LRUCache<string, Rom>({ max: maximumOpenRomsPerWorker });

  /** The ROM at `ref.path`, opened once per (path, mtime, size), checked against `ref.sha1`. */
  get(ref: RomRef): Rom {
    const stats = statRegularFile(ref.path);
    const memo = `${ref.path}\0${stats.mtimeMs}\0${stats.size}\0${ref.platform ?? ''}`;
    let rom = this.#open.get(memo);
    if (!rom) {
      rom = openRom(ref.path, ref.platform === undefined ? { allowUnknown: true } : { platform: ref.platform, allowUnknown: true });
      this.#open.set(memo, rom);
    }
    // identity() is computed once per Rom and cached on it.
    const actual = rom.identity().sha1;
    if (actual !== ref.sha1) throw new RomIdentityMismatchError(ref.path, ref.sha1, actual);
    return rom;
  }

  get size(): number {
    return this.#open.size;
  }
}
