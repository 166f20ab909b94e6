/**
 * Injection off the caller's thread: `injectSpritesAsync` and `injectFolderAsync` (inject-all)
 * run the same transaction as `injectSprites`/`injectFolder`, with each edit's conversion and
 * packing (PNG decode, tile encode, every codec level — HAL and Nemesis `max` take 0.1-1 s a
 * block) in a Piscina pool over workers/inject-worker.ts. The definition check, the arrangement
 * (slots, relocation, pointers), the checksum fix and verification run here over the workers'
 * results through the same functions as the synchronous plan, so the output is byte-identical.
 *
 * `signal` stops the batch at once (running workers are stopped; the pool starts fresh ones for
 * the next batch) with `ERR_ABORTED`, and nothing is written: the output, patch and definition
 * are written once, through src/util/files.ts, after every sprite is done and the input is known
 * to be unchanged (`ERR_ROM_CHANGED` otherwise). `onProgress` counts sprites converted.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { setMaxListeners } from 'node:events';
import { Piscina } from 'piscina';
import { isBuiltInCodec } from '../codecs/registry.js';
import { AbortedError, InternalError, InvalidArgumentError, RomgfxError } from '../errors.js';
import type { GameDefinition } from '../defs/types.js';
import { checkInjectionOutputs, readFolderEdits, writeInjection, type InjectAllResult, type InjectFolderOptions, type InjectOptions, type InjectResult } from '../inject/inject.js';
import { applyPlanToBytes, draftInjection, prepareOrFailure, prepareSpriteEdit, type InjectionJob, type PlanOptions, type PreparedEdit, type SpriteEdit } from '../inject/plan.js';
import { openRom, type Rom } from '../rom/rom.js';
import { poolWorkerExecArgv } from '../util/worker-exec-argv.js';
import { PACKAGE_ROOT } from '../version.js';
import { createPatchAsync, type JobControl } from './patch-jobs.js';
import type { InjectJobReply, InjectJobTask } from '../../workers/inject-worker.js';

/** The compiled worker (resolved from the package root: works from src/ in tests and dist/ at run time). */
export const defaultInjectWorkerFile = join(PACKAGE_ROOT, 'dist', 'workers', 'inject-worker.js');
/** Threads by default: one per core, at most this many (packing is CPU-bound; more threads than cores only interleave). */
export const maximumDefaultInjectThreads = 4;
/** The most threads a caller may ask for. */
export const maximumInjectThreads = 64;
/**
 * Idle inject workers stop after this long. An editor saves in bursts: a save soon after the
 * last reuses warm workers (encoders compiled, the ROM still open); a worker idle longer gives
 * its memory and its open ROM back.
 */
export const injectWorkerIdleTimeoutInMs = 5_000;
/** Edits per worker task, at most: small enough to balance 0.1-1 s packs across threads, large enough that posting the definition is noise. */
export const maximumEditsPerInjectTask = 8;
/** Tasks per thread a batch is cut into (when it has enough edits): keeps every thread busy to the end. */
const injectTasksPerThread = 4;

/** How an async injection runs: cancellation and progress (sprites converted of the batch's), and its threads. */
export interface InjectJobOptions extends JobControl {
  /** Worker threads (default: cores, at most 4). 0 runs the work in this thread, yielding between sprites. */
  threads?: number;
  /** The worker script (default dist/workers/inject-worker.js; when it is missing the work runs in this thread). */
  workerFile?: string;
}

const pools = new Map<string, Piscina<InjectJobTask, InjectJobReply>>();

