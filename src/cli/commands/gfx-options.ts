/**
 * Option parsing and file edges shared by the graphics commands (extract, render, dump, import):
 * numbers, palettes (`--palette` file / `rom:LOC` / `gray`), layouts, input files with size limits.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { didYouMean } from '../../util/suggest.js';
import { InvalidArgumentError, OutOfRangeError, UsageError } from '../../errors.js';
import { statRegularFile } from '../../util/files.js';
import type { Rom } from '../../rom/rom.js';
import {
  consolePaletteBytesPerColour,
  decodeConsolePalette,
  defaultGrayscalePalette,
  encodeBgr555,
  formatAct,
  formatGpl,
  formatJascPal,
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

/** A `rom:` palette: where, and how many colours (when the spec names a count). */
export interface RomPaletteSpec {
  location: string;
  count?: number;
}

/**
 * Splits `rom:<offset|bus address>[:count]`. A trailing `:N` is a colour count when N is a
 * decimal 1–256 without a leading zero; bus addresses write their in-bank part with four hex
 * digits (`$C0:8000`, `$C0:0100`), so `rom:$C0:8000:16` reads as $C0:8000, 16 colours.
 */
export function parseRomPaletteSpec(spec: string): RomPaletteSpec {
  const body = spec.slice('rom:'.length);
  const match = /^(.+):([1-9]\d{0,2})$/u.exec(body);
  if (match && Number(match[2]) <= 256 && match[2]!.length < 4) return { location: match[1]!, count: Number(match[2]) };
  if (body.length === 0) throw new UsageError('--palette rom: needs a location: rom:<offset|bus address>[:count], e.g. rom:0x1F000 or rom:$C0:8000:16');
  return { location: body };
}

/**
 * The palette for an image of `format` tiles. No `--palette` (or `gray`): the format's default
 * grayscale ramp (index-preserving; index 0 lightest for Game Boy tiles). `rom:LOC[:count]`:
 * colours read at LOC in the console's format (count from the spec, else `--palette-count`,
 * else 16). Otherwise a palette file: JASC, GPL, ACT, raw BGR555, CGRAM, or an indexed PNG's
 * PLTE. `--subpalette N` then takes colours N·2^bpp onward.
 */
export function resolvePalette(options: PaletteOptions, format: { readonly name: string; readonly bpp: number }, rom?: Rom): Palette {
  const spec = options.palette;
  const bpp = format.bpp;
  const count = integerOption(options.paletteCount, '--palette-count', 1, 256);
  if (count !== undefined && !spec?.startsWith('rom:')) throw new UsageError('--palette-count is for --palette rom:<offset>');
  let palette: Palette;
  if (spec === undefined || spec === 'gray' || spec === 'grey' || spec === 'grayscale') {
    palette = defaultGrayscalePalette(format);
  } else if (spec.startsWith('rom:')) {
    if (!rom) throw new UsageError('--palette rom:<offset> reads from a ROM; give the ROM with --rom <file> (or pass a palette file)');
    const romSpec = parseRomPaletteSpec(spec);
    if (romSpec.count !== undefined && count !== undefined && romSpec.count !== count) throw new UsageError(`--palette ${spec} names ${romSpec.count} colours and --palette-count ${count}; give one`);
    const offset = rom.resolveLocation(romSpec.location);
    const colours = romSpec.count ?? count ?? defaultRomPaletteColourCount;
    const length = colours * consolePaletteBytesPerColour(rom.platform);
    if (offset + length > rom.size) throw new OutOfRangeError(`palette at ${spec}`, offset, length, rom.size);
    palette = decodeConsolePalette(rom.platform, rom.read(offset, length), colours);
  } else if (spec.startsWith('colors:') || spec.startsWith('colours:')) {
    palette = coloursPalette(spec);
  } else {
    palette = parsePaletteFile(readInputFile(spec, 'palette file', maximumPaletteFileSizeInBytes), spec);
  }
  const sub = integerOption(options.subpalette, '--subpalette', 0, 255);
  if (sub !== undefined) {
    if (bpp >= 8) throw new UsageError('--subpalette selects a 2^bpp-colour slice; 8 bpp tiles use the whole palette');
    palette = subPalette(palette, sub, 1 << bpp);
  }
  return palette;
}

/** Palette files larger than this are refused before reading (a PNG used for its PLTE may carry pixels too). */
export const maximumPaletteFileSizeInBytes = 16 * 1024 * 1024;

/** `colors:RRGGBB,RRGGBB,…` (as `thumbs` takes) as a palette. */
function coloursPalette(spec: string): Palette {
  const list = spec.slice(spec.indexOf(':') + 1).split(',');
  if (list.length > 256) throw new UsageError(`--palette colors: lists ${list.length} colours; at most 256`);
  const rgb = new Uint8Array(list.length * 3);
  list.forEach((text, i) => {
    const hexText = text.trim().replace(/^#/u, '');
    if (!/^[0-9a-f]{6}$/iu.test(hexText)) throw new UsageError(`--palette colors: "${text}" is not a colour RRGGBB`);
    const value = Number.parseInt(hexText, 16);
    rgb[i * 3] = value >> 16;
    rgb[i * 3 + 1] = (value >> 8) & 0xff;
    rgb[i * 3 + 2] = value & 0xff;
  });
  return { rgb, count: list.length };
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

/** `--tiles`, or its old name `--tile-count` (hidden): the number of tiles, when given. */
export function tilesOption(options: { tiles?: string; tileCount?: string }): number | undefined {
  if (options.tiles !== undefined && options.tileCount !== undefined) throw new UsageError('give --tiles (--tile-count is its old name), not both');
  return options.tiles !== undefined ? integerOption(options.tiles, '--tiles', 1, maximumTilesPerCommand) : integerOption(options.tileCount, '--tile-count', 1, maximumTilesPerCommand);
}

/** Most tiles a --tiles option names (a 2048×2048 sheet of 8×8 tiles). */
export const maximumTilesPerCommand = 65536;

/** Palette file formats `--palette-out` writes, by file extension. */
const paletteOutFormats = { '.pal': 'jasc', '.gpl': 'gpl', '.act': 'act', '.bin': 'bgr555' } as const;

/** The palette file format for an output path, from its extension (a usage error with a suggestion otherwise). */
export function paletteFileFormatFor(path: string): (typeof paletteOutFormats)[keyof typeof paletteOutFormats] {
  const extension = extname(path).toLowerCase();
  const known = Object.keys(paletteOutFormats);
  const format = paletteOutFormats[extension as keyof typeof paletteOutFormats];
  if (format === undefined) {
    throw new UsageError(`--palette-out ${path}: the extension says the format; "${extension || '(none)'}" is not one of ${known.join(', ')}${didYouMean(extension, known)}`);
  }
  return format;
}

/** A palette as the bytes of a file in the format its path's extension names (JASC, GPL, ACT, raw BGR555). */
export function formatPaletteFile(palette: Palette, path: string): Uint8Array {
  switch (paletteFileFormatFor(path)) {
    case 'jasc':
      return new TextEncoder().encode(formatJascPal(palette));
    case 'gpl':
      return new TextEncoder().encode(formatGpl(palette));
    case 'act':
      return formatAct(palette);
    case 'bgr555':
      return encodeBgr555(palette);
  }
}
