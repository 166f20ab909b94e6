import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import sharp from 'sharp';
import { encodeIndexedPng, decodePng } from '../../src/gfx/png.js';
import type { Palette } from '../../src/gfx/palette.js';

function palette(count: number): Palette {
  const rgb = new Uint8Array(count * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 97 + 13) & 0xff;
  return { rgb, count };
}

describe('indexed PNG writer (our chunks over node:zlib)', () => {
  it('round-trips indices and palette order at every bit depth and odd widths (fast-png reads it back)', () => {
    fc.assert(
      fc.property(fc.constantFrom(2, 4, 16, 256), fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 19 }), fc.integer(), (count, width, height, seed) => {
        const pixels = new Uint8Array(width * height).map((_, i) => ((i * 2654435761 + seed) >>> 7) % count);
        const png = encodeIndexedPng({ width, height, pixels }, palette(count));
        const decoded = decodePng(png);
        expect(decoded.kind).toBe('indexed');
        if (decoded.kind !== 'indexed') return;
        expect(decoded.pixels).toEqual(pixels);
        expect(decoded.palette.rgb.subarray(0, count * 3)).toEqual(palette(count).rgb);
      }),
      { numRuns: 200 },
    );
  });

  it('pixels in a view at any offset of a larger buffer (the scratch planes) encode the same as a fresh copy', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 9 }), fc.integer(), (offset, width, height, seed) => {
        const pixels = new Uint8Array(width * height).map((_, i) => ((i * 2654435761 + seed) >>> 9) & 15);
        const backing = new Uint8Array(offset + pixels.length + 5).fill(0xee);
        backing.set(pixels, offset);
        const view = backing.subarray(offset, offset + pixels.length);
        expect(encodeIndexedPng({ width, height, pixels: view }, palette(16))).toEqual(encodeIndexedPng({ width, height, pixels: pixels.slice() }, palette(16)));
      }),
      { numRuns: 200 },
    );
  });

  it('an index past the palette is refused naming its pixel, wherever it sits (word-at-a-time check); fewer colours than a power of two still pass when in range', () => {
    for (const [width, height, at] of [[256, 64, 256 * 63 + 255], [256, 64, 0], [13, 7, 50], [64, 4, 129]] as const) {
      const pixels = new Uint8Array(width * height).map((_, i) => i % 3);
      expect(() => encodeIndexedPng({ width, height, pixels }, palette(3))).not.toThrow();
      pixels[at] = 3;
      expect(() => encodeIndexedPng({ width, height, pixels }, palette(3))).toThrow(expect.objectContaining({ code: 'ERR_INDEX_TOO_LARGE', details: expect.objectContaining({ x: at % width, y: Math.floor(at / width) }) }));
      pixels[at] = 16;
      expect(() => encodeIndexedPng({ width, height, pixels }, palette(16))).toThrow(expect.objectContaining({ details: expect.objectContaining({ x: at % width, y: Math.floor(at / width), value: 16 }) }));
    }
  });

  it('a second decoder (libvips through sharp) sees the same colours, and tRNS makes only colour 0 transparent', async () => {
    const width = 13;
    const height = 5;
    const pal = palette(16);
    const pixels = new Uint8Array(width * height).map((_, i) => i % 16);
    const png = encodeIndexedPng({ width, height, pixels }, pal, { transparentIndex0: true });
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width, height, channels: 4 });
    for (let i = 0; i < pixels.length; i++) {
      const p = pixels[i]!;
      expect([data[i * 4], data[i * 4 + 1], data[i * 4 + 2]]).toEqual([pal.rgb[p * 3], pal.rgb[p * 3 + 1], pal.rgb[p * 3 + 2]]);
      expect(data[i * 4 + 3]).toBe(p === 0 ? 0 : 255);
    }
  });
});
