/**
 * The injection engine's core, pure over bytes: plan a transaction (per sprite: unchanged, in
 * place, or relocated to free space with every pointer rewritten), apply it to a writable copy,
 * and verify the result. File I/O lives in inject.ts.
 *
 * Rules (issue 5): the codec of a block is kept (uncompressed data never goes over a compressed
 * block); a block that does not fit its slot moves only into declared free space and only when
 * the definition declares pointers to rewrite; nothing spills into a neighbour; a sprite whose
 * tiles did not change keeps its original bytes, so extract → inject unchanged is byte-identical.
 */
import {
  BatchFailedError,
  DefinitionCheckFailedError,
  StoredLengthError,
  WriteOutsideSlotError,
  CodecCannotCompressError,
  InjectionConflictError,
  InjectionDoesNotFitError,
  InvalidArgumentError,
  SpriteNotFoundError,
  TileCountMismatchError,
  VerifyFailedError,
  hex,
  isRomgfxError,
  type RomgfxError,
} from '../errors.js';
import { encodeTiles } from '../gfx/formats.js';
import { readIndexedPng } from '../gfx/png.js';
import type { IndexedImage } from '../gfx/image.js';
import type { Palette } from '../gfx/palette.js';
import { encodePointer, readPointer, type PointerSlot } from '../defs/pointers.js';
import type { CodecName, GameDefinition, PointerForm } from '../defs/types.js';
import type { Rom } from '../rom/rom.js';
import type { ChecksumReport } from '../rom/checksum.js';
import { FreeSpaceAllocator, type FitStrategy } from './allocator.js';
import { chooseVariant, surveyDefinition, type DefinitionSurvey, type VariantChoiceReason } from './check.js';
import { compressBest } from './compress.js';
import { lz77UsesDistanceOne } from './vram.js';
import {
  codecFor,
  imageToTiles,
  readSpriteBlock,
  resolveSpritePalette,
  type ResolvedSprite,
  type SpriteBlock,
} from './sprites.js';

/** One sprite's new art. Give exactly one of `png`, `image`, `indices`. */
export interface SpriteEdit {
  /** The sprite's name in the definition. */
  sprite: string;
  /** PNG file bytes (indexed: indices kept; RGB: mapped exactly onto `palette` or the sprite's palette). */
  png?: Uint8Array;
  /** An indexed image laid out as extract writes it. */
  image?: IndexedImage;
  /** The tiles as an indices plane (64 bytes per tile, tile-major). */
  indices?: Uint8Array;
  /** Palette an RGB(A) PNG is mapped onto (default: the sprite's palette from the definition). */
  palette?: Palette;
  /** Map off-palette colours of an RGB PNG to the nearest palette colour instead of failing. */
  nearest?: boolean;
  /**
   * The block's whole decoded contents as bytes, same length as now (a map or a palette block a
   * re-converted screen rewrites; `injectScreen`). Give it instead of `png`, `image`, `indices`.
   */
  bytes?: Uint8Array;
  /** The file the edit came from (a PNG or its sidecar), named in failures. */
  file?: string;
}

/** Choices for planning an injection: resizing, alignment, fit strategy. */
export interface PlanOptions {
  /** Accept images with a different tile count than the block they replace. */
  allowResize?: boolean;
  /** Start alignment of relocated blocks (default: GBA 4, Mega Drive 2, else 1). */
  alignment?: number;
  /** How free space is chosen (default best-fit). */
  strategy?: FitStrategy;
  /** Let relocated blocks cross a bank boundary (SNES LoROM 32 KiB, HiROM 64 KiB, GB 16 KiB). */
  allowBankCrossing?: boolean;
  /** GBA LZ77/LZ11: always encode VRAM-safe (no distance-1 copies). LZ77 blocks whose original is VRAM-safe stay so without it. */
  vramSafe?: boolean;
  /** Definition variant id (default: the one that recognises the ROM). */
  variant?: string;
  /** Use the definition even when no variant recognises the ROM (its default offsets). */
  forceDefinition?: boolean;
  /** CGRAM colours for sprites whose palette is `{ cgram: n }`. */
  cgram?: Palette;
}

/** What injection did with a sprite: nothing (same bytes), rewrote it in its slot, or moved it to free space and repointed it. */
export type SpriteOutcome = 'unchanged' | 'in-place' | 'relocated';

/** A pointer rewritten because its block moved: where, and the value before and after. */
export interface RewrittenPointer {
  form: PointerForm;
  at: number;
  bankAt?: number;
  /** The value stored before and after (bus address or offset, as the form stores it). */
  before: number;
  after: number;
}

