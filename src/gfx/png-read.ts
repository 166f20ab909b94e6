/**
 * Reads a PNG's chunks and pixel rows (PNG spec, 5 chunk layout, 7.3 filtering, 8.2 Adam7), pure:
 * the raw-deflate inflate is the caller's (src/gfx/png.ts: Node's zlib, through our addon or
 * node:zlib; romgfx/core: fflate). It replaces fast-png's decoder on romgfx's read path: fast-png pulls in fflate and
 * iobuffer, ~14 ms of compiling and running JavaScript inflate in every `romgfx import` (issue
 * #18, start-up), where zlib's inflate is native and cheap to load (our addon's: see png.ts).
 *
 * The result has fast-png's shape for the fields png-core.ts reads (depth, channels, data,
 * palette entries with alpha when tRNS is present), with the same leniency where a decoder may
 * be lenient (CRCs are not checked, unknown ancillary chunks are skipped, the zlib Adler-32 is
 * not required) and a PngFormatError naming the chunk, row or byte wherever the bytes cannot be
 * an image. IHDR is checked before this runs (png-core.ts readHeader).
 */
import { PngFormatError } from '../errors.js';

/**
 * A raw-deflate (RFC 1951) inflate: the PNG's zlib stream without its 2-byte header. It may
 * stop at `maximumSizeInBytes` of output and throw; trailing bytes after the last block (the
 * zlib Adler-32) are ignored.
 */
export type PngInflateRaw = (deflated: Uint8Array, maximumSizeInBytes: number) => Uint8Array;

/** A PNG's pixels as read: packed rows for depths up to 8, 16-bit samples as numbers at 16. */
export interface PngPixels {
  width: number;
  height: number;
  /** Bits per sample: 1, 2, 4, 8 or 16. */
  depth: number;
  /** Samples per pixel: 1 (grey, indexed), 2 (grey + alpha), 3 (RGB), 4 (RGBA). */
  channels: number;
  /** Rows of ceil(width × channels × depth / 8) bytes for depth ≤ 8; width × channels samples per row at 16. */
  data: Uint8Array | Uint16Array;
  /** PLTE entries, [r, g, b] or [r, g, b, a] when a tRNS chunk gives alpha. */
  palette?: number[][];
}

/** Bytes of a chunk besides its data: length, type, CRC (PNG spec 5.3). */
const chunkFramingSizeInBytes = 12;
/** Where the first chunk after IHDR starts: signature (8) + IHDR's length, type, 13 data bytes and CRC. */
const firstChunkAfterHeaderOffset = 33;
/** Samples per pixel by colour type (0 grey, 2 RGB, 3 indexed, 4 grey + alpha, 6 RGBA). */
const channelsByColourType = Uint8Array.of(1, 0, 3, 1, 2, 0, 4);
/** zlib header: compression method 8 (deflate) in the low nibble of CMF (RFC 1950, 2.2). */
const zlibDeflateMethod = 8;
/** The largest window a zlib header may declare: CINFO ≤ 7 (32 KiB; RFC 1950, 2.2). */
const maximumZlibWindowInfo = 7;
/** FLG bit 5: a preset dictionary follows, which PNG does not allow (PNG spec 10.1). */
const zlibPresetDictionaryFlag = 0x20;

/** Adam7 passes (PNG spec 8.2): first column, first row, column step, row step. */
const adam7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

function chunkType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/** Bytes of one filtered row of `width` pixels (without its filter byte). */
function rowSizeInBytes(width: number, channels: number, depth: number): number {
  return Math.ceil((width * channels * depth) / 8);
}

/**
 * Undoes the row's filter in place (PNG spec 9.2): row `at` (after its filter byte) of `length`
 * bytes, the previous row of the same pass at `previous` (−1 for a pass's first row, read as zeros).
 */
