/**
 * Game definitions: one JSON file describes one game — how to recognise its ROM (and regional
 * variants), where its sprites and graphics blocks are and how they are stored, where pointers
 * to them live, and which ROM ranges are free. The file format is published as a JSON Schema in
 * docs/game-definition.schema.json and documented in docs/game-definitions.md; these are the
 * parsed, checked shapes (`parseGameDefinition` makes them).
 */
import { codecNames as registeredCodecNames } from '../codecs/registry.js';
import type { Platform } from '../rom/platform.js';
import type { Arrangement, PaletteFormat } from '../vocabulary.js';

/** The one version of the file format this code reads and writes. */
export const gameDefinitionFormatVersion = 1;

/** Platforms a definition can be for (`unknown` is not a game). */
export type DefinitionPlatform = Exclude<Platform, 'unknown'>;
/** The platforms a game definition may name. */
export const definitionPlatforms: readonly DefinitionPlatform[] = ['snes', 'gb', 'gbc', 'gba', 'nes', 'md'];

/**
 * A codec name as a definition writes it: `none` (stored raw) or a codec of the registry,
 * built-in or added with `registerCodec` (so it is checked against the registry when parsed).
 */
export type CodecName = string;

/** The codec names a definition may use now: `none` and every registered codec. */
export function definitionCodecNames(): string[] {
  return ['none', ...registeredCodecNames()];
}

/** Tile format names and the bytes one 8×8 tile takes in each. */
export const tileFormatBytesPerTile = {
  '1bpp': 8,
  '1bpp-lsb': 8,
  nes2bpp: 16,
  gb2bpp: 16,
  snes2bpp: 16,
  ngp2bpp: 16,
  snes3bpp: 24,
  snes4bpp: 32,
  pce4bpp: 32,
  sms4bpp: 32,
  gg4bpp: 32,
  wsc4bpp: 32,
  gba4bpp: 32,
  md4bpp: 32,
  'wsc-packed4bpp': 32,
  snes8bpp: 64,
  mode7: 64,
  '8bpp': 64,
  gba8bpp: 64,
} as const;
/** A tile format name a game definition may use. */
export type TileFormatName = keyof typeof tileFormatBytesPerTile;
/** Every tile format name a game definition may use. */
export const tileFormatNames = Object.keys(tileFormatBytesPerTile) as TileFormatName[];

// Arrangements and palette formats are the shared vocabulary (src/vocabulary.ts): the
// definition file's spelling is the canonical one, and thumbnails and the CLI use it too.
export { sheetOrders, paletteFormats, type SheetOrder, type Arrangement, type PaletteFormat } from '../vocabulary.js';

/** Where a sprite's colours come from. */
export type PaletteSource =
  | { rom: DefLocation; count?: number; format?: PaletteFormat }
  /** A palette file, relative to the definition file's folder. */
  | { file: string }
  /** A 16-colour row of CGRAM / palette RAM (from a dump or the game's default). */
  | { cgram: number };

/**
 * How a stored pointer is written:
 * - `snes24` (alias `snes-lorom24`): 3-byte little-endian SNES bus address;
 * - `snes16+bank`: 2-byte little-endian address at `at`, bank byte at `bankAt`;
 * - `gba32`: 4-byte little-endian 0x08xxxxxx;
 * - `offset24le` / `offset32le`: plain ROM offsets.
 */
export const pointerForms = ['snes-lorom24', 'snes24', 'snes16+bank', 'gba32', 'offset24le', 'offset32le'] as const;
/** How a pointer to a sprite is stored: its width, byte order and whether it holds a bus address or an offset. */
export type PointerForm = (typeof pointerForms)[number];

/**
 * A place in the ROM as written in a definition: a ROM offset (a number, or a "0x…" string) or
 * a bus address ("$C0:1234", "C0:1234", "$C01234"), resolved against the ROM's mapping later
 * (`rom.resolveLocation(text)`). `text` is what the file said.
 */
