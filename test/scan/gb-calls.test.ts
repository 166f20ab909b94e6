/**
 * Game Boy lengths from the calling code (src/scan/gb-calls.ts, pb16.ts, references.ts, raw.ts):
 * PB16 streams end where the count the caller loads into B says, tile counts in B, and blocks
 * copied to a background map are tilemaps. The corpus ROMs on the user's path, a synthetic ROM of
 * another layout (banked code and data, back-to-back streams, a choice of source), and the
 * readings the rules must not make.
 */
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { encodeTiles, getTileFormat } from '../../src/gfx/index.js';
import { encodePb16 } from '../../src/codecs/index.js';
import { buildGbRom } from '../../src/rom/build.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { scanRom } from '../../src/scan/index.js';
import { gbCalls } from '../../src/scan/gb-calls.js';
import { fitsByteTilemap, pb16StreamEnd } from '../../src/scan/pb16.js';
import { corpusDirectory } from './helpers/corpus.js';
import { spriteTileIndices } from './helpers/sprite-art.js';

describe('the corpus, default scan', () => {
  test('libbet: every PB16 stream at the length its caller asks for, the 1bpp digits at B tiles, the SGB border map as a map', async () => {
    const candidates = await scanRom(join(corpusDirectory, 'libbet.gb'), { cache: false, workers: 0 });
    const found = (offset: number, length: number, kind = 'tiles') => candidates.some((c) => c.offset === offset && c.packedLength === length && c.kind === kind);
    // floortiles, floorborder, floorborder_sgb (back to back, no boundary in their bytes), the
    // title (48 tiles asked, 47 in the file: the last unit is code the program calls), the SGB
    // border tiles (count byte before the stream), the roll sheet (two chained halves).
    for (const [offset, length] of [[0x11ab, 176], [0x125b, 338], [0x13ad, 314], [0x21f9, 532], [0xe70, 385], [0xc65, 328]] as const) {
      expect(found(offset, length), `pb16 0x${offset.toString(16)}+${length}`).toBe(true);
    }
    // `ld bc,$2AFF`: 42 tiles (B) of 1bpp, not 10,495 bytes nor a run into the table after it.
    expect(found(0x4f8, 336)).toBe(true);
    expect(found(0xff1, 410, 'tilemap')).toBe(true);
    expect(candidates.some((c) => c.offset === 0xff1 && c.kind === 'tiles')).toBe(false);
    // Copied (`pop hl` / `ld bc,$20` / `ld de,$8800`) from where the map's unpack left DE.
    expect(found(0x118b, 32, 'palette')).toBe(true);
  });

  test('dmg-acid2: the three blocks copied to $9800/$9C00/$9840 are gb-tilemap, the tile blocks stay tiles', async () => {
    const candidates = await scanRom(join(corpusDirectory, 'dmg-acid2.gb'), { cache: false, workers: 0 });
    for (const [offset, length] of [[0x2e0, 512], [0x4e0, 64], [0x520, 64]] as const) {
      expect(candidates.find((c) => c.offset === offset)).toMatchObject({ packedLength: length, kind: 'tilemap', format: 'gb-tilemap' });
    }
    expect(candidates.filter((c) => c.kind === 'tiles').map((c) => c.offset).sort((a, b) => a - b)).toEqual([0x560, 0x670, 0x740, 0x4000]);
  });
});

/** Little-endian 16-bit operand. */
const le = (v: number) => [v & 0xff, v >> 8];

/**
 * A 64 KiB MBC5 ROM: code and data in bank 2 (CPU $4000–$7FFF), three PB16 streams back to back,
 * a map copied to $9C00, random filler everywhere else.
 */
