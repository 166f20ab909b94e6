/**
 * Injection with files: open the ROM (read-only mapping), run the transaction in memory
 * (plan.ts), write the output once and atomically, re-read it and check it is exactly what was
 * verified. The input ROM is never modified; `inPlace` replaces it only after the new bytes have
 * passed verification, keeping a timestamped backup beside it.
 */
import { existsSync, readdirSync, realpathSync, unlinkSync } from 'node:fs';
import { basename, dirname, extname, join, resolve as resolvePath } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileNotFoundError, InvalidArgumentError, IoError, SidecarError, UsageError, VerifyFailedError } from '../errors.js';
import { createPatch, type PatchFormat } from '../patch/index.js';
import type { GameDefinition } from '../defs/types.js';
import { openRom, type Rom } from '../rom/rom.js';
import { readFileBytes, maximumRomSizeInBytes } from '../rom/source.js';
import { assertWritable, removeStaleTempFiles, writeFileAtomic } from '../util/files.js';
import { crc32, sha1Hex } from '../util/hash.js';
import { gameDefinitionToJson } from '../defs/parse.js';
import { definitionAfterInjection } from './defs-out.js';
import { chooseVariant } from './check.js';
import { paletteFromRgb, type Palette } from '../gfx/palette.js';
import { maximumPngFileSizeInBytes } from '../gfx/png.js';
import { injectIntoBytes, type InjectedBytes, type InjectionPlan, type PlanOptions, type PlannedSprite, type SpriteEdit } from './plan.js';
import { maximumSidecarSizeInBytes, parseSidecar, sidecarFormat, sidecarPaletteRgb, type SpriteSidecar } from './sidecar.js';

/** Options of `injectSprites` and `injectFolder`: where to write, overwrite or in place, and an optional patch. */
export interface InjectOptions extends PlanOptions {
  /** Output ROM path. Required unless `inPlace`. */
  output?: string;
  /** Replace the input ROM (after verify), keeping `<rom>.<timestamp>.bak`. */
  inPlace?: boolean;
  /** Overwrite an existing output (and patch) file. */
  force?: boolean;
  /** Also write a patch from the input file to the output file (.ips or .bps by extension). */
  patch?: string;
  /**
   * Also write the game definition of the output ROM here (new tile counts, offsets of moved
   * blocks, free space left and taken; `definitionAfterInjection`), so the next extract-all reads it.
   */
  definitionOutput?: string;
}

/** One sprite's outcome, as the CLI prints it and `romgfx demo` reads it. */
export interface SpriteInjectionResult {
  sprite: string;
  outcome: PlannedSprite['outcome'];
  codec: string;
  level: string;
  vramSafe: boolean;
  oldOffset: number;
  newOffset: number;
  oldPackedLength: number;
  newPackedLength: number;
  slotLength: number;
  oldTileCount: number;
  tileCount: number;
  pointersRewritten: { form: string; at: number; bankAt?: number; before: number; after: number }[];
  freed?: { start: number; end: number };
}

/** What an injection wrote: the output, its size, the backup and patch if any, and what happened to each sprite. */
export interface InjectResult {
  rom: string;
  /** The file written; null when nothing changed in place (the ROM was left alone). */
  output: string | null;
  bytesWritten: number;
  backupPath?: string;
  patch?: { path: string; format: PatchFormat; size: number };
  /** The definition of the output ROM, when `definitionOutput` asked for it. */
  definitionOutput?: string;
  /** The variant used, and how it was chosen (matched by CRC-32 …, named, or forced). */
  variant: string | null;
  variantChosenBy: string;
  /** What the definition check noted (not errors). */
  notes: string[];
  changed: boolean;
  sprites: SpriteInjectionResult[];
  freedRanges: { start: number; end: number }[];
  checksum: { valid: boolean; stored: number; computed: number } | null;
  outputCrc32: string;
  elapsedMs: number;
}

/** The patch format a file name asks for (`.ips` or `.bps`); a UsageError for any other extension. */
export function patchFormatFor(path: string): PatchFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.ips') return 'ips';
  if (ext === '.bps') return 'bps';
  throw new UsageError(`cannot tell the patch format from "${path}": name it .ips or .bps`);
}

