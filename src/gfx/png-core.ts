/**
 * Index-preserving PNG in and out, pure (no Node: `romgfx/core` uses it in browsers). Writing:
 * our own chunk writer (a PLTE in the caller's order, which sharp cannot give) over a deflate the
 * caller supplies (src/gfx/png.ts: Node's zlib; romgfx/core: fflate); reading: png-read.ts over an
 * inflate the caller supplies likewise (`decodePngWith`: src/gfx/png.ts's `decodePng` inflates
 * with Node's zlib, romgfx/core's with fflate; this module imports neither, so a CLI run that
 * reads a PNG does not compile fflate). Written PNGs are indexed: pixel values are palette indices, PLTE is the palette in its
 * exact order, and colour 0 can be made transparent through tRNS. Reading: an indexed PNG gives
 * its indices directly (duplicate PLTE colours stay distinct indices); an RGB(A) or gray PNG is
 * mapped colour by colour onto a target palette, exactly unless nearest matching is asked for.
 */
import { readPngPixels, type PngInflateRaw } from './png-read.js';
import { crc32 } from '../util/crc32.js';
import { InvalidArgumentError, OffPaletteColourError, PngFormatError } from '../errors.js';
import { checkImageSize, checkIndicesInPalette, scratchSlots, type IndexedImage, type PixelScratch } from './image.js';
import { hostIsLittleEndian } from './kernels.js';
import { colourHex, maximumPaletteColourCount, type Palette } from './palette.js';

/** PNG files larger than this are refused before decoding. */
export const maximumPngFileSizeInBytes = 256 * 1024 * 1024;
/** How many off-palette colours an error message lists (details carry the full count). */
export const maximumListedOffPaletteColours = 16;

const pngSignature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
/** zlib's own default level: the smallest files people keep, at a cost (see PngWriteOptions.compressionLevel). */
const defaultPngDeflateLevel = 6;

/** Options for writing an indexed PNG. */
export interface PngWriteOptions {
  /** Make colour 0 fully transparent (a tRNS chunk); other colours stay opaque. */
  transparentIndex0?: boolean;
  /**
   * zlib level, 1–9 (default 6). Measured on 256×64 4-bit pixel art: level 6 gives 882 bytes in
   * ~145 µs, level 3 ~1,090 bytes in ~60 µs; thumbnails (a cache product) take 3.
   */
  compressionLevel?: number;
  /** Build the scanlines in this thread's reusable buffer (see PixelScratch). */
  scratch?: PixelScratch;
}

/** The smallest PNG bit depth that holds indices 0..count−1. */
function indexedDepth(count: number): 1 | 2 | 4 | 8 {
  return count <= 2 ? 1 : count <= 4 ? 2 : count <= 16 ? 4 : 8;
}

/**
 * PNG scanlines for indexed pixels at `depth` bits (leftmost pixel in the high bits, PNG spec
 * 7.2), each row led by its filter byte 0 (None: the spec's advice for palette images).
 */
function filteredScanlines(image: IndexedImage, depth: 1 | 2 | 4 | 8, scratch: PixelScratch | undefined): Uint8Array {
  const { width, height, pixels } = image;
  const perByte = 8 / depth;
  const rowBytes = Math.ceil(width / perByte);
  const length = (rowBytes + 1) * height;
  const out = scratch ? scratch.take(scratchSlots.scanlines, length) : new Uint8Array(length);
  const pixelPairs = depth === 4 && hostIsLittleEndian && pixels.byteOffset % 2 === 0 ? new Uint16Array(pixels.buffer, 0, (pixels.byteOffset + pixels.length) >> 1) : undefined;
  for (let y = 0; y < height; y++) {
    let s = y * width;
    let o = y * (rowBytes + 1) + 1;
    if (depth === 8) {
      out.set(pixels.subarray(s, s + width), o);
    } else if (depth === 4) {
      // The common case (16-colour palettes): two pixels per byte, read as one 16-bit word where
      // the row is aligned (little-endian: the left pixel is the low byte).
      const pairs = width >> 1;
      if (pixelPairs !== undefined && (s & 1) === 0) {
        for (let i = 0, w = (pixels.byteOffset + s) >> 1; i < pairs; i++, w++) {
          const pair = pixelPairs[w]!;
          out[o++] = ((pair & 0x0f) << 4) | (pair >> 8);
        }
        s += pairs << 1;
      } else {
        for (let i = 0; i < pairs; i++, s += 2) out[o++] = (pixels[s]! << 4) | pixels[s + 1]!;
      }
      if (width & 1) out[o] = pixels[s]! << 4;
    } else {
      for (let x = 0; x < width; x++) {
        const shift = 8 - depth * ((x % perByte) + 1);
        out[o + ((x / perByte) | 0)]! |= pixels[s + x]! << shift;
      }
    }
  }
  return out;
}

