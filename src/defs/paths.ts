/**
 * Files a definition names (a palette `file`) are read only from inside the definition's own
 * folder, by a relative path: a definition is often someone else's download, and "any readable
 * file ends up in a PNG palette" is a leak (docs/file-safety.md).
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath, sep, win32 } from 'node:path';
import { DefinitionPathError, FileNotFoundError } from '../errors.js';
import type { GameDefinition } from './types.js';

/** Why `file` may not be read for a definition (absolute, `..`, empty), or undefined when its form is fine. */
export function definitionFilePathProblem(file: string): string | undefined {
  if (file.length === 0) return 'is empty';
  if (file.includes('\0')) return 'contains a NUL character';
  if (isAbsolute(file) || win32.isAbsolute(file)) return 'is an absolute path';
  if (file.split(/[\\/]/u).includes('..')) return 'goes up with ".."';
  return undefined;
}

/** The JSON-pointer field of the sprite palette that names `file` (for errors). */
function paletteFileField(definition: GameDefinition, file: string): string {
  const index = definition.sprites.findIndex((s) => s.palette !== undefined && 'file' in s.palette && s.palette.file === file);
  return index < 0 ? '/palette/file' : `/sprites/${index}/palette/file`;
}

/**
 * The real path of `file` as named by `definition` (a palette file), for reading. Only a relative
 * path inside the definition's folder is accepted: no absolute path, no "..", and no symlink
 * whose target lies outside the folder (checked on the resolved real paths). A definition made
 * in memory (no file) resolves against the working folder. Throws DefinitionPathError naming the
 * field; FileNotFoundError when the file does not exist.
 */
export function resolveDefinitionFile(definition: GameDefinition, file: string, field = paletteFileField(definition, file)): string {
  const problem = definitionFilePathProblem(file);
  if (problem !== undefined) throw new DefinitionPathError(definition.source, field, file, problem);
  // The source is a path, or `path#/json/pointer` for a definition imported from a bigger document.
  const source = definition.source;
  const sourceFile = existsSync(source) ? source : source.includes('#') ? source.slice(0, source.indexOf('#')) : undefined;
  const folder = sourceFile !== undefined && sourceFile !== '' && existsSync(sourceFile) ? dirname(resolvePath(sourceFile)) : process.cwd();
  const candidate = resolvePath(folder, file);
  let realFolder: string;
  let realFile: string;
  try {
    realFolder = realpathSync(folder);
  } catch (error) {
    throw new FileNotFoundError(folder, { cause: error });
  }
  try {
    realFile = realpathSync(candidate);
  } catch (error) {
    throw new FileNotFoundError(candidate, { cause: error });
  }
  const inside = realFile.startsWith(realFolder.endsWith(sep) ? realFolder : realFolder + sep);
  if (!inside) throw new DefinitionPathError(definition.source, field, file, `resolves (through a link) to ${realFile}, outside the definition's folder ${realFolder}`);
  return realFile;
}
