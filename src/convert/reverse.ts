/**
 * The reverse of convertImage: native tiles + map + palettes (+ attribute bytes) → an indexed
 * image whose pixel values are `sub-palette × palette size + colour index`, with every
 * sub-palette in one PLTE, so an edited screen can be converted again.
 */
import { TileDataLengthError, TilemapError, PaletteFormatError } from '../errors.js';
import { decodeTiles, getTileFormat } from '../gfx/formats.js';
import type { IndexedImage } from '../gfx/image.js';
import { maximumPaletteColourCount, nesMasterPalette, type Palette } from '../gfx/palette.js';
import { pixelsPerCell } from './cells.js';
import { colourFromNativeWord, colourToRgb24 } from './colour.js';
import { getTargetSpec, mapBytesPerCell, mapFormats, type ConvertTarget, type MapFormat } from './targets.js';
import { ConvertOptionError } from '../errors.js';

/** Inputs of `reverseConvert`. */
export interface ReverseOptions {
  readonly target: ConvertTarget;
  readonly bpp?: number;
  readonly mapFormat?: MapFormat;
  readonly tiles: Uint8Array;
  readonly map: Uint8Array;
  readonly palette: Uint8Array;
  /** gbc: CGB attribute bytes per cell; nes: attribute table. */
  readonly attrmap?: Uint8Array;
  /** Map width in cells (default 32, or the whole map if shorter). */
  readonly widthInTiles?: number;
  /** Subtracted from each entry's tile / palette index (the bases convert added). */
  readonly tileBase?: number;
  readonly paletteBase?: number;
}

/** What `reverseConvert` returns. */
export interface ReverseResult {
  readonly image: IndexedImage;
  /** Every sub-palette, in order, padded to the hardware size. */
  readonly palette: Palette;
  readonly coloursPerPalette: number;
}

/** Default map width in cells: one 32-cell-wide screen. */
export const defaultReverseWidthInTiles = 32;

interface Entry {
  tile: number;
  palette: number;
  h: boolean;
  v: boolean;
}

function readEntry(format: MapFormat, map: Uint8Array, attrmap: Uint8Array | undefined, cell: number, columns: number): Entry {
  if (format === 'gbc') {
    const attribute = attrmap?.[cell] ?? 0;
    return { tile: map[cell]! | (((attribute >> 3) & 1) << 8), palette: attribute & 7, h: (attribute & 0x20) !== 0, v: (attribute & 0x40) !== 0 };
  }
  if (format === 'nes') {
    const cx = cell % columns;
    const cy = Math.floor(cell / columns);
    const areaColumns = Math.ceil(columns / 4);
    const byte = attrmap?.[(cy >> 2) * areaColumns + (cx >> 2)] ?? 0;
    return { tile: map[cell]!, palette: (byte >> (((cx >> 1) & 1) * 2 + ((cy >> 1) & 1) * 4)) & 3, h: false, v: false };
  }
  if (format === 'byte') return { tile: map[cell]!, palette: 0, h: false, v: false };
  const word = format === 'md' ? (map[cell * 2]! << 8) | map[cell * 2 + 1]! : map[cell * 2]! | (map[cell * 2 + 1]! << 8);
  switch (format) {
    case 'snes':
      return { tile: word & 0x3ff, palette: (word >> 10) & 7, h: (word & 0x4000) !== 0, v: (word & 0x8000) !== 0 };
    case 'gba':
      return { tile: word & 0x3ff, palette: word >> 12, h: (word & 0x400) !== 0, v: (word & 0x800) !== 0 };
    case 'md':
      return { tile: word & 0x7ff, palette: (word >> 13) & 3, h: (word & 0x800) !== 0, v: (word & 0x1000) !== 0 };
    case 'pce':
      return { tile: word & 0xfff, palette: word >> 12, h: false, v: false };
    default: {
      const attribute = word >> 8;
      return { tile: (word & 0xff) | (((attribute >> 3) & 1) << 8), palette: attribute & 7, h: (attribute & 0x20) !== 0, v: (attribute & 0x40) !== 0 };
    }
  }
}

