/**
 * SNES palettes the code loads into CGRAM (src/scan/snes-cgram.ts): on the corpus through
 * scanRom, and on ROMs built here (LoROM and HiROM, each shape of load, the cuts at another
 * load's start and at OBJ colour 128) with the readings that must not count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildSnesRom, type Payload } from '../../src/rom/build.js';
import { romFromBytes } from '../../src/rom/rom.js';
import type { SnesMapping } from '../../src/rom/snes.js';
import { explainScanOffset, formatScanExplanation, scanRom } from '../../src/scan/index.js';
import { findCgramLoadedPalettes, snesCgramLoads } from '../../src/scan/snes-cgram.js';
import type { ScanCandidate } from '../../src/scan/types.js';
import { corpusDirectory } from './helpers/corpus.js';

const palettesOf = (candidates: readonly ScanCandidate[]) =>
  candidates
    .filter((c) => c.kind === 'palette')
    .map((c) => ({ offset: c.offset, length: c.packedLength }))
    .sort((a, b) => a.offset - b.offset);

/** `colours` BGR555 words, all different, bit 15 clear (what a converter writes). */
function palette(colours: number, seed = 1): Uint8Array {
  const out = new Uint8Array(colours * 2);
  for (let k = 0; k < colours; k++) {
    const colour = ((k + seed) * 2113 + seed * 7) & 0x7fff;
    out[2 * k] = colour & 0xff;
    out[2 * k + 1] = colour >> 8;
  }
  return out;
}

const lo = (v: number) => v & 0xff;
const hi = (v: number) => (v >> 8) & 0xff;

/** stz/lda CGADD, then a channel-0 DMA of `count` bytes from bank:address to B-bus `bbad`. */
function dmaCode(colour: number, bank: number, address: number, count: number, bbad = 0x22): number[] {
  return [
    ...(colour === 0 ? [0x9c, 0x21, 0x21] : [0xa9, colour, 0x8d, 0x21, 0x21]),
    0xa2, 0x00, bbad, 0x8e, 0x00, 0x43, // ldx #$bb00; stx $4300 (DMAP 0, BBAD)
    0xa2, lo(address), hi(address), 0x8e, 0x02, 0x43, // ldx #address; stx $4302
    0xa9, bank, 0x8d, 0x04, 0x43, // lda #bank; sta $4304
    0xa2, lo(count), hi(count), 0x8e, 0x05, 0x43, // ldx #count; stx $4305
    0xa9, 0x01, 0x8d, 0x0b, 0x42, // lda #1; sta $420b
  ];
}

/** lda #count-1; ldx #source; ldy #destination; mvn destinationBank, sourceBank. */
function blockMove(sourceBank: number, source: number, destinationBank: number, destination: number, count: number): number[] {
  return [0xa9, lo(count - 1), hi(count - 1), 0xa2, lo(source), hi(source), 0xa0, lo(destination), hi(destination), 0x54, destinationBank, sourceBank];
}

function romWith(mapping: SnesMapping, payloads: Payload[]) {
  return romFromBytes(buildSnesRom({ mapping, payloads }), { name: `cgram-${mapping}.sfc` });
}

async function scanPalettes(mapping: SnesMapping, payloads: Payload[]) {
  return palettesOf(await scanRom(romWith(mapping, payloads), { workers: 0, cache: false, codecs: ['raw'] }));
}

