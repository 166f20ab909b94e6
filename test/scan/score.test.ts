import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { GraphicsScorer, resolveFormats, defaultFormatsByPlatform } from '../../src/scan/score.js';
import { defaultMinimumScore } from '../../src/scan/scanner.js';
import { collapseCandidates } from '../../src/scan/collapse.js';
import { comparePrefixTiles } from '../../src/scan/chunk.js';
import { fillPseudoRandom } from '../../src/rom/build.js';
import { codeLikeFiller, spriteTiles } from './helpers/sprite-art.js';
import { fixture } from '../helpers/cli.js';
import type { ScanCandidate } from '../../src/scan/types.js';

const scorer = new GraphicsScorer();

describe('graphics score', () => {
  test.each([
    ['snes4bpp', 'snes'],
    ['gb2bpp', 'gb'],
    ['nes2bpp', 'nes'],
    ['gba4bpp', 'gba'],
    ['gba8bpp', 'gba'],
    ['md4bpp', 'md'],
    ['snes8bpp', 'snes'],
  ] as const)('drawn %s art scores above the threshold and reads as its own format among the %s formats', (format, platform) => {
    const formats = resolveFormats(defaultFormatsByPlatform[platform]);
    for (const seed of [1, 2, 3]) {
      const best = scorer.best(spriteTiles(format, 96, seed), formats);
      expect(best).not.toBeNull();
      expect(best!.score).toBeGreaterThan(defaultMinimumScore + 0.1);
      expect(resolveFormats([best!.format])[0]).toBe(resolveFormats([format])[0]);
    }
  });

  test('real game art (NES CHR of a homebrew game) reads as nes2bpp', () => {
    const best = scorer.best(readFileSync(fixture('roms', 'nes', 'full_game.chr')), resolveFormats(defaultFormatsByPlatform.nes));
    expect(best!.format).toBe('nes2bpp');
    expect(best!.score).toBeGreaterThan(defaultMinimumScore);
  });

  test('random bytes and 65816-like code score far below the threshold in every format', () => {
    const random = new Uint8Array(8192);
    fillPseudoRandom(random, 77);
    const formats = resolveFormats(defaultFormatsByPlatform.unknown);
    for (const bytes of [random, codeLikeFiller(8192, 3)]) {
      for (const format of formats) expect(scorer.score(bytes, format).score).toBeLessThan(defaultMinimumScore / 2);
    }
  });

  test('fills and one repeated tile are not art', () => {
    const formats = resolveFormats(defaultFormatsByPlatform.snes);
    expect(scorer.best(new Uint8Array(4096), formats)!.score).toBe(0);
    expect(scorer.best(new Uint8Array(4096).fill(0xaa), formats)!.score).toBe(0);
    const tile = spriteTiles('snes4bpp', 1, 5);
    const repeated = new Uint8Array(tile.length * 64);
    for (let i = 0; i < 64; i++) repeated.set(tile, i * tile.length);
    expect(scorer.best(repeated, formats)!.score).toBe(0);
  });

  test('statistics: blank tiles, distinct tiles, colours per tile, plane correlation', () => {
    const art = spriteTiles('snes4bpp', 64, 9);
    const s = scorer.statistics(art, resolveFormats(['snes4bpp'])[0]!);
    expect(s.tiles).toBe(64);
    expect(s.distinctTiles).toBeGreaterThan(16);
    expect(s.coloursPerTile).toBeGreaterThan(1);
    expect(s.coloursPerTile).toBeLessThan(8);
    expect(s.planeCorrelation).toBeGreaterThan(0.2);
    expect(s.repeatedRows).toBeGreaterThan(0);
  });
});

describe('collapse', () => {
  const c = (offset: number, packedLength: number, score: number, codec: ScanCandidate['codec'] = 'hal'): ScanCandidate => ({ offset, packedLength, unpackedLength: packedLength * 2, codec, kind: 'tiles', format: 'snes4bpp', score });

  test('keeps one candidate per overlapping set: the best explanation', () => {
    const real = c(1000, 800, 0.75);
    const prefix = c(997, 803, 0.55);
    const suffix = c(1040, 760, 0.6);
    const inside = c(1200, 40, 0.7);
    const elsewhere = c(5000, 300, 0.6);
    const kept = collapseCandidates([inside, suffix, prefix, real, elsewhere]);
    expect(kept).toEqual([real, elsewhere]);
  });

  test('a whole block beats a slightly better-scoring fragment of itself', () => {
    const whole = c(0x400, 3200, 0.74, 'raw');
    const fragment = c(0x800, 512, 0.76, 'raw');
    expect(collapseCandidates([fragment, whole])).toEqual([whole]);
  });

  test('touching ranges do not overlap', () => {
    const a = c(0, 100, 0.7);
    const b = c(100, 100, 0.6);
    expect(collapseCandidates([a, b])).toEqual([a, b]);
  });
});

describe('comparePrefixTiles (HAL: equal-length readings that differ in their first bytes)', () => {
  test('the reading whose first bytes are the art beats one whose first bytes are junk; other shapes compare equal', () => {
    const formats = resolveFormats(['snes4bpp', 'gb2bpp']);
    for (const seed of [1, 2, 3, 4, 5]) {
      const art = spriteTiles('snes4bpp', 32, seed);
      const junk = art.slice();
      junk.set([0x8b, 0x22, 0x23], 0);
      expect(comparePrefixTiles(art, junk, scorer, formats), `seed ${seed}`).toBeGreaterThan(0);
      expect(comparePrefixTiles(junk, art, scorer, formats), `seed ${seed}`).toBeLessThan(0);
      expect(comparePrefixTiles(art, art.slice(), scorer, formats)).toBe(0);
      expect(comparePrefixTiles(art, junk.subarray(1), scorer, formats)).toBe(0);
      const different = art.slice();
      different[5 * 32] = different[5 * 32]! ^ 0xff;
      expect(comparePrefixTiles(art, different, scorer, formats)).toBe(0);
    }
  });
});
