import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  arrangeSheet,
  unarrangeSheet,
  arrangeMetatiles,
  unarrangeMetatiles,
  parseMetatileLayout,
  metatileTile,
  renderIndexedImage,
  flipImage,
  checkIndicesFitBpp,
} from '../../src/gfx/index.js';
import { InvalidArgumentError, ImageSizeError } from '../../src/errors.js';
import { equalBytes } from './helpers.js';

/** Indices where every pixel of tile t is t (mod 256), so positions reveal tile numbers. */
function numberedTiles(count: number): Uint8Array {
  const indices = new Uint8Array(count * 64);
  for (let t = 0; t < count; t++) indices.fill(t & 0xff, t * 64, t * 64 + 64);
  return indices;
}

function tileAt(image: { width: number; pixels: Uint8Array }, cx: number, cy: number): number {
  return image.pixels[cy * 8 * image.width + cx * 8]!;
}

describe('sheets', () => {
  it('row-major: tile t at (t % n, t / n); partial last row is blank', () => {
    const sheet = arrangeSheet(numberedTiles(20), 20, { tilesPerRow: 8 });
    expect([sheet.width, sheet.height]).toEqual([64, 24]);
    expect(tileAt(sheet, 3, 1)).toBe(11);
    expect(tileAt(sheet, 3, 2)).toBe(19);
    expect(tileAt(sheet, 4, 2)).toBe(0);
  });

  it('column-major: tiles fill a column of `rows` first', () => {
    const sheet = arrangeSheet(numberedTiles(12), 12, { tilesPerRow: 4, order: 'column' });
    expect([sheet.width, sheet.height]).toEqual([32, 24]);
    expect(tileAt(sheet, 0, 1)).toBe(1);
    expect(tileAt(sheet, 1, 0)).toBe(3);
    expect(tileAt(sheet, 3, 2)).toBe(11);
  });

  it('default is 16 tiles per row', () => {
    expect(arrangeSheet(numberedTiles(32), 32).width).toBe(128);
  });

  it('sheet round trip for any shape and order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom('row' as const, 'column' as const), (count, perRow, order) => {
        const indices = numberedTiles(count).map((v, i) => (v + i) & 0xff);
        const sheet = arrangeSheet(indices, count, { tilesPerRow: perRow, order });
        const back = unarrangeSheet(sheet, { tilesPerRow: perRow, order, tileCount: count });
        expect(equalBytes(back.indices, indices)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('images that are not whole tiles are refused', () => {
    expect(() => unarrangeSheet({ width: 12, height: 8, pixels: new Uint8Array(96) })).toThrow(ImageSizeError);
  });
});

describe('metatile layouts', () => {
  it('SNES OBJ 16x16: n, n+1, n+16, n+17, sprites stepping 2 tiles then down 2 rows', () => {
    const layout = parseMetatileLayout('snes-obj:16x16')!;
    expect([0, 1, 16, 17].map((_, i) => metatileTile(layout, 0, i & 1, i >> 1))).toEqual([0, 1, 16, 17]);
    expect(metatileTile(layout, 1, 0, 0)).toBe(2);
    expect(metatileTile(layout, 8, 1, 1)).toBe(49);
    const image = arrangeMetatiles(numberedTiles(64), 64, layout, { metatilesPerRow: 2 });
    expect([image.width, image.height]).toEqual([32, 16 * 8]);
    // sprite 1 (second in row 0): tiles 2, 3, 18, 19
    expect([tileAt(image, 2, 0), tileAt(image, 3, 0), tileAt(image, 2, 1), tileAt(image, 3, 1)]).toEqual([2, 3, 18, 19]);
  });

  it('SNES OBJ 32x32 and 64x64 use the 16-wide grid', () => {
    const l32 = parseMetatileLayout('snes-obj:32x32')!;
    expect(metatileTile(l32, 0, 3, 3)).toBe(51);
    expect(metatileTile(l32, 4, 0, 0)).toBe(64);
    const l64 = parseMetatileLayout('snes-obj:64x64')!;
    expect(metatileTile(l64, 1, 7, 7)).toBe(8 + 7 * 16 + 7);
  });

  it('GB 8x16: n and n+1 stacked', () => {
    const layout = parseMetatileLayout('gb-8x16')!;
    const image = arrangeMetatiles(numberedTiles(6), 6, layout, { metatilesPerRow: 3 });
    expect([image.width, image.height]).toEqual([24, 16]);
    expect([tileAt(image, 0, 0), tileAt(image, 0, 1), tileAt(image, 2, 0), tileAt(image, 2, 1)]).toEqual([0, 1, 4, 5]);
  });

  it('block WxH: consecutive tiles, row-major inside', () => {
    const layout = parseMetatileLayout('block:3x2')!;
    expect(metatileTile(layout, 1, 2, 1)).toBe(6 + 5);
  });

  it('metatile round trip', () => {
    for (const name of ['snes-obj:16x16', 'snes-obj:32x32', 'gb-8x16', 'block:2x3']) {
      const layout = parseMetatileLayout(name)!;
      const count = 128;
      const indices = numberedTiles(count);
      const image = renderIndexedImage(indices, count, { layout });
      expect(equalBytes(unarrangeMetatiles(image, count, layout), indices), name).toBe(true);
    }
  });

  it('bad layout names are usage errors', () => {
    expect(() => parseMetatileLayout('snes-obj:24x24')).toThrow(InvalidArgumentError);
    expect(() => parseMetatileLayout('block:0x2')).toThrow(InvalidArgumentError);
    expect(() => parseMetatileLayout('zigzag')).toThrow(InvalidArgumentError);
    expect(parseMetatileLayout('sheet')).toBeUndefined();
  });

  it('flipImage flips both ways', () => {
    const image = { width: 2, height: 2, pixels: Uint8Array.of(1, 2, 3, 4) };
    expect([...flipImage(image, true, false).pixels]).toEqual([2, 1, 4, 3]);
    expect([...flipImage(image, false, true).pixels]).toEqual([3, 4, 1, 2]);
  });
});

describe('word-at-a-time paths give what the per-pixel definitions give', () => {
  /** A tile-like image (runs of one index) whose pixels start `offset` bytes into their buffer, so that aligned and unaligned views are both met. */
  const sheetArbitrary = fc
    .record({ columns: fc.integer({ min: 1, max: 9 }), rows: fc.integer({ min: 1, max: 7 }), offset: fc.integer({ min: 0, max: 5 }), seed: fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 64 }) })
    .map(({ columns, rows, offset, seed }) => {
      const width = columns * 8;
      const height = rows * 8;
      const buffer = new Uint8Array(offset + width * height);
      const pixels = buffer.subarray(offset);
      for (let i = 0; i < pixels.length; i++) pixels[i] = seed[Math.floor(i / 3) % seed.length]!;
      return { width, height, pixels, offset };
    });

  function cutByPixel(image: { width: number; pixels: Uint8Array }, cells: [number, number][]): Uint8Array {
    const out = new Uint8Array(cells.length * 64);
    cells.forEach(([cx, cy], t) => {
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) out[t * 64 + y * 8 + x] = image.pixels[(cy * 8 + y) * image.width + cx * 8 + x]!;
    });
    return out;
  }

  it('unarrangeSheet: every tile, row and column order, fewer tiles than cells, aligned or not', () => {
    fc.assert(
      fc.property(sheetArbitrary, fc.constantFrom<'row' | 'column'>('row', 'column'), fc.nat(), (image, order, take) => {
        const columns = image.width / 8;
        const rows = image.height / 8;
        const tileCount = take % (columns * rows + 1);
        const cells: [number, number][] = [];
        for (let t = 0; t < tileCount; t++) cells.push(order === 'row' ? [t % columns, Math.floor(t / columns)] : [Math.floor(t / rows), t % rows]);
        const { indices } = unarrangeSheet(image, { order, tileCount });
        expect(equalBytes(indices, cutByPixel(image, cells))).toBe(true);
      }),
    );
  });

  it('checkIndicesFitBpp: finds the first pixel over the depth wherever it is (any word, the tail), aligned or not', () => {
    fc.assert(
      fc.property(sheetArbitrary, fc.integer({ min: 1, max: 7 }), fc.nat(), fc.nat(), (image, bpp, at, extra) => {
        const maximum = (1 << bpp) - 1;
        for (let i = 0; i < image.pixels.length; i++) image.pixels[i]! &= maximum;
        expect(() => checkIndicesFitBpp(image, bpp)).not.toThrow();
        const bad = at % image.pixels.length;
        const value = maximum + 1 + (extra % (255 - maximum));
        image.pixels[bad] = value;
        // A second one later must not be the one named.
        if (bad + 1 < image.pixels.length) image.pixels[image.pixels.length - 1] = 255;
        expect(() => checkIndicesFitBpp(image, bpp)).toThrow(`pixel (${bad % image.width}, ${Math.floor(bad / image.width)}) has index ${value},`);
      }),
    );
    expect(() => checkIndicesFitBpp({ width: 8, height: 8, pixels: new Uint8Array(64).fill(255) }, 8)).not.toThrow();
  });
});
