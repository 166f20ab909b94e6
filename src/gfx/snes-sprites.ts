/**
 * SNES memory dumps → sprites: VRAM (64 KiB) + CGRAM (512 B) + OAM (544 B) → one image per
 * visible sprite and a composite of the screen (SpritePal's main workflow).
 *
 * OAM (spec, "SNES OAM"): 128 entries × 4 bytes — X low 8 bits, Y, tile low 8 bits, attributes
 * (bit 0 tile bit 8, bits 1–3 palette, bits 4–5 priority, bit 6 h-flip, bit 7 v-flip) — then a
 * 32-byte high table, 2 bits per entry (bit 0 X bit 8, bit 1 large size).
 * OBSEL ($2101): bits 0–2 name base (in 16 KiB steps), bits 3–4 name select (the second 256-tile
 * table sits (N+1) × 8 KiB after the first), bits 5–7 size pair.
 * Sprite tiles live in a 16-tile-wide grid: tile (cx, cy) of a sprite at t is column (t + cx) & 15,
 * row ((t >> 4) + cy) & 15, in t's 256-tile table. All VRAM addresses wrap at 64 KiB.
 */
import { DumpSizeError, InvalidArgumentError } from '../errors.js';
import { decodePlanarTiles, planarLayoutSnes4bpp } from './kernels.js';
import { blitTile, createIndexedImage, flipImage, type IndexedImage } from './image.js';
import { decodeBgr555, subPalette, type Palette } from './palette.js';

/** Size of SNES VRAM: 64 KiB. */
export const vramSizeInBytes = 0x10000;
/** Size of SNES OAM: 512 bytes of entries plus the 32-byte high table. */
export const oamSizeInBytes = 544;
/** Number of sprites SNES OAM describes. */
export const oamEntryCount = 128;
/** Width of the SNES screen the sprite composite is drawn on. */
export const snesScreenWidthInPixels = 256;
/** Height of the SNES screen the sprite composite is drawn on (224 lines, NTSC). */
export const snesScreenHeightInPixels = 224;
/** OBJ palettes are CGRAM palettes 8–15 (colours 128–255). */
export const objPaletteBase = 8;

/** [small, large] sprite sizes in pixels, [width, height], for OBSEL size modes 0–7. */
const objSizePairs: readonly (readonly [readonly [number, number], readonly [number, number]])[] = [
  [[8, 8], [16, 16]],
  [[8, 8], [32, 32]],
  [[8, 8], [64, 64]],
  [[16, 16], [32, 32]],
  [[16, 16], [64, 64]],
  [[32, 32], [64, 64]],
  [[16, 32], [32, 64]], // undocumented modes 6 and 7: rectangular sprites
  [[16, 32], [32, 32]],
];

/** One decoded SNES OAM entry: position, tile, palette, priority, flips and size. */
export interface OamEntry {
  readonly index: number;
  /** Signed 9-bit X: −256…255. */
  readonly x: number;
  readonly y: number;
  /** 9-bit tile number (bit 8 = second name table). */
  readonly tile: number;
  /** OAM palette 0–7 (CGRAM palette 8 + palette). */
  readonly palette: number;
  readonly priority: number;
  readonly hFlip: boolean;
  readonly vFlip: boolean;
  readonly large: boolean;
  readonly width: number;
  readonly height: number;
}

/** Throws InvalidArgumentError unless `obsel` (the OBSEL register: sprite sizes and name base) is a byte. */
export function checkObsel(obsel: number): void {
  if (!Number.isInteger(obsel) || obsel < 0 || obsel > 0xff) throw new InvalidArgumentError(`OBSEL must be a byte (0-255), got ${obsel}`, { obsel });
}

/** The sprite size a size bit selects under `obsel`. */
export function objSize(obsel: number, large: boolean): { width: number; height: number } {
  checkObsel(obsel);
  const [w, h] = objSizePairs[obsel >> 5]![large ? 1 : 0];
  return { width: w, height: h };
}

