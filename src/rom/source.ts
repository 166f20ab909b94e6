import { closeSync, existsSync, fstatSync, openSync, readSync, statSync, type BigIntStats } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { IoError, RomChangedError, RomEmptyError, RomTooLargeError } from '../errors.js';
import { loadNative } from '../native/addon.js';
import { statRegularFile } from '../util/files.js';
import { checkRange } from '../util/bytes.js';

/** The largest ROM file romgfx opens: 64 MiB (ExHiROM tops out at 8 MiB, GBA at 32 MiB). */
export const maximumRomSizeInBytes = 64 * 1024 * 1024;

/**
 * How a ROM file is opened.
 * - `map`: a read-only memory mapping. Opening costs the same for any size and every thread that
 *   maps the file shares the page cache. The mapping is registered with the addon's SIGBUS guard,
 *   so a file truncated under it reads as zeros instead of killing the process, and
 *   `changed()` reports it.
 * - `memory`: the file is read whole into memory: a private copy that nothing outside can change.
 * The default is `map` when the guard is available (our addon and @riaskov/mmap-io both load),
 * otherwise `memory`: an unguarded mapping is never made unless asked for.
 */
export type RomOpenMode = 'map' | 'memory';

/**
 * Read-only random access to bytes: a memory-mapped file or an in-memory buffer.
 *
 * `view()` returns a view, not a copy. For a mapped file the view is backed by a read-only
 * mapping: writing into it kills the process (SIGSEGV), so callers that need to change bytes
 * take `copy()`.
 */
export interface ByteSource {
  /** A name for messages (the path, or what the caller called the buffer). */
  readonly name: string;
  readonly size: number;
  /** True when the bytes come from a read-only memory mapping. */
  readonly mapped: boolean;
  /** The file the bytes were read or mapped from; null for a buffer the caller gave. */
  readonly path: string | null;
  /** True when a mapping is covered by the SIGBUS guard (always false for memory). */
  readonly guarded: boolean;
  /** A zero-copy view of [offset, offset + length); throws `OutOfRangeError` outside the data. */
  view(offset: number, length: number): Uint8Array;
  /** A writable copy of [offset, offset + length). */
  copy(offset: number, length: number): Uint8Array;
  /**
   * What changed in the file since it was opened (size, modification time, inode, pages gone
   * from under the mapping), or null when nothing did or the bytes came from memory.
   */
  changed(): string | null;
}

