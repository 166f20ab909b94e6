/**
 * The thumbnail pipeline itself, as one pure function over ROM bytes: decompress (when the block
 * has a codec), decode tiles, arrange them, resample with nearest neighbour, and encode an
 * indexed PNG with the exact palette (or return RGBA for WebP). Workers call it; tests and the
 * benchmark call it in-process. No I/O and no logging here.
 */
import { encodeIndexedPng } from '../gfx/png.js';
import { ThumbnailRequestError, hex } from '../errors.js';
import { getTileFormat, decodeTilesInto } from '../gfx/formats.js';
import { renderIndexedImage, checkIndicesInPalette, indexedToRgba, parseMetatileLayout, PixelScratch, scratchSlots } from '../gfx/image.js';
import { pixelsPerTile } from '../gfx/kernels.js';
import { defaultGrayscalePalette, decodeBgr555, decodeMdPalette, decodeNesPalette, decodeDmgPalette, paletteFromRgb, type Palette } from '../gfx/palette.js';
import { checkRange } from '../util/bytes.js';
import type { DecodeLimits, DecodeResult } from '../codecs/types.js';
import type { NormalizedRequest, PaletteSpec } from './request.js';
import { planFit, planScale, resampleIndexed, type IndexedImage } from './scale.js';

/** The most bytes a codec may produce for one thumbnail: the largest block (4096 8bpp tiles) needs 256 KiB. */
export const maximumUnpackedBlockSizeInBytes = 4096 * 64;

/** Finds a codec by name and decompresses: the worker passes src/codecs' registry. */
export type Decompressor = (codec: string, bytes: Uint8Array, offset: number, limits: DecodeLimits) => DecodeResult;

/** A clock for stage timings; null when instrumentation is off. */
export interface Clock {
  now(): number;
}

export interface RenderResult {
  kind: 'png' | 'rgba';
  bytes: Uint8Array;
  width: number;
  height: number;
  decodeSeconds: number;
  encodeSeconds: number;
}

/** The tile bytes of a block: a view of the ROM for raw data, a decompressed buffer otherwise. */
export function blockTileBytes(romData: Uint8Array, request: NormalizedRequest, decompress: Decompressor | null): Uint8Array {
  const { offset, format, tiles, codec } = request.block;
  const tileFormat = getTileFormat(format);
  const needed = tiles * tileFormat.bytesPerTile;
  if (codec === null) {
    checkRange(`block at ${hex(offset)}`, offset, needed, romData.length);
    return romData.subarray(offset, offset + needed);
  }
  if (!decompress) throw new ThumbnailRequestError('block.codec', `codec ${codec} requested but no codec registry is available`);
  checkRange(`compressed block at ${hex(offset)}`, offset, 1, romData.length);
  const { data } = decompress(codec, romData, offset, { maximumOutputSizeInBytes: maximumUnpackedBlockSizeInBytes, outputSizeInBytes: needed });
  if (data.length < needed) {
    throw new ThumbnailRequestError('block.tiles', `the ${codec} stream at ${hex(offset)} unpacks to ${data.length} bytes, fewer than ${tiles} ${tileFormat.name} tiles need (${needed})`, {
      offset,
      unpacked: data.length,
      needed,
    });
  }
  return data.subarray(0, needed);
}

/**
 * The palette a request names, resolved against the ROM and the tile format. `grayscale` is the
 * ramp `extract` uses when given no palette (defaultGrayscalePalette): index 0 lightest for Game
 * Boy tiles as on the hardware, darkest otherwise, so a thumbnail looks like the extracted PNG.
 */
