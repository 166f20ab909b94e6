/**
 * NES rules (issue 19): CHR-ROM reported as whole 8 KiB units, split into pattern tables only on
 * evidence of two files (src/scan/raw.ts `nesChrCandidates`), and palettes in PRG named by the
 * code that loads them (src/scan/nes-palettes.ts). The user's path on the two corpus NES ROMs,
 * then synthetic iNES files built here (other layouts, banked PRG) and the false readings that
 * must stay out.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { scanRom } from '../../src/scan/index.js';
import { explainScanOffset } from '../../src/scan/explain.js';
import { findNesPalettes, readsAsNesPalette } from '../../src/scan/nes-palettes.js';
import { romFromBytes } from '../../src/rom/rom.js';
import type { ScanCandidate } from '../../src/scan/types.js';
import { runCli } from '../helpers/cli.js';
import { corpusDirectory } from './helpers/corpus.js';

const kib = 1024;
const headerSize = 16;

/** An iNES file: header, PRG (16 KiB units), CHR (8 KiB units). */
function ines(prg: Uint8Array, chr: Uint8Array, mapper = 0): Uint8Array {
  const file = new Uint8Array(headerSize + prg.length + chr.length);
  file.set([0x4e, 0x45, 0x53, 0x1a, prg.length / (16 * kib), chr.length / (8 * kib), (mapper & 0x0f) << 4, mapper & 0xf0]);
  file.set(prg, headerSize);
  file.set(chr, headerSize + prg.length);
  return file;
}

/** A drawn 2bpp tile (a diagonal with a per-tile twist), never one colour. */
function drawnTile(seed: number): Uint8Array {
  const tile = new Uint8Array(16);
  for (let row = 0; row < 8; row++) {
    tile[row] = (0x80 >> row) | ((seed * 7 + row) & 0x0f);
    tile[row + 8] = (0x01 << row) | ((seed * 3) & 0xf0);
  }
  return tile;
}

/** A 4 KiB pattern table: `drawn` drawn tiles from tile `first` on (seeded by `seed`), the rest blank. */
function patternTable(seed: number, drawn = 256, first = 0): Uint8Array {
  const table = new Uint8Array(4 * kib);
  for (let t = first; t < first + drawn && t < 256; t++) table.set(drawnTile(seed + t), t * 16);
  return table;
}

const tilesOf = (candidates: readonly ScanCandidate[]) => candidates.filter((c) => c.kind === 'tiles').map((c) => [c.offset, c.packedLength]);
const palettesOf = (candidates: readonly ScanCandidate[]) => candidates.filter((c) => c.kind === 'palette').map((c) => [c.offset, c.packedLength, c.format]);

async function scanBytes(bytes: Uint8Array): Promise<ScanCandidate[]> {
  return scanRom(romFromBytes(bytes, { name: 'synthetic.nes' }), { cache: false, workers: 0, codecs: ['raw'] });
}

