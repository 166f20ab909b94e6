/**
 * What each target console's hardware allows for a tiled background: bit depths, sub-palette
 * count and size, whether colour 0 is shared by every sub-palette, whether map entries carry
 * flip bits, how many tiles the map's index can address, and the native formats of tiles,
 * palettes and map entries. Semantics: /shared/formats/convert.md §1.1, §1.8 (tool defaults)
 * and the consoles' own documents (SNES BG tilemap entries, GBA text BG, CGB BG attributes,
 * Mega Drive VDP name table, NES nametable + attribute table, PC Engine BAT).
 */
import { ConvertOptionError } from '../errors.js';

/** The consoles `convert` writes for. */
export type ConvertTarget = 'snes' | 'gba' | 'gb' | 'gbc' | 'md' | 'nes' | 'pce';

/** Every convert target, in the order the CLI lists them. */
export const convertTargets: readonly ConvertTarget[] = Object.freeze(['snes', 'gba', 'gb', 'gbc', 'md', 'nes', 'pce']);

/** How a target stores one colour. */
export type ColourEncoding = 'bgr555' | 'md9' | 'pce9' | 'dmg-shade' | 'nes-master';

/**
 * Map entry layouts.
 * - `snes`: 16-bit LE, tile 0–9, palette 10–12, priority 13, H 14, V 15.
 * - `gba`: 16-bit LE text BG, tile 0–9, H 10, V 11, palette 12–15.
 * - `gbc`: 1 tile byte per cell in map.bin, the CGB attribute byte per cell in attrmap.bin
 *   (palette 0–2, VRAM bank 3, H 5, V 6), as they load into VRAM banks 0 and 1.
 * - `gbc-interleaved`: both bytes per cell in one file (SuperFamiconv's gbc map).
 * - `md`: 16-bit big-endian name-table word, tile 0–10, H 11, V 12, palette 13–14, priority 15.
 * - `pce`: 16-bit LE BAT word, tile 0–11, palette 12–15 (no flips).
 * - `nes`: 1 tile byte per cell (nametable) and the 64-byte-per-screen attribute table layout.
 * - `byte`: 1 tile byte per cell (DMG, Mode 7, GBA affine).
 */
export type MapFormat = 'snes' | 'gba' | 'gbc' | 'gbc-interleaved' | 'md' | 'pce' | 'nes' | 'byte';

/** Every map format name. */
export const mapFormats: readonly MapFormat[] = Object.freeze(['snes', 'gba', 'gbc', 'gbc-interleaved', 'md', 'pce', 'nes', 'byte']);

/** A target's hardware limits and native formats. */
export interface TargetSpec {
  readonly target: ConvertTarget;
  readonly bppChoices: readonly number[];
  readonly defaultBpp: number;
  /** Sub-palettes a map entry can select at this depth. */
  subPaletteCount(bpp: number): number;
  /** Colours in one hardware sub-palette at this depth (what palette.bin pads each to). */
  hardwarePaletteSize(bpp: number): number;
  /** Index 0 of every sub-palette shows the same (backdrop or transparent) colour. */
  readonly sharedColourZero: boolean;
  /** Map entries have H/V flip bits. */
  readonly flips: boolean;
  /** Distinct tiles a map entry can address at this depth. */
  maximumTiles(bpp: number): number;
  /** src/gfx tile format name at this depth. */
  tileFormat(bpp: number): string;
  readonly colourEncoding: ColourEncoding;
  /** Bits kept per RGB channel (8 for NES, which matches master-palette colours exactly; 2 for DMG shades). */
  readonly channelBits: number;
  defaultMapFormat(bpp: number): MapFormat;
  /** Pixels per side of the area one palette choice covers (8, or 16 for the NES attribute table). */
  readonly paletteAreaInPixels: number;
}

