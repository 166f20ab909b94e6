/**
 * scanRom: find compressed and raw graphics in a ROM.
 *
 * The range of stream starts is cut into chunks per codec; chunks run on the scan worker pool
 * (each worker maps the ROM) or, with `workers: 0`, in this thread. Each chunk returns the
 * streams that decode cleanly and score as graphics; the collapse then keeps one candidate per
 * block (collapse.ts). Results are cached per ROM identity, options and engine version.
 */
import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { getCodec, hasCodec } from '../codecs/index.js';
import { AbortedError, ScanOptionError } from '../errors.js';
import { getTileFormat } from '../gfx/index.js';
import type { Platform } from '../rom/platform.js';
import { openRom, type Rom } from '../rom/rom.js';
import { defaultScanCacheDirectory, readScanCache, writeScanCache } from './cache.js';
import { scanChunk, type ChunkTask } from './chunk.js';
import { keepIndexedMaps } from './codec-streams.js';
import { collapseCandidates } from './collapse.js';
import { classifyCandidateKinds, findAdjacentPalettes } from './kind.js';
import { findNesPalettes } from './nes-palettes.js';
import { findNesRleNametables } from './nes-nametables.js';
import { findCgramLoadedPalettes } from './snes-cgram.js';
import { maximumScanWorkers, sharedScanPool } from './pool.js';
import { GraphicsScorer, defaultFormatsByPlatform } from './score.js';
import { applySgdkDeclarations, isSgdkDeclared } from './sgdk.js';
import { scanCodecNames, type NormalizedScanOptions, type ScanCandidate, type ScanCodec, type ScanControl, type ScanOptions, type ScanReport } from './types.js';

/** Stream starts per chunk: 16 chunks per codec in a 4 MiB ROM, enough to keep 2–4 workers evenly busy. */
export const scanChunkSizeInBytes = 256 * 1024;
/** The minimum for ROMs of no known platform (and the largest of the platforms' defaults). */
export const defaultMinimumUnpackedSizeInBytes = 512;
/**
 * Smallest block reported by default, per platform. 8-bit handhelds and consoles load small
 * tile sets: GB/GBC VRAM holds 384 tiles and games load fonts, digits and HUD parts of 5–25 tiles
 * (80–400 bytes) at a time; the NES loads CHR-RAM the same way (CHR-ROM is reported from the
 * header whatever its size). The Mega Drive's borders and small HUD sets are 4–8 tiles of 32
 * bytes. SNES and GBA sets are larger (4bpp, more VRAM), and below 256 bytes (8 4bpp tiles) a
 * block in code is as likely chance as art.
 */
export const defaultMinimumUnpackedSizeByPlatform: Readonly<Record<Platform, number>> = { gb: 128, gbc: 128, nes: 128, md: 128, snes: 256, gba: 256, unknown: defaultMinimumUnpackedSizeInBytes };
/** Smallest allowed minimum: below one 8bpp tile there is nothing to score. */
export const smallestMinimumUnpackedSizeInBytes = 64;
export const largestMinimumUnpackedSizeInBytes = 16 * 1024 * 1024;
/** The lowest graphics score a scan reports by default (0 = noise, 1 = clearly tiles). */
export const defaultMinimumScore = 0.5;
/** Below this size a ROM is scanned in-process by default: starting workers costs more than they save. */
export const inProcessScanThresholdInBytes = 256 * 1024;
/** Default worker count cap. */
export const maximumDefaultScanWorkers = 4;

/**
 * Codecs tried by default per platform, by registry name: the ones games and homebrew toolchains
 * on that console used, plus raw tiles. Names not registered yet (or that the scan cannot look
 * for yet) are skipped at scan time (`defaultScanCodecs`), so a codec joins its platforms'
 * defaults the day it lands in the registry: SNES's Nintendo/HAL-style `lc-lz1/2/5` (Lunar
 * Compress numbering), GB's `lc-lz3`, the Mega Drive's `nemesis`,
 * `kosinski` and SGDK's `lz4w`, neslib's `rle-neslib` nametables.
 */
