/**
 * The thumbnail worker pool: Piscina, sized and limited on purpose, with romgfx errors.
 *
 * Workers do the JS-thread work (decompression, tile decoding, scaling, PNG encoding); the main
 * thread only routes, caches and, for WebP, calls sharp (which already runs off the JS thread).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { AbortedError, QueueFullError, RomgfxError, ThumbnailRequestError, ThumbnailWorkerError } from '../errors.js';
import { PACKAGE_ROOT } from '../version.js';
import { errorFromReply, packBatch, type PoolMessage, type PoolReply, type WorkerReply, type WorkerSuccess, type WorkerTask } from './protocol.js';
import { poolWorkerExecArgv } from '../util/worker-exec-argv.js';

/** The compiled worker entry point; resolved from the package root so src/ (tests) and dist/ (runtime) find the same file. */
export const defaultWorkerFile = join(PACKAGE_ROOT, 'dist', 'workers', 'thumbnail.js');
/** Most threads chosen by default: decoding a thumbnail is ~1 ms of CPU, so more threads than cores only adds contention. */
export const maximumDefaultThreads = 4;
/** The most threads a caller may ask for. */
export const maximumThreads = 64;
/** Queued tasks per thread before submissions fail with QueueFullError. */
export const queuedTasksPerThread = 256;
/**
 * Most tasks posted in one message: enough to amortise the per-message cost, few enough to keep
 * both workers fed. 16 against 8, interleaved runs of 1,000 cold thumbnails: 1 worker 133–135
 * vs 150–152 ms, 2 workers 80–91 vs 94–98 ms (fewer round trips in which a worker waits for the
 * main thread); Piscina alone with our worker, 2 threads / 1: 1.80 vs 1.60–1.65.
 */
export const maximumBatchSize = 16;
/** How long an idle worker stays alive. */
export const defaultIdleTimeoutInMs = 30_000;

export interface PoolOptions {
  /** Worker threads (default: cores, at most 4). */
  threads?: number;
  /** Waiting tasks allowed before QueueFullError (default: 256 per thread). */
  maxQueue?: number;
  /** Milliseconds an idle worker lives (default 30 s). */
  idleTimeoutMs?: number;
  /** The worker script (default: dist/workers/thumbnail.js). Tests substitute their own. */
  workerFile?: string;
  /** Passed to every worker as `workerData`. */
  workerData?: unknown;
  /** Record Piscina's run/wait histograms (worker utilisation). */
  recordTiming?: boolean;
}

/** The thread count to use: `threads` checked, or the default (cores, at most 4). */
export function resolveThreads(threads: number | undefined): number {
  const resolved = threads ?? Math.max(1, Math.min(availableParallelism(), maximumDefaultThreads));
  if (!Number.isSafeInteger(resolved) || resolved < 1 || resolved > maximumThreads) {
    throw new ThumbnailRequestError('threads', `must be an integer from 1 to ${maximumThreads} (got ${resolved})`);
  }
  return resolved;
}

export class ThumbnailPool {
  readonly #piscina: Piscina<PoolMessage, PoolReply>;
  readonly threads: number;
  readonly maxQueue: number;
  #closed = false;
  /** Tasks submitted and not yet settled (running + waiting). */
  #pending = 0;
  /** Messages (single tasks or batches) posted to Piscina and not yet answered. */
  #messagesInFlight = 0;
  /** Tasks submitted this turn, posted together by #flush. */
  readonly #queue: QueuedTask[] = [];
  #flushScheduled = false;
  /**
   * Tasks that failed at the worker level while sharing a worker (a batch, or two messages per
   * worker): each runs once more with nothing else in the pool, so only the task that kills a
   * worker fails, never a neighbour (with one retry beside other work, a neighbour could land
   * next to the culprit's retry and fail too: seen once under load in test/thumbs/pool.test.ts).
   */
  readonly #solo: QueuedTask[] = [];
  #soloRunning = false;
  #soloDrained: (() => void) | null = null;

