/**
 * The sprites of a game definition as the injector sees them: resolved to ROM offsets for one
 * ROM (variant offsets, bus addresses through the ROM's mapping, pointers followed), their
 * blocks read and decoded, and their tiles turned into images and back by the definition's
 * arrangement. Pure over the ROM bytes: no file I/O except reading a palette file a definition names.
 */
import { DefinitionError, ImageSizeError, InvalidArgumentError, PaddingNotBlankError, SpriteNotFoundError, StoredLengthError, TileCountMismatchError, TileDataLengthError, hex, isRomgfxError, type RomgfxError } from '../errors.js';
import { getCodec } from '../codecs/index.js';
import type { Codec } from '../codecs/types.js';
import { getTileFormat, type TileFormat } from '../gfx/formats.js';
import { arrangeSheet, checkIndicesFitBpp, checkWholeTiles, renderIndexedImage, unarrangeMetatiles, unarrangeSheet, type IndexedImage, type MetatileLayout } from '../gfx/image.js';
import { decodeBgr555, decodeConsolePalette, decodeDmgPalette, decodeMdPalette, decodeNesPalette, defaultGrayscalePalette, grayscalePalette, parsePaletteFile, subPalette, type Palette } from '../gfx/palette.js';
import { pixelsPerTile } from '../gfx/kernels.js';
import { freeSpaceFor, matchDefinition, resolveDefLocation, romFacts, spriteLocation } from '../defs/match.js';
import type { PointerSlot } from '../defs/pointers.js';
import { locateSprite } from '../defs/locate.js';
import { resolveDefinitionFile } from '../defs/paths.js';
import type { Arrangement, CodecName, FreeRange, GameDefinition, PaletteSource, SpriteDef } from '../defs/types.js';
import type { Rom } from '../rom/rom.js';
import { readFileBytes } from '../rom/source.js';
import { maximumPaletteTextSizeInBytes } from '../gfx/palette.js';
import { arrangementLayout, arrangementSheetOptions } from '../vocabulary.js';

/** A decoded block larger than this is not one sprite's graphics (a whole 64 KiB HAL window is the largest real case). */
export const maximumSpriteUnpackedSizeInBytes = 4 * 1024 * 1024;

/** The tile format a platform's sprites are in when a definition does not say. */
export const defaultTileFormatByPlatform: Readonly<Record<string, string>> = {
  snes: 'snes4bpp',
  gb: 'gb2bpp',
  gbc: 'gb2bpp',
  gba: 'gba4bpp',
  nes: 'nes2bpp',
  md: 'md4bpp',
  unknown: 'snes4bpp',
};

/** One sprite of a definition, resolved against one ROM. */
export interface ResolvedSprite {
  name: string;
  /** Index in the definition's sprite list (for error paths). */
  index: number;
  def: SpriteDef;
  /** ROM offset of the stored block now (after following pointers). */
  offset: number;
  /** Where the definition says it is (differs from `offset` once a block has been relocated). */
  definedOffset: number;
  codec: CodecName;
  format: TileFormat;
  /** Every pointer the definition declares to this sprite, resolved to ROM offsets. */
  pointers: PointerSlot[];
}

/** A sprite's block as stored: its decoded bytes, how many bytes it occupies, and its tiles. */
export interface SpriteBlock {
  /** The decoded (unpacked) bytes. */
  data: Uint8Array;
  /** Bytes the stored stream takes in the ROM. */
  packedLength: number;
  /**
   * Bytes the block occupies in place: its packed length (raw: tiles × bytes per tile), run to
   * the next word for the GBA BIOS codecs, whose sources are word-aligned. Never the definition's
   * storedLength, which must agree with it (`checkStoredLength`).
   */
  slotLength: number;
  /** The definition's storedLength, when it applies (the block is at the definition's offset). */
  storedLength?: number;
  tileCount: number;
  /** Bytes after the last whole tile (kept as they are on re-injection). */
  trailing: Uint8Array;
  /** LZ4 only: whether the block is a frame or a raw block (re-encoded the same way). */
  lz4Variant?: 'frame' | 'block';
}

/** The regional variant of a definition that recognises `rom` (undefined when none does: default offsets apply). */
export function variantFor(rom: Rom, definition: GameDefinition): string | undefined {
  return matchDefinition([definition], romFacts(rom))?.variant.id;
}