/** The identity of a file at one moment: what `changed()` compares. */
interface FileSnapshot {
  readonly path: string;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

function snapshotOf(path: string, stats: BigIntStats): FileSnapshot {
  return { path, dev: stats.dev, ino: stats.ino, size: stats.size, mtimeNs: stats.mtimeNs, ctimeNs: stats.ctimeNs };
}

/** How `now` differs from the snapshot, in words, or null. */
function describeChange(then: FileSnapshot): string | null {
  let now: BigIntStats;
  try {
    now = statSync(then.path, { bigint: true });
  } catch (error) {
    return `it can no longer be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
  if (now.dev !== then.dev || now.ino !== then.ino) return 'it was replaced by another file';
  if (now.size !== then.size) return `its size went from ${then.size} to ${now.size} bytes`;
  if (now.mtimeNs !== then.mtimeNs || now.ctimeNs !== then.ctimeNs) return 'it was rewritten';
  return null;
}

class BufferSource implements ByteSource {
  readonly name: string;
  readonly mapped: boolean;
  readonly guarded: boolean;
  readonly path: string | null;
  readonly #bytes: Uint8Array;
  readonly #snapshot: FileSnapshot | null;
  readonly #guardSlot: number;

  constructor(name: string, bytes: Uint8Array, mapped: boolean, snapshot: FileSnapshot | null = null, guardSlot = -1) {
    this.name = name;
    this.#bytes = bytes;
    this.mapped = mapped;
    this.#snapshot = snapshot;
    this.#guardSlot = guardSlot;
    this.guarded = guardSlot >= 0;
    this.path = snapshot?.path ?? null;
  }

  changed(): string | null {
    if (this.#guardSlot >= 0) {
      const faults = loadNative()?.mappingFaults(this.#guardSlot) ?? 0;
      if (faults > 0) return `${faults} page${faults === 1 ? '' : 's'} of it vanished while mapped: it was truncated`;
    }
    return this.#snapshot ? describeChange(this.#snapshot) : null;
  }

  get size(): number {
    return this.#bytes.length;
  }

  view(offset: number, length: number): Uint8Array {
    checkRange(this.name, offset, length, this.#bytes.length);
    return this.#bytes.subarray(offset, offset + length);
  }

  copy(offset: number, length: number): Uint8Array {
    return Uint8Array.prototype.slice.call(this.view(offset, length), 0) as Uint8Array;
  }
}

/** Bytes the caller already holds (tests, editors). The buffer is not copied; do not change it while in use. */
export function bufferSource(bytes: Uint8Array, name = '<buffer>'): ByteSource {
  if (bytes.length === 0) throw new RomEmptyError(name);
  if (bytes.length > maximumRomSizeInBytes) throw new RomTooLargeError(name, bytes.length, maximumRomSizeInBytes);
  return new BufferSource(name, bytes, false);
}

interface MmapModule {
  PROT_READ: number;
  MAP_SHARED: number;
  MADV_RANDOM: number;
  map(size: number, protection: number, flags: number, fd: number, offset?: number, advise?: number): Buffer;
}

let mmapModule: MmapModule | undefined;

/**
 * The mmap-io addon. Its JavaScript entry point loads @mapbox/node-pre-gyp (with npmlog, semver,
 * detect-libc, …) only to find the compiled binding: tens of milliseconds on every CLI start-up
 * that opens a ROM. We require the binding where node-pre-gyp would find it (its `binary.module_path`,
 * `build/binding/Release/node-v<abi>-<platform>-<arch>/`) or where node-gyp builds it, and fall back
 * to the package's entry point when neither is there. Only `map` and the constants are used, which
 * the binding exports as they are (the wrapper only re-shapes `sync`).
 */
function loadMmap(): MmapModule {
  if (!mmapModule) {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve('@riaskov/mmap-io'));
    const bindings = [
      join(packageDir, 'build', 'binding', 'Release', `node-v${process.versions.modules}-${process.platform}-${process.arch}`, 'mmap_io.node'),
      join(packageDir, 'build', 'Release', 'mmap_io.node'),
    ];
    const binding = bindings.find((path) => existsSync(path));
    const loaded = require(binding ?? '@riaskov/mmap-io') as MmapModule & { default?: MmapModule };
    mmapModule = loaded.default ?? loaded;
  }
  return mmapModule;
}

/** True when mapping can be guarded against SIGBUS: both addons load. */
export function mappingGuardAvailable(): boolean {
  return loadNative() !== null && mmapAvailable();
}

/** The mode `openRom` uses when none is asked for (see `RomOpenMode`). */
export function defaultRomOpenMode(): RomOpenMode {
  return mappingGuardAvailable() ? 'map' : 'memory';
}

/**
 * Files up to this size are read whole by `oneShotRomOpenMode` instead of mapped: reading 4 MiB
 * from the page cache takes about a millisecond, less than loading the two addons a guarded
 * mapping needs (@riaskov/mmap-io and ours), which a one-command process pays at start-up.
 */
export const maximumReadWholeRomSizeInBytes = 4 * 1024 * 1024;

/**
 * The mode for a process that opens `path` once and reads a little of it (a CLI command): memory
 * for files up to maximumReadWholeRomSizeInBytes, else `defaultRomOpenMode()`. A file that cannot
 * be examined gets `memory`, whose open then reports why.
 */
export function oneShotRomOpenMode(path: string): RomOpenMode {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined || !stats.isFile() || stats.size <= maximumReadWholeRomSizeInBytes) return 'memory';
  return defaultRomOpenMode();
}

/** Opens `path` in `mode` (default: `defaultRomOpenMode()`). */
export function openFileSource(path: string, mode: RomOpenMode = defaultRomOpenMode()): ByteSource {
  return mode === 'map' ? mapFile(path) : readRomFile(path);
}

/**
 * Opens a ROM file for reading and checks its size on the open descriptor (the size that counts:
 * a stat by path could be another file by now): the descriptor, the file's identity, its size.
 * The caller closes the descriptor.
 */
function openRomDescriptor(path: string): { fd: number; opened: BigIntStats; size: number } {
  const stats = statRegularFile(path);
  if (stats.size === 0) throw new RomEmptyError(path);
  if (stats.size > maximumRomSizeInBytes) throw new RomTooLargeError(path, stats.size, maximumRomSizeInBytes);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new IoError(`cannot open ${path}: ${(error as Error).message}`, { path }, { cause: error });
  }
  try {
    const opened = fstatSync(fd, { bigint: true });
    const size = Number(opened.size);
    if (size === 0) throw new RomEmptyError(path);
    if (size > maximumRomSizeInBytes) throw new RomTooLargeError(path, size, maximumRomSizeInBytes);
    return { fd, opened, size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Reads a ROM file whole into memory (`memory` mode), with the same size limits as mapping and
 * the file's identity kept for `changed()`.
 */
export function readRomFile(path: string): ByteSource {
  const { fd, opened, size } = openRomDescriptor(path);
  try {
    const bytes = new Uint8Array(size);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, bytes, done, size - done, done);
      if (n === 0) throw new RomChangedError(path, `it shrank to ${done} bytes while being read`);
      done += n;
    }
    return new BufferSource(path, bytes, false, snapshotOf(path, opened));
  } finally {
    closeSync(fd);
  }
}

/** True when the mmap-io addon loads (a test asserts it: a missing build must fail loudly). */
export function mmapAvailable(): boolean {
  try {
    loadMmap();
    return true;
  } catch {
    return false;
  }
}

/**
 * Maps `path` read-only (`map` mode). Nothing is read until it is touched, so opening a 32 MiB
 * ROM costs the same as opening a 32 KiB one. The descriptor is closed at once (the mapping
 * outlives it) and the mapping goes away when the last view is garbage-collected (mmap-io has no
 * explicit unmap). Truncating a mapped file makes the next touch of a lost page a SIGBUS, which
 * kills the process: the mapping is therefore registered with our addon's guard, which turns
 * such a page into zeros and counts it (`changed()` then says so). Without the addon the mapping
 * is unguarded (`guarded` false); `defaultRomOpenMode()` then reads files into memory instead.
 */
export function mapFile(path: string): ByteSource {
  let mmap: MmapModule;
  try {
    mmap = loadMmap();
  } catch (error) {
    throw new IoError(`cannot map ${path}: @riaskov/mmap-io is not installed or not built (${(error as Error).message.split('\n')[0]}); open it with mode 'memory'`, { path }, { cause: error });
  }
  const { fd, opened, size } = openRomDescriptor(path);
  try {
    // Random access fits every caller: header reads, single blocks, scanner windows.
    const buffer = mmap.map(size, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0, mmap.MADV_RANDOM);
    const slot = loadNative()?.guardMapping(buffer) ?? -1;
    return new BufferSource(path, buffer, true, snapshotOf(path, opened), slot);
  } catch (error) {
    throw new IoError(`cannot map ${path}: ${(error as Error).message}`, { path }, { cause: error });
  } finally {
    closeSync(fd);
  }
}

/** Reads a whole file into memory (no mapping): for small inputs such as palettes and patches. */
export function readFileBytes(path: string, maximumBytes: number): Uint8Array {
  const stats = statRegularFile(path);
  if (stats.size > maximumBytes) throw new RomTooLargeError(path, stats.size, maximumBytes);
  const out = new Uint8Array(stats.size);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new IoError(`cannot open ${path}: ${(error as Error).message}`, { path }, { cause: error });
  }
  try {
    let done = 0;
    while (done < out.length) {
      const n = readSync(fd, out, done, out.length - done, done);
      if (n === 0) throw new IoError(`${path} shrank while being read`, { path });
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
