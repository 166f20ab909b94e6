/**
 * Which definition (and which regional variant) recognises a ROM. Evidence is tried strongest
 * first: CRC-32 of the ROM data, then SHA-1, then the header checksum, then the header title. The
 * first level at which any variant matches decides; within a level, definitions are tried in
 * the order given.
 */
import type { Platform } from '../rom/platform.js';
import type { Rom } from '../rom/rom.js';
import type { DefLocation, FreeRange, GameDefinition, PointerDef, PointerLocation, SpriteDef, Variant } from './types.js';

/** What is known about a ROM for matching. */
export interface RomFacts {
  crc32: number;
  sha1: string;
  /** The checksum stored in the header (SNES checksum, GB global, GBA complement, MD). */
  headerChecksum?: number;
  title?: string;
  platform?: Platform;
  size?: number;
}

/** What identified a ROM as a definition's variant, strongest first: CRC32, SHA-1, header checksum, title. */
export type MatchEvidence = 'crc32' | 'sha1' | 'headerChecksum' | 'title';
/** The order `matchDefinition` tries evidence in: the first level where any variant matches wins. */
export const matchEvidenceOrder: readonly MatchEvidence[] = ['crc32', 'sha1', 'headerChecksum', 'title'];

/** The definition and variant that recognised a ROM, with the evidence used. */
export interface DefinitionMatch {
  definition: GameDefinition;
  variant: Variant;
  matchedBy: MatchEvidence;
  /** Other definition/variant pairs that matched at the same level (the first one wins). */
  alsoMatched: { definition: string; variant: string }[];
}

/** The facts `matchDefinition` needs, from an open ROM. */
export function romFacts(rom: Rom): RomFacts {
  const identity = rom.identity();
  const facts: RomFacts = { crc32: identity.crc32, sha1: identity.sha1, platform: rom.platform, size: rom.size };
  const title = rom.title();
  if (title) facts.title = title;
  const checksums = rom.checksums();
  if (checksums) facts.headerChecksum = checksums.stored;
  return facts;
}

function normaliseTitle(title: string): string {
  return title.trim().replace(/\s+/gu, ' ').toUpperCase();
}

function platformsAgree(definition: GameDefinition, platform: Platform | undefined): boolean {
  if (platform === undefined || platform === 'unknown') return true;
  if (definition.platform === platform) return true;
  // A GBC-enhanced cartridge and a DMG one share a header layout; definitions may say either.
  return (definition.platform === 'gb' || definition.platform === 'gbc') && (platform === 'gb' || platform === 'gbc');
}

function variantMatches(variant: Variant, facts: RomFacts, level: MatchEvidence): boolean {
  const titleAgrees = variant.title === undefined || facts.title === undefined || normaliseTitle(variant.title) === normaliseTitle(facts.title);
  switch (level) {
    case 'crc32':
      return variant.crc32 !== undefined && variant.crc32 === facts.crc32 >>> 0;
    case 'sha1':
      return variant.sha1 !== undefined && variant.sha1 === facts.sha1.toLowerCase();
    case 'headerChecksum':
      // A 16-bit checksum collides across games; a title the variant gives must agree too.
      return variant.headerChecksum !== undefined && facts.headerChecksum !== undefined && variant.headerChecksum === facts.headerChecksum && titleAgrees;
    case 'title':
      return variant.title !== undefined && facts.title !== undefined && titleAgrees && (variant.size === undefined || facts.size === undefined || variant.size === facts.size);
  }
}

/** The definition and variant that recognise a ROM, or undefined. */
export function matchDefinition(definitions: readonly GameDefinition[], facts: RomFacts): DefinitionMatch | undefined {
  for (const level of matchEvidenceOrder) {
    let match: DefinitionMatch | undefined;
    for (const definition of definitions) {
      if (!platformsAgree(definition, facts.platform)) continue;
      for (const variant of definition.variants) {
        if (!variantMatches(variant, facts, level)) continue;
        if (!match) match = { definition, variant, matchedBy: level, alsoMatched: [] };
        else match.alsoMatched.push({ definition: definition.id, variant: variant.id });
      }
    }
    if (match) return match;
  }
  return undefined;
}

/** Where a sprite is in a variant (its variant offset, or the default). */
export function spriteLocation(sprite: SpriteDef, variantId: string | undefined): DefLocation {
  return (variantId !== undefined ? sprite.variantOffsets[variantId] : undefined) ?? sprite.offset;
}

/** Where a pointer is stored in a variant. */
export function pointerLocation(pointer: PointerDef, variantId: string | undefined): PointerLocation {
  const override = variantId !== undefined ? pointer.variantAt[variantId] : undefined;
  if (override) return override;
  return pointer.bankAt ? { at: pointer.at, bankAt: pointer.bankAt } : { at: pointer.at };
}

/** The free ranges that apply to a variant, sorted by start. */
export function freeSpaceFor(definition: GameDefinition, variantId: string | undefined): FreeRange[] {
  return definition.freeSpace
    .filter((r) => !r.variants || (variantId !== undefined && r.variants.includes(variantId)))
    .sort((a, b) => a.start - b.start);
}

/** A definition location as a ROM offset: offsets as they are, bus addresses through the ROM's mapping. */
export function resolveDefLocation(location: DefLocation, mapping: { fromBusAddress(address: number): number }): number {
  return location.kind === 'offset' ? location.value : mapping.fromBusAddress(location.value);
}
