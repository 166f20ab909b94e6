/**
 * The addon's zlib deflate (a fresh stream per call on memory the thread keeps) against Node's
 * zlib.deflateSync (a fresh stream on fresh memory): identical bytes for every level and size,
 * in any order of calls — nothing of an earlier input may leak into the next output (a stream
 * kept and deflateReset between calls did leak: this test's first property found it) — and
 * through the PNG writer. Bad arguments from a direct caller are refused, never a crash.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeIndexedPng } from '../../src/gfx/png.js';
import { createNativeZlibDeflate, nodeZlibDeflate, zlibDeflateBound } from '../../src/native/index.js';
import { requireNative, seededBytes } from './helpers.js';

const addon = requireNative();
const native = createNativeZlibDeflate(addon);

/** Bytes like PNG scanlines of pixel art: runs of a few values, with an occasional fresh one. */
function runsOf(length: number, seed: number, alphabet: number): Uint8Array {
  const noise = seededBytes(length, seed);
  const out = new Uint8Array(length);
  let value = 0;
  for (let i = 0; i < length; i++) {
    if (noise[i]! < 70) value = noise[(i * 7) % length]! % alphabet;
    out[i] = value;
  }
  return out;
}

const input = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc.record({ length: fc.integer({ min: 0, max: 70_000 }), seed: fc.integer({ min: 1, max: 2 ** 30 }), alphabet: fc.constantFrom(2, 4, 16, 256) }).map(({ length, seed, alphabet }) => runsOf(length, seed, alphabet)),
  fc.record({ length: fc.integer({ min: 0, max: 40_000 }), seed: fc.integer({ min: 1, max: 2 ** 30 }) }).map(({ length, seed }) => seededBytes(length, seed)),
);

describe('native zlib deflate = node:zlib deflateSync', () => {
  it('gives the same bytes for sequences of calls at mixed levels and sizes', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ bytes: input, level: fc.integer({ min: 1, max: 9 }) }), { minLength: 1, maxLength: 8 }), (calls) => {
        for (const { bytes, level } of calls) {
          const ours = native.deflate(bytes, level);
          expect(Buffer.from(ours).equals(deflateSync(bytes, { level })), `${bytes.length} bytes at level ${level}`).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('leaves nothing of a large input behind for the small one after it (the memory is reused)', () => {
    const large = runsOf(300_000, 7, 16);
    const small = runsOf(5_000, 8, 16);
    for (const level of [1, 3, 6, 9]) {
      native.deflate(large, level);
      expect(Buffer.from(native.deflate(small, level)).equals(deflateSync(small, { level }))).toBe(true);
      expect(Buffer.from(native.deflate(new Uint8Array(0), level)).equals(deflateSync(new Uint8Array(0), { level }))).toBe(true);
    }
  });

  it('never writes past the bound, and the bound is zlib compressBound', () => {
    // Incompressible input is where deflate comes closest to its bound.
    for (const length of [0, 1, 100, 4_095, 4_096, 16_384, 65_535, 200_000]) {
      const bytes = seededBytes(length, length + 1);
      const out = native.deflate(bytes, 9);
      expect(out.length).toBeLessThanOrEqual(zlibDeflateBound(length));
      expect(Buffer.from(inflateSync(out)).equals(Buffer.from(bytes))).toBe(true);
    }
    expect(zlibDeflateBound(0)).toBe(13);
    expect(zlibDeflateBound(65_536)).toBe(65_536 + 16 + 4 + 13);
  });

  it('writes the same PNG as with node:zlib', () => {
    const pixels = runsOf(256 * 64, 3, 16);
    const palette = { rgb: seededBytes(48, 5), count: 16 };
    const image = { width: 256, height: 64, pixels };
    const withNative = encodeIndexedPng(image, palette, { compressionLevel: 3 });
    const filtered = new Uint8Array(64 * 129);
    for (let y = 0; y < 64; y++) for (let x = 0; x < 128; x++) filtered[y * 129 + 1 + x] = (pixels[y * 256 + 2 * x]! << 4) | pixels[y * 256 + 2 * x + 1]!;
    const idat = nodeZlibDeflate.deflate(filtered, 3);
    expect(Buffer.from(withNative).includes(Buffer.from(idat))).toBe(true);
    expect(withNative.length).toBe(8 + 25 + 12 + 48 + 12 + idat.length + 12);
  });

  it('refuses bad arguments with a TypeError/RangeError', () => {
    const bytes = seededBytes(1000, 3);
    const output = new Uint8Array(zlibDeflateBound(1000));
    expect(addon.zlibDeflate(bytes, output, 6)).toBeGreaterThan(0);
    expect(() => addon.zlibDeflate(bytes, new Uint8Array(zlibDeflateBound(1000) - 1), 6)).toThrow(RangeError);
    expect(() => addon.zlibDeflate(bytes, output, 0)).toThrow(RangeError);
    expect(() => addon.zlibDeflate(bytes, output, 10)).toThrow(RangeError);
    expect(() => addon.zlibDeflate(bytes, output, 2.5)).toThrow(RangeError);
    expect(() => addon.zlibDeflate([1, 2] as unknown as Uint8Array, output, 6)).toThrow(TypeError);
    const shared = new Uint8Array(4000);
    expect(() => addon.zlibDeflate(shared.subarray(0, 1000), shared.subarray(500), 6)).toThrow(RangeError);
    // @ts-expect-error the level is missing on purpose: the addon must refuse, not crash
    expect(() => addon.zlibDeflate(bytes, output)).toThrow(TypeError);
  });
});