/** What the transaction does to one sprite. */
export interface PlannedSprite {
  sprite: string;
  outcome: SpriteOutcome;
  codec: CodecName;
  /** The compression level kept (smallest output, or the definition's pinned `level`; '' for raw or single-encoding codecs). */
  level: string;
  /** Sizes every level gave (empty for raw and unchanged). */
  levelsTried: { level: string; size: number }[];
  /** GBA LZ77/LZ11 encoded without distance-1 copies (asked for, or the original block was VRAM-safe). */
  vramSafe: boolean;
  oldOffset: number;
  newOffset: number;
  oldPackedLength: number;
  slotLength: number;
  newPackedLength: number;
  oldTileCount: number;
  tileCount: number;
  pointersRewritten: RewrittenPointer[];
  /** The old slot, returned to free space when the block moved. */
  freed?: { start: number; end: number };
  /** The bytes written at newOffset (empty when unchanged). */
  packed: Uint8Array;
  /** What decoding the block must give. */
  unpacked: Uint8Array;
  resolved: ResolvedSprite;
}

/** Bytes a plan writes into the ROM, and why (for the report and the overlap check). */
export interface ByteWrite {
  at: number;
  bytes: Uint8Array;
  what: string;
  /** The sprite the write belongs to, and whether it is the block or one of its pointers. */
  sprite: string;
  kind: 'block' | 'pointer';
}

/** Everything an injection will write, decided before any byte is written: per-sprite outcomes, the writes, the slots freed. */
export interface InjectionPlan {
  variant: string | undefined;
  /** How the variant was chosen (matched by CRC-32 …, named, or forced). */
  variantChosenBy: VariantChoiceReason;
  /** Notes of the definition check (not errors). */
  notes: string[];
  sprites: PlannedSprite[];
  writes: ByteWrite[];
  /** Slots vacated by relocated blocks (add them to the definition's freeSpace to reuse them later). */
  freedRanges: { start: number; end: number }[];
  /** True when at least one byte changes. */
  changes: boolean;
}

/** Default alignment of relocated blocks by platform: the GBA BIOS decompressors read words; the 68000 faults on odd word reads. */
function defaultAlignment(platform: string): number {
  return platform === 'gba' ? 4 : platform === 'md' ? 2 : 1;
}

