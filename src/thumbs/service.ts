/**
 * ThumbnailService: what editors create once and reuse, and what the CLI and the scanner use.
 *
 * A request goes: memory cache → (identical request already in flight? join it) → disk cache →
 * worker pool → (WebP: sharp on the main thread) → disk cache → memory cache.
 */
import { performance } from 'node:perf_hooks';
import type { Logger, LevelWithSilent } from 'pino';
import { AbortedError, InternalError, RomgfxError, ServiceClosedError, ThumbnailRequestError } from '../errors.js';
import { silentLogger } from '../log.js';
import { sha256Hex } from '../util/hash.js';
import { openRom } from '../rom/rom.js';
import type { Platform } from '../rom/platform.js';
import { statRegularFile } from '../util/files.js';
import { DiskCache, type DiskCacheOptions, type PersistedCounters } from './disk-cache.js';
import { MemoryCache, defaultMemoryCacheSizeInBytes, type MemoryEntry } from './memory-cache.js';
import { ThumbnailMetrics, type ThumbnailStats } from './metrics.js';
import { ThumbnailPool, resolveThreads, type PoolOptions } from './pool.js';
import { canonicalRequest, normalizeRequest, type NormalizedRequest, type RomRef, type ThumbnailRequest } from './request.js';
import { MemoryKeys, type MemoryKey } from './memory-key.js';
import type { WorkerSuccess } from './protocol.js';
import { encodeWebpLossless } from './webp.js';
import { composeContactSheet, type ContactSheet, type ContactSheetOptions } from './contact-sheet.js';

/**
 * Requests renderMany keeps in flight per worker thread: two full batches (pool.ts
 * maximumBatchSize), so a worker finishing one batch finds the next already queued instead of
 * waiting for the main thread; far below the queue limit.
 */
export const inFlightPerThread = 32;
/** ROM identities remembered by `rom()` (path + mtime + size → sha1). */
export const maximumRememberedRoms = 64;

/** Options of a ThumbnailService: worker threads, queue, cache sizes and locations. */
export interface ThumbnailServiceOptions extends Omit<PoolOptions, 'workerData' | 'recordTiming'> {
  /** Bytes the memory level may hold (default 64 MiB). */
  memoryCacheBytes?: number;
  /** The disk level, or false for none (default: on, in `defaultCacheDirectory()`). */
  diskCache?: false | DiskCacheOptions;
  /** Stage timings, Piscina histograms and per-task debug logs (default true). Counters are always kept. */
  instrumentation?: boolean;
  /** Main-thread logger (default: silent). */
  logger?: Logger;
  /** Level for the workers' own synchronous stderr loggers (default 'warn'). */
  workerLogLevel?: LevelWithSilent;
}

/** A finished thumbnail, its content address (`key`, the disk cache key) and where it came from. */
export interface Thumbnail extends MemoryEntry {
  readonly source: 'memory' | 'disk' | 'render';
}

/** What `renderMany` gives for each request: the thumbnail, or the typed error of that request alone. */
export type ThumbnailOutcome = { ok: true; thumbnail: Thumbnail } | { ok: false; error: RomgfxError };

/** Per-request options: cancellation. */
export interface RequestOptions {
  signal?: AbortSignal;
}

/** Options of `renderMany`: cancellation and progress. */
export interface RenderManyOptions extends RequestOptions {
  /** Called after each request settles. */
  onProgress?: (done: number, total: number) => void;
}

/** A request that missed both cache levels: what rendering it needs (`key` null: not computed yet). */
interface Miss {
  readonly normalized: NormalizedRequest;
  /** The memory level's and the in-flight map's key. */
  readonly memoryKey: MemoryKey;
  /** The content address (SHA-256 of the canonical text), or null when not computed yet. */
  readonly key: string | null;
  /** When the request arrived (instrumentation clock; 0 when off). */
  readonly start: number;
}

interface Flight {
  readonly promise: Promise<{ value: MemoryEntry; source: 'render' }>;
  /**
   * Cancels the render when every caller has left; null when the first caller had no signal:
   * that caller never leaves, so the flight can never be cancelled (and an AbortController per
   * thumbnail was 5% of the main thread's time in bench/thumbs).
   */
  readonly controller: AbortController | null;
  waiters: number;
}

