/**
 * The sprite-level API for editors: one object for a ROM with its game definition. It lists the
 * sprites, decodes one to `{ width, height, indices, palette, rgba }` in one call (the
 * definition's transparency rule applied), lets pixel edits pile up in memory as values, and
 * saves them through the same checks and writes as `inject-all` (`injectSpritesAsync`).
 *
 * Edits are values (`GameEdit`): `edits()` returns them, `setEdits()` puts a list back, so undo
 * and redo are the caller's list of lists. Nothing touches the file until `save()`, and `save()`
 * never writes over the input except with `inPlace` (which keeps a backup).
 */
import { DefinitionNoMatchError, InvalidArgumentError, SpriteNotFoundError } from '../errors.js';
import { decodeTiles } from '../gfx/formats.js';
import { indexedToRgba, type IndexedImage } from '../gfx/image.js';
import type { Palette } from '../gfx/palette.js';
import { decodePng, toIndexedImage } from '../gfx/png.js';
import { loadGameDefinition } from '../defs/parse.js';
import { matchDefinition, romFacts } from '../defs/match.js';
import type { GameDefinition } from '../defs/types.js';
import type { Arrangement } from '../vocabulary.js';
import type { InjectOptions, InjectResult } from '../inject/inject.js';
import { injectSpritesAsync, type InjectJobOptions } from '../jobs/inject-jobs.js';
import { imageToTiles, readSpriteBlock, resolveEachSprite, resolveSpritePalette, tilesToImage, type ResolvedSprite } from '../inject/sprites.js';
import { openRom, type Rom } from '../rom/rom.js';
import type { RomOpenMode } from '../rom/source.js';
import { thumbnailRequestsForDefinition, type DefinitionThumbnailOptions, type DefinitionThumbnailRequests } from '../thumbs/requests-from.js';

/** How `openGame` finds the ROM's definition and opens the file. */
export interface OpenGameOptions {
  /**
   * The game definitions to choose from: parsed definitions, or paths of definition files. The
   * first whose variants recognise the ROM (CRC-32, SHA-1, header checksum, title) is used.
   */
  definitions: readonly (GameDefinition | string)[] | GameDefinition | string;
  /** `map` or `memory` (see `RomOpenMode`); default as `openRom`. */
  mode?: RomOpenMode;
}

/** A sprite as `Game.sprites()` lists it: what it is and where, without decoding it. */
export interface GameSpriteInfo {
  name: string;
  /** `sprite` (colour 0 transparent) or `graphics` (every colour opaque). */
  kind: 'sprite' | 'graphics';
  codec: string;
  tileFormat: string;
  /** How its tiles are laid out, in the shared vocabulary (docs/vocabulary.md); a 16-wide sheet when the definition says nothing. */
  arrangement: Arrangement;
  /** ROM offset of the stored block (through its pointers, so relocated blocks are found). */
  offset: number;
  /** True when an edit of this sprite is pending. */
  edited: boolean;
  /** Why the sprite cannot be read, when it cannot (its other fields are the definition's). */
  error?: string;
}

/** A decoded sprite, ready for a canvas: indices, its palette, and RGBA with transparency applied. */
export interface DecodedSprite {
  name: string;
  width: number;
  height: number;
  /** One palette index per pixel, row-major (`width × height` bytes). */
  indices: Uint8Array;
  palette: Palette;
  /** `width × height × 4` bytes; colour 0 has alpha 0 for sprites, 255 for graphics. */
  rgba: Uint8Array;
  /** Whether colour 0 is transparent (the definition's `kind` is `sprite`). */
  transparentIndex0: boolean;
  tileCount: number;
  /** Where the pixels came from: the ROM, or a pending edit. */
  source: 'rom' | 'edit';
}

/** One pending edit, a plain value: the sprite's new pixels as palette indices. */
export interface GameEdit {
  readonly sprite: string;
  readonly width: number;
  readonly height: number;
  /** `width × height` palette indices, row-major (the caller's array is copied). */
  readonly indices: Uint8Array;
}

/** New pixels for `Game.setPixels`: palette indices, or RGBA mapped exactly onto the sprite's palette. */
export type SpritePixels =
  | { width: number; height: number; indices: Uint8Array }
  | { width: number; height: number; rgba: Uint8Array; nearest?: boolean }
  | { png: Uint8Array; nearest?: boolean };

/**
 * Where `save` writes: a new file (`output`) or the input (`inPlace`, with a backup), optionally
 * with a patch; and, for the packing in worker threads, `signal` (cancel: nothing is written),
 * `onProgress` (sprites packed of those edited) and `threads`.
 */