describe('corpus: palettes the code loads are reported with their kind, start and length', () => {
  test("libSFX Mouse: CGRAM_memcpy's two loads (the BG palette, once read 4 bytes early beside its tiles, and the 32-byte sprite palette)", async () => {
    const candidates = await scanRom(join(corpusDirectory, 'libsfx-Mouse.sfc'), { workers: 0, cache: false });
    expect(palettesOf(candidates)).toEqual([
      { offset: 0x208, length: 128 },
      { offset: 0x1253, length: 32 },
    ]);
  });

  test('SNES_05: one mvn of 288 bytes into the CGRAM shadow holds the BG palette (colours 0–127) and the sprite palette (128–143)', async () => {
    const candidates = await scanRom(join(corpusDirectory, 'SNES_05.sfc'), { workers: 0, cache: false });
    expect(palettesOf(candidates)).toEqual([
      { offset: 0x8000, length: 256 },
      { offset: 0x8100, length: 32 },
    ]);
    // The shadow itself is RAM ($00:0100, 512 bytes DMAed to CGDATA): only the mvn from ROM is a load.
    const data = new Uint8Array(readFileSync(join(corpusDirectory, 'SNES_05.sfc')));
    expect(snesCgramLoads(data).map((l) => [l.offset, l.length, l.colour])).toEqual([[0x8000, 288, 0]]);
  });

  test('--explain names the load: SNES_05 0x8100 is reported as a palette, inside the mvn of 288 bytes from colour 0', async () => {
    const e = await explainScanOffset(join(corpusDirectory, 'SNES_05.sfc'), 0x8100, { workers: 0, cache: false });
    expect(e.reported).toMatchObject({ offset: 0x8100, packedLength: 32, kind: 'palette' });
    expect(e.cgramLoads.map((l) => [l.offset, l.length, l.colour])).toEqual([[0x8000, 288, 0]]);
    expect(formatScanExplanation(e).at(-1)).toBe('loaded into CGRAM by the code at 0x1D6: 0x8000+288 from colour 0');
  });

  test('lorom-template: its DMA helper called after CGADD, with the data bank = the program bank', () => {
    const data = new Uint8Array(readFileSync(join(corpusDirectory, 'lorom-template.sfc')));
    expect(findCgramLoadedPalettes(data, 'snes', []).map((c) => [c.offset, c.packedLength])).toEqual([
      [0x20800, 30],
      [0x28700, 16],
    ]);
  });
});

