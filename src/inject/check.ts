/**
 * A game definition held to the ROM it is used with, before anything is written. The one rule of
 * injection is that a write never reaches a byte the ROM's own data does not give to it; this
 * module works out what the data gives (docs/injection-safety.md):
 *
 * - which variant of the definition recognises the ROM (`chooseVariant`): a definition for
 *   another game is refused unless the caller names a variant or forces it;
 * - where each sprite's block is and how many bytes decoding it says it occupies (packed length,
 *   or tiles × bytes per tile for raw blocks), against the definition's `storedLength`;
 * - every overlap between sprites, pointer slots and declared free space.
 *
 * `romgfx defs check` prints the report; `planInjection` runs the same survey first and uses its
 * ownership map for in-place slots, the free-space allocator and a last guard over every write.
 */
import { DefinitionNoMatchError, UsageError, hex, isRomgfxError, type ErrorDetails } from '../errors.js';
import { freeSpaceFor, matchDefinition, resolveDefLocation, romFacts, type MatchEvidence } from '../defs/match.js';
import { pointerSlot, pointerWidthInBytes } from '../defs/pointers.js';
import type { GameDefinition } from '../defs/types.js';
import type { Rom } from '../rom/rom.js';
import { checkStoredLength, declaredUnpackedLength, decodeSpriteBlock, resolveEachSprite, type ResolvedSprite, type SpriteBlock, type SpriteResolution } from './sprites.js';

/** A report lists at most this many problems (a definition of 65,536 sprites could pair them all). */
export const maximumReportedProblems = 1000;

/** How the variant was chosen: by the evidence that matched, named by the caller, or forced without one. */
export type VariantChoiceReason = MatchEvidence | 'named' | 'forced';

/** The variant a definition is used with for one ROM. */
export interface VariantChoice {
  /** Variant id; undefined when forced without a match (the definition's default offsets apply). */
  variant: string | undefined;
  reason: VariantChoiceReason;
}

/** What the caller says about using a definition with a ROM it may not recognise. */
export interface VariantOptions {
  /** Use this variant of the definition (skips matching). */
  variant?: string;
  /** Use the definition even though no variant recognises the ROM (default offsets). */
  forceDefinition?: boolean;
}

function describeVariant(variant: GameDefinition['variants'][number]): string {
  const parts: string[] = [];
  if (variant.crc32 !== undefined) parts.push(`CRC-32 ${(variant.crc32 >>> 0).toString(16).padStart(8, '0')}`);
  if (variant.sha1 !== undefined) parts.push(`SHA-1 ${variant.sha1}`);
  if (variant.headerChecksum !== undefined) parts.push(`header checksum ${hex(variant.headerChecksum, 4)}`);
  if (variant.title !== undefined) parts.push(`title "${variant.title}"`);
  if (variant.size !== undefined) parts.push(`size ${variant.size}`);
  return `${variant.id} (${parts.join(', ')})`;
}

/**
 * The variant of `definition` to use with `rom`: the one named, else the one that recognises the
 * ROM (CRC-32, SHA-1, header checksum, title), else — only with `forceDefinition` — none.
 * Otherwise throws `DefinitionNoMatchError` saying what was compared: a definition for another
 * game would put its writes at that game's offsets.
 */
