/**
 * Extraction of a definition's sprites to indexed PNGs with sidecar JSON: one sprite
 * (`extractSprite`, pure over an open ROM), a chunk of them written to a folder
 * (`extractSpritesToFiles`, what each worker runs), and the whole batch (`extractAll`), spread
 * over a Piscina pool when it is large enough to pay for the workers' start-up.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import { InvalidArgumentError, NotAFileError, SpriteNotFoundError, isRomgfxError, type RomgfxError } from '../errors.js';
import { decodeTiles } from '../gfx/formats.js';
import { encodeIndexedPng } from '../gfx/png.js';
import { colourHex, paletteColour, type Palette } from '../gfx/palette.js';
import type { GameDefinition } from '../defs/types.js';
import { openRom, type Rom } from '../rom/rom.js';
import { assertWritable, writeFilesAtomic } from '../util/files.js';
import { ENGINE_VERSION, PACKAGE_ROOT } from '../version.js';
import { fileStemFor, sidecarFormat, type SpriteSidecar } from './sidecar.js';
import { chooseVariant } from './check.js';
import { readSpriteBlock, resolveEachSprite, resolveSpritePalette, tilesToImage, type ResolvedSprite, type SpriteResolution } from './sprites.js';
import { poolWorkerExecArgv } from '../util/worker-exec-argv.js';

/** The compiled extract worker, resolved from the package root (the same file from src/ and dist/). */
export const defaultExtractWorkerFile = join(PACKAGE_ROOT, 'dist', 'workers', 'extract-worker.js');
/** Below this many sprites the batch runs in this thread: starting workers (~100 ms each) costs more than it saves. */
export const minimumSpritesForPool = 48;
/** Sprites per worker task: large enough that messaging is noise, small enough to balance and report progress. */
export const spritesPerTask = 16;
/** Most threads chosen by default (one per core, at most this many). */
export const maximumDefaultExtractThreads = 4;
export const maximumExtractThreads = 64;

/** One sprite extracted for editing: its PNG and the sidecar that lets `inject-all` put it back. */
export interface ExtractedSprite {
  png: Uint8Array;
  sidecar: SpriteSidecar;
}

/** Renders one resolved sprite to an indexed PNG and its sidecar. */
export function extractSprite(rom: Rom, definition: GameDefinition, sprite: ResolvedSprite, context: { variant: string | undefined; identity: { crc32: number; sha1: string }; imageName: string; cgram?: Palette }): ExtractedSprite {
  const block = readSpriteBlock(rom.data, sprite, definition.source);
  const tileBytes = block.data.subarray(0, block.tileCount * sprite.format.bytesPerTile);
  const indices = decodeTiles(sprite.format, tileBytes);
  const image = tilesToImage(indices, block.tileCount, sprite.def.arrangement);
  const { palette, source } = resolveSpritePalette(rom, definition, sprite, context.cgram ? { cgram: context.cgram } : {});
  const transparentIndex0 = sprite.def.kind === 'sprite';
  const png = encodeIndexedPng(image, palette, { transparentIndex0 });
  let busAddress: string | undefined;
  try {
    busAddress = rom.formatBusAddress(rom.toBusAddress(sprite.offset));
  } catch {
    busAddress = undefined; // NES and loose files have no fixed bus mapping
  }
  const colours: string[] = [];
  for (let i = 0; i < palette.count; i++) colours.push(colourHex(paletteColour(palette, i)));
  const sidecar: SpriteSidecar = {
    schema: sidecarFormat,
    sprite: sprite.name,
    image: context.imageName,
    offset: '0x' + sprite.offset.toString(16).toUpperCase(),
    ...(busAddress !== undefined ? { busAddress } : {}),
    codec: sprite.codec,
    packedLength: block.packedLength,
    unpackedLength: block.data.length,
    format: sprite.format.name,
    tileCount: block.tileCount,
    arrangement: sprite.def.arrangement ?? { kind: 'sheet' },
    palette: { source, colours, transparentIndex0 },
    rom: { crc32: context.identity.crc32.toString(16).padStart(8, '0'), sha1: context.identity.sha1 },
    definition: { id: definition.id, variant: context.variant ?? null },
    engineVersion: ENGINE_VERSION,
  };
  return { png, sidecar };
}

/** One item of a batch: a sprite and the file stem its PNG and sidecar get. */
export interface ExtractItem {
  sprite: string;
  stem: string;
}

