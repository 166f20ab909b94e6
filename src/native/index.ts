/**
 * Native kernels: the engine's swap-in of our N-API addon for the hot kernels (HAL decode,
 * probe and encode at every level; Nemesis, konami1, Saxman, Kosinski, Kosinski Moduled, Comper and LZ4W decode and probe; planar and packed-nibble tile decode/encode; zlib deflate
 * without allocation per call, for PNG writing; raw inflate, for PNG reading (src/gfx/png.ts
 * chooses it itself, without this module); whole small files in one call, for the
 * thumbnail disk cache).
 *
 * Importing this module decides once per thread: when the addon loads (and ROMGFX_NATIVE is not
 * 0) the HAL, Nemesis, konami1 and Sega LZ (Saxman, Kosinski, Kosinski Moduled, Comper, LZ4W) codecs' kernels are replaced by the native ones, which give the same bytes and the
 * same typed errors; otherwise the TypeScript kernels stay and one debug line says why.
 */
import { halKernels, setHalKernels, typescriptHalKernels, type HalKernels } from '../codecs/hal/kernels.js';
import { loadNative, type NativeAddon } from './addon.js';
import { createNativeHalKernels } from './hal.js';
import { createNativeTileKernels, typescriptTileKernels, type TileKernels } from './tiles.js';
import { activeTileKernels, setTileKernels } from '../gfx/tile-kernels.js';
import { createNativeZlibDeflate, nodeZlibDeflate, type ZlibDeflate } from './deflate.js';
import { createNativeSmallFileReader, type SmallFileReader } from './file-read.js';
import { pngDeflate, setPngDeflate } from '../gfx/png-deflate.js';
import { nemesisKernels, setNemesisKernels, typescriptNemesisKernels, type NemesisKernels } from '../codecs/sega/nemesis.js';
import { createNativeNemesisKernels } from './nemesis.js';
import { konami1Kernels, setKonami1Kernels, typescriptKonami1Kernels, type Konami1Kernels } from '../codecs/nintendo/konami1.js';
import { createNativeKonami1Kernels } from './konami1.js';
import { saxmanKernels, setSaxmanKernels, typescriptSaxmanKernels } from '../codecs/sega/saxman.js';
import { kosinskiKernels, setKosinskiKernels, typescriptKosinskiKernels } from '../codecs/sega/kosinski.js';
import { kosinskiModuledKernels, setKosinskiModuledKernels, typescriptKosinskiModuledKernels } from '../codecs/sega/kosinski-moduled.js';
import type { DecodeKernels } from '../codecs/sega/common.js';
import { comperKernels, setComperKernels, typescriptComperKernels } from '../codecs/sega/comper.js';
import { lz4wKernels, setLz4wKernels, typescriptLz4wKernels } from '../codecs/sega/lz4w.js';
import { createNativeComperKernels, createNativeKosinskiKernels, createNativeKosinskiModuledKernels, createNativeLz4wKernels, createNativeSaxmanKernels } from './sega-lz.js';

export { loadNative, nativeStatus, nativeAbiVersion, nativeAddonRelativePath, type NativeAddon, type NativeStatus } from './addon.js';
export { createNativeHalKernels, nativeStatusCodes } from './hal.js';
export { createNativeTileKernels, typescriptTileKernels, type TileKernels } from './tiles.js';
export { createNativeZlibDeflate, nodeZlibDeflate, zlibDeflateBound, type ZlibDeflate } from './deflate.js';
export { createNativeInflateRaw, nodeZlibInflateRaw, nativeInflateStatus } from './inflate.js';
export { createNativeNemesisKernels, nativeNemesisStatusCodes } from './nemesis.js';
export { createNativeKonami1Kernels, nativeKonami1StatusCodes } from './konami1.js';
export {
  createNativeComperKernels,
  createNativeKosinskiKernels,
  createNativeKosinskiModuledKernels,
  createNativeLz4wKernels,
  createNativeSaxmanKernels,
  nativeSegaLzStatusCodes,
} from './sega-lz.js';
export { createNativeSmallFileReader, fileReadStatus, maximumSmallFileSizeInBytes, type SmallFileRead, type SmallFileReader } from './file-read.js';

/** A getter for what `create` makes of the addon: made once per thread, null when the addon is not in use. */
function fromAddon<T>(create: (addon: NativeAddon) => T): () => T | null {
  let made: T | null | undefined;
  return () => {
    if (made === undefined) {
      const addon = loadNative();
      made = addon ? create(addon) : null;
    }
    return made;
  };
}

/** The native HAL kernels, or null when the addon is not in use. */
export const nativeHalKernels: () => HalKernels | null = fromAddon(createNativeHalKernels);

/** The native Nemesis kernels, or null when the addon is not in use. */
export const nativeNemesisKernels: () => NemesisKernels | null = fromAddon(createNativeNemesisKernels);

/** The native konami1 kernels, or null when the addon is not in use. */
export const nativeKonami1Kernels: () => Konami1Kernels | null = fromAddon(createNativeKonami1Kernels);

/** The native Saxman kernels, or null when the addon is not in use. */
export const nativeSaxmanKernels: () => DecodeKernels | null = fromAddon(createNativeSaxmanKernels);

