/**
 * The converter's intermediate result, before any native encoding: the sub-palettes (colour
 * values in slot order), the stored tiles (palette indices) and one entry per map cell.
 */
import { pixelsPerCell, type Orientation } from './cells.js';

/** Sub-palettes, tiles and map entries of one conversion. */
export interface Layout {
  /** Colour values per sub-palette, slot order (unpadded). */
  readonly palettes: readonly (readonly number[])[];
  /** Stored tiles' palette indices, 64 per tile. */
  readonly tileIndices: Uint8Array;
  readonly tileCount: number;
  readonly columns: number;
  readonly rows: number;
  /** Per cell: stored tile number, or -1 when the cell has no entry (written as zero). */
  readonly cellTile: Int32Array;
  /** Per cell: sub-palette number. */
  readonly cellPalette: Int32Array;
  /** Per cell: orientation of the stored tile (bit 0 H, bit 1 V). */
  readonly cellOrientation: Uint8Array;
}

/** Per stored tile, the sub-palette of the first cell that uses it (-1 if none). */
export function paletteOfEachTile(layout: Layout): Int32Array {
  const result = new Int32Array(layout.tileCount).fill(-1);
  for (let cell = 0; cell < layout.cellTile.length; cell++) {
    const tile = layout.cellTile[cell]!;
    if (tile >= 0 && result[tile] === -1) result[tile] = layout.cellPalette[cell]!;
  }
  return result;
}

/** Maps colour value → first slot, for one sub-palette. */
export function slotLookup(palette: readonly number[]): Map<number, number> {
  const lookup = new Map<number, number>();
  palette.forEach((colour, slot) => {
    if (!lookup.has(colour)) lookup.set(colour, slot);
  });
  return lookup;
}

/** Whether every colour of `set` is in `lookup`. */
export function paletteHolds(lookup: Map<number, number>, set: readonly number[]): boolean {
  for (const colour of set) if (!lookup.has(colour)) return false;
  return true;
}

/** Allocates the per-cell arrays of a Layout for `cells` cells (tile -1 everywhere). */
export function emptyCellArrays(cells: number): { cellTile: Int32Array; cellPalette: Int32Array; cellOrientation: Uint8Array } {
  return { cellTile: new Int32Array(cells).fill(-1), cellPalette: new Int32Array(cells), cellOrientation: new Uint8Array(cells) };
}

/** Number of stored-tile index bytes for `count` tiles. */
export function tileIndexBytes(count: number): number {
  return count * pixelsPerCell;
}

export type { Orientation };
