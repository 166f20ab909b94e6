/**
 * Parity of the native planar and packed-nibble tile kernels with the TypeScript reference
 * (src/gfx/kernels.ts) for every format of those families in the format table: identical
 * output bytes (including what an encoder leaves behind when it throws) and identical errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tileFormats, type TileFormat } from '../../src/gfx/formats.js';
import { nativeTileKernels, typescriptTileKernels, type TileKernels } from '../../src/native/index.js';
import { outcome, requireNative } from './helpers.js';

requireNative();
const native: TileKernels = nativeTileKernels()!;
const reference = typescriptTileKernels;
const families = tileFormats.filter((format) => format.family === 'planar' || format.family === 'packed-nibble');

function decodeWith(kernels: TileKernels, format: TileFormat, bytes: Uint8Array, indices: Uint8Array, tileCount: number): void {
  if (format.family === 'planar') kernels.decodePlanarTiles(bytes, indices, tileCount, format.planarLayout!);
  else kernels.decodePackedNibbleTiles(bytes, indices, tileCount, format.lowNibbleLeft === true);
}

function encodeWith(kernels: TileKernels, format: TileFormat, indices: Uint8Array, bytes: Uint8Array, tileCount: number): void {
  if (format.family === 'planar') kernels.encodePlanarTiles(indices, bytes, tileCount, format.planarLayout!);
  else kernels.encodePackedNibbleTiles(indices, bytes, tileCount, format.lowNibbleLeft === true);
}

/** Runs a decode with both kernel sets on copies of the same buffers; compares outcomes and buffers. */
function expectDecodeParity(format: TileFormat, bytes: Uint8Array, indices: Uint8Array, tileCount: number): void {
  const nativeIndices = indices.slice();
  const referenceIndices = indices.slice();
  const a = outcome(() => decodeWith(native, format, bytes, nativeIndices, tileCount));
  const b = outcome(() => decodeWith(reference, format, bytes, referenceIndices, tileCount));
  expect(a, format.name).toEqual(b);
  expect(Buffer.from(nativeIndices).equals(Buffer.from(referenceIndices)), `${format.name}: indices`).toBe(true);
}

function expectEncodeParity(format: TileFormat, indices: Uint8Array, bytes: Uint8Array, tileCount: number): void {
  const nativeBytes = bytes.slice();
  const referenceBytes = bytes.slice();
  const a = outcome(() => encodeWith(native, format, indices, nativeBytes, tileCount));
  const b = outcome(() => encodeWith(reference, format, indices, referenceBytes, tileCount));
  expect(a, format.name).toEqual(b);
  expect(Buffer.from(nativeBytes).equals(Buffer.from(referenceBytes)), `${format.name}: bytes`).toBe(true);
}

describe('native tile kernels = TypeScript kernels', () => {
  it('covers every planar and packed format of the table', () => {
    expect(families.map((f) => f.name).sort()).toEqual(
      ['1bpp', '1bpp-lsb', 'nes2bpp', 'gb2bpp', 'snes3bpp', 'snes4bpp', 'snes8bpp', 'sms4bpp', 'gba4bpp', 'md4bpp', 'wsc-packed4bpp'].sort(),
    );
  });

  for (const format of families) {
    it(`${format.name}: decode of random tile bytes, any view alignment`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 2 }), fc.nat(), (tiles, shift, spare, seed) => {
          const backing = fc.sample(fc.uint8Array({ minLength: tiles * format.bytesPerTile + shift + spare, maxLength: tiles * format.bytesPerTile + shift + spare }), { seed, numRuns: 1 })[0]!;
          const bytes = backing.subarray(shift);
          const indices = new Uint8Array(tiles * 64 + spare + 3).fill(0xaa).subarray(3 - (shift % 4));
          expectDecodeParity(format, bytes, indices, tiles);
        }),
        { numRuns: 120 },
      );
    });

    it(`${format.name}: encode of random indices, in range and over the bit depth`, () => {
      const maximum = (1 << format.bpp) - 1;
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 24 }),
          fc.nat(),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
          fc.integer({ min: 0, max: 5 }),
          (tiles, seed, outliers, shift) => {
            const indices = new Uint8Array(tiles * 64 + shift).subarray(shift);
            let x = seed | 1;
            for (let i = 0; i < indices.length; i++) {
              x ^= x << 13;
              x ^= x >>> 17;
              x ^= x << 5;
              indices[i] = (x >>> 0) % (maximum + 1);
            }
            for (const [at, value] of outliers) if (indices.length > 0) indices[at % indices.length] = value;
            const bytes = new Uint8Array(tiles * format.bytesPerTile + shift).fill(0x5a).subarray(shift);
            expectEncodeParity(format, indices, bytes, tiles);
          },
        ),
        { numRuns: 150 },
      );
    });

    it(`${format.name}: all 256 row patterns in every plane round-trip identically`, () => {
      const maximum = (1 << format.bpp) - 1;
      const indices = new Uint8Array(256 * 64);
      for (let t = 0; t < 256; t++) for (let i = 0; i < 64; i++) indices[t * 64 + i] = (t >> (7 - (i & 7))) & 1 ? maximum : (t * 7 + i) & maximum & 0x0a;
      const bytes = new Uint8Array(256 * format.bytesPerTile);
      expectEncodeParity(format, indices, bytes, 256);
      encodeWith(native, format, indices, bytes, 256);
      expectDecodeParity(format, bytes, new Uint8Array(256 * 64), 256);
      const back = new Uint8Array(256 * 64);
      decodeWith(native, format, bytes, back, 256);
      expect(Buffer.from(back).equals(Buffer.from(indices))).toBe(true);
    });

    it(`${format.name}: the same length and count errors`, () => {
      const bpt = format.bytesPerTile;
      for (const [bytesLength, indicesLength, tiles] of [
        [bpt * 2 - 1, 128, 2],
        [bpt * 2, 127, 2],
        [bpt, 64, -1],
        [bpt, 64, 0.5],
        [bpt, 64, Number.NaN],
        [0, 0, 2 ** 53],
        [bpt * 3, 64 * 3, 3],
      ] as const) {
        expectDecodeParity(format, new Uint8Array(bytesLength).fill(0x33), new Uint8Array(indicesLength), tiles);
        expectEncodeParity(format, new Uint8Array(indicesLength).fill(1), new Uint8Array(bytesLength), tiles);
      }
    });
  }

  it('overlapping views (same buffer) give the reference result', () => {
    const format = families.find((f) => f.name === 'snes4bpp')!;
    const make = (): Uint8Array => Uint8Array.from({ length: 200 }, (_, i) => (i * 37) & 0xff);
    const a = make();
    const b = make();
    native.decodePlanarTiles(a.subarray(0, 32), a.subarray(16, 80), 1, format.planarLayout!);
    reference.decodePlanarTiles(b.subarray(0, 32), b.subarray(16, 80), 1, format.planarLayout!);
    expect(a).toEqual(b);
  });
});