export function chooseVariant(rom: Rom, definition: GameDefinition, options: VariantOptions = {}, romName = rom.name): VariantChoice {
  if (options.variant !== undefined) {
    if (!definition.variants.some((v) => v.id === options.variant)) {
      throw new UsageError(`${definition.source}: no variant "${options.variant}"; the definition has ${definition.variants.map((v) => v.id).join(', ') || 'none'}`, {
        variant: options.variant,
        variants: definition.variants.map((v) => v.id),
      });
    }
    return { variant: options.variant, reason: 'named' };
  }
  const facts = romFacts(rom);
  const match = matchDefinition([definition], facts);
  if (match) return { variant: match.variant.id, reason: match.matchedBy };
  if (options.forceDefinition) return { variant: undefined, reason: 'forced' };
  const romSide = [
    `platform ${facts.platform ?? 'unknown'}`,
    `CRC-32 ${facts.crc32.toString(16).padStart(8, '0')}`,
    `SHA-1 ${facts.sha1}`,
    ...(facts.headerChecksum !== undefined ? [`header checksum ${hex(facts.headerChecksum, 4)}`] : []),
    ...(facts.title !== undefined ? [`title "${facts.title}"`] : []),
    `size ${facts.size ?? rom.size}`,
  ].join(', ');
  const details: ErrorDetails = {
    definition: definition.id,
    source: definition.source,
    compared: {
      rom: { platform: facts.platform ?? null, crc32: facts.crc32.toString(16).padStart(8, '0'), sha1: facts.sha1, headerChecksum: facts.headerChecksum ?? null, title: facts.title ?? null, size: facts.size ?? rom.size },
      definitionPlatform: definition.platform,
      variants: definition.variants.map((v) => describeVariant(v)),
    },
  };
  throw new DefinitionNoMatchError(romName, 1, {
    text: `${definition.source} (${definition.id}, ${definition.platform}) compared the ROM's ${romSide} with variant(s) ${definition.variants.map(describeVariant).join('; ')}; name a variant with --variant <id>, or pass --force-definition to use its default offsets anyway`,
    details,
  });
}

/** A range of ROM bytes someone owns: [start, end). */
export interface OwnedRange {
  start: number;
  end: number;
  /** The sprite (or the pointer's target sprite) that owns it. */
  owner: string;
  kind: 'sprite' | 'pointer';
  /** Human-readable: `sprite "ball"`, `pointer to "ball" at 0x8020`. */
  what: string;
  /** The extent is what the definition says (the block did not resolve or decode), not what the ROM's data says: held back, never judged for overlaps. */
  guessed?: boolean;
}

/** One sprite as the check found it. */
export interface CheckedSprite {
  name: string;
  ok: boolean;
  /** ROM offset of the block now (through its pointers when it has any); null when it does not resolve. */
  offset: number | null;
  /** Where the definition puts it. */
  definitionOffset: number | null;
  from: 'definition' | 'pointers' | null;
  codec: string;
  /** Bytes the stored stream takes (decoded), and the slot it occupies in place (word padding counted). */
  packedLength: number | null;
  slotLength: number | null;
  /** The definition's storedLength, when it applies. */
  storedLength: number | null;
  tileCount: number | null;
  unpackedLength: number | null;
  error?: { code: string; message: string };
}

/** One declared pointer: where it is stored and what it holds. */
export interface CheckedPointer {
  target: string;
  form: string;
  at: number;
  end: number;
  bankAt?: number;
}

/** What kind of contradiction a problem is. */
export type DefinitionProblemKind = 'unresolved' | 'undecodable' | 'stored-length' | 'overlap' | 'free-overlaps-pointer' | 'free-overlaps-sprite';

/** Something in the definition that contradicts the ROM. */
export interface DefinitionProblem {
  kind: DefinitionProblemKind;
  message: string;
  sprite?: string;
  /** The ranges involved, with what each is. */
  ranges: { what: string; start: number; end: number }[];
}

/** What `checkDefinitionAgainstRom` (and `romgfx defs check`) reports. */
export interface DefinitionCheckReport {
  definition: string;
  source: string;
  variant: string | null;
  variantChosenBy: VariantChoiceReason;
  sprites: CheckedSprite[];
  pointers: CheckedPointer[];
  /** The declared free ranges of the variant, clipped to the ROM. */
  freeSpace: { start: number; end: number }[];
  problems: DefinitionProblem[];
  /** True when more problems were found than are listed. */
  problemsTruncated: boolean;
  /** Things worth knowing that are not errors (a sprite running into free space, free space past the ROM's end). */
  notes: string[];
  ok: boolean;
}

/**
 * Owned ranges sorted by start, for the planner's questions — what overlaps [start, end), where
 * the next owner starts — in logarithmic time (a definition may hold 65,536 sprites and as many pointers).
 */
export class OwnedIndex {
  readonly ranges: readonly OwnedRange[];
  readonly #longest: number;