const chunkOverheadInBytes = 12;

/** One PNG chunk: length, type, data, CRC-32 of type + data (PNG spec 5.3). */
function writeChunk(out: Uint8Array, at: number, type: string, data: Uint8Array): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(at, data.length);
  for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
  out.set(data, at + 8);
  view.setUint32(at + 8 + data.length, crc32(out.subarray(at + 4, at + 8 + data.length)));
  return at + chunkOverheadInBytes + data.length;
}

/**
 * A zlib-format deflate at `level` (1–9). The result may be a view of a buffer the deflater
 * reuses: the PNG writer copies it before deflating again.
 */
export type PngDeflate = (data: Uint8Array, level: number) => Uint8Array;

/**
 * Encodes an indexed image as an indexed PNG whose PLTE is `palette` in its exact order, at the
 * smallest bit depth that holds the palette, deflating with `deflate`.
 */
export function encodeIndexedPngWith(deflate: PngDeflate, image: IndexedImage, palette: Palette, options: PngWriteOptions = {}): Uint8Array {
  checkImageSize(image.width, image.height);
  checkIndicesInPalette(image, palette.count);
  const depth = indexedDepth(palette.count);
  const header = new Uint8Array(13);
  const headerView = new DataView(header.buffer);
  headerView.setUint32(0, image.width);
  headerView.setUint32(4, image.height);
  header[8] = depth;
  header[9] = 3; // colour type 3: palette indices
  const plte = palette.rgb.subarray(0, palette.count * 3);
  // tRNS lists alpha for the first entries only; one entry makes colour 0 transparent.
  const trns = options.transparentIndex0 ? Uint8Array.of(0) : undefined;
  const level = options.compressionLevel ?? defaultPngDeflateLevel;
  if (!Number.isInteger(level) || level < 1 || level > 9) throw new InvalidArgumentError(`PNG compression level must be an integer from 1 to 9, got ${level}`);
  // The native deflate returns a view of a reused buffer: it is copied into `out` below, before any other deflate.
  const idat = deflate(filteredScanlines(image, depth, options.scratch), level);
  const size = pngSignature.length + chunkOverheadInBytes * (trns ? 5 : 4) + header.length + plte.length + (trns?.length ?? 0) + idat.length;
  const out = new Uint8Array(size);
  out.set(pngSignature, 0);
  let at = writeChunk(out, pngSignature.length, 'IHDR', header);
  at = writeChunk(out, at, 'PLTE', plte);
  if (trns) at = writeChunk(out, at, 'tRNS', trns);
  at = writeChunk(out, at, 'IDAT', idat);
  writeChunk(out, at, 'IEND', new Uint8Array(0));
  return out;
}

/** A PNG as romgfx reads it: indexed (indices + its PLTE) or direct colour (RGBA, 8 bits per channel). */
export type DecodedImage =
  | { kind: 'indexed'; width: number; height: number; pixels: Uint8Array; palette: Palette; alpha: Uint8Array }
  | { kind: 'rgba'; width: number; height: number; rgba: Uint8Array };

