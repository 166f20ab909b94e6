/**
 * Level 2: a content-addressed thumbnail cache on disk, shared by every romgfx process of a user.
 *
 * Layout: `<root>/v1/<first two hex digits of key>/<key>.thm`. An entry is a 32-byte header
 * (magic, payload length, width, height, format, CRC-32 of the key, CRC-32 of header + payload)
 * followed by the encoded image.
 *
 * - Writes are atomic: a temporary file in the same folder, then rename(2). A reader in any
 *   process sees the old entry, the new one, or none — never a torn file. Two processes writing
 *   one key both rename complete files with the same bytes; the last rename wins.
 * - No fsync: this is a cache. A crash can leave a short or zero-filled entry after power loss;
 *   the checksum turns that into a miss, and the entry is deleted and later rewritten.
 * - Reads check everything (magic, length, key, checksum) before the bytes are trusted.
 * - The total is bounded in bytes with least-recently-used eviction: a hit bumps the entry's
 *   mtime, and when the total passes the bound the oldest entries (by mtime) are removed until
 *   it is below `lowWaterFraction` of the bound. Each process counts what it wrote since its
 *   last scan of the folder, so with several writers the bound holds to within what the others
 *   wrote since then; every process rescans before it evicts.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeSync, appendFileSync } from 'node:fs';
import { mkdir, rename, unlink, utimes, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve as resolvePath, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CacheCorruptError, IoError, ThumbnailRequestError } from '../errors.js';
import { crc32 } from '../util/hash.js';
import { readU32LE } from '../util/bytes.js';
import type { CachedThumbnail } from './memory-cache.js';
import type { ThumbnailFormat } from './request.js';
import { nativeSmallFileReader, type SmallFileReader } from '../native/index.js';

/** Default bound of the disk level: 512 MiB. */
export const defaultDiskCacheSizeInBytes = 512 * 1024 * 1024;
/** Eviction removes entries until the total is at most this fraction of the bound (hysteresis, so one write does not evict every time). */
export const lowWaterFraction = 0.9;
/** The largest entry read back: 80 MiB (a 16 Mpx image cannot encode larger); anything bigger is corrupt. */
export const maximumEntrySizeInBytes = 80 * 1024 * 1024;
/** A temporary file older than this was left by a process that died mid-write and is removed by the next scan. */
export const staleTemporaryAgeInMs = 10 * 60 * 1000;
/** A hit refreshes an entry's mtime (its LRU position) only when it is older than this. */
export const touchGranularityInMs = 60_000;
/** The hit/miss counter log is compacted when it grows past this. */
export const maximumCounterLogSizeInBytes = 256 * 1024;

const layoutFolder = 'v1';
const entrySuffix = '.thm';
const counterLogName = 'counters.jsonl';
const headerSizeInBytes = 32;
const magic = new Uint8Array([0x52, 0x47, 0x46, 0x58, 0x54, 0x48, 0x4d, 0x31]); // "RGFXTHM1"
const formatCodes: Record<ThumbnailFormat, number> = { png: 0, webp: 1 };
const formatNames: readonly ThumbnailFormat[] = ['png', 'webp'];
const keyPattern = /^[0-9a-f]{64}$/u;
const entryNamePattern = /^[0-9a-f]{64}\.thm$/u;

/** `$ROMGFX_CACHE_DIR`, else `$XDG_CACHE_HOME/romgfx`, else `~/.cache/romgfx` (XDG base directory convention). */
export function defaultCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ROMGFX_CACHE_DIR) return env.ROMGFX_CACHE_DIR;
  if (env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/')) return join(env.XDG_CACHE_HOME, 'romgfx');
  return join(homedir(), '.cache', 'romgfx');
}

/** Hits and misses a process recorded; appended to the cache's counter log at close. */
export interface PersistedCounters {
  requests: number;
  memoryHits: number;
  memoryMisses: number;
  diskHits: number;
  diskMisses: number;
}

/** Where the disk cache lives and how large it may grow. */
export interface DiskCacheOptions {
  /** Folder of the cache; `defaultCacheDirectory()` when absent. */
  directory?: string;
  maximumBytes?: number;
}

/** How many entries and bytes the disk cache holds. */
export interface DiskScan {
  entries: number;
  bytes: number;
}

/** What `DiskCache.verify` found: entries checked, valid, corrupt (removed). */
export interface VerifyReport {
  entries: number;
  valid: number;
  corrupt: { path: string; why: string }[];
  removed: number;
}

interface EntryInfo {
  path: string;
  size: number;
  mtimeMs: number;
}

