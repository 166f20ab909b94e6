/**
 * The one table of tile formats. It drives decodeTiles / encodeTiles, the CLI's --format flag
 * and `romgfx formats`. Spec: tiles-and-palettes.md (format table).
 */
import { activeTileKernels as tileKernels } from './tile-kernels.js';
import { TileDataLengthError, UnknownTileFormatError } from '../errors.js';
import {
  decodeLinear8bppTiles,
  decodeNgp2bppTiles,
  decodePackedNibbleTiles,
  decodePlanarTiles,
  encodeLinear8bppTiles,
  encodeNgp2bppTiles,
  encodePackedNibbleTiles,
  encodePlanarTiles,
  pixelsPerTile,
  planarLayout1bpp,
  planarLayout1bppLsb,
  planarLayoutGb2bpp,
  planarLayoutNes2bpp,
  planarLayoutSms4bpp,
  planarLayoutSnes3bpp,
  planarLayoutSnes4bpp,
  planarLayoutSnes8bpp,
  type PlanarLayout,
} from './kernels.js';

/** Which kernel family handles a format. */
export type TileKernelFamily = 'planar' | 'packed-nibble' | 'ngp' | 'linear';

/**
 * One tile format: its bit depth, size and how its bits are laid out (planar plane pairs, packed
 * nibbles, …), with the consoles that use it.
 */
export interface TileFormat {
  /** Canonical name, as the CLI prints it. */
  readonly name: string;
  readonly aliases: readonly string[];
  readonly bpp: 1 | 2 | 3 | 4 | 8;
  readonly bytesPerTile: number;
  readonly consoles: readonly string[];
  readonly description: string;
  readonly family: TileKernelFamily;
  /** For family 'planar': where the planes are. */
  readonly planarLayout?: PlanarLayout;
  /** For family 'packed-nibble': the low nibble is the left pixel (GBA order). */
  readonly lowNibbleLeft?: boolean;
}

/** The largest tile count one decode/encode call accepts: 16 MiB of 8bpp tiles (a 1 GiB indices plane would not be sane). */
export const maximumTileCountPerCall = 1 << 18;

/** Every tile format romgfx decodes and encodes; look one up by name or alias with `getTileFormat`. */
export const tileFormats: readonly TileFormat[] = Object.freeze([
  { name: '1bpp', aliases: [], bpp: 1, bytesPerTile: 8, consoles: ['generic fonts', 'GB/NES mono'], description: 'one byte per row, bit 7 = left pixel', family: 'planar', planarLayout: planarLayout1bpp },
  { name: '1bpp-lsb', aliases: [], bpp: 1, bytesPerTile: 8, consoles: ['GBA/tonc fonts'], description: 'one byte per row, bit 0 = left pixel', family: 'planar', planarLayout: planarLayout1bppLsb },
  { name: 'nes2bpp', aliases: [], bpp: 2, bytesPerTile: 16, consoles: ['NES', 'Famicom', 'FDS'], description: '8 bytes of plane 0, then 8 bytes of plane 1', family: 'planar', planarLayout: planarLayoutNes2bpp },
  { name: 'gb2bpp', aliases: ['snes2bpp'], bpp: 2, bytesPerTile: 16, consoles: ['GB', 'GBC', 'SGB', 'SNES 2bpp', 'WonderSwan'], description: 'per row: plane-0 byte, plane-1 byte', family: 'planar', planarLayout: planarLayoutGb2bpp },
  { name: 'snes3bpp', aliases: [], bpp: 3, bytesPerTile: 24, consoles: ['SNES'], description: 'GB-style 2bpp (16 B), then plane 2 as 8 row bytes', family: 'planar', planarLayout: planarLayoutSnes3bpp },
  { name: 'snes4bpp', aliases: ['pce4bpp'], bpp: 4, bytesPerTile: 32, consoles: ['SNES', 'PC Engine BG'], description: 'planes 0/1 GB-style (16 B), then planes 2/3 the same way', family: 'planar', planarLayout: planarLayoutSnes4bpp },
  { name: 'snes8bpp', aliases: [], bpp: 8, bytesPerTile: 64, consoles: ['SNES'], description: 'four GB-style blocks: planes 0/1, 2/3, 4/5, 6/7', family: 'planar', planarLayout: planarLayoutSnes8bpp },
  { name: 'sms4bpp', aliases: ['gg4bpp', 'wsc4bpp'], bpp: 4, bytesPerTile: 32, consoles: ['Master System', 'Game Gear', 'WonderSwan Color'], description: 'per row: four bytes, planes 0-3', family: 'planar', planarLayout: planarLayoutSms4bpp },
  { name: 'gba4bpp', aliases: [], bpp: 4, bytesPerTile: 32, consoles: ['GBA', 'DS', 'PS1 4bpp'], description: 'packed, 2 pixels per byte, low nibble = left pixel', family: 'packed-nibble', lowNibbleLeft: true },
  { name: 'md4bpp', aliases: [], bpp: 4, bytesPerTile: 32, consoles: ['Mega Drive/Genesis', 'X68000', 'MSX2'], description: 'packed, 2 pixels per byte, high nibble = left pixel', family: 'packed-nibble', lowNibbleLeft: false },
  { name: 'wsc-packed4bpp', aliases: [], bpp: 4, bytesPerTile: 32, consoles: ['WonderSwan Color (packed mode)'], description: 'packed, 2 pixels per byte, high nibble = left pixel', family: 'packed-nibble', lowNibbleLeft: false },
  { name: 'ngp2bpp', aliases: [], bpp: 2, bytesPerTile: 16, consoles: ['Neo Geo Pocket (Color)'], description: 'one 16-bit little-endian word per row, left pixel in bits 15-14', family: 'ngp' },
  { name: 'mode7', aliases: ['8bpp', 'gba8bpp'], bpp: 8, bytesPerTile: 64, consoles: ['SNES Mode 7', 'GBA 8bpp/affine', 'DS'], description: 'one byte per pixel', family: 'linear' },
] satisfies TileFormat[]);