/**
 * Renders thumbnails of ROM graphics off the caller's thread (a worker pool), through a memory and a
 * disk cache, deduplicating equal requests. `close()` it when done.
 */
export class ThumbnailService {
  readonly metrics: ThumbnailMetrics;
  /** Started on the first render: a run served from the caches never pays for worker start-up. */
  #pool: ThumbnailPool | null = null;
  readonly #poolOptions: PoolOptions;
  readonly #threads: number;
  readonly #memory: MemoryCache;
  readonly #disk: DiskCache | null;
  readonly #logger: Logger;
  readonly #flights = new Map<MemoryKey, Flight>();
  readonly #memoryKeys = new MemoryKeys();
  readonly #roms = new Map<string, RomRef>();
  #closed = false;

  constructor(options: ThumbnailServiceOptions = {}) {
    const instrumentation = options.instrumentation ?? true;
    this.metrics = new ThumbnailMetrics(instrumentation);
    this.#logger = options.logger ?? silentLogger;
    this.#memory = new MemoryCache(options.memoryCacheBytes ?? defaultMemoryCacheSizeInBytes);
    this.#disk = options.diskCache === false ? null : new DiskCache(options.diskCache ?? {});
    this.#threads = resolveThreads(options.threads);
    if (options.maxQueue !== undefined && (!Number.isSafeInteger(options.maxQueue) || options.maxQueue < 0)) {
      throw new ThumbnailRequestError('maxQueue', `must be a non-negative integer (got ${options.maxQueue})`);
    }
    this.#poolOptions = {
      ...options,
      threads: this.#threads,
      recordTiming: instrumentation,
      workerData: { logLevel: options.workerLogLevel ?? 'warn' },
    };
    const disk = this.#disk;
    const memory = this.#memory;
    this.metrics.bindGauges({
      memoryEntries: () => memory.entries,
      memoryBytes: () => memory.bytes,
      diskEntries: () => disk?.estimate.entries ?? 0,
      diskBytes: () => disk?.estimate.bytes ?? 0,
      queueDepth: () => this.#pool?.queueDepth ?? 0,
      threads: () => (this.#pool ? this.#pool.threads : 0),
      utilization: () => this.#pool?.utilization ?? 0,
    });
  }

  /** The disk cache (null when disabled), for `cache stats|clear|verify`. */
  get diskCache(): DiskCache | null {
    return this.#disk;
  }

  get threads(): number {
    return this.#threads;
  }