describe('the corpus NES ROMs (scanRom, default options)', () => {
  test('full_game: CHR-ROM is one 8 KiB block; its three palettes are found from their loader calls', async () => {
    const candidates = await scanRom(join(corpusDirectory, 'full_game.nes'), { cache: false, workers: 0 });
    expect(tilesOf(candidates)).toEqual([[0x8010, 8192]]);
    expect(palettesOf(candidates)).toEqual([
      [0x2940, 16, 'nes-index'],
      [0x2954, 16, 'nes-index'],
      [0x2964, 16, 'nes-index'],
    ]);
  });

  test('nrom-template: two 4 KiB pattern tables (the second restarts with the first one tiles) and the palette its upload loop copies', async () => {
    const candidates = await scanRom(join(corpusDirectory, 'nrom-template.nes'), { cache: false, workers: 0 });
    expect(tilesOf(candidates).sort((a, b) => a[0]! - b[0]!)).toEqual([
      [0x4010, 4096],
      [0x5010, 4096],
    ]);
    expect(palettesOf(candidates)).toEqual([[0x310, 32, 'nes-index']]);
  });

  test('--explain names the code that loads a palette', async () => {
    const loop = await explainScanOffset(join(corpusDirectory, 'nrom-template.nes'), 0x310, { cache: false, workers: 0 });
    expect(loop.verdict).toMatch(/^reported: raw palette nes-index at 0x310\+32 .*upload loop at 0x8D/u);
    const loader = await explainScanOffset(join(corpusDirectory, 'full_game.nes'), 0x2964, { cache: false, workers: 0 });
    expect(loader.verdict).toMatch(/passed by the call at 0x10BC to the palette loader at 0x/u);
  });

  test('scan --json carries the palettes with their kind', () => {
    const run = runCli(['scan', join(corpusDirectory, 'full_game.nes'), '--json', '--no-cache']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { offset: number; kind: string; format: string }[];
    expect(json.filter((c) => c.kind === 'palette').map((c) => c.offset)).toEqual([0x2940, 0x2954, 0x2964]);
    expect(json.filter((c) => c.kind === 'palette').every((c) => c.format === 'nes-index')).toBe(true);
  });
});

describe('CHR-ROM units and pattern tables', () => {
  const prg = new Uint8Array(16 * kib).fill(0xea);

  test('one sheet per 8 KiB unit, split only where the second table restarts with the first one tiles or a table is empty', async () => {
    const chr = new Uint8Array(32 * kib);
    // Unit 0: one 8 KiB sheet (two different tables).
    chr.set(patternTable(1), 0);
    chr.set(patternTable(500, 40), 4 * kib);
    // Unit 1: two files from one template: the second table starts with the first table's 6 tiles.
    const first = patternTable(9);
    const second = patternTable(900);
    second.set(first.subarray(0, 6 * 16), 0);
    chr.set(first, 8 * kib);
    chr.set(second, 12 * kib);
    // Unit 2: only its second table is drawn.
    chr.set(patternTable(77, 20, 100), 20 * kib);
    // Unit 3: both tables start with the same blank tiles only (tile 0 blank in both): no evidence.
    chr.set(patternTable(3, 200, 2), 24 * kib);
    chr.set(patternTable(333, 200, 2), 28 * kib);
    const base = headerSize + prg.length;
    const candidates = await scanBytes(ines(prg, chr, 3));
    expect(tilesOf(candidates).sort((a, b) => a[0]! - b[0]!)).toEqual([
      [base, 8 * kib],
      [base + 8 * kib, 4 * kib],
      [base + 12 * kib, 4 * kib],
      [base + 20 * kib, 4 * kib],
      [base + 24 * kib, 8 * kib],
    ]);
  });

  test('a restart of solid-colour tiles alone is no evidence (one of the equal tiles must be drawn)', async () => {
    const chr = new Uint8Array(8 * kib);
    const solids = new Uint8Array(64);
    solids.fill(0xff, 16, 24); // tile 1: colour 1
    solids.fill(0xff, 40, 48); // tile 2: colour 2
    chr.set(patternTable(5, 250, 4), 0);
    chr.set(patternTable(600, 250, 4), 4 * kib);
    chr.set(solids, 0);
    chr.set(solids, 4 * kib);
    const candidates = await scanBytes(ines(prg, chr));
    expect(tilesOf(candidates)).toEqual([[headerSize + prg.length, 8 * kib]]);
  });
});

/** 6502 bytes: the assembly-style palette upload `$3F00 ← table[start..count)` through X or Y. */
function uploadLoop(tableAddress: number, start: number, count: number, index: 'x' | 'y' = 'x', ppuHigh = 0x3f): number[] {
  const [ld, load, inc, cmp] = index === 'x' ? [0xa2, 0xbd, 0xe8, 0xe0] : [0xa0, 0xb9, 0xc8, 0xc0];
  return [0xa9, ppuHigh, 0x8d, 0x06, 0x20, 0xa9, 0x00, 0x8d, 0x06, 0x20, ld, start, load, tableAddress & 0xff, tableAddress >> 8, 0x8d, 0x07, 0x20, inc, cmp, count, 0xd0, 0xf5, 0x60];
}

/** neslib's pal_bg shape: `STA ptr` / `STX ptr+1` / `LDX #0` / `LDA #count` … `LDA (ptr),Y` / `STA buf,X` loop. */
function paletteLoader(count: number): number[] {
  return [0x85, 0x10, 0x86, 0x11, 0xa2, 0x00, 0xa9, count, 0x85, 0x12, 0xa0, 0x00, 0xb1, 0x10, 0x9d, 0xc0, 0x01, 0xe8, 0xc8, 0xc6, 0x12, 0xd0, 0xf5, 0x60];
}

/** cc65's fastcall pointer argument: `LDA #<table` / `LDX #>table` / `JSR routine`. */
const pointerCall = (table: number, routine: number) => [0xa9, table & 0xff, 0xa2, table >> 8, 0x20, routine & 0xff, routine >> 8];

const palette32 = [0x0f, 0x00, 0x10, 0x30, 0x0f, 0x06, 0x16, 0x26, 0x0f, 0x09, 0x19, 0x29, 0x0f, 0x02, 0x12, 0x22, 0x0f, 0x07, 0x17, 0x27, 0x0f, 0x0a, 0x1a, 0x2a, 0x0f, 0x04, 0x14, 0x24, 0x0f, 0x08, 0x18, 0x38];

describe('palettes named by code', () => {
  const chr = patternTable(1);
  const chrBank = new Uint8Array(8 * kib);
  chrBank.set(chr, 0);

  test('an upload loop through Y from a start index, in NROM-256, at another layout than the corpus', async () => {
    const prg = new Uint8Array(32 * kib).fill(0xea);
    // The table at $D123 (offset 0x5123); the loop copies entries 16–31 (the sprite half) after LDY #16.
    prg.set(palette32, 0x5123);
    prg.set(uploadLoop(0xd123, 16, 32, 'y'), 0x0200);
    const candidates = await scanBytes(ines(prg, chrBank));
    expect(palettesOf(candidates)).toEqual([[headerSize + 0x5123 + 16, 16, 'nes-index']]);
  });

  test('bytes that are no palette stay out even when an upload loop copies them', () => {
    const prg = new Uint8Array(16 * kib).fill(0xea);
    const high = [...palette32];
    high[5] = 0x46; // palette RAM holds 6 bits
    const blackerThanBlack = [...palette32];
    blackerThanBlack[9] = 0x0d;
    const fill = new Array<number>(32).fill(0x0f);
    prg.set(high, 0x1000);
    prg.set(blackerThanBlack, 0x1100);
    prg.set(fill, 0x1200);
    prg.set(palette32, 0x1300);
    prg.set(uploadLoop(0x9000, 0, 32), 0x100);
    prg.set(uploadLoop(0x9100, 0, 32), 0x200);
    prg.set(uploadLoop(0x9200, 0, 32), 0x300);
    // A nametable upload ($2000, not $3F00) of the good table: not a palette load.
    prg.set(uploadLoop(0x9300, 0, 32, 'x', 0x20), 0x400);
    const file = ines(prg, chrBank);
    expect(findNesPalettes(file, 'nes', [])).toEqual([]);
    // The same loop at $3F00 names it.
    prg.set(uploadLoop(0x9300, 0, 32), 0x400);
    expect(findNesPalettes(ines(prg, chrBank), 'nes', []).map((c) => [c.offset, c.packedLength])).toEqual([[headerSize + 0x1300, 32]]);
    // Not searched on other platforms.
    expect(findNesPalettes(ines(prg, chrBank), 'snes', [])).toEqual([]);
  });

  test('pointers passed to a palette loader are palettes; a loader also passed a non-palette table names none', () => {
    const prg = new Uint8Array(16 * kib).fill(0xea);
    prg.set(paletteLoader(16), 0x0800); // $8800
    prg.set(palette32.slice(0, 16), 0x2000);
    prg.set(palette32.slice(16), 0x2010);
    prg.set([...pointerCall(0xa000, 0x8800), ...pointerCall(0xa010, 0x8800)], 0x0100);
    const found = findNesPalettes(ines(prg, chrBank), 'nes', []).map((c) => [c.offset, c.packedLength, c.score]);
    expect(found).toEqual([
      [headerSize + 0x2000, 16, 0.9],
      [headerSize + 0x2010, 16, 0.9],
    ]);
    // A third call passes metasprite data (bytes ≥ $40): the routine is a general copy, not a palette loader.
    prg.set([0x00, 0x00, 0x41, 0x00, 0x08, 0x00, 0x42, 0x00, 0x00, 0x08, 0x51, 0x00, 0x08, 0x08, 0x52, 0x80], 0x2100);
    prg.set(pointerCall(0xa100, 0x8800), 0x0110);
    expect(findNesPalettes(ines(prg, chrBank), 'nes', [])).toEqual([]);
  });

  test('a routine without a palette count (16 or 32) is no palette loader', () => {
    const prg = new Uint8Array(16 * kib).fill(0xea);
    prg.set(paletteLoader(0x40), 0x0800);
    prg.set(palette32.slice(0, 16), 0x2000);
    prg.set(pointerCall(0xa000, 0x8800), 0x0100);
    expect(findNesPalettes(ines(prg, chrBank), 'nes', [])).toEqual([]);
  });

  test('banked PRG (UxROM): the fixed bank maps at $C000, the code own bank at $8000, another bank is not guessed', () => {
    const prg = new Uint8Array(64 * kib).fill(0xea);
    const fixedBank = 48 * kib;
    // Code in bank 1 loads a table of its own bank ($8000 window) and one of the fixed bank ($C000).
    prg.set(palette32, 16 * kib + 0x0400);
    prg.set(palette32, fixedBank + 0x0600);
    prg.set(uploadLoop(0x8400, 0, 32), 16 * kib + 0x0100);
    prg.set(uploadLoop(0xc600, 0, 32), 16 * kib + 0x0200);
    // Code in the fixed bank loads from the $8000 window: which bank is switched in is not known.
    prg.set(palette32, 0x0700);
    prg.set(uploadLoop(0x8700, 0, 32), fixedBank + 0x0100);
    const found = findNesPalettes(ines(prg, chrBank, 2), 'nes', []).map((c) => c.offset);
    expect(found).toEqual([headerSize + 16 * kib + 0x0400, headerSize + fixedBank + 0x0600]);
  });

  test('the byte rule on its own', () => {
    const bytes = Uint8Array.from(palette32);
    expect(readsAsNesPalette(bytes, 0, 32)).toBe(true);
    expect(readsAsNesPalette(bytes, 0, 6)).toBe(false); // not whole sub-palettes
    expect(readsAsNesPalette(bytes, 0, 36)).toBe(false); // past the end, and more than palette RAM
    expect(readsAsNesPalette(new Uint8Array(16).fill(0x0f), 0, 16)).toBe(false);
  });

  test('a range that leaves the palette out, or a block already holding its bytes, drops it', () => {
    const prg = new Uint8Array(16 * kib).fill(0xea);
    prg.set(palette32, 0x1300);
    prg.set(uploadLoop(0x9300, 0, 32), 0x400);
    const file = ines(prg, chrBank);
    expect(findNesPalettes(file, 'nes', [], 0, headerSize + 0x1300)).toEqual([]);
    const holder: ScanCandidate = { offset: headerSize + 0x1200, packedLength: 0x200, unpackedLength: 0x200, codec: 'raw', kind: 'tiles', format: 'nes2bpp', score: 0.6 };
    expect(findNesPalettes(file, 'nes', [holder])).toEqual([]);
  });

  test('the other platforms\' code and data, read as NES PRG, name no palette', () => {
    let found = 0;
    let chunks = 0;
    for (const name of readdirSync(corpusDirectory)) {
      if (name.endsWith('.nes') || name.endsWith('.json') || name.endsWith('.md')) continue;
      const bytes = readFileSync(join(corpusDirectory, name));
      for (let at = 0; at + 32 * kib <= bytes.length; at += 32 * kib) {
        found += findNesPalettes(ines(bytes.subarray(at, at + 32 * kib), chrBank), 'nes', []).length;
        chunks++;
      }
    }
    expect(chunks).toBeGreaterThan(20);
    expect(found).toBe(0);
  });
});

describe('upload loops through a zero-page pointer', () => {
  const chrBank = new Uint8Array(8 * kib);
  chrBank.set(patternTable(1), 0);
  /** `#$3F` → $2006, `#$00` → $2006, `LDY #0`, `LDA (zp),Y` / `STA $2007` / `INY` / `CPY #count` / `BNE`, RTS. */
  const pointerLoop = (zp: number, count: number) => [0xa9, 0x3f, 0x8d, 0x06, 0x20, 0xa9, 0x00, 0x8d, 0x06, 0x20, 0xa0, 0x00, 0xb1, zp, 0x8d, 0x07, 0x20, 0xc8, 0xc0, count, 0xd0, 0xf6, 0x60];
  /** `LDA #<t` / `STA zp` / `LDA #>t` / `STA zp+1`. */
  const setPointer = (table: number, zp: number) => [0xa9, table & 0xff, 0x85, zp, 0xa9, table >> 8, 0x85, zp + 1];

  test('a pointer set before a JSR to the loop, or before the loop itself, names its table', () => {
    const prg = new Uint8Array(16 * kib).fill(0xea);
    prg.set(pointerLoop(0x20, 32), 0x0900); // routine at $8900
    prg.set(palette32, 0x2000);
    prg.set(palette32.slice(0, 16), 0x2040);
    prg.set([...setPointer(0xa000, 0x20), 0x20, 0x00, 0x89], 0x0100);
    prg.set([...setPointer(0xa040, 0x30), ...pointerLoop(0x30, 16)], 0x0200);
    expect(findNesPalettes(ines(prg, chrBank), 'nes', []).map((c) => [c.offset, c.packedLength, c.score])).toEqual([
      [headerSize + 0x2000, 32, 1],
      [headerSize + 0x2040, 16, 1],
    ]);
  });

  test('another pointer than the loop reads, or a table that is no palette, names nothing', () => {
    const prg = new Uint8Array(16 * kib).fill(0xea);
    prg.set(pointerLoop(0x20, 32), 0x0900);
    prg.set(palette32, 0x2000);
    prg.set([...setPointer(0xa000, 0x40), 0x20, 0x00, 0x89], 0x0100);
    const text = Array.from('HELLO, WORLD! PRESS START BUTTON', (c) => c.charCodeAt(0));
    prg.set(text, 0x2100);
    prg.set([...setPointer(0xa100, 0x20), 0x20, 0x00, 0x89], 0x0200);
    expect(findNesPalettes(ines(prg, chrBank), 'nes', [])).toEqual([]);
  });
});

describe('palettes copied to a RAM buffer the upload loop reads', () => {
  const chrBank = new Uint8Array(8 * kib);
  chrBank.set(patternTable(1), 0);
  /** `LDX #s` / `LDA table,X` / `STA buffer,X` / `INX` / `CPX #n` / `BNE` back. */
  const copyLoop = (table: number, buffer: number, s: number, n: number) => [0xa2, s, 0xbd, table & 0xff, table >> 8, 0x9d, buffer & 0xff, buffer >> 8, 0xe8, 0xe0, n, 0xd0, 0xf5, 0x60];

  test('the tables copied into the buffer are palettes; a copy elsewhere in RAM is not', () => {
    const prg = new Uint8Array(16 * kib).fill(0xea);
    // NMI: upload $0180–$019F to $3F00.
    prg.set(uploadLoop(0x0180, 0, 32), 0x0300);
    // Load a background half and a sprite half into it; copy a third table elsewhere.
    prg.set(palette32.slice(0, 16), 0x2000);
    prg.set(palette32.slice(16), 0x2020);
    prg.set(palette32, 0x2040);
    prg.set(copyLoop(0xa000, 0x0180, 0, 16), 0x0400);
    prg.set(copyLoop(0xa020 - 16, 0x0180, 16, 32), 0x0500);
    prg.set(copyLoop(0xa040, 0x0300, 0, 32), 0x0600);
    expect(findNesPalettes(ines(prg, chrBank), 'nes', []).map((c) => [c.offset, c.packedLength])).toEqual([
      [headerSize + 0x2000, 16],
      [headerSize + 0x2020, 16],
    ]);
  });

  test('without the upload loop, a copy loop of palette-like bytes names nothing', () => {
    const prg = new Uint8Array(16 * kib).fill(0xea);
    prg.set(palette32, 0x2000);
    prg.set(copyLoop(0xa000, 0x0180, 0, 32), 0x0400);
    expect(findNesPalettes(ines(prg, chrBank), 'nes', [])).toEqual([]);
  });
});
