/**
 * The ROMs a job worker keeps open between tasks. A task names its ROM by path and SHA-1 (each
 * worker maps the file itself: a mapped Buffer posted to a worker would be copied); a file that
 * changed since it was opened here is reopened, and a file that is no longer the ROM the caller
 * opened is refused (`RomIdentityMismatchError`, ERR_ROM_CHANGED).
 */
import { RomIdentityMismatchError } from '../errors.js';
import { openRom, type Rom } from '../rom/rom.js';

/** ROMs kept open by a worker, by path and identity, the oldest closed first. */
export class WorkerRoms {
  readonly #roms = new Map<string, Rom>();
  readonly #maximumOpen: number;

  constructor(maximumOpen: number) {
    this.#maximumOpen = Math.max(1, maximumOpen);
  }

  /** The ROM at `path`, checked to be the one with SHA-1 `sha1`. */
  open(path: string, sha1: string): Rom {
    const key = `${path}\0${sha1}`;
    const known = this.#roms.get(key);
    if (known) {
      if (known.source.changed() === null) return known;
      // Rewritten since a previous task: reopen, and let the identity check decide.
      this.#roms.delete(key);
      known.close();
    }
    const rom = openRom(path);
    const actual = rom.identity().sha1;
    if (actual !== sha1) {
      rom.close();
      throw new RomIdentityMismatchError(path, sha1, actual);
    }
    if (this.#roms.size >= this.#maximumOpen) {
      const [oldestKey, oldest] = this.#roms.entries().next().value!;
      this.#roms.delete(oldestKey);
      oldest.close();
    }
    this.#roms.set(key, rom);
    return rom;
  }
}
