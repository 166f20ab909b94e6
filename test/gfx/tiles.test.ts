import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeTiles,
  encodeTiles,
  getTileFormat,
  tileFormats,
  tileFormatNames,
  decodePlanarTiles,
  encodePlanarTiles,
  planarLayoutSnes4bpp,
  decodeTilesInto,
  encodeTilesInto,
} from '../../src/gfx/index.js';
import { IndexOutOfRangeError, TileDataLengthError, UnknownTileFormatError } from '../../src/errors.js';
import { equalBytes, fixture, fixtureTiles } from './helpers.js';

// [image, golden file suffix, our format name]; goldens by SuperFamiconv, rgbgfx and an independent encoder (fixtures/VECTORS.md).
const goldens: [string, string, string][] = [
  ['small16', 'gba4bpp', 'gba4bpp'],
  ['small16', 'gba8bpp', 'gba8bpp'],
  ['small16', 'gg4bpp', 'gg4bpp'],
  ['small16', 'sms4bpp', 'sms4bpp'],
  ['small16', 'md4bpp', 'md4bpp'],
  ['small16', 'pce4bpp', 'pce4bpp'],
  ['small16', 'snes-mode7', 'mode7'],
  ['small16', 'snes4bpp', 'snes4bpp'],
  ['small16', 'snes8bpp', 'snes8bpp'],
  ['small16', 'wsc-packed4bpp', 'wsc-packed4bpp'],
  ['small_gb', 'gb2bpp', 'gb2bpp'],
  ['small_gb', 'snes2bpp', 'snes2bpp'],
  ['small_gb', 'gba4bpp', 'gba4bpp'],
  ['small_gb', 'nes2bpp', 'nes2bpp'],
  ['small_gb', 'ngp2bpp', 'ngp2bpp'],
  ['small_gb', 'snes4bpp', 'snes4bpp'],
  ['tiles16', 'gba4bpp', 'gba4bpp'],
  ['tiles16', 'gba8bpp', '8bpp'],
  ['tiles16', 'pce4bpp', 'pce4bpp'],
  ['tiles16', 'snes4bpp', 'snes4bpp'],
  ['tiles16', 'snes8bpp', 'snes8bpp'],
  ['tiles16', 'wsc-packed4bpp', 'wsc-packed4bpp'],
];

describe('golden vectors', () => {
  for (const [image, suffix, format] of goldens) {
    it(`${image} ${format} matches ${image}.${suffix}.bin both ways`, () => {
      const golden = fixture(`tiles/${image}.${suffix}.bin`);
      const { indices } = fixtureTiles(`${image}.png`);
      expect(equalBytes(encodeTiles(format, indices), golden)).toBe(true);
      expect(equalBytes(decodeTiles(format, golden), indices)).toBe(true);
    });
  }

  it('rgbgfx GB 2bpp equals ours', () => {
    const { indices } = fixtureTiles('small_gb.png');
    expect(equalBytes(encodeTiles('gb2bpp', indices), fixture('tiles/small_gb.rgbgfx.2bpp'))).toBe(true);
  });

  it('NES CHR-ROM decodes and re-encodes to itself (512 tiles)', () => {
    const chr = fixture('roms/nes/full_game.chr');
    const indices = decodeTiles('nes2bpp', chr);
    expect(indices.length).toBe(512 * 64);
    expect(equalBytes(encodeTiles('nes2bpp', indices), chr)).toBe(true);
  });
});

// Hand-made single tiles for the formats the goldens do not cover (1bpp both orders, 3bpp).
describe('hand-built tiles', () => {
  it('1bpp: bit 7 is the left pixel; 1bpp-lsb: bit 0 is', () => {
    const bytes = Uint8Array.of(0x80, 0x01, 0, 0, 0, 0, 0, 0xff);
    const msb = decodeTiles('1bpp', bytes);
    expect(msb[0]).toBe(1);
    expect(msb[1]).toBe(0);
    expect(msb[15]).toBe(1);
    const lsb = decodeTiles('1bpp-lsb', bytes);
    expect(lsb[7]).toBe(1);
    expect(lsb[0]).toBe(0);
    expect(lsb[8]).toBe(1);
    expect([...lsb.subarray(56)]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('SNES 3bpp: plane 2 is 8 row bytes after the 16-byte 2bpp part', () => {
    const bytes = new Uint8Array(24);
    bytes[0] = 0x80; // row 0 plane 0, pixel 0
    bytes[3] = 0x40; // row 1 plane 1, pixel 1
    bytes[16 + 2] = 0x01; // row 2 plane 2, pixel 7
    const indices = decodeTiles('snes3bpp', bytes);
    expect(indices[0]).toBe(1);
    expect(indices[9]).toBe(2);
    expect(indices[23]).toBe(4);
    expect(indices.reduce((a, b) => a + b, 0)).toBe(7);
  });

  it('NGP 2bpp: leftmost pixel in bits 15-14 of a little-endian word', () => {
    const indices = decodeTiles('ngp2bpp', Uint8Array.of(0x1b, 0xc0, ...new Uint8Array(14)));
    expect([...indices.subarray(0, 8)]).toEqual([3, 0, 0, 0, 0, 1, 2, 3]);
  });
});

describe('round trips', () => {
  for (const format of tileFormats) {
    it(`${format.name}: decode → encode is the identity on random bytes, encode → decode on random indices`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 0x7fffffff }), (tiles, seed) => {
          const bytes = new Uint8Array(tiles * format.bytesPerTile);
          let s = seed | 1;
          for (let i = 0; i < bytes.length; i++) {
            s ^= s << 13;
            s ^= s >>> 17;
            s ^= s << 5;
            bytes[i] = s & 0xff;
          }
          expect(equalBytes(encodeTiles(format, decodeTiles(format, bytes)), bytes)).toBe(true);
          const indices = bytes.length === 0 ? new Uint8Array(0) : new Uint8Array(tiles * 64).map((_, i) => bytes[i % bytes.length]! & ((1 << format.bpp) - 1));
          expect(equalBytes(decodeTiles(format, encodeTiles(format, indices)), indices)).toBe(true);
        }),
        { numRuns: 60 },
      );
    });
  }
});

