/**
 * SNES false candidates (issue 19): libSFX's audio RAM image (the SPC700's 64 KiB, ROM banks 2–3 of
 * libsfx-Hello and libsfx-Mouse: `SPC_incbin_lo/hi`) read as a palette, LC_LZ1 and HAL tile
 * streams and raw tiles. Each rule is tested on the corpus ROMs through scanRom, on synthetic
 * bytes that show it is general, and against real art that must stay found.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCodec } from '../../src/codecs/index.js';
import { buildSnesRom } from '../../src/rom/build.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { explainScanOffset, scanRomReport } from '../../src/scan/index.js';
import { risingWords } from '../../src/scan/kind.js';
import { equalRunsInHalLiterals, fillsOnlyStream, literalRunAnEncoderFillsInBytes, nonEncoderLcLzCommands, nonEncoderLzCommandsTolerated } from '../../src/scan/lz-commands.js';
import { GraphicsScorer, repeatedTileFactor } from '../../src/scan/score.js';
import { getTileFormat } from '../../src/gfx/index.js';
import type { ScanCandidate } from '../../src/scan/types.js';
import { corpusDirectory, readCorpusTruth } from './helpers/corpus.js';

const truth = readCorpusTruth();
const corpus = (name: string) => new Uint8Array(readFileSync(join(corpusDirectory, name)));
const touches = (c: ScanCandidate, offset: number) => c.offset <= offset && offset < c.offset + c.packedLength;

describe('libSFX audio RAM images are not graphics', () => {
  test('Hello: no palette over the driver pointer table, no LC_LZ1 reading of BRR samples; its art stays exact', async () => {
    const report = await scanRomReport(join(corpusDirectory, 'libsfx-Hello.sfc'), { cache: false, workers: 0 });
    // ARAM $0200 (pointer table, read as 25 colours) and $C6DE (BRR samples, read as LC_LZ1).
    for (const offset of [0x10200, 0x1c6de]) expect(report.candidates.filter((c) => touches(c, offset))).toEqual([]);
    for (const block of truth['libsfx-Hello.sfc']!.blocks.filter((b) => b.kind === 'tiles')) {
      expect(report.candidates.some((c) => c.offset === block.offset && c.packedLength === block.packedLength)).toBe(true);
    }
  });

  test('Mouse: no LC_LZ1 reading of $FF-filled RAM, no HAL mode7 reading of BRR samples; its art stays exact', async () => {
    const report = await scanRomReport(join(corpusDirectory, 'libsfx-Mouse.sfc'), { cache: false, workers: 0 });
    for (const offset of [0x1f545, 0x162af]) expect(report.candidates.filter((c) => touches(c, offset))).toEqual([]);
    for (const block of truth['libsfx-Mouse.sfc']!.blocks.filter((b) => b.kind === 'tiles')) {
      expect(report.candidates.some((c) => c.offset === block.offset && c.packedLength === block.packedLength)).toBe(true);
    }
  });
});

describe('LC_LZ: a literal holding a run an encoder would fill', () => {
  test('counts once per run; our encoder never writes one', () => {
    // A long literal (command 0, long form) of 64 bytes with two runs of 12 equal bytes.
    const body = new Uint8Array(64);
    for (let i = 0; i < 64; i++) body[i] = (i * 37) & 0xff;
    body.fill(0xff, 8, 20);
    body.fill(0x00, 40, 52);
    const stream = Uint8Array.from([0xe0, 63, ...body, 0xff]);
    expect(getCodec('lc-lz1').decompress(stream, 0).data).toEqual(body);
    expect(nonEncoderLcLzCommands(1, stream, 0, stream.length)).toBe(2);
    expect(nonEncoderLcLzCommands(1, stream, 0, stream.length)).toBeGreaterThan(nonEncoderLzCommandsTolerated);
    // A run one byte short of the rule is not counted.
    const short = body.slice();
    short.fill(0x11, 8, 20);
    for (let i = 8 + literalRunAnEncoderFillsInBytes - 1; i < 20; i++) short[i] = i;
    short.fill(0x22, 40, 52);
    for (let i = 40 + literalRunAnEncoderFillsInBytes - 1; i < 52; i++) short[i] = i + 100;
    expect(nonEncoderLcLzCommands(1, Uint8Array.from([0xe0, 63, ...short, 0xff]), 0, 66)).toBe(0);
    // The encoder, at every level, writes the same output with fills.
    for (const level of getCodec('lc-lz1').levels) {
      const packed = getCodec('lc-lz1').compress(body, { level });
      expect(nonEncoderLcLzCommands(1, packed, 0, packed.length)).toBe(0);
    }
  });
});

describe('streams made of fills alone', () => {
  test('a fills-only stream is recognised; real art packed by HAL and LC_LZ1 is not fills-only', () => {
    // Byte fills, a word fill and an increasing fill: the shape libSFX's BRR samples take as HAL.
    const fills = Uint8Array.from([0x33, 0x24, 0x34, 0x34, 0x53, 0x34, 0x45, 0x35, 0x58, 0x64, 0x10, 0xff]);
    expect(fillsOnlyStream(fills, 0, fills.length)).toBe(true);
    expect(fillsOnlyStream(Uint8Array.from([0x33, 0x24, 0x01, 0x55, 0x66, 0xff]), 0, 6)).toBe(false);
    const art = corpus('lorom-template.sfc').slice(0x20200, 0x20200 + 1024);
    for (const codec of ['hal', 'lc-lz1', 'lc-lz2']) {
      const packed = getCodec(codec).compress(art);
      expect(fillsOnlyStream(packed, 0, packed.length)).toBe(false);
    }
  });

  test('a fills-only HAL stream planted in a SNES ROM is not reported; a real one beside it is', async () => {
    // 16 byte fills of 20 bytes (a horizontally banded 8bpp reading) and a stream of real sprites.
    const fills: number[] = [];
    for (let i = 0; i < 16; i++) fills.push(0x33, 0x20 + 7 * i);
    fills.push(0xff);
    const art = getCodec('hal').compress(corpus('lorom-template.sfc').slice(0x20200, 0x20200 + 1536));
    const rom = buildSnesRom({ size: 256 * 1024, payloads: [{ offset: 0x10000, bytes: Uint8Array.from(fills) }, { offset: 0x12000, bytes: art }], title: 'FILLS ONLY' });
    const report = await scanRomReport(romFromBytes(rom, { name: 'fills.sfc' }), { cache: false, workers: 0, codecs: ['hal'] });
    expect(report.candidates.filter((c) => touches(c, 0x10000))).toEqual([]);
    expect(report.candidates.some((c) => c.offset === 0x12000 && c.codec === 'hal')).toBe(true);
  });
});

describe('compressed output that is one tile over and over', () => {
  const scorer = new GraphicsScorer();
  const snes3bpp = getTileFormat('snes3bpp');

  test('a word fill read as tiles among a few junk tiles is marked down; real art is not', () => {
    const bytes = new Uint8Array(35 * 24);
    for (let i = 0; i < 8 * 24; i++) bytes[i] = (i * 73 + 11) & 0xff;
    for (let i = 8 * 24; i < bytes.length; i += 2) {
      bytes[i] = 0x10;
      bytes[i + 1] = 0x20;
    }
    const filled = scorer.score(bytes, snes3bpp);
    expect(filled.statistics.mostRepeatedTileCount).toBeGreaterThan((filled.statistics.tiles - filled.statistics.blankTiles) / 2);
    expect(repeatedTileFactor(filled.statistics)).toBeLessThan(0.6);
    const mouse = corpus('libsfx-Mouse.sfc');
    for (const block of truth['libsfx-Mouse.sfc']!.blocks.filter((b) => b.kind === 'tiles')) {
      const art = getCodec(block.codec).decompress(mouse, block.offset).data;
      expect(repeatedTileFactor(scorer.score(art, getTileFormat(block.format)).statistics)).toBe(1);
    }
  });
});

describe('rising words are an address table, not a palette', () => {
  test('a pointer table is rising; the corpus palettes of more than one row are not', () => {
    const table = new Uint8Array(64);
    let address = 0x33c3;
    for (let i = 0; i < 32; i++) {
      // Null entries between rising addresses, as a driver's table of optional items has.
      const value = i % 5 === 3 ? 0 : (address += 9 + ((i * 7) % 23));
      table[2 * i] = value & 0xff;
      table[2 * i + 1] = value >> 8;
    }
    expect(risingWords(table, 0, table.length)).toBe(true);
    for (const [name, rom] of Object.entries(truth)) {
      if (rom.platform !== 'snes') continue;
      const bytes = corpus(name);
      for (const block of rom.blocks.filter((b) => b.kind === 'palette' && b.packedLength > 32)) expect(risingWords(bytes, block.offset, block.offset + block.packedLength)).toBe(false);
    }
  });

  test('a 64-word address table after a tile block is not reported as a palette; a palette there is', async () => {
    const tiles = corpus('lorom-template.sfc').slice(0x20200, 0x20200 + 1536);
    const table = new Uint8Array(128);
    for (let i = 0; i < 64; i++) {
      const value = 0x2000 + 37 * i;
      table[2 * i] = value & 0xff;
      table[2 * i + 1] = value >> 8;
    }
    const palette = corpus('SNES_05.sfc').slice(0x8000, 0x8100);
    const rom = buildSnesRom({
      size: 256 * 1024,
      payloads: [
        { offset: 0x10000, bytes: tiles },
        { offset: 0x10000 + tiles.length, bytes: table },
        { offset: 0x10000 + tiles.length + table.length, bytes: Uint8Array.from([0xff, 0xff]) },
        { offset: 0x18000, bytes: tiles },
        { offset: 0x18000 + tiles.length, bytes: palette },
        { offset: 0x18000 + tiles.length + palette.length, bytes: Uint8Array.from([0xff, 0xff]) },
      ],
      title: 'TABLE AFTER TILES',
    });
    const report = await scanRomReport(romFromBytes(rom, { name: 'table.sfc' }), { cache: false, workers: 0, codecs: ['raw'] });
    expect(report.candidates.some((c) => c.offset === 0x10000 && c.kind === 'tiles')).toBe(true);
    expect(report.candidates.filter((c) => c.kind === 'palette' && touches(c, 0x10000 + tiles.length))).toEqual([]);
    expect(report.candidates.some((c) => c.kind === 'palette' && c.offset === 0x18000 + tiles.length)).toBe(true);
  });
});

describe('SNES raw runs hold the minimum in drawn tiles', () => {
  test('4 drawn tiles spread over 9 with zero fill between are not a block; 10 drawn tiles are', async () => {
    const sprites = corpus('lorom-template.sfc').slice(0x20200, 0x20200 + 1536);
    const sparse = new Uint8Array(9 * 32);
    // Drawn tiles 0, 1, 7 and 8 (the run's edges are drawn), blank between.
    for (const [k, t] of [[0, 16], [1, 17], [7, 18], [8, 19]] as const) sparse.set(sprites.subarray(t * 32, t * 32 + 32), k * 32);
    const rom = buildSnesRom({
      size: 256 * 1024,
      payloads: [
        { offset: 0x10000, bytes: sparse },
        { offset: 0x18000, bytes: sprites.subarray(16 * 32, 26 * 32) },
      ],
      title: 'DRAWN MINIMUM',
    });
    const report = await scanRomReport(romFromBytes(rom, { name: 'drawn.sfc' }), { cache: false, workers: 0, codecs: ['raw'] });
    expect(report.candidates.filter((c) => c.kind === 'tiles' && touches(c, 0x10000))).toEqual([]);
    expect(report.candidates.some((c) => c.kind === 'tiles' && c.offset === 0x18000)).toBe(true);
  });
});

describe('--explain names the rule', () => {
  test('Mouse: the HAL fills and the LC_LZ1 literal over $FF-filled RAM say why they were dropped', async () => {
    const rom = join(corpusDirectory, 'libsfx-Mouse.sfc');
    const fills = await explainScanOffset(rom, 0x162af, { cache: false, workers: 0 });
    expect(fills.reported).toBeNull();
    expect(fills.streams.find((s) => s.codec === 'hal')!.rule).toMatch(/fills alone/);
    const literal = await explainScanOffset(rom, 0x1f545, { cache: false, workers: 0 });
    expect(literal.reported).toBeNull();
    expect(literal.streams.find((s) => s.codec === 'lc-lz1')!.rule).toMatch(/commands no encoder writes/);
  });
});

describe('HAL: a literal holding runs an encoder would fill', () => {
  test('inhal (levels 1–4) and our encoder at every level write none; a long literal over $FF fill is not reported', async () => {
    const hal = getCodec('hal');
    const directory = join(corpusDirectory, '..', 'hal');
    for (const name of ['tiles4bpp_32k', 'varied16k', 'zeros4k', 'random4k', 'abc']) {
      for (const level of ['L1', 'L2', 'L3', 'L4']) {
        const stream = new Uint8Array(readFileSync(join(directory, `${name}.${level}.hal`)));
        expect(equalRunsInHalLiterals(stream, 0, stream.length)).toBe(0);
      }
    }
    const art = corpus('lorom-template.sfc').slice(0x20200, 0x20200 + 1536);
    for (const level of hal.levels) {
      const packed = hal.compress(art, { level });
      expect(equalRunsInHalLiterals(packed, 0, packed.length)).toBe(0);
    }
    // Sparse tiles over `$FF` fill, read as one 600-byte literal (long form) — the shape of a
    // memory image's unused RAM — in a SNES ROM of random bytes.
    const body = new Uint8Array(600).fill(0xff);
    for (let t = 0; t < 600; t += 96) body.set(art.subarray(t, t + 24), t);
    const stream = Uint8Array.from([0xe0 | ((599 >> 8) & 3), 599 & 0xff, ...body, 0xff]);
    expect(hal.decompress(stream, 0).data).toEqual(body);
    expect(equalRunsInHalLiterals(stream, 0, stream.length)).toBeGreaterThan(nonEncoderLzCommandsTolerated);
    const rom = buildSnesRom({ size: 256 * 1024, filler: 'random', payloads: [{ offset: 0x10000, bytes: stream }], title: 'HAL LITERAL RUNS' });
    const report = await scanRomReport(romFromBytes(rom, { name: 'literal.sfc' }), { cache: false, workers: 0, codecs: ['hal'] });
    expect(report.candidates.filter((c) => touches(c, 0x10100))).toEqual([]);
  });
});