export const defaultCodecsByPlatform: Readonly<Record<Platform, readonly string[]>> = {
  // Codec-stream defaults (issue 15; codec-streams.ts): SNES adds konami1 (Gradius III, Contra
  // III, Axelay); the Mega Drive adds Kosinski Moduled (S3K), Comper (hacks), Saxman (Sonic 2)
  // and Enigma (plane maps). Saxman's copies from before the output must come from a slot an
  // encoder uses (saxman-copies.ts); Enigma streams must sit at even addresses, decode to a
  // plane-shaped map and be zero-padded after their terminator. Without those rules the two
  // reported 28 and 17 false candidates on tictactoe-md; with them, none. GB adds Gen-1
  // pictures (`gen1-pic`, Pokémon Red/Blue/Yellow): their packets accept any bits, so only
  // streams written as encoders write them count (no empty data packet, zero bits after the
  // end), packed smaller than their tiles, decoding to a figure on a blank border
  // (codec-streams.ts); without those rules, 33–41 false candidates per MiB of random bytes.
  snes: ['hal', 'lz4', 'lc-lz1', 'lc-lz2', 'lc-lz5', 'konami1', 'raw'],
  gb: ['hal', 'pb16', 'lz4', 'lc-lz3', 'gen1-pic', 'raw'],
  gbc: ['hal', 'pb16', 'lz4', 'lc-lz3', 'gen1-pic', 'raw'],
  gba: ['lz77', 'lz11', 'rle', 'lz4', 'raw'],
  nes: ['hal', 'lz4', 'rle-neslib', 'raw'],
  md: ['lz4', 'lz4w', 'nemesis', 'kosinski', 'kosinski-moduled', 'comper', 'saxman', 'enigma', 'raw'],
  unknown: ['hal', 'lz77', 'lz11', 'rle', 'lz4', 'pb16', 'raw'],
};

/** Whether the scan can look for `name` now: raw, or a registered codec the chunk scan knows how to find. */
export function scannableCodec(name: string): name is ScanCodec {
  return name === 'raw' || ((scanCodecNames as readonly string[]).includes(name) && hasCodec(name));
}

/** The platform's default codecs that can be scanned now (see defaultCodecsByPlatform). */
export function defaultScanCodecs(platform: Platform): ScanCodec[] {
  return defaultCodecsByPlatform[platform].filter(scannableCodec);
}

/** Fills defaults and checks every option against the ROM. */
export function normalizeScanOptions(rom: Pick<Rom, 'platform' | 'size'>, options: ScanOptions = {}): NormalizedScanOptions {
  const codecs = options.codecs === undefined ? defaultScanCodecs(rom.platform) : [...new Set(options.codecs)];
  if (codecs.length === 0) throw new ScanOptionError('codecs', 'name at least one codec');
  for (const codec of codecs) {
    if (!(scanCodecNames as readonly string[]).includes(codec) && !isRegisteredProbeCodec(codec)) {
      throw new ScanOptionError('codecs', `unknown codec "${codec}"; known: ${scanCodecNames.join(', ')}, all, or a registered codec with a probe`, { codec });
    }
  }
  // Built-ins in their fixed order, then registered codecs by name.
  const rank = (codec: string): number => {
    const index = (scanCodecNames as readonly string[]).indexOf(codec);
    return index < 0 ? scanCodecNames.length : index;
  };
  codecs.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const formatNames = options.formats === undefined ? [...defaultFormatsByPlatform[rom.platform]] : [...options.formats];
  if (formatNames.length === 0) throw new ScanOptionError('formats', 'name at least one tile format');
  // Canonical names, so aliases share a cache entry.
  const formats = [...new Set(formatNames.map((name) => getTileFormat(name).name))];
  const minimumUnpackedSize = options.minimumUnpackedSize ?? defaultMinimumUnpackedSizeByPlatform[rom.platform];
  if (!Number.isSafeInteger(minimumUnpackedSize) || minimumUnpackedSize < smallestMinimumUnpackedSizeInBytes || minimumUnpackedSize > largestMinimumUnpackedSizeInBytes) {
    throw new ScanOptionError('minimumUnpackedSize', `must be an integer from ${smallestMinimumUnpackedSizeInBytes} to ${largestMinimumUnpackedSizeInBytes} bytes (got ${minimumUnpackedSize})`);
  }
  const minimumScore = options.minimumScore ?? defaultMinimumScore;
  if (typeof minimumScore !== 'number' || !(minimumScore >= 0 && minimumScore <= 1)) throw new ScanOptionError('minimumScore', `must be a number from 0 to 1 (got ${minimumScore})`);
  const start = options.range?.start ?? 0;
  const end = options.range?.end ?? rom.size;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end > rom.size || start >= end) {
    throw new ScanOptionError('range', `must be offsets with 0 <= start < end <= ${rom.size} (the ROM size); got ${start}-${end}`, { start, end, size: rom.size });
  }
  return { platform: rom.platform, codecs, formats, minimumUnpackedSize, minimumScore, start, end };
}

