/**
 * Compressed sprite sheets that are mostly empty cells (src/scan/sparse-sheet.ts, issue 19):
 * scored on their drawn tiles, while fills-only streams, one tile repeated, and drawn tiles
 * scattered one by one among zero fills (code read as a stream) stay out.
 */
import { describe, expect, test } from 'vitest';
import { getCodec } from '../../src/codecs/index.js';
import { getTileFormat } from '../../src/gfx/index.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { scanRomReport } from '../../src/scan/index.js';
import { GraphicsScorer, repeatedTileFactor } from '../../src/scan/score.js';
import { sparseSheetDrawnTiles, sparseSheetScore } from '../../src/scan/sparse-sheet.js';
import { realArtCodecRom } from './helpers/real-planted.js';
import { codeLikeFiller, spriteTiles } from './helpers/sprite-art.js';

const snes4bpp = getTileFormat('snes4bpp');
const cellsPerRow = 16;
const tileSize = snes4bpp.bytesPerTile;

/**
 * A SNES OBJ sheet `rows` rows of 16 cells, all empty except 16×16 sprites (cells n, n+1, n+16,
 * n+17) at the given top-left cells, drawn from `art` (4 tiles per sprite, row-major 2×2).
 */
function sheet(rows: number, spriteCells: readonly number[], art: Uint8Array): Uint8Array {
  const out = new Uint8Array(rows * cellsPerRow * tileSize);
  spriteCells.forEach((cell, s) => {
    const cells = [cell, cell + 1, cell + cellsPerRow, cell + cellsPerRow + 1];
    cells.forEach((c, k) => out.set(art.subarray((s * 4 + k) * tileSize, (s * 4 + k + 1) * tileSize), c * tileSize));
  });
  return out;
}

/** Cells of `tiles` not all zero. */
function drawnCells(tiles: Uint8Array): number {
  let drawn = 0;
  for (let at = 0; at < tiles.length; at += tileSize) if (tiles.subarray(at, at + tileSize).some((b) => b !== 0)) drawn++;
  return drawn;
}

/** Code-like filler with `stream` at `at`; returns the ROM bytes. */
function inCode(stream: Uint8Array, at: number, size = 0x10000): Uint8Array {
  const bytes = codeLikeFiller(size, 77);
  bytes.set(stream, at);
  return bytes;
}

async function lcLz1Candidates(bytes: Uint8Array) {
  const report = await scanRomReport(romFromBytes(bytes, { name: 'sparse.sfc', platform: 'snes' }), { cache: false, workers: 0, codecs: ['lc-lz1'] });
  return report.candidates;
}