/** A sprite that resolved, or why it did not (a pointer outside the ROM, an unmapped bus address …). */
export type SpriteResolution = { ok: true; sprite: ResolvedSprite } | { ok: false; name: string; index: number; error: RomgfxError };

/**
 * Resolves each sprite of `definition` against `rom`, one at a time: a sprite whose offset or
 * pointers are broken gets its own typed error and does not stop the others. A sprite with
 * pointers is found where its pointers point (all must agree): after a relocation the
 * definition's offset is stale, and the pointers are what the game follows.
 */
export function resolveEachSprite(rom: Rom, definition: GameDefinition, variantId: string | undefined = variantFor(rom, definition)): SpriteResolution[] {
  return definition.sprites.map((def, index): SpriteResolution => {
    try {
      return { ok: true, sprite: resolveOne(rom, definition, def, index, variantId) };
    } catch (error) {
      if (!isRomgfxError(error)) throw error;
      return { ok: false, name: def.name, index, error };
    }
  });
}

function resolveOne(rom: Rom, definition: GameDefinition, def: SpriteDef, index: number, variantId: string | undefined): ResolvedSprite {
  const definedOffset = resolveDefLocation(spriteLocation(def, variantId), rom);
  if (definedOffset >= rom.size) {
    throw new DefinitionError(definition.source, `/sprites/${index}/offset`, `ROM offset ${hex(definedOffset)} is past the end of the ${hex(rom.size)}-byte ROM`);
  }
  const located = locateSprite(rom, definition, def, variantId);
  const format = getTileFormat(def.tileFormat ?? defaultTileFormatByPlatform[rom.platform] ?? 'snes4bpp');
  return { name: def.name, index, def, offset: located.offset, definedOffset, codec: def.codec, format, pointers: located.pointers.map((p) => p.slot) };
}

/** Resolves every sprite; throws the first sprite's error (see resolveEachSprite for one-by-one). */
export function resolveSprites(rom: Rom, definition: GameDefinition, variantId: string | undefined = variantFor(rom, definition)): ResolvedSprite[] {
  return resolveEachSprite(rom, definition, variantId).map((r) => {
    if (!r.ok) throw r.error;
    return r.sprite;
  });
}

export function findSprite(sprites: readonly ResolvedSprite[], name: string, where: string): ResolvedSprite {
  const sprite = sprites.find((s) => s.name === name);
  if (!sprite) throw new SpriteNotFoundError(name, where);
  return sprite;
}

/** The unpacked length the definition declares (byteLength, or tileCount whole tiles), if any. */
export function declaredUnpackedLength(sprite: ResolvedSprite): number | undefined {
  if (sprite.def.byteLength !== undefined) return sprite.def.byteLength;
  if (sprite.def.tileCount !== undefined) return sprite.def.tileCount * sprite.format.bytesPerTile;
  return undefined;
}

export function codecFor(sprite: ResolvedSprite): Codec | null {
  return sprite.codec === 'none' ? null : getCodec(sprite.codec);
}

const lz4FrameMagic = [0x04, 0x22, 0x4d, 0x18];

/**
 * Decodes a sprite's block from ROM data (the input ROM, or an output being verified): what it
 * unpacks to and the bytes it occupies. Does not hold the definition's storedLength to it
 * (readSpriteBlock does; the definition check reports it as one problem among others).
 */