/** The RGB of each palette slot, decoded from the target's native palette bytes. */
export function decodeNativePalettes(target: ConvertTarget, bpp: number, bytes: Uint8Array): { rgb: number[]; coloursPerPalette: number } {
  const spec = getTargetSpec(target);
  const size = spec.hardwarePaletteSize(bpp);
  const rgb: number[] = [];
  if (spec.colourEncoding === 'dmg-shade') {
    for (const byte of bytes) for (let slot = 0; slot < 4; slot++) rgb.push((3 - ((byte >> (2 * slot)) & 3)) * 0x555555);
  } else if (spec.colourEncoding === 'nes-master') {
    bytes.forEach((byte, i) => {
      if (byte > 0x3f) throw new PaletteFormatError(`NES palette byte ${i} is ${byte}; master palette indices are 0-63`, { entry: i, value: byte });
      rgb.push(nesMasterPalette[byte]!);
    });
  } else {
    if (bytes.length % 2 !== 0) throw new PaletteFormatError(`palette is ${bytes.length} bytes, not a whole number of 16-bit colours`, { length: bytes.length });
    for (let i = 0; i < bytes.length; i += 2) {
      const word = spec.colourEncoding === 'md9' ? (bytes[i]! << 8) | bytes[i + 1]! : bytes[i]! | (bytes[i + 1]! << 8);
      rgb.push(colourToRgb24(spec, colourFromNativeWord(spec, word)));
    }
  }
  return { rgb, coloursPerPalette: size };
}

/** Renders tiles + map + palettes back into an indexed image (see the module comment). */
export function reverseConvert(options: ReverseOptions): ReverseResult {
  const spec = getTargetSpec(options.target);
  const bpp = options.bpp ?? spec.defaultBpp;
  if (!spec.bppChoices.includes(bpp)) throw new ConvertOptionError('bpp', `${spec.target} backgrounds are ${spec.bppChoices.join(' or ')} bpp, not ${bpp}`, { bpp });
  const format = options.mapFormat ?? spec.defaultMapFormat(bpp);
  if (!mapFormats.includes(format)) throw new ConvertOptionError('mapFormat', `unknown map format "${format}"`, { format });
  const tileFormat = getTileFormat(spec.tileFormat(bpp));
  if (options.tiles.length % tileFormat.bytesPerTile !== 0) {
    throw new TileDataLengthError(`tile data is ${options.tiles.length} bytes, not a whole number of ${tileFormat.name} tiles (${tileFormat.bytesPerTile} bytes each)`, { length: options.tiles.length });
  }
  const tileCount = options.tiles.length / tileFormat.bytesPerTile;
  const indices = tileCount === 0 ? new Uint8Array(0) : decodeTiles(tileFormat, options.tiles);
  const bytesPerCell = mapBytesPerCell(format);
  if (options.map.length === 0 || options.map.length % bytesPerCell !== 0) throw new TilemapError(`map is ${options.map.length} bytes; a ${format} map has ${bytesPerCell} byte(s) per cell`, { length: options.map.length });
  const cells = options.map.length / bytesPerCell;
  const columns = options.widthInTiles ?? Math.min(defaultReverseWidthInTiles, cells);
  if (!Number.isInteger(columns) || columns < 1 || cells % columns !== 0) throw new TilemapError(`the map's ${cells} cells do not make rows of ${columns}`, { cells, columns });
  if ((format === 'gbc' && (!options.attrmap || options.attrmap.length !== cells)) || (format === 'nes' && options.attrmap && options.attrmap.length < Math.ceil(columns / 4) * Math.ceil(cells / columns / 4))) {
    throw new TilemapError(`the attribute map is ${options.attrmap?.length ?? 0} bytes; the ${format} map of ${cells} cells needs ${format === 'gbc' ? cells : 'one per 4x4 cells'}`, { cells });
  }
  const { rgb, coloursPerPalette } = decodeNativePalettes(options.target, bpp, options.palette);
  const paletteCount = Math.ceil(rgb.length / coloursPerPalette);
  if (paletteCount === 0 || paletteCount * coloursPerPalette > maximumPaletteColourCount) throw new PaletteFormatError(`${paletteCount} sub-palettes of ${coloursPerPalette} colours do not fit one PNG palette (256 colours)`, { paletteCount });
  const plte = new Uint8Array(paletteCount * coloursPerPalette * 3);
  rgb.forEach((c, i) => plte.set([c >> 16, (c >> 8) & 0xff, c & 0xff], i * 3));
  const rows = cells / columns;
  const width = columns * 8;
  const pixels = new Uint8Array(width * rows * 8);
  const tileBase = options.tileBase ?? 0;
  const paletteBase = options.paletteBase ?? 0;
  for (let cell = 0; cell < cells; cell++) {
    const entry = readEntry(format, options.map, options.attrmap, cell, columns);
    const tile = entry.tile - tileBase;
    const palette = entry.palette - paletteBase;
    const cx = (cell % columns) * 8;
    const cy = Math.floor(cell / columns) * 8;
    if (tile < 0 || tile >= tileCount) throw new TilemapError(`map cell (${cx / 8}, ${cy / 8}) uses tile ${entry.tile}; there are ${tileCount} tiles from base ${tileBase}`, { x: cx / 8, y: cy / 8, tile: entry.tile });
    if (palette < 0 || palette >= paletteCount) throw new TilemapError(`map cell (${cx / 8}, ${cy / 8}) uses sub-palette ${entry.palette}; there are ${paletteCount} from base ${paletteBase}`, { x: cx / 8, y: cy / 8, palette: entry.palette });
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const sx = entry.h ? 7 - x : x;
        const sy = entry.v ? 7 - y : y;
        pixels[(cy + y) * width + cx + x] = palette * coloursPerPalette + indices[tile * pixelsPerCell + sy * 8 + sx]!;
      }
    }
  }
  return { image: { width, height: rows * 8, pixels }, palette: { rgb: plte, count: paletteCount * coloursPerPalette }, coloursPerPalette };
}