/** What happened to one sprite of an extract-all run: the files written, or the error. */
export interface ExtractItemResult {
  sprite: string;
  ok: boolean;
  png?: string;
  sidecar?: string;
  offset?: number;
  codec?: string;
  packedLength?: number;
  tileCount?: number;
  error?: ReturnType<RomgfxError['toJSON']>['error'];
}

/** The work one extract-all worker does: a slice of the sprites of one ROM (internal to the pool, exported for the worker). */
export interface ExtractChunkTask {
  romPath: string;
  definition: GameDefinition;
  variant: string | undefined;
  identity: { crc32: number; sha1: string };
  outDir: string;
  force: boolean;
  items: ExtractItem[];
  cgram?: { rgb: Uint8Array; count: number };
}

function errorJson(error: unknown): ExtractItemResult['error'] {
  if (isRomgfxError(error)) return error.toJSON().error;
  return { name: 'Error', code: 'ERR_INTERNAL', category: 'internal', message: error instanceof Error ? error.message : String(error), details: {} };
}

/**
 * Extracts `items` of an open ROM into `outDir` (PNG + sidecar each, written atomically). A
 * failing item is reported, never thrown: one bad sprite does not stop the batch.
 */
export function extractSpritesToFiles(rom: Rom, task: Omit<ExtractChunkTask, 'romPath'>, resolved?: readonly SpriteResolution[]): ExtractItemResult[] {
  const byName = new Map((resolved ?? resolveEachSprite(rom, task.definition, task.variant)).map((r) => [r.ok ? r.sprite.name : r.name, r]));
  const pending: { index: number; files: { path: string; data: Uint8Array }[] }[] = [];
  const results = task.items.map((item, index): ExtractItemResult => {
    try {
      const resolution = byName.get(item.sprite);
      if (!resolution) throw new SpriteNotFoundError(item.sprite, `game definition ${task.definition.id}`);
      if (!resolution.ok) throw resolution.error;
      const sprite = resolution.sprite;
      const pngName = `${item.stem}.png`;
      const extracted = extractSprite(rom, task.definition, sprite, {
        variant: task.variant,
        identity: task.identity,
        imageName: pngName,
        ...(task.cgram ? { cgram: task.cgram } : {}),
      });
      const pngPath = join(task.outDir, pngName);
      const sidecarPath = join(task.outDir, `${item.stem}.json`);
      // An existing file fails only its own sprite; the rest are written together below.
      assertWritable(pngPath, task.force);
      assertWritable(sidecarPath, task.force);
      pending.push({ index, files: [{ path: pngPath, data: extracted.png }, { path: sidecarPath, data: new TextEncoder().encode(JSON.stringify(extracted.sidecar, null, 2) + '\n') }] });
      return {
        sprite: item.sprite,
        ok: true,
        png: pngPath,
        sidecar: sidecarPath,
        offset: sprite.offset,
        codec: sprite.codec,
        packedLength: extracted.sidecar.packedLength,
        tileCount: extracted.sidecar.tileCount,
      };
    } catch (error) {
      // A failure names the file it would have written (and its JSON carries it).
      return { sprite: item.sprite, ok: false, png: join(task.outDir, `${item.stem}.png`), error: errorJson(error) };
    }
  });
  // One batch per chunk: every file atomic, one folder fsync instead of one per file.
  try {
    writeFilesAtomic(pending.flatMap((p) => p.files), { force: true });
  } catch (error) {
    for (const p of pending) results[p.index] = { sprite: task.items[p.index]!.sprite, ok: false, png: p.files[0]!.path, error: errorJson(error) };
  }
  return results;
}

/** Options of `extractAll`. */
export interface ExtractAllOptions {
  /** Overwrite existing PNG/sidecar files. */
  force?: boolean;
  /** Only these sprites (default: every sprite in the definition). */
  sprites?: readonly string[];
  /** Worker threads (default: cores, at most 4). 0 = run in this thread. */
  threads?: number;
  /** Run in this thread below this many sprites (default 48). */
  minimumSpritesForPool?: number;
  /** The worker script (default dist/workers/extract-worker.js). */
  workerFile?: string;
  /** Definition variant id (default: the one that recognises the ROM). */
  variant?: string;
  /** Use the definition even when no variant recognises the ROM (its default offsets). */
  forceDefinition?: boolean;
  cgram?: Palette;
  /** Called as items finish. */
  onProgress?: (done: number, total: number) => void;
}

/** What `extractAll` did: counts, how it ran and one result per sprite. */
export interface ExtractAllResult {
  rom: string;
  outDir: string;
  definition: string;
  variant: string | null;
  total: number;
  succeeded: number;
  failed: number;
  /** 'pool' with the thread count, or 'in-process'. */
  mode: 'pool' | 'in-process';
  threads: number;
  elapsedMs: number;
  items: ExtractItemResult[];
}

