/**
 * `romgfx/core`: the pure half of romgfx, for browsers and any JavaScript runtime. Bytes in,
 * bytes out, no Node modules, no files, no workers: tile formats, palettes, images and tilemaps,
 * indexed PNG in and out, every codec (with the TypeScript kernels), IPS and BPS, and the error
 * vocabulary. test/core/purity.test.ts walks its import graph and fails on any `node:` import;
 * test/core/browser.test.ts bundles it with esbuild and runs it in headless Chromium.
 *
 * The Node entry (`romgfx`) exports the same functions; there the codecs and tile formats run
 * on the native addon's kernels when it is built (same bytes) and PNGs deflate with Node's zlib.
 */
import { inflateSync, zlibSync } from 'fflate';
import { decodePngWith, encodeIndexedPngWith, toIndexedImage, type DecodedImage, type PngInflateRaw, type PngReadOptions, type PngWriteOptions } from './gfx/png-core.js';
import type { IndexedImage } from './gfx/image.js';
import type { Palette } from './gfx/palette.js';

export * from './errors.js';
export * from './gfx/kernels.js';
export * from './gfx/formats.js';
export * from './gfx/palette.js';
export * from './gfx/image.js';
export * from './gfx/tilemap.js';
export * from './gfx/snes-sprites.js';
export * from './gfx/png-core.js';
export { typescriptTileKernels, type TileKernels } from './gfx/tile-kernels.js';
export * from './codecs/registry.js';
export * from './codecs/catalog.js';
export type { Codec, CompressOptions, DecodeLimits, DecodeResult, ProbeResult } from './codecs/types.js';
export * from './patch/index.js';
export { crc32 } from './util/crc32.js';

/** fflate's zlib deflate: the same format as Node's zlib (the bytes may differ; both decode alike). */
const fflateDeflate = (data: Uint8Array, level: number): Uint8Array => zlibSync(data, { level: level as 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 });

/**
 * Encodes an indexed image as an indexed PNG whose PLTE is `palette` in its exact order (see
 * `encodeIndexedPngWith`), deflating with fflate.
 */
export function encodeIndexedPng(image: IndexedImage, palette: Palette, options: PngWriteOptions = {}): Uint8Array {
  return encodeIndexedPngWith(fflateDeflate, image, palette, options);
}

/** fflate's raw inflate; png-read.ts checks the size it gives against the image's rows. */
const fflateInflateRaw: PngInflateRaw = (deflated) => inflateSync(deflated);

/** Decodes a PNG (any colour type and depth the PNG spec defines) into indexed or RGBA form, inflating with fflate. */
export function decodePng(bytes: Uint8Array): DecodedImage {
  return decodePngWith(fflateInflateRaw, bytes);
}

/** Decodes PNG bytes straight to an indexed image (see toIndexedImage), inflating with fflate. */
export function readIndexedPng(bytes: Uint8Array, options: PngReadOptions = {}): IndexedImage {
  return toIndexedImage(decodePng(bytes), options);
}

// The shared vocabulary of arrangements and palettes (src/vocabulary.ts). Its `SheetOrder`
// (`row-major` / `column-major`) is not re-exported here: src/gfx's `SheetOrder` (`row` / `column`,
// what `arrangeSheet` takes) keeps the name in this module; `Arrangement['order']` names the other.
export {
  sheetOrders,
  arrangementKinds,
  snesObjSizesInPixels,
  maximumBlockSideInTiles,
  maximumSheetTilesPerRow,
  paletteFormats,
  isPaletteFormat,
  platformPaletteFormat,
  arrangementToText,
  arrangementFromText,
  arrangementLayout,
  arrangementSheetOptions,
  type Arrangement,
  type ArrangementKind,
  type PaletteFormat,
  type PaletteSpec,
} from './vocabulary.js';
