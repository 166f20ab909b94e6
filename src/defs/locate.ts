/**
 * Where a sprite is in a given ROM. A definition's `offset` says where the block was in the ROM
 * the definition was written for; when the definition also declares pointers to the sprite, the
 * pointers say where the block is *now* — after an injection relocated it, the offset is stale
 * but the pointers were rewritten. The game follows the pointers, so romgfx does too.
 */
import { PointersDisagreeError, hex } from '../errors.js';
import type { Rom } from '../rom/rom.js';
import { resolveDefLocation, spriteLocation } from './match.js';
import { pointerSlot, readPointer, type PointerSlot } from './pointers.js';
import type { GameDefinition, PointerDef, SpriteDef } from './types.js';

/** Where a sprite's block is in one ROM, and whether that came from the definition or from its pointers. */
export interface SpriteLocation {
  /** ROM offset of the block in this ROM. */
  offset: number;
  /** Where the offset came from: the definition's static offset or the declared pointers. */
  from: 'definition' | 'pointers';
  /** The definition's own offset (differs from `offset` when the sprite was relocated). */
  definitionOffset: number;
  /** Each declared pointer's slot and the offset it holds. */
  pointers: { slot: PointerSlot; offset: number }[];
}

/**
 * Each definition's pointers grouped by target, built once per pointer list (and again if the
 * list's length changes): resolving every sprite stays linear in the definition's size.
 */
const pointersByTarget = new WeakMap<readonly PointerDef[], { count: number; byTarget: Map<string, PointerDef[]> }>();

function pointersTo(definition: GameDefinition, name: string): readonly PointerDef[] {
  let cached = pointersByTarget.get(definition.pointers);
  if (!cached || cached.count !== definition.pointers.length) {
    const byTarget = new Map<string, PointerDef[]>();
    for (const pointer of definition.pointers) {
      const list = byTarget.get(pointer.target);
      if (list) list.push(pointer);
      else byTarget.set(pointer.target, [pointer]);
    }
    cached = { count: definition.pointers.length, byTarget };
    pointersByTarget.set(definition.pointers, cached);
  }
  return cached.byTarget.get(name) ?? [];
}

/**
 * The sprite's block offset in `rom`: its declared pointers when it has any (they must all agree),
 * else its definition offset. A pointer that cannot be read, or pointers that disagree, are
 * errors: guessing would extract or overwrite the wrong bytes.
 */
export function locateSprite(rom: Rom, definition: GameDefinition, sprite: SpriteDef, variantId: string | undefined): SpriteLocation {
  const definitionOffset = resolveDefLocation(spriteLocation(sprite, variantId), rom);
  const pointers: { slot: PointerSlot; offset: number }[] = [];
  for (const pointer of pointersTo(definition, sprite.name)) {
    const slot = pointerSlot(pointer, variantId, rom);
    pointers.push({ slot, offset: readPointer(rom.data, slot, rom).offset });
  }
  if (pointers.length === 0) return { offset: definitionOffset, from: 'definition', definitionOffset, pointers };
  const offset = pointers[0]!.offset;
  if (pointers.some((p) => p.offset !== offset)) {
    throw new PointersDisagreeError(
      `${definition.source}: the pointers to sprite "${sprite.name}" disagree: ${pointers.map((p) => `${hex(p.slot.at)} → ${hex(p.offset)}`).join(', ')}`,
      { sprite: sprite.name, pointers: pointers.map((p) => ({ at: p.slot.at, offset: p.offset })) },
    );
  }
  return { offset, from: 'pointers', definitionOffset, pointers };
}