function syntheticRom(options: { declareCounts: boolean; mapFirstEntry?: number }) {
  const gb2bpp = getTileFormat('gb2bpp');
  const bank = 2 * 0x4000;
  const art = [encodeTiles(gb2bpp, spriteTileIndices(24, 2, 11)), encodeTiles(gb2bpp, spriteTileIndices(20, 2, 12)), encodeTiles(gb2bpp, spriteTileIndices(20, 2, 13))];
  const packed = art.map((a) => encodePb16(a));
  const streams: number[] = [];
  let p = bank + 0x1234;
  for (const s of packed) {
    streams.push(p);
    p += s.length;
  }
  // Code the program calls right after the last stream (its caller may ask for a tile more).
  const after = p;
  const cpu = (offset: number) => 0x4000 + (offset - bank);
  const unpack = bank + 0x0400;
  const copy = bank + 0x0410;
  const map = bank + 0x2800;
  const mapBytes = new Uint8Array(32 * 18).map((_, i) => (options.mapFirstEntry ?? 0) + ((i * 7) % 24));
  const b = (n: number) => (options.declareCounts ? [0x06, n] : [0x00, 0x00]);
  const code = [
    // ld de,S1 / ld hl,$9000 / ld b,24 / call unpack
    0x11, ...le(cpu(streams[0]!)), 0x21, 0x00, 0x90, ...b(24), 0xcd, ...le(cpu(unpack)),
    // ld de,S2 / ld a,[$C000] / rra / jr nc,+3 / ld de,S3 / ld hl,$8800 / ld b,20 / call unpack
    0x11, ...le(cpu(streams[1]!)), 0xfa, 0x00, 0xc0, 0x1f, 0x30, 0x03, 0x11, ...le(cpu(streams[2]!)), 0x21, 0x00, 0x88, ...b(20), 0xcd, ...le(cpu(unpack)),
    // ld hl,map / ld de,$9C00 / ld bc,576 / call copy; call after
    0x21, ...le(cpu(map)), 0x11, 0x00, 0x9c, 0x01, ...le(mapBytes.length), 0xcd, ...le(cpu(copy)), 0xcd, ...le(cpu(after)), 0xc9,
  ];
  const payloads = [
    { offset: bank + 0x0200, bytes: Uint8Array.from(code) },
    { offset: unpack, bytes: Uint8Array.of(0xc9) },
    { offset: copy, bytes: Uint8Array.of(0xc9) },
    { offset: map, bytes: mapBytes },
    ...packed.map((s, i) => ({ offset: streams[i]!, bytes: s })),
    { offset: after, bytes: Uint8Array.of(0xf0, 0x00, 0x1f, 0xd8, 0x3e, 0x01, 0xc9) },
  ];
  return { bytes: buildGbRom({ size: 0x10000, filler: 'random', payloads, title: 'GBCALLS' }), streams, lengths: packed.map((s) => s.length), map };
}

describe('a synthetic ROM of another layout (banked, streams back to back)', () => {
  test('each stream is found at its own start and length, the map copied to $9C00 as a map', async () => {
    const fixture = syntheticRom({ declareCounts: true });
    const candidates = await scanRom(romFromBytes(fixture.bytes, { name: 'gb-calls.gb' }), { cache: false, workers: 0 });
    fixture.streams.forEach((start, i) => {
      expect(candidates.find((c) => c.offset === start && c.codec === 'pb16'), `stream ${i}`).toMatchObject({ packedLength: fixture.lengths[i], kind: 'tiles' });
    });
    expect(candidates.find((c) => c.offset === fixture.map)).toMatchObject({ packedLength: 576, kind: 'tilemap', format: 'gb-tilemap' });
  });

  test('a map copy whose entries name tile slots nothing fills (a stale pointer) is not a map', async () => {
    // The streams fill slots 0-23 from $9000 (signed addressing) and 20 from $8800; entries 64-87
    // name none of them in either addressing.
    const fixture = syntheticRom({ declareCounts: true, mapFirstEntry: 64 });
    const candidates = await scanRom(romFromBytes(fixture.bytes, { name: 'gb-calls-stale.gb' }), { cache: false, workers: 0 });
    expect(candidates.some((c) => c.kind === 'tilemap' && c.offset === fixture.map)).toBe(false);
  });

  test('without the counts (the `ld b` operands replaced by nop), back-to-back streams are not all found exactly', async () => {
    const fixture = syntheticRom({ declareCounts: false });
    const candidates = await scanRom(romFromBytes(fixture.bytes, { name: 'gb-calls-nocount.gb' }), { cache: false, workers: 0 });
    const exact = fixture.streams.filter((start, i) => candidates.some((c) => c.offset === start && c.packedLength === fixture.lengths[i]));
    expect(exact.length).toBeLessThan(fixture.streams.length);
  });
});