/** The bank a relocated block must stay inside, by platform and mapping. */
export function bankSizeFor(rom: Rom): number {
  if (rom.platform === 'snes') return rom.mapping === 'hirom' || rom.mapping === 'exhirom' ? 0x10000 : 0x8000;
  if (rom.platform === 'gb' || rom.platform === 'gbc') return 0x4000;
  return 0;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function editIndices(edit: SpriteEdit, sprite: ResolvedSprite, block: SpriteBlock, rom: Rom, definition: GameDefinition, options: PlanOptions): { indices: Uint8Array; tileCount: number } {
  const given = [edit.png, edit.image, edit.indices].filter((v) => v !== undefined).length;
  if (given !== 1) throw new InvalidArgumentError(`edit of sprite "${edit.sprite}" must give exactly one of png, image, indices (got ${given})`, { sprite: edit.sprite });
  const allowResize = options.allowResize === true;
  if (edit.indices) {
    if (edit.indices.length === 0 || edit.indices.length % 64 !== 0) {
      throw new InvalidArgumentError(`edit of sprite "${edit.sprite}": ${edit.indices.length} indices is not a whole number of 8x8 tiles`, { sprite: edit.sprite });
    }
    const tileCount = edit.indices.length / 64;
    if (tileCount !== block.tileCount && !allowResize) throw new TileCountMismatchError(sprite.name, block.tileCount, tileCount, '(indices plane)');
    const maximum = (1 << sprite.format.bpp) - 1;
    for (let i = 0; i < edit.indices.length; i++) {
      if (edit.indices[i]! > maximum) throw new InvalidArgumentError(`edit of sprite "${edit.sprite}": index ${edit.indices[i]} at tile ${i >> 6} does not fit ${sprite.format.bpp} bpp`, { sprite: edit.sprite });
    }
    return { indices: edit.indices, tileCount };
  }
  let image = edit.image;
  if (edit.png) {
    const palette = edit.palette ?? resolveSpritePalette(rom, definition, sprite, options.cgram ? { cgram: options.cgram } : {}).palette;
    image = readIndexedPng(edit.png, { palette, nearest: edit.nearest === true });
  }
  return imageToTiles(image!, sprite, block.tileCount, allowResize);
}

interface Pending {
  edit: SpriteEdit;
  sprite: ResolvedSprite;
  block: SpriteBlock;
  unpacked: Uint8Array;
  tileCount: number;
  packed?: Uint8Array;
  level: string;
  levelsTried: { level: string; size: number }[];
  vramSafe: boolean;
}

/**
 * Plans a transaction. Nothing is written. Throws the sprite's error when one edit cannot be
 * done, or `BatchFailedError` listing every failure when several cannot (all or nothing).
 */
export function planInjection(rom: Rom, definition: GameDefinition, edits: readonly SpriteEdit[], options: PlanOptions = {}): InjectionPlan {
  const draft = draftInjection(rom, definition, edits, options);
  return draft.finish(draft.jobs.map((job) => prepareOrFailure(() => prepareSpriteEdit(rom, definition, job.edit, job.sprite, job.block, options))));
}

/** Runs one preparation; a RomgfxError becomes that edit's failure, anything else is a bug and is thrown. */
export function prepareOrFailure(prepare: () => PreparedEdit): PreparedEdit | RomgfxError {
  try {
    return prepare();
  } catch (error) {
    if (isRomgfxError(error)) return error;
    throw error;
  }
}

/** One edit's CPU-heavy part: its new decoded bytes and, when they differ from the block's, the packed stream (the smallest level). */
export interface PreparedEdit {
  unpacked: Uint8Array;
  tileCount: number;
  /** The bytes to write at the block (absent when `unpacked` equals the block's bytes). */
  packed?: Uint8Array;
  level: string;
  levelsTried: { level: string; size: number }[];
  vramSafe: boolean;
}

/** An edit that needs its pixels converted and packed (`prepareSpriteEdit`), with the sprite and block it replaces. */
export interface InjectionJob {
  edit: SpriteEdit;
  sprite: ResolvedSprite;
  block: SpriteBlock;
}

/**
 * A transaction split where the work is: `jobs` (each edit's conversion and packing, independent
 * of the others, what a worker pool can run) and `finish` (the rest of `planInjection` over their
 * results, given in the order of `jobs`). `planInjection` is `finish` over `jobs` run here, so a
 * pool that runs the same `prepareSpriteEdit` gives the same plan.
 */
export interface InjectionDraft {
  /** The definition variant the plan uses. */
  variant: string | undefined;
  jobs: InjectionJob[];
  finish(prepared: readonly (PreparedEdit | RomgfxError)[]): InjectionPlan;
}

/** The first half of `planInjection`: the definition checked against the ROM and each edit matched to its sprite and block (see `InjectionDraft`). */
export function draftInjection(rom: Rom, definition: GameDefinition, edits: readonly SpriteEdit[], options: PlanOptions = {}): InjectionDraft {
  const choice = chooseVariant(rom, definition, options);
  const variant = choice.variant;
  // The definition is held to the ROM first: overlaps and wrong lengths stop everything.
  const survey = surveyDefinition(rom, definition, choice);
  refuseContradictions(survey, definition);
  // Edited sprites must resolve; the others only matter as space in use (see buildAllocator).
  const resolutions = survey.resolutions;
  const sprites = resolutions.flatMap((r) => (r.ok ? [r.sprite] : []));
  const unresolved = resolutions.flatMap((r) => (r.ok ? [] : [r]));
  const spritesByName = new Map(sprites.map((s) => [s.name, s]));
  const unresolvedByName = new Map(unresolved.map((r) => [r.name, r]));
  const seen = new Set<string>();
  // Per edit, in order: its failure found here, or the index of its job.
  const steps: ({ edit: SpriteEdit; error: unknown } | { edit: SpriteEdit; job: number })[] = [];
  const jobs: InjectionJob[] = [];
  for (const edit of edits) {
    if (seen.has(edit.sprite)) {
      steps.push({ edit, error: new InjectionConflictError(`sprite "${edit.sprite}" is edited twice in one transaction`, { sprite: edit.sprite }) });
      continue;
    }
    seen.add(edit.sprite);
    try {
      const broken = unresolvedByName.get(edit.sprite);
      if (broken) throw broken.error;
      const sprite = spritesByName.get(edit.sprite);
      if (!sprite) throw new SpriteNotFoundError(edit.sprite, `game definition ${definition.id}`);
      const block = survey.blocks.get(sprite.name) ?? readSpriteBlock(rom.data, sprite, definition.source);
      steps.push({ edit, job: jobs.length });
      jobs.push({ edit, sprite, block });
    } catch (error) {
      if (!isRomgfxError(error)) throw error;
      steps.push({ edit, error });
    }
  }
  return {
    variant,
    jobs,
    finish(prepared) {
      if (prepared.length !== jobs.length) throw new InvalidArgumentError(`${prepared.length} prepared edit(s) given for ${jobs.length} job(s)`);
      const failures: { error: RomgfxError; sprite: string; file: string | null }[] = [];
      const fail = (error: unknown, edit: SpriteEdit): void => {
        if (isRomgfxError(error)) failures.push({ error, sprite: edit.sprite, file: edit.file ?? null });
        else throw error;
      };
      const pending: Pending[] = [];
      for (const step of steps) {
        if ('error' in step) {
          fail(step.error, step.edit);
          continue;
        }
        const job = jobs[step.job]!;
        const result = prepared[step.job]!;
        if (result instanceof Error) fail(result, step.edit);
        else pending.push({ ...result, edit: job.edit, sprite: job.sprite, block: job.block });
      }
      return arrangeInjection(rom, definition, edits, options, variant, choice.reason, survey, pending, failures);
    },
  };
}

/**
 * Converts one edit to the block's new decoded bytes and, when they changed, packs them at the
 * codec's best level (or the definition's pinned one): the CPU-heavy part of a transaction
 * (HAL and Nemesis `max` take 0.1-1 s a block). Pure over the ROM bytes; throws the edit's error.
 */
export function prepareSpriteEdit(rom: Rom, definition: GameDefinition, edit: SpriteEdit, sprite: ResolvedSprite, block: SpriteBlock, options: PlanOptions = {}): PreparedEdit {
  let unpacked: Uint8Array;
  let tileCount: number;
  if (edit.bytes !== undefined) {
    // Raw bytes replace the decoded block as it is: its size (and so its tile count) is kept.
    if ([edit.png, edit.image, edit.indices].some((v) => v !== undefined)) {
      throw new InvalidArgumentError(`edit of sprite "${edit.sprite}" must give exactly one of png, image, indices, bytes`, { sprite: edit.sprite });
    }
    if (edit.bytes.length !== block.data.length) {
      throw new InvalidArgumentError(`edit of sprite "${edit.sprite}": ${edit.bytes.length} bytes given, the block decodes to ${block.data.length}`, { sprite: edit.sprite, expected: block.data.length, actual: edit.bytes.length });
    }
    unpacked = edit.bytes;
    tileCount = block.tileCount;
  } else {
    const edited = editIndices(edit, sprite, block, rom, definition, options);
    tileCount = edited.tileCount;
    const tileBytes = encodeTiles(sprite.format, edited.indices);
    unpacked = new Uint8Array(tileBytes.length + block.trailing.length);
    unpacked.set(tileBytes);
    unpacked.set(block.trailing, tileBytes.length);
  }
  const item: PreparedEdit = { unpacked, tileCount, level: '', levelsTried: [], vramSafe: false };
  if (!bytesEqual(unpacked, block.data)) {
    const codec = codecFor(sprite);
    if (codec === null) item.packed = unpacked;
    else {
      if (!codec.canCompress) throw new CodecCannotCompressError(sprite.name, sprite.codec);
      // A VRAM-safe original (no distance-1 copies) may be decoded straight to VRAM by the game: keep it VRAM-safe.
      const vramSafe = options.vramSafe === true || (sprite.codec === 'lz77' && !lz77UsesDistanceOne(rom.data, sprite.offset));
      item.vramSafe = vramSafe;
      // A pinned level (the definition's `level`, e.g. `accurate` for byte-identical decomp rebuilds) is the only one tried.
      const pinned = sprite.def.level;
      const packed = compressBest(codec, unpacked, {
        vramSafe,
        ...(block.lz4Variant ? { variant: block.lz4Variant } : {}),
        ...(pinned !== undefined ? { levels: [pinned] } : {}),
      });
      // Only the stream itself is written: encoders may pad (GBA BIOS streams to a word), and the slot already counts the padding.
      const streamLength = codec.decompress(packed.bytes, 0, { outputSizeInBytes: unpacked.length, maximumOutputSizeInBytes: unpacked.length }).packedLength;
      item.packed = packed.bytes.subarray(0, streamLength);
      item.level = packed.level;
      item.levelsTried = packed.tried;
    }
  }
  return item;
}

/** The second half of a plan: slots, relocation, pointers, and the checks on the finished writes. */
function arrangeInjection(
  rom: Rom,
  definition: GameDefinition,
  edits: readonly SpriteEdit[],
  options: PlanOptions,
  variant: string | undefined,
  variantChosenBy: VariantChoiceReason,
  survey: DefinitionSurvey,
  pending: Pending[],
  failures: { error: RomgfxError; sprite: string; file: string | null }[],
): InjectionPlan {
  const fail = (error: unknown, edit: SpriteEdit): void => {
    if (isRomgfxError(error)) failures.push({ error, sprite: edit.sprite, file: edit.file ?? null });
    else throw error;
  };

  const planned: PlannedSprite[] = [];
  const writes: ByteWrite[] = [];
  const freedRanges: { start: number; end: number }[] = [];
  const base = (p: Pending): PlannedSprite => ({
    sprite: p.sprite.name,
    outcome: 'unchanged',
    codec: p.sprite.codec,
    level: p.level,
    levelsTried: p.levelsTried,
    vramSafe: p.vramSafe,
    oldOffset: p.sprite.offset,
    newOffset: p.sprite.offset,
    oldPackedLength: p.block.packedLength,
    slotLength: p.block.slotLength,
    newPackedLength: p.block.packedLength,
    oldTileCount: p.block.tileCount,
    tileCount: p.tileCount,
    pointersRewritten: [],
    packed: new Uint8Array(0),
    unpacked: p.unpacked,
    resolved: p.sprite,
  });

  // Pass 1: unchanged sprites and blocks that fit their own slot (plus adjacent declared free space).
  const allocator = buildAllocator(rom, survey, options);
  const bankSize = options.allowBankCrossing ? 0 : bankSizeFor(rom);
  const movers: Pending[] = [];
  const slots = new Map<string, { start: number; end: number }>();
  for (const p of pending) {
    const capacity = inPlaceCapacity(p, survey, allocator, bankSize);
    slots.set(p.sprite.name, { start: p.sprite.offset, end: p.sprite.offset + capacity });
    if (!p.packed) {
      planned.push({ ...base(p), slotLength: capacity });
      continue;
    }
    if (p.packed.length <= capacity) {
      planned.push({ ...base(p), outcome: 'in-place', slotLength: capacity, newPackedLength: p.packed.length, packed: p.packed });
      writes.push({ at: p.sprite.offset, bytes: p.packed, what: `sprite "${p.sprite.name}"`, sprite: p.sprite.name, kind: 'block' });
      // Bytes taken from the free space after the slot are no longer free for blocks that move.
      if (p.packed.length > p.block.slotLength) allocator.reserve(p.sprite.offset, p.sprite.offset + p.packed.length);
    } else movers.push(p);
  }

  // Pass 2: blocks that grew past their slot move to declared free space, if they can.
  if (movers.length > 0) {
    for (const p of movers) {
      const packed = p.packed!;
      try {
        if (p.sprite.pointers.length === 0) {
          throw new InjectionDoesNotFitError(
            p.sprite.name,
            packed.length,
            slots.get(p.sprite.name)!.end - p.sprite.offset,
            allocator.largestAllocatable(),
            p.sprite.codec === 'none'
              ? 'the block is stored raw and no pointers to it are declared, so it cannot move: keep the tile count, or declare its pointers and free space in the definition'
              : p.sprite.def.level !== undefined
                ? `the definition pins level ${p.sprite.def.level} (field "level"); remove it to let every ${p.sprite.codec} level be tried, or declare the pointers to this sprite and free space in the definition so it can be relocated`
                : `every ${p.sprite.codec} level was already tried (best ${p.level || 'only'}); declare the pointers to this sprite and free space in the definition so it can be relocated, or reduce the art (fewer tiles, more repetition)`,
          );
        }
        const at = allocator.allocate(packed.length);
        if (at === undefined) {
          throw new InjectionDoesNotFitError(
            p.sprite.name,
            packed.length,
            slots.get(p.sprite.name)!.end - p.sprite.offset,
            allocator.largestAllocatable(),
            definition.freeSpace.length === 0
              ? 'the definition declares no free space to relocate it to: add a freeSpace range, or reduce the art'
              : `no declared free range holds ${packed.length} bytes${options.allowBankCrossing ? '' : ' inside one bank'}: declare more free space, or reduce the art`,
          );
        }
        const rewritten: RewrittenPointer[] = [];
        for (const slot of p.sprite.pointers) {
          const before = readPointer(rom.data, slot, rom).stored;
          const pieces = encodePointer(slot, at, rom);
          for (const piece of pieces) writes.push({ at: piece.at, bytes: piece.bytes, what: `pointer to "${p.sprite.name}" at ${hex(slot.at)}`, sprite: p.sprite.name, kind: 'pointer' });
          const after = storedValue(slot, pieces);
          rewritten.push(slot.bankAt === undefined ? { form: slot.form, at: slot.at, before, after } : { form: slot.form, at: slot.at, bankAt: slot.bankAt, before, after });
        }
        const freed = { start: p.sprite.offset, end: p.sprite.offset + p.block.slotLength };
        allocator.release(freed.start, freed.end);
        freedRanges.push(freed);
        writes.push({ at, bytes: packed, what: `sprite "${p.sprite.name}" (relocated)`, sprite: p.sprite.name, kind: 'block' });
        planned.push({ ...base(p), outcome: 'relocated', slotLength: slots.get(p.sprite.name)!.end - p.sprite.offset, newOffset: at, newPackedLength: packed.length, packed, pointersRewritten: rewritten, freed });
      } catch (error) {
        fail(error, p.edit);
      }
    }
  }

  if (failures.length === 1) {
    // One failure keeps its own code; it still names the file the edit came from.
    const only = failures[0]!;
    if (only.file !== null) {
      only.error.message = `${only.file}: ${only.error.message}`;
      Object.defineProperty(only.error, 'details', { value: { ...only.error.details, sprite: only.sprite, file: only.file }, enumerable: true });
    }
    throw only.error;
  }
  if (failures.length > 1) {
    // One failure per line, each naming the sprite and the file it came from; details carry both.
    const lines = failures.map((f) => `  sprite "${f.sprite}"${f.file !== null ? ` (${f.file})` : ''}: ${f.error.code}: ${f.error.message}`);
    throw new BatchFailedError(`${failures.length} of ${edits.length} sprite edit(s) cannot be injected; nothing was written:\n${lines.join('\n')}`, {
      failures: failures.map((f) => ({ sprite: f.sprite, file: f.file, ...f.error.toJSON().error })),
    });
  }
  checkWritesDisjoint(writes);
  checkWritesGranted(writes, survey, slots, planned, rom.size);
  // Report in the order the caller gave the edits.
  const order = new Map(edits.map((e, i) => [e.sprite, i]));
  planned.sort((a, b) => order.get(a.sprite)! - order.get(b.sprite)!);
  return { variant, variantChosenBy, notes: survey.report.notes, sprites: planned, writes, freedRanges, changes: writes.length > 0 };
}

function storedValue(slot: PointerSlot, pieces: readonly { at: number; bytes: Uint8Array }[]): number {
  const main = pieces[0]!.bytes;
  let value = 0;
  for (let i = main.length - 1; i >= 0; i--) value = value * 256 + main[i]!;
  if (slot.form === 'snes16+bank' && pieces[1]) value += pieces[1].bytes[0]! * 0x10000;
  return value;
}

/**
 * Stops a transaction whose definition contradicts the ROM (overlaps, a declared length the block
 * does not have, free space over a sprite or a pointer). Sprites that do not resolve or decode
 * only stop it when edited (each edit then fails with its own error); their bytes stay held back.
 */
function refuseContradictions(survey: DefinitionSurvey, definition: GameDefinition): void {
  const blocking = survey.report.problems.filter((p) => p.kind !== 'undecodable' && p.kind !== 'unresolved');
  if (blocking.length === 0) return;
  if (blocking.length === 1 && blocking[0]!.kind === 'stored-length') {
    const sprite = survey.report.sprites.find((s) => s.name === blocking[0]!.sprite)!;
    throw new StoredLengthError(definition.source, sprite.name, sprite.offset!, sprite.storedLength!, sprite.slotLength!);
  }
  throw new DefinitionCheckFailedError(definition.source, blocking);
}

/**
 * The allocator for a transaction: the definition's free ranges for the variant, minus every
 * range the survey found in use — each sprite's block wherever it is now (so a block relocated
 * by an earlier run, which sits in a range the definition still calls free, is never
 * overwritten), what the definition says an undecodable sprite takes, and every pointer slot.
 */
function buildAllocator(rom: Rom, survey: DefinitionSurvey, options: PlanOptions): FreeSpaceAllocator {
  const allocator = new FreeSpaceAllocator(survey.free, {
    alignment: options.alignment ?? defaultAlignment(rom.platform),
    bankSizeInBytes: options.allowBankCrossing ? 0 : bankSizeFor(rom),
    strategy: options.strategy ?? 'best-fit',
  });
  for (const owned of survey.owned) allocator.reserve(owned.start, owned.end);
  for (const sprite of survey.report.sprites) {
    const block = survey.blocks.get(sprite.name);
    if (block && sprite.offset !== null) allocator.reserve(sprite.offset, sprite.offset + block.slotLength);
  }
  return allocator;
}

/**
 * Bytes a block may take in place: the slot decoding the original says it occupies (its packed
 * length; word padding for GBA BIOS streams, never into another owner's bytes), then any
 * declared free space that starts where the slot ends (within the bank, unless crossing is allowed).
 */
function inPlaceCapacity(p: Pending, survey: DefinitionSurvey, allocator: FreeSpaceAllocator, bankSize: number): number {
  const start = p.sprite.offset;
  const streamEnd = start + p.block.packedLength;
  let slotEnd = start + p.block.slotLength;
  for (const owned of survey.ownedIndex.startingIn(streamEnd, slotEnd)) {
    if (owned.owner === p.sprite.name && owned.kind === 'sprite') continue;
    slotEnd = Math.min(slotEnd, owned.start);
  }
  let end = slotEnd;
  for (const free of allocator.ranges()) {
    if (free.start <= end && free.end > end) end = free.end;
  }
  if (bankSize > 0) {
    const bankEnd = (Math.floor(start / bankSize) + 1) * bankSize;
    // Free space past the bank is out of reach in place; the block's own slot is what it is.
    if (end > bankEnd) end = Math.max(bankEnd, slotEnd);
  }
  return end - start;
}

type Span = { start: number; end: number };

function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

function covered(spans: readonly Span[], start: number, end: number): boolean {
  let at = start;
  for (const s of spans) {
    if (s.end <= at) continue;
    if (s.start > at) return false;
    at = s.end;
    if (at >= end) return true;
  }
  return at >= end;
}

/**
 * The core rule, checked on the finished plan independently of how it was made: a block write
 * lies inside its own sprite's slot, declared free space, or a slot vacated in this transaction,
 * and touches no byte another sprite or pointer owns; a pointer write is exactly one of the
 * sprite's own declared pointer slots. A failure is a planner bug: nothing is written.
 */
function checkWritesGranted(writes: readonly ByteWrite[], survey: DefinitionSurvey, slots: ReadonlyMap<string, Span>, planned: readonly PlannedSprite[], romSize: number): void {
  const freed = planned.flatMap((p) => (p.freed ? [p.freed] : []));
  const vacated = new Set(planned.filter((p) => p.outcome === 'relocated').map((p) => p.sprite));
  const pointerSpans = new Map<string, Span[]>();
  for (const owned of survey.owned) {
    if (owned.kind !== 'pointer') continue;
    const spans = pointerSpans.get(owned.owner);
    if (spans) spans.push(owned);
    else pointerSpans.set(owned.owner, [owned]);
  }
  const allowedBase = mergeSpans([...survey.free, ...freed]);
  for (const write of writes) {
    const start = write.at;
    const end = write.at + write.bytes.length;
    const refuse = (why: string): never => {
      throw new WriteOutsideSlotError(`${write.what}: ${write.bytes.length} bytes at ${hex(start)}-${hex(end)} ${why}; nothing was written`, { sprite: write.sprite, at: start, end });
    };
    if (start < 0 || end > romSize) refuse('run outside the ROM');
    if (write.kind === 'pointer') {
      if (!(pointerSpans.get(write.sprite) ?? []).some((p) => start >= p.start && end <= p.end)) refuse('are not a pointer slot the definition declares for this sprite');
      continue;
    }
    const own = slots.get(write.sprite);
    const allowed = own ? mergeSpans([own, ...allowedBase]) : allowedBase;
    if (!covered(allowed, start, end)) refuse("reach bytes that are neither the sprite's slot nor declared free space");
    for (const owned of survey.ownedIndex.overlapping(start, end)) {
      if (owned.owner === write.sprite && owned.kind === 'sprite') continue;
      if (owned.kind === 'sprite' && vacated.has(owned.owner)) continue;
      if (owned.start < end && start < owned.end) refuse(`overlap ${owned.what} (${hex(owned.start)}-${hex(owned.end)})`);
    }
  }
}

function checkWritesDisjoint(writes: readonly ByteWrite[]): void {
  const sorted = [...writes].sort((a, b) => a.at - b.at);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (current.at < previous.at + previous.bytes.length) {
      throw new InjectionConflictError(`${previous.what} (${previous.bytes.length} bytes at ${hex(previous.at)}) and ${current.what} (at ${hex(current.at)}) would write the same bytes`, {
        first: previous.what,
        second: current.what,
        at: current.at,
      });
    }
  }
}

