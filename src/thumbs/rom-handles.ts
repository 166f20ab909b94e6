/**
 * The ROMs a worker holds open. Each worker maps a ROM itself (a mapped Buffer posted between
 * threads would be copied) and keeps the last few open, keyed by path, mtime and size; before
 * decoding it checks that the file is still the ROM the request named by SHA-1.
 */
import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import { RomIdentityMismatchError } from '../errors.js';
import { openRom, type Rom } from '../rom/rom.js';
import { statRegularFile } from '../util/files.js';
import type { RomRef } from './request.js';

/** ROMs a worker keeps mapped: an editor shows a few ROMs at once, and a mapping costs address space, not memory. */
export const maximumOpenRomsPerWorker = 4;

/**
 * How long a worker trusts its last look at a ROM file before it stats the file again. A stat
 * per thumbnail was 3% of a worker's time (measured here); a file replaced meanwhile still can't
 * be misread: the request carries the SHA-1 the main thread saw, and a mapping of other content
 * fails the identity check below.
 */
export const romRecheckIntervalInMs = 100;

export class RomHandles {
  readonly #open = new LRUCache<string, Rom>({ max: maximumOpenRomsPerWorker });
  /** Per path and platform: the memo of the last stat and when it was taken. */
  readonly #lastLook = new Map<string, { memo: string; at: number }>();

  /** The ROM at `ref.path`, opened once per (path, mtime, size), checked against `ref.sha1`. */
  get(ref: RomRef): Rom {
    return this.#get(ref, false);
  }

  #get(ref: RomRef, forceStat: boolean): Rom {
    const lookKey = `${ref.path}\0${ref.platform ?? ''}`;
    const now = performance.now();
    const last = this.#lastLook.get(lookKey);
    const fresh = forceStat || last === undefined || now - last.at >= romRecheckIntervalInMs || !this.#open.has(last.memo);
    let look = last;
    if (fresh || look === undefined) {
      const stats = statRegularFile(ref.path);
      look = { memo: `${ref.path}\0${stats.mtimeMs}\0${stats.size}\0${ref.platform ?? ''}`, at: now };
      if (this.#lastLook.size >= maximumOpenRomsPerWorker * 4) this.#lastLook.clear();
      this.#lastLook.set(lookKey, look);
    }
    const memo = look.memo;
    let rom = this.#open.get(memo);
    if (!rom) {
      rom = openRom(ref.path, ref.platform === undefined ? { allowUnknown: true } : { platform: ref.platform, allowUnknown: true });
      this.#open.set(memo, rom);
    }
    // identity() is computed once per Rom and cached on it.
    const actual = rom.identity().sha1;
    if (actual !== ref.sha1) {
      // The file may have been replaced since the last look: look again before calling it a mismatch.
      if (!fresh) return this.#get(ref, true);
      throw new RomIdentityMismatchError(ref.path, ref.sha1, actual);
    }
    return rom;
  }

  get size(): number {
    return this.#open.size;
  }
}