/** Decodes all 128 OAM entries of a 544-byte OAM dump. */
export function decodeOam(oam: Uint8Array, obsel = 0): OamEntry[] {
  if (oam.length !== oamSizeInBytes) throw new DumpSizeError('OAM', oam.length, `${oamSizeInBytes} bytes`);
  checkObsel(obsel);
  const entries: OamEntry[] = [];
  for (let i = 0; i < oamEntryCount; i++) {
    const low = oam[i * 4]!;
    const y = oam[i * 4 + 1]!;
    const tileLow = oam[i * 4 + 2]!;
    const attributes = oam[i * 4 + 3]!;
    const high = (oam[512 + (i >> 2)]! >> ((i & 3) * 2)) & 3;
    const x9 = low | ((high & 1) << 8);
    const large = (high & 2) !== 0;
    const size = objSize(obsel, large);
    entries.push({
      index: i,
      x: x9 >= 256 ? x9 - 512 : x9,
      y,
      tile: tileLow | ((attributes & 1) << 8),
      palette: (attributes >> 1) & 7,
      priority: (attributes >> 4) & 3,
      hFlip: (attributes & 0x40) !== 0,
      vFlip: (attributes & 0x80) !== 0,
      large,
      width: size.width,
      height: size.height,
    });
  }
  return entries;
}

/** VRAM byte address of OBJ tile `tile` (0–511) under `obsel`. */
export function objTileAddress(obsel: number, tile: number): number {
  checkObsel(obsel);
  const nameBase = (obsel & 7) * 0x4000;
  const secondTable = tile & 0x100 ? (((obsel >> 3) & 3) + 1) * 0x2000 : 0;
  return (nameBase + secondTable + (tile & 0xff) * 32) & 0xffff;
}

/** The tile number of tile (cx, cy) inside a sprite whose first tile is `tile`: the 16×16 grid wraps, the table bit stays. */
export function objSpriteTile(tile: number, cx: number, cy: number): number {
  return (tile & 0x100) | ((((tile >> 4) + cy) & 0x0f) << 4) | ((tile + cx) & 0x0f);
}

/** True when any row and column of the sprite lands on the 256×224 screen (Y wraps at 256). */
export function isSpriteVisible(entry: OamEntry): boolean {
  if (entry.x + entry.width <= 0 || entry.x >= snesScreenWidthInPixels) return false;
  for (let row = 0; row < entry.height; row++) if (((entry.y + row) & 0xff) < snesScreenHeightInPixels) return true;
  return false;
}

/** Decodes one 4bpp OBJ tile from VRAM (the tile never straddles the 64 KiB wrap: addresses are 32-byte aligned). */
function decodeObjTile(vram: Uint8Array, obsel: number, tile: number, indices: Uint8Array): void {
  const address = objTileAddress(obsel, tile);
  decodePlanarTiles(vram.subarray(address, address + 32), indices, 1, planarLayoutSnes4bpp);
}

/** One sprite as an indexed image of colours 0–15 (its OAM palette's), flips applied to the whole sprite. */
export function renderOamSprite(vram: Uint8Array, entry: OamEntry, obsel = 0): IndexedImage {
  if (vram.length !== vramSizeInBytes) throw new DumpSizeError('VRAM', vram.length, `${vramSizeInBytes} bytes`);
  const image = createIndexedImage(entry.width, entry.height);
  const tileIndices = new Uint8Array(64);
  for (let cy = 0; cy < entry.height / 8; cy++) {
    for (let cx = 0; cx < entry.width / 8; cx++) {
      decodeObjTile(vram, obsel, objSpriteTile(entry.tile, cx, cy), tileIndices);
      blitTile(tileIndices, 0, image, cx * 8, cy * 8);
    }
  }
  return entry.hFlip || entry.vFlip ? flipImage(image, entry.hFlip, entry.vFlip) : image;
}

/** The memory dumps `renderSpriteDump` draws SNES sprites from (as an emulator saves them). */
export interface SpriteDumpInput {
  vram: Uint8Array;
  /** 512-byte CGRAM; without it OBJ palettes are grayscale ramps. */
  cgram?: Uint8Array;
  oam: Uint8Array;
  obsel?: number;
}

/** One sprite drawn from OAM, with its own 16-colour palette. */
export interface RenderedSprite {
  entry: OamEntry;
  /** Indices 0–15 into `palette`. */
  image: IndexedImage;
  /** The sprite's 16 colours: CGRAM palette 8 + OAM palette. */
  palette: Palette;
}