/** Applies a plan's writes to `data` (a writable copy of the ROM data — never a mapped view). */
export function applyPlan(plan: InjectionPlan, data: Uint8Array): void {
  for (const write of plan.writes) {
    if (write.at < 0 || write.at + write.bytes.length > data.length) {
      throw new InjectionConflictError(`${write.what}: ${write.bytes.length} bytes at ${hex(write.at)} run past the end of the ${hex(data.length)}-byte ROM`, { at: write.at });
    }
    data.set(write.bytes, write.at);
  }
}

/**
 * Checks an output ROM against the plan: every injected block decodes (from `data`, with its
 * codec) to exactly the intended bytes and occupies exactly the planned length; every rewritten
 * pointer leads to the new block; the checksum is valid when the platform has one.
 */
export function verifyPlan(plan: InjectionPlan, data: Uint8Array, rom: Rom, checksum: ChecksumReport | null): void {
  for (const s of plan.sprites) {
    if (s.outcome === 'unchanged') continue;
    const moved: ResolvedSprite = { ...s.resolved, offset: s.newOffset, definedOffset: -1 };
    // Re-read with the new size so the decoder is held to exactly the intended length.
    const def = { ...moved.def };
    if (moved.codec === 'none' || moved.codec === 'pb16' || moved.codec === 'lz4') def.byteLength = s.unpacked.length;
    else delete def.byteLength;
    delete def.tileCount;
    delete def.storedLength;
    moved.def = def;
    let block: SpriteBlock;
    try {
      block = readSpriteBlock(data, moved);
    } catch (error) {
      throw new VerifyFailedError(`sprite "${s.sprite}" at ${hex(s.newOffset)} does not decode: ${(error as Error).message}`, { sprite: s.sprite, offset: s.newOffset });
    }
    if (!bytesEqual(block.data, s.unpacked)) {
      throw new VerifyFailedError(`sprite "${s.sprite}" at ${hex(s.newOffset)} decodes to different bytes than were injected`, { sprite: s.sprite, offset: s.newOffset });
    }
    if (block.packedLength !== s.newPackedLength) {
      throw new VerifyFailedError(`sprite "${s.sprite}" at ${hex(s.newOffset)} occupies ${block.packedLength} bytes, ${s.newPackedLength} were written`, { sprite: s.sprite });
    }
    for (const slot of s.resolved.pointers) {
      const target = readPointer(data, slot, rom).offset;
      if (target !== s.newOffset) {
        throw new VerifyFailedError(`pointer at ${hex(slot.at)} to sprite "${s.sprite}" leads to ${hex(target)}, not ${hex(s.newOffset)}`, { sprite: s.sprite, at: slot.at, target });
      }
    }
  }
  if (checksum && !checksum.valid) throw new VerifyFailedError(`the fixed checksum does not verify (stored ${hex(checksum.stored)}, computed ${hex(checksum.computed)})`);
}

