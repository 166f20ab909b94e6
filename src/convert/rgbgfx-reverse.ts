/**
 * rgbgfx's reverse mode (`-r width`, convert.md §2.7): tile data + optional tilemap, attribute
 * map, palette map and .pal → RGBA pixels. Without a tilemap tiles are drawn in storage order;
 * without an attribute map there are no flips, palette 0 and bank 0; a palette map overrides the
 * palette but gives no flips; without a .pal the image is gray, colour 0 white … last black.
 */
import { TileDataLengthError, TilemapError, PaletteFormatError, ConvertOptionError } from '../errors.js';
import { decodeTiles } from '../gfx/formats.js';
import { pixelsPerCell, type RgbaImage } from './cells.js';
import { rgbgfxTransparent, rgbgfxUnusedSlot } from './rgbgfx.js';

/** Inputs of `reverseLikeRgbgfx`. */
export interface RgbgfxReverseOptions {
  readonly tiles: Uint8Array;
  /** 1 or 2 (`-d`). */
  readonly bpp: number;
  readonly widthInTiles: number;
  readonly tilemap?: Uint8Array;
  readonly attrmap?: Uint8Array;
  readonly palmap?: Uint8Array;
  /** .pal bytes: RGB555 little-endian, `coloursPerPalette` per palette. */
  readonly palette?: Uint8Array;
  readonly coloursPerPalette?: number;
  readonly columnMajor?: boolean;
  readonly bankBases?: readonly [number, number];
  readonly tilesPerBank?: readonly [number, number];
  readonly paletteBase?: number;
}

const expand5 = (c: number): number => (c << 3) | (c >> 2);

/** Renders rgbgfx outputs back to RGBA (transparent and unused slots: alpha 0). */
export function reverseLikeRgbgfx(options: RgbgfxReverseOptions): RgbaImage {
  const { bpp } = options;
  if (bpp !== 1 && bpp !== 2) throw new ConvertOptionError('bpp', `rgbgfx tiles are 1 or 2 bpp, not ${bpp}`, { bpp });
  const bytesPerTile = bpp * 8;
  if (options.tiles.length % bytesPerTile !== 0) throw new TileDataLengthError(`tile data is ${options.tiles.length} bytes, not a whole number of ${bytesPerTile}-byte tiles`, { length: options.tiles.length });
  const tileCount = options.tiles.length / bytesPerTile;
  // 1bpp tiles are the low plane only: widen them to 2bpp rows with a zero high plane.
  const twoBpp = bpp === 2 ? options.tiles : Uint8Array.from({ length: tileCount * 16 }, (_, i) => (i % 2 === 0 ? options.tiles[i >> 1]! : 0));
  const indices = tileCount === 0 ? new Uint8Array(0) : decodeTiles('gb2bpp', twoBpp);
  const cells = options.tilemap ? options.tilemap.length : tileCount;
  const width = options.widthInTiles;
  if (!Number.isInteger(width) || width < 1 || cells % width !== 0) throw new TilemapError(`${cells} cells do not make rows of ${width}`, { cells, width });
  const rows = cells / width;
  const colours = options.coloursPerPalette ?? 1 << bpp;
  const [base0, base1] = options.bankBases ?? [0, 0];
  const [perBank0] = options.tilesPerBank ?? [Infinity, 0];
  const paletteBase = options.paletteBase ?? 0;
  const paletteWords = options.palette ? options.palette.length >> 1 : 0;
  if (options.palette && options.palette.length % (colours * 2) !== 0) throw new PaletteFormatError(`.pal is ${options.palette.length} bytes, not whole palettes of ${colours} colours`, { length: options.palette.length });
  const rgba = new Uint8Array(width * 8 * rows * 8 * 4);
  for (let i = 0; i < cells; i++) {
    const cx = options.columnMajor ? Math.floor(i / rows) : i % width;
    const cy = options.columnMajor ? i % rows : Math.floor(i / width);
    const attribute = options.attrmap?.[i] ?? 0;
    const bank = (attribute >> 3) & 1;
    let tile = i;
    if (options.tilemap) tile = ((options.tilemap[i]! - (bank ? base1 : base0)) & 0xff) + (bank ? perBank0 : 0);
    if (tile >= tileCount) throw new TilemapError(`cell ${i} uses tile ${tile}; there are ${tileCount}`, { cell: i, tile });
    const palette = options.palmap ? (options.palmap[i]! - paletteBase) & 0xff : options.attrmap ? (attribute - paletteBase) & 7 : 0;
    const h = !options.palmap && (attribute & 0x20) !== 0;
    const v = !options.palmap && (attribute & 0x40) !== 0;
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const index = indices[tile * pixelsPerCell + (v ? 7 - y : y) * 8 + (h ? 7 - x : x)]!;
        const o = ((cy * 8 + y) * width * 8 + cx * 8 + x) * 4;
        if (!options.palette) {
          const gray = 255 - Math.round((index * 255) / (colours - 1));
          rgba.set([gray, gray, gray, 255], o);
          continue;
        }
        const slot = palette * colours + index;
        if (slot >= paletteWords) throw new TilemapError(`cell ${i} uses palette ${palette}; the .pal has ${paletteWords / colours}`, { cell: i, palette });
        const word = options.palette[slot * 2]! | (options.palette[slot * 2 + 1]! << 8);
        if (word === rgbgfxUnusedSlot || word === rgbgfxTransparent) rgba.set([0, 0, 0, 0], o);
        else rgba.set([expand5(word & 31), expand5((word >> 5) & 31), expand5((word >> 10) & 31), 255], o);
      }
    }
  }
  return { width: width * 8, height: rows * 8, rgba };
}