/** A disk cache read: a hit with the thumbnail, a miss, or a corrupt entry (treated as a miss). */
export type DiskReadResult = { kind: 'hit'; value: CachedThumbnail } | { kind: 'miss' } | { kind: 'corrupt'; why: string };

/** Thumbnails on disk, one checked file per entry, written atomically and bounded in size: the second cache level, shared across runs. */
export class DiskCache {
  readonly directory: string;
  readonly maximumBytes: number;
  readonly #root: string;
  readonly #knownShards = new Set<string>();
  /** Bytes and entries at the last scan plus what this process wrote since; undefined before the first scan. */
  #estimate: DiskScan | undefined;
  /** Background writes and touches not yet finished; `flush()` waits for them. */
  readonly #pending = new Set<Promise<void>>();
  /** Whether the last read found its entry (see read()). */
  #expectHit = false;
  corruptEntriesRemoved = 0;
  evictions = 0;

  constructor(options: DiskCacheOptions = {}) {
    this.directory = options.directory ?? defaultCacheDirectory();
    this.maximumBytes = options.maximumBytes ?? defaultDiskCacheSizeInBytes;
    if (!Number.isSafeInteger(this.maximumBytes) || this.maximumBytes < headerSizeInBytes) {
      throw new ThumbnailRequestError('diskCacheBytes', `must be an integer of at least ${headerSizeInBytes} (got ${this.maximumBytes})`);
    }
    this.#root = resolvePath(this.directory, layoutFolder);
  }