  constructor(owned: readonly OwnedRange[]) {
    this.ranges = [...owned].sort((a, b) => a.start - b.start);
    this.#longest = this.ranges.reduce((m, r) => Math.max(m, r.end - r.start), 0);
  }

  /** Index of the first range whose start is at or after `position`. */
  #lowerBound(position: number): number {
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ranges[mid]!.start < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Every range that shares a byte with [start, end). */
  overlapping(start: number, end: number): OwnedRange[] {
    const out: OwnedRange[] = [];
    for (let i = this.#lowerBound(start - this.#longest); i < this.ranges.length && this.ranges[i]!.start < end; i++) {
      const r = this.ranges[i]!;
      if (r.end > start) out.push(r);
    }
    return out;
  }

  /** Every range that starts in [start, end). */
  startingIn(start: number, end: number): OwnedRange[] {
    const out: OwnedRange[] = [];
    for (let i = this.#lowerBound(start); i < this.ranges.length && this.ranges[i]!.start < end; i++) out.push(this.ranges[i]!);
    return out;
  }
}

/** The survey injection plans with: the report plus the decoded blocks and the ownership map. */
export interface DefinitionSurvey {
  report: DefinitionCheckReport;
  resolutions: SpriteResolution[];
  /** Decoded blocks of the sprites that decode, by name. */
  blocks: Map<string, SpriteBlock>;
  /** Every range in use: each sprite's slot (or what the definition says it takes, when it does not decode) and each pointer's bytes. */
  owned: OwnedRange[];
  /** The same, indexed by position. */
  ownedIndex: OwnedIndex;
  /** Declared free space of the variant, clipped to the ROM, sorted. */
  free: { start: number; end: number }[];
}

function range(start: number, end: number): string {
  return `${hex(start)}-${hex(end)}`;
}

function errorSummary(error: unknown): { code: string; message: string } {
  return isRomgfxError(error) ? { code: error.code, message: error.message } : { code: 'ERR_INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** Bytes a sprite that does not decode is held to take: what the definition declares, at least one. */
function declaredExtent(sprite: ResolvedSprite): number {
  return Math.max(1, sprite.def.storedLength ?? declaredUnpackedLength(sprite) ?? 1);
}

/**
 * Surveys a definition against a ROM for one variant: resolves and decodes every sprite, reads
 * every pointer slot, and lists every problem. Pure over the ROM bytes; throws only for bugs.
 */
export function surveyDefinition(rom: Rom, definition: GameDefinition, choice: VariantChoice): DefinitionSurvey {
  const variant = choice.variant;
  const resolutions = resolveEachSprite(rom, definition, variant);
  const problems: DefinitionProblem[] = [];
  const notes: string[] = [];
  let problemsTruncated = false;
  const problem = (p: DefinitionProblem): void => {
    if (problems.length < maximumReportedProblems) problems.push(p);
    else problemsTruncated = true;
  };
  const blocks = new Map<string, SpriteBlock>();
  const owned: OwnedRange[] = [];
  const sprites: CheckedSprite[] = [];
  /** Sprites found through their pointers away from the definition's offset: relocated into free space by an earlier run. */
  const relocated = new Set<string>();

  for (const resolution of resolutions) {
    if (!resolution.ok) {
      const def = definition.sprites[resolution.index]!;
      let definitionOffset: number | null = null;
      try {
        definitionOffset = resolveDefLocation(def.offset, rom);
      } catch {
        definitionOffset = null;
      }
      sprites.push({ name: resolution.name, ok: false, offset: null, definitionOffset, from: null, codec: def.codec, packedLength: null, slotLength: null, storedLength: def.storedLength ?? null, tileCount: null, unpackedLength: null, error: errorSummary(resolution.error) });
      problem({ kind: 'unresolved', sprite: resolution.name, message: `sprite "${resolution.name}" cannot be located: ${resolution.error.message}`, ranges: [] });
      // Hold back where the definition puts it: the bytes may still be its.
      if (definitionOffset !== null && definitionOffset < rom.size) {
        const length = def.storedLength ?? def.byteLength ?? (def.tileCount ?? 1) * 64;
        owned.push({ start: definitionOffset, end: Math.min(rom.size, definitionOffset + length), owner: resolution.name, kind: 'sprite', what: `sprite "${resolution.name}" (where the definition puts it)`, guessed: true });
      }
      continue;
    }
    const sprite = resolution.sprite;
    const from = sprite.pointers.length > 0 ? 'pointers' : 'definition';
    if (sprite.offset !== sprite.definedOffset) relocated.add(sprite.name);
    const checked: CheckedSprite = {
      name: sprite.name,
      ok: true,
      offset: sprite.offset,
      definitionOffset: sprite.definedOffset,
      from,
      codec: sprite.codec,
      packedLength: null,
      slotLength: null,
      storedLength: sprite.offset === sprite.definedOffset ? (sprite.def.storedLength ?? null) : null,
      tileCount: null,
      unpackedLength: null,
    };
    let block: SpriteBlock;
    try {
      block = decodeSpriteBlock(rom.data, sprite, definition.source);
    } catch (error) {
      if (!isRomgfxError(error)) throw error;
      checked.ok = false;
      checked.error = errorSummary(error);
      sprites.push(checked);
      problem({ kind: 'undecodable', sprite: sprite.name, message: `sprite "${sprite.name}" at ${hex(sprite.offset)} does not decode: ${error.message}`, ranges: [] });
      owned.push({ start: sprite.offset, end: Math.min(rom.size, sprite.offset + declaredExtent(sprite)), owner: sprite.name, kind: 'sprite', what: `sprite "${sprite.name}" (undecodable; as declared)`, guessed: true });
      continue;
    }
    blocks.set(sprite.name, block);
    checked.packedLength = block.packedLength;
    checked.slotLength = block.slotLength;
    checked.tileCount = block.tileCount;
    checked.unpackedLength = block.data.length;
    try {
      checkStoredLength(block, sprite, definition.source);
    } catch (error) {
      if (!isRomgfxError(error)) throw error;
      checked.ok = false;
      checked.error = errorSummary(error);
      problem({
        kind: 'stored-length',
        sprite: sprite.name,
        message: `sprite "${sprite.name}" at ${hex(sprite.offset)}: storedLength ${block.storedLength} bytes, but decoding the block says it occupies ${block.slotLength} (${range(sprite.offset, sprite.offset + block.slotLength)})`,
        ranges: [
          { what: `sprite "${sprite.name}" as decoded`, start: sprite.offset, end: sprite.offset + block.slotLength },
          { what: `sprite "${sprite.name}" as declared`, start: sprite.offset, end: sprite.offset + block.storedLength! },
        ],
      });
    }
    sprites.push(checked);
    // The stream's own bytes are what overlaps are judged on; word padding is clipped at the next owner when planning.
    owned.push({ start: sprite.offset, end: sprite.offset + block.packedLength, owner: sprite.name, kind: 'sprite', what: `sprite "${sprite.name}"` });
  }

  const pointers: CheckedPointer[] = [];
  for (const pointer of definition.pointers) {
    let slot;
    try {
      slot = pointerSlot(pointer, variant, rom);
    } catch (error) {
      if (!isRomgfxError(error)) throw error;
      problem({ kind: 'unresolved', sprite: pointer.target, message: `pointer to "${pointer.target}" at ${pointer.at.text} cannot be located: ${error.message}`, ranges: [] });
      continue;
    }
    const end = slot.at + pointerWidthInBytes(slot.form);
    const checked: CheckedPointer = { target: pointer.target, form: slot.form, at: slot.at, end };
    if (slot.bankAt !== undefined) checked.bankAt = slot.bankAt;
    pointers.push(checked);
    owned.push({ start: slot.at, end, owner: pointer.target, kind: 'pointer', what: `pointer to "${pointer.target}" at ${hex(slot.at)}` });
    if (slot.bankAt !== undefined) owned.push({ start: slot.bankAt, end: slot.bankAt + 1, owner: pointer.target, kind: 'pointer', what: `bank byte of the pointer to "${pointer.target}" at ${hex(slot.bankAt)}` });
  }

  const free: { start: number; end: number }[] = [];
  for (const r of freeSpaceFor(definition, variant)) {
    if (r.start >= rom.size) {
      notes.push(`free range ${range(r.start, r.end)} is past the end of the ${hex(rom.size)}-byte ROM: ignored`);
      continue;
    }
    if (r.end > rom.size) notes.push(`free range ${range(r.start, r.end)} runs past the end of the ${hex(rom.size)}-byte ROM: clipped`);
    free.push({ start: r.start, end: Math.min(r.end, rom.size) });
  }

  // Overlaps: one sweep over everything sorted by start; `active` holds the ranges not yet ended.
  type Item = { start: number; end: number; what: string; kind: 'sprite' | 'pointer' | 'free'; owner: string };
  const items: Item[] = [...owned.filter((o) => !o.guessed).map((o) => ({ ...o })), ...free.map((f) => ({ ...f, what: `free range ${range(f.start, f.end)}`, kind: 'free' as const, owner: '' }))];
  items.sort((a, b) => a.start - b.start || a.end - b.end);
  let active: Item[] = [];
  for (const item of items) {
    active = active.filter((a) => a.end > item.start);
    for (const other of active) {
      const [a, b] = [other, item];
      const start = Math.max(a.start, b.start);
      const end = Math.min(a.end, b.end);
      if (end <= start) continue;
      const ranges = [
        { what: a.what, start: a.start, end: a.end },
        { what: b.what, start: b.start, end: b.end },
      ];
      if (a.kind === 'free' && b.kind === 'free') continue; // overlapping free ranges just merge
      if (a.kind === 'free' || b.kind === 'free') {
        const owner = a.kind === 'free' ? b : a;
        const freeRange = a.kind === 'free' ? a : b;
        if (owner.kind === 'pointer') {
          problem({ kind: 'free-overlaps-pointer', sprite: owner.owner, message: `${freeRange.what} overlaps ${owner.what} (${range(owner.start, owner.end)}) at ${range(start, end)}`, ranges });
        } else if (relocated.has(owner.owner)) {
          // Put there by an earlier relocation (its pointers lead there): in use, and held back from the allocator.
        } else if (owner.start >= freeRange.start) {
          problem({ kind: 'free-overlaps-sprite', sprite: owner.owner, message: `${freeRange.what} overlaps ${owner.what} (${range(owner.start, owner.end)}) at ${range(start, end)}`, ranges });
        } else {
          notes.push(`${owner.what} (${range(owner.start, owner.end)}) runs ${end - start} byte(s) into ${freeRange.what}: those bytes are in use and never handed out`);
        }
        continue;
      }
      if (a.owner === b.owner && a.kind !== b.kind) {
        problem({ kind: 'overlap', sprite: a.owner, message: `${a.what} (${range(a.start, a.end)}) and ${b.what} (${range(b.start, b.end)}) overlap at ${range(start, end)}: a sprite's pointer inside its own block`, ranges });
        continue;
      }
      problem({ kind: 'overlap', sprite: a.owner, message: `${a.what} (${range(a.start, a.end)}) and ${b.what} (${range(b.start, b.end)}) overlap at ${range(start, end)}`, ranges });
    }
    active.push(item);
  }

  const report: DefinitionCheckReport = {
    definition: definition.id,
    source: definition.source,
    variant: variant ?? null,
    variantChosenBy: choice.reason,
    sprites,
    pointers,
    freeSpace: free,
    problems,
    problemsTruncated,
    notes,
    ok: problems.length === 0,
  };
  return { report, resolutions, blocks, owned, ownedIndex: new OwnedIndex(owned), free };
}

/**
 * Holds a game definition to a ROM: chooses the variant (refusing a definition that does not
 * recognise the ROM unless `options` names a variant or forces it), decodes every sprite,
 * compares declared and real sizes, and reports every overlap of sprites, pointer slots and
 * free space, with offsets. `inject`/`inject-all` run the same checks before planning anything;
 * `romgfx defs check` prints this report.
 */
export function checkDefinitionAgainstRom(rom: Rom, definition: GameDefinition, options: VariantOptions = {}): DefinitionCheckReport {
  return surveyDefinition(rom, definition, chooseVariant(rom, definition, options)).report;
}