const specs: Record<ConvertTarget, TargetSpec> = {
  snes: {
    target: 'snes',
    bppChoices: [2, 4, 8],
    defaultBpp: 4,
    subPaletteCount: (bpp) => (bpp === 8 ? 1 : 8),
    hardwarePaletteSize: (bpp) => 1 << bpp,
    sharedColourZero: true,
    flips: true,
    maximumTiles: () => 1024,
    tileFormat: (bpp) => (bpp === 2 ? 'gb2bpp' : bpp === 4 ? 'snes4bpp' : 'snes8bpp'),
    colourEncoding: 'bgr555',
    channelBits: 5,
    defaultMapFormat: () => 'snes',
    paletteAreaInPixels: 8,
  },
  gba: {
    target: 'gba',
    bppChoices: [4, 8],
    defaultBpp: 4,
    subPaletteCount: (bpp) => (bpp === 8 ? 1 : 16),
    hardwarePaletteSize: (bpp) => 1 << bpp,
    sharedColourZero: true,
    flips: true,
    maximumTiles: () => 1024,
    tileFormat: (bpp) => (bpp === 4 ? 'gba4bpp' : 'mode7'),
    colourEncoding: 'bgr555',
    channelBits: 5,
    defaultMapFormat: () => 'gba',
    paletteAreaInPixels: 8,
  },
  gb: {
    target: 'gb',
    bppChoices: [2],
    defaultBpp: 2,
    subPaletteCount: () => 1,
    hardwarePaletteSize: () => 4,
    sharedColourZero: false,
    flips: false,
    maximumTiles: () => 256,
    tileFormat: () => 'gb2bpp',
    colourEncoding: 'dmg-shade',
    channelBits: 2,
    defaultMapFormat: () => 'byte',
    paletteAreaInPixels: 8,
  },
  gbc: {
    target: 'gbc',
    bppChoices: [2],
    defaultBpp: 2,
    subPaletteCount: () => 8,
    hardwarePaletteSize: () => 4,
    sharedColourZero: false,
    flips: true,
    maximumTiles: () => 512,
    tileFormat: () => 'gb2bpp',
    colourEncoding: 'bgr555',
    channelBits: 5,
    defaultMapFormat: () => 'gbc',
    paletteAreaInPixels: 8,
  },
  md: {
    target: 'md',
    bppChoices: [4],
    defaultBpp: 4,
    subPaletteCount: () => 4,
    hardwarePaletteSize: () => 16,
    sharedColourZero: true,
    flips: true,
    maximumTiles: () => 2048,
    tileFormat: () => 'md4bpp',
    colourEncoding: 'md9',
    channelBits: 3,
    defaultMapFormat: () => 'md',
    paletteAreaInPixels: 8,
  },
  nes: {
    target: 'nes',
    bppChoices: [2],
    defaultBpp: 2,
    subPaletteCount: () => 4,
    hardwarePaletteSize: () => 4,
    sharedColourZero: true,
    flips: false,
    maximumTiles: () => 256,
    tileFormat: () => 'nes2bpp',
    colourEncoding: 'nes-master',
    channelBits: 8,
    defaultMapFormat: () => 'nes',
    paletteAreaInPixels: 16,
  },
  pce: {
    target: 'pce',
    bppChoices: [4],
    defaultBpp: 4,
    subPaletteCount: () => 16,
    hardwarePaletteSize: () => 16,
    sharedColourZero: true,
    flips: false,
    maximumTiles: () => 2048,
    tileFormat: () => 'pce4bpp',
    colourEncoding: 'pce9',
    channelBits: 3,
    defaultMapFormat: () => 'pce',
    paletteAreaInPixels: 8,
  },
};

/** The spec of `target`; ConvertOptionError for an unknown name. */
export function getTargetSpec(target: string): TargetSpec {
  const spec = (specs as Record<string, TargetSpec | undefined>)[target];
  if (!spec) throw new ConvertOptionError('target', `unknown target "${target}"; targets: ${convertTargets.join(', ')}`, { target });
  return spec;
}

/** Bits of the tile index in an entry of `format` (the map's index width). */
export function mapTileIndexBits(format: MapFormat): number {
  switch (format) {
    case 'snes':
    case 'gba':
      return 10;
    case 'gbc':
    case 'gbc-interleaved':
      return 9;
    case 'md':
      return 11;
    case 'pce':
      return 12;
    case 'nes':
    case 'byte':
      return 8;
  }
}

/** Bits of the palette index in an entry of `format` (0: the format has no palette field). */
export function mapPaletteIndexBits(format: MapFormat): number {
  switch (format) {
    case 'snes':
    case 'gbc':
    case 'gbc-interleaved':
      return 3;
    case 'gba':
    case 'pce':
      return 4;
    case 'md':
    case 'nes':
      return 2;
    case 'byte':
      return 0;
  }
}

/** Whether entries of `format` carry H/V flip bits. */
export function mapHasFlips(format: MapFormat): boolean {
  return format !== 'pce' && format !== 'nes' && format !== 'byte';
}

/** Bytes per cell in map.bin for `format`. */
export function mapBytesPerCell(format: MapFormat): number {
  return format === 'gbc' || format === 'nes' || format === 'byte' ? 1 : 2;
}
