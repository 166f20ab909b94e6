/**
 * Public option and result types of the converter (src/convert). Everything is data in, data
 * out: no file names, no I/O.
 */
import type { ConvertTarget, MapFormat } from './targets.js';

/** Which tool's exact behaviour to reproduce; undefined = romgfx's own (best) mode. */
export type CompatibilityMode = 'superfamiconv' | 'rgbgfx';

/** Which mirrors count as the same tile (rgbgfx `-X` = 'h', `-Y` = 'v', `-m` = 'both'). */
export type FlipAxes = 'both' | 'h' | 'v' | 'none';

/** Options of `convertImage`. */
export interface ConvertOptions {
  readonly target: ConvertTarget;
  /** Bits per pixel (default: the target's). */
  readonly bpp?: number;
  /** Sprite (OBJ) data: colour 0 transparent in every sub-palette, every cell stored in order, no flips. */
  readonly sprite?: boolean;
  /** Store mirrored copies as tiles of their own (map entries never flip). */
  readonly noFlip?: boolean;
  /** Finer control than noFlip: which mirrors are matched (rgbgfx -X / -Y). */
  readonly flips?: FlipAxes;
  /** Store every cell, even exact repeats. */
  readonly noDedupe?: boolean;
  /** Most sub-palettes the result may use (default: the target's). */
  readonly palettes?: number;
  /** Colours per sub-palette, colour 0 included (default: 2^bpp, or the target's). */
  readonly coloursPerPalette?: number;
  /** Added to every map entry's tile index (tiles loaded after others in VRAM). */
  readonly tileBase?: number;
  /** Added to every map entry's palette index. */
  readonly paletteBase?: number;
  /** Map entry layout (default: the target's). */
  readonly mapFormat?: MapFormat;
  /** Reproduce SuperFamiconv's or rgbgfx's bytes. */
  readonly like?: CompatibilityMode;
  /**
   * Colour 0 shared by every sub-palette: 'transparent', or an 0xRRGGBB colour
   * (SuperFamiconv --color-zero). Default: see docs/convert.md.
   */
  readonly colourZero?: 'transparent' | number;
  /**
   * Write the map as 32×32-cell screens, screens in column-major order, each screen row-major
   * (SuperFamiconv's `map` sub-command; a 64-cell-wide SNES map is two screens side by side).
   */
  readonly mapScreens?: boolean;
  /**
   * SuperFamiconv -W 16 -H 16 (snes sprites): 16×16 tiles, written as 8×8 cells in the SNES OBJ
   * VRAM layout (16 cells per row), the map holding 16×16 tile numbers (convert.md §1.11).
   */
  readonly tileSize?: 8 | 16;
  /**
   * SuperFamiconv -R: an indexed PNG's PLTE, cut into 2^bpp-colour chunks, is the sub-palettes
   * and its indices are the tile data (no packing, no sorting).
   */
  readonly noRemap?: boolean;
  /** rgbgfx: visit cells column by column (-Z). */
  readonly columnMajor?: boolean;
  /** rgbgfx: explicit sub-palettes (0xRRGGBB, or -1 for a #none gap), in order (-c). */
  readonly explicitPalettes?: readonly (readonly number[])[];
  /** rgbgfx: use the PNG's own PLTE as the palettes (-c embedded). */
  readonly embeddedPalette?: boolean;
  /** rgbgfx: DMG shade register for gray images (-c dmg=XY). */
  readonly dmgRegister?: number;
  /** rgbgfx: base tile IDs of VRAM banks 0 and 1 (-b). */
  readonly bankBases?: readonly [number, number];
  /** rgbgfx: tiles per VRAM bank (-N); above the first, tiles go to bank 1. */
  readonly tilesPerBank?: readonly [number, number];
  /** rgbgfx: leave this many tiles off the end of the tile data (-x). */
  readonly trimTiles?: number;
}

/** A map cell whose tile is a mirrored copy of a stored tile. */
export interface FlippedCell {
  /** Cell column and row. */
  readonly x: number;
  readonly y: number;
  readonly tile: number;
  readonly hflip: boolean;
  readonly vflip: boolean;
}

/** What `convertImage` returns. */
export interface ConvertResult {
  readonly target: ConvertTarget;
  readonly bpp: number;
  readonly mapFormat: MapFormat;
  readonly like: CompatibilityMode | undefined;
  /** Native tile data. */
  readonly tiles: Uint8Array;
  readonly tileCount: number;
  /** Native map (tile indices; with flips and palettes when the format has them). */
  readonly map: Uint8Array;
  /** Per-cell attribute bytes (gbc: CGB attributes; nes: attribute table), if the format has them. */
  readonly attrmap: Uint8Array | undefined;
  /** rgbgfx's per-cell palette map (.palmap), in rgbgfx mode only. */
  readonly palmap: Uint8Array | undefined;
  /** Native palette data: every sub-palette padded to the hardware's size. */
  readonly palette: Uint8Array;
  readonly paletteCount: number;
  /** Colours each sub-palette occupies in `palette`. */
  readonly coloursPerPalette: number;
  /** Sub-palettes as 0xRRGGBB (-1 = transparent slot), unpadded. */
  readonly palettes: readonly (readonly number[])[];
  /** Map width and height in cells. */
  readonly mapWidth: number;
  readonly mapHeight: number;
  /** Sub-palette of each stored tile (the first cell that uses it). */
  readonly tilePalettes: readonly number[];
  /** Per map cell (raster order): stored tile number (-1: no entry) and sub-palette. */
  readonly cellTiles: readonly number[];
  readonly cellPalettes: readonly number[];
  /** Cells that use a stored tile mirrored. */
  readonly flippedCells: readonly FlippedCell[];
  /** Stored tiles' palette indices, 64 per tile (for a tileset PNG). */
  readonly tileIndices: Uint8Array;
  /** Whether colour 0 of every sub-palette is transparent. */
  readonly transparentColourZero: boolean;
  /** Notes a tool would have printed (rgbgfx warnings, SuperFamiconv messages). */
  readonly warnings: readonly string[];
}
