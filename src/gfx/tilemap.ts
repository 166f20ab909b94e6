/**
 * Tilemaps rendered to indexed images: SNES BG entries, GBA text-mode entries, GB/GBC maps with
 * optional GBC attribute maps. Output pixel values are `palette * 2^bpp + colour`, i.e. indices
 * into the full palette memory (CGRAM, GBA BG palette RAM), so one PLTE renders every tile.
 *
 * Entry layouts (16-bit little-endian unless stated):
 * - SNES:  vhopppcc cccccccc — tile 0–9, palette 10–12, priority 13, h-flip 14, v-flip 15.
 * - GBA text mode: tile 0–9, h-flip 10, v-flip 11, palette 12–15.
 * - GB: one byte per entry, the tile number; `gb-signed` is the 0x8800 addressing mode (bytes
 *   0x80–0xFF are tiles 128–255, 0x00–0x7F are tiles 256–383 of a 384-tile VRAM block).
 *   GBC attribute bytes: palette 0–2, VRAM bank 3 (bank 1 tiles follow bank 0's 384), h-flip 5,
 *   v-flip 6, priority 7.
 */
import { InvalidArgumentError, TilemapError } from '../errors.js';
import { blitTile, createIndexedImage, type IndexedImage } from './image.js';

/** A tilemap entry layout: SNES and GBA 16-bit entries, GB 8-bit tile numbers unsigned or signed (LCDC bit 4 clear). */
export type TilemapFormat = 'snes' | 'gba' | 'gb' | 'gb-signed';
/** Every tilemap entry layout `renderTilemap` reads. */
export const tilemapFormats: readonly TilemapFormat[] = ['snes', 'gba', 'gb', 'gb-signed'];

/** Tiles in one GB VRAM bank (0x8000–0x97FF). */
export const gbTilesPerBank = 384;
/** The common map width: 32 entries (SNES 32×32 screens, GB 32×32 maps, GBA 256-pixel text BGs). */
export const defaultMapWidthInTiles = 32;

/** Decoded map entries, one slot per entry (struct of arrays). */
export interface Tilemap {
  readonly count: number;
  readonly tiles: Uint16Array;
  readonly palettes: Uint8Array;
  readonly priorities: Uint8Array;
  readonly hFlips: Uint8Array;
  readonly vFlips: Uint8Array;
}

/** Checks a tilemap format name the user typed; throws InvalidArgumentError listing the known ones. */
export function parseTilemapFormat(name: string): TilemapFormat {
  if ((tilemapFormats as readonly string[]).includes(name)) return name as TilemapFormat;
  throw new InvalidArgumentError(`unknown map format "${name}"; use ${tilemapFormats.join(', ')}`, { name });
}

/** Decodes tilemap bytes (and, for GB, an optional GBC attribute map of the same length). */
export function decodeTilemap(format: TilemapFormat, bytes: Uint8Array, attributes?: Uint8Array): Tilemap {
  const wide = format === 'snes' || format === 'gba';
  if (wide && bytes.length % 2 !== 0) throw new TilemapError(`${format} tilemap is ${bytes.length} bytes; entries are 2 bytes each`, { length: bytes.length });
  if (attributes && wide) throw new TilemapError(`${format} tilemaps carry their attributes in each entry; an attribute map is only for GB/GBC`, {});
  if (attributes && attributes.length !== bytes.length) throw new TilemapError(`GBC attribute map is ${attributes.length} bytes but the tile map is ${bytes.length}`, { length: attributes.length, mapLength: bytes.length });
  const count = wide ? bytes.length / 2 : bytes.length;
  const map: Tilemap = {
    count,
    tiles: new Uint16Array(count),
    palettes: new Uint8Array(count),
    priorities: new Uint8Array(count),
    hFlips: new Uint8Array(count),
    vFlips: new Uint8Array(count),
  };
  for (let i = 0; i < count; i++) {
    if (wide) {
      const entry = bytes[i * 2]! | (bytes[i * 2 + 1]! << 8);
      map.tiles[i] = entry & 0x3ff;
      if (format === 'snes') {
        map.palettes[i] = (entry >> 10) & 7;
        map.priorities[i] = (entry >> 13) & 1;
        map.hFlips[i] = (entry >> 14) & 1;
        map.vFlips[i] = entry >> 15;
      } else {
        map.hFlips[i] = (entry >> 10) & 1;
        map.vFlips[i] = (entry >> 11) & 1;
        map.palettes[i] = entry >> 12;
      }
    } else {
      const byte = bytes[i]!;
      let tile = format === 'gb-signed' ? (byte < 0x80 ? 256 + byte : byte) : byte;
      if (attributes) {
        const attribute = attributes[i]!;
        map.palettes[i] = attribute & 7;
        if (attribute & 0x08) tile += gbTilesPerBank;
        map.hFlips[i] = (attribute >> 5) & 1;
        map.vFlips[i] = (attribute >> 6) & 1;
        map.priorities[i] = attribute >> 7;
      }
      map.tiles[i] = tile;
    }
  }
  return map;
}

/** How `renderTilemap` reads a tilemap: its width and the tiles' bit depth. */
export interface TilemapRenderOptions {
  /** Entries per map row (default 32). */
  widthInTiles?: number;
  /** Bit depth of the tiles: colours per palette = 2^bpp. At 8 bpp the palette field is not used (as on the hardware). */
  bpp: number;
}

/**
 * Renders a tilemap from an indices plane of `tileCount` tiles. A map entry naming a tile past
 * the end is a TilemapError with the entry's map position.
 */
export function renderTilemap(indices: Uint8Array, tileCount: number, map: Tilemap, options: TilemapRenderOptions): IndexedImage {
  const width = options.widthInTiles ?? defaultMapWidthInTiles;
  if (!Number.isInteger(width) || width < 1) throw new InvalidArgumentError(`map width must be a positive number of tiles, got ${width}`, { widthInTiles: width });
  if (map.count === 0) throw new TilemapError('the tilemap has no entries', {});
  const { bpp } = options;
  const colours = 1 << bpp;
  const rows = Math.ceil(map.count / width);
  const image = createIndexedImage(width * 8, rows * 8);
  for (let i = 0; i < map.count; i++) {
    const tile = map.tiles[i]!;
    const mx = i % width;
    const my = Math.floor(i / width);
    if (tile >= tileCount) {
      throw new TilemapError(`map entry ${i} at (${mx}, ${my}) names tile ${tile}, but only ${tileCount} tiles were given`, { entry: i, x: mx, y: my, tile, tileCount });
    }
    const base = bpp >= 8 ? 0 : map.palettes[i]! * colours;
    if (base + colours > 256) throw new TilemapError(`map entry ${i} at (${mx}, ${my}) uses palette ${map.palettes[i]}, past 256 colours at ${bpp} bpp`, { entry: i, x: mx, y: my, palette: map.palettes[i] });
    blitTile(indices, tile, image, mx * 8, my * 8, map.hFlips[i] === 1, map.vFlips[i] === 1, base);
  }
  return image;
}