function injectPool(threads: number, workerFile: string): Piscina<InjectJobTask, InjectJobReply> {
  const key = `${threads}\0${workerFile}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new Piscina<InjectJobTask, InjectJobReply>({
      filename: workerFile,
      execArgv: poolWorkerExecArgv(),
      // Started on demand: a save with one edited sprite needs one thread, not all of them.
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: injectWorkerIdleTimeoutInMs,
      // CPU-bound tasks: two at once in one worker would only interleave.
      concurrentTasksPerWorker: 1,
      recordTiming: false,
    });
    pool.on('error', () => {});
    pools.set(key, pool);
  }
  return pool;
}

/** Stops the inject workers (tests, and a CLI about to exit that does not want to wait for the idle timeout). */
export async function closeInjectJobs(): Promise<void> {
  const current = [...pools.values()];
  pools.clear();
  await Promise.all(current.map((pool) => pool.destroy()));
}

function threadsFor(options: InjectJobOptions): number {
  const threads = options.threads ?? Math.max(1, Math.min(availableParallelism(), maximumDefaultInjectThreads));
  if (!Number.isSafeInteger(threads) || threads < 0 || threads > maximumInjectThreads) {
    throw new InvalidArgumentError(`threads must be an integer from 0 to ${maximumInjectThreads}, got ${threads}`, { threads });
  }
  return threads;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError('the injection was cancelled; nothing was written');
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The jobs in this thread, one sprite per turn of the event loop (no worker file, a plug-in codec, or threads 0). */
async function prepareHere(rom: Rom, definition: GameDefinition, jobs: readonly InjectionJob[], options: PlanOptions, control: JobControl): Promise<(PreparedEdit | RomgfxError)[]> {
  const results: (PreparedEdit | RomgfxError)[] = [];
  for (const job of jobs) {
    await nextTurn();
    throwIfAborted(control.signal);
    results.push(prepareOrFailure(() => prepareSpriteEdit(rom, definition, job.edit, job.sprite, job.block, options)));
    control.onProgress?.(results.length, jobs.length);
  }
  return results;
}

/** The jobs in the pool, cut into tasks; the results in the order of `jobs`. */
async function prepareInPool(rom: Rom, romPath: string, definition: GameDefinition, variant: string | undefined, jobs: readonly InjectionJob[], options: PlanOptions, control: JobControl, pool: Piscina<InjectJobTask, InjectJobReply>, threads: number): Promise<(PreparedEdit | RomgfxError)[]> {
  const perTask = Math.max(1, Math.min(maximumEditsPerInjectTask, Math.ceil(jobs.length / (threads * injectTasksPerThread))));
  const slices: { first: number; jobs: readonly InjectionJob[] }[] = [];
  for (let first = 0; first < jobs.length; first += perTask) slices.push({ first, jobs: jobs.slice(first, first + perTask) });
  const sha1 = rom.identity().sha1;
  const planOptions: InjectJobTask['options'] = {
    ...(options.allowResize !== undefined ? { allowResize: options.allowResize } : {}),
    ...(options.vramSafe !== undefined ? { vramSafe: options.vramSafe } : {}),
    ...(options.cgram ? { cgram: { rgb: options.cgram.rgb, count: options.cgram.count } } : {}),
  };
  const results: (PreparedEdit | RomgfxError)[] = new Array(jobs.length);
  let done = 0;
  const advance = (count: number): void => {
    if (count <= 0) return;
    done += count;
    control.onProgress?.(done, jobs.length);
  };
  // A failed or cancelled batch stops its other tasks through one controller.
  const controller = new AbortController();
  setMaxListeners(slices.length + 1, controller.signal);
  const forward = (): void => controller.abort();
  control.signal?.addEventListener('abort', forward, { once: true });
  try {
    await Promise.all(
      slices.map(async (slice) => {
        let reported = 0;
        let port: MessagePort | undefined;
        let channel: MessageChannel | undefined;
        if (control.onProgress) {
          channel = new MessageChannel();
          channel.port1.on('message', (count: number) => {
            // Progress posted after the reply arrived is already counted.
            if (typeof count !== 'number' || count <= reported || count > slice.jobs.length) return;
            advance(count - reported);
            reported = count;
          });
          channel.port1.unref();
          port = channel.port2;
        }
        const task: InjectJobTask = {
          romPath,
          sha1,
          definition,
          variant,
          options: planOptions,
          items: slice.jobs.map((job) => ({ edit: job.edit, block: job.block })),
          ...(port ? { progress: port } : {}),
        };
        let reply: InjectJobReply;
        try {
          reply = await pool.run(task, { signal: controller.signal, ...(port ? { transferList: [port] as never } : {}) });
        } catch (error) {
          if (control.signal?.aborted || (error as { name?: string }).name === 'AbortError') throw new AbortedError('the injection was cancelled; nothing was written');
          throw new InternalError(`an inject worker failed: ${(error as Error).message}`, {}, { cause: error });
        } finally {
          channel?.port1.close();
        }
        if (!reply || typeof reply !== 'object' || typeof (reply as { ok?: unknown }).ok !== 'boolean') throw new InternalError('an inject worker sent a malformed reply');
        if (!reply.ok) throw RomgfxError.fromJSON(reply.error);
        if (reply.items.length !== slice.jobs.length) throw new InternalError(`an inject worker answered ${reply.items.length} of ${slice.jobs.length} edits`);
        reply.items.forEach((item, i) => {
          if (item.ok) results[slice.first + i] = item.prepared;
          else if (item.error.code === 'ERR_INTERNAL') throw new InternalError(item.error.message);
          else results[slice.first + i] = RomgfxError.fromJSON(item.error);
        });
        advance(slice.jobs.length - reported);
        reported = slice.jobs.length;
      }),
    );
  } catch (error) {
    controller.abort();
    throwIfAborted(control.signal);
    // A worker that found another file saw the file change: say that, in the caller's words.
    rom.assertUnchanged();
    throw error;
  } finally {
    control.signal?.removeEventListener('abort', forward);
  }
  return results;
}

/**
 * `injectSprites` with the conversion and packing in a worker pool (see the module comment):
 * the same checks, plan, output bytes, patch and result; `signal` cancels it with nothing
 * written; `onProgress(done, total)` counts the edited sprites converted.
 */
export async function injectSpritesAsync(romPath: string, definition: GameDefinition, edits: readonly SpriteEdit[], options: InjectOptions & InjectJobOptions = {}): Promise<InjectResult> {
  const started = performance.now();
  const signal = options.signal;
  throwIfAborted(signal);
  const threads = threadsFor(options);
  const target = checkInjectionOutputs(romPath, definition, options);
  const rom: Rom = openRom(romPath);
  const draft = draftInjection(rom, definition, edits, options);
  const jobs = draft.jobs;
  options.onProgress?.(0, jobs.length);
  const workerFile = options.workerFile ?? defaultInjectWorkerFile;
  // Workers import the codec registry afresh: a codec registered only in this thread is packed here.
  const inPool = threads > 0 && jobs.length > 0 && rom.source.path !== null && existsSync(workerFile) && jobs.every((job) => job.sprite.codec === 'none' || isBuiltInCodec(job.sprite.codec));
  const prepared = inPool
    ? await prepareInPool(rom, romPath, definition, draft.variant, jobs, options, options, injectPool(threads, workerFile), threads)
    : await prepareHere(rom, definition, jobs, options, options);
  throwIfAborted(signal);
  const injected = applyPlanToBytes(rom, draft.finish(prepared));
  // What was planned and verified came from the file as opened (here and in the workers).
  rom.assertUnchanged();
  let patchBytes: Uint8Array | undefined;
  if (target.patchFormat) {
    patchBytes = (await createPatchAsync(target.patchFormat, rom.source.view(0, rom.source.size), injected.output, signal ? { signal } : {})).patch;
    rom.assertUnchanged();
  }
  // The last moment to cancel: from here the output is written once, whole.
  throwIfAborted(signal);
  return writeInjection(romPath, definition, injected, target, patchBytes, options, started);
}

/**
 * `injectFolder` (inject-all) with the conversion and packing in a worker pool: every sprite of
 * an extract-all folder in one transaction, the same result as the synchronous form.
 */
export async function injectFolderAsync(romPath: string, definition: GameDefinition, dir: string, options: InjectFolderOptions & InjectJobOptions = {}): Promise<InjectAllResult> {
  throwIfAborted(options.signal);
  const batch = readFolderEdits(romPath, definition, dir, options);
  const { signal, onProgress, threads, workerFile } = options;
  const result = await injectSpritesAsync(romPath, definition, batch.edits, {
    ...batch.injectOptions,
    ...(signal ? { signal } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(threads !== undefined ? { threads } : {}),
    ...(workerFile !== undefined ? { workerFile } : {}),
  });
  return { ...result, folder: dir, sidecars: batch.sidecars, identityMismatches: batch.identityMismatches };
}