  #entryPath(key: string): { shard: string; path: string } {
    if (!keyPattern.test(key)) throw new ThumbnailRequestError('key', `a cache key is 64 lowercase hex digits (got ${JSON.stringify(key)})`);
    // Plain concatenation: the root is normalized once in the constructor and the key is checked
    // hex, so path.join's normalization (measurable per hit) has nothing to do.
    const shard = this.#root + sep + key.slice(0, 2);
    return { shard, path: shard + sep + key + entrySuffix };
  }

  /**
   * Reads and checks an entry. A corrupt entry is deleted (so it is rewritten) and reported as
   * such. A hit makes the entry the most recently used (its mtime); with `touch: 'background'`
   * that update runs on libuv's pool instead of this thread (`flush()` waits for it).
   */
  read(key: string, options: { touch?: 'now' | 'background' } = {}): DiskReadResult {
    const { path } = this.#entryPath(key);
    // Hits and misses come in runs (a warm batch, a cold one). After a miss, look with stat
    // first: a failed open builds an exception (7 µs against 1.1 µs for a stat that finds
    // nothing, measured here). After a hit, open at once: the path is walked once and fstat
    // gives the size and age (a hit went ~8.5 → ~5 µs of syscalls).
    if (!this.#expectHit && statSync(path, { throwIfNoEntry: false }) === undefined) return { kind: 'miss' };
    let value: CachedThumbnail;
    let mtimeMs: number;
    try {
      const entry = readEntry(path);
      this.#expectHit = entry !== null;
      if (entry === null) return { kind: 'miss' };
      mtimeMs = entry.mtimeMs;
      value = decodeEntry(path, key, entry.bytes);
      // The image in a buffer of its own: the addon's reader lends its buffer, and a view past
      // the header would count as a shared batch buffer in the memory level.
      value = { ...value, bytes: value.bytes.slice() };
    } catch (error) {
      if (!(error instanceof CacheCorruptError)) throw error;
      this.#remove(path);
      this.corruptEntriesRemoved++;
      return { kind: 'corrupt', why: String(error.details.why) };
    }
    // Least-recently-used order is mtime order: a hit makes the entry the newest. An entry used
    // within the last `touchGranularityInMs` is left alone (eviction order is that coarse; it
    // saves a write per hit). A failure means another process evicted the entry between the read
    // and now: the bytes we hold are still valid.
    if (Date.now() - mtimeMs < touchGranularityInMs) return { kind: 'hit', value };
    const now = new Date();
    if (options.touch === 'background') this.#track(utimes(path, now, now).catch(() => {}));
    else {
      try {
        utimesSync(path, now, now);
      } catch {
        /* evicted meanwhile */
      }
    }
    return { kind: 'hit', value };
  }

  /** Stores an entry atomically, then evicts if the total passed the bound. */
  write(key: string, value: CachedThumbnail): void {
    const stored = this.store(key, value);
    if (stored > 0) this.noteStored(stored);
  }

  /**
   * Writes an entry atomically (temporary file in the same folder, then rename) and returns its
   * size in bytes (0 when it is larger than the whole cache and so not kept). Does not count or
   * evict: for a writer that is not the process owning the bound (it calls `noteStored`).
   */
  store(key: string, value: CachedThumbnail): number {
    const { shard, path } = this.#entryPath(key);
    const entry = encodeEntry(key, value);
    if (entry.length > this.maximumBytes) return 0;
    if (!this.#knownShards.has(shard)) {
      try {
        mkdirSync(shard, { recursive: true });
      } catch (error) {
        throw new IoError(`cannot create cache folder ${shard}: ${(error as Error).message}`, { path: shard }, { cause: error });
      }
      this.#knownShards.add(shard);
    }
    const temp = shard + sep + `.${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    let fd: number | undefined;
    try {
      fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
      let written = 0;
      while (written < entry.length) written += writeSync(fd, entry, written, entry.length - written);
      closeSync(fd);
      fd = undefined;
      renameSync(temp, path);
    } catch (error) {
      if (fd !== undefined) closeSync(fd);
      this.#remove(temp);
      // A folder removed by `cache clear` in another process: forget it so the next write recreates it.
      this.#knownShards.delete(shard);
      throw new IoError(`cannot write cache entry ${path}: ${(error as Error).message}`, { path }, { cause: error });
    }
    return entry.length;
  }

  /** Counts an entry of `bytes` stored (by this process or its workers) and evicts if the total passed the bound. */
  noteStored(bytes: number): void {
    this.#estimate ??= this.#scanAndClean().scan;
    this.#estimate.bytes += bytes;
    this.#estimate.entries += 1;
    if (this.#estimate.bytes > this.maximumBytes) this.evict();
  }

  /**
   * Stores an entry like `write`, but with the file operations on libuv's pool so the calling
   * thread is not blocked; `done` runs when it is on disk (or failed with an IoError).
   */
  writeInBackground(key: string, value: CachedThumbnail, done?: (error?: unknown) => void): void {
    this.#track(
      this.#writeAsync(key, value).then(
        () => done?.(),
        (error: unknown) => done?.(error),
      ),
    );
  }

  /** Waits for every background write and touch to finish. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #track(promise: Promise<void>): void {
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
  }

  async #writeAsync(key: string, value: CachedThumbnail): Promise<void> {
    const { shard, path } = this.#entryPath(key);
    const entry = encodeEntry(key, value);
    if (entry.length > this.maximumBytes) return;
    const temp = join(shard, `.${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      if (!this.#knownShards.has(shard)) {
        await mkdir(shard, { recursive: true });
        this.#knownShards.add(shard);
      }
      await writeFile(temp, entry, { flag: 'wx', mode: 0o644 });
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      this.#knownShards.delete(shard);
      throw new IoError(`cannot write cache entry ${path}: ${(error as Error).message}`, { path }, { cause: error });
    }
    this.noteStored(entry.length);
  }

  /** Rescans the folder and removes least-recently-used entries until the total is under the low-water mark. */
  evict(): number {
    const { scan, entries } = this.#scanAndClean();
    let removed = 0;
    if (scan.bytes > this.maximumBytes) {
      const target = Math.floor(this.maximumBytes * lowWaterFraction);
      entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
      for (const entry of entries) {
        if (scan.bytes <= target) break;
        if (this.#remove(entry.path)) {
          scan.bytes -= entry.size;
          scan.entries -= 1;
          removed++;
        }
      }
    }
    this.evictions += removed;
    this.#estimate = scan;
    return removed;
  }

  /** Entries and bytes as last counted (cheap; exact after `scan()`). */
  get estimate(): DiskScan {
    return this.#estimate ?? { entries: 0, bytes: 0 };
  }

  /** Counts the entries on disk now. */
  scan(): DiskScan {
    const scan = this.#scanAndClean().scan;
    this.#estimate = { ...scan };
    return scan;
  }

  /** Reads every entry and checks it; corrupt entries are removed when `remove` is set. */
  verify(options: { remove?: boolean } = {}): VerifyReport {
    const report: VerifyReport = { entries: 0, valid: 0, corrupt: [], removed: 0 };
    for (const entry of this.#listEntries()) {
      report.entries++;
      const key = entry.path.slice(entry.path.length - entrySuffix.length - 64, entry.path.length - entrySuffix.length);
      try {
        // readEntry, not readFileSync: it refuses a FIFO or a directory instead of blocking on it.
        const read = readEntry(entry.path);
        if (read === null) {
          report.entries--; // Evicted by another process while we looked.
          continue;
        }
        decodeEntry(entry.path, key, read.bytes);
        report.valid++;
      } catch (error) {
        if (!(error instanceof CacheCorruptError)) throw error;
        report.corrupt.push({ path: entry.path, why: String(error.details.why) });
        if (options.remove && this.#remove(entry.path)) report.removed++;
      }
    }
    return report;
  }

  /** Removes every entry and the counter log. */
  clear(): DiskScan {
    const before = this.#scanAndClean().scan;
    try {
      rmSync(this.#root, { recursive: true, force: true });
    } catch (error) {
      throw new IoError(`cannot clear cache ${this.#root}: ${(error as Error).message}`, { path: this.#root }, { cause: error });
    }
    this.#knownShards.clear();
    this.#estimate = { entries: 0, bytes: 0 };
    return before;
  }

  /** Appends one process's counters to the shared log (one short O_APPEND write: atomic between processes). */
  recordCounters(counters: PersistedCounters): void {
    if (counters.requests === 0) return;
    const path = join(this.#root, counterLogName);
    try {
      mkdirSync(this.#root, { recursive: true });
      appendFileSync(path, JSON.stringify(counters) + '\n');
      if (statSync(path).size > maximumCounterLogSizeInBytes) this.#compactCounters(path);
    } catch (error) {
      throw new IoError(`cannot record cache counters in ${path}: ${(error as Error).message}`, { path }, { cause: error });
    }
  }

  /** The sum of every process's recorded counters. Torn or foreign lines are skipped. */
  readCounters(): PersistedCounters {
    const path = join(this.#root, counterLogName);
    const total: PersistedCounters = { requests: 0, memoryHits: 0, memoryMisses: 0, diskHits: 0, diskMisses: 0 };
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return total;
    }
    for (const line of text.split('\n')) {
      if (line.length === 0) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      if (parsed === null || typeof parsed !== 'object') continue;
      for (const field of Object.keys(total) as (keyof PersistedCounters)[]) {
        const value = (parsed as Record<string, unknown>)[field];
        if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) total[field] += value;
      }
    }
    return total;
  }

  #compactCounters(path: string): void {
    // Lines appended by another process between our read and our rename are lost: counters are
    // statistics, and this happens once per 256 KiB of log.
    const total = this.readCounters();
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    appendFileSync(temp, JSON.stringify(total) + '\n');
    renameSync(temp, path);
  }

  #remove(path: string): boolean {
    try {
      // A directory where an entry belongs (it is corrupt) goes too; it is inside the cache.
      if (lstatSync(path).isDirectory()) rmSync(path, { recursive: true, force: true });
      else unlinkSync(path);
      return true;
    } catch {
      return false; // Already gone (another process evicted or replaced it).
    }
  }

  *#listEntries(): Generator<EntryInfo> {
    let shards: string[];
    try {
      shards = readdirSync(this.#root);
    } catch {
      return;
    }
    for (const shardName of shards) {
      if (!/^[0-9a-f]{2}$/u.test(shardName)) continue;
      const shard = join(this.#root, shardName);
      let names: string[];
      try {
        names = readdirSync(shard);
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(shard, name);
        let stats;
        try {
          stats = statSync(path);
        } catch {
          continue;
        }
        if (entryNamePattern.test(name)) yield { path, size: stats.size, mtimeMs: stats.mtimeMs };
        else if (name.endsWith('.tmp') && Date.now() - stats.mtimeMs > staleTemporaryAgeInMs) this.#remove(path);
      }
    }
  }

  #scanAndClean(): { scan: DiskScan; entries: EntryInfo[] } {
    const entries = [...this.#listEntries()];
    let bytes = 0;
    for (const entry of entries) bytes += entry.size;
    return { scan: { entries: entries.length, bytes }, entries };
  }
}

/** CRC-32 of the key's characters (keys are hex: one byte each). */
function keyChecksum(key: string): number {
  return crc32(Buffer.from(key, 'latin1'));
}

function encodeEntry(key: string, value: CachedThumbnail): Uint8Array {
  const out = new Uint8Array(headerSizeInBytes + value.bytes.length);
  const view = new DataView(out.buffer);
  out.set(magic, 0);
  view.setUint32(8, value.bytes.length, true);
  view.setUint32(12, value.width, true);
  view.setUint32(16, value.height, true);
  out[20] = formatCodes[value.format];
  view.setUint32(24, keyChecksum(key), true);
  out.set(value.bytes, headerSizeInBytes);
  view.setUint32(28, crc32(value.bytes, crc32(out.subarray(0, 28))), true);
  return out;
}

/**
 * An entry's bytes and modification time, or null when there is none (or it vanished: another
 * process evicted it). `borrowed`: the bytes are the native reader's buffer, valid until its next
 * read. Without the addon (or for an entry over its buffer): open, fstat, one read of that size, close; readFileSync would add a second
 * read to see the end and a pooled buffer. The entry may change while it is read: a short read is
 * a truncated entry for decodeEntry to reject; a longer file is read to the fstat's size and
 * fails its checks.
 */
export function readEntry(path: string, native: SmallFileReader | null = nativeSmallFileReader()): { bytes: Uint8Array; mtimeMs: number; borrowed: boolean } | null {
  // One call to the addon where it is loaded (4.8–5.2 against 9.2 µs per entry, src/native/file-read.ts).
  if (native !== null) {
    const read = native(path);
    switch (read.kind) {
      case 'read':
        return { bytes: read.bytes, mtimeMs: read.mtimeMs, borrowed: true };
      case 'missing':
        return null;
      case 'failed':
        throw new IoError(`cannot read cache entry ${path}: ${read.code}`, { path, code: read.code });
      case 'notRegular':
        throw new CacheCorruptError(path, 'not a regular file (a directory, FIFO, socket, device or link)');
      case 'elsewhere':
        if (read.size > maximumEntrySizeInBytes) throw new CacheCorruptError(path, `${read.size} bytes, more than the ${maximumEntrySizeInBytes} an entry can hold`);
        break;
    }
  }
  let fd: number;
  try {
    // Never blocks, never follows a link: a FIFO planted in the cache would otherwise hang the
    // open until a writer came; fstat below refuses whatever is not a regular file.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'ELOOP' || code === 'ENXIO') throw new CacheCorruptError(path, 'not a regular file (a link, socket or FIFO)');
    throw new IoError(`cannot read cache entry ${path}: ${(error as Error).message}`, { path }, { cause: error });
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new CacheCorruptError(path, `not a regular file (${stats.isDirectory() ? 'a directory' : stats.isFIFO() ? 'a FIFO' : stats.isSocket() ? 'a socket' : 'a device'})`);
    const size = stats.size;
    if (size > maximumEntrySizeInBytes) throw new CacheCorruptError(path, `${size} bytes, more than the ${maximumEntrySizeInBytes} an entry can hold`);
    const bytes = new Uint8Array(size);
    let filled = 0;
    // Each read either advances or returns 0 (end of file): the loop ends.
    while (filled < size) {
      const got = readSync(fd, bytes, filled, size - filled, filled);
      if (got === 0) break;
      filled += got;
    }
    return { bytes: filled === size ? bytes : bytes.subarray(0, filled), mtimeMs: stats.mtimeMs, borrowed: false };
  } catch (error) {
    if (error instanceof CacheCorruptError) throw error;
    throw new IoError(`cannot read cache entry ${path}: ${(error as Error).message}`, { path }, { cause: error });
  } finally {
    closeSync(fd);
  }
}

/** Checks and unpacks an entry; CacheCorruptError says what is wrong. */
export function decodeEntry(path: string, key: string, bytes: Uint8Array): CachedThumbnail {
  if (bytes.length < headerSizeInBytes) throw new CacheCorruptError(path, `${bytes.length} bytes, shorter than the ${headerSizeInBytes}-byte header`);
  if (bytes.length > maximumEntrySizeInBytes) throw new CacheCorruptError(path, `${bytes.length} bytes, more than the ${maximumEntrySizeInBytes} an entry can hold`);
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) throw new CacheCorruptError(path, 'bad magic (not a romgfx thumbnail entry)');
  const payloadLength = readU32LE(bytes, 8);
  if (payloadLength !== bytes.length - headerSizeInBytes) {
    throw new CacheCorruptError(path, `header says ${payloadLength} payload bytes, file holds ${bytes.length - headerSizeInBytes} (truncated or padded)`);
  }
  const format = formatNames[bytes[20]!];
  if (format === undefined) throw new CacheCorruptError(path, `unknown format code ${bytes[20]}`);
  if (readU32LE(bytes, 24) !== keyChecksum(key)) throw new CacheCorruptError(path, 'entry belongs to another key');
  const payload = bytes.subarray(headerSizeInBytes);
  const expected = readU32LE(bytes, 28);
  const actual = crc32(payload, crc32(bytes.subarray(0, 28)));
  if (expected !== actual) throw new CacheCorruptError(path, `checksum ${actual.toString(16)} does not match the stored ${expected.toString(16)}`);
  return { bytes: payload, width: readU32LE(bytes, 12), height: readU32LE(bytes, 16), format };
}