/** IHDR's data is 13 bytes (PNG spec, 11.2.2). */
const ihdrDataSizeInBytes = 13;
/**
 * The bit depths each colour type allows (PNG spec, 11.2.2, Table 11.1), as a bit mask over the
 * depth (bit d set: depth d allowed); 0 for colour types the spec does not define (1, 5, 7+).
 * Greyscale 1/2/4/8/16, truecolour 8/16, indexed 1/2/4/8, greyscale+alpha 8/16, truecolour+alpha 8/16.
 */
const allowedBitDepthsByColourType = Uint32Array.of(
  (1 << 1) | (1 << 2) | (1 << 4) | (1 << 8) | (1 << 16),
  0,
  (1 << 8) | (1 << 16),
  (1 << 1) | (1 << 2) | (1 << 4) | (1 << 8),
  (1 << 8) | (1 << 16),
  0,
  (1 << 8) | (1 << 16),
);

/**
 * Reads and checks IHDR before anything is inflated: width and height (oversized images are
 * refused), and a colour type / bit depth pair the spec allows, compression and filter method
 * 0, interlace 0 or 1. A PNG that breaks these is malformed, whatever a lenient decoder would
 * make of it (a 16-bit indexed image is not a palette image romgfx may guess at).
 */
function readHeader(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 33 || pngSignature.some((b, i) => bytes[i] !== b)) throw new PngFormatError('not a PNG file (bad signature or shorter than a PNG header)', { length: bytes.length });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(12) !== 0x49484452) throw new PngFormatError('PNG does not start with an IHDR chunk', {});
  const length = view.getUint32(8);
  if (length !== ihdrDataSizeInBytes) throw new PngFormatError(`PNG IHDR is ${length} bytes, not ${ihdrDataSizeInBytes}`, { field: 'IHDR', length });
  const bitDepth = bytes[24]!;
  const colourType = bytes[25]!;
  const allowed = colourType < allowedBitDepthsByColourType.length ? allowedBitDepthsByColourType[colourType]! : 0;
  if (allowed === 0) throw new PngFormatError(`PNG IHDR colour type ${colourType} is not one the PNG spec defines (0, 2, 3, 4, 6)`, { field: 'IHDR.colourType', colourType, bitDepth });
  if (bitDepth > 16 || (allowed & (1 << bitDepth)) === 0) {
    const depths = [1, 2, 4, 8, 16].filter((d) => (allowed & (1 << d)) !== 0).join(', ');
    throw new PngFormatError(`PNG IHDR bit depth ${bitDepth} is not allowed for colour type ${colourType} (allowed: ${depths})`, { field: 'IHDR.bitDepth', colourType, bitDepth });
  }
  if (bytes[26] !== 0) throw new PngFormatError(`PNG IHDR compression method ${bytes[26]} is not 0 (deflate)`, { field: 'IHDR.compression', value: bytes[26] });
  if (bytes[27] !== 0) throw new PngFormatError(`PNG IHDR filter method ${bytes[27]} is not 0`, { field: 'IHDR.filter', value: bytes[27] });
  if (bytes[28]! > 1) throw new PngFormatError(`PNG IHDR interlace method ${bytes[28]} is not 0 or 1`, { field: 'IHDR.interlace', value: bytes[28] });
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export type { PngInflateRaw } from './png-read.js';

/**
 * Decodes a PNG into indexed or RGBA form, inflating its IDAT stream with `inflateRaw` (the
 * result does not depend on which inflate: both give the stream's bytes or throw).
 */
