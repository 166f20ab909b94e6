import { describe, expect, it } from 'vitest';
import { decode as fastPngDecode, encode as fastPngEncode } from 'fast-png';
import {
  arrangeSheet,
  decodePng,
  decodeTiles,
  encodeIndexedPng,
  encodeTiles,
  grayscalePalette,
  indexedToRgba,
  readIndexedPng,
  unarrangeSheet,
  checkIndicesFitBpp,
  type Palette,
  type IndexedImage,
} from '../../src/gfx/index.js';
import { IndexOutOfRangeError, OffPaletteColourError, PngFormatError } from '../../src/errors.js';
import { equalBytes, fixture } from './helpers.js';

const palette4: Palette = { rgb: Uint8Array.of(255, 0, 255, 10, 20, 30, 10, 20, 30, 0, 0, 0), count: 4 };

function image(width: number, height: number, fill: (x: number, y: number) => number): IndexedImage {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = fill(x, y);
  return { width, height, pixels };
}

describe('indexed PNG out', () => {
  it('pixel values are the indices and PLTE is the palette in its exact order', () => {
    const img = image(16, 8, (x, y) => (x + y) % 4);
    const png = fastPngDecode(encodeIndexedPng(img, palette4));
    expect(png.palette).toEqual([
      [255, 0, 255],
      [10, 20, 30],
      [10, 20, 30],
      [0, 0, 0],
    ]);
    expect(png.depth).toBe(2);
    const back = decodePng(encodeIndexedPng(img, palette4));
    expect(back.kind).toBe('indexed');
    expect(equalBytes((back as { pixels: Uint8Array }).pixels, img.pixels)).toBe(true);
  });

  it('colour 0 is transparent through tRNS only when asked', () => {
    const img = image(8, 8, (x) => x % 4);
    const opaque = decodePng(encodeIndexedPng(img, palette4));
    const clear = decodePng(encodeIndexedPng(img, palette4, { transparentIndex0: true }));
    expect(opaque.kind === 'indexed' && [...opaque.alpha]).toEqual([255, 255, 255, 255]);
    expect(clear.kind === 'indexed' && [...clear.alpha]).toEqual([0, 255, 255, 255]);
  });

  it('an index past the palette names the pixel', () => {
    const img = image(8, 8, (x, y) => (x === 3 && y === 5 ? 4 : 0));
    expect(() => encodeIndexedPng(img, palette4)).toThrow(/pixel \(3, 5\) has index 4/u);
  });

  for (const count of [2, 16, 256]) {
    it(`depth chosen for ${count} colours round-trips every index`, () => {
      const palette = grayscalePalette(Math.log2(count));
      const img = image(count === 256 ? 256 : 16, 8, (x, y) => (x * 7 + y) % count);
      const back = readIndexedPng(encodeIndexedPng(img, palette));
      expect(equalBytes(back.pixels, img.pixels)).toBe(true);
    });
  }
});

