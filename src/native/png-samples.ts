/**
 * The addon's PNG sample unpacker (native/src/png_samples.cc), with the signature and results of
 * unpackPngSamples in src/gfx/png-core.ts (test/native/png-samples-parity.test.ts). Run once,
 * cold, on a one-PNG `romgfx import`, the TypeScript loop was the largest part of the PNG's
 * decode left after the native inflate (~2.7 ms of a 256x256 4-bit sheet, CPU profile; issue #18).
 */
import type { PngSampleUnpacker } from '../gfx/png-core.js';
import type { NativeAddon } from './addon.js';

/** unpackPngSamples through the addon. */
export function createNativePngSampleUnpacker(addon: NativeAddon): PngSampleUnpacker {
  return (packed, out, samplesPerRow, rows, depth) => addon.pngUnpackSamples(packed, out, samplesPerRow, rows, depth);
}
