/**
 * The PNG reader (src/gfx/png-read.ts) that replaced fast-png's decoder on romgfx's read path
 * (issue #18, start-up): the same images as fast-png for every PNG fast-png reads right, Node's
 * zlib and fflate giving the same result, Adam7 at sub-byte depths (which fast-png misreads),
 * and a PngFormatError naming what is wrong for corrupt, truncated or inconsistent image data.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode as fastPngDecode } from 'fast-png';
import { decodePng, encodeIndexedPng, grayscalePalette, type IndexedImage } from '../../src/gfx/index.js';
import { decodePng as decodePngWithFflate } from '../../src/core.js';
import { crc32 } from '../../src/util/crc32.js';
import { PngFormatError } from '../../src/errors.js';

const adam7Passes = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Rows of packed samples, filtered with `filters[row % length]` (PNG spec 9.2), each led by its filter byte. */
function filterRows(rows: Uint8Array[], bytesPerPixel: number, filters: number[]): Uint8Array {
  return join(
    rows.map((row, y) => {
      const filter = filters[y % filters.length]!;
      const previous = y > 0 ? rows[y - 1]! : new Uint8Array(row.length);
      const out = new Uint8Array(row.length + 1);
      out[0] = filter;
      for (let i = 0; i < row.length; i++) {
        const a = i >= bytesPerPixel ? row[i - bytesPerPixel]! : 0;
        const b = previous[i]!;
        const c = i >= bytesPerPixel ? previous[i - bytesPerPixel]! : 0;
        const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter]!;
        out[i + 1] = (row[i]! - predictor) & 0xff;
      }
      return out;
    }),
  );
}

/** Packs one row of samples at `depth` bits (leftmost in the high bits). */
function packRow(samples: number[], depth: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((samples.length * depth) / 8));
  samples.forEach((s, x) => {
    const bit = x * depth;
    out[bit >> 3]! |= s << (8 - depth - (bit & 7));
  });
  return out;
}

interface TestPngOptions {
  depth: 1 | 2 | 4 | 8;
  interlaced: boolean;
  filters: number[];
  /** Split IDAT into chunks of this many bytes. */
  idatPieceSizeInBytes?: number;
  /** Replace the zlib stream (after filtering) with something else. */
  stream?: (filtered: Uint8Array) => Uint8Array;
  extraChunksBeforeIdat?: Uint8Array[];
  /** PLTE entries (default: all the depth can index). */
  paletteCount?: number;
}

/** An indexed PNG written the long way (any depth, Adam7 or not, any filters), for the reader to read back. */
function testPng(image: IndexedImage, options: TestPngOptions): Uint8Array {
  const { width, height, pixels } = image;
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = options.depth;
  header[9] = 3;
  header[12] = options.interlaced ? 1 : 0;
  const passes = options.interlaced ? adam7Passes : ([[0, 0, 1, 1]] as const);
  const filtered: Uint8Array[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    const rows: Uint8Array[] = [];
    for (let y = y0; y < height; y += dy) {
      const samples: number[] = [];
      for (let x = x0; x < width; x += dx) samples.push(pixels[y * width + x]!);
      if (samples.length > 0) rows.push(packRow(samples, options.depth));
    }
    filtered.push(filterRows(rows, 1, options.filters));
  }
  const raw = join(filtered);
  const stream = options.stream ? options.stream(raw) : deflateSync(raw);
  const piece = options.idatPieceSizeInBytes ?? stream.length;
  const idat: Uint8Array[] = [];
  for (let at = 0; at < stream.length; at += Math.max(1, piece)) idat.push(chunk('IDAT', stream.subarray(at, at + Math.max(1, piece))));
  const palette = grayscalePalette(options.depth === 8 ? 8 : options.depth);
  return join([
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', header),
    chunk('PLTE', palette.rgb.subarray(0, (options.paletteCount ?? palette.count) * 3)),
    ...(options.extraChunksBeforeIdat ?? []),
    ...idat,
    chunk('IEND', new Uint8Array(0)),
  ]);
}

function tileImage(width: number, height: number, colours: number, seed: number): IndexedImage {
  const pixels = new Uint8Array(width * height);
  // Runs of one index within 8-pixel tiles, as drawn art has.
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = (((x >> 2) * 7 + (y >> 3) * 13 + seed) >>> 0) % colours;
  return { width, height, pixels };
}

