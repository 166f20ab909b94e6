/**
 * Cutting an RGBA image into 8×8 cells of reduced colours, and the tile store that finds a cell
 * among the tiles kept so far, directly or as an H, V or HV mirror.
 */
import { ImageSizeError } from '../errors.js';
import { checkImageSize } from '../gfx/image.js';
import { reduceRgba, transparentAlphaBelow, transparentColour } from './colour.js';
import type { TargetSpec } from './targets.js';

/** Pixels per cell side. */
export const cellSideInPixels = 8;
/** Pixels per cell. */
export const pixelsPerCell = 64;

/** An RGBA8 image, row-major, 4 bytes per pixel. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** An image cut into cells of reduced colours, raster order (row by row). */
export interface CellGrid {
  readonly columns: number;
  readonly rows: number;
  /** `columns * rows * 64` colour values, cell by cell, each cell row-major. */
  readonly colours: Uint32Array;
}

/**
 * Cuts `image` into cells. Partial cells at the right and bottom are filled with `padColour`
 * when `pad` is set; otherwise a size that is not a multiple of 8 is an ImageSizeError.
 */
export function cutCells(spec: TargetSpec, image: RgbaImage, pad: boolean, padColour: number): CellGrid {
  const { width, height, rgba } = image;
  checkImageSize(width, height);
  if (rgba.length !== width * height * 4) throw new ImageSizeError(`RGBA data is ${rgba.length} bytes; a ${width}x${height} image needs ${width * height * 4}`, { width, height, length: rgba.length });
  if (!pad && (width % cellSideInPixels !== 0 || height % cellSideInPixels !== 0)) {
    throw new ImageSizeError(`image is ${width}x${height} pixels; width and height must be multiples of ${cellSideInPixels} (whole tiles)`, { width, height });
  }
  const columns = Math.ceil(width / cellSideInPixels);
  const rows = Math.ceil(height / cellSideInPixels);
  const colours = new Uint32Array(columns * rows * pixelsPerCell);
  // One reduction per distinct RGBA value: screens use few colours, so the cache turns the
  // per-pixel work into a Map lookup.
  // Keyed on the 24-bit RGB (a small integer) for opaque pixels; reduction only looks at
  // whether alpha is below the threshold, so alpha need not be part of the key.
  const reduced = new Map<number, number>();
  for (let cy = 0; cy < rows; cy++) {
    for (let cx = 0; cx < columns; cx++) {
      const base = (cy * columns + cx) * pixelsPerCell;
      for (let y = 0; y < cellSideInPixels; y++) {
        const py = cy * cellSideInPixels + y;
        for (let x = 0; x < cellSideInPixels; x++) {
          const px = cx * cellSideInPixels + x;
          if (px >= width || py >= height) {
            colours[base + y * 8 + x] = padColour;
            continue;
          }
          const o = (py * width + px) * 4;
          if (rgba[o + 3]! < transparentAlphaBelow) {
            colours[base + y * 8 + x] = transparentColour;
            continue;
          }
          const key = (rgba[o]! << 16) | (rgba[o + 1]! << 8) | rgba[o + 2]!;
          let colour = reduced.get(key);
          if (colour === undefined) {
            colour = reduceRgba(spec, rgba[o]!, rgba[o + 1]!, rgba[o + 2]!, 255);
            reduced.set(key, colour);
          }
          colours[base + y * 8 + x] = colour;
        }
      }
    }
  }
  return { columns, rows, colours };
}

/** The distinct colours of cell `cell`, ascending. */
export function cellColourSet(grid: CellGrid, cell: number): number[] {
  // A cell has few colours: a linear scan of the ones found so far beats a Set (no hashing,
  // one small array per cell; this runs for every cell of every screen).
  const found: number[] = [];
  const base = cell * pixelsPerCell;
  let last = -1;
  for (let i = 0; i < pixelsPerCell; i++) {
    const colour = grid.colours[base + i]!;
    if (colour === last) continue;
    last = colour;
    if (!found.includes(colour)) found.push(colour);
  }
  return found.sort((a, b) => a - b);
}