export function decodePngWith(inflateRaw: PngInflateRaw, bytes: Uint8Array, kernels: PngDecodeKernels = {}): DecodedImage {
  if (bytes.length > maximumPngFileSizeInBytes) throw new PngFormatError(`PNG is ${bytes.length} bytes; romgfx reads PNGs up to ${maximumPngFileSizeInBytes}`, { length: bytes.length });
  const { width, height } = readHeader(bytes);
  checkImageSize(width, height, 'PNG');
  let png;
  try {
    png = readPngPixels(bytes, inflateRaw);
  } catch (error) {
    if (error instanceof PngFormatError) throw error;
    throw new PngFormatError(`PNG does not decode: ${(error as Error).message}`, {}, { cause: error });
  }
  const { depth, channels, data } = png;
  if (png.palette) {
    const count = png.palette.length;
    if (count < 1 || count > maximumPaletteColourCount) throw new PngFormatError(`PNG PLTE has ${count} entries`, { count });
    const rgb = new Uint8Array(count * 3);
    const alpha = new Uint8Array(count);
    png.palette.forEach((entry, i) => {
      rgb.set(entry.slice(0, 3), i * 3);
      alpha[i] = entry[3] ?? 255;
    });
    const pixels = unpackSamples(data as Uint8Array, width, height, depth, kernels.unpackSamples);
    // A PLTE with an entry for every value the depth can hold leaves no index to check.
    if (count < 1 << depth) {
      for (let i = 0; i < pixels.length; i++) {
        if (pixels[i]! >= count) throw new PngFormatError(`PNG pixel (${i % width}, ${Math.floor(i / width)}) has index ${pixels[i]} but PLTE has ${count} entries`, { x: i % width, y: Math.floor(i / width) });
      }
    }
    return { kind: 'indexed', width, height, pixels, palette: { rgb, count }, alpha };
  }
  // Direct colour: gray, gray+alpha, RGB, RGBA at any depth → RGBA8. 16-bit samples are reduced to
  // 8 bits by rounding (the palettes they are matched against are 8-bit).
  const samples = depth === 16 ? Uint8Array.from(data as Uint16Array, (v) => Math.round(v / 257)) : depth < 8 ? scaleGray(unpackSamples(data as Uint8Array, width * channels, height, depth, kernels.unpackSamples), depth) : (data as Uint8Array);
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, s = 0, o = 0; i < width * height; i++, s += channels, o += 4) {
    if (channels <= 2) {
      rgba[o] = rgba[o + 1] = rgba[o + 2] = samples[s]!;
      rgba[o + 3] = channels === 2 ? samples[s + 1]! : 255;
    } else {
      rgba[o] = samples[s]!;
      rgba[o + 1] = samples[s + 1]!;
      rgba[o + 2] = samples[s + 2]!;
      rgba[o + 3] = channels === 4 ? samples[s + 3]! : 255;
    }
  }
  return { kind: 'rgba', width, height, rgba };
}

/** Unpacks sub-byte PNG samples (rows padded to whole bytes) into one byte each, with `unpacker` when given. */
function unpackSamples(data: Uint8Array, samplesPerRow: number, rows: number, depth: number, unpacker: PngSampleUnpacker = unpackPngSamples): Uint8Array {
  if (depth === 8) return data;
  const out = new Uint8Array(samplesPerRow * rows);
  unpacker(data, out, samplesPerRow, rows, depth as 1 | 2 | 4);
  return out;
}

/**
 * Spreads `rows` rows of `samplesPerRow` PNG samples of `depth` bits (1, 2 or 4), each row
 * starting on a byte (PNG spec 7.2: leftmost sample in the high-order bits), into `out`, one
 * sample per byte. The TypeScript reference of the addon's `pngUnpackSamples`.
 */
export function unpackPngSamples(packed: Uint8Array, out: Uint8Array, samplesPerRow: number, rows: number, depth: 1 | 2 | 4): void {
  const stride = Math.ceil((samplesPerRow * depth) / 8);
  if (packed.length < stride * rows || out.length < samplesPerRow * rows) throw new RangeError(`PNG samples: ${rows} rows of ${samplesPerRow} need ${stride * rows} packed bytes and ${samplesPerRow * rows} out, got ${packed.length} and ${out.length}`);
  const mask = (1 << depth) - 1;
  // Byte by byte: each packed byte gives 8 / depth samples, leftmost in the high bits.
  for (let y = 0, o = 0; y < rows; y++) {
    const end = o + samplesPerRow;
    for (let i = y * stride; o < end; i++) {
      const value = packed[i]!;
      for (let shift = 8 - depth; shift >= 0 && o < end; shift -= depth) out[o++] = (value >> shift) & mask;
    }
  }
}