describe('built ROMs: the shapes of a CGRAM load', () => {
  test('LoROM: a DMA to CGDATA from ROM is a palette of its count, with no tiles beside it; the same DMA to VRAM data ($18) is not', async () => {
    // Palette at $83:8000 (offset 0x18000), tile-like bytes DMAed to VRAM from $83:9000.
    const payloads: Payload[] = [
      { offset: 0x100, bytes: Uint8Array.from(dmaCode(0x80, 0x83, 0x8000, 32)) },
      { offset: 0x18000, bytes: palette(16) },
      { offset: 0x200, bytes: Uint8Array.from(dmaCode(0, 0x83, 0x9000, 32, 0x18)) },
      { offset: 0x19000, bytes: palette(16, 5) },
    ];
    expect(await scanPalettes('lorom', payloads)).toEqual([{ offset: 0x18000, length: 32 }]);
    // A scan limited to a range reports only the loaded palettes that start in it.
    const limited = await scanRom(romWith('lorom', payloads), { workers: 0, cache: false, codecs: ['raw'], range: { start: 0, end: 0x18000 } });
    expect(palettesOf(limited)).toEqual([]);
  });

  test('HiROM: a copy routine called after CGADD (rep #$30; lda #$2202; ldx #src; ldy #count; jsl) reads the palette from its own bank', async () => {
    // Code at $C1:0100 (offset 0x10100); the palette at $C1:C321 in the same bank.
    const code = [0xa9, 0x10, 0x8d, 0x21, 0x21, 0xc2, 0x30, 0xa9, 0x02, 0x22, 0xa2, 0x21, 0xc3, 0xa0, 0x40, 0x00, 0x22, 0x00, 0x90, 0xc0];
    const payloads: Payload[] = [
      { offset: 0x10100, bytes: Uint8Array.from(code) },
      { offset: 0x1c321, bytes: palette(32) },
    ];
    expect(await scanPalettes('hirom', payloads)).toEqual([{ offset: 0x1c321, length: 64 }]);
  });

  test("libSFX's shape with an explicit bank (ldy #count; ldx #src; lda #bank; jsl) and the 8-bit bank told from the 16-bit loads", () => {
    // sta $2121; ldy #$0020; ldx #$8000; lda #$82; jsl $809000. Palette at $82:8000 = 0x10000.
    const code = [0xa9, 0x00, 0x8d, 0x21, 0x21, 0xa0, 0x20, 0x00, 0xa2, 0x00, 0x80, 0xa9, 0x82, 0x22, 0x00, 0x90, 0x80];
    const data = buildSnesRom({ payloads: [{ offset: 0x300, bytes: Uint8Array.from(code) }, { offset: 0x10000, bytes: palette(16) }] });
    expect(snesCgramLoads(data).map((l) => [l.offset, l.length, l.colour])).toEqual([[0x10000, 32, 0]]);
  });

  test('a CPU loop writing CGDATA (ldx #0; lda src,x; sta $2122; inx; cpx #n; bne) loads n bytes, from the data bank or a long address', () => {
    // At 0x400 ($80:8400): stz $2121; ldx #$0000; lda $9000,x; sta $2122; inx; cpx #$0020; bne -12.
    const absolute = [0x9c, 0x21, 0x21, 0xa2, 0x00, 0x00, 0xbd, 0x00, 0x90, 0x8d, 0x22, 0x21, 0xe8, 0xe0, 0x20, 0x00, 0xd0, 0xf4];
    // At 0x500: lda #$10; sta $2121; ldy #0 (8-bit); lda $82A000,x... with y: lda $A000,y; sta $2122; iny; cpy #$40 (8-bit); bne -10.
    const indexY = [0xa9, 0x10, 0x8d, 0x21, 0x21, 0xa0, 0x00, 0xb9, 0x00, 0xa0, 0x8d, 0x22, 0x21, 0xc8, 0xc0, 0x40, 0xd0, 0xf5];
    // At 0x600: ldx #0; lda $839000,x (long); sta $2122; inx; inx... cpx #$0010; bne.
    const long = [0xa2, 0x00, 0x00, 0xbf, 0x00, 0x90, 0x83, 0x8d, 0x22, 0x21, 0xe8, 0xe0, 0x10, 0x00, 0xd0, 0xf3];
    // At 0x700: the same loop with no index set to 0 first: its count is not a length.
    const noStart = [0xea, 0xea, 0xea, 0xbd, 0x00, 0xb0, 0x8d, 0x22, 0x21, 0xe8, 0xe0, 0x20, 0x00, 0xd0, 0xf4];
    const data = buildSnesRom({
      payloads: [
        { offset: 0x400, bytes: Uint8Array.from(absolute) },
        { offset: 0x500, bytes: Uint8Array.from(indexY) },
        { offset: 0x600, bytes: Uint8Array.from(long) },
        { offset: 0x700, bytes: Uint8Array.from(noStart) },
        { offset: 0x1000, bytes: palette(16) },
        { offset: 0x2000, bytes: palette(32, 2) },
        { offset: 0x3000, bytes: palette(16, 3) },
        { offset: 0x19000, bytes: palette(8, 4) },
      ],
    });
    expect(snesCgramLoads(data).map((l) => [l.offset, l.length, l.colour])).toEqual([
      [0x1000, 32, 0],
      [0x2000, 64, 16],
      [0x19000, 16, -1],
    ]);
  });

  test('a load crossing colour 128 is a BG palette and an OBJ palette; a full 256-colour load is one 8bpp palette', async () => {
    // Shadow: $7E:2000, 512 bytes DMAed to CGDATA from colour 0. Two block moves from ROM into it:
    // 160 colours from colour 64 (crosses 128 after 64 colours), and elsewhere a full 512 bytes.
    const shadowDma = dmaCode(0, 0x7e, 0x2000, 512);
    const payloads: Payload[] = [
      { offset: 0x100, bytes: Uint8Array.from(shadowDma) },
      { offset: 0x180, bytes: Uint8Array.from(blockMove(0x82, 0x8000, 0x7e, 0x2000 + 128, 320)) },
      { offset: 0x10000, bytes: new Uint8Array([...palette(64), ...palette(96, 9)]) },
      // A second shadow in the low-RAM mirror ($00:0400) loaded whole from $84:8000.
      { offset: 0x200, bytes: Uint8Array.from(dmaCode(0, 0x00, 0x0400, 512)) },
      { offset: 0x280, bytes: Uint8Array.from(blockMove(0x84, 0x8000, 0x7e, 0x0400, 512)) },
      { offset: 0x20000, bytes: new Uint8Array([...palette(128, 3), ...palette(128, 4)]) },
    ];
    expect(await scanPalettes('lorom', payloads)).toEqual([
      { offset: 0x10000, length: 128 },
      { offset: 0x10080, length: 192 },
      { offset: 0x20000, length: 512 },
    ]);
  });

  test('a load that holds the start of another load is two palettes', () => {
    // 64 bytes from $82:8000 at colour 0, and 32 bytes from $82:8020 at colour 16 (its second row loaded alone).
    const data = buildSnesRom({
      payloads: [
        { offset: 0x100, bytes: Uint8Array.from(dmaCode(0, 0x82, 0x8000, 64)) },
        { offset: 0x180, bytes: Uint8Array.from(dmaCode(16, 0x82, 0x8020, 32)) },
        { offset: 0x10000, bytes: new Uint8Array([...palette(16), ...palette(16, 2)]) },
      ],
    });
    expect(findCgramLoadedPalettes(data, 'snes', []).map((c) => [c.offset, c.packedLength])).toEqual([
      [0x10000, 32],
      [0x10020, 32],
    ]);
  });
});