export type GameSaveOptions = Pick<InjectOptions, 'output' | 'inPlace' | 'force' | 'patch' | 'definitionOutput' | 'allowResize' | 'strategy' | 'alignment' | 'allowBankCrossing' | 'vramSafe'> & Pick<InjectJobOptions, 'signal' | 'onProgress' | 'threads'>;

/**
 * A ROM with its game definition, for editors. Create with `openGame`; close with `close()` or
 * `using`. Reads are synchronous and cheap (one sprite's block); `save` is the one heavy step.
 */
export class Game {
  readonly rom: Rom;
  readonly definition: GameDefinition;
  /** The definition variant that recognised the ROM. */
  readonly variant: string | undefined;
  readonly #path: string;
  #edits: Map<string, GameEdit> = new Map();
  #resolved: Map<string, ResolvedSprite | Error> | undefined;

  constructor(path: string, rom: Rom, definition: GameDefinition, variant: string | undefined) {
    this.#path = path;
    this.rom = rom;
    this.definition = definition;
    this.variant = variant;
  }

  /** The ROM file's path. */
  get path(): string {
    return this.#path;
  }

  #resolve(): Map<string, ResolvedSprite | Error> {
    if (!this.#resolved) {
      this.#resolved = new Map(resolveEachSprite(this.rom, this.definition, this.variant).map((r): [string, ResolvedSprite | Error] => (r.ok ? [r.sprite.name, r.sprite] : [r.name, r.error])));
    }
    return this.#resolved;
  }

  #sprite(name: string): ResolvedSprite {
    const found = this.#resolve().get(name);
    if (found === undefined) throw new SpriteNotFoundError(name, this.definition.source);
    if (found instanceof Error) throw found;
    return found;
  }

  /** Every sprite of the definition, in its order. */
  sprites(): GameSpriteInfo[] {
    return this.definition.sprites.map((def) => {
      const resolved = this.#resolve().get(def.name);
      const base = { name: def.name, kind: def.kind, codec: def.codec, arrangement: def.arrangement ?? { kind: 'sheet' as const }, edited: this.#edits.has(def.name) };
      if (resolved instanceof Error || resolved === undefined) return { ...base, tileFormat: def.tileFormat ?? '', offset: -1, error: resolved?.message ?? 'not resolved' };
      return { ...base, tileFormat: resolved.format.name, offset: resolved.offset };
    });
  }

  /** The sprite's original pixels as the ROM holds them (pending edits ignored). */
  original(name: string): DecodedSprite {
    const sprite = this.#sprite(name);
    const block = readSpriteBlock(this.rom.data, sprite, this.rom.name);
    const tileCount = block.tileCount;
    const image = tilesToImage(decodeTiles(sprite.format, block.data.subarray(0, tileCount * sprite.format.bytesPerTile)), tileCount, sprite.def.arrangement);
    return this.#decoded(sprite, image, tileCount, 'rom');
  }

  /** The sprite as it would be saved now: its pending edit, else the ROM's pixels. */
  sprite(name: string): DecodedSprite {
    const sprite = this.#sprite(name);
    const edit = this.#edits.get(name);
    if (!edit) return this.original(name);
    return this.#decoded(sprite, { width: edit.width, height: edit.height, pixels: edit.indices }, (edit.width * edit.height) / 64, 'edit');
  }

  /** The sprite's palette (from the ROM, a palette file, or the grayscale ramp), padded to its bit depth. */
  palette(name: string): Palette {
    return resolveSpritePalette(this.rom, this.definition, this.#sprite(name)).palette;
  }

  #decoded(sprite: ResolvedSprite, image: IndexedImage, tileCount: number, source: 'rom' | 'edit'): DecodedSprite {
    const palette = resolveSpritePalette(this.rom, this.definition, sprite).palette;
    const transparentIndex0 = sprite.def.kind === 'sprite';
    return {
      name: sprite.name,
      width: image.width,
      height: image.height,
      indices: image.pixels,
      palette,
      rgba: indexedToRgba(image, palette, { transparentIndex0 }),
      transparentIndex0,
      tileCount,
      source,
    };
  }

  /**
   * Replaces a sprite's pixels (an edit kept in memory). Indices must fit the sprite's bit depth;
   * RGBA and PNG pixels are mapped exactly onto the sprite's palette (`nearest` to opt out), and
   * the image must have the size `sprite(name)` has (the layout is checked now, not at save).
   * Returns the edit made.
   */
  setPixels(name: string, pixels: SpritePixels): GameEdit {
    const sprite = this.#sprite(name);
    const palette = resolveSpritePalette(this.rom, this.definition, sprite).palette;
    let image: IndexedImage;
    if ('png' in pixels) {
      image = toIndexedImage(decodePng(pixels.png), { palette, nearest: pixels.nearest === true });
    } else if ('rgba' in pixels) {
      checkBuffer(name, 'rgba', pixels.rgba, pixels.width * pixels.height * 4);
      image = toIndexedImage({ kind: 'rgba', width: pixels.width, height: pixels.height, rgba: pixels.rgba }, { palette, nearest: pixels.nearest === true });
    } else {
      checkBuffer(name, 'indices', pixels.indices, pixels.width * pixels.height);
      image = { width: pixels.width, height: pixels.height, pixels: Uint8Array.from(pixels.indices) };
    }
    const current = this.original(name);
    // The same checks inject makes (whole tiles, bit depth, layout and size), now rather than at save.
    imageToTiles(image, sprite, current.tileCount, false);
    const edit: GameEdit = Object.freeze({ sprite: name, width: image.width, height: image.height, indices: Uint8Array.from(image.pixels) });
    this.#edits.set(name, edit);
    return edit;
  }

  /** Drops the pending edit of `name` (the ROM's pixels show again). */
  revert(name: string): void {
    this.#edits.delete(name);
  }

  /** The pending edits, in the order they were made: plain values, for an undo stack. */
  edits(): GameEdit[] {
    return [...this.#edits.values()];
  }

  /** Replaces every pending edit with `edits` (undo/redo: put back a list `edits()` gave). */
  setEdits(edits: readonly GameEdit[]): void {
    const next = new Map<string, GameEdit>();
    for (const edit of edits) {
      this.#sprite(edit.sprite);
      next.set(edit.sprite, edit);
    }
    this.#edits = next;
  }

  /**
   * Writes the pending edits through `injectSpritesAsync`: the same definition checks, best-level
   * packing, relocation and repointing, checksum fix, verification and atomic write as
   * `romgfx inject-all`, with the packing (HAL and Nemesis `max`: up to a second a sprite) in
   * worker threads so the editor stays responsive. Pending edits stay pending (the caller
   * decides when they are done).
   */
  async save(options: GameSaveOptions): Promise<InjectResult> {
    if (!options.inPlace && options.output === undefined) throw new InvalidArgumentError('save needs an output path, or inPlace (which keeps a backup)');
    const edits = this.edits().map((edit) => ({ sprite: edit.sprite, image: { width: edit.width, height: edit.height, pixels: edit.indices } }));
    return injectSpritesAsync(this.#path, this.definition, edits, { ...options, ...(this.variant !== undefined ? { variant: this.variant } : {}) });
  }

  /**
   * Every sprite as a thumbnail request for `ThumbnailService` (the pictures `sprite(name)` and
   * `extract-all` give, original pixels), through `thumbnailRequestsForDefinition` with this
   * game's variant. Pending edits are not in the ROM yet, so they are not in the thumbnails.
   */
  thumbnailRequests(options: Omit<DefinitionThumbnailOptions, 'variant'> = {}): DefinitionThumbnailRequests {
    return thumbnailRequestsForDefinition(this.rom, this.definition, { ...options, ...(this.variant !== undefined ? { variant: this.variant } : {}) });
  }

  /** Closes the ROM (see `Rom.close`). */
  close(): void {
    this.rom.close();
  }

  /** `using game = await openGame(…)` closes it at the end of the block. */
  [Symbol.dispose](): void {
    this.close();
  }
}

function checkBuffer(sprite: string, field: string, bytes: Uint8Array, expected: number): void {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError(`sprite "${sprite}": ${field} must be a Uint8Array`, { sprite, field });
  if (!Number.isSafeInteger(expected) || expected <= 0 || bytes.length !== expected) {
    throw new InvalidArgumentError(`sprite "${sprite}": ${field} holds ${bytes.length} bytes; width × height${field === 'rgba' ? ' × 4' : ''} is ${expected}`, { sprite, field, length: bytes.length, expected });
  }
}

/**
 * Opens `romPath` with the definition (of those given) that recognises it. A definition that
 * recognises nothing in the ROM is refused (`ERR_DEFINITION_NO_MATCH`): its offsets are another
 * game's.
 */
export async function openGame(romPath: string, options: OpenGameOptions): Promise<Game> {
  const list = Array.isArray(options.definitions) ? options.definitions : [options.definitions as GameDefinition | string];
  if (list.length === 0) throw new InvalidArgumentError('openGame needs at least one game definition');
  const definitions = list.map((d) => (typeof d === 'string' ? loadGameDefinition(d) : d));
  const rom = openRom(romPath, { allowUnknown: true, ...(options.mode !== undefined ? { mode: options.mode } : {}) });
  try {
    const match = matchDefinition(definitions, romFacts(rom));
    if (!match) throw new DefinitionNoMatchError(romPath, definitions.length);
    return new Game(romPath, rom, match.definition, match.variant.id);
  } catch (error) {
    rom.close();
    throw error;
  }
}
