/**
 * Mega Drive code and data tables read as art: 68000 pointer tables read as raw 4bpp tiles
 * (raw.ts mdPointerTableTile) and tables of small signed numbers read as codec streams
 * (codec-streams.ts smallNumberOutput). The corpus game (tictactoe-md, SGDK) holds both: SGDK's
 * LZ4W unpacker dispatches through three longword jump tables, and the game's sound is signed
 * 8-bit PCM. The planted real-art fixture read both as art (7 stray candidates on MD).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getCodec } from '../../src/codecs/index.js';
import { getTileFormat } from '../../src/gfx/index.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { scanRom } from '../../src/scan/index.js';
import { smallNumberOutput } from '../../src/scan/codec-streams.js';
import { mdPointerTableTile } from '../../src/scan/raw.js';
import { GraphicsScorer } from '../../src/scan/score.js';
import { corpusDirectory, readCorpusTruth } from './helpers/corpus.js';

const corpusName = 'tictactoe-md.bin';
const corpusRom = new Uint8Array(readFileSync(join(corpusDirectory, corpusName)));
const truth = readCorpusTruth()[corpusName]!;
const md4bpp = getTileFormat('md4bpp');

/** The decoded tile art of the corpus game's truth blocks. */
function corpusArt(): Uint8Array[] {
  return truth.blocks
    .filter((b) => b.kind === 'tiles')
    .map((b) => (b.codec === 'none' ? corpusRom.slice(b.offset, b.offset + b.packedLength) : getCodec(b.codec).decompress(corpusRom, b.offset, { outputSizeInBytes: b.unpackedLength }).data));
}

/** `count` big-endian longwords `value(k)` (top byte 0). */
function longwordTable(count: number, value: (k: number) => number): Uint8Array {
  const bytes = new Uint8Array(count * 4);
  for (let k = 0; k < count; k++) {
    const v = value(k);
    bytes[4 * k + 1] = (v >> 16) & 0xff;
    bytes[4 * k + 2] = (v >> 8) & 0xff;
    bytes[4 * k + 3] = v & 0xff;
  }
  return bytes;
}

const overlaps = (c: { offset: number; packedLength: number }, start: number, end: number) => c.offset < end && start < c.offset + c.packedLength;

describe('68000 pointer tables are not raw tiles (mdPointerTableTile)', () => {
  // SGDK's LZ4W unpacker (the corpus game's 0x1AE0-0x2CF0): `jmp` through longword tables of
  // entry points into its unrolled copy loops.
  const jumpTables = [
    { start: 0x1b00, end: 0x1f00 },
    { start: 0x2388, end: 0x2790 },
    { start: 0x2792, end: 0x2b92 },
  ];

  test('the corpus game: the unpacker\'s jump tables are tables at every even offset, none of its art is, and the default scan keeps its 14 tile blocks exact', async () => {
    for (const table of jumpTables) for (let p = table.start; p + 64 <= table.end; p += 2) expect(mdPointerTableTile(corpusRom, p, 32), `0x${p.toString(16)}`).toBe(true);
    for (const art of corpusArt()) for (let p = 0; p + 32 <= art.length; p += 2) expect(mdPointerTableTile(art, p, 32)).toBe(false);
    const candidates = await scanRom(romFromBytes(corpusRom, { name: corpusName, platform: 'md' }), { cache: false, workers: 0 });
    for (const block of truth.blocks.filter((b) => b.kind === 'tiles')) expect(candidates.some((c) => c.offset === block.offset && c.packedLength === block.packedLength), block.name).toBe(true);
    for (const table of jumpTables) expect(candidates.filter((c) => overlaps(c, table.start, table.end))).toEqual([]);
  }, 60_000);

  test('a synthetic ROM of another layout: jump, state and RAM-slot tables that score as art are not reported (at any byte phase); the game\'s font still is', async () => {
    const size = 0x80000;
    const bytes = new Uint8Array(size);
    // The corpus game's vectors, header and 68000 code (before the unpacker), repeated as filler.
    for (let at = 0; at < size; at += 0x1800) bytes.set(corpusRom.subarray(0x200, 0x1a00).subarray(0, Math.min(0x1800, size - at)), at);
    bytes.set(corpusRom.subarray(0, 0x200), 0);
    const tables = [
      // A jump table into an unrolled loop of 2-byte instructions, last entry first (as SGDK's).
      { at: 0x30006, bytes: longwordTable(96, (k) => 0x4a2fe - 2 * k) },
      // Object slots in work RAM, 64 bytes each; copied a byte off the grid.
      { at: 0x31003, bytes: longwordTable(80, (k) => 0xff0100 + 0x40 * k) },
      // A state machine's handlers: four per state, states 256 bytes apart.
      { at: 0x32002, bytes: longwordTable(64, (k) => 0x1200 + [0, 0x1c, 0x44, 0x90][k % 4]! + 0x100 * (k >> 2)) },
    ];
    const scorer = new GraphicsScorer();
    for (const table of tables) {
      bytes.set(table.bytes, table.at);
      // Read as 4bpp the table scores as art: only the rule keeps it out.
      expect(scorer.score(table.bytes.subarray(0, 224), md4bpp).score).toBeGreaterThanOrEqual(0.5);
    }
    const font = truth.blocks.find((b) => b.name.startsWith('tileset_font'))!;
    const fontAt = 0x40000;
    bytes.set(corpusRom.subarray(font.offset, font.offset + font.packedLength), fontAt);
    const candidates = await scanRom(romFromBytes(bytes, { name: 'md-tables', platform: 'md' }), { cache: false, workers: 0, codecs: ['raw'] });
    for (const table of tables) expect(candidates.filter((c) => overlaps(c, table.at, table.at + table.bytes.length))).toEqual([]);
    // (Its edges are the raw scan's business: a tile's worth either way.)
    expect(candidates.some((c) => c.codec === 'raw' && Math.abs(c.offset - fontAt) < 32 && Math.abs(c.offset + c.packedLength - fontAt - font.packedLength) < 32)).toBe(true);
  }, 60_000);

  test('art with empty left columns repeats its rows, and a short table is not a table', () => {
    // A vertical stripe of colour 7 in columns 3-4 (bytes 00 07 70 00 per row) in a ROM large
    // enough that every row reads as a pointer (to 0x077000): one distinct value, not a table.
    const art = new Uint8Array(0x80000);
    for (let row = 0; row < 24; row++) art.set([0x00, 0x07, 0x70, 0x00], 0x1000 + 4 * row);
    expect(mdPointerTableTile(art, 0x1000, 32)).toBe(false);
    art.set(longwordTable(24, (k) => 0x077000 + 0x10 * k), 0x1000);
    expect(mdPointerTableTile(art, 0x1000, 32)).toBe(true);
    // Eight different pointers (one tile) and no more: under the 16-longword run.
    const short = new Uint8Array(64);
    short.set(longwordTable(8, (k) => 0x1000 + 6 * k), 16);
    const rom = new Uint8Array(0x2000);
    rom.set(short, 0x1000);
    expect(mdPointerTableTile(rom, 0x1010, 32)).toBe(false);
    rom.set(longwordTable(16, (k) => 0x1000 + 6 * k), 0x1010);
    expect(mdPointerTableTile(rom, 0x1010, 32)).toBe(true);
    // Pointers past the ROM's end (and below its header) are not this ROM's.
    rom.set(longwordTable(16, (k) => 0x3000 + 6 * k), 0x1010);
    expect(mdPointerTableTile(rom, 0x1010, 32)).toBe(false);
  });
});