export function decodeSpriteBlock(data: Uint8Array, sprite: ResolvedSprite, source = '<rom>'): SpriteBlock {
  const declared = declaredUnpackedLength(sprite);
  const codec = codecFor(sprite);
  let unpacked: Uint8Array;
  let packedLength: number;
  let lz4Variant: 'frame' | 'block' | undefined;
  if (codec === null) {
    if (declared === undefined) throw new DefinitionError(source, `/sprites/${sprite.index}`, 'a raw block needs tileCount or byteLength');
    if (sprite.offset + declared > data.length) {
      throw new DefinitionError(source, `/sprites/${sprite.index}`, `raw block of ${declared} bytes at ${hex(sprite.offset)} runs past the end of the ${hex(data.length)}-byte ROM`);
    }
    unpacked = data.subarray(sprite.offset, sprite.offset + declared);
    packedLength = declared;
  } else {
    if ((sprite.codec === 'pb16' || sprite.codec === 'lz4') && declared === undefined) {
      const isFrame = sprite.codec === 'lz4' && lz4FrameMagic.every((b, i) => data[sprite.offset + i] === b);
      if (!isFrame) throw new DefinitionError(source, `/sprites/${sprite.index}`, `${sprite.codec} blocks do not store their size: give tileCount or byteLength`);
    }
    const limits = declared === undefined ? { maximumOutputSizeInBytes: maximumSpriteUnpackedSizeInBytes } : { maximumOutputSizeInBytes: maximumSpriteUnpackedSizeInBytes, outputSizeInBytes: declared };
    const decoded = codec.decompress(data, sprite.offset, limits);
    unpacked = decoded.data;
    packedLength = decoded.packedLength;
    if (sprite.codec === 'lz4') lz4Variant = lz4FrameMagic.every((b, i) => data[sprite.offset + i] === b) ? 'frame' : 'block';
    if (declared !== undefined && unpacked.length < declared) {
      throw new TileDataLengthError(`sprite "${sprite.name}": the ${sprite.codec} block at ${hex(sprite.offset)} decodes to ${unpacked.length} bytes, the definition says ${declared}`, {
        sprite: sprite.name,
        offset: sprite.offset,
        decoded: unpacked.length,
        declared,
      });
    }
  }
  const bpt = sprite.format.bytesPerTile;
  const tileCount = sprite.def.tileCount ?? Math.floor((declared ?? unpacked.length) / bpt);
  if (tileCount < 1) {
    throw new TileDataLengthError(`sprite "${sprite.name}": the block at ${hex(sprite.offset)} decodes to ${unpacked.length} bytes, less than one ${sprite.format.name} tile`, { sprite: sprite.name });
  }
  const block: SpriteBlock = {
    data: unpacked,
    packedLength,
    slotLength: paddedSlotLength(sprite, packedLength, data.length),
    tileCount,
    trailing: unpacked.subarray(tileCount * bpt),
  };
  // A definition's storedLength describes the block at the definition's offset, not one relocated since.
  const storedLength = sprite.offset === sprite.definedOffset ? sprite.def.storedLength : undefined;
  if (storedLength !== undefined) block.storedLength = storedLength;
  if (lz4Variant) block.lz4Variant = lz4Variant;
  return block;
}

/**
 * Reads and decodes a sprite's block and holds the definition to it: a declared `storedLength`
 * must be what the block occupies. Shorter than the stream is a malformed definition; longer
 * would give an in-place write the bytes of whatever follows (`StoredLengthError`). The slot
 * comes from the ROM's data, never from the definition's word for it.
 */
export function readSpriteBlock(data: Uint8Array, sprite: ResolvedSprite, source = '<rom>'): SpriteBlock {
  const block = decodeSpriteBlock(data, sprite, source);
  checkStoredLength(block, sprite, source);
  return block;
}

/** Throws when a block's declared storedLength disagrees with the slot its decoding gives (see readSpriteBlock). */
export function checkStoredLength(block: SpriteBlock, sprite: ResolvedSprite, source: string): void {
  const storedLength = block.storedLength;
  if (storedLength === undefined) return;
  if (storedLength < block.packedLength) {
    throw new DefinitionError(source, `/sprites/${sprite.index}/storedLength`, `${storedLength} bytes, but the block at ${hex(sprite.offset)} takes ${block.packedLength}`);
  }
  if (storedLength > block.slotLength) throw new StoredLengthError(source, sprite.name, sprite.offset, storedLength, block.slotLength);
}

/** GBA BIOS streams (lz77, lz11, rle, huffman, diff) are read from word-aligned sources (GBATEK, BIOS decompression functions). */
const wordAlignedCodecs: ReadonlySet<string> = new Set(['lz77', 'lz11', 'rle', 'huffman', 'diff']);

/**
 * The slot of a word-aligned block runs to the next word: the BIOS reads its sources word-aligned,
 * so no other block can start in the padding (encoders pad their output the same way).
 */
function paddedSlotLength(sprite: ResolvedSprite, packedLength: number, romSize: number): number {
  if (!wordAlignedCodecs.has(sprite.codec) || sprite.offset % 4 !== 0) return packedLength;
  return Math.min(romSize - sprite.offset, (packedLength + 3) & ~3);
}

// ---- Arrangements ------------------------------------------------------------------------

// The arrangement → src/gfx mapping is the shared vocabulary's (src/vocabulary.ts), so
// extraction, injection and thumbnails draw a definition's sprites alike.
const layoutOf = arrangementLayout;
const sheetOptions = arrangementSheetOptions;

