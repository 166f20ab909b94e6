/**
 * Native kernels: the engine's swap-in of our N-API addon for the hot kernels (HAL decode,
 * probe and encode at every level; planar and packed-nibble tile decode/encode; zlib deflate
 * with a stream reused per thread, for PNG writing).
 *
 * Importing this module decides once per thread: when the addon loads (and ROMGFX_NATIVE is not
 * 0) the HAL codec's kernels are replaced by the native ones, which give the same bytes and the
 * same typed errors; otherwise the TypeScript kernels stay and one debug line says why.
 */
import { halKernels, setHalKernels, typescriptHalKernels, type HalKernels } from '../codecs/hal/kernels.js';
import { loadNative } from './addon.js';
import { createNativeHalKernels } from './hal.js';
import { createNativeTileKernels, typescriptTileKernels, type TileKernels } from './tiles.js';
import { createNativeZlibDeflate, nodeZlibDeflate, type ZlibDeflate } from './deflate.js';

export { loadNative, nativeStatus, nativeAbiVersion, nativeAddonRelativePath, type NativeAddon, type NativeStatus } from './addon.js';
export { createNativeHalKernels, nativeStatusCodes } from './hal.js';
export { createNativeTileKernels, typescriptTileKernels, type TileKernels } from './tiles.js';
export { createNativeZlibDeflate, nodeZlibDeflate, zlibDeflateBound, type ZlibDeflate } from './deflate.js';

let nativeHal: HalKernels | null | undefined;
let nativeTiles: TileKernels | null | undefined;

/** The native HAL kernels, or null when the addon is not in use. */
export function nativeHalKernels(): HalKernels | null {
  if (nativeHal === undefined) {
    const addon = loadNative();
    nativeHal = addon ? createNativeHalKernels(addon) : null;
  }
  return nativeHal;
}

/** The native tile kernels, or null when the addon is not in use. */
export function nativeTileKernels(): TileKernels | null {
  if (nativeTiles === undefined) {
    const addon = loadNative();
    nativeTiles = addon ? createNativeTileKernels(addon) : null;
  }
  return nativeTiles;
}

let nativeDeflate: ZlibDeflate | null | undefined;

/** The native zlib deflate (zlib state on memory kept per thread), or null when the addon is not in use. */
export function nativeZlibDeflate(): ZlibDeflate | null {
  if (nativeDeflate === undefined) {
    const addon = loadNative();
    nativeDeflate = addon ? createNativeZlibDeflate(addon) : null;
  }
  return nativeDeflate;
}

/** The deflate PNG writing should use: native when loaded, else node:zlib (same bytes). */
export function zlibDeflate(): ZlibDeflate {
  return nativeZlibDeflate() ?? nodeZlibDeflate;
}

/** The tile kernels the engine should use: native when loaded, else the TypeScript reference. */
export function tileKernels(): TileKernels {
  return nativeTileKernels() ?? typescriptTileKernels;
}

/**
 * Makes the engine use the native kernels when the addon is available (idempotent). Returns
 * whether it does. Called when this module is first imported.
 */
export function useNativeKernels(): boolean {
  const hal = nativeHalKernels();
  if (hal && halKernels() === typescriptHalKernels) setHalKernels(hal);
  return hal !== null;
}

/** Puts the TypeScript reference kernels back (tests, benchmarks, debugging). */
export function useTypescriptKernels(): void {
  setHalKernels(typescriptHalKernels);
}

/** Which HAL implementation the engine runs now ('native' or 'typescript'). */
export function activeHalImplementation(): string {
  return halKernels().implementation;
}

useNativeKernels();
