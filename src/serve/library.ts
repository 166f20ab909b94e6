/**
 * What the server serves: the ROMs and definitions named at start-up (or found inside `--root`),
 * each under a short id. Requests name them by id only; no path from a request reaches the disk.
 */
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { IoError, ServeNotFoundError, UsageError } from '../errors.js';
import { openRom, type Rom } from '../rom/rom.js';
import { loadGameDefinition } from '../defs/parse.js';
import type { GameDefinition } from '../defs/types.js';
import { openGame, type Game } from '../game/game.js';
import type { ThumbnailService } from '../thumbs/service.js';
import type { RomRef } from '../thumbs/request.js';

/** File name endings `--root` treats as ROMs. */
export const romFileExtensions: readonly string[] = ['.sfc', '.smc', '.gb', '.gbc', '.gba', '.nes', '.md', '.gen', '.bin', '.smd'];
/** The most ROMs (or definitions) one server serves: a `--root` with more is refused rather than listed slowly. */
export const maximumServedFiles = 1024;

/** One served ROM: its id, file, opened data, thumbnail identity, and its game when a definition matched. */
export interface ServedRom {
  readonly id: string;
  readonly path: string;
  readonly rom: Rom;
  readonly ref: RomRef;
  /** The game (ROM + the definition that recognised it), or null. */
  readonly game: Game | null;
  /** The id of that definition in the library, or null. */
  readonly definitionId: string | null;
}

/** One served definition file. */
export interface ServedDefinition {
  readonly id: string;
  readonly path: string;
  readonly definition: GameDefinition;
}

/** The ROMs and definitions of one server run. */
export class Library {
  readonly roms = new Map<string, ServedRom>();
  readonly definitions = new Map<string, ServedDefinition>();

  private constructor() {}

  /** Opens every ROM (and `--root`'s files) and definition; a ROM the definitions recognise gets its Game. */
  static async open(romPaths: readonly string[], definitionPaths: readonly string[], root: string | undefined, service: ThumbnailService): Promise<Library> {
    const library = new Library();
    const roms = [...romPaths];
    const defs = [...definitionPaths];
    if (root !== undefined) {
      let names: string[];
      try {
        names = readdirSync(root).sort();
      } catch (error) {
        throw new IoError(`cannot list --root ${root}: ${(error as Error).message}`, { path: root }, { cause: error });
      }
      for (const name of names) {
        const lower = name.toLowerCase();
        if (romFileExtensions.some((e) => lower.endsWith(e))) roms.push(join(root, name));
        else if (lower.endsWith('.json')) defs.push(join(root, name));
      }
    }
    if (roms.length > maximumServedFiles || defs.length > maximumServedFiles) throw new UsageError(`serve at most ${maximumServedFiles} ROMs and ${maximumServedFiles} definitions`);
    defs.forEach((path, i) => {
      const id = `d${i}`;
      library.definitions.set(id, { id, path: resolve(path), definition: loadGameDefinition(path) });
    });
    const definitionList = [...library.definitions.values()];
    for (const [i, path] of roms.entries()) {
      const id = `r${i}`;
      const rom = openRom(path, { allowUnknown: true });
      const ref = service.rom(path);
      let game: Game | null = null;
      let definitionId: string | null = null;
      for (const served of definitionList) {
        try {
          game = await openGame(path, { definitions: served.definition });
          definitionId = served.id;
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== 'ERR_DEFINITION_NO_MATCH') throw error;
        }
      }
      library.roms.set(id, { id, path: resolve(path), rom, ref, game, definitionId });
    }
    return library;
  }

  /** The ROM with this id, or ServeNotFoundError. */
  rom(id: string): ServedRom {
    const found = this.roms.get(id);
    if (!found) throw new ServeNotFoundError(`no ROM with id "${id}"`, { rom: id });
    return found;
  }

  /** The definition with this id, or ServeNotFoundError. */
  definition(id: string): ServedDefinition {
    const found = this.definitions.get(id);
    if (!found) throw new ServeNotFoundError(`no definition with id "${id}"`, { definition: id });
    return found;
  }

  #described: Record<string, unknown>[] | undefined;

  /** What `/api/roms` lists (computed once: checksums read the whole ROM, and the set is fixed at start). */
  describe(): Record<string, unknown>[] {
    this.#described ??= [...this.roms.values()].map((served) => {
      const checksums = served.rom.checksums();
      return {
        id: served.id,
        fileName: basename(served.path),
        platform: served.rom.platform,
        size: served.rom.size,
        title: served.rom.title().trim(),
        sha1: served.ref.sha1,
        checksum: checksums === null ? 'none' : checksums.valid ? 'valid' : 'invalid',
        definition: served.definitionId,
        definitionName: served.game?.definition.name ?? null,
      };
    });
    return this.#described;
  }

  /** Closes every opened ROM. */
  close(): void {
    for (const served of this.roms.values()) {
      served.game?.close();
      served.rom.close();
    }
  }
}