/** The tiles (indices plane) as the image extract writes: a sheet or assembled metatiles. */
export function tilesToImage(indices: Uint8Array, tileCount: number, arrangement: Arrangement | undefined): IndexedImage {
  const layout = layoutOf(arrangement);
  return layout ? renderIndexedImage(indices, tileCount, { layout }) : arrangeSheet(indices, tileCount, sheetOptions(arrangement));
}

/** How many tiles an image of this size holds under the arrangement (what --allow-resize takes). */
function tilesInImage(image: IndexedImage, arrangement: Arrangement | undefined): number {
  const layout = layoutOf(arrangement);
  const columns = image.width / 8;
  const rows = image.height / 8;
  if (!layout) return columns * rows;
  if (layout.kind === 'snes-obj') return rows * 16;
  return Math.floor(columns / layout.widthInTiles) * Math.floor(rows / layout.heightInTiles) * layout.widthInTiles * layout.heightInTiles;
}

/**
 * The tiles of `image` that lie past `tileCount` (the padding extract adds to fill a sheet row or
 * a metatile) and are not blank: re-rendering the taken tiles gives the image back exactly when
 * every padding pixel is index 0. Returns the padding cells' tile numbers, in sheet order.
 */
function drawnPaddingTiles(image: IndexedImage, indices: Uint8Array, tileCount: number, arrangement: Arrangement | undefined): number[] {
  const rendered = tilesToImage(indices, tileCount, arrangement);
  if (rendered.width !== image.width || rendered.height !== image.height) return [];
  const columns = image.width / 8;
  const drawn = new Set<number>();
  for (let i = 0; i < image.pixels.length; i++) {
    if (image.pixels[i] === rendered.pixels[i]) continue;
    const x = i % image.width;
    const y = (i - x) / image.width;
    drawn.add(((y >> 3) * columns) + (x >> 3));
  }
  return [...drawn].sort((a, b) => a - b);
}

/**
 * The inverse of `tilesToImage`: an edited image back to an indices plane. Without `allowResize`
 * the image must be exactly the size extract made for `expectedTileCount` tiles, and the block
 * keeps that many: padding cells (a sheet's last row, a metatile's spare tiles) are dropped when
 * blank and refused when drawn on (`PaddingNotBlankError`), never written over what follows the
 * block. With `allowResize` the image's whole cells (sheet) or whole metatiles (block layouts,
 * any number per row and column) decide the count; a size the layout cannot hold is a data error.
 */
export function imageToTiles(image: IndexedImage, sprite: ResolvedSprite, expectedTileCount: number, allowResize: boolean): { indices: Uint8Array; tileCount: number } {
  checkWholeTiles(image);
  checkIndicesFitBpp(image, sprite.format.bpp);
  const arrangement = sprite.def.arrangement;
  const layout = layoutOf(arrangement);
  const expected = tilesToImageSize(expectedTileCount, arrangement);
  const sameSize = image.width === expected.width && image.height === expected.height;
  if (!sameSize && !allowResize) {
    throw new TileCountMismatchError(sprite.name, expectedTileCount, tilesInImage(image, arrangement), `(${image.width}x${image.height}; extract made ${expected.width}x${expected.height})`);
  }
  if (sameSize) {
    const taken = layout ? { indices: unarrangeMetatiles(image, expectedTileCount, layout), tileCount: expectedTileCount } : unarrangeSheet(image, { ...sheetOptions(arrangement), tileCount: expectedTileCount });
    const drawn = drawnPaddingTiles(image, taken.indices, expectedTileCount, arrangement);
    if (drawn.length === 0) return taken;
    if (!allowResize) throw new PaddingNotBlankError(sprite.name, expectedTileCount, drawn);
    // Resizing: the drawn padding becomes part of the block, like any other whole cell of the image.
  }
  const tileCount = tilesInImage(image, arrangement);
  if (tileCount < 1) throw new TileCountMismatchError(sprite.name, expectedTileCount, 0, `(${image.width}x${image.height})`);
  if (layout) {
    const metatileWidth = layout.widthInTiles * 8;
    const metatileHeight = layout.heightInTiles * 8;
    if (layout.kind === 'snes-obj' && image.width !== 128) {
      throw new ImageSizeError(`sprite "${sprite.name}": a resized snes-obj image must stay 128 pixels wide (16 OBJ tiles), got ${image.width}`, { sprite: sprite.name, width: image.width });
    }
    if (image.width % metatileWidth !== 0 || image.height % metatileHeight !== 0) {
      throw new ImageSizeError(`sprite "${sprite.name}": a resized image must be whole ${metatileWidth}x${metatileHeight} metatiles; ${image.width}x${image.height} is not`, {
        sprite: sprite.name,
        width: image.width,
        height: image.height,
      });
    }
    const metatilesPerRow = layout.kind === 'block' ? image.width / metatileWidth : undefined;
    return { indices: unarrangeMetatiles(image, tileCount, layout, metatilesPerRow === undefined ? {} : { metatilesPerRow }), tileCount };
  }
  return unarrangeSheet(image, { ...sheetOptions(arrangement), tileCount });
}