const formatsByName = new Map<string, TileFormat>();
for (const format of tileFormats) {
  formatsByName.set(format.name, format);
  for (const alias of format.aliases) formatsByName.set(alias, format);
}

/** All accepted names (canonical names and aliases). */
export function tileFormatNames(): string[] {
  return [...formatsByName.keys()];
}

/** The format called `name` (canonical or alias, case-insensitive); UnknownTileFormatError otherwise. */
export function getTileFormat(name: string): TileFormat {
  const format = formatsByName.get(name.toLowerCase());
  if (!format) throw new UnknownTileFormatError(name, tileFormatNames());
  return format;
}

function resolve(format: TileFormat | string): TileFormat {
  return typeof format === 'string' ? getTileFormat(format) : format;
}

/**
 * Below this many tiles a call stays in TypeScript: the addon call itself costs about as much as
 * decoding a tile or two (bench/native: 0.2 µs per call; at 16 tiles native is already 2–9× faster).
 */
const minimumTilesForNativeCall = 4;

function checkTileCount(tileCount: number): void {
  if (tileCount > maximumTileCountPerCall) {
    throw new TileDataLengthError(`${tileCount} tiles in one call; the limit is ${maximumTileCountPerCall}`, { tileCount, maximum: maximumTileCountPerCall });
  }
}

/** Decodes `tileCount` tiles from `bytes` into `indices` with the format's kernel (no allocation). */
export function decodeTilesInto(format: TileFormat | string, bytes: Uint8Array, indices: Uint8Array, tileCount: number): void {
  const f = resolve(format);
  checkTileCount(tileCount);
  switch (f.family) {
    case 'planar':
      return (tileCount >= minimumTilesForNativeCall ? tileKernels().decodePlanarTiles : decodePlanarTiles)(bytes, indices, tileCount, f.planarLayout!);
    case 'packed-nibble':
      return (tileCount >= minimumTilesForNativeCall ? tileKernels().decodePackedNibbleTiles : decodePackedNibbleTiles)(bytes, indices, tileCount, f.lowNibbleLeft === true);
    case 'ngp':
      return decodeNgp2bppTiles(bytes, indices, tileCount);
    case 'linear':
      return decodeLinear8bppTiles(bytes, indices, tileCount);
  }
}

/** Encodes `tileCount` tiles of `indices` into `bytes` (no allocation); IndexOutOfRangeError for an index over the bit depth. */
export function encodeTilesInto(format: TileFormat | string, indices: Uint8Array, bytes: Uint8Array, tileCount: number): void {
  const f = resolve(format);
  checkTileCount(tileCount);
  switch (f.family) {
    case 'planar':
      return (tileCount >= minimumTilesForNativeCall ? tileKernels().encodePlanarTiles : encodePlanarTiles)(indices, bytes, tileCount, f.planarLayout!);
    case 'packed-nibble':
      return (tileCount >= minimumTilesForNativeCall ? tileKernels().encodePackedNibbleTiles : encodePackedNibbleTiles)(indices, bytes, tileCount, f.lowNibbleLeft === true);
    case 'ngp':
      return encodeNgp2bppTiles(indices, bytes, tileCount);
    case 'linear':
      return encodeLinear8bppTiles(indices, bytes, tileCount);
  }
}

/**
 * Decodes tile bytes to an indices plane (one byte per pixel, tile t's pixel (x, y) at
 * t*64 + y*8 + x). `bytes.length` must be a whole number of tiles.
 */
export function decodeTiles(format: TileFormat | string, bytes: Uint8Array): Uint8Array {
  const f = resolve(format);
  if (bytes.length % f.bytesPerTile !== 0) {
    throw new TileDataLengthError(`${bytes.length} bytes is not a whole number of ${f.name} tiles (${f.bytesPerTile} bytes each)`, {
      length: bytes.length,
      bytesPerTile: f.bytesPerTile,
      format: f.name,
    });
  }
  const tileCount = bytes.length / f.bytesPerTile;
  checkTileCount(tileCount);
  const indices = new Uint8Array(tileCount * pixelsPerTile);
  decodeTilesInto(f, bytes, indices, tileCount);
  return indices;
}

/** Encodes an indices plane (a whole number of 64-pixel tiles) to tile bytes. */
export function encodeTiles(format: TileFormat | string, indices: Uint8Array): Uint8Array {
  const f = resolve(format);
  if (indices.length % pixelsPerTile !== 0) {
    throw new TileDataLengthError(`${indices.length} indices is not a whole number of 8x8 tiles (64 each)`, { length: indices.length });
  }
  const tileCount = indices.length / pixelsPerTile;
  checkTileCount(tileCount);
  const bytes = new Uint8Array(tileCount * f.bytesPerTile);
  encodeTilesInto(f, indices, bytes, tileCount);
  return bytes;
}
