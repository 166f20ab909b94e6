/**
 * PNG in Node: the pure reader and writer of png-core.ts, writing with the zlib inside Node,
 * through the addon (no allocation per call) once src/native/index.ts has loaded it and set it
 * in src/gfx/png-deflate.ts; importing this module loads no addon. Measured
 * (2 threads, 1,000 256×64 4-bit images): fast-png's pure-JS deflate took 606 ms on one thread
 * and did not scale across two (≈960 ms each), zlib took 441 ms and ran two threads side by side
 * at the same speed — this encode is most of a thumbnail's cost.
 * Reading inflates with node:zlib too (native; loading it costs less than compiling fflate's
 * JavaScript inflate, which `romgfx import` of one PNG paid at every start-up, issue #18), with
 * the output capped at the size the image's rows have.
 */
import { pngDeflate } from './png-deflate.js';
import { decodePngWith, encodeIndexedPngWith, toIndexedImage, type DecodedImage, type PngInflateRaw, type PngReadOptions, type PngWriteOptions } from './png-core.js';
import type { IndexedImage } from './image.js';
import { nodeZlib } from '../util/builtins.js';
import type { Palette } from './palette.js';

export * from './png-core.js';

/** Node's zlib through the addon when it is loaded, else node:zlib (the same bytes). */
const nodeDeflate = (data: Uint8Array, level: number): Uint8Array => pngDeflate().deflate(data, level);

/**
 * Encodes an indexed image as an indexed PNG whose PLTE is `palette` in its exact order, at the
 * smallest bit depth that holds the palette (see `encodeIndexedPngWith`).
 */
export function encodeIndexedPng(image: IndexedImage, palette: Palette, options: PngWriteOptions = {}): Uint8Array {
  return encodeIndexedPngWith(nodeDeflate, image, palette, options);
}

/** node:zlib's raw inflate, stopping (ERR_BUFFER_TOO_LARGE) past the size the image's rows have. */
const nodeInflateRaw: PngInflateRaw = (deflated, maximumSizeInBytes) => nodeZlib().inflateRawSync(deflated, { maxOutputLength: Math.max(1, maximumSizeInBytes) });

/** Decodes a PNG (any colour type and depth the PNG spec defines) into indexed or RGBA form, inflating with Node's zlib. */
export function decodePng(bytes: Uint8Array): DecodedImage {
  return decodePngWith(nodeInflateRaw, bytes);
}

/** Decodes PNG bytes straight to an indexed image (see toIndexedImage), inflating with Node's zlib. */
export function readIndexedPng(bytes: Uint8Array, options: PngReadOptions = {}): IndexedImage {
  return toIndexedImage(decodePng(bytes), options);
}