/** A planned injection applied in memory: the new ROM bytes, checked, ready to write. */
export interface InjectedBytes {
  plan: InjectionPlan;
  /** The ROM data after injection and checksum fix (no copier header). */
  data: Uint8Array;
  /** The whole output file: copier header (if the input had one) + data; the input file's bytes when nothing changed. */
  output: Uint8Array;
  /** Checksums after the fix (null for platforms without one, or when nothing changed). */
  checksum: ChecksumReport | null;
}

/**
 * Plans, applies, fixes the checksum and verifies, all in memory: the whole transaction except
 * writing the file. Nothing changed → the output is the input file, byte for byte.
 */
export function injectIntoBytes(rom: Rom, definition: GameDefinition, edits: readonly SpriteEdit[], options: PlanOptions = {}): InjectedBytes {
  return applyPlanToBytes(rom, planInjection(rom, definition, edits, options));
}

/** `injectIntoBytes` after planning: applies the plan to a copy, fixes the checksum, verifies (the plan may come from a worker pool). */
export function applyPlanToBytes(rom: Rom, plan: InjectionPlan): InjectedBytes {
  if (!plan.changes) {
    const file = rom.source.copy(0, rom.source.size);
    return { plan, data: rom.copyData(), output: file, checksum: null };
  }
  let data = rom.copyData();
  applyPlan(plan, data);
  let checksum: ChecksumReport | null = null;
  if (rom.checksums() !== null) {
    const fixed = rom.withFixedChecksums(data);
    data = fixed.data;
    checksum = fixed.report;
  }
  verifyPlan(plan, data, rom, checksum);
  const header = rom.copierHeader();
  const output = new Uint8Array(header.length + data.length);
  output.set(header);
  output.set(data, header.length);
  return { plan, data, output, checksum };
}