/** Tiles per row of a tileset image (SuperFamiconv's 128-pixel-wide `tiles -o` image). */
export const tilesetTilesPerRow = 16;

/**
 * Native tiles drawn left to right, top to bottom, `tilesPerRow` per row, unused cells index 0
 * (SuperFamiconv `tiles -n … -o`, convert.md §1.12). The palette is the gray ramp
 * `i × 256 / 2^bpp` SuperFamiconv uses, unless one is given.
 */
export function tilesetImage(target: ConvertTarget, bpp: number, tiles: Uint8Array, tilesPerRow = tilesetTilesPerRow): ReverseResult {
  const spec = getTargetSpec(target);
  const format = getTileFormat(spec.tileFormat(bpp));
  if (tiles.length === 0 || tiles.length % format.bytesPerTile !== 0) throw new TileDataLengthError(`tile data is ${tiles.length} bytes, not a whole number (≥ 1) of ${format.name} tiles`, { length: tiles.length });
  if (!Number.isInteger(tilesPerRow) || tilesPerRow < 1) throw new ConvertOptionError('tilesPerRow', `${tilesPerRow} is not a positive integer`, { tilesPerRow });
  const count = tiles.length / format.bytesPerTile;
  const indices = decodeTiles(format, tiles);
  const rows = Math.ceil(count / tilesPerRow);
  const width = tilesPerRow * 8;
  const pixels = new Uint8Array(width * rows * 8);
  for (let t = 0; t < count; t++) {
    const x0 = (t % tilesPerRow) * 8;
    const y0 = Math.floor(t / tilesPerRow) * 8;
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) pixels[(y0 + y) * width + x0 + x] = indices[t * pixelsPerCell + y * 8 + x]!;
  }
  const colours = 1 << bpp;
  const rgb = new Uint8Array(colours * 3);
  for (let i = 0; i < colours; i++) rgb.fill(Math.min(255, i * (256 / colours)), i * 3, i * 3 + 3);
  return { image: { width, height: rows * 8, pixels }, palette: { rgb, count: colours }, coloursPerPalette: colours };
}