/** Every OAM sprite drawn on its own, plus the visible ones composed on a screen. */
export interface SpriteDump {
  sprites: RenderedSprite[];
  /** The visible sprites on a 256×224 screen; pixel values are CGRAM indices (128 + 16p + colour), 0 where no sprite is. */
  composite: IndexedImage;
  /** The 256-colour CGRAM palette the composite indexes. */
  compositePalette: Palette;
}

/** A 256-colour stand-in for CGRAM when none is given: every 16-colour sub-palette is a gray ramp. */
function grayCgram(): Palette {
  const rgb = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) rgb.fill((i & 15) * 17, i * 3, i * 3 + 3);
  return { rgb, count: 256 };
}

/** Renders every visible sprite and the composite. Lower OAM indices are drawn in front, as on the console. */
export function renderSpriteDump(input: SpriteDumpInput): SpriteDump {
  const obsel = input.obsel ?? 0;
  checkObsel(obsel);
  if (input.vram.length !== vramSizeInBytes) throw new DumpSizeError('VRAM', input.vram.length, `${vramSizeInBytes} bytes`);
  if (input.cgram && input.cgram.length !== 512) throw new DumpSizeError('CGRAM', input.cgram.length, '512 bytes');
  const cgram = input.cgram ? decodeBgr555(input.cgram, 256) : grayCgram();
  const entries = decodeOam(input.oam, obsel);
  const sprites: RenderedSprite[] = [];
  for (const entry of entries) {
    if (!isSpriteVisible(entry)) continue;
    sprites.push({ entry, image: renderOamSprite(input.vram, entry, obsel), palette: subPalette(cgram, objPaletteBase + entry.palette, 16) });
  }
  const composite = createIndexedImage(snesScreenWidthInPixels, snesScreenHeightInPixels);
  for (let s = sprites.length - 1; s >= 0; s--) {
    const { entry, image } = sprites[s]!;
    const base = (objPaletteBase + entry.palette) * 16;
    for (let row = 0; row < image.height; row++) {
      const sy = (entry.y + row) & 0xff;
      if (sy >= snesScreenHeightInPixels) continue;
      for (let column = 0; column < image.width; column++) {
        const sx = entry.x + column;
        if (sx < 0 || sx >= snesScreenWidthInPixels) continue;
        const colour = image.pixels[row * image.width + column]!;
        if (colour !== 0) composite.pixels[sy * snesScreenWidthInPixels + sx] = base + colour;
      }
    }
  }
  return { sprites, composite, compositePalette: cgram };
}

/**
 * Candidate sibling file names for a VRAM dump under common emulator naming conventions
 * (`name.VRAM.dmp` → `name.CGRAM.dmp`, `name_VRAM.bin` → `name_CGRAM.bin`, Mesen's
 * `name.SnesVideoRam` → `name.SnesCgRam` / `name.SnesSpriteRam`). Pure: the caller checks existence.
 */
export function siblingDumpNames(vramPath: string): { cgram: string[]; oam: string[] } {
  const cgram: string[] = [];
  const oam: string[] = [];
  const slash = Math.max(vramPath.lastIndexOf('/'), vramPath.lastIndexOf('\\'));
  const dir = vramPath.slice(0, slash + 1);
  const name = vramPath.slice(slash + 1);
  const swaps: [RegExp, string[], string[]][] = [
    [/SnesVideoRam/u, ['SnesCgRam'], ['SnesSpriteRam']],
    [/VideoRam/iu, ['CgRam', 'PaletteRam'], ['SpriteRam']],
    [/VRAM/u, ['CGRAM'], ['OAM']],
    [/vram/u, ['cgram'], ['oam']],
    [/Vram/u, ['Cgram'], ['Oam']],
  ];
  for (const [pattern, cgramNames, oamNames] of swaps) {
    if (!pattern.test(name)) continue;
    for (const c of cgramNames) cgram.push(dir + name.replace(pattern, c));
    for (const o of oamNames) oam.push(dir + name.replace(pattern, o));
  }
  return { cgram: [...new Set(cgram)], oam: [...new Set(oam)] };
}