function expectFormatError(bytes: Uint8Array, message: RegExp): void {
  for (const decode of [decodePng, decodePngWithFflate]) {
    let thrown: unknown;
    try {
      decode(bytes);
    } catch (error) {
      thrown = error;
    }
    expect(thrown, `${decode === decodePng ? 'node:zlib' : 'fflate'} did not throw`).toBeInstanceOf(PngFormatError);
    expect((thrown as PngFormatError).code).toBe('ERR_BAD_PNG');
    expect((thrown as Error).message).toMatch(message);
  }
}

describe('PNG reader: the same pixels as before, by either inflate', () => {
  it('our writer\'s PNGs read back with the same indices and palette as fast-png gives, through node:zlib and fflate alike', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 24 }), fc.constantFrom(2, 4, 16, 256), fc.nat(), fc.boolean(), (width, height, colours, seed, transparent) => {
        const image = tileImage(width, height, colours, seed);
        const bytes = encodeIndexedPng(image, grayscalePalette(colours === 256 ? 8 : Math.log2(colours)), { transparentIndex0: transparent });
        const node = decodePng(bytes);
        expect(decodePngWithFflate(bytes)).toEqual(node);
        expect(node.kind).toBe('indexed');
        if (node.kind !== 'indexed') return;
        expect(node.pixels).toEqual(image.pixels);
        const reference = fastPngDecode(bytes);
        expect(node.palette.count).toBe(reference.palette!.length);
        expect([...node.alpha]).toEqual(reference.palette!.map((entry) => entry[3] ?? 255));
      }),
      { numRuns: 60 },
    );
  });

  it('every filter type, several IDAT chunks and skipped ancillary chunks decode to the image (fast-png agrees)', () => {
    fc.assert(
      fc.property(fc.constantFrom<1 | 2 | 4 | 8>(1, 2, 4, 8), fc.integer({ min: 1, max: 33 }), fc.integer({ min: 1, max: 17 }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 40 }), (depth, width, height, filters, piece) => {
        const image = tileImage(width, height, 1 << depth, width * 31 + height);
        const bytes = testPng(image, { depth, interlaced: false, filters, idatPieceSizeInBytes: piece, extraChunksBeforeIdat: [chunk('tEXt', new TextEncoder().encode('Comment\0x')), chunk('pHYs', new Uint8Array(9))] });
        const decoded = decodePng(bytes);
        expect(decoded.kind === 'indexed' && decoded.pixels).toEqual(image.pixels);
        expect(decodePngWithFflate(bytes)).toEqual(decoded);
        const reference = fastPngDecode(bytes);
        const rowBytes = Math.ceil((width * depth) / 8);
        expect(reference.data.length).toBe(rowBytes * height);
      }),
      { numRuns: 80 },
    );
  });

  it('Adam7-interlaced PNGs at 1, 2, 4 and 8 bits give the same pixels as the non-interlaced file (fast-png misreads sub-byte Adam7)', () => {
    fc.assert(
      fc.property(fc.constantFrom<1 | 2 | 4 | 8>(1, 2, 4, 8), fc.integer({ min: 1, max: 27 }), fc.integer({ min: 1, max: 19 }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }), (depth, width, height, filters) => {
        const image = tileImage(width, height, 1 << depth, width + height * 5);
        const interlaced = decodePng(testPng(image, { depth, interlaced: true, filters }));
        expect(interlaced.kind === 'indexed' && interlaced.pixels).toEqual(image.pixels);
        expect(interlaced).toEqual(decodePng(testPng(image, { depth, interlaced: false, filters })));
        expect(decodePngWithFflate(testPng(image, { depth, interlaced: true, filters }))).toEqual(interlaced);
      }),
      { numRuns: 80 },
    );
  });
});