export interface DefLocation {
  kind: 'offset' | 'bus';
  value: number;
  text: string;
}

/** One regional release or revision, and how to recognise it. */
export interface Variant {
  id: string;
  name?: string;
  region?: string;
  /** CRC-32 of the ROM data (after any copier header). */
  crc32?: number;
  /** SHA-1 of the ROM data, 40 lowercase hex digits. */
  sha1?: string;
  /** The checksum stored in the ROM's header (SNES, GB global, GBA complement, MD). */
  headerChecksum?: number;
  /** The title in the ROM's header, compared trimmed and case-insensitively. */
  title?: string;
  /** ROM data size in bytes. */
  size?: number;
}

/** `sprite` (an object drawn with transparent colour 0) or `graphics` (background tiles, colour 0 opaque). */
export type SpriteKind = 'sprite' | 'graphics';

/** One graphics block a game definition names: where it is, how it is compressed and laid out, and its palette. */
export interface SpriteDef {
  name: string;
  kind: SpriteKind;
  offset: DefLocation;
  /** Offsets that differ in a variant, by variant id. */
  variantOffsets: Record<string, DefLocation>;
  codec: CodecName;
  tileFormat?: TileFormatName;
  tileCount?: number;
  /** Length of the graphics data after decompression, in bytes. */
  byteLength?: number;
  /** Bytes the stored (compressed) block occupies in the ROM, when known. */
  storedLength?: number;
  /**
   * The compression level injection re-packs this block at, one of the codec's levels (e.g.
   * `accurate` for Sega's own compressor, byte for byte). Absent: every level is tried and the
   * smallest output kept.
   */
  level?: string;
  arrangement?: Arrangement;
  palette?: PaletteSource;
  notes?: string;
}

/** Where a pointer is stored in the ROM (and its bank byte, for split forms). */
export interface PointerLocation {
  at: DefLocation;
  bankAt?: DefLocation;
}

/** A pointer in the ROM that points at a sprite's block: read to locate the block, rewritten when injection relocates it. */
export interface PointerDef {
  name?: string;
  /** Name of the sprite this pointer points at. */
  target: string;
  form: PointerForm;
  at: DefLocation;
  /** `snes16+bank` only: where the bank byte is. */
  bankAt?: DefLocation;
  variantAt: Record<string, PointerLocation>;
  notes?: string;
}

/**
 * One screen: the sprite/graphics entries holding its tiles, its map and (optionally) its
 * palette, re-converted together when an edited screen PNG is injected (`injectScreen`).
 */
export interface ScreenDef {
  name: string;
  /** Hardware the screen is for (a convert target: snes, gba, gb, gbc, md, nes, pce). */
  target: string;
  /** Bits per pixel of its tiles (default: the target's). */
  bpp?: number;
  /** Names of the entries holding the tiles, the map and the palette. */
  tiles: string;
  map: string;
  palette?: string;
  notes?: string;
}

/** A ROM range the game leaves unused: [start, end), ROM offsets. */
export interface FreeRange {
  start: number;
  end: number;
  /** Only in these variants (all when absent). */
  variants?: string[];
  notes?: string;
}

/**
 * A game definition, parsed and checked: the ROMs it recognises, their sprites, the pointers to them
 * and the free space injection may use (docs/game-definitions.md).
 */
export interface GameDefinition {
  formatVersion: typeof gameDefinitionFormatVersion;
  id: string;
  name: string;
  platform: DefinitionPlatform;
  notes?: string;
  variants: Variant[];
  sprites: SpriteDef[];
  pointers: PointerDef[];
  freeSpace: FreeRange[];
  /** Screens: tiles + map (+ palette) blocks that together make one picture (absent: none). */
  screens?: ScreenDef[];
  /** Where the definition was read from (a path or a name given by the caller). */
  source: string;
}