describe('gbCalls: register contents at each call', () => {
  const rom = (code: number[], at = 0x200, size = 0x8000) => {
    const bytes = new Uint8Array(size);
    bytes.set(code, at);
    return bytes;
  };
  const everything = () => 100;

  test('a count byte before the stream (`ld a,[de]` / `inc de` / `ld b,a`) and a chained second call', () => {
    const bytes = rom([0x11, 0x00, 0x30, 0x1a, 0x13, 0x47, 0x21, 0x00, 0x80, 0xcd, 0x00, 0x10, 0xd5, 0x3e, 0x99, 0xcd, 0x00, 0x11, 0xd1, 0x06, 0x38, 0xcd, 0x00, 0x10]);
    bytes[0x3000] = 0x4c;
    const { unpacks } = gbCalls(bytes, (start) => start + 10);
    expect(unpacks.map((u) => [u.start, u.units, u.previous])).toEqual([
      [0x3001, 0x4c, -1],
      [0x300b, 0x38, 0],
    ]);
  });

  test('a forward branch merges two sources; a call with an unknown count or no ROM source declares nothing', () => {
    const bytes = rom([0x11, 0x00, 0x30, 0xfa, 0x00, 0xc0, 0x1f, 0x30, 0x03, 0x11, 0x00, 0x31, 0x06, 0x18, 0xc3, 0x00, 0x10]);
    expect(gbCalls(bytes, everything).unpacks.map((u) => u.start).sort()).toEqual([0x3000, 0x3100]);
    // ld de,$3000 / ld b,c (unknown) / call: nothing.
    expect(gbCalls(rom([0x11, 0x00, 0x30, 0x41, 0xcd, 0x00, 0x10]), everything).unpacks).toEqual([]);
    // ld de,$C000 (WRAM) / ld b,4 / call: nothing.
    expect(gbCalls(rom([0x11, 0x00, 0xc0, 0x06, 0x04, 0xcd, 0x00, 0x10]), everything).unpacks).toEqual([]);
    // A `ret` between the load and the call ends the straight line.
    expect(gbCalls(rom([0x11, 0x00, 0x30, 0xc9, 0x06, 0x04, 0xcd, 0x00, 0x10]), everything).unpacks).toEqual([]);
    // The codec says no stream is there: nothing.
    expect(gbCalls(rom([0x11, 0x00, 0x30, 0x06, 0x04, 0xcd, 0x00, 0x10]), () => -1).unpacks).toEqual([]);
  });

  test('pb16StreamEnd refuses a literal equal to the byte two back (no encoder writes one) and input that ends', () => {
    const gb2bpp = getTileFormat('gb2bpp');
    const packed = encodePb16(encodeTiles(gb2bpp, spriteTileIndices(8, 2, 5)));
    const bytes = new Uint8Array(packed.length + 4);
    bytes.set(packed);
    expect(pb16StreamEnd(bytes, 0, 8)).toBe(packed.length);
    expect(pb16StreamEnd(packed, 0, 9)).toBe(-1);
    // Flags 0 (eight literals) and a literal 00 first: equal to the zero-filled history.
    expect(pb16StreamEnd(Uint8Array.of(0x00, 0x00, 1, 2, 3, 4, 5, 6, 7), 0, 1)).toBe(-1);
  });

  test('fitsByteTilemap: indices in the low bits below the tile count; tile data does not fit', () => {
    const map = new Uint8Array(64).map((_, i) => (i % 38) | ((i & 3) << 6));
    expect(fitsByteTilemap(map, 38)).toBe(true);
    expect(fitsByteTilemap(map, 30)).toBe(false);
    const gb2bpp = getTileFormat('gb2bpp');
    expect(fitsByteTilemap(encodeTiles(gb2bpp, spriteTileIndices(8, 2, 7)), 38)).toBe(false);
  });
});

describe('GBC palettes loaded through BCPD/OCPD', () => {
  /** A GBC ROM whose code at 0x0600 loads `count` bytes from `source` (a CPU address) into `port`. */
  const paletteRom = (source: number, port: number, count: number) => {
    const palette = new Uint8Array(48);
    // Two 4-colour palettes, then colour-like words a count of 16 bytes must leave out.
    const colours = [0x7fff, 0x5294, 0x2d6b, 0x0000, 0x7c1f, 0x03e0, 0x001f, 0x4210];
    colours.forEach((c, k) => palette.set([c & 0xff, c >> 8], 2 * k));
    for (let k = 8; k < 24; k++) palette.set([(k * 37) & 0xff, (k * 11) & 0x7f], 2 * k);
    const code = [0x3e, 0x80, 0xe0, port - 1, 0x21, ...le(source), 0x06, count, 0x2a, 0xe0, port, 0x05, 0x20, 0xfa, 0xc9];
    return buildGbRom({ size: 0x8000, colour: true, filler: 'random', payloads: [{ offset: 0x0600, bytes: Uint8Array.from(code) }, { offset: 0x2340, bytes: palette }], title: 'GBCPAL' });
  };

  test('the block a BCPD loop reads from `ld hl` is a palette of the count the code loads', async () => {
    const candidates = await scanRom(romFromBytes(paletteRom(0x2340, 0x69, 16), { name: 'gbc-pal.gbc' }), { cache: false, workers: 0 });
    expect(candidates.find((c) => c.offset === 0x2340)).toMatchObject({ packedLength: 16, kind: 'palette', format: 'bgr555' });
  });

  test('a loop into another port (BGP at $FF47) or from RAM is no palette', async () => {
    const toBgp = await scanRom(romFromBytes(paletteRom(0x2340, 0x47, 16), { name: 'gbc-bgp.gbc' }), { cache: false, workers: 0 });
    expect(toBgp.some((c) => c.kind === 'palette')).toBe(false);
    const fromRam = await scanRom(romFromBytes(paletteRom(0xc340, 0x69, 16), { name: 'gbc-ram.gbc' }), { cache: false, workers: 0 });
    expect(fromRam.some((c) => c.kind === 'palette')).toBe(false);
  });
});
