/**
 * The one vocabulary for blocks, arrangements and palettes, shared by game definitions
 * (`SpriteDef.arrangement`, `SpriteDef.palette.format`), thumbnail requests (`BlockSpec`,
 * `PaletteSpec`), the scanner's candidates (`thumbnailRequestForCandidate`) and the CLI
 * (`--layout` text, `--palette rom:…`).
 *
 * The definition file's spelling is the canonical one (definitions on disk are users' files):
 * - an arrangement is `{ kind: 'sheet', tilesPerRow?, order?: 'row-major' | 'column-major' }`,
 *   `{ kind: 'snes-obj', size: 16 | 32 | 64 }`, `{ kind: 'gb-8x16' }` or
 *   `{ kind: 'block', width, height }` (a metatile of width × height tiles, numbered row-major);
 * - a palette stored in the ROM is named by its `format` (`bgr555`, `md9`, `nes-index`, `gb-bgp`).
 *
 * The CLI's text form of an arrangement (`sheet`, `snes-obj:16x16`, `gb-8x16`, `block:2x2`) maps
 * to and from these objects with `arrangementFromText` and `arrangementToText`. Older thumbnail
 * requests spelled arrangements `{ kind: 'layout', layout: 'block:2x2' }`, sheet orders
 * `row` / `column` and palette formats `encoding`; `ThumbnailService` still reads those
 * (deprecated, see `LegacyArrangementSpec`) and converts them at its edge.
 *
 * Pure: no I/O, exported by `romgfx/core` too.
 */
import { InvalidArgumentError } from './errors.js';
import type { MetatileLayout } from './gfx/image.js';

/** The orders in which a `sheet` arrangement lays tiles out. */
export const sheetOrders = ['row-major', 'column-major'] as const;
/** How a `sheet` arrangement lays tiles out: rows first or columns first. */
export type SheetOrder = (typeof sheetOrders)[number];

/** The arrangement kinds, in the order documentation lists them. */
export const arrangementKinds = ['sheet', 'snes-obj', 'gb-8x16', 'block'] as const;
/** One of `arrangementKinds`. */
export type ArrangementKind = (typeof arrangementKinds)[number];

/** SNES OBJ sprite sizes an arrangement may name, in pixels (square sprites of OBSEL). */
export const snesObjSizesInPixels = [16, 32, 64] as const;
/** The largest side of a `block` metatile, in tiles. */
export const maximumBlockSideInTiles = 64;
/** The widest sheet an arrangement may ask for, in tiles per row. */
export const maximumSheetTilesPerRow = 256;

/**
 * How tiles are laid out into an image: a sheet (tiles left→right then top→bottom, or
 * top→bottom first with `column-major`), SNES OBJ sprites on the 16-tile VRAM grid, Game Boy
 * 8×16 sprites, or metatiles of `width × height` consecutive tiles.
 */
export type Arrangement =
  | { kind: 'sheet'; tilesPerRow?: number; order?: SheetOrder }
  | { kind: 'snes-obj'; size: 16 | 32 | 64 }
  | { kind: 'gb-8x16' }
  | { kind: 'block'; width: number; height: number };

/** The ROM palette formats (one list for definitions, thumbnails and the CLI). */
export const paletteFormats = ['bgr555', 'md9', 'nes-index', 'gb-bgp'] as const;
/** How a palette is stored in a ROM: SNES/GBA/GBC BGR555, Mega Drive 9-bit, NES master-palette indices, or the GB BGP register. */
export type PaletteFormat = (typeof paletteFormats)[number];

/**
 * Colours for a picture, resolved (no files, no bus addresses): `grayscale` spreads the format's
 * index range from black to white; `colors` gives 0xRRGGBB values (index i gets colors[i]);
 * `rom` reads `count` colours stored at ROM offset `offset` in `format`.
 */
export type PaletteSpec =
  | { readonly kind: 'grayscale' }
  | { readonly kind: 'colors'; readonly colors: readonly number[] }
  | { readonly kind: 'rom'; readonly offset: number; readonly format: PaletteFormat; readonly count: number };

