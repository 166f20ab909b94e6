/**
 * Loading definitions from disk as a user keeps them: one file, or a folder of them (the
 * folder's non-definitions are skipped and reported, not fatal); from a folder, the one that
 * recognises a ROM.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DefinitionNoMatchError, FileNotFoundError, IoError, isRomgfxError } from '../errors.js';
import type { Rom } from '../rom/rom.js';
import { matchDefinition, romFacts, type DefinitionMatch } from './match.js';
import { loadGameDefinition } from './parse.js';
import type { GameDefinition } from './types.js';

/** A definitions folder with more files than this is not a folder of game definitions. */
export const maximumDefinitionFilesPerFolder = 10_000;

/** A file in a definitions folder that is not a definition, and why. */
export interface SkippedDefinitionFile {
  file: string;
  /** The error code (ERR_DEFINITION, ERR_NOT_A_FILE, …) or `ERR_NOT_JSON` for a file not named *.json. */
  code: string;
  reason: string;
}

/** Definitions read from a file or a folder, and the folder's files that were not definitions. */
export interface LoadedDefinitions {
  definitions: GameDefinition[];
  /** Files of a folder that were not definitions (always empty for a single file). */
  skipped: SkippedDefinitionFile[];
  /** True when `pathOrFolder` was a folder. */
  folder: boolean;
}

/**
 * A definition file, or every definition in a folder (its regular, non-hidden files, by name).
 * A single file that is not a valid definition throws, as loadGameDefinition does; in a folder
 * such files are skipped and listed in `skipped` (a schema, a README, a broken draft), so one
 * bad file does not hide the good ones.
 */
export function loadGameDefinitions(pathOrFolder: string): LoadedDefinitions {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(pathOrFolder).isDirectory();
  } catch (error) {
    throw new FileNotFoundError(pathOrFolder, { cause: error });
  }
  if (!isDirectory) return { definitions: [loadGameDefinition(pathOrFolder)], skipped: [], folder: false };
  let names: string[];
  try {
    names = readdirSync(pathOrFolder).filter((name) => !name.startsWith('.')).sort();
  } catch (error) {
    throw new IoError(`cannot list ${pathOrFolder}: ${(error as Error).message}`, { path: pathOrFolder }, { cause: error });
  }
  if (names.length > maximumDefinitionFilesPerFolder) {
    throw new IoError(`${pathOrFolder} holds ${names.length} files; romgfx reads at most ${maximumDefinitionFilesPerFolder} from one definitions folder`, { path: pathOrFolder });
  }
  const definitions: GameDefinition[] = [];
  const skipped: SkippedDefinitionFile[] = [];
  for (const name of names) {
    const file = join(pathOrFolder, name);
    if (!name.toLowerCase().endsWith('.json')) {
      let directory = false;
      try {
        directory = statSync(file).isDirectory();
      } catch {
        /* vanished: report it as skipped below */
      }
      skipped.push({ file, code: 'ERR_NOT_JSON', reason: directory ? 'a folder (definitions folders are not searched recursively)' : 'not a .json file' });
      continue;
    }
    try {
      definitions.push(loadGameDefinition(file));
    } catch (error) {
      if (!isRomgfxError(error)) throw error;
      skipped.push({ file, code: error.code, reason: error.message });
    }
  }
  return { definitions, skipped, folder: true };
}

/** The definition chosen for a ROM (loadGameDefinitionForRom). */
export interface DefinitionForRom extends LoadedDefinitions {
  /** The definition to use: the one file given, or the folder's definition that recognises the ROM. */
  definition: GameDefinition;
  /** How the folder's definition was chosen (undefined for a single file: its own checks decide). */
  match?: DefinitionMatch;
}

/**
 * The definition for `rom` (opened only when needed: pass a function) from a file or a folder. A file is returned as it is (whether it
 * recognises the ROM is checked where it is used). From a folder, the definition that
 * recognises the ROM (matchDefinition); none: DefinitionNoMatchError.
 */
export function loadGameDefinitionForRom(pathOrFolder: string, rom: Rom | (() => Rom), romName: string): DefinitionForRom {
  const loaded = loadGameDefinitions(pathOrFolder);
  if (!loaded.folder) return { ...loaded, definition: loaded.definitions[0]! };
  const match = matchDefinition(loaded.definitions, romFacts(typeof rom === 'function' ? rom() : rom));
  if (!match) throw new DefinitionNoMatchError(romName, loaded.definitions.length);
  return { ...loaded, definition: match.definition, match };
}