/** A function that does what unpackPngSamples does (the addon's twin, src/native/png-samples.ts). */
export type PngSampleUnpacker = (packed: Uint8Array, out: Uint8Array, samplesPerRow: number, rows: number, depth: 1 | 2 | 4) => void;

/** Kernels decodePngWith can take instead of its TypeScript ones (the same results). */
export interface PngDecodeKernels {
  /** Spreads sub-byte samples (default unpackPngSamples). */
  unpackSamples?: PngSampleUnpacker;
}

function scaleGray(samples: Uint8Array, depth: number): Uint8Array {
  const maximum = (1 << depth) - 1;
  return samples.map((v) => Math.round((v * 255) / maximum));
}

/** Options for reading a PNG into palette indices. */
export interface PngReadOptions {
  /** Palette RGB(A) pixels are mapped onto. Required for direct-colour PNGs. */
  palette?: Palette;
  /** Map off-palette colours to the nearest palette colour (squared RGB distance; ties → lower index). */
  nearest?: boolean;
}

/**
 * Turns a decoded PNG into an indexed image. Indexed PNGs keep their indices untouched. RGB(A)
 * pixels are matched exactly against `palette` (the first of duplicate colours wins; fully
 * transparent pixels are index 0); unmatched colours raise OffPaletteColourError listing each
 * colour and its first pixel, unless `nearest` is set.
 */
export function toIndexedImage(decoded: DecodedImage, options: PngReadOptions = {}): IndexedImage {
  if (decoded.kind === 'indexed') return { width: decoded.width, height: decoded.height, pixels: decoded.pixels };
  const palette = options.palette;
  if (!palette) throw new OffPaletteColourError('the PNG is not indexed and no palette was given to map its colours onto', {});
  const exact = new Map<number, number>();
  for (let i = palette.count - 1; i >= 0; i--) exact.set((palette.rgb[i * 3]! << 16) | (palette.rgb[i * 3 + 1]! << 8) | palette.rgb[i * 3 + 2]!, i);
  const { width, height, rgba } = decoded;
  const pixels = new Uint8Array(width * height);
  const missing = new Map<number, { x: number; y: number; pixels: number }>();
  for (let i = 0, o = 0; i < pixels.length; i++, o += 4) {
    if (rgba[o + 3] === 0) continue; // fully transparent → colour 0, already 0
    const colour = (rgba[o]! << 16) | (rgba[o + 1]! << 8) | rgba[o + 2]!;
    let index = exact.get(colour);
    if (index === undefined) {
      if (options.nearest) {
        index = nearestIndex(palette, colour);
        exact.set(colour, index);
      } else {
        const seen = missing.get(colour);
        if (seen) seen.pixels++;
        else missing.set(colour, { x: i % width, y: Math.floor(i / width), pixels: 1 });
        continue;
      }
    }
    pixels[i] = index;
  }
  if (missing.size > 0) {
    const colours = [...missing].map(([colour, where]) => ({ colour: colourHex(colour), x: where.x, y: where.y, pixels: where.pixels }));
    const listed = colours.slice(0, maximumListedOffPaletteColours).map((c) => `${c.colour} first at (${c.x}, ${c.y})`);
    const more = colours.length > listed.length ? ` and ${colours.length - listed.length} more` : '';
    throw new OffPaletteColourError(`${colours.length} colour(s) are not in the ${palette.count}-colour palette: ${listed.join(', ')}${more}; pass --nearest to map them to the nearest colour`, {
      colours: colours.slice(0, maximumListedOffPaletteColours),
      colourCount: colours.length,
    });
  }
  return { width, height, pixels };
}

function nearestIndex(palette: Palette, colour: number): number {
  const r = colour >> 16;
  const g = (colour >> 8) & 0xff;
  const b = colour & 0xff;
  let best = 0;
  let bestDistance = Infinity;
  for (let i = 0; i < palette.count; i++) {
    const dr = palette.rgb[i * 3]! - r;
    const dg = palette.rgb[i * 3 + 1]! - g;
    const db = palette.rgb[i * 3 + 2]! - b;
    const distance = dr * dr + dg * dg + db * db;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  return best;
}

