/**
 * Every file romgfx writes goes through here: a temporary file beside the target, fsync, rename,
 * fsync of the folder. On top of that this module keeps the promises of docs/file-safety.md:
 * an output is never one of the command's inputs (same dev+ino, so links count), an in-place
 * write keeps a complete backup under a lock, permission bits survive a replacement, temporary
 * names never push a valid name past NAME_MAX, and a killed writer's leftovers are removed by
 * the next write to the same target.
 */
import {
  closeSync,
  constants,
  copyFileSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { open as openFileHandle, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { nodeCrypto } from './builtins.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { FileChangedError, FileLockedError, FileNotFoundError, IoError, NotAFileError, OutputExistsError, OutputIsInputError } from '../errors.js';

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

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function exists(path: string): boolean {
  return statOrUndefined(path) !== undefined;
}

// ---- Names that fit NAME_MAX --------------------------------------------------------------------

/** Linux (and most file systems') NAME_MAX: the longest name of one folder entry, in bytes. */
export const maximumFileNameLengthInBytes = 255;
/** Bytes the temporary-name wrapping adds: ".romgfx-tmp-" + "-" + a pid (10 digits at most) + "-" + 8 hex. */
const temporaryNameOverheadInBytes = 12 + 1 + 10 + 1 + 8;
/** Bytes a backup name adds: "." + timestamp (16) + "-" + a collision counter (4 digits) + ".bak". */
const backupNameOverheadInBytes = 1 + 16 + 1 + 4 + 4;
/** Bytes the lock name adds: ".romgfx-lock-". */
const lockNameOverheadInBytes = 13;
/** A shortened stem ends in "~" and 8 hex digits of the full name's SHA-1, so shortened stems stay distinct. */
const shortenedStemSuffixInBytes = 9;
/** Backup names tried for one timestamp before giving up (two writes in one second get "-2", …). */
const maximumBackupNameAttempts = 9999;

/**
 * `name`, or when `name` plus `overheadInBytes` would pass NAME_MAX, a prefix of it cut on a
 * character boundary and followed by "~" and 8 hex digits of its SHA-1. The same name always
 * gives the same stem (removeStaleTempFiles relies on it).
 */
export function fittedStem(name: string, overheadInBytes: number): string {
  if (Buffer.byteLength(name) + overheadInBytes <= maximumFileNameLengthInBytes) return name;
  const budget = maximumFileNameLengthInBytes - overheadInBytes - shortenedStemSuffixInBytes;
  let prefix = '';
  let used = 0;
  for (const character of name) {
    const size = Buffer.byteLength(character);
    if (used + size > budget) break;
    prefix += character;
    used += size;
  }
  return `${prefix}~${nodeCrypto().createHash('sha1').update(name).digest('hex').slice(0, 8)}`;
}

/**
 * Temporary files are `.romgfx-tmp-<target stem>-<writer pid>-<8 hex>` beside their target: the
 * name says which file they were for and which process wrote them, so a later run can tell a
 * killed writer's leftovers from a live writer's work (removeStaleTempFiles). The stem is the
 * target's name, shortened (fittedStem) when the whole would pass NAME_MAX.
 */
const temporaryNamePattern = /^\.romgfx-tmp-(.+)-(\d+)-[0-9a-f]{8}$/u;

/**
 * The 8 hex digits that tell one writer's temporary files apart (the name already carries the
 * writer's pid). Temporary files are created exclusively (O_EXCL, COPYFILE_EXCL), so a clash
 * fails instead of sharing a file: the digits must be unlikely to repeat within one process, not
 * secret, and Math.random spares start-up the load of node:crypto (10–20 ms).
 */
function temporaryNameSuffix(): string {
  return Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
}

function temporaryPathFor(path: string): string {
  return join(dirname(path), `.romgfx-tmp-${fittedStem(basename(path), temporaryNameOverheadInBytes)}-${process.pid}-${temporaryNameSuffix()}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function staleTemporaryNames(entries: readonly string[], names: ReadonlySet<string>): string[] {
  const stale: string[] = [];
  for (const entry of entries) {
    const match = temporaryNamePattern.exec(entry);
    if (!match || !names.has(match[1]!)) continue;
    const pid = Number(match[2]);
    if (pid === process.pid || processAlive(pid)) continue;
    stale.push(entry);
  }
  return stale;
}

/**
 * Per folder, the temporary-looking entries this process's first listing of it found. Writes
 * consult this instead of listing the folder again: a folder of thousands of outputs (thumbs,
 * extract-all) would otherwise be listed once per file (3.6 ms per listing of 2,000 entries on
 * a busy machine). Leftovers of a writer that dies while this process runs wait for the next run.
 */
const temporaryEntriesByFolder = new Map<string, string[]>();
/** Folders remembered at most (the map is cleared beyond it). */
const maximumRememberedFolders = 4096;

function temporaryEntriesIn(dir: string, fresh: boolean): string[] {
  const key = resolvePath(dir);
  let entries = fresh ? undefined : temporaryEntriesByFolder.get(key);
  if (entries === undefined) {
    try {
      entries = readdirSync(dir).filter((entry) => entry.startsWith('.romgfx-tmp-'));
    } catch {
      return [];
    }
    if (temporaryEntriesByFolder.size >= maximumRememberedFolders) temporaryEntriesByFolder.clear();
    temporaryEntriesByFolder.set(key, entries);
  }
  return entries;
}

function removeStaleIn(dir: string, targetNames: Iterable<string>, fresh: boolean): string[] {
  const stems = new Set<string>();
  for (const name of targetNames) stems.add(fittedStem(name, temporaryNameOverheadInBytes));
  const entries = temporaryEntriesIn(dir, fresh);
  const removed: string[] = [];
  for (const entry of staleTemporaryNames(entries, stems)) {
    removeQuietly(join(dir, entry));
    removed.push(join(dir, entry));
    entries.splice(entries.indexOf(entry), 1);
  }
  return removed;
}

/**
 * Removes temporary files a killed romgfx left beside `path` (same target name, writer process
 * gone). Returns the paths removed. Temporary files of live writers are left alone. Every
 * atomic write does this for its target (from one listing of the folder per process), so
 * leftovers of any kind of output go on the next run; this call always lists the folder afresh.
 */
export function removeStaleTempFiles(path: string): string[] {
  return removeStaleIn(dirname(path), [basename(path)], true);
}

/** removeStaleTempFiles for a write: from the process's remembered listing of the folder. */
function removeStaleBeforeWrite(path: string): void {
  removeStaleIn(dirname(path), [basename(path)], false);
}

// ---- Outputs are never inputs -------------------------------------------------------------------

interface ProtectedInput {
  path: string;
  /** The file as it was when protection began (undefined when it did not exist). */
  stats: Stats | undefined;
}

const protectedInputs = new AsyncLocalStorage<readonly ProtectedInput[]>();

/**
 * Runs `fn` with `paths` protected as inputs: within it (and everything it awaits), every
 * write through this module refuses a target that is one of those files (same device and inode,
 * so a symlink or hard link to an input counts), `--force` or not; only an in-place write
 * (`backup`) may replace one, and only if it has not changed since protection began. The CLI
 * runs every command inside this with the command's file arguments.
 */
export function runWithProtectedInputs<T>(paths: readonly string[], fn: () => T): T {
  const outer = protectedInputs.getStore() ?? [];
  const inputs = [...outer, ...paths.map((path) => ({ path, stats: statOrUndefined(path) }))];
  return protectedInputs.run(inputs, fn);
}

function sameInode(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** The protected input that `path` names, if any. */
function protectedInputAt(path: string, stats: Stats | undefined = statOrUndefined(path)): ProtectedInput | undefined {
  if (stats === undefined) return undefined;
  for (const input of protectedInputs.getStore() ?? []) {
    const now = statOrUndefined(input.path);
    if ((now && sameInode(now, stats)) || (input.stats && sameInode(input.stats, stats))) return input;
  }
  return undefined;
}

/**
 * Throws OutputIsInputError when `output` is the same file as one of `inputs` or of the inputs
 * protected by runWithProtectedInputs. A file that does not exist yet is nobody's input.
 */
export function assertNotAnInput(output: string, inputs: readonly string[] = []): void {
  const stats = statOrUndefined(output);
  if (stats === undefined) return;
  for (const input of inputs) {
    const inputStats = statOrUndefined(input);
    if (inputStats && sameInode(inputStats, stats)) throw new OutputIsInputError(output, input);
  }
  const input = protectedInputAt(output, stats);
  if (input) throw new OutputIsInputError(output, input.path);
}

// ---- Locks for in-place writes ------------------------------------------------------------------

/** Locks this process holds, by lock path, with their hold counts (a lock is re-entrant within a process). */
const heldLocks = new Map<string, number>();

/** The lock file that guards in-place writes of `path` (beside the file its links resolve to). */
export function lockPathFor(path: string): string {
  const real = resolveLinks(path);
  return join(dirname(real), `.romgfx-lock-${fittedStem(basename(real), lockNameOverheadInBytes)}`);
}

function resolveLinks(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // does not exist (yet): nothing to resolve
  }
}

function lockOwner(lockPath: string): number | null {
  try {
    const text = readFileSync(lockPath, 'utf8');
    const pid = Number.parseInt(text, 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Takes the write lock of `path`: a file `.romgfx-lock-<name>` beside it holding the owner's pid,
 * made whole before it appears (written to a temporary file, then hard-linked into place, which
 * fails if a lock exists). A lock whose owner process is gone is stale and is taken over. Held
 * by a live process: FileLockedError, at once (the caller writes nothing). Returns the release.
 */
export function acquireFileLock(path: string): () => void {
  const lockPath = lockPathFor(path);
  const held = heldLocks.get(lockPath);
  if (held !== undefined) {
    heldLocks.set(lockPath, held + 1);
    return () => releaseFileLock(lockPath);
  }
  // A writer killed while taking or taking over a lock leaves a temporary file named for the lock.
  removeStaleBeforeWrite(lockPath);
  const temp = temporaryPathFor(lockPath);
  try {
    const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    removeQuietly(temp);
    throw new IoError(`cannot create the lock for ${path}: ${(error as Error).message}`, { path, lockPath }, { cause: error });
  }
  try {
    // Two attempts: the second after taking over a stale lock.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(temp, lockPath);
        heldLocks.set(lockPath, 1);
        return () => releaseFileLock(lockPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new IoError(`cannot create the lock for ${path}: ${(error as Error).message}`, { path, lockPath }, { cause: error });
      }
      const owner = lockOwner(lockPath);
      if (owner !== null && (owner === process.pid || processAlive(owner))) throw new FileLockedError(path, lockPath, owner);
      if (!takeOverStaleLock(lockPath, owner)) throw new FileLockedError(path, lockPath, lockOwner(lockPath));
    }
    throw new FileLockedError(path, lockPath, lockOwner(lockPath));
  } finally {
    removeQuietly(temp);
  }
}

/**
 * Removes a lock whose owner is gone. The lock is first renamed aside (atomic, so of two
 * processes that both saw it stale only one moves it); if what was moved turns out to be a new,
 * live lock (taken between our read and the rename), it is linked back and we report failure.
 */
function takeOverStaleLock(lockPath: string, staleOwner: number | null): boolean {
  const aside = temporaryPathFor(lockPath);
  try {
    renameSync(lockPath, aside);
  } catch {
    return true; // someone else moved it: try again to link ours
  }
  const moved = lockOwner(aside);
  if (moved !== staleOwner && moved !== null && processAlive(moved)) {
    try {
      linkSync(aside, lockPath);
    } catch {
      /* a third process took the lock meanwhile; it holds it legitimately */
    }
    removeQuietly(aside);
    return false;
  }
  removeQuietly(aside);
  return true;
}

function releaseFileLock(lockPath: string): void {
  const held = heldLocks.get(lockPath) ?? 0;
  if (held > 1) {
    heldLocks.set(lockPath, held - 1);
    return;
  }
  heldLocks.delete(lockPath);
  if (lockOwner(lockPath) === process.pid) removeQuietly(lockPath);
}

/** Runs `fn` holding the write lock of `path` (acquireFileLock), releasing it however `fn` ends. */
export function withFileLock<T>(path: string, fn: () => T): T {
  const release = acquireFileLock(path);
  try {
    return fn();
  } finally {
    release();
  }
}

// ---- Writing -----------------------------------------------------------------------------------

/** How writeFileAtomic may treat an existing target. */
export interface AtomicWriteOptions {
  /** Replace an existing file; without it an existing file is an `OutputExistsError`. */
  force?: boolean;
  /**
   * In place: before replacing an existing file, keep a complete copy of it beside it
   * (`name.YYYYMMDDTHHMMSSZ.bak`, `…-2.bak` when that exists), under the file's write lock.
   * A symlink is followed: the file it points to is replaced. Used by `--in-place`.
   */
  backup?: boolean;
  /**
   * In place: the file as it was read (`statSync` before reading). When it has been replaced or
   * modified since, the write is refused (FileChangedError) instead of losing that change.
   * Inputs protected by runWithProtectedInputs are checked against their stats automatically.
   */
  unchangedSince?: Stats;
  /** Files the target must not be (see assertNotAnInput), besides those protected for the whole command. */
  inputs?: readonly string[];
  /** Let a non-backup write replace a protected input (an in-place writer restoring its own backup). */
  replaceInput?: boolean;
}

/** What was written (and where the in-place backup went). */
export interface AtomicWriteResult {
  path: string;
  bytes: number;
  backupPath?: string;
}

/** A timestamp that sorts and is safe in file names. */
export function fileTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/gu, '').replace(/\.\d+Z$/u, 'Z');
}

/** Permission bits a new file gets: 0666 less the umask, as every tool does. */
const newFileMode = 0o666;

/**
 * Writes `chunks` to a new temporary file beside `path` and fsyncs it; returns the temporary path.
 * `mode`: permission bits to give it (those of the file it replaces). Cleans up on failure.
 */
function writeSyncedTemp(path: string, chunks: readonly Uint8Array[], mode: number | undefined): { temp: string; bytes: number } {
  const temp = temporaryPathFor(path);
  let fd: number | undefined;
  let bytes = 0;
  try {
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, newFileMode);
    if (mode !== undefined) fchmodSync(fd, mode);
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

function permissionBits(stats: Stats | undefined): number | undefined {
  return stats === undefined ? undefined : stats.mode & 0o7777;
}

function changeSince(before: Stats, now: Stats | undefined): string | undefined {
  if (now === undefined) return 'it was removed';
  if (!sameInode(before, now)) return 'it was replaced by another file';
  if (before.size !== now.size) return `its size went from ${before.size} to ${now.size} bytes`;
  if (before.mtimeMs !== now.mtimeMs) return 'it was modified';
  return undefined;
}

/**
 * Copies `path` to a backup beside it through a temporary file (copy, fsync, then a hard link to
 * a free name, which never replaces anything): a kill leaves either no backup or a whole one,
 * and two backups in one second get distinct names. Returns the backup's path.
 */
function writeBackup(path: string): string {
  const temp = temporaryPathFor(path);
  try {
    copyFileSync(path, temp, constants.COPYFILE_EXCL);
    syncFile(temp);
    const stem = fittedStem(basename(path), backupNameOverheadInBytes);
    const stamp = fileTimestamp();
    for (let attempt = 1; attempt <= maximumBackupNameAttempts; attempt++) {
      const backupPath = join(dirname(path), `${stem}.${stamp}${attempt === 1 ? '' : `-${attempt}`}.bak`);
      try {
        linkSync(temp, backupPath);
        return backupPath;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
        // No hard links on this file system: a rename to a name checked free (a race here can
        // only replace another romgfx's backup of the same second, never the ROM).
        if (exists(backupPath)) continue;
        renameSync(temp, backupPath);
        return backupPath;
      }
    }
    throw new IoError(`cannot find a free backup name for ${path} (${maximumBackupNameAttempts} taken for ${stamp})`, { path });
  } finally {
    removeQuietly(temp);
  }
}

/**
 * Writes `data` to `path` so that no reader ever sees a partial file: write a temporary file in
 * the same folder (same filesystem, so rename is atomic), fsync it, rename it over the target,
 * fsync the folder. On any failure the temporary file is removed and the target is untouched.
 * A replaced file's permission bits are kept. The target is never an input (assertNotAnInput)
 * unless this is an in-place write (`backup`); see AtomicWriteOptions for in-place writes.
 */
export function writeFileAtomic(path: string, data: Uint8Array | readonly Uint8Array[], options: AtomicWriteOptions = {}): AtomicWriteResult {
  const chunks = Array.isArray(data) ? (data as readonly Uint8Array[]) : [data as Uint8Array];
  if (options.backup) return writeInPlace(path, chunks, options);
  const before = statOrUndefined(path);
  if (before !== undefined && !options.force) throw new OutputExistsError(path);
  if (!options.replaceInput) assertNotAnInput(path, options.inputs);
  const dir = dirname(path);
  if (!exists(dir)) throw new FileNotFoundError(dir);
  removeStaleBeforeWrite(path);
  const { temp, bytes } = writeSyncedTemp(path, chunks, permissionBits(before));
  try {
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw new IoError(`cannot write ${path}: ${(error as Error).message}`, { path }, { cause: error });
  }
  syncDirectory(dir);
  return { path, bytes };
}

function writeInPlace(path: string, chunks: readonly Uint8Array[], options: AtomicWriteOptions): AtomicWriteResult {
  // A symlink is followed: the file it points to is the ROM; the link stays a link.
  const real = resolveLinks(path);
  const dir = dirname(real);
  if (!exists(dir)) throw new FileNotFoundError(dir);
  return withFileLock(real, () => {
    const before = statOrUndefined(real);
    const snapshots = [options.unchangedSince, protectedInputAt(real, before)?.stats];
    for (const snapshot of snapshots) {
      if (snapshot === undefined) continue;
      const change = changeSince(snapshot, before);
      if (change !== undefined) throw new FileChangedError(path, change);
    }
    removeStaleBeforeWrite(real);
    const { temp, bytes } = writeSyncedTemp(real, chunks, permissionBits(before));
    let backupPath: string | undefined;
    try {
      if (before !== undefined) {
        backupPath = writeBackup(real);
        syncDirectory(dir);
      }
      renameSync(temp, real);
    } catch (error) {
      removeQuietly(temp);
      throw new IoError(`cannot write ${path}: ${(error as Error).message}`, { path }, { cause: error });
    }
    syncDirectory(dir);
    return backupPath === undefined ? { path, bytes } : { path, bytes, backupPath };
  });
}

/** Maximum files in one `writeFilesAtomic` batch (each holds a descriptor only while it is written). */
export const maximumFilesPerAtomicBatch = 4096;

/** The checks before a batch (size, existing targets, inputs, folders), the targets' old stats, and stale temporaries removed. */
function prepareBatch(files: readonly { path: string; data: Uint8Array }[], options: { force?: boolean; inputs?: readonly string[] }): { before: (Stats | undefined)[]; namesByDir: Map<string, string[]> } {
  if (files.length > maximumFilesPerAtomicBatch) throw new IoError(`a batch of ${files.length} files is more than ${maximumFilesPerAtomicBatch}`, { files: files.length });
  const before: (Stats | undefined)[] = [];
  const namesByDir = new Map<string, string[]>();
  for (const file of files) {
    const stats = statOrUndefined(file.path);
    if (!options.force && stats !== undefined) throw new OutputExistsError(file.path);
    assertNotAnInput(file.path, options.inputs);
    const dir = dirname(file.path);
    if (!namesByDir.has(dir)) {
      if (!exists(dir)) throw new FileNotFoundError(dir);
      namesByDir.set(dir, []);
    }
    namesByDir.get(dir)!.push(basename(file.path));
    before.push(stats);
  }
  for (const [dir, names] of namesByDir) removeStaleIn(dir, names, false);
  return { before, namesByDir };
}

/**
 * Writes many files, each atomically as `writeFileAtomic` does, but syncs each folder once for
 * the whole batch instead of once per file (extract-all writes two small files per sprite, and
 * the per-file folder fsync was half its time). All temporary files are written and synced
 * before the first rename, so a failure while writing leaves every target untouched; a failed
 * rename can leave the files before it replaced, each whole (no file is ever partial). Existing
 * targets are refused up front unless `force`; inputs always. Stale temporary files of the
 * batch's targets are removed first (one folder listing per folder).
 */
export function writeFilesAtomic(files: readonly { path: string; data: Uint8Array }[], options: { force?: boolean; inputs?: readonly string[] } = {}): AtomicWriteResult[] {
  const { before, namesByDir } = prepareBatch(files, options);
  const temps: { temp: string; bytes: number }[] = [];
  try {
    files.forEach((file, i) => temps.push(writeSyncedTemp(file.path, [file.data], permissionBits(before[i]))));
    files.forEach((file, i) => renameSync(temps[i]!.temp, file.path));
  } catch (error) {
    for (const t of temps) removeQuietly(t.temp);
    if (error instanceof IoError) throw error;
    throw new IoError(`cannot write a batch of ${files.length} files: ${(error as Error).message}`, { files: files.length }, { cause: error });
  }
  for (const dir of namesByDir.keys()) syncDirectory(dir);
  return files.map((file, i) => ({ path: file.path, bytes: temps[i]!.bytes }));
}

/** Temporary files `writeFilesAtomicAsync` writes at once: libuv's default pool has 4 threads, more would only queue. */
export const concurrentAsyncTemporaryWrites = 4;

async function writeSyncedTempAsync(path: string, data: Uint8Array, mode: number | undefined): Promise<{ temp: string; bytes: number }> {
  const temp = temporaryPathFor(path);
  let handle: FileHandle | undefined;
  try {
    handle = await openFileHandle(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, newFileMode);
    if (mode !== undefined) await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    return { temp, bytes: data.length };
  } catch (error) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    removeQuietly(temp);
    throw new IoError(`cannot write ${path}: ${(error as Error).message}`, { path }, { cause: error });
  }
}

/**
 * `writeFilesAtomic` with the writes and fsyncs on libuv's thread pool instead of the caller's
 * thread (a batch of a few hundred small files is a second of fsyncs): the same checks first,
 * every temporary file written and synced before the first rename, the renames together, one
 * folder fsync. Not cancellable once started: a batch is written whole or not at all.
 */
export async function writeFilesAtomicAsync(files: readonly { path: string; data: Uint8Array }[], options: { force?: boolean; inputs?: readonly string[] } = {}): Promise<AtomicWriteResult[]> {
  const { before, namesByDir } = prepareBatch(files, options);
  const temps: ({ temp: string; bytes: number } | undefined)[] = new Array(files.length);
  let failure: unknown;
  let next = 0;
  const writeNext = async (): Promise<void> => {
    while (failure === undefined && next < files.length) {
      const i = next++;
      try {
        temps[i] = await writeSyncedTempAsync(files[i]!.path, files[i]!.data, permissionBits(before[i]));
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrentAsyncTemporaryWrites, files.length) }, writeNext));
  try {
    if (failure !== undefined) throw failure;
    files.forEach((file, i) => renameSync(temps[i]!.temp, file.path));
  } catch (error) {
    for (const t of temps) if (t !== undefined) removeQuietly(t.temp);
    if (error instanceof IoError) throw error;
    throw new IoError(`cannot write a batch of ${files.length} files: ${(error as Error).message}`, { files: files.length }, { cause: error });
  }
  for (const dir of namesByDir.keys()) await syncDirectoryAsync(dir);
  return files.map((file, i) => ({ path: file.path, bytes: temps[i]!.bytes }));
}

async function syncDirectoryAsync(dir: string): Promise<void> {
  // As syncDirectory: best effort (some filesystems refuse fsync on a directory).
  try {
    const handle = await openFileHandle(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
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

/**
 * Checks, before long work, that `path` may be written: OutputExistsError when it exists and
 * `force` is not set; OutputIsInputError when it is an input (`inputs`, or one protected by
 * runWithProtectedInputs), `force` or not.
 */
export function assertWritable(path: string, force: boolean | undefined, inputs: readonly string[] = []): void {
  assertNotAnInput(path, inputs);
  if (!force && exists(path)) throw new OutputExistsError(path);
}
