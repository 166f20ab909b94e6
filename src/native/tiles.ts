/**
 * Native planar and packed-nibble tile kernels with the signatures, results and typed errors of
 * the TypeScript reference in src/gfx/kernels.ts. Length checks run here with the reference's
 * messages; the addon re-checks them and reports the first tile holding an index over the bit
 * depth, for which this module throws the reference's IndexOutOfRangeError.
 */
import {
  decodePackedNibbleTiles,
  decodePlanarTiles,
  encodePackedNibbleTiles,
  encodePlanarTiles,
  checkKernelLengths,
  indexTooLargeError,
  type PlanarLayout,
} from '../gfx/kernels.js';
import type { NativeAddon } from './addon.js';

export { typescriptTileKernels, type TileKernels } from '../gfx/tile-kernels.js';
import type { TileKernels } from '../gfx/tile-kernels.js';

/** Bytes of a packed 4bpp tile (2 pixels per byte). */
const packedBytesPerTile = 32;
/** native/src/addon.cc kPlanarDescriptorLength: bytesPerTile, planeCount, lsbFirst, 8 offsets, 8 strides. */
const planarDescriptorLength = 19;
const maximumPlaneCount = 8;

/** True when two views share memory: the kernels then run in TypeScript, whose byte order of reads and writes is the reference. */
function overlaps(a: Uint8Array, b: Uint8Array): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

const descriptors = new WeakMap<PlanarLayout, Uint8Array>();

/** The addon's form of a layout, built once per layout object. */
function descriptorFor(layout: PlanarLayout): Uint8Array {
  let descriptor = descriptors.get(layout);
  if (descriptor === undefined) {
    descriptor = new Uint8Array(planarDescriptorLength);
    descriptor[0] = layout.bytesPerTile;
    descriptor[1] = layout.planeCount;
    descriptor[2] = layout.lsbFirst ? 1 : 0;
    for (let p = 0; p < Math.min(layout.planeCount, maximumPlaneCount); p++) {
      descriptor[3 + p] = layout.planeOffsets[p]!;
      descriptor[3 + maximumPlaneCount + p] = layout.rowStrides[p]!;
    }
    descriptors.set(layout, descriptor);
  }
  return descriptor;
}

/** True when the addon can take this layout (≤ 8 planes, every row byte inside a tile of ≤ 64 bytes). */
function nativeLayout(layout: PlanarLayout): boolean {
  if (layout.planeCount < 1 || layout.planeCount > maximumPlaneCount || layout.bytesPerTile < 1 || layout.bytesPerTile > 64) return false;
  for (let p = 0; p < layout.planeCount; p++) {
    if (layout.planeOffsets[p]! + 7 * layout.rowStrides[p]! >= layout.bytesPerTile) return false;
  }
  return true;
}

/** Tile kernels running in the addon; identical bytes and errors to `typescriptTileKernels`. */
export function createNativeTileKernels(addon: NativeAddon): TileKernels {
  return {
    implementation: 'native',

    decodePlanarTiles(bytes, indices, tileCount, layout) {
      if (overlaps(bytes, indices) || !nativeLayout(layout)) return decodePlanarTiles(bytes, indices, tileCount, layout);
      checkKernelLengths('decode planar tiles', bytes, layout.bytesPerTile, indices, tileCount);
      addon.tilesDecodePlanar(bytes, indices, tileCount, descriptorFor(layout));
    },

    encodePlanarTiles(indices, bytes, tileCount, layout) {
      if (overlaps(bytes, indices) || !nativeLayout(layout)) return encodePlanarTiles(indices, bytes, tileCount, layout);
      checkKernelLengths('encode planar tiles', bytes, layout.bytesPerTile, indices, tileCount);
      const failedTile = addon.tilesEncodePlanar(indices, bytes, tileCount, descriptorFor(layout));
      if (failedTile >= 0) throw indexTooLargeError(indices, failedTile, layout.planeCount);
    },

    decodePackedNibbleTiles(bytes, indices, tileCount, lowNibbleLeft) {
      if (overlaps(bytes, indices)) return decodePackedNibbleTiles(bytes, indices, tileCount, lowNibbleLeft);
      checkKernelLengths('decode packed 4bpp tiles', bytes, packedBytesPerTile, indices, tileCount);
      addon.tilesDecodePacked(bytes, indices, tileCount, Boolean(lowNibbleLeft));
    },

    encodePackedNibbleTiles(indices, bytes, tileCount, lowNibbleLeft) {
      if (overlaps(bytes, indices)) return encodePackedNibbleTiles(indices, bytes, tileCount, lowNibbleLeft);
      checkKernelLengths('encode packed 4bpp tiles', bytes, packedBytesPerTile, indices, tileCount);
      const failedTile = addon.tilesEncodePacked(indices, bytes, tileCount, Boolean(lowNibbleLeft));
      if (failedTile >= 0) throw indexTooLargeError(indices, failedTile, 4);
    },
  };
}