function unfilterRow(data: Uint8Array, filter: number, at: number, previous: number, length: number, bytesPerPixel: number, rowLabel: string): void {
  switch (filter) {
    case 0:
      return;
    case 1:
      for (let i = bytesPerPixel; i < length; i++) data[at + i] = data[at + i]! + data[at + i - bytesPerPixel]!;
      return;
    case 2:
      if (previous >= 0) for (let i = 0; i < length; i++) data[at + i] = data[at + i]! + data[previous + i]!;
      return;
    case 3:
      for (let i = 0; i < length; i++) {
        const left = i >= bytesPerPixel ? data[at + i - bytesPerPixel]! : 0;
        const up = previous >= 0 ? data[previous + i]! : 0;
        data[at + i] = data[at + i]! + ((left + up) >> 1);
      }
      return;
    case 4:
      for (let i = 0; i < length; i++) {
        const a = i >= bytesPerPixel ? data[at + i - bytesPerPixel]! : 0;
        const b = previous >= 0 ? data[previous + i]! : 0;
        const c = previous >= 0 && i >= bytesPerPixel ? data[previous + i - bytesPerPixel]! : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        data[at + i] = data[at + i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      return;
    default:
      throw new PngFormatError(`PNG ${rowLabel} has filter type ${filter}; PNG defines 0 to 4`, { field: 'filter', filter });
  }
}

/** 16-bit samples (big-endian in the file, PNG spec 7.1) from rows of bytes. */
function samples16(rows: Uint8Array): Uint16Array {
  const out = new Uint16Array(rows.length >> 1);
  for (let i = 0, j = 0; i < out.length; i++, j += 2) out[i] = (rows[j]! << 8) | rows[j + 1]!;
  return out;
}

/**
 * Reads a PNG whose signature and IHDR are already checked: its PLTE (and tRNS alpha), its IDAT
 * stream inflated with `inflateRaw`, unfiltered and, for Adam7, de-interlaced.
 */
export function readPngPixels(bytes: Uint8Array, inflateRaw: PngInflateRaw): PngPixels {
  const width = readUint32(bytes, 16);
  const height = readUint32(bytes, 20);
  const depth = bytes[24]!;
  const colourType = bytes[25]!;
  const interlaced = bytes[28] === 1;
  const channels = channelsByColourType[colourType]!;

  let palette: number[][] | undefined;
  const idat: { at: number; length: number }[] = [];
  let idatSizeInBytes = 0;
  let at = firstChunkAfterHeaderOffset;
  for (;;) {
    if (at + chunkFramingSizeInBytes > bytes.length) throw new PngFormatError(`PNG ends at byte ${bytes.length} before its IEND chunk (a chunk at ${at} is cut off)`, { offset: at, length: bytes.length });
    const length = readUint32(bytes, at);
    const type = chunkType(bytes, at + 4);
    const data = at + 8;
    if (length > bytes.length - at - chunkFramingSizeInBytes) {
      throw new PngFormatError(`PNG ${type} chunk at byte ${at} says ${length} bytes, but the file ends ${bytes.length - data} bytes after its start`, { field: type, offset: at, length });
    }
    if (type === 'IEND') break;
    if (type === 'IDAT') {
      idat.push({ at: data, length });
      idatSizeInBytes += length;
    } else if (type === 'PLTE') {
      if (length % 3 !== 0) throw new PngFormatError(`PNG PLTE chunk is ${length} bytes, not a multiple of 3`, { field: 'PLTE', length });
      palette = [];
      for (let i = 0; i < length; i += 3) palette.push([bytes[data + i]!, bytes[data + i + 1]!, bytes[data + i + 2]!]);
    } else if (type === 'tRNS') {
      if (colourType === 3) {
        const entries = palette ?? [];
        if (length > entries.length) throw new PngFormatError(`PNG tRNS chunk has ${length} alpha values but PLTE has ${entries.length} colours`, { field: 'tRNS', length, count: entries.length });
        for (let i = 0; i < entries.length; i++) entries[i]![3] = i < length ? bytes[data + i]! : 255;
      } else if (colourType === 0 || colourType === 2) {
        if (length % 2 !== 0) throw new PngFormatError(`PNG tRNS chunk is ${length} bytes, not a multiple of 2`, { field: 'tRNS', length });
      } else {
        throw new PngFormatError(`PNG tRNS chunk is not allowed for colour type ${colourType} (it has an alpha channel)`, { field: 'tRNS', colourType });
      }
    } else if (type === 'IHDR') {
      throw new PngFormatError(`PNG has a second IHDR chunk at byte ${at}`, { field: 'IHDR', offset: at });
    }
    at = data + length + 4;
  }
  if (idat.length === 0) throw new PngFormatError('PNG has no IDAT chunk (no image data)', { field: 'IDAT' });

  // The IDAT chunks are one zlib stream (PNG spec 10.1); joined only when there are several.
  let stream: Uint8Array;
  if (idat.length === 1) stream = bytes.subarray(idat[0]!.at, idat[0]!.at + idat[0]!.length);
  else {
    stream = new Uint8Array(idatSizeInBytes);
    let to = 0;
    for (const piece of idat) {
      stream.set(bytes.subarray(piece.at, piece.at + piece.length), to);
      to += piece.length;
    }
  }
  if (stream.length < 2) throw new PngFormatError(`PNG IDAT holds ${stream.length} bytes, shorter than a zlib header`, { field: 'IDAT', length: stream.length });
  const cmf = stream[0]!;
  const flags = stream[1]!;
  if ((cmf & 15) !== zlibDeflateMethod || cmf >> 4 > maximumZlibWindowInfo || ((cmf << 8) | flags) % 31 !== 0) {
    throw new PngFormatError(`PNG IDAT does not start with a zlib deflate header (bytes ${cmf.toString(16).padStart(2, '0')} ${flags.toString(16).padStart(2, '0')})`, { field: 'IDAT', cmf, flags });
  }
  if (flags & zlibPresetDictionaryFlag) throw new PngFormatError('PNG IDAT asks for a preset zlib dictionary, which PNG does not allow', { field: 'IDAT', flags });

  const bytesPerPixel = Math.max(1, (channels * depth) >> 3);
  const passes = interlaced ? adam7 : ([[0, 0, 1, 1]] as const);
  let filteredSizeInBytes = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const passWidth = width > x0 ? Math.ceil((width - x0) / dx) : 0;
    const passHeight = height > y0 ? Math.ceil((height - y0) / dy) : 0;
    if (passWidth > 0 && passHeight > 0) filteredSizeInBytes += passHeight * (1 + rowSizeInBytes(passWidth, channels, depth));
  }
  let filtered: Uint8Array;
  try {
    filtered = inflateRaw(stream.subarray(2), filteredSizeInBytes);
  } catch (error) {
    // node:zlib's RangeError past maxOutputLength, or the addon's CodecOutputLimitError.
    const code = (error as { code?: string }).code;
    const tooLarge = code === 'ERR_BUFFER_TOO_LARGE' || code === 'ERR_CODEC_OUTPUT_LIMIT';
    const why = tooLarge ? `it holds more than the ${filteredSizeInBytes} bytes a ${width}×${height} image has` : (error as Error).message;
    throw new PngFormatError(`PNG IDAT does not inflate: ${why}`, { field: 'IDAT', expected: filteredSizeInBytes }, { cause: error });
  }
  if (filtered.length !== filteredSizeInBytes) {
    throw new PngFormatError(`PNG IDAT inflates to ${filtered.length} bytes; a ${width}×${height} image at ${depth} bits × ${channels} has ${filteredSizeInBytes}`, { field: 'IDAT', length: filtered.length, expected: filteredSizeInBytes });
  }

  const rowBytes = rowSizeInBytes(width, channels, depth);
  const rows = new Uint8Array(height * rowBytes);
  let from = 0;
  passes.forEach(([x0, y0, dx, dy], pass) => {
    const passWidth = width > x0 ? Math.ceil((width - x0) / dx) : 0;
    const passHeight = height > y0 ? Math.ceil((height - y0) / dy) : 0;
    if (passWidth === 0 || passHeight === 0) return;
    const passRowBytes = rowSizeInBytes(passWidth, channels, depth);
    for (let y = 0; y < passHeight; y++) {
      const filter = filtered[from]!;
      const row = from + 1;
      unfilterRow(filtered, filter, row, y === 0 ? -1 : row - 1 - passRowBytes, passRowBytes, bytesPerPixel, interlaced ? `Adam7 pass ${pass + 1} row ${y}` : `row ${y}`);
      const outRow = (y0 + y * dy) * rowBytes;
      if (!interlaced) rows.set(filtered.subarray(row, row + rowBytes), outRow);
      else if (depth >= 8) {
        for (let x = 0; x < passWidth; x++) {
          const to = outRow + (x0 + x * dx) * bytesPerPixel;
          for (let b = 0; b < bytesPerPixel; b++) rows[to + b] = filtered[row + x * bytesPerPixel + b]!;
        }
      } else {
        // Sub-byte samples (grey or indexed, one channel): move each sample's bits to its column.
        const mask = (1 << depth) - 1;
        for (let x = 0; x < passWidth; x++) {
          const sourceBit = x * depth;
          const sample = (filtered[row + (sourceBit >> 3)]! >> (8 - depth - (sourceBit & 7))) & mask;
          const targetBit = (x0 + x * dx) * depth;
          rows[outRow + (targetBit >> 3)]! |= sample << (8 - depth - (targetBit & 7));
        }
      }
      from = row + passRowBytes;
    }
  });
  // A PLTE in a truecolour PNG is only a suggested quantisation (PNG spec 11.2.3, PLTE): its pixels
  // are still direct colours, so the palette is returned for colour type 3 alone.
  return { width, height, depth, channels, data: depth === 16 ? samples16(rows) : rows, ...(palette && colourType === 3 ? { palette } : {}) };
}