export function resolvePalette(romData: Uint8Array, spec: PaletteSpec, format: { readonly name: string; readonly bpp: number }): Palette {
  switch (spec.kind) {
    case 'grayscale':
      return defaultGrayscalePalette(format);
    case 'colors': {
      const rgb = new Uint8Array(spec.colors.length * 3);
      spec.colors.forEach((c, i) => {
        rgb[i * 3] = (c >> 16) & 0xff;
        rgb[i * 3 + 1] = (c >> 8) & 0xff;
        rgb[i * 3 + 2] = c & 0xff;
      });
      return paletteFromRgb(rgb, 'palette.colors');
    }
    case 'rom': {
      const { offset, count, format } = spec;
      switch (format) {
        case 'bgr555':
          checkRange(`palette at ${hex(offset)}`, offset, count * 2, romData.length);
          return decodeBgr555(romData.subarray(offset, offset + count * 2), count);
        case 'md9':
          checkRange(`palette at ${hex(offset)}`, offset, count * 2, romData.length);
          return decodeMdPalette(romData.subarray(offset, offset + count * 2), count);
        case 'nes-index':
          checkRange(`palette at ${hex(offset)}`, offset, count, romData.length);
          return decodeNesPalette(romData.subarray(offset, offset + count));
        case 'gb-bgp':
          // One BGP register byte maps the four 2-bit indices to shades; `count` does not apply.
          checkRange(`palette at ${hex(offset)}`, offset, 1, romData.length);
          return decodeDmgPalette(romData[offset]!);
      }
    }
  }
}

/** Decodes and arranges a block at scale 1 (the image `extract` would write), with its palette. */
export function renderBlockIndexed(romData: Uint8Array, request: NormalizedRequest, decompress: Decompressor | null, scratch?: PixelScratch): { image: IndexedImage; palette: Palette } {
  const tileFormat = getTileFormat(request.block.format);
  const bytes = blockTileBytes(romData, request, decompress);
  const tiles = request.block.tiles;
  // decodeTilesInto writes every index, so a reused buffer needs no clearing.
  const indices = scratch ? scratch.take(scratchSlots.indices, tiles * pixelsPerTile, false) : new Uint8Array(tiles * pixelsPerTile);
  decodeTilesInto(tileFormat, bytes, indices, tiles);
  const arrangement = request.block.arrangement;
  const image =
    arrangement.kind === 'sheet'
      ? renderIndexedImage(indices, tiles, { tilesPerRow: arrangement.tilesPerRow, order: arrangement.order, ...(scratch ? { scratch } : {}) })
      : renderIndexedImage(indices, tiles, { layout: parseMetatileLayout(arrangement.layout)!, ...(scratch ? { scratch } : {}) });
  const palette = resolvePalette(romData, request.palette, tileFormat);
  // A palette smaller than the format's range is allowed when the pixels stay inside it.
  if (palette.count < 1 << tileFormat.bpp) checkIndicesInPalette(image, palette.count);
  return { image, palette };
}

/** The whole pipeline; `clock` (instrumentation) adds stage timings. */
export function renderThumbnail(romData: Uint8Array, request: NormalizedRequest, output: 'png' | 'rgba', decompress: Decompressor | null, clock: Clock | null): RenderResult {
  const t0 = clock ? clock.now() : 0;
  // Every intermediate plane lives in this thread's scratch; only the encoded result is new (it is transferred).
  const { image, palette } = renderBlockIndexed(romData, request, decompress, threadScratch);
  const { scale, fit } = request.output;
  const plan = fit ? planFit(image.width, image.height, fit.width, fit.height) : planScale(image.width, image.height, scale ?? 1);
  const scaled = resampleIndexed(image, plan, threadScratch);
  const t1 = clock ? clock.now() : 0;
  const bytes = output === 'png' ? encodeIndexedPng(scaled, palette, { compressionLevel: thumbnailPngLevel, scratch: threadScratch }) : indexedToRgba(scaled, palette);
  const t2 = clock ? clock.now() : 0;
  return {
    kind: output,
    bytes: ownBuffer(bytes),
    width: scaled.width,
    height: scaled.height,
    decodeSeconds: (t1 - t0) / 1000,
    encodeSeconds: (t2 - t1) / 1000,
  };
}

/** This thread's reusable pixel planes (module state is per thread: each worker has its own). */
const threadScratch = new PixelScratch();

/** zlib level for thumbnail PNGs: 2.5× faster than level 6 for ~20% more bytes (gfx/png.ts has the figures). */
const thumbnailPngLevel = 3;

/** The thumbnail PNG is gfx's exact indexed PNG (palette order kept, smallest depth). */
export { encodeIndexedPng };

/** A view that owns its whole ArrayBuffer, so the worker can transfer it without detaching anything else. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !(bytes.buffer instanceof SharedArrayBuffer)) return bytes;
  return bytes.slice();
}