/** Unique file stems for the sprites (names that sanitise alike get -2, -3 …). */
export function assignStems(names: readonly string[]): ExtractItem[] {
  const used = new Set<string>();
  return names.map((sprite) => {
    const base = fileStemFor(sprite);
    let stem = base;
    for (let n = 2; used.has(stem.toLowerCase()); n++) stem = `${base}-${n}`;
    used.add(stem.toLowerCase());
    return { sprite, stem };
  });
}

/**
 * Extracts every sprite of `definition` from the ROM at `romPath` into `outDir`: one indexed PNG
 * and one sidecar JSON per sprite. Per-item failures are collected in the result (check
 * `failed`); only problems with the whole batch (ROM unreadable, bad options) throw.
 */
export async function extractAll(romPath: string, definition: GameDefinition, outDir: string, options: ExtractAllOptions = {}): Promise<ExtractAllResult> {
  const started = performance.now();
  const rom = openRom(romPath);
  // A definition for another game would extract that game's offsets as if they were sprites.
  const variant = chooseVariant(rom, definition, options, romPath).variant;
  const identity = rom.identity();
  const names = options.sprites ?? definition.sprites.map((s) => s.name);
  const items = assignStems(names);
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) throw new NotAFileError(outDir, 'a file, not a folder');
  } else mkdirSync(outDir, { recursive: true });

  const threadsWanted = options.threads ?? Math.max(1, Math.min(availableParallelism(), maximumDefaultExtractThreads));
  if (!Number.isSafeInteger(threadsWanted) || threadsWanted < 0 || threadsWanted > maximumExtractThreads) {
    throw new InvalidArgumentError(`threads must be an integer from 0 to ${maximumExtractThreads}, got ${threadsWanted}`);
  }
  const workerFile = options.workerFile ?? defaultExtractWorkerFile;
  const usePool = threadsWanted > 0 && items.length >= (options.minimumSpritesForPool ?? minimumSpritesForPool) && existsSync(workerFile);
  const base = { definition, variant, identity, outDir, force: options.force === true, ...(options.cgram ? { cgram: { rgb: options.cgram.rgb, count: options.cgram.count } } : {}) };
  const results: ExtractItemResult[] = [];
  let threads = 0;

  if (!usePool) {
    const sprites = resolveEachSprite(rom, definition, variant);
    for (let i = 0; i < items.length; i += spritesPerTask) {
      results.push(...extractSpritesToFiles(rom, { ...base, items: items.slice(i, i + spritesPerTask) }, sprites));
      options.onProgress?.(results.length, items.length);
    }
  } else {
    const chunks: ExtractItem[][] = [];
    for (let i = 0; i < items.length; i += spritesPerTask) chunks.push(items.slice(i, i + spritesPerTask));
    threads = Math.min(threadsWanted, chunks.length);
    const pool = new Piscina<ExtractChunkTask, ExtractItemResult[]>({
      execArgv: poolWorkerExecArgv(),
      filename: workerFile,
      // One short batch: start every thread at once, and let them go as soon as the queue drains.
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 1000,
      // CPU-bound tasks: two at once in one worker would only interleave.
      concurrentTasksPerWorker: 1,
      recordTiming: false,
    });
    try {
      let done = 0;
      const settled = await Promise.all(
        chunks.map(async (chunk) => {
          let out: ExtractItemResult[];
          try {
            out = await pool.run({ ...base, romPath, items: chunk });
          } catch (error) {
            // The worker died (not a per-sprite error, which comes back as data): its items fail.
            out = chunk.map((item) => ({ sprite: item.sprite, ok: false, png: join(outDir, `${item.stem}.png`), error: errorJson(error) }));
          }
          done += out.length;
          options.onProgress?.(done, items.length);
          return out;
        }),
      );
      for (const chunk of settled) results.push(...chunk);
    } finally {
      await pool.destroy();
    }
  }
  // The PNGs are only as good as the file they came from (workers read it too).
  rom.assertUnchanged();
  const succeeded = results.filter((r) => r.ok).length;
  return {
    rom: romPath,
    outDir,
    definition: definition.id,
    variant: variant ?? null,
    total: results.length,
    succeeded,
    failed: results.length - succeeded,
    mode: usePool ? 'pool' : 'in-process',
    threads: usePool ? threads : 1,
    elapsedMs: performance.now() - started,
    items: results,
  };
}
