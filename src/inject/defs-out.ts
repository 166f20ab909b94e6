/**
 * The game definition of an injection's output ROM (`--defs-out`): what the input's definition
 * says, moved to where the transaction put things, so the next extract-all, inject or
 * `defs check` of the output reads the new sizes and finds nothing to contradict.
 *
 * - a sprite whose tile count changed (`--allow-resize`) gets the new tileCount (and byteLength);
 * - a relocated sprite's offset (its variant's offset when it has one) becomes the new one, and
 *   its storedLength the new packed length; the slot it left becomes free space;
 * - a block written in place gets its new storedLength when it declared one; declared free space
 *   a block now occupies (grown in place, or relocated into) is cut out of the free ranges;
 * - the variant used is the output ROM's: its CRC-32, SHA-1 and header checksum (where the
 *   definition gave them) become the output's, since its offsets now describe the output.
 */
import { hex } from '../errors.js';
import type { DefLocation, FreeRange, GameDefinition, SpriteDef, Variant } from '../defs/types.js';
import type { InjectionPlan } from './plan.js';

/** What identifies the output ROM (Rom.identity() and the fixed header checksum). */
export interface OutputIdentity {
  crc32: number;
  sha1: string;
  headerChecksum?: number;
}

function offsetLocation(offset: number): DefLocation {
  return { kind: 'offset', value: offset, text: hex(offset) };
}

function cut(ranges: readonly FreeRange[], start: number, end: number): FreeRange[] {
  const out: FreeRange[] = [];
  for (const r of ranges) {
    if (r.end <= start || r.start >= end) {
      out.push(r);
      continue;
    }
    if (r.start < start) out.push({ ...r, end: start });
    if (r.end > end) out.push({ ...r, start: end });
  }
  return out;
}

/**
 * The definition of the output ROM of `plan` (see the module comment). Pure: a new definition,
 * the input's untouched.
 */
export function definitionAfterInjection(definition: GameDefinition, plan: InjectionPlan, output: OutputIdentity): GameDefinition {
  const variantId = plan.variant;
  const byName = new Map(plan.sprites.map((s) => [s.sprite, s]));
  let freeSpace: FreeRange[] = definition.freeSpace.map((r) => ({ ...r }));
  const sprites: SpriteDef[] = definition.sprites.map((sprite) => {
    const planned = byName.get(sprite.name);
    if (!planned || planned.outcome === 'unchanged') return sprite;
    const next: SpriteDef = { ...sprite, variantOffsets: { ...sprite.variantOffsets } };
    if (planned.tileCount !== planned.oldTileCount || sprite.tileCount !== undefined) next.tileCount = planned.tileCount;
    if (sprite.byteLength !== undefined) next.byteLength = planned.unpacked.length;
    if (planned.outcome === 'relocated') {
      if (variantId !== undefined && sprite.variantOffsets[variantId]) next.variantOffsets[variantId] = offsetLocation(planned.newOffset);
      else next.offset = offsetLocation(planned.newOffset);
      if (sprite.storedLength !== undefined) next.storedLength = planned.newPackedLength;
    } else if (sprite.storedLength !== undefined) next.storedLength = planned.newPackedLength;
    freeSpace = cut(freeSpace, planned.newOffset, planned.newOffset + planned.newPackedLength);
    return next;
  });
  for (const freed of plan.freedRanges) {
    freeSpace.push({ start: freed.start, end: freed.end, ...(variantId !== undefined && definition.variants.length > 1 ? { variants: [variantId] } : {}), notes: 'left by a relocated block' });
  }
  freeSpace.sort((a, b) => a.start - b.start);
  const variants: Variant[] = definition.variants.map((v) => {
    if (v.id !== variantId) return v;
    const next: Variant = { ...v };
    if (v.crc32 !== undefined) next.crc32 = output.crc32 >>> 0;
    if (v.sha1 !== undefined) next.sha1 = output.sha1.toLowerCase();
    if (v.headerChecksum !== undefined && output.headerChecksum !== undefined) next.headerChecksum = output.headerChecksum;
    return next;
  });
  return { ...definition, variants, sprites, freeSpace };
}
