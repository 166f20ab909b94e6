/**
 * PNG in Node: the pure reader and writer of png-core.ts, writing with the zlib inside Node,
 * through the addon when it loads (no allocation per call; src/gfx/png-deflate.ts decides on the
 * first PNG written). Measured
 * (2 threads, 1,000 256×64 4-bit images): fast-png's pure-JS deflate took 606 ms on one thread
 * and did not scale across two (≈960 ms each), zlib took 441 ms and ran two threads side by side
 * at the same speed — this encode is most of a thumbnail's cost.
 *
 * Reading inflates with the same zlib, through the addon when it loads (src/native/inflate.ts),
 * else through node:zlib, with the output capped at the size the image's rows have; the two give
 * the same bytes and refuse the same streams. Why the addon: start-up (issue #18). A JavaScript
 * inflate (fflate) cost ~14 ms of compiling in every `romgfx import`; node:zlib is native but
 * loading it compiles node:stream and ~20 internal stream modules, ~5 ms measured here, where the
 * addon loads in ~1.3 ms (and `import` then encodes its tiles with it too; sub-byte samples are
 * spread by the addon too, src/native/png-samples.ts). Importing this module
 * loads neither: the first decode decides, once per thread (ROMGFX_NATIVE=0 keeps node:zlib). Not
 * src/native/index.ts: that chunk pulls in every codec's kernels.
 */
import { pngDeflate } from './png-deflate.js';
import { decodePngWith, encodeIndexedPngWith, toIndexedImage, type DecodedImage, type PngDecodeKernels, type PngInflateRaw, type PngReadOptions, type PngWriteOptions } from './png-core.js';
import type { IndexedImage } from './image.js';
import { loadNative } from '../native/addon.js';
import { createNativeInflateRaw, nodeZlibInflateRaw } from '../native/inflate.js';
import { createNativePngSampleUnpacker } from '../native/png-samples.js';
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

let reader: { inflateRaw: PngInflateRaw; kernels: PngDecodeKernels } | undefined;

/** The addon's raw inflate and sample unpacker when it loads (decided on the first decode), else node:zlib's inflate and the TypeScript unpacker. */
function pngReader(): { inflateRaw: PngInflateRaw; kernels: PngDecodeKernels } {
  if (reader === undefined) {
    const addon = loadNative();
    reader = addon ? { inflateRaw: createNativeInflateRaw(addon), kernels: { unpackSamples: createNativePngSampleUnpacker(addon) } } : { inflateRaw: nodeZlibInflateRaw, kernels: {} };
  }
  return reader;
}

/** Decodes a PNG (any colour type and depth the PNG spec defines) into indexed or RGBA form, inflating with Node's zlib (through the addon when it loads). */
export function decodePng(bytes: Uint8Array): DecodedImage {
  const { inflateRaw, kernels } = pngReader();
  return decodePngWith(inflateRaw, bytes, kernels);
}

/** Decodes PNG bytes straight to an indexed image (see toIndexedImage), inflating as decodePng does. */
export function readIndexedPng(bytes: Uint8Array, options: PngReadOptions = {}): IndexedImage {
  return toIndexedImage(decodePng(bytes), options);
}
