/**
 * Scan results on disk, keyed by what decides them: the ROM's identity (SHA-1 of its data), the
 * normalised scan options and the engine version. A second scan of the same ROM with the same
 * options reads one small JSON file. Entries are written atomically; an entry that does not
 * parse or does not hold what its key says is a miss (and is overwritten by the next scan).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDirectory } from '../thumbs/disk-cache.js';
import { writeFileAtomic } from '../util/files.js';
import { sha256Hex } from '../util/hash.js';
import { ENGINE_VERSION } from '../version.js';
import { scanCodecNames, scanKinds, type NormalizedScanOptions, type ScanCandidate } from './types.js';

/** A cache entry larger than this is not one the scanner wrote (a ROM's candidates are a few hundred KiB at most). */
export const maximumScanCacheEntrySizeInBytes = 64 * 1024 * 1024;
/**
 * The revision of what a scan answers, part of every key: the package version alone does not
 * change between releases, and a cached answer from older rules would hide a changed rule (an
 * `--explain` that contradicts the scan). Bumped whenever the rules change any answer;
 * test/scan/corpus.test.ts records the corpus answers' fingerprint per revision and fails when the
 * answers change under the same revision. 2: candidates carry a kind, and the scan rules of issue
 * 19 (platform structure, fill splits) changed every answer. 3: streams and palettes the code
 * declares (GB calls, SNES CGRAM loads, NES palette loaders, SGDK structures), Gen-1 pictures by
 * default, sound and table data refused.
 */
export const scanResultsRevision = 3;

export interface CachedScan {
  candidates: ScanCandidate[];
  decodedCandidates: number;
  offsetsTried: number;
}

interface CacheFile extends CachedScan {
  layout: number;
  engine: string;
  sha1: string;
  options: NormalizedScanOptions;
}

/** `<romgfx cache dir>/scan` ($ROMGFX_CACHE_DIR, else $XDG_CACHE_HOME/romgfx, else ~/.cache/romgfx). */
export function defaultScanCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultCacheDirectory(env), 'scan');
}

export function scanCacheKey(sha1: string, options: NormalizedScanOptions): string {
  return sha256Hex(`romgfx-scan\0${scanResultsRevision}\0${ENGINE_VERSION}\0${sha1}\0${JSON.stringify(options)}`);
}

function entryPath(directory: string, key: string): string {
  return join(directory, `${key}.json`);
}

/** The cached result, or null on a miss (absent, unreadable, corrupt or for other inputs). */
export function readScanCache(directory: string, sha1: string, options: NormalizedScanOptions): CachedScan | null {
  const key = scanCacheKey(sha1, options);
  let text: string;
  try {
    const bytes = readFileSync(entryPath(directory, key));
    if (bytes.length > maximumScanCacheEntrySizeInBytes) return null;
    text = bytes.toString('utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isCacheFile(parsed) || parsed.sha1 !== sha1 || parsed.engine !== ENGINE_VERSION || JSON.stringify(parsed.options) !== JSON.stringify(options)) return null;
  return { candidates: parsed.candidates, decodedCandidates: parsed.decodedCandidates, offsetsTried: parsed.offsetsTried };
}

/** Stores a result (creating the folder); replaces an older entry for the same key. */
export function writeScanCache(directory: string, sha1: string, options: NormalizedScanOptions, result: CachedScan): string {
  mkdirSync(directory, { recursive: true });
  const file: CacheFile = { layout: scanResultsRevision, engine: ENGINE_VERSION, sha1, options, ...result };
  const path = entryPath(directory, scanCacheKey(sha1, options));
  writeFileAtomic(path, Buffer.from(JSON.stringify(file)), { force: true });
  return path;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isCandidate(value: unknown): value is ScanCandidate {
  if (value === null || typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  return (
    isCount(c.offset) &&
    isCount(c.packedLength) &&
    isCount(c.unpackedLength) &&
    typeof c.codec === 'string' &&
    (scanCodecNames as readonly string[]).includes(c.codec) &&
    typeof c.kind === 'string' &&
    (scanKinds as readonly string[]).includes(c.kind) &&
    typeof c.format === 'string' &&
    typeof c.score === 'number' &&
    c.score >= 0 &&
    c.score <= 1
  );
}

function isCacheFile(value: unknown): value is CacheFile {
  if (value === null || typeof value !== 'object') return false;
  const f = value as Record<string, unknown>;
  return (
    f.layout === scanResultsRevision &&
    typeof f.engine === 'string' &&
    typeof f.sha1 === 'string' &&
    isCount(f.decodedCandidates) &&
    isCount(f.offsetsTried) &&
    Array.isArray(f.candidates) &&
    f.candidates.every(isCandidate) &&
    f.options !== null &&
    typeof f.options === 'object'
  );
}