describe('unaligned buffers', () => {
  // Kernels move whole rows as 16/32-bit words when the indices plane is aligned; an unaligned
  // plane (a subarray at an odd byte offset) takes the byte-store path and must agree.
  for (const format of tileFormats) {
    it(`${format.name}: aligned and unaligned indices planes give the same result`, () => {
      const tiles = 5;
      const bytes = Uint8Array.from({ length: tiles * format.bytesPerTile }, (_, i) => (i * 151 + 7) & 0xff);
      const aligned = decodeTiles(format, bytes);
      const backing = new Uint8Array(tiles * 64 + 3);
      const unaligned = backing.subarray(1, 1 + tiles * 64);
      decodeTilesInto(format, bytes, unaligned, tiles);
      expect(equalBytes(unaligned, aligned)).toBe(true);
      const out = new Uint8Array(bytes.length);
      encodeTilesInto(format, unaligned, out, tiles);
      expect(equalBytes(out, bytes)).toBe(true);
    });
  }
});

describe('errors', () => {
  it('an index over the bit depth names the tile and pixel, for every format under 8 bpp', () => {
    for (const format of tileFormats) {
      if (format.bpp === 8) continue;
      const indices = new Uint8Array(3 * 64);
      indices[2 * 64 + 5 * 8 + 6] = 1 << format.bpp;
      let caught: unknown;
      try {
        encodeTiles(format, indices);
      } catch (error) {
        caught = error;
      }
      expect(caught, format.name).toBeInstanceOf(IndexOutOfRangeError);
      const error = caught as IndexOutOfRangeError;
      expect(error.code).toBe('ERR_INDEX_TOO_LARGE');
      expect(error.details).toMatchObject({ tile: 2, x: 6, y: 5, value: 1 << format.bpp });
      expect(error.message).toContain('tile 2 pixel (6, 5)');
    }
  });

  it('tile data that is not whole tiles is refused', () => {
    expect(() => decodeTiles('snes4bpp', new Uint8Array(33))).toThrow(TileDataLengthError);
    expect(() => encodeTiles('snes4bpp', new Uint8Array(65))).toThrow(TileDataLengthError);
  });

  it('kernels refuse buffers shorter than the tile count', () => {
    expect(() => decodePlanarTiles(new Uint8Array(31), new Uint8Array(64), 1, planarLayoutSnes4bpp)).toThrow(TileDataLengthError);
    expect(() => encodePlanarTiles(new Uint8Array(63), new Uint8Array(32), 1, planarLayoutSnes4bpp)).toThrow(TileDataLengthError);
  });

  it('unknown format names list the known ones', () => {
    expect(() => getTileFormat('snes5bpp')).toThrow(UnknownTileFormatError);
    expect(getTileFormat('PCE4BPP').name).toBe('snes4bpp');
    expect(getTileFormat('wsc4bpp').name).toBe('sms4bpp');
    expect(getTileFormat('gba8bpp').name).toBe('mode7');
    expect(tileFormatNames()).toEqual(expect.arrayContaining(['1bpp', '1bpp-lsb', 'nes2bpp', 'gb2bpp', 'snes2bpp', 'snes3bpp', 'snes4bpp', 'pce4bpp', 'snes8bpp', 'sms4bpp', 'gg4bpp', 'wsc4bpp', 'gba4bpp', 'md4bpp', 'wsc-packed4bpp', 'ngp2bpp', 'mode7', '8bpp', 'gba8bpp']));
  });

  it('fuzz: decoders accept any whole-tile input and refuse any other length, never anything else', () => {
    fc.assert(
      fc.property(fc.constantFrom(...tileFormats), fc.uint8Array({ maxLength: 300 }), (format, bytes) => {
        try {
          const indices = decodeTiles(format, bytes);
          expect(indices.length).toBe((bytes.length / format.bytesPerTile) * 64);
          for (const v of indices) expect(v < 1 << format.bpp).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(TileDataLengthError);
          expect(bytes.length % format.bytesPerTile).not.toBe(0);
        }
      }),
      { numRuns: 400 },
    );
  });
});