/** One line per sprite of a plan (outcome, sizes, where it went): what the CLI prints and `--json` returns. */
export function summarisePlan(plan: InjectionPlan): SpriteInjectionResult[] {
  return plan.sprites.map((s) => {
    const result: SpriteInjectionResult = {
      sprite: s.sprite,
      outcome: s.outcome,
      codec: s.codec,
      level: s.level,
      vramSafe: s.vramSafe,
      oldOffset: s.oldOffset,
      newOffset: s.newOffset,
      oldPackedLength: s.oldPackedLength,
      newPackedLength: s.newPackedLength,
      slotLength: s.slotLength,
      oldTileCount: s.oldTileCount,
      tileCount: s.tileCount,
      pointersRewritten: s.pointersRewritten.map((p) => ({ ...p })),
    };
    if (s.freed) result.freed = { ...s.freed };
    return result;
  });
}

/** The largest copier header in front of ROM data (SNES/SMD: 512 bytes). */
const maximumCopierHeaderSizeInBytes = 512;

/** True when both paths name the same existing file (symlinks and relative paths resolved). */
function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false; // one of them does not exist yet
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/**
 * Injects `edits` into the ROM at `romPath` as one transaction and writes the result (see the
 * module comment). Throws, writing nothing, when any edit cannot be done or verification fails.
 */
export function injectSprites(romPath: string, definition: GameDefinition, edits: readonly SpriteEdit[], options: InjectOptions = {}): InjectResult {
  const started = performance.now();
  const target = checkInjectionOutputs(romPath, definition, options);
  const rom: Rom = openRom(romPath);
  const injected = injectIntoBytes(rom, definition, edits, options);
  // What was planned and verified came from the file as opened: it must still be that file
  // (truncated under the mapping, the guard gave zeros; rewritten, an in-place write would lose it).
  rom.assertUnchanged();
  // The patch is made before anything is written: in place, the input is about to be replaced.
  let patchBytes: Uint8Array | undefined;
  if (target.patchFormat) patchBytes = createPatch(target.patchFormat, rom.source.view(0, rom.source.size), injected.output).patch;
  return writeInjection(romPath, definition, injected, target, patchBytes, options, started);
}

/** Where a transaction writes, checked before any work: the output (never the input), the patch format. */
export interface InjectionTarget {
  output: string;
  patchFormat: PatchFormat | undefined;
}

/**
 * The checks `injectSprites` makes before the work (and `injectSpritesAsync` too): output or
 * in place, never the input, nothing overwritten without `force`, the patch's format.
 */
export function checkInjectionOutputs(romPath: string, definition: GameDefinition, options: InjectOptions): InjectionTarget {
  if (options.inPlace && options.output !== undefined) throw new UsageError('give either an output path or in-place, not both');
  if (!options.inPlace && options.output === undefined) throw new UsageError('an output path is needed (or in-place)');
  const output = options.inPlace ? romPath : options.output!;
  if (!options.inPlace) {
    if (sameFile(output, romPath)) throw new UsageError(`the output ${output} is the input ROM: the input is never overwritten; use in-place (it keeps a backup)`);
    assertWritable(output, options.force, [romPath]);
    // Fail before the work, not after it.
    if (!existsSync(dirname(resolvePath(output)))) throw new FileNotFoundError(dirname(resolvePath(output)));
  }
  const patchFormat = options.patch !== undefined ? patchFormatFor(options.patch) : undefined;
  if (options.patch !== undefined) assertWritable(options.patch, options.force);
  if (options.definitionOutput !== undefined) {
    if (sameFile(options.definitionOutput, definition.source)) throw new UsageError(`the definition output ${options.definitionOutput} is the definition read: write the output ROM's definition to a new file`);
    assertWritable(options.definitionOutput, options.force);
  }
  return { output, patchFormat };
}

/**
 * Writes a verified transaction (the end of `injectSprites` and `injectSpritesAsync`): the output
 * ROM once and atomically, re-read and compared (restored from the backup in place when it does
 * not read back), then the patch and the output's definition. The caller has checked the input
 * is unchanged and made the patch.
 */