  constructor(options: PoolOptions = {}) {
    const threads = resolveThreads(options.threads);
    const maxQueue = options.maxQueue ?? threads * queuedTasksPerThread;
    if (!Number.isSafeInteger(maxQueue) || maxQueue < 0) throw new ThumbnailRequestError('maxQueue', `must be a non-negative integer (got ${maxQueue})`);
    this.threads = threads;
    this.maxQueue = maxQueue;
    this.#piscina = new Piscina<PoolMessage, PoolReply>({
      execArgv: poolWorkerExecArgv(),
      filename: options.workerFile ?? defaultWorkerFile,
      // Fixed size: a worker costs ~100 ms to start (more with sharp loaded), and thumbnails come in bursts.
      minThreads: threads,
      maxThreads: threads,
      // Keep warm workers between an editor's bursts; idle workers are unref'd, so they never hold the process open.
      idleTimeout: options.idleTimeoutMs ?? defaultIdleTimeoutInMs,
      // Bounded so a runaway caller gets QueueFullError rather than unbounded memory; renderMany stays far below it.
      // Piscina applies maxQueue only to tasks without an AbortSignal (abortable ones wait in an unbounded
      // side queue), and ours all have one, so run() enforces the same limit itself.
      maxQueue,
      // Two messages per worker: the second waits in the worker's port, so a worker finishing a batch
      // starts the next at once instead of idling through a round trip to the main thread (workers
      // sat ~20% in atomicsWaitLoop at 1; 2 workers vs 1 went from 1.24× to 1.41–1.52×, measured
      // here). The handler is synchronous, so the two never interleave.
      concurrentTasksPerWorker: 2,
      // Piscina's run/wait histograms feed worker utilisation; off with instrumentation off.
      recordTiming: options.recordTiming ?? true,
      workerData: options.workerData,
    });
    // A worker that fails to start or dies emits 'error' on the pool; requests already carry their own rejection.
    this.#piscina.on('error', () => {});
  }

  /** Tasks waiting for a worker. */
  get queueDepth(): number {
    return Math.max(0, this.#pending - this.threads);
  }

  get utilization(): number {
    return this.#piscina.utilization;
  }

  get completed(): number {
    return this.#piscina.completed;
  }

  /**
   * Runs a task. Rejects with the worker's RomgfxError, AbortedError, QueueFullError or
   * ThumbnailWorkerError. Tasks submitted in the same turn of the event loop are posted in
   * batches (see #flush); a single task is posted alone and is cancellable mid-run.
   */
  run(task: WorkerTask, signal?: AbortSignal): Promise<WorkerSuccess> {
    if (signal?.aborted) return Promise.reject(new AbortedError('the thumbnail request was cancelled', { offset: task.request.block.offset }));
    if (this.#pending >= this.threads + this.maxQueue) return Promise.reject(new QueueFullError(this.maxQueue));
    this.#pending++;
    return new Promise<WorkerSuccess>((resolve, reject) => {
      const item: QueuedTask = {
        task,
        signal,
        settled: false,
        onAbort: null,
        settle: (error, reply) => {
          if (item.settled) return;
          item.settled = true;
          this.#pending--;
          if (item.onAbort) item.signal?.removeEventListener('abort', item.onAbort);
          if (error) reject(error);
          else resolve(reply!);
        },
      };
      this.#queue.push(item);
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // After this turn's microtasks: every lane that resumed on the last reply has submitted by then.
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Posts what was queued this turn: alone when there is spare capacity, else in batches of up to `maximumBatchSize`. */
  #flush(): void {
    this.#flushScheduled = false;
    // Nothing new goes out while a task waits to run alone.
    if (this.#solo.length > 0 || this.#soloRunning) return;
    const items = this.#queue.splice(0).filter((item) => {
      if (!item.signal?.aborted) return true;
      item.settle(new AbortedError('the thumbnail request was cancelled', { offset: item.task.request.block.offset }));
      return false;
    });
    // Split across idle workers only. Splitting by the thread count made batches decay: with 2
    // threads a returning batch of 8 went back out as 2×4, then 4×2 … down to single-task messages,
    // and the service ran slower on 2 workers than on 1 (251 → 291 µs per thumbnail, measured here).
    const idle = this.threads - this.#messagesInFlight;
    const size = idle > 0 ? Math.min(maximumBatchSize, Math.max(1, Math.ceil(items.length / idle))) : maximumBatchSize;
    for (let i = 0; i < items.length; i += size) {
      const group = items.slice(i, i + size);
      if (group.length === 1) this.#runAlone(group[0]!);
      else this.#runBatch(group);
    }
  }

  /**
   * Posts one task. A worker holds up to two messages, so a worker that dies may take a
   * neighbour's task with it: a task that fails at the worker level (not aborted, not refused,
   * pool not closing) is run once more with nothing else in the pool (#solo), and fails only if
   * it kills a worker again.
   */
  #runAlone(item: QueuedTask): void {
    this.#messagesInFlight++;
    this.#piscina.run(item.task, item.signal ? { signal: item.signal } : {}).then(
      (reply) => {
        this.#messagesInFlight--;
        this.#pumpSolo();
        settleFromReply(item, reply);
      },
      (error: unknown) => {
        this.#messagesInFlight--;
        this.#pumpSolo();
        const translated = translatePoolError(error, this.maxQueue, item.task);
        // A worker terminated while the pool is open was killed for a neighbour's abort, not for this task.
        const terminated = error instanceof Error && error.message === 'Terminating worker thread';
        const workerLevel = translated instanceof ThumbnailWorkerError || terminated;
        if (workerLevel && !this.#closed && !item.settled && !item.signal?.aborted) this.#runSolo(item);
        else item.settle(translated);
      },
    );
  }

  #runBatch(group: QueuedTask[]): void {
    // A batch is not cancellable as a whole (its other tasks still want it): a cancelled task
    // stops being waited for at once, and its result, when it comes, is dropped.
    for (const item of group) {
      if (!item.signal) continue;
      item.onAbort = () => item.settle(new AbortedError('the thumbnail request was cancelled', { offset: item.task.request.block.offset }));
      item.signal.addEventListener('abort', item.onAbort, { once: true });
    }
    this.#messagesInFlight++;
    this.#piscina.run(packBatch(group.map((item) => item.task))).then(
      (reply) => {
        this.#messagesInFlight--;
        this.#pumpSolo();
        const replies = reply && typeof reply === 'object' && 'batch' in reply && Array.isArray(reply.batch) && reply.batch.length === group.length ? reply.batch : null;
        group.forEach((item, k) => (replies ? settleFromReply(item, replies[k]) : item.settle(new ThumbnailWorkerError('the thumbnail worker sent a malformed batch reply', { offset: item.task.request.block.offset }))));
      },
      (error: unknown) => {
        this.#messagesInFlight--;
        this.#pumpSolo();
        // The worker died or threw outside its per-task handling: run each task alone again, so
        // only the one that causes it fails (a worker failure must not take its neighbours along).
        // Only a real close() counts as closing: a worker terminated because a neighbouring task
        // was aborted (two messages per worker) must not fail this batch's tasks.
        const closing = this.#closed;
        for (const item of group) {
          if (item.settled) continue;
          if (closing) item.settle(translatePoolError(error, this.maxQueue, item.task));
          else this.#runSolo(item);
        }
      },
    );
  }

  /** Queues a task to run again with nothing else in the pool (see #solo). */
  #runSolo(item: QueuedTask): void {
    this.#solo.push(item);
    this.#pumpSolo();
  }

  /** Starts the next solo task once the pool is empty; when none are left, lets held work go out. */
  #pumpSolo(): void {
    if (this.#soloRunning) return;
    if (this.#solo.length === 0) {
      if (this.#soloDrained) {
        this.#soloDrained();
        this.#soloDrained = null;
      }
      if (this.#queue.length > 0 && !this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
      return;
    }
    if (this.#messagesInFlight > 0) return;
    const item = this.#solo.shift()!;
    if (item.settled || item.signal?.aborted) {
      item.settle(new AbortedError('the thumbnail request was cancelled', { offset: item.task.request.block.offset }));
      this.#pumpSolo();
      return;
    }
    this.#soloRunning = true;
    this.#messagesInFlight++;
    const finish = (): void => {
      this.#messagesInFlight--;
      this.#soloRunning = false;
      this.#pumpSolo();
    };
    this.#piscina.run(item.task, item.signal ? { signal: item.signal } : {}).then(
      (reply) => {
        settleFromReply(item, reply);
        finish();
      },
      (error: unknown) => {
        item.settle(translatePoolError(error, this.maxQueue, item.task));
        finish();
      },
    );
  }

  /** Finishes queued and running tasks, then stops the workers. */
  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#solo.length > 0 || this.#soloRunning) await new Promise<void>((resolve) => (this.#soloDrained = resolve));
    if (this.#queue.length > 0) this.#flush();
    this.#closed = true;
    await this.#piscina.close();
  }

  /** Stops at once: queued and running tasks reject with AbortedError. */
  async destroy(): Promise<void> {
    this.#closed = true;
    for (const item of this.#solo.splice(0)) item.settle(new AbortedError('the thumbnail pool was destroyed before this request ran', { offset: item.task.request.block.offset }));
    await this.#piscina.destroy();
  }
}

interface QueuedTask {
  readonly task: WorkerTask;
  readonly signal: AbortSignal | undefined;
  settled: boolean;
  onAbort: (() => void) | null;
  settle(error: RomgfxError | null | undefined, reply?: WorkerSuccess): void;
}

function settleFromReply(item: QueuedTask, reply: PoolReply | WorkerReply | undefined): void {
  if (!reply || typeof reply !== 'object' || typeof (reply as { ok?: unknown }).ok !== 'boolean') {
    item.settle(new ThumbnailWorkerError('the thumbnail worker sent a malformed reply', { offset: item.task.request.block.offset }));
    return;
  }
  const single = reply as WorkerReply;
  if (!single.ok) item.settle(errorFromReply(single));
  else item.settle(null, single);
}

function translatePoolError(error: unknown, maxQueue: number, task: WorkerTask): RomgfxError {
  if (error instanceof RomgfxError) return error;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'AbortError') return new AbortedError('the thumbnail request was cancelled', { offset: task.request.block.offset });
  if (message === 'Task queue is at limit') return new QueueFullError(maxQueue);
  if (message === 'Terminating worker thread') return new AbortedError('the thumbnail pool was closed before this request ran', { offset: task.request.block.offset });
  return new ThumbnailWorkerError(`the thumbnail worker failed: ${message}`, { offset: task.request.block.offset }, { cause: error });
}