describe('sparse sprite sheets in compressed streams', () => {
  test('the real-art SNES fixture: its LC_LZ1 slice of 3 drawn tiles among 49 empty cells is found, and no stray candidate', async () => {
    const fixture = realArtCodecRom('snes', 1);
    const report = await scanRomReport(romFromBytes(fixture.bytes, { name: 'real-snes', platform: 'snes' }), { cache: false, workers: 0 });
    const key = (c: { codec: string; offset: number; packedLength: number }) => `${c.codec}@${c.offset}+${c.packedLength}`;
    const found = new Set(report.candidates.map(key));
    const sparse = fixture.planted.find((p) => p.codec === 'lc-lz1' && p.offset === 113690);
    expect(sparse, 'the fixture still plants the sparse LC_LZ1 slice').toBeDefined();
    expect(found.has(key(sparse!))).toBe(true);
    const stray = report.candidates.filter((c) => !fixture.planted.some((p) => c.offset < p.offset + p.packedLength && p.offset < c.offset + c.packedLength));
    expect(stray.map(key)).toEqual([]);
    // The fixture's konami1 slice (223873+40) is 1,248 zero bytes, all fills: no drawn tile, so it
    // stays missed by design (a fills-only stream carries no evidence of art).
    const blankSlice = fixture.planted.find((p) => p.codec === 'konami1' && p.offset === 223873);
    if (blankSlice !== undefined) {
      const out = getCodec('konami1').decompress(fixture.bytes, blankSlice.offset).data;
      expect(out.every((b) => b === 0)).toBe(true);
      expect(found.has(key(blankSlice))).toBe(false);
    }
  }, 60000);

  test('a synthetic sheet of three 16×16 sprites in 64 cells (from cell 0, and after two empty cells), LC_LZ1 in 65816-like code, is found though its block score is under the bar', async () => {
    const art = spriteTiles('snes4bpp', 12, 31);
    const tiles = sheet(4, [0, 6, 36], art);
    const scorer = new GraphicsScorer();
    // Without the sparse-sheet rule the stream scores under the default bar (0.5): 52 of 64 cells blank.
    const plain = scorer.best(tiles, [snes4bpp]);
    expect(plain!.score * repeatedTileFactor(plain!.statistics)).toBeLessThan(0.5);
    const sheetScore = sparseSheetScore(tiles, [snes4bpp], scorer);
    expect(sheetScore!.drawnTiles).toBe(drawnCells(tiles));
    expect(sheetScore!.drawnTiles).toBeGreaterThanOrEqual(8);
    expect(sheetScore!.score).toBeGreaterThanOrEqual(0.5);
    const stream = getCodec('lc-lz1').compress(tiles);
    expect(tiles.length / stream.length).toBeGreaterThan(4);
    const at = 0x4321;
    const candidates = await lcLz1Candidates(inCode(stream, at));
    expect(candidates.map((c) => `${c.offset}+${c.packedLength}`)).toContain(`${at}+${stream.length}`);
    // The same sprites from the third cell: the sheet opens with two empty cells.
    const later = getCodec('lc-lz1').compress(sheet(4, [2, 6, 36], art));
    const laterCandidates = await lcLz1Candidates(inCode(later, at));
    expect(laterCandidates.map((c) => `${c.offset}+${c.packedLength}`)).toContain(`${at}+${later.length}`);
  }, 30000);

  test('a fills-only stream (all empty cells) and one drawn tile repeated over a sheet are not reported', async () => {
    const empty = new Uint8Array(64 * tileSize);
    const scorer = new GraphicsScorer();
    expect(sparseSheetDrawnTiles(empty, snes4bpp, scorer)).toBeNull();
    const one = spriteTiles('snes4bpp', 1, 5);
    const repeated = new Uint8Array(64 * tileSize);
    for (const cell of [2, 3, 18, 19, 6, 7, 22, 23, 36, 37, 52, 53]) repeated.set(one, cell * tileSize);
    expect(sparseSheetScore(repeated, [snes4bpp], scorer)!.score).toBeLessThan(0.5);
    const codec = getCodec('lc-lz1');
    const streams = [codec.compress(empty), codec.compress(repeated)];
    const bytes = inCode(streams[0]!, 0x2000);
    bytes.set(streams[1]!, 0x8000);
    const candidates = await lcLz1Candidates(bytes);
    expect(candidates.filter((c) => (c.offset >= 0x2000 - 64 && c.offset < 0x2000 + 64) || (c.offset >= 0x8000 - 64 && c.offset < 0x8000 + 64))).toEqual([]);
  }, 30000);

  test('drawn tiles scattered one by one among empty cells (code read as a stream) are not a sheet', () => {
    const art = spriteTiles('snes4bpp', 12, 31);
    const scattered = new Uint8Array(64 * tileSize);
    // The same drawn tiles as the synthetic sheet, none beside another.
    for (let k = 0; k < 12; k++) scattered.set(art.subarray(k * tileSize, (k + 1) * tileSize), (k * 5 + 1) * tileSize);
    const scorer = new GraphicsScorer();
    expect(sparseSheetDrawnTiles(scattered, snes4bpp, scorer)).toBeNull();
    // A one-colour tile that is not colour 0 is a fill of another value, not an empty cell.
    const filled = sheet(4, [0, 6, 36], art);
    filled.fill(0xff, 40 * tileSize, 41 * tileSize);
    expect(sparseSheetDrawnTiles(filled, snes4bpp, scorer)).toBeNull();
    // And the side-by-side sheet itself is one.
    const sideBySide = sheet(4, [0, 6, 36], art);
    expect(sparseSheetDrawnTiles(sideBySide, snes4bpp, scorer)!.length).toBe(drawnCells(sideBySide) * tileSize);
  });
});
