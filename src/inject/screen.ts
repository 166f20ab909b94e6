/**
 * Injecting an edited screen (issue #20): a definition's `screens` entry names the blocks that
 * hold one picture's tiles, map and palette; the edited PNG is re-converted over them
 * (`reconvertScreen`, docs/convert.md: unchanged tiles keep their numbers, tiles no longer used
 * keep their bytes) and the blobs go through `injectSprites` as one transaction, so every rule
 * of injection holds (variant check, overlaps, fit or relocation, verify, atomic write).
 */
import { decodePng } from '../gfx/png.js';
import { decodeTiles, getTileFormat } from '../gfx/formats.js';
import { reconvertScreen } from '../convert/convert.js';
import type { ConvertResult } from '../convert/types.js';
import { getTargetSpec, type ConvertTarget } from '../convert/targets.js';
import { ImageSizeError, InvalidArgumentError, SpriteNotFoundError } from '../errors.js';
import type { GameDefinition, ScreenDef } from '../defs/types.js';
import { openRom } from '../rom/rom.js';
import { chooseVariant } from './check.js';
import { injectSprites, type InjectOptions, type InjectResult } from './inject.js';
import type { SpriteEdit } from './plan.js';
import { readSpriteBlock, resolveSprites } from './sprites.js';

/** What `injectScreen` did: the injection's result and the re-conversion it wrote. */
export interface InjectScreenResult extends InjectResult {
  screen: string;
  conversion: ConvertResult;
}

/** The definition's screen named `name`, or `SpriteNotFoundError` naming the screens there are. */
export function findScreen(definition: GameDefinition, name: string): ScreenDef {
  const screen = definition.screens?.find((s) => s.name === name);
  if (!screen) {
    const names = (definition.screens ?? []).map((s) => s.name);
    throw new SpriteNotFoundError(name, `the screens of game definition ${definition.id} (${names.length > 0 ? names.join(', ') : 'none declared'})`);
  }
  return screen;
}

/**
 * Re-converts the edited screen `png` (PNG file bytes) over the ROM's current tiles, map and
 * palette of `screenName` and injects the three blocks in one transaction. New tiles past the
 * tiles block's end need `allowResize` (the block grows, and moves if it must); the map and the
 * palette keep their sizes (an edited screen of another size, or needing more palette bytes than
 * the block holds, is refused).
 */
export function injectScreen(romPath: string, definition: GameDefinition, screenName: string, png: Uint8Array, options: InjectOptions = {}): InjectScreenResult {
  const screen = findScreen(definition, screenName);
  const image = decodePng(png);
  const rom = openRom(romPath);
  let conversion: ConvertResult;
  const edits: SpriteEdit[] = [];
  try {
    const choice = chooseVariant(rom, definition, options, romPath);
    const sprites = new Map(resolveSprites(rom, definition, choice.variant).map((s) => [s.name, s]));
    const blockOf = (name: string) => {
      const sprite = sprites.get(name)!;
      // A raw block's bytes are a view of the read-only mapping, closed below: copy them (a
      // Buffer's slice() would be another view, and writing the palette into it would fault).
      return { sprite, data: new Uint8Array(readSpriteBlock(rom.data, sprite, definition.source).data) };
    };
    const tiles = blockOf(screen.tiles);
    const map = blockOf(screen.map);
    const palette = screen.palette !== undefined ? blockOf(screen.palette) : undefined;
    conversion = reconvertScreen(
      image,
      { tiles: tiles.data, map: map.data, ...(palette ? { palette: palette.data } : {}) },
      { target: screen.target as ConvertTarget, ...(screen.bpp !== undefined ? { bpp: screen.bpp } : {}) },
    );
    // The re-converted tiles are in the target's format; the tiles entry must store that format.
    const targetFormat = getTileFormat(getTargetSpec(conversion.target).tileFormat(conversion.bpp));
    if (tiles.sprite.format !== targetFormat) {
      throw new InvalidArgumentError(`screen "${screen.name}": its tiles entry "${screen.tiles}" is ${tiles.sprite.format.name}, a ${conversion.target} screen at ${conversion.bpp} bpp stores ${targetFormat.name}`, { screen: screen.name });
    }
    edits.push({ sprite: screen.tiles, indices: decodeTiles(tiles.sprite.format, conversion.tiles) });
    if (conversion.map.length !== map.data.length) {
      throw new ImageSizeError(`screen "${screen.name}": the edited screen's map is ${conversion.map.length} bytes, the map entry "${screen.map}" holds ${map.data.length}: keep the screen's size`, { screen: screen.name, expected: map.data.length, actual: conversion.map.length });
    }
    edits.push({ sprite: screen.map, bytes: conversion.map });
    if (palette) {
      const old = palette.data;
      if (conversion.palette.length > old.length) {
        throw new ImageSizeError(`screen "${screen.name}": the edited screen needs ${conversion.palette.length} palette bytes, the palette entry "${screen.palette}" holds ${old.length}`, { screen: screen.name, expected: old.length, actual: conversion.palette.length });
      }
      // Sub-palettes past the ones the screen uses keep their colours (other art may use them).
      const bytes = new Uint8Array(old);
      bytes.set(conversion.palette);
      edits.push({ sprite: palette.sprite.name, bytes });
    }
  } finally {
    rom.close();
  }
  return { ...injectSprites(romPath, definition, edits, options), screen: screen.name, conversion };
}