function tilesToImageSize(tileCount: number, arrangement: Arrangement | undefined): { width: number; height: number } {
  // Rendering an empty plane of the right count is the one definition of the size (no duplicated geometry).
  const image = tilesToImage(new Uint8Array(tileCount * pixelsPerTile), tileCount, arrangement);
  return { width: image.width, height: image.height };
}

// ---- Palettes ----------------------------------------------------------------------------

/** A sprite's palette as colours, and where they came from. */
export interface ResolvedPalette {
  palette: Palette;
  /** Where it came from: rom, file, cgram, grayscale (none declared or no CGRAM available). */
  source: 'rom' | 'file' | 'cgram' | 'grayscale';
}

/** Colours from outside the ROM that a sprite's palette may name. */
export interface PaletteContext {
  /** Colours of CGRAM / palette RAM, for `{ cgram: n }` palettes. */
  cgram?: Palette;
}

/** Pads a palette with the grayscale ramp up to the bit depth's colour count so every index has a colour. */
function padPalette(palette: Palette, bpp: number): Palette {
  const needed = 1 << Math.min(bpp, 8);
  if (palette.count >= needed) return palette;
  const ramp = grayscalePalette(Math.min(bpp, 8));
  const rgb = new Uint8Array(needed * 3);
  rgb.set(ramp.rgb);
  rgb.set(palette.rgb);
  return { rgb, count: needed };
}

/** The colours a sprite's definition names (its PNG's PLTE), padded to the bit depth. */
export function resolveSpritePalette(rom: Rom, definition: GameDefinition, sprite: ResolvedSprite, context: PaletteContext = {}): ResolvedPalette {
  const bpp = sprite.format.bpp;
  const source: PaletteSource | undefined = sprite.def.palette;
  if (!source) return { palette: defaultGrayscalePalette(sprite.format), source: 'grayscale' };
  if ('rom' in source) {
    const at = resolveDefLocation(source.rom, rom);
    const count = source.count ?? Math.min(1 << bpp, 256);
    const format = source.format;
    const bytesPer = format === 'nes-index' || (format === undefined && rom.platform === 'nes') ? 1 : format === 'gb-bgp' ? 0 : 2;
    const bytes = rom.read(at, Math.max(1, count * bytesPer));
    let palette: Palette;
    switch (format) {
      case 'bgr555':
        palette = decodeBgr555(bytes, count);
        break;
      case 'md9':
        palette = decodeMdPalette(bytes, count);
        break;
      case 'nes-index':
        palette = decodeNesPalette(bytes);
        break;
      case 'gb-bgp':
        palette = decodeDmgPalette(bytes[0]!);
        break;
      case undefined:
        palette = decodeConsolePalette(rom.platform, bytes, count);
        break;
    }
    return { palette: padPalette(palette, bpp), source: 'rom' };
  }
  if ('file' in source) {
    const path = resolveDefinitionFile(definition, source.file);
    return { palette: padPalette(parsePaletteFile(readFileBytes(path, maximumPaletteTextSizeInBytes), path), bpp), source: 'file' };
  }
  if (context.cgram) {
    const rowSize = Math.min(1 << bpp, 16);
    return { palette: padPalette(subPalette(context.cgram, source.cgram, rowSize), bpp), source: 'cgram' };
  }
  return { palette: defaultGrayscalePalette(sprite.format), source: 'grayscale' };
}

/** The free ranges of a definition that apply to the variant. */
export function freeRangesFor(definition: GameDefinition, variantId: string | undefined): FreeRange[] {
  return freeSpaceFor(definition, variantId);
}