  /**
   * A RomRef for a file: opens it (mapped, read-only) to take its identity. Remembered by path,
   * mtime and size, so asking again for an unchanged file costs one stat.
   */
  rom(path: string, options: { platform?: Platform } = {}): RomRef {
    const stats = statRegularFile(path);
    const memo = `${path}\0${stats.mtimeMs}\0${stats.size}\0${options.platform ?? ''}`;
    const known = this.#roms.get(memo);
    if (known) return known;
    const opened = openRom(path, options.platform === undefined ? { allowUnknown: true } : { platform: options.platform, allowUnknown: true });
    const ref: RomRef = options.platform === undefined ? { path, sha1: opened.identity().sha1 } : { path, sha1: opened.identity().sha1, platform: options.platform };
    if (this.#roms.size >= maximumRememberedRoms) this.#roms.delete(this.#roms.keys().next().value!);
    this.#roms.set(memo, ref);
    return ref;
  }

  /** One thumbnail. Identical requests in flight at once are computed once. */
  async thumbnail(request: ThumbnailRequest, options: RequestOptions = {}): Promise<Thumbnail> {
    if (this.#closed) throw new ServiceClosedError();
    const found = this.#lookUp(request);
    return 'thumbnail' in found ? found.thumbnail : this.#render(found, options.signal);
  }

  /**
   * Many thumbnails, in order, each with its own outcome (one bad block does not fail the rest).
   * Cache hits are answered in one synchronous pass (a memory hit costs no promise: warm runs
   * were 2× slower through the lanes); misses go through `threads × inFlightPerThread` lanes, so
   * the pool stays busy without approaching its queue limit.
   */
  async renderMany(requests: readonly ThumbnailRequest[], options: RenderManyOptions = {}): Promise<ThumbnailOutcome[]> {
    if (this.#closed) throw new ServiceClosedError();
    const outcomes: ThumbnailOutcome[] = new Array(requests.length);
    const misses: { index: number; miss: Miss }[] = [];
    let done = 0;
    const settle = (index: number, outcome: ThumbnailOutcome): void => {
      outcomes[index] = outcome;
      done++;
      options.onProgress?.(done, requests.length);
    };
    for (let index = 0; index < requests.length; index++) {
      let found: { thumbnail: Thumbnail } | Miss;
      try {
        found = this.#lookUp(requests[index]!);
      } catch (error) {
        settle(index, { ok: false, error: asRomgfxError(error) });
        continue;
      }
      if ('thumbnail' in found) settle(index, { ok: true, thumbnail: found.thumbnail });
      else misses.push({ index, miss: found });
    }
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < misses.length) {
        const { index, miss } = misses[next++]!;
        try {
          settle(index, { ok: true, thumbnail: await this.#render(miss, options.signal) });
        } catch (error) {
          settle(index, { ok: false, error: asRomgfxError(error) });
        }
      }
    };
    const lanes = Math.min(misses.length, this.#threads * inFlightPerThread);
    await Promise.all(Array.from({ length: lanes }, lane));
    return outcomes;
  }

  /**
   * The synchronous half of a request: validation, the memory level, the disk level. Returns the
   * thumbnail on a hit, or what rendering it needs. Throws (counted) for an invalid request.
   */
  #lookUp(request: ThumbnailRequest): { thumbnail: Thumbnail } | Miss {
    const metrics = this.metrics;
    const timed = metrics.instrumentation;
    const start = timed ? performance.now() : 0;
    metrics.requests++;
    let normalized: NormalizedRequest;
    try {
      normalized = normalizeRequest(request);
    } catch (error) {
      this.#countFailure(error);
      throw error;
    }
    // The memory level and the in-flight map key on a number (memory-key.ts); the canonical text
    // and its SHA-256, the disk key, are made once per thumbnail (on a memory miss) and kept with
    // the entry.
    const memoryKey = this.#memoryKeys.keyOf(normalized);
    const cached = this.#memory.get(memoryKey);
    if (timed) metrics.observe('cache_read_memory', (performance.now() - start) / 1000);
    if (cached) {
      metrics.memoryHits++;
      return { thumbnail: this.#answer(cached, 'memory', start) };
    }
    metrics.memoryMisses++;
    if (this.#flights.has(memoryKey)) return { normalized, memoryKey, key: null, start };
    if (!this.#disk) return { normalized, memoryKey, key: null, start };
    // The disk level is read synchronously here, before any flight exists: a hit costs no
    // promise, controller or map entry, and no identical request can be in flight (we checked).
    const key = sha256Hex(canonicalRequest(normalized));
    const fromDisk = this.#readDisk(memoryKey, key);
    if (fromDisk) {
      return { thumbnail: this.#answer(fromDisk, 'disk', start) };
    }
    return { normalized, memoryKey, key, start };
  }

  /** A finished entry as the caller's Thumbnail, counted and timed. */
  #answer(entry: MemoryEntry, source: Thumbnail['source'], start: number): Thumbnail {
    const metrics = this.metrics;
    metrics.bytesOut += entry.bytes.length;
    if (metrics.instrumentation) metrics.observe('total', (performance.now() - start) / 1000);
    return { bytes: entry.bytes, width: entry.width, height: entry.height, format: entry.format, key: entry.key, source };
  }

  /**
   * The asynchronous half: joins an identical request in flight, or starts one. Promise chains,
   * not async functions: each async frame was ~1.2 KiB of garbage per cold thumbnail on the
   * main thread (allocation profile, measured here), and the main thread's share of a cold
   * thumbnail decides what a second worker gains on two cores.
   */
  #render(miss: Miss, signal: AbortSignal | undefined): Promise<Thumbnail> {
    const metrics = this.metrics;
    const { normalized, memoryKey, start } = miss;
    let flight = this.#flights.get(memoryKey);
    // An identical request may have finished since the look-up (renderMany looks everything up first).
    const finished = flight === undefined ? this.#memory.get(memoryKey) : undefined;
    if (flight || finished) metrics.deduplicated++;
    if (finished) return Promise.resolve(this.#answer(finished, 'render', start));
    if (!flight) {
      if (signal?.aborted) {
        metrics.cancelled++;
        return Promise.reject(new AbortedError('the thumbnail request was cancelled'));
      }
      flight = this.#startFlight(memoryKey, miss.key ?? sha256Hex(canonicalRequest(normalized)), normalized, signal !== undefined);
    }
    return waitForFlight(flight, signal).then(
      ({ value, source }) => this.#answer(value, source, start),
      (error: unknown) => {
        this.#countFailure(error);
        throw error;
      },
    );
  }

  /**
   * Renders the requests as PNG and lays them out on one contact sheet (failed ones leave an
   * empty cell and are listed in `outcomes`). For the scanner's overview of what it found.
   */
  async contactSheet(requests: readonly ThumbnailRequest[], options: RenderManyOptions & ContactSheetOptions = {}): Promise<ContactSheet & { outcomes: ThumbnailOutcome[] }> {
    const pngRequests = requests.map((r) => ({ ...r, output: { ...(r.output ?? {}), format: 'png' as const } }));
    const outcomes = await this.renderMany(pngRequests, options);
    const sheet = composeContactSheet(
      outcomes.map((o) => (o.ok ? o.thumbnail.bytes : null)),
      options,
    );
    return { ...sheet, outcomes };
  }

  /** Counters, gauges and stage latencies (see ThumbnailStats). */
  stats(): ThumbnailStats {
    return this.metrics.summary();
  }

  /** The same as Prometheus text. */
  metricsText(): string {
    return this.metrics.toPrometheus();
  }

  /** Lets running and queued requests finish, stops the workers, and records this run's counters in the disk cache. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#flights.values()].map((f) => f.promise));
    await this.#pool?.close();
    if (this.#disk) {
      await this.#disk.flush();
      const m = this.metrics;
      const counters: PersistedCounters = { requests: m.requests, memoryHits: m.memoryHits, memoryMisses: m.memoryMisses, diskHits: m.diskHits, diskMisses: m.diskMisses };
      try {
        this.#disk.recordCounters(counters);
      } catch (error) {
        this.#logger.warn({ err: error }, 'could not record cache counters');
      }
    }
  }

  /** A disk hit (also stored in memory), or null on a miss or a corrupt entry (which is removed). */
  #readDisk(memoryKey: MemoryKey, key: string): MemoryEntry | null {
    const disk = this.#disk;
    if (!disk) return null;
    const metrics = this.metrics;
    const timed = metrics.instrumentation;
    const start = timed ? performance.now() : 0;
    const read = disk.read(key, { touch: 'background' });
    if (timed) metrics.observe('cache_read_disk', (performance.now() - start) / 1000);
    if (read.kind === 'hit') {
      metrics.diskHits++;
      const value: MemoryEntry = { bytes: read.value.bytes, width: read.value.width, height: read.value.height, format: read.value.format, key };
      this.#memory.set(memoryKey, value);
      return value;
    }
    metrics.diskMisses++;
    if (read.kind === 'corrupt') this.#logger.warn({ key, why: read.why }, 'corrupt thumbnail cache entry replaced');
    return null;
  }

  /** Sends a request to the pool as a flight others can join; the flight leaves the map when it settles. */
  #startFlight(memoryKey: MemoryKey, key: string, request: NormalizedRequest, cancellable: boolean): Flight {
    const metrics = this.metrics;
    const timed = metrics.instrumentation;
    const controller = cancellable ? new AbortController() : null;
    const webp = request.output.format === 'webp';
    const queued = timed ? performance.now() : 0;
    this.#pool ??= new ThumbnailPool(this.#poolOptions);
    metrics.noteQueueDepth(this.#pool.queueDepth + 1);
    const flight: { promise: Flight['promise']; controller: AbortController | null; waiters: number } = { promise: undefined!, controller, waiters: 0 };
    flight.promise = this.#pool.run({ request, instrumentation: timed, output: webp ? 'rgba' : 'png' }, controller?.signal).then(
      (reply) => {
        this.#noteRendered(key, request, reply, queued);
        if (webp) return this.#finishWebp(memoryKey, key, reply, flight);
        const value: MemoryEntry = { bytes: reply.bytes, width: reply.width, height: reply.height, format: 'png', key };
        this.#store(memoryKey, key, value);
        this.#endFlight(memoryKey, flight);
        return { value, source: 'render' as const };
      },
      (error: unknown) => {
        this.#endFlight(memoryKey, flight);
        throw error;
      },
    );
    this.#flights.set(memoryKey, flight);
    return flight;
  }

  /** Forgets a settled flight (unless a newer one for the same key replaced it). */
  #endFlight(memoryKey: MemoryKey, flight: Flight): void {
    if (this.#flights.get(memoryKey) === flight) this.#flights.delete(memoryKey);
  }

  /** WebP: sharp on the main thread (it encodes on libuv's pool) from the RGBA the worker sent. */
  async #finishWebp(memoryKey: MemoryKey, key: string, reply: WorkerSuccess, flight: Flight): Promise<{ value: MemoryEntry; source: 'render' }> {
    const metrics = this.metrics;
    const timed = metrics.instrumentation;
    try {
      const start = timed ? performance.now() : 0;
      const bytes = await encodeWebpLossless(reply.bytes, reply.width, reply.height);
      if (timed) metrics.observe('encode', (performance.now() - start) / 1000);
      const value: MemoryEntry = { bytes, width: reply.width, height: reply.height, format: 'webp', key };
      this.#store(memoryKey, key, value);
      return { value, source: 'render' };
    } finally {
      this.#endFlight(memoryKey, flight);
    }
  }

  /** Counts and times one rendered thumbnail (the worker's stage timings; the wait is the rest). */
  #noteRendered(key: string, request: NormalizedRequest, reply: WorkerSuccess, queued: number): void {
    const metrics = this.metrics;
    metrics.rendered++;
    if (!metrics.instrumentation) return;
    const elapsed = (performance.now() - queued) / 1000;
    metrics.observe('decode', reply.decodeSeconds);
    if (reply.kind === 'png') metrics.observe('encode', reply.encodeSeconds);
    metrics.observe('queue_wait', Math.max(0, elapsed - reply.decodeSeconds - reply.encodeSeconds));
    this.#logger.debug({ key, offset: request.block.offset, decodeSeconds: reply.decodeSeconds, encodeSeconds: reply.encodeSeconds }, 'thumbnail rendered');
  }

  /** Keeps a finished thumbnail: the disk level in the background, then the memory level. */
  #store(memoryKey: MemoryKey, key: string, value: MemoryEntry): void {
    const metrics = this.metrics;
    const timed = metrics.instrumentation;
    const disk = this.#disk;
    if (disk) {
      // Written in the background on libuv's pool, not in a worker: on this storage a create +
      // rename measured ~3 ms under load, which would idle a CPU worker (see ARCHITECTURE.md).
      // close() waits for it. A full or read-only disk must not fail the thumbnail: it is still
      // correct, just not kept.
      const start = timed ? performance.now() : 0;
      disk.writeInBackground(key, value, (error) => {
        if (error) this.#logger.warn({ err: error, key }, 'could not write thumbnail cache entry');
        if (timed) metrics.observe('cache_write_disk', (performance.now() - start) / 1000);
      });
    }
    this.#memory.set(memoryKey, value);
  }

  #countFailure(error: unknown): void {
    if (error instanceof AbortedError) this.metrics.cancelled++;
    else this.metrics.countError(error instanceof RomgfxError ? error.code : 'ERR_INTERNAL');
  }
}

/** Waits for a shared flight on behalf of one caller; the flight is cancelled only when every caller has left. */
type FlightResult = Awaited<Flight['promise']>;

function waitForFlight(flight: Flight, signal: AbortSignal | undefined): Promise<FlightResult> {
  if (signal?.aborted) return Promise.reject(new AbortedError('the thumbnail request was cancelled'));
  // Every caller counts, including those without a signal (they never leave early).
  flight.waiters++;
  if (!signal) return flight.promise;
  return new Promise<FlightResult>((resolve, reject) => {
    const onAbort = (): void => {
      flight.waiters--;
      if (flight.waiters === 0) flight.controller?.abort();
      reject(new AbortedError('the thumbnail request was cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    flight.promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function asRomgfxError(error: unknown): RomgfxError {
  if (error instanceof RomgfxError) return error;
  return new InternalError(`unexpected failure: ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error });
}