export function writeInjection(romPath: string, definition: GameDefinition, injected: InjectedBytes, target: InjectionTarget, patchBytes: Uint8Array | undefined, options: InjectOptions, started: number): InjectResult {
  const output = target.output;
  const result: InjectResult = {
    rom: romPath,
    output: null,
    bytesWritten: 0,
    variant: injected.plan.variant ?? null,
    variantChosenBy: injected.plan.variantChosenBy,
    notes: injected.plan.notes,
    changed: injected.plan.changes,
    sprites: summarisePlan(injected.plan),
    freedRanges: injected.plan.freedRanges,
    checksum: injected.checksum ? { valid: injected.checksum.valid, stored: injected.checksum.stored, computed: injected.checksum.computed } : null,
    outputCrc32: crc32(injected.output).toString(16).padStart(8, '0'),
    elapsedMs: 0,
  };
  if (!(options.inPlace && !injected.plan.changes)) {
    removeStaleTempFiles(output);
    const written = writeFileAtomic(output, injected.output, options.inPlace ? { backup: true } : { force: options.force === true });
    result.output = output;
    result.bytesWritten = written.bytes;
    if (written.backupPath) result.backupPath = written.backupPath;
    // Re-read what landed on disk: it must be exactly the bytes that passed verification.
    let reread: Uint8Array | undefined;
    try {
      reread = readFileBytes(output, maximumRomSizeInBytes + maximumCopierHeaderSizeInBytes);
    } catch {
      reread = undefined; // unreadable counts as a mismatch
    }
    if (!reread || !sameBytes(reread, injected.output)) {
      if (options.inPlace && written.backupPath) writeFileAtomic(romPath, readFileBytes(written.backupPath, maximumRomSizeInBytes + maximumCopierHeaderSizeInBytes), { force: true, replaceInput: true });
      else {
        try {
          unlinkSync(output);
        } catch {
          /* already gone */
        }
      }
      throw new VerifyFailedError(`${output} does not read back as the bytes written`, { output });
    }
  }
  if (patchBytes && options.patch !== undefined && target.patchFormat) {
    writeFileAtomic(options.patch, patchBytes, { force: options.force === true });
    result.patch = { path: options.patch, format: target.patchFormat, size: patchBytes.length };
  }
  if (options.definitionOutput !== undefined) {
    const after = definitionAfterInjection(definition, injected.plan, {
      crc32: crc32(injected.data),
      sha1: sha1Hex(injected.data),
      ...(injected.checksum ? { headerChecksum: injected.checksum.stored } : {}),
    });
    writeFileAtomic(options.definitionOutput, new TextEncoder().encode(JSON.stringify(gameDefinitionToJson(after), null, 2) + '\n'), { force: options.force === true });
    result.definitionOutput = options.definitionOutput;
  }
  result.elapsedMs = performance.now() - started;
  return result;
}

// ---- Batch: a folder written by extract-all -------------------------------------------------

/** A sprite edit read from an extract-all folder, with the sidecar it came from. */
export interface FolderEdit {
  edit: SpriteEdit;
  sidecar: SpriteSidecar;
  sidecarPath: string;
}

/** A folder holds at most this many sidecars (a definition holds at most 65,536 sprites). */
export const maximumSidecarsPerFolder = 65_536;

/**
 * Reads the sidecars (and their PNGs) of a folder written by extract-all. Each becomes an edit;
 * sprites whose tiles did not change are skipped by the plan, so only changed ones are written.
 */
export function readExtractFolder(dir: string, definition: GameDefinition): FolderEdit[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((e) => e.toLowerCase().endsWith('.json')).sort();
  } catch (error) {
    throw new IoError(`cannot list ${dir}: ${(error as Error).message}`, { dir }, { cause: error });
  }
  if (entries.length > maximumSidecarsPerFolder) throw new InvalidArgumentError(`${dir} holds ${entries.length} JSON files; at most ${maximumSidecarsPerFolder} are read`);
  const edits: FolderEdit[] = [];
  const spritesByName = new Map(definition.sprites.map((s) => [s.name, s]));
  for (const entry of entries) {
    const path = join(dir, entry);
    const bytes = readFileBytes(path, maximumSidecarSizeInBytes);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (error) {
      throw new SidecarError(path, '(document)', `not JSON: ${(error as Error).message}`);
    }
    // Other JSON files (notes, a definition copied in) are not sidecars; skip them quietly.
    if (json === null || typeof json !== 'object' || (json as { schema?: unknown }).schema !== sidecarFormat) continue;
    const sidecar = parseSidecar(json, path);
    const sprite = spritesByName.get(sidecar.sprite);
    if (!sprite) throw new SidecarError(path, 'sprite', `the definition ${definition.id} has no sprite named "${sidecar.sprite}"`);
    if (sprite.codec !== sidecar.codec) throw new SidecarError(path, 'codec', `says ${sidecar.codec}, the definition says ${sprite.codec}: extracted with a different definition?`);
    if (sidecar.definition && typeof sidecar.definition === 'object' && sidecar.definition.id !== definition.id) {
      throw new SidecarError(path, 'definition/id', `extracted with definition "${sidecar.definition.id}", injecting with "${definition.id}"`);
    }
    const pngPath = join(dir, sidecar.image);
    const png = readFileBytes(pngPath, maximumPngFileSizeInBytes);
    const palette = paletteFromRgb(sidecarPaletteRgb(sidecar), `${path} palette`);
    edits.push({ edit: { sprite: sidecar.sprite, png, palette, file: pngPath }, sidecar, sidecarPath: path });
  }
  return edits;
}