/** The native Kosinski kernels, or null when the addon is not in use. */
export const nativeKosinskiKernels: () => DecodeKernels | null = fromAddon(createNativeKosinskiKernels);

/** The native Kosinski Moduled kernels, or null when the addon is not in use. */
export const nativeKosinskiModuledKernels: () => DecodeKernels | null = fromAddon(createNativeKosinskiModuledKernels);

/** The native Comper kernels, or null when the addon is not in use. */
export const nativeComperKernels: () => DecodeKernels | null = fromAddon(createNativeComperKernels);

/** The native LZ4W kernels, or null when the addon is not in use. */
export const nativeLz4wKernels: () => DecodeKernels | null = fromAddon(createNativeLz4wKernels);

/** The native tile kernels, or null when the addon is not in use. */
export const nativeTileKernels: () => TileKernels | null = fromAddon(createNativeTileKernels);

/** The native zlib deflate (zlib state on memory kept per thread), or null when the addon is not in use. */
export const nativeZlibDeflate: () => ZlibDeflate | null = fromAddon(createNativeZlibDeflate);

/** The addon's small-file reader (the disk cache's hits), or null when the addon is not in use. */
export const nativeSmallFileReader: () => SmallFileReader | null = fromAddon(createNativeSmallFileReader);

/** The deflate PNG writing should use: native when loaded, else node:zlib (same bytes). */
export function zlibDeflate(): ZlibDeflate {
  return nativeZlibDeflate() ?? nodeZlibDeflate;
}

/** The tile kernels the engine should use: native when loaded, else the TypeScript reference. */
export function tileKernels(): TileKernels {
  return nativeTileKernels() ?? typescriptTileKernels;
}

/** The tile kernels src/gfx/formats.ts runs now. */
export { activeTileKernels };

/**
 * Makes the engine use the native kernels when the addon is available (idempotent). Returns
 * whether it does. Called when this module is first imported.
 */
export function useNativeKernels(): boolean {
  const hal = nativeHalKernels();
  if (hal && halKernels() === typescriptHalKernels) setHalKernels(hal);
  const tiles = nativeTileKernels();
  if (tiles && activeTileKernels() === typescriptTileKernels) setTileKernels(tiles);
  const nemesis = nativeNemesisKernels();
  if (nemesis && nemesisKernels() === typescriptNemesisKernels) setNemesisKernels(nemesis);
  const konami1 = nativeKonami1Kernels();
  if (konami1 && konami1Kernels() === typescriptKonami1Kernels) setKonami1Kernels(konami1);
  const saxman = nativeSaxmanKernels();
  if (saxman && saxmanKernels() === typescriptSaxmanKernels) setSaxmanKernels(saxman);
  const kosinski = nativeKosinskiKernels();
  if (kosinski && kosinskiKernels() === typescriptKosinskiKernels) setKosinskiKernels(kosinski);
  const kosinskiModuled = nativeKosinskiModuledKernels();
  if (kosinskiModuled && kosinskiModuledKernels() === typescriptKosinskiModuledKernels) setKosinskiModuledKernels(kosinskiModuled);
  const comper = nativeComperKernels();
  if (comper && comperKernels() === typescriptComperKernels) setComperKernels(comper);
  const lz4w = nativeLz4wKernels();
  if (lz4w && lz4wKernels() === typescriptLz4wKernels) setLz4wKernels(lz4w);
  const deflate = nativeZlibDeflate();
  if (deflate && pngDeflate() === nodeZlibDeflate) setPngDeflate(deflate);
  return hal !== null;
}

/** Puts the TypeScript reference kernels back (tests, benchmarks, debugging). */
export function useTypescriptKernels(): void {
  setHalKernels(typescriptHalKernels);
  setTileKernels(typescriptTileKernels);
  setNemesisKernels(typescriptNemesisKernels);
  setKonami1Kernels(typescriptKonami1Kernels);
  setSaxmanKernels(typescriptSaxmanKernels);
  setKosinskiKernels(typescriptKosinskiKernels);
  setKosinskiModuledKernels(typescriptKosinskiModuledKernels);
  setComperKernels(typescriptComperKernels);
  setLz4wKernels(typescriptLz4wKernels);
}

/** Which Nemesis implementation the engine runs now ('native' or 'typescript'). */
export function activeNemesisImplementation(): string {
  return nemesisKernels().implementation;
}

/** Which konami1 implementation the engine runs now ('native' or 'typescript'). */
export function activeKonami1Implementation(): string {
  return konami1Kernels().implementation;
}

/** Which implementation each Sega LZ codec with a native kernel runs now ('native' or 'typescript'). */
export function activeSegaLzImplementations(): { saxman: string; kosinski: string; 'kosinski-moduled': string; comper: string; lz4w: string } {
  return {
    saxman: saxmanKernels().implementation,
    kosinski: kosinskiKernels().implementation,
    'kosinski-moduled': kosinskiModuledKernels().implementation,
    comper: comperKernels().implementation,
    lz4w: lz4wKernels().implementation,
  };
}

/** Which HAL implementation the engine runs now ('native' or 'typescript'). */
export function activeHalImplementation(): string {
  return halKernels().implementation;
}

useNativeKernels();
