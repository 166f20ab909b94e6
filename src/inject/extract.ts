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
import { setMaxListeners } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AbortedError, InvalidArgumentError, NotAFileError, SpriteNotFoundError, isRomgfxError, type RomgfxError } from '../errors.js';
import { decodeTiles } from '../gfx/formats.js';
import { encodeIndexedPng } from '../gfx/png.js';
import { colourHex, paletteColour, type Palette } from '../gfx/palette.js';
import type { GameDefinition } from '../defs/types.js';
import { openRom, type Rom } from '../rom/rom.js';
import { assertWritable, maximumFilesPerAtomicBatch, writeFilesAtomic, writeFilesAtomicAsync } from '../util/files.js';
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
  /** Receives the number of this slice's sprites done after each one. */
  progress?: MessagePort;
}

/** One sprite extracted in memory: what happened, and the PNG and sidecar to write when it worked. */
export interface ExtractedItem {
  result: ExtractItemResult;
  files?: { path: string; data: Uint8Array }[];
}

function errorJson(error: unknown): ExtractItemResult['error'] {
  if (isRomgfxError(error)) return error.toJSON().error;
  return { name: 'Error', code: 'ERR_INTERNAL', category: 'internal', message: error instanceof Error ? error.message : String(error), details: {} };
}

/**
 * Extracts `items` of an open ROM to PNG and sidecar bytes, writing nothing (what each worker
 * runs). A failing item is reported, never thrown: one bad sprite does not stop the batch.
 * `onItem(done)` is called after each sprite.
 */
export function extractSpritesToBytes(rom: Rom, task: Omit<ExtractChunkTask, 'romPath' | 'progress'>, resolved?: readonly SpriteResolution[], onItem?: (done: number) => void): ExtractedItem[] {
  const byName = new Map((resolved ?? resolveEachSprite(rom, task.definition, task.variant)).map((r) => [r.ok ? r.sprite.name : r.name, r]));
  return task.items.map((item, index): ExtractedItem => {
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
      return {
        result: {
          sprite: item.sprite,
          ok: true,
          png: pngPath,
          sidecar: sidecarPath,
          offset: sprite.offset,
          codec: sprite.codec,
          packedLength: extracted.sidecar.packedLength,
          tileCount: extracted.sidecar.tileCount,
        },
        files: [{ path: pngPath, data: extracted.png }, { path: sidecarPath, data: new TextEncoder().encode(JSON.stringify(extracted.sidecar, null, 2) + '\n') }],
      };
    } catch (error) {
      // A failure names the file it would have written (and its JSON carries it).
      return { result: { sprite: item.sprite, ok: false, png: join(task.outDir, `${item.stem}.png`), error: errorJson(error) } };
    } finally {
      onItem?.(index + 1);
    }
  });
}

/** The results, with each sprite whose PNG or sidecar may not be written (it exists, without force) failed alone; and the files of the others. */
function claimOutputs(extracted: readonly ExtractedItem[], force: boolean): { results: ExtractItemResult[]; pending: { index: number; files: { path: string; data: Uint8Array }[] }[] } {
  const pending: { index: number; files: { path: string; data: Uint8Array }[] }[] = [];
  const results = extracted.map((item, index): ExtractItemResult => {
    if (!item.files) return item.result;
    try {
      for (const file of item.files) assertWritable(file.path, force);
    } catch (error) {
      return { sprite: item.result.sprite, ok: false, png: item.files[0]!.path, error: errorJson(error) };
    }
    pending.push({ index, files: item.files });
    return item.result;
  });
  return { results, pending };
}

/** Sprites whose files one atomic batch writes (two files each, within `maximumFilesPerAtomicBatch`). */
const spritesPerWriteBatch = Math.floor(maximumFilesPerAtomicBatch / 2);

/**
 * Extracts `items` of an open ROM into `outDir` (PNG + sidecar each, written atomically, one
 * folder fsync). A failing item is reported, never thrown: one bad sprite does not stop the batch.
 */