describe('PNG in', () => {
  it('PNG → tiles → PNG is the identity (tiles16.png, SNES 4bpp), palette kept', () => {
    const source = fixture('tiles/tiles16.png');
    const decoded = decodePng(source);
    expect(decoded.kind).toBe('indexed');
    if (decoded.kind !== 'indexed') return;
    const { indices, tileCount } = unarrangeSheet(decoded);
    const bytes = encodeTiles('snes4bpp', indices);
    expect(equalBytes(bytes, fixture('tiles/tiles16.snes4bpp.bin'))).toBe(true);
    const sheet = arrangeSheet(decodeTiles('snes4bpp', bytes), tileCount, { tilesPerRow: 32 });
    const again = decodePng(encodeIndexedPng(sheet, decoded.palette));
    expect(again.kind === 'indexed' && equalBytes(again.pixels, decoded.pixels)).toBe(true);
    expect(again.kind === 'indexed' && equalBytes(again.palette.rgb, decoded.palette.rgb)).toBe(true);
  });

  it('4-bit indexed PNG with tRNS (glyphs.png) → 1bpp-lsb equals glyphs.1bpp', () => {
    const img = readIndexedPng(fixture('roms/gba/glyphs.png'));
    expect(img.width).toBe(128);
    const { indices, tileCount } = unarrangeSheet(img);
    expect(tileCount).toBe(96);
    // The source image's paper is index 4, so encoding it as 1bpp must refuse, naming the pixel…
    expect(() => encodeTiles('1bpp-lsb', indices)).toThrow(/tile 0 pixel \(0, 0\) has index 4/u);
    // …and with ink (index 1) kept and everything else as 0 it is exactly the ROM's font.
    const ink = indices.map((v) => (v === 1 ? 1 : 0));
    expect(equalBytes(encodeTiles('1bpp-lsb', ink), fixture('roms/gba/glyphs.1bpp'))).toBe(true);
  });

  it('duplicate palette colours do not collapse indices of an indexed PNG', () => {
    const img = image(8, 8, (x) => (x % 2 ? 1 : 2)); // indices 1 and 2 have the same colour
    const back = readIndexedPng(encodeIndexedPng(img, palette4), { palette: palette4 });
    expect(equalBytes(back.pixels, img.pixels)).toBe(true);
  });

  it('RGB PNG maps exactly onto the palette; transparent pixels are index 0', () => {
    const rgba = new Uint8Array(8 * 8 * 4);
    for (let i = 0; i < 64; i++) rgba.set(i % 3 === 0 ? [0, 0, 0, 255] : i % 3 === 1 ? [10, 20, 30, 255] : [1, 2, 3, 0], i * 4);
    const png = fastPngEncode({ width: 8, height: 8, data: rgba, channels: 4, depth: 8 });
    const img = readIndexedPng(png, { palette: palette4 });
    expect([...img.pixels.subarray(0, 6)]).toEqual([3, 1, 0, 3, 1, 0]);
  });

  it('off-palette colours are listed with their first pixel; --nearest maps them', () => {
    const rgb = new Uint8Array(4 * 2 * 3);
    rgb.set([0, 0, 0, 0, 0, 0, 250, 0, 250, 0, 0, 0, 1, 1, 1, 250, 0, 250, 0, 0, 0, 1, 1, 1]);
    const png = fastPngEncode({ width: 4, height: 2, data: rgb, channels: 3, depth: 8 });
    let caught: unknown;
    try {
      readIndexedPng(png, { palette: palette4 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OffPaletteColourError);
    const error = caught as OffPaletteColourError;
    expect(error.code).toBe('ERR_OFF_PALETTE');
    expect(error.message).toContain('#fa00fa first at (2, 0)');
    expect(error.message).toContain('#010101 first at (0, 1)');
    expect(error.details).toMatchObject({ colourCount: 2, colours: [{ colour: '#fa00fa', x: 2, y: 0, pixels: 2 }, { colour: '#010101', x: 0, y: 1, pixels: 2 }] });
    const img = readIndexedPng(png, { palette: palette4, nearest: true });
    expect([...img.pixels]).toEqual([3, 3, 0, 3, 3, 0, 3, 3]);
  });

  it('a gray PNG maps back through the grayscale ramp', () => {
    const gray = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    const png = fastPngEncode({ width: 16, height: 1, data: gray, channels: 1, depth: 8 });
    expect([...readIndexedPng(png, { palette: grayscalePalette(4) }).pixels]).toEqual([...Array(16).keys()]);
  });

  it('indices over the bit depth are reported in image coordinates', () => {
    const img = image(16, 16, (x, y) => (x === 9 && y === 3 ? 5 : 1));
    expect(() => checkIndicesFitBpp(img, 2)).toThrow(IndexOutOfRangeError);
    expect(() => checkIndicesFitBpp(img, 2)).toThrow(/pixel \(9, 3\) has index 5/u);
  });

  it('non-PNG and truncated PNG bytes are PngFormatError', () => {
    expect(() => decodePng(new Uint8Array(100))).toThrow(PngFormatError);
    const good = encodeIndexedPng(image(8, 8, () => 1), palette4);
    expect(() => decodePng(good.subarray(0, good.length - 30))).toThrow(PngFormatError);
  });

  it('indexedToRgba expands through the palette with optional transparent 0', () => {
    const rgba = indexedToRgba(image(2, 1, (x) => x), palette4, { transparentIndex0: true });
    expect([...rgba]).toEqual([255, 0, 255, 0, 10, 20, 30, 255]);
  });
});

describe('fuzz', () => {
  it('mutated and truncated PNGs give a PngFormatError/ImageSizeError or a valid image, never anything else', async () => {
    const fc = (await import('fast-check')).default;
    const { ImageSizeError } = await import('../../src/errors.js');
    const seed = encodeIndexedPng(image(16, 16, (x, y) => (x ^ y) & 3), palette4, { transparentIndex0: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(), (edits, cut) => {
        const bytes = seed.slice(0, seed.length - (cut % 12));
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        try {
          const decoded = decodePng(bytes);
          expect(decoded.width * decoded.height).toBeGreaterThan(0);
          if (decoded.kind === 'indexed') for (const p of decoded.pixels) expect(p).toBeLessThan(decoded.palette.count);
        } catch (error) {
          expect(error instanceof PngFormatError || error instanceof ImageSizeError, String(error)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('huge IHDR dimensions are refused before decoding', () => {
    const bytes = encodeIndexedPng(image(8, 8, () => 0), palette4).slice();
    new DataView(bytes.buffer).setUint32(16, 100_000);
    expect(() => decodePng(bytes)).toThrow(/outside the limits/u);
  });
});