/** inject-all's options: a transaction's, plus how RGB PNGs are mapped onto palettes. */
export interface InjectFolderOptions extends InjectOptions {
  /** Map RGB PNGs onto this palette instead of each sidecar's. */
  palette?: Palette;
  /** Map off-palette colours of RGB PNGs to the nearest palette colour instead of failing. */
  nearest?: boolean;
}

/**
 * The sidecar extract-all (or extract) wrote beside a PNG: `<name>.json` for `<name>.png`, when
 * it exists and is one (undefined otherwise). inject reads it to know the sprite, the block's
 * place and size, and the palette, so neither a definition nor --at is needed.
 */
export function readSidecarBeside(pngPath: string): { sidecar: SpriteSidecar; path: string } | undefined {
  const path = join(dirname(pngPath), `${basename(pngPath, extname(pngPath))}.json`);
  if (!existsSync(path)) return undefined;
  const bytes = readFileBytes(path, maximumSidecarSizeInBytes);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined; // some other file that happens to share the name
  }
  if (json === null || typeof json !== 'object' || (json as { schema?: unknown }).schema !== sidecarFormat) return undefined;
  return { sidecar: parseSidecar(json, path), path };
}

/** What `injectFolder` wrote, plus the folder, how many sidecars it read and which came from another ROM. */
export interface InjectAllResult extends InjectResult {
  folder: string;
  sidecars: number;
  /** Sidecars whose ROM identity is not the input ROM's (extracted from another ROM, or an earlier build of this one). */
  identityMismatches: string[];
}

/**
 * `inject-all`: every sprite of an extract-all folder, in one transaction (all or nothing, one
 * checksum fix, one verify pass). Only sprites whose tiles changed are written.
 */
export function injectFolder(romPath: string, definition: GameDefinition, dir: string, options: InjectFolderOptions = {}): InjectAllResult {
  const batch = readFolderEdits(romPath, definition, dir, options);
  const result = injectSprites(romPath, definition, batch.edits, batch.injectOptions);
  return { ...result, folder: dir, sidecars: batch.sidecars, identityMismatches: batch.identityMismatches };
}

/** An extract-all folder read as one transaction's edits (what `injectFolder` and `injectFolderAsync` inject). */
export interface FolderEdits {
  edits: SpriteEdit[];
  sidecars: number;
  identityMismatches: string[];
  /** The transaction's options (the folder-only ones taken out). */
  injectOptions: InjectOptions;
}

/**
 * The first step of `inject-all`: the definition held to the ROM (a definition for another game
 * stops here, before its sidecars are read), then the folder's sidecars and PNGs as edits.
 */
export function readFolderEdits(romPath: string, definition: GameDefinition, dir: string, options: InjectFolderOptions = {}): FolderEdits {
  const rom = openRom(romPath);
  // Whether the definition is for this ROM at all comes first: its sidecars would only repeat it.
  chooseVariant(rom, definition, options, romPath);
  const folder = readExtractFolder(dir, definition);
  const sha1 = rom.identity().sha1;
  const identityMismatches = folder.filter((f) => f.sidecar.rom.sha1 !== sha1).map((f) => f.sidecar.sprite);
  const { palette, nearest, ...injectOptions } = options;
  const edits = folder.map((f): SpriteEdit => ({ ...f.edit, ...(palette ? { palette } : {}), ...(nearest ? { nearest: true } : {}) }));
  return { edits, sidecars: folder.length, identityMismatches, injectOptions };
}

/** Reads a PNG file for an edit (bounded). */
export function readPngFile(path: string): Uint8Array {
  return readFileBytes(path, maximumPngFileSizeInBytes);
}