/** Whether `value` is one of `paletteFormats`. */
export function isPaletteFormat(value: unknown): value is PaletteFormat {
  return typeof value === 'string' && (paletteFormats as readonly string[]).includes(value);
}

/** The palette format a platform stores its colours in (what a definition means when it names none). */
export function platformPaletteFormat(platform: string): PaletteFormat {
  if (platform === 'md') return 'md9';
  if (platform === 'nes') return 'nes-index';
  return 'bgr555';
}

/**
 * The text form of an arrangement, as the CLI's `--layout` writes it: `sheet`, `snes-obj:16x16`,
 * `gb-8x16`, `block:2x2` (tiles). A sheet's tiles per row and order are not part of the text.
 */
export function arrangementToText(arrangement: Arrangement | undefined): string {
  if (!arrangement) return 'sheet';
  switch (arrangement.kind) {
    case 'sheet':
      return 'sheet';
    case 'snes-obj':
      return `snes-obj:${arrangement.size}x${arrangement.size}`;
    case 'gb-8x16':
      return 'gb-8x16';
    case 'block':
      return `block:${arrangement.width}x${arrangement.height}`;
  }
}

const arrangementTextPattern = /^(?:(sheet)|(gb-8x16)|snes-obj:(\d{1,3})x(\d{1,3})|block:(\d{1,3})x(\d{1,3}))$/u;

/**
 * Reads the text form (`arrangementToText`) back. Throws InvalidArgumentError naming the text
 * for anything else, including non-square `snes-obj` sizes (which `parseMetatileLayout` in
 * src/gfx still draws, but which no definition or thumbnail arrangement can name).
 */
export function arrangementFromText(text: string): Arrangement {
  const match = arrangementTextPattern.exec(text);
  if (!match) throw new InvalidArgumentError(`unknown arrangement "${text}"; use sheet, snes-obj:16x16 (or 32x32, 64x64), gb-8x16 or block:WxH (tiles)`, { layout: text });
  if (match[1] !== undefined) return { kind: 'sheet' };
  if (match[2] !== undefined) return { kind: 'gb-8x16' };
  if (match[3] !== undefined) {
    const size = Number(match[3]);
    if (size !== Number(match[4]) || !(snesObjSizesInPixels as readonly number[]).includes(size)) {
      throw new InvalidArgumentError(`arrangement "${text}": snes-obj sprites are 16x16, 32x32 or 64x64 pixels`, { layout: text });
    }
    return { kind: 'snes-obj', size: size as 16 | 32 | 64 };
  }
  const width = Number(match[5]);
  const height = Number(match[6]);
  if (width < 1 || height < 1 || width > maximumBlockSideInTiles || height > maximumBlockSideInTiles) {
    throw new InvalidArgumentError(`arrangement "${text}": a block is 1 to ${maximumBlockSideInTiles} tiles per side`, { layout: text });
  }
  return { kind: 'block', width, height };
}

/** The metatile layout src/gfx draws an arrangement with; undefined for a sheet (or none). */
export function arrangementLayout(arrangement: Arrangement | undefined): MetatileLayout | undefined {
  if (!arrangement || arrangement.kind === 'sheet') return undefined;
  if (arrangement.kind === 'snes-obj') return { kind: 'snes-obj', widthInTiles: arrangement.size / 8, heightInTiles: arrangement.size / 8 };
  if (arrangement.kind === 'gb-8x16') return { kind: 'block', widthInTiles: 1, heightInTiles: 2 };
  return { kind: 'block', widthInTiles: arrangement.width, heightInTiles: arrangement.height };
}

/** A sheet arrangement's options in src/gfx's terms (`arrangeSheet`); empty for other kinds. */
export function arrangementSheetOptions(arrangement: Arrangement | undefined): { tilesPerRow?: number; order?: 'row' | 'column' } {
  if (!arrangement || arrangement.kind !== 'sheet') return {};
  const options: { tilesPerRow?: number; order?: 'row' | 'column' } = {};
  if (arrangement.tilesPerRow !== undefined) options.tilesPerRow = arrangement.tilesPerRow;
  if (arrangement.order !== undefined) options.order = arrangement.order === 'column-major' ? 'column' : 'row';
  return options;
}