describe('decoded streams of small numbers are tables, not art (smallNumberOutput)', () => {
  // The corpus game's signed 8-bit PCM (its sound, quiet: bytes of −2 to 2 mostly).
  const pcm = { start: 0x17800, end: 0x1d800 };
  const pcmReading = 0x18c5e;

  test('the corpus game: its PCM read as LZ4W decodes to small numbers that score as art; its art does not', () => {
    const reading = getCodec('lz4w').decompress(corpusRom, pcmReading).data;
    expect(reading.length).toBe(128);
    expect(new GraphicsScorer().score(reading, md4bpp).score).toBeGreaterThanOrEqual(0.5);
    expect(smallNumberOutput(reading, md4bpp)).toBe(true);
    for (const art of corpusArt()) expect(smallNumberOutput(art, md4bpp)).toBe(false);
  });

  test('a synthetic ROM: LZ4W streams of the corpus art amid the PCM are found, the PCM is not', async () => {
    const size = 0x40000;
    const bytes = new Uint8Array(size);
    bytes.set(corpusRom.subarray(0, 0x200), 0);
    // The PCM twice, at even offsets of another layout, with code between.
    bytes.set(corpusRom.subarray(0x200, 0x1a00), 0x200);
    bytes.set(corpusRom.subarray(pcm.start, pcm.end), 0x10000);
    bytes.set(corpusRom.subarray(pcm.start, pcm.end), 0x20002);
    const lz4w = getCodec('lz4w');
    const planted: { offset: number; packedLength: number }[] = [];
    let at = 0x30000;
    // Sets of 27 tiles and more (the 5- to 16-tile ones score under the bar alone; in the game
    // SGDK's structures declare them).
    for (const [i, art] of corpusArt().filter((a) => a.length >= 27 * 32).slice(0, 4).entries()) {
      const packed = lz4w.compress(art, { level: i % 2 === 0 ? 'max' : 'fast' });
      bytes.set(packed, at);
      planted.push({ offset: at, packedLength: packed.length });
      at = (at + packed.length + 0x101) & ~1;
    }
    const candidates = await scanRom(romFromBytes(bytes, { name: 'md-pcm', platform: 'md' }), { cache: false, workers: 0, codecs: ['lz4w'], minimumUnpackedSize: 128 });
    for (const p of planted) expect(candidates.some((c) => c.offset === p.offset && c.packedLength === p.packedLength)).toBe(true);
    for (const base of [0x10000, 0x20002]) expect(candidates.filter((c) => overlaps(c, base, base + pcm.end - pcm.start))).toEqual([]);
  }, 60_000);
});