/** Every cell's colour set (cellColourSet), computed once. */
export function allCellColourSets(grid: CellGrid): number[][] {
  const sets: number[][] = [];
  for (let cell = 0; cell < grid.columns * grid.rows; cell++) sets.push(cellColourSet(grid, cell));
  return sets;
}

/** Orientation of a stored tile in a map entry: bit 0 = H flip, bit 1 = V flip. */
export type Orientation = 0 | 1 | 2 | 3;

/** Pixel i of the cell seen through `orientation` (H mirrors columns, V rows). */
const orientationSource: readonly Uint8Array[] = [0, 1, 2, 3].map((o) => {
  const source = new Uint8Array(pixelsPerCell);
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) source[y * 8 + x] = ((o & 2 ? 7 - y : y) << 3) | (o & 1 ? 7 - x : x);
  return source;
});

const keyScratch = new Uint8Array(pixelsPerCell);

/** A 64-index tile seen through `orientation`, as a string key (one char per index): exact and cheap to hash. */
export function tileKey(indices: Uint8Array, offset: number, orientation: Orientation): string {
  const source = orientationSource[orientation]!;
  for (let i = 0; i < pixelsPerCell; i++) keyScratch[i] = indices[offset + source[i]!]!;
  // One string per key, built in one call (character-by-character concatenation made a rope
  // of 64 pieces per key and dominated the profile).
  return String.fromCharCode.apply(null, keyScratch as unknown as number[]);
}

/** A match in the tile store: the stored tile and how it is flipped to equal the cell. */
export interface TileMatch {
  readonly tile: number;
  readonly orientation: Orientation;
}

/**
 * Distinct tiles in order of first appearance, each kept in the orientation it first appeared
 * in. `find` returns the lowest-numbered stored tile that equals the cell or whose mirror does,
 * testing identity, then H, V, HV (the tools' priority, convert.md §1.7 step 3, §2.5).
 */
export class TileStore {
  /** Stored tiles' indices, 64 per tile. */
  indices: Uint8Array = new Uint8Array(pixelsPerCell * 64);
  count = 0;
  readonly #byKey = new Map<string, TileMatch>();
  readonly #orientations: readonly Orientation[];

  /** `flipH`/`flipV`: which mirrors count as the same tile. */
  constructor(flipH: boolean, flipV: boolean) {
    const orientations: Orientation[] = [0];
    if (flipH) orientations.push(1);
    if (flipV) orientations.push(2);
    if (flipH && flipV) orientations.push(3);
    this.#orientations = orientations;
  }

  /** The stored tile equal to (a mirror of) `indices[offset..offset+64)`, or undefined. */
  find(indices: Uint8Array, offset: number): TileMatch | undefined {
    return this.#byKey.get(tileKey(indices, offset, 0));
  }

  /** Stores the tile (without checking for a match) and returns its number. */
  add(indices: Uint8Array, offset: number): number {
    const tile = this.count;
    if ((tile + 1) * pixelsPerCell > this.indices.length) {
      const grown = new Uint8Array(this.indices.length * 2);
      grown.set(this.indices);
      this.indices = grown;
    }
    this.indices.set(indices.subarray(offset, offset + pixelsPerCell), tile * pixelsPerCell);
    this.count++;
    // A cell equals stored tile T flipped by o when the cell is T seen through o. Earlier
    // tiles and earlier orientations keep their entry: the first match wins.
    for (const orientation of this.#orientations) {
      const key = tileKey(indices, offset, orientation);
      if (!this.#byKey.has(key)) this.#byKey.set(key, { tile, orientation });
    }
    return tile;
  }

  /** The stored tiles' indices, 64 per tile. */
  storedIndices(): Uint8Array {
    return this.indices.slice(0, this.count * pixelsPerCell);
  }
}

/** Copies a cell's indices seen through `orientation` into `out` at `outOffset`. */
export function orientTile(indices: Uint8Array, offset: number, orientation: Orientation, out: Uint8Array, outOffset: number): void {
  const source = orientationSource[orientation]!;
  for (let i = 0; i < pixelsPerCell; i++) out[outOffset + i] = indices[offset + source[i]!]!;
}
