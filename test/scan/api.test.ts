/** scanRom's options, cache, progress and cancellation (in-process; workers are tested on dist/ in workers.test.ts). */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { romFromBytes } from '../../src/rom/rom.js';
import { AbortedError, ScanOptionError, UnknownTileFormatError } from '../../src/errors.js';
import { normalizeScanOptions, planChunks, scanRom, scanRomReport } from '../../src/scan/index.js';
import { scanCacheKey } from '../../src/scan/cache.js';
import { scanCandidatesToDefinition } from '../../src/scan/defs.js';
import { parseGameDefinition } from '../../src/defs/index.js';
import { plantedSnesRom } from './helpers/planted.js';
import { tempDir } from '../helpers/cli.js';

const fixture = plantedSnesRom(5, 512 * 1024, 8, 2);
const rom = romFromBytes(fixture.bytes, { name: 'api-fixture' });
let dir: { path: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir('romgfx-scan-cache-');
});
afterEach(() => dir.cleanup());

describe('options', () => {
  test('defaults follow the platform; names are checked', () => {
    const o = normalizeScanOptions(rom);
    expect(o.codecs).toEqual(['hal', 'lz4', 'raw', 'lc-lz1', 'lc-lz2', 'lc-lz5', 'konami1']);
    expect(o.formats).toContain('snes4bpp');
    expect(o.start).toBe(0);
    expect(o.end).toBe(rom.size);
    expect(normalizeScanOptions(rom, { formats: ['snes2bpp'] }).formats).toEqual(['gb2bpp']);
    expect(() => normalizeScanOptions(rom, { codecs: ['zip' as never] })).toThrow(ScanOptionError);
    expect(() => normalizeScanOptions(rom, { codecs: [] })).toThrow(ScanOptionError);
    expect(() => normalizeScanOptions(rom, { formats: ['snes5bpp'] })).toThrow(UnknownTileFormatError);
    expect(() => normalizeScanOptions(rom, { range: { start: 10, end: 5 } })).toThrow(ScanOptionError);
    expect(() => normalizeScanOptions(rom, { range: { start: 0, end: rom.size + 1 } })).toThrow(ScanOptionError);
    expect(() => normalizeScanOptions(rom, { minimumUnpackedSize: 3 })).toThrow(ScanOptionError);
    expect(() => normalizeScanOptions(rom, { minimumScore: 1.5 })).toThrow(ScanOptionError);
  });

  test('chunks cover the range once per codec', () => {
    const o = normalizeScanOptions(rom, { codecs: ['hal', 'raw'], range: { start: 100, end: 600_000 > rom.size ? rom.size : 600_000 } });
    const chunks = planChunks(o, 100_000);
    for (const codec of ['hal', 'raw'] as const) {
      const mine = chunks.filter((c) => c.codec === codec);
      expect(mine[0]!.start).toBe(100);
      expect(mine.at(-1)!.end).toBe(o.end);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.start).toBe(mine[i - 1]!.end);
    }
  });

  test('a range restricts stream starts: a stream starting before it is not reported', async () => {
    const hal = fixture.planted.filter((p) => p.codec === 'hal');
    const target = hal[3]!;
    const candidates = await scanRom(rom, { workers: 0, cache: false, codecs: ['hal'], range: { start: target.offset, end: target.offset + 1 } });
    expect(candidates.map((c) => [c.offset, c.packedLength])).toEqual([[target.offset, target.packedLength]]);
    const after = await scanRom(rom, { workers: 0, cache: false, codecs: ['hal'], range: { start: target.offset + 1, end: target.offset + target.packedLength } });
    expect(after.some((c) => c.offset === target.offset)).toBe(false);
  });
});

describe('cache', () => {
  test('a second scan is served from the cache, with the same result', async () => {
    const options = { workers: 0, cacheDirectory: dir.path, codecs: ['hal' as const] };
    const first = await scanRomReport(rom, options);
    expect(first.cached).toBe(false);
    expect(readdirSync(dir.path)).toHaveLength(1);
    const second = await scanRomReport(rom, options);
    expect(second.cached).toBe(true);
    expect(second.candidates).toEqual(first.candidates);
    // Other options are another entry.
    const third = await scanRomReport(rom, { ...options, minimumScore: 0.6 });
    expect(third.cached).toBe(false);
    expect(readdirSync(dir.path)).toHaveLength(2);
  });

  test('a corrupt or foreign entry is a miss and is replaced', async () => {
    const options = { workers: 0, cacheDirectory: dir.path, codecs: ['hal' as const] };
    const first = await scanRomReport(rom, options);
    const key = scanCacheKey(rom.identity().sha1, first.options);
    const path = join(dir.path, `${key}.json`);
    for (const damage of ['{"layout":1,', JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), sha1: '0'.repeat(40) }), JSON.stringify({ layout: 1, candidates: [{ offset: -1 }] })]) {
      writeFileSync(path, damage);
      const again = await scanRomReport(rom, options);
      expect(again.cached).toBe(false);
      expect(again.candidates).toEqual(first.candidates);
      expect(JSON.parse(readFileSync(path, 'utf8')).sha1).toBe(rom.identity().sha1);
    }
  });

  test('cache: false neither reads nor writes', async () => {
    await scanRomReport(rom, { workers: 0, cacheDirectory: dir.path, cache: false, codecs: ['raw'] });
    expect(readdirSync(dir.path)).toHaveLength(0);
  });
});

describe('progress and cancellation', () => {
  test('progress rises to the total', async () => {
    const seen: number[] = [];
    let total = 0;
    await scanRom(rom, { workers: 0, cache: false, codecs: ['hal', 'raw'] }, { onProgress: (p) => (seen.push(p.done), (total = p.total)) });
    expect(total).toBe(rom.size * 2);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen.at(-1)).toBe(total);
  });

  test('an aborted signal stops the scan with AbortedError (before and during)', async () => {
    await expect(scanRom(rom, { workers: 0, cache: false }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortedError);
    const controller = new AbortController();
    const pending = scanRom(rom, { workers: 0, cache: false, cacheDirectory: dir.path }, { signal: controller.signal, onProgress: (p) => p.done > 0 && controller.abort() });
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(readdirSync(dir.path)).toHaveLength(0);
  });
});

describe('game definition seed', () => {
  test('scan results become a definition that parseGameDefinition accepts', async () => {
    const candidates = await scanRom(rom, { workers: 0, cache: false });
    expect(candidates.length).toBeGreaterThanOrEqual(fixture.planted.length);
    const json = scanCandidatesToDefinition(rom, candidates, { id: 'planted-snes' });
    const definition = parseGameDefinition(JSON.parse(JSON.stringify(json)), 'seed.json');
    expect(definition.platform).toBe('snes');
    expect(definition.variants[0]!.sha1).toBe(rom.identity().sha1);
    expect(definition.sprites).toHaveLength(candidates.length);
    for (const p of fixture.planted) {
      const sprite = definition.sprites.find((s) => s.offset.value === p.offset)!;
      expect(sprite.codec).toBe(p.codec === 'raw' ? 'none' : p.codec);
      expect(sprite.storedLength).toBe(p.packedLength);
    }
  });

  test('an unidentified ROM cannot seed a definition', () => {
    const unknown = romFromBytes(new Uint8Array(4096), { allowUnknown: true, name: 'blob.bin' });
    expect(() => scanCandidatesToDefinition(unknown, [])).toThrow(ScanOptionError);
  });
});
