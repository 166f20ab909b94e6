/**
 * Option parsing and file edges shared by the graphics commands (extract, render, dump, import):
 * numbers, palettes (`--palette` file / `rom:LOC` / `gray`), layouts, input files with size limits.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, OutOfRangeError, UsageError } from '../../errors.js';
import { statRegularFile } from '../../util/files.js';
import type { Rom } from '../../rom/rom.js';
import {
  consolePaletteBytesPerColour,
  decodeConsolePalette,
  grayscalePalette,
  parseMetatileLayout,
  parsePaletteFile,
  subPalette,
  type MetatileLayout,
  type Palette,
  type SheetOptions,
} from '../../gfx/index.js';

/** Tile, map and dump files larger than this are refused before reading. */
export const maximumGraphicsInputSizeInBytes = 64 * 1024 * 1024;
/** Colours `--palette rom:…` reads when --palette-count is not given (one 16-colour sub-palette). */
export const defaultRomPaletteColourCount = 16;

/** Parses a decimal or 0x-hex integer option within [minimum, maximum]. */
export function integerOption(text: string | undefined, flag: string, minimum: number, maximum: number): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const value = /^0x[0-9a-f]+$/iu.test(trimmed) ? Number.parseInt(trimmed.slice(2), 16) : /^\d+$/u.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < minimum || value > maximum) {
    throw new InvalidArgumentError(`${flag} must be an integer from ${minimum} to ${maximum}, got "${text}"`, { flag, value: text });
  }
  return value;
}

/** Reads a whole input file (regular file, at most `limit` bytes). */
export function readInputFile(path: string, what: string, limit = maximumGraphicsInputSizeInBytes): Uint8Array {
  const stats = statRegularFile(path);
  if (stats.size > limit) throw new InvalidArgumentError(`${what} ${path} is ${stats.size} bytes; at most ${limit} bytes are read`, { path, size: stats.size, limit });
  return new Uint8Array(readFileSync(path));
}

export interface PaletteOptions {
  palette?: string;
  paletteCount?: string;
  subpalette?: string;
}

/**
 * The palette for an image of `bpp`-bit tiles. No `--palette`: the index-preserving grayscale
 * ramp. `rom:LOC`: `--palette-count` colours (default 16) read at LOC in the console's format.
 * `gray`: the ramp. Otherwise a palette file. `--subpalette N` then takes colours N·2^bpp onward.
 */
export function resolvePalette(options: PaletteOptions, bpp: number, rom?: Rom): Palette {
  const spec = options.palette;
  const count = integerOption(options.paletteCount, '--palette-count', 1, 256);
  if (count !== undefined && !spec?.startsWith('rom:')) throw new UsageError('--palette-count is for --palette rom:<offset>');
  let palette: Palette;
  if (spec === undefined || spec === 'gray' || spec === 'grayscale') {
    palette = grayscalePalette(bpp);
  } else if (spec.startsWith('rom:')) {
    if (!rom) throw new UsageError('--palette rom:<offset> reads from a ROM; this command has none (give a palette file)');
    const offset = rom.resolveLocation(spec.slice(4));
    const colours = count ?? defaultRomPaletteColourCount;
    const length = colours * consolePaletteBytesPerColour(rom.platform);
    if (offset + length > rom.size) throw new OutOfRangeError(`palette at ${spec}`, offset, length, rom.size);
    palette = decodeConsolePalette(rom.platform, rom.read(offset, length), colours);
  } else {
    palette = parsePaletteFile(readInputFile(spec, 'palette file', 1 << 20), spec);
  }
  const sub = integerOption(options.subpalette, '--subpalette', 0, 255);
  if (sub !== undefined) {
    if (bpp >= 8) throw new UsageError('--subpalette selects a 2^bpp-colour slice; 8 bpp tiles use the whole palette');
    palette = subPalette(palette, sub, 1 << bpp);
  }
  return palette;
}

export interface LayoutOptions {
  layout?: string;
  tilesPerRow?: string;
  columnMajor?: boolean;
  metatilesPerRow?: string;
}

export interface ResolvedLayout {
  sheet: SheetOptions;
  metatiles?: MetatileLayout;
  metatilesPerRow?: number;
}

export function resolveLayout(options: LayoutOptions): ResolvedLayout {
  const metatiles = parseMetatileLayout(options.layout ?? 'sheet');
  const tilesPerRow = integerOption(options.tilesPerRow, '--tiles-per-row', 1, 2048);
  const metatilesPerRow = integerOption(options.metatilesPerRow, '--metatiles-per-row', 1, 1024);
  if (metatiles && (tilesPerRow !== undefined || options.columnMajor)) throw new UsageError('--tiles-per-row and --column-major are for --layout sheet; metatile layouts take --metatiles-per-row');
  if (!metatiles && metatilesPerRow !== undefined) throw new UsageError('--metatiles-per-row needs a metatile --layout (snes-obj:WxH, gb-8x16, block:WxH)');
  const sheet: SheetOptions = { order: options.columnMajor ? 'column' : 'row' };
  if (tilesPerRow !== undefined) sheet.tilesPerRow = tilesPerRow;
  const resolved: ResolvedLayout = { sheet };
  if (metatiles) resolved.metatiles = metatiles;
  if (metatilesPerRow !== undefined) resolved.metatilesPerRow = metatilesPerRow;
  return resolved;
}

export const layoutHelp = 'sheet (default), snes-obj:16x16 | 32x32 | 64x64, gb-8x16, block:WxH (tiles)';