/** The chunk tasks of a scan: codec by codec, range by range. */
export function planChunks(options: NormalizedScanOptions, chunkSize = scanChunkSizeInBytes): { codec: ScanCodec; start: number; end: number }[] {
  const chunks: { codec: ScanCodec; start: number; end: number }[] = [];
  for (const codec of options.codecs) {
    for (let start = options.start; start < options.end; start += chunkSize) chunks.push({ codec, start, end: Math.min(options.end, start + chunkSize) });
  }
  return chunks;
}

/** A codec added with `registerCodec` that the scanner can walk: it has a `probe`. */
function isRegisteredProbeCodec(name: string): boolean {
  return name !== 'none' && hasCodec(name) && typeof getCodec(name).probe === 'function';
}

function defaultWorkerCount(size: number): number {
  if (size < inProcessScanThresholdInBytes) return 0;
  return Math.max(1, Math.min(availableParallelism(), maximumDefaultScanWorkers));
}

/** Candidates found, ranked best first. */
export async function scanRom(input: string | Rom, options: ScanOptions = {}, control: ScanControl = {}): Promise<ScanCandidate[]> {
  return (await scanRomReport(input, options, control)).candidates;
}

/** The same, with how the result was obtained (cache, counts, time). */
export async function scanRomReport(input: string | Rom, options: ScanOptions = {}, control: ScanControl = {}): Promise<ScanReport> {
  const started = performance.now();
  const signal = control.signal;
  if (signal?.aborted) throw new AbortedError('the scan was cancelled');
  const rom = typeof input === 'string' ? openRom(input, { allowUnknown: true }) : input;
  const path = typeof input === 'string' ? input : rom.source.path;
  const normalized = normalizeScanOptions(rom, options);
  const identity = rom.identity();
  const romSummary = { name: rom.name, platform: rom.platform, size: rom.size, sha1: identity.sha1, crc32: identity.crc32 };
  const useCache = options.cache ?? true;
  const cacheDirectory = options.cacheDirectory ?? defaultScanCacheDirectory();
  const offsetsTried = (normalized.end - normalized.start) * normalized.codecs.length;

  if (useCache) {
    const cached = readScanCache(cacheDirectory, identity.sha1, normalized);
    if (cached) {
      control.onProgress?.({ done: offsetsTried, total: offsetsTried });
      return { candidates: cached.candidates, cached: true, offsetsTried: cached.offsetsTried, decodedCandidates: cached.decodedCandidates, elapsedMs: performance.now() - started, options: normalized, rom: romSummary };
    }
  }

  // Workers import the registry afresh: a codec registered only in this thread is scanned here.
  const onlyBuiltIns = normalized.codecs.every((codec) => (scanCodecNames as readonly string[]).includes(codec));
  let workers = options.workers ?? (onlyBuiltIns ? defaultWorkerCount(rom.size) : 0);
  if (!Number.isSafeInteger(workers) || workers < 0 || workers > maximumScanWorkers) throw new ScanOptionError('workers', `must be an integer from 0 to ${maximumScanWorkers} (got ${workers})`);
  // Workers map the ROM from its file; bytes held only in memory are scanned here.
  if (path === null) workers = 0;

  const chunks = planChunks(normalized);
  const found: ScanCandidate[] = [];
  let decoded = 0;
  let done = 0;
  const report = (length: number): void => {
    done += length;
    control.onProgress?.({ done, total: offsetsTried });
  };
  control.onProgress?.({ done: 0, total: offsetsTried });

  if (workers === 0) {
    const scorer = new GraphicsScorer();
    const formats = normalized.formats.map((name) => getTileFormat(name));
    const checkCancel = (): void => {
      if (signal?.aborted) throw new AbortedError('the scan was cancelled');
    };
    for (const chunk of chunks) {
      checkCancel();
      // A file rewritten or truncated under the scan: stop rather than report what it no longer holds.
      rom.assertUnchanged();
      const task: ChunkTask = { ...chunk, platform: rom.platform, formats, minimumUnpackedSize: normalized.minimumUnpackedSize, minimumScore: normalized.minimumScore };
      const result = scanChunk(rom.data, task, scorer, checkCancel);
      found.push(...result.candidates);
      decoded += result.decoded;
      report(chunk.end - chunk.start);
      // Let timers, progress output and abort signals run between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } else {
    const pool = sharedScanPool(workers);
    // A failed or cancelled scan stops the others' chunks: abort them through one controller.
    const controller = new AbortController();
    // Every chunk task listens on it (Piscina adds one listener per task).
    setMaxListeners(chunks.length + 1, controller.signal);
    const forward = (): void => controller.abort();
    signal?.addEventListener('abort', forward, { once: true });
    try {
      await Promise.all(
        chunks.map(async (chunk) => {
          const result = await pool.run(
            {
              path: path!,
              platform: rom.platform,
              sha1: identity.sha1,
              codec: chunk.codec,
              start: chunk.start,
              end: chunk.end,
              formats: normalized.formats,
              minimumUnpackedSize: normalized.minimumUnpackedSize,
              minimumScore: normalized.minimumScore,
            },
            controller.signal,
          );
          found.push(...result.candidates);
          decoded += result.decoded;
          report(chunk.end - chunk.start);
        }),
      );
    } catch (error) {
      controller.abort();
      if (signal?.aborted) throw new AbortedError('the scan was cancelled');
      // A worker that found another file (a SHA-1 mismatch) saw the file change: say that.
      rom.assertUnchanged();
      throw error;
    } finally {
      signal?.removeEventListener('abort', forward);
    }
  }

  // Workers read the file too: whatever they saw, the file must still be the one identified above.
  rom.assertUnchanged();
  // Ranked by score (best first), ties by offset.
  // Codec maps no tile block found could index are dropped before the collapse too, so that one
  // cannot win the bytes of a real stream and then be dropped, taking the stream with it.
  const bytesPerTileOf = (format: string) => getTileFormat(format).bytesPerTile;
  // Streams SGDK structures declare win their bytes and keep the structure's kind (sgdk.ts).
  const declared = (c: ScanCandidate) => isSgdkDeclared(rom.data, rom.platform, c);
  const classified = keepIndexedMaps(rom.data, applySgdkDeclarations(rom.data, rom.platform, classifyCandidateKinds(rom.data, rom.platform, collapseCandidates(keepIndexedMaps(rom.data, found, bytesPerTileOf), declared))), bytesPerTileOf);
  // Palettes the code loads into CGRAM come first: the code gives their start and length, so a
  // run of colours beside a tile block that overlaps one is that palette read less exactly.
  // The range says where blocks may start: a palette loaded from elsewhere is outside it.
  const loaded = findCgramLoadedPalettes(rom.data, rom.platform, classified).filter((c) => c.offset >= normalized.start && c.offset < normalized.end);
  // NES nametables named by their unpacker call (nes-nametables.ts) replace what overlaps them.
  // They are rle-neslib streams, which no sweep looks for (RLE decodes almost any bytes), so a scan
  // reports them when it asks for that codec or for the platform's defaults (which name it); the
  // answer depends on the normalised options alone, as the cache key does.
  const defaults = defaultScanCodecs(rom.platform);
  const wantsNametables = (normalized.codecs as readonly string[]).includes('rle-neslib') || (normalized.codecs.length === defaults.length && defaults.every((codec) => normalized.codecs.includes(codec)));
  const nametables = wantsNametables ? findNesRleNametables(rom.data, rom.platform, normalized.start, normalized.end) : [];
  const overlapsNametable = (c: ScanCandidate): boolean => nametables.some((n) => c.offset < n.offset + n.packedLength && n.offset < c.offset + c.packedLength);
  const withLoaded = [...classified.filter((c) => !overlapsNametable(c)), ...loaded.filter((c) => !overlapsNametable(c)), ...nametables];
  const candidates = [...withLoaded, ...findAdjacentPalettes(rom.data, rom.platform, withLoaded), ...findNesPalettes(rom.data, rom.platform, withLoaded, normalized.start, normalized.end)].sort((a, b) => b.score - a.score || a.offset - b.offset);
  if (useCache) writeScanCache(cacheDirectory, identity.sha1, normalized, { candidates, decodedCandidates: decoded, offsetsTried });
  return { candidates, cached: false, offsetsTried, decodedCandidates: decoded, elapsedMs: performance.now() - started, options: normalized, rom: romSummary };
}
