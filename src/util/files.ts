import { closeSync, constants, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync, copyFileSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FileNotFoundError, IoError, NotAFileError, OutputExistsError } from '../errors.js';

/** stat() with romgfx errors: missing → FileNotFoundError, not a regular file → NotAFileError. */
export function statRegularFile(path: string): Stats {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new FileNotFoundError(path, { cause: error });
    throw new IoError(`cannot read ${path}: ${(error as Error).message}`, { path }, { cause: error });
  }
  if (stats.isDirectory()) throw new NotAFileError(path, 'a directory');
  if (!stats.isFile()) throw new NotAFileError(path, 'not a regular file (device, socket or pipe)');
  return stats;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Options of `writeFileAtomic`: overwrite, backup and sync. */
export interface AtomicWriteOptions {
  /** Replace an existing file; without it an existing file is an `OutputExistsError`. */
  force?: boolean;
  /**
   * Before replacing an existing file, keep a copy of it beside it (`name.YYYYMMDDTHHMMSSZ.bak`).
   * Returns that path. Used by `--in-place`.
   */
  backup?: boolean;
}

/** What `writeFileAtomic` wrote: the path, its size and the backup if one was kept. */
export interface AtomicWriteResult {
  path: string;
  bytes: number;
  backupPath?: string;
}

/** A timestamp that sorts and is safe in file names. */
export function fileTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/gu, '').replace(/\.\d+Z$/u, 'Z');
}

/**
 * Temporary files are `.romgfx-tmp-<target name>-<writer pid>-<8 hex>` beside their target: the
 * name says which file they were for and which process wrote them, so a later run can tell a
 * killed writer's leftovers from a live writer's work (removeStaleTempFiles).
 */
const temporaryNamePattern = /^\.romgfx-tmp-(.+)-(\d+)-[0-9a-f]{8}$/u;

function temporaryPathFor(path: string): string {
  return join(dirname(path), `.romgfx-tmp-${basename(path)}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary files a killed romgfx left beside `path` (same target name, writer process
 * gone). Returns the paths removed. Temporary files of live writers are left alone.
 */
export function removeStaleTempFiles(path: string): string[] {
  const dir = dirname(path);
  const name = basename(path);
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const match = temporaryNamePattern.exec(entry);
    if (!match || match[1] !== name) continue;
    const pid = Number(match[2]);
    if (pid === process.pid || processAlive(pid)) continue;
    removeQuietly(join(dir, entry));
    removed.push(join(dir, entry));
  }
  return removed;
}

/** Writes `chunks` to a new temporary file beside `path` and fsyncs it; returns the temporary path. Cleans up on failure. */
function writeSyncedTemp(path: string, chunks: readonly Uint8Array[]): { temp: string; bytes: number } {
  const temp = temporaryPathFor(path);
  let fd: number | undefined;
  let bytes = 0;
  try {
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    for (const chunk of chunks) {
      let written = 0;
      while (written < chunk.length) written += writeSync(fd, chunk, written, chunk.length - written);
      bytes += chunk.length;
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    return { temp, bytes };
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    removeQuietly(temp);
    throw new IoError(`cannot write ${path}: ${(error as Error).message}`, { path }, { cause: error });
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (the rename may have happened); nothing to clean.
  }
}

/**
 * Writes `data` to `path` so that no reader ever sees a partial file: write a temporary file in
 * the same folder (same filesystem, so rename is atomic), fsync it, rename it over the target,
 * fsync the folder. On any failure the temporary file is removed and the target is untouched.
 */
export function writeFileAtomic(path: string, data: Uint8Array | readonly Uint8Array[], options: AtomicWriteOptions = {}): AtomicWriteResult {
  const targetExists = exists(path);
  if (targetExists && !options.force && !options.backup) throw new OutputExistsError(path);
  const dir = dirname(path);
  if (!exists(dir)) throw new FileNotFoundError(dir);
  const chunks = Array.isArray(data) ? (data as readonly Uint8Array[]) : [data as Uint8Array];
  const { temp, bytes } = writeSyncedTemp(path, chunks);
  let backupPath: string | undefined;
  try {
    if (targetExists && options.backup) {
      backupPath = `${path}.${fileTimestamp()}.bak`;
      copyFileSync(path, backupPath, constants.COPYFILE_EXCL);
      syncFile(backupPath);
    }
    renameSync(temp, path);
    syncDirectory(dir);
  } catch (error) {
    removeQuietly(temp);
    throw new IoError(`cannot write ${path}: ${(error as Error).message}`, { path }, { cause: error });
  }
  return backupPath === undefined ? { path, bytes } : { path, bytes, backupPath };
}

/** Maximum files in one `writeFilesAtomic` batch (each holds a descriptor only while it is written). */
export const maximumFilesPerAtomicBatch = 4096;

/**
 * Writes many files, each atomically as `writeFileAtomic` does, but syncs each folder once for
 * the whole batch instead of once per file (extract-all writes two small files per sprite, and
 * the per-file folder fsync was half its time). All temporary files are written and synced
 * before the first rename, so a failure while writing leaves every target untouched; a failed
 * rename can leave the files before it replaced, each whole (no file is ever partial). Existing
 * targets are refused up front unless `force`.
 */
export function writeFilesAtomic(files: readonly { path: string; data: Uint8Array }[], options: { force?: boolean } = {}): AtomicWriteResult[] {
  if (files.length > maximumFilesPerAtomicBatch) throw new IoError(`a batch of ${files.length} files is more than ${maximumFilesPerAtomicBatch}`, { files: files.length });
  for (const file of files) {
    if (!options.force && exists(file.path)) throw new OutputExistsError(file.path);
    if (!exists(dirname(file.path))) throw new FileNotFoundError(dirname(file.path));
  }
  const temps: { temp: string; bytes: number }[] = [];
  try {
    for (const file of files) temps.push(writeSyncedTemp(file.path, [file.data]));
    files.forEach((file, i) => renameSync(temps[i]!.temp, file.path));
  } catch (error) {
    for (const t of temps) removeQuietly(t.temp);
    if (error instanceof IoError) throw error;
    throw new IoError(`cannot write a batch of ${files.length} files: ${(error as Error).message}`, { files: files.length }, { cause: error });
  }
  for (const dir of new Set(files.map((f) => dirname(f.path)))) syncDirectory(dir);
  return files.map((file, i) => ({ path: file.path, bytes: temps[i]!.bytes }));
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDirectory(dir: string): void {
  // Makes the rename durable; some filesystems refuse fsync on a directory, which is harmless.
  try {
    syncFile(dir);
  } catch {
    /* best effort */
  }
}

/** Throws OutputExistsError when `path` exists and `force` is not set; for checks before long work. */
export function assertWritable(path: string, force: boolean | undefined): void {
  if (!force && exists(path)) throw new OutputExistsError(path);
}