export function extractSpritesToFiles(rom: Rom, task: Omit<ExtractChunkTask, 'romPath' | 'progress'>, resolved?: readonly SpriteResolution[]): ExtractItemResult[] {
  const { results, pending } = claimOutputs(extractSpritesToBytes(rom, task, resolved), task.force);
  for (let first = 0; first < pending.length; first += spritesPerWriteBatch) {
    const slice = pending.slice(first, first + spritesPerWriteBatch);
    try {
      writeFilesAtomic(slice.flatMap((p) => p.files), { force: true });
    } catch (error) {
      for (const p of slice) results[p.index] = { sprite: results[p.index]!.sprite, ok: false, png: p.files[0]!.path, error: errorJson(error) };
    }
  }
  return results;
}

/** Writes the claimed files of a batch off the caller's thread (writeFilesAtomicAsync), failing the sprites of a slice that cannot be written. */
async function writeExtracted(results: ExtractItemResult[], pending: readonly { index: number; files: { path: string; data: Uint8Array }[] }[]): Promise<void> {
  for (let first = 0; first < pending.length; first += spritesPerWriteBatch) {
    const slice = pending.slice(first, first + spritesPerWriteBatch);
    try {
      await writeFilesAtomicAsync(slice.flatMap((p) => p.files), { force: true });
    } catch (error) {
      for (const p of slice) results[p.index] = { sprite: results[p.index]!.sprite, ok: false, png: p.files[0]!.path, error: errorJson(error) };
    }
  }
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
  /** Called after each sprite with (sprites done, sprites in all). */
  onProgress?: (done: number, total: number) => void;
  /** Cancels the batch (`ERR_ABORTED`); nothing is written once it is cancelled. */
  signal?: AbortSignal;
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

/** Threads of the process's extract pools: one short burst per batch, then idle; an editor's next extract reuses warm workers. */
export const extractWorkerIdleTimeoutInMs = 5_000;

const extractPools = new Map<string, Piscina<ExtractChunkTask, ExtractedItem[]>>();

function extractPool(threads: number, workerFile: string): Piscina<ExtractChunkTask, ExtractedItem[]> {
  const key = `${threads}\0${workerFile}`;
  let pool = extractPools.get(key);
  if (!pool) {
    pool = new Piscina<ExtractChunkTask, ExtractedItem[]>({
      execArgv: poolWorkerExecArgv(),
      filename: workerFile,
      // Started with the first batch (every thread at once: a batch keeps them all busy) and
      // stopped when idle, so a program that extracted once does not keep threads around.
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: extractWorkerIdleTimeoutInMs,
      // CPU-bound tasks: two at once in one worker would only interleave.
      concurrentTasksPerWorker: 1,
      recordTiming: false,
    });
    pool.on('error', () => {});
    extractPools.set(key, pool);
  }
  return pool;
}

/** Stops the extract workers (tests, and a CLI about to exit that does not want to wait for the idle timeout). */
export async function closeExtractJobs(): Promise<void> {
  const pools = [...extractPools.values()];
  extractPools.clear();
  await Promise.all(pools.map((pool) => pool.destroy()));
}

function aborted(): AbortedError {
  return new AbortedError('the extraction was cancelled; nothing was written');
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Extracts every sprite of `definition` from the ROM at `romPath` into `outDir`: one indexed PNG
 * and one sidecar JSON per sprite. The decoding and PNG encoding run in a worker pool for large
 * batches (in this thread, a slice per turn of the event loop, for small ones); the files are
 * written once, after every sprite is done and the ROM is known to be unchanged, off this
 * thread. `signal` cancels with `ERR_ABORTED` and nothing written; `onProgress` counts sprites.
 * Per-item failures are collected in the result (check `failed`); only problems with the whole
 * batch (ROM unreadable or changed, bad options, cancelled) throw.
 */
export async function extractAll(romPath: string, definition: GameDefinition, outDir: string, options: ExtractAllOptions = {}): Promise<ExtractAllResult> {
  const started = performance.now();
  const signal = options.signal;
  if (signal?.aborted) throw aborted();
  const rom = openRom(romPath);
  // A definition for another game would extract that game's offsets as if they were sprites.
  const variant = chooseVariant(rom, definition, options, romPath).variant;
  const identity = rom.identity();
  const names = options.sprites ?? definition.sprites.map((s) => s.name);
  const items = assignStems(names);
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new NotAFileError(outDir, 'a file, not a folder');

  const threadsWanted = options.threads ?? Math.max(1, Math.min(availableParallelism(), maximumDefaultExtractThreads));
  if (!Number.isSafeInteger(threadsWanted) || threadsWanted < 0 || threadsWanted > maximumExtractThreads) {
    throw new InvalidArgumentError(`threads must be an integer from 0 to ${maximumExtractThreads}, got ${threadsWanted}`);
  }
  const workerFile = options.workerFile ?? defaultExtractWorkerFile;
  const usePool = threadsWanted > 0 && items.length >= (options.minimumSpritesForPool ?? minimumSpritesForPool) && existsSync(workerFile);
  const base = { definition, variant, identity, outDir, force: options.force === true, ...(options.cgram ? { cgram: { rgb: options.cgram.rgb, count: options.cgram.count } } : {}) };
  const chunks: ExtractItem[][] = [];
  for (let i = 0; i < items.length; i += spritesPerTask) chunks.push(items.slice(i, i + spritesPerTask));
  const extracted: ExtractedItem[][] = new Array(chunks.length);
  let done = 0;
  const advance = (count: number): void => {
    if (count <= 0) return;
    done += count;
    options.onProgress?.(done, items.length);
  };
  let threads = 0;

  if (!usePool) {
    const sprites = resolveEachSprite(rom, definition, variant);
    for (let c = 0; c < chunks.length; c++) {
      // Timers, progress output and the abort signal run between slices.
      await nextTurn();
      if (signal?.aborted) throw aborted();
      extracted[c] = extractSpritesToBytes(rom, { ...base, items: chunks[c]! }, sprites, () => advance(1));
    }
  } else {
    threads = Math.min(threadsWanted, chunks.length);
    const pool = extractPool(threads, workerFile);
    // A cancelled batch stops its other tasks through one controller.
    const controller = new AbortController();
    setMaxListeners(chunks.length + 1, controller.signal);
    const forward = (): void => controller.abort();
    signal?.addEventListener('abort', forward, { once: true });
    try {
      await Promise.all(
        chunks.map(async (chunk, c) => {
          let reported = 0;
          const channel = options.onProgress ? new MessageChannel() : undefined;
          if (channel) {
            channel.port1.on('message', (count: number) => {
              // Progress posted after the reply arrived is already counted.
              if (typeof count !== 'number' || count <= reported || count > chunk.length) return;
              advance(count - reported);
              reported = count;
            });
            channel.port1.unref();
          }
          let out: ExtractedItem[];
          try {
            out = await pool.run({ ...base, romPath, items: chunk, ...(channel ? { progress: channel.port2 } : {}) }, { signal: controller.signal, ...(channel ? { transferList: [channel.port2] as never } : {}) });
          } catch (error) {
            if (signal?.aborted || (error as { name?: string }).name === 'AbortError') throw aborted();
            // The worker died (not a per-sprite error, which comes back as data): its items fail.
            out = chunk.map((item) => ({ result: { sprite: item.sprite, ok: false, png: join(outDir, `${item.stem}.png`), error: errorJson(error) } }));
          } finally {
            channel?.port1.close();
          }
          extracted[c] = out;
          advance(chunk.length - reported);
          reported = chunk.length;
        }),
      );
    } catch (error) {
      controller.abort();
      if (signal?.aborted) throw aborted();
      throw error;
    } finally {
      signal?.removeEventListener('abort', forward);
    }
  }
  if (signal?.aborted) throw aborted();
  // The PNGs are only as good as the file they came from (workers read it too): checked before anything is written.
  rom.assertUnchanged();
  if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
  const { results, pending } = claimOutputs(extracted.flat(), options.force === true);
  await writeExtracted(results, pending);
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
