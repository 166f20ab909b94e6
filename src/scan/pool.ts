/**
 * The scan worker pool (Piscina over workers/scan-worker.ts) and its message shapes.
 *
 * A task names the ROM by path (each worker maps the file itself: a mapped Buffer posted to a
 * worker would be copied) and by identity (the worker refuses a file whose SHA-1 changed), and
 * one chunk of stream starts for one codec. Errors come back as data (a thrown RomgfxError
 * crossing threads loses its class and code).
 */
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { AbortedError, RomgfxError, ScanWorkerError, type ErrorCategory, type ErrorDetails } from '../errors.js';
import type { Platform } from '../rom/platform.js';
import { PACKAGE_ROOT } from '../version.js';
import type { ScanCandidate, ScanCodec } from './types.js';
import { poolWorkerExecArgv } from '../util/worker-exec-argv.js';

/** The compiled worker entry point, resolved from the package root (works from src/ in tests and dist/ at run time). */
export const defaultScanWorkerFile = join(PACKAGE_ROOT, 'dist', 'workers', 'scan-worker.js');
/** The most worker threads a caller may ask for. */
export const maximumScanWorkers = 64;
/**
 * Idle workers stay this long: a scan is one burst of chunks, and the next scan of an editor
 * session reuses warm workers (the ROM stays mapped in them). Idle workers are unref'd.
 */
export const scanWorkerIdleTimeoutInMs = 10_000;

const sharedPools = new Map<number, ScanPool>();

/**
 * The process's scan pool of `threads` workers, created on first use and kept: the next scan
 * (an editor rescanning, another ROM) reuses warm workers whose JIT has compiled the scan
 * kernels, instead of paying start-up and warm-up again. Idle workers do not keep the process
 * alive; closeScanPools() stops them at once.
 */
export function sharedScanPool(threads: number): ScanPool {
  let pool = sharedPools.get(threads);
  if (!pool || pool.closed) {
    pool = new ScanPool(threads);
    sharedPools.set(threads, pool);
  }
  return pool;
}

/** Stops every shared scan pool (tests, and a CLI that is about to exit). */
export async function closeScanPools(): Promise<void> {
  const pools = [...sharedPools.values()];
  sharedPools.clear();
  await Promise.all(pools.map((pool) => pool.close()));
}

export interface ScanWorkerTask {
  path: string;
  platform: Platform;
  sha1: string;
  codec: ScanCodec;
  start: number;
  end: number;
  formats: string[];
  minimumUnpackedSize: number;
  minimumScore: number;
}

export type ScanWorkerReply =
  | { ok: true; candidates: ScanCandidate[]; decoded: number }
  | { ok: false; error: { name: string; code: string; category: ErrorCategory; message: string; details: ErrorDetails } };

export class ScanPool {
  readonly #piscina: Piscina<ScanWorkerTask, ScanWorkerReply>;
  readonly threads: number;
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  constructor(threads: number, workerFile: string = defaultScanWorkerFile) {
    this.threads = threads;
    this.#piscina = new Piscina<ScanWorkerTask, ScanWorkerReply>({
      execArgv: poolWorkerExecArgv(),
      filename: workerFile,
      // Fixed size, started up front: every scan keeps all threads busy from its first chunk
      // (Piscina's default on 2 cores would be up to 3 threads, one more than there are cores).
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: scanWorkerIdleTimeoutInMs,
      // CPU-bound chunks: two at once in one worker would only interleave.
      concurrentTasksPerWorker: 1,
      recordTiming: false,
    });
    this.#piscina.on('error', () => {});
  }

  async run(task: ScanWorkerTask, signal?: AbortSignal): Promise<{ candidates: ScanCandidate[]; decoded: number }> {
    if (signal?.aborted) throw new AbortedError('the scan was cancelled');
    let reply: ScanWorkerReply;
    try {
      reply = await this.#piscina.run(task, signal ? { signal } : {});
    } catch (error) {
      if (signal?.aborted || (error as { name?: string }).name === 'AbortError') throw new AbortedError('the scan was cancelled');
      throw new ScanWorkerError(`a scan worker failed on ${task.codec} chunk ${task.start}-${task.end}: ${(error as Error).message}`, { codec: task.codec, start: task.start, end: task.end }, { cause: error });
    }
    if (!reply || typeof reply !== 'object' || typeof (reply as { ok?: unknown }).ok !== 'boolean') {
      throw new ScanWorkerError('a scan worker sent a malformed reply', { codec: task.codec, start: task.start });
    }
    if (!reply.ok) {
      throw RomgfxError.fromJSON(reply.error);
    }
    return reply;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#piscina.close();
  }

  async destroy(): Promise<void> {
    this.#closed = true;
    await this.#piscina.destroy();
  }
}
