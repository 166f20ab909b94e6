/**
 * Which tile kernels src/gfx/formats.ts runs: the TypeScript reference (src/gfx/kernels.ts) until
 * src/native/ installs the addon's (same bytes, same errors: test/native/tiles-parity.test.ts).
 * A hook rather than an import of src/native, so src/gfx stays pure (no Node) for `romgfx/core`.
 */
import { decodePackedNibbleTiles, decodePlanarTiles, encodePackedNibbleTiles, encodePlanarTiles, type PlanarLayout } from './kernels.js';

/** The tile kernels the engine can swap between TypeScript and native (same signatures). */
export interface TileKernels {
  readonly implementation: string;
  decodePlanarTiles(bytes: Uint8Array, indices: Uint8Array, tileCount: number, layout: PlanarLayout): void;
  encodePlanarTiles(indices: Uint8Array, bytes: Uint8Array, tileCount: number, layout: PlanarLayout): void;
  decodePackedNibbleTiles(bytes: Uint8Array, indices: Uint8Array, tileCount: number, lowNibbleLeft: boolean): void;
  encodePackedNibbleTiles(indices: Uint8Array, bytes: Uint8Array, tileCount: number, lowNibbleLeft: boolean): void;
}

/** The TypeScript reference kernels. */
export const typescriptTileKernels: TileKernels = {
  implementation: 'typescript',
  decodePlanarTiles,
  encodePlanarTiles,
  decodePackedNibbleTiles,
  encodePackedNibbleTiles,
};

let active: TileKernels = typescriptTileKernels;

/** The tile kernels decodeTiles/encodeTiles run for calls large enough to pay for a native call. */
export function activeTileKernels(): TileKernels {
  return active;
}

/** Swaps the kernels (src/native/ installs the addon's; tests put the reference back). */
export function setTileKernels(kernels: TileKernels): void {
  active = kernels;
}
