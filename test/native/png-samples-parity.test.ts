/**
 * The addon's PNG sample unpacker (src/native/png-samples.ts over native/src/png_samples.cc)
 * against the TypeScript reference unpackPngSamples (src/gfx/png-core.ts), and both against the
 * PNG spec's definition (7.2: samples packed leftmost in the high-order bits, each row starting on
 * a byte): every depth, row widths with and without padding bits, aligned and unaligned views,
 * and the same refusals of buffers that are too short. Through decodePng the two give the same
 * pixels on every sub-byte fixture PNG and on PNGs our writer makes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePng, decodePngWith, encodeIndexedPng, unpackPngSamples } from '../../src/gfx/png.js';
import { grayscalePalette } from '../../src/gfx/palette.js';
import { nodeZlibInflateRaw } from '../../src/native/inflate.js';
import { createNativePngSampleUnpacker } from '../../src/native/png-samples.js';
import { fixturePngs, fixturesDir, requireNative } from './helpers.js';

const addon = requireNative();
const nativeUnpack = createNativePngSampleUnpacker(addon);

/** The spec's definition, sample by sample. */
function unpackBySample(packed: Uint8Array, samplesPerRow: number, rows: number, depth: number): Uint8Array {
  const out = new Uint8Array(samplesPerRow * rows);
  const stride = Math.ceil((samplesPerRow * depth) / 8);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < samplesPerRow; x++) {
      const bit = x * depth;
      out[y * samplesPerRow + x] = (packed[y * stride + (bit >> 3)]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    }
  }
  return out;
}

describe('pngUnpackSamples (native) = unpackPngSamples (TypeScript) = the spec', () => {
  it('every depth, row widths with and without padding, aligned and unaligned views', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<1 | 2 | 4>(1, 2, 4),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }),
        (depth, samplesPerRow, rows, packedOffset, outOffset, seed) => {
          const stride = Math.ceil((samplesPerRow * depth) / 8);
          // Runs of one byte, as drawn art packs.
          const packed = new Uint8Array(packedOffset + stride * rows).subarray(packedOffset);
          for (let i = 0; i < packed.length; i++) packed[i] = seed[Math.floor(i / 3) % seed.length]!;
          const expected = unpackBySample(packed, samplesPerRow, rows, depth);
          const fromTypescript = new Uint8Array(outOffset + expected.length).subarray(outOffset);
          unpackPngSamples(packed, fromTypescript, samplesPerRow, rows, depth);
          const fromNative = new Uint8Array(outOffset + expected.length).subarray(outOffset);
          nativeUnpack(packed, fromNative, samplesPerRow, rows, depth);
          expect(Buffer.from(fromTypescript).equals(Buffer.from(expected))).toBe(true);
          expect(Buffer.from(fromNative).equals(Buffer.from(expected))).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuses buffers too short for the rows, a depth other than 1, 2 or 4, and overlapping buffers, writing nothing', () => {
    const packed = new Uint8Array(8).fill(0xff);
    for (const unpack of [nativeUnpack, unpackPngSamples]) {
      // 3 rows of 10 4-bit samples need 15 packed bytes.
      expect(() => unpack(packed, new Uint8Array(30), 10, 3, 4)).toThrow(RangeError);
      const out = new Uint8Array(29);
      expect(() => unpack(new Uint8Array(15), out, 10, 3, 4)).toThrow(RangeError);
      expect(out.every((v) => v === 0)).toBe(true);
    }
    expect(() => addon.pngUnpackSamples(packed, new Uint8Array(64), 8, 1, 3)).toThrow(RangeError);
    expect(() => addon.pngUnpackSamples(packed, new Uint8Array(64), 8, 1, 8)).toThrow(RangeError);
    const shared = new Uint8Array(64);
    expect(() => addon.pngUnpackSamples(shared.subarray(0, 4), shared.subarray(2), 8, 1, 4)).toThrow(RangeError);
    expect(() => addon.pngUnpackSamples(packed, new Uint8Array(8), -1, 1, 4)).toThrow();
    expect(() => addon.pngUnpackSamples('x' as unknown as Uint8Array, new Uint8Array(8), 8, 1, 4)).toThrow();
  });
});

describe('decodePng spreads samples natively with the same pixels as the TypeScript unpacker', () => {
  it('every fixture PNG, and indexed PNGs our writer makes at 1, 2 and 4 bits', () => {
    const files = fixturePngs().map((name) => readFileSync(join(fixturesDir, name)));
    for (const bits of [1, 2, 4] as const) {
      for (const width of [7, 8, 13, 256]) {
        const pixels = new Uint8Array(width * 9).map((_, i) => ((i >> 2) ^ (i >> 5)) & ((1 << bits) - 1));
        files.push(Buffer.from(encodeIndexedPng({ width, height: 9, pixels }, grayscalePalette(bits))));
      }
    }
    let subByte = 0;
    for (const bytes of files) {
      if (bytes[24]! < 8) subByte += 1;
      expect(decodePng(bytes)).toEqual(decodePngWith(nodeZlibInflateRaw, bytes));
    }
    expect(subByte).toBeGreaterThanOrEqual(12);
  });
});