describe('built ROMs: readings that are not palettes', () => {
  test('a CGRAM load over bytes with bit 15 set (code read by chance) or of one repeated value is not reported', async () => {
    const set = palette(16);
    set[7] = set[7]! | 0x80;
    const payloads: Payload[] = [
      { offset: 0x100, bytes: Uint8Array.from(dmaCode(0, 0x82, 0x8000, 32)) },
      { offset: 0x10000, bytes: set },
      { offset: 0x200, bytes: Uint8Array.from(dmaCode(0, 0x82, 0x9000, 32)) },
      { offset: 0x11000, bytes: new Uint8Array(32).fill(0x11) },
    ];
    expect(await scanPalettes('lorom', payloads)).toEqual([]);
  });

  test('a call after CGADD whose loads leave the count ambiguous (two small even immediates) says nothing', () => {
    // sta $2121; ldy #$0020; lda #$0040; ldx #$8000; jsl — which is the count?
    const code = [0xa9, 0x00, 0x8d, 0x21, 0x21, 0xa0, 0x20, 0x00, 0xc2, 0x20, 0xa9, 0x40, 0x00, 0xa2, 0x00, 0x80, 0x22, 0x00, 0x90, 0x80];
    const data = buildSnesRom({ payloads: [{ offset: 0x300, bytes: Uint8Array.from(code) }, { offset: 0x0, bytes: palette(32) }] });
    expect(snesCgramLoads(data)).toEqual([]);
  });

  test('a DMA to CGDATA in a mode that writes two registers (mode 1) or B to A is not a CGRAM load; a mvn into RAM nobody DMAs to CGRAM is not either', () => {
    const mode1 = dmaCode(0, 0x82, 0x8000, 32);
    mode1[4] = 0x01; // DMAP = 1 (two registers: $2122, $2123)
    const bToA = dmaCode(0, 0x82, 0x8800, 32);
    bToA[4] = 0x80; // DMAP bit 7: B bus to A bus
    const data = buildSnesRom({
      payloads: [
        { offset: 0x100, bytes: Uint8Array.from(mode1) },
        { offset: 0x180, bytes: Uint8Array.from(bToA) },
        { offset: 0x200, bytes: Uint8Array.from(blockMove(0x82, 0x9000, 0x7e, 0x3000, 32)) },
        { offset: 0x10000, bytes: palette(16) },
        { offset: 0x10800, bytes: palette(16, 2) },
        { offset: 0x11000, bytes: palette(16, 3) },
      ],
    });
    expect(snesCgramLoads(data)).toEqual([]);
  });

  test('only SNES ROMs are read, and a load overlapping a tile block the scan found is left to it', () => {
    const data = buildSnesRom({ payloads: [{ offset: 0x100, bytes: Uint8Array.from(dmaCode(0, 0x82, 0x8000, 32)) }, { offset: 0x10000, bytes: palette(16) }] });
    expect(findCgramLoadedPalettes(data, 'gba', [])).toEqual([]);
    const tiles: ScanCandidate = { offset: 0x0ff00, packedLength: 0x200, unpackedLength: 0x200, codec: 'raw', kind: 'tiles', format: 'snes4bpp', score: 0.7 };
    expect(findCgramLoadedPalettes(data, 'snes', [tiles])).toEqual([]);
    expect(findCgramLoadedPalettes(data, 'snes', []).map((c) => [c.offset, c.packedLength])).toEqual([[0x10000, 32]]);
  });
});