describe('PNG reader: bad image data is a PngFormatError that says what is wrong', () => {
  const image = tileImage(32, 16, 16, 3);
  const options: TestPngOptions = { depth: 4, interlaced: false, filters: [0, 1, 2, 3, 4] };

  it('a truncated IDAT stream (the chunk consistent, the deflate data cut short)', () => {
    expectFormatError(testPng(image, { ...options, stream: (raw) => deflateSync(raw).subarray(0, 20) }), /IDAT does not inflate/u);
  });

  it('corrupt deflate data', () => {
    const corrupt = (raw: Uint8Array) => {
      const stream = Uint8Array.from(deflateSync(raw));
      // A reserved block type (BTYPE 11) in the first block header.
      stream[2] = stream[2]! | 0x06;
      return stream;
    };
    expectFormatError(testPng(image, { ...options, stream: corrupt }), /IDAT does not inflate/u);
  });

  it('a zlib header that is not deflate, or asks for a preset dictionary', () => {
    expectFormatError(testPng(image, { ...options, stream: (raw) => Uint8Array.of(0x79, 0x9c, ...deflateSync(raw).subarray(2)) }), /zlib deflate header \(bytes 79 9c\)/u);
    // 0x78 0xbb: FDICT set with a valid header check (0x78bb % 31 === 0).
    expectFormatError(testPng(image, { ...options, stream: (raw) => Uint8Array.of(0x78, 0xbb, ...deflateSync(raw).subarray(2)) }), /preset zlib dictionary/u);
    expectFormatError(testPng(image, { ...options, stream: () => Uint8Array.of(0x78) }), /shorter than a zlib header/u);
  });

  it('a complete stream with fewer or more bytes than the image rows have', () => {
    expectFormatError(testPng(image, { ...options, stream: (raw) => deflateSync(raw.subarray(0, raw.length - 1)) }), /inflates to 271 bytes; a 32×16 image at 4 bits × 1 has 272/u);
    expectFormatError(testPng(image, { ...options, stream: (raw) => deflateSync(join([raw, new Uint8Array(1000)])) }), /IDAT/u);
  });

  it('a row filter type outside 0–4, naming the row (and the Adam7 pass)', () => {
    expectFormatError(testPng(image, { ...options, filters: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], stream: (raw) => deflateSync(Uint8Array.from(raw, (b, i) => (i === 5 * 17 ? 9 : b))) }), /row 5 has filter type 9/u);
    expectFormatError(testPng(image, { ...options, interlaced: true, stream: (raw) => deflateSync(Uint8Array.from(raw, (b, i) => (i === 0 ? 7 : b))) }), /Adam7 pass 1 row 0 has filter type 7/u);
  });

  it('a pixel whose index is past the end of a short PLTE, at every depth (a full PLTE leaves nothing to check)', () => {
    for (const depth of [1, 2, 4, 8] as const) {
      const pixels = new Uint8Array(11 * 5);
      pixels[3 * 11 + 7] = 1;
      const short = testPng({ width: 11, height: 5, pixels }, { depth, interlaced: false, filters: [0], paletteCount: 1 });
      expectFormatError(short, /PNG pixel \(7, 3\) has index 1 but PLTE has 1 entries/u);
      const full = decodePng(testPng({ width: 11, height: 5, pixels }, { depth, interlaced: false, filters: [0] }));
      expect(full.kind === 'indexed' && full.pixels).toEqual(pixels);
    }
  });

  it('no IDAT, no IEND, a chunk longer than the file, a second IHDR, PLTE and tRNS of the wrong size', () => {
    const good = testPng(image, options);
    const iend = good.length - 12;
    expectFormatError(join([good.subarray(0, 33), good.subarray(iend)]).slice(), /no IDAT/u);
    expectFormatError(good.subarray(0, iend), /before its IEND/u);
    const long = good.slice();
    new DataView(long.buffer).setUint32(33 + 12 + 48, 0x7fff_ffff);
    expectFormatError(long, /IDAT chunk at byte 93 says 2147483647 bytes/u);
    expectFormatError(testPng(image, { ...options, extraChunksBeforeIdat: [chunk('IHDR', good.subarray(16, 29))] }), /second IHDR/u);
    expectFormatError(testPng(image, { ...options, extraChunksBeforeIdat: [chunk('PLTE', new Uint8Array(4))] }), /PLTE chunk is 4 bytes/u);
    expectFormatError(testPng(image, { ...options, extraChunksBeforeIdat: [chunk('tRNS', new Uint8Array(17))] }), /17 alpha values but PLTE has 16 colours/u);
  });

  it('a truecolour PNG with a suggested PLTE decodes to its direct colours, not palette indices', () => {
    const header = new Uint8Array(13);
    const view = new DataView(header.buffer);
    view.setUint32(0, 2);
    view.setUint32(4, 1);
    header[8] = 8; // depth
    header[9] = 2; // RGB
    const row = new Uint8Array([0, 10, 20, 30, 200, 100, 50]);
    const png = join([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('PLTE', new Uint8Array([1, 2, 3, 4, 5, 6])), chunk('IDAT', deflateSync(row)), chunk('IEND', new Uint8Array(0))]);
    for (const decoded of [decodePng(png), decodePngWithFflate(png)]) {
      expect(decoded.kind).toBe('rgba');
      expect(decoded.kind === 'rgba' && [...decoded.rgba]).toEqual([10, 20, 30, 255, 200, 100, 50, 255]);
    }
  });
});
