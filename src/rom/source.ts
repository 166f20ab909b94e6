import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { IoError, RomEmptyError, RomTooLargeError } from '../errors.js';
import { statRegularFile } from '../util/files.js';
import { checkRange } from '../util/bytes.js';

/** The largest ROM file romgfx opens: 64 MiB (ExHiROM tops out at 8 MiB, GBA at 32 MiB). */
export const maximumRomSizeInBytes = 64 * 1024 * 1024;

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
  /** A zero-copy view of [offset, offset + length); throws `OutOfRangeError` outside the data. */
  view(offset: number, length: number): Uint8Array;
  /** A writable copy of [offset, offset + length). */
  copy(offset: number, length: number): Uint8Array;
}

class BufferSource implements ByteSource {
  readonly name: string;
  readonly mapped: boolean;
  readonly #bytes: Uint8Array;

  constructor(name: string, bytes: Uint8Array, mapped: boolean) {
    this.name = name;
    this.#bytes = bytes;
    this.mapped = mapped;
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
 * Maps `path` read-only. Nothing is read until it is touched, so opening a 32 MiB ROM costs the
 * same as opening a 32 KiB one. The descriptor is closed at once (the mapping outlives it) and
 * the mapping goes away when the last view is garbage-collected (mmap-io has no explicit unmap).
 * Truncating the file while it is mapped makes the next touch fail with SIGBUS: romgfx never
 * truncates its inputs, and writes its outputs to new files.
 */
export function mapFile(path: string): ByteSource {
  const stats = statRegularFile(path);
  if (stats.size === 0) throw new RomEmptyError(path);
  if (stats.size > maximumRomSizeInBytes) throw new RomTooLargeError(path, stats.size, maximumRomSizeInBytes);
  const mmap = loadMmap();
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new IoError(`cannot open ${path}: ${(error as Error).message}`, { path }, { cause: error });
  }
  try {
    // Random access fits every caller: header reads, single blocks, scanner windows.
    const buffer = mmap.map(stats.size, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0, mmap.MADV_RANDOM);
    return new BufferSource(path, buffer, true);
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
