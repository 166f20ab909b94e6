/**
 * Patch creation and application off the caller's thread: a BPS of a 4 MiB ROM takes about a
 * second of CPU, which would freeze an editor's event loop. The work runs in a small process-wide
 * Piscina pool over workers/patch-worker.ts; `signal` cancels it (a running task's worker is
 * stopped, so cancelling is immediate), `onProgress` reports target bytes encoded. The
 * synchronous `createPatch`/`applyPatch` stay for small inputs and scripts.
 */
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AbortedError, InternalError, RomgfxError, type ErrorCategory, type ErrorDetails } from '../errors.js';
import type { PatchApplyResult, PatchCreateResult, PatchFormat } from '../patch/index.js';
import { poolWorkerExecArgv } from '../util/worker-exec-argv.js';
import { PACKAGE_ROOT } from '../version.js';
import type { PatchJobTask } from '../../workers/patch-worker.js';

/** The compiled worker (resolved from the package root: works from src/ in tests and dist/ at run time). */
export const defaultPatchWorkerFile = join(PACKAGE_ROOT, 'dist', 'workers', 'patch-worker.js');
/** Patch jobs are one thread each; two let a second job start while one runs. */
export const patchWorkerThreads = 2;
/** Idle patch workers stop after this long (a save is one burst; the next reuses a warm worker). */
export const patchWorkerIdleTimeoutInMs = 2_000;

/** What a patch worker sends back. */
export type PatchJobReply =
  | { ok: true; kind: 'create'; result: PatchCreateResult }
  | { ok: true; kind: 'apply'; result: PatchApplyResult }
  | { ok: false; error: { name: string; code: string; category: ErrorCategory; message: string; details: ErrorDetails } };

/** Cancellation and progress for a job. */
export interface JobControl {
  signal?: AbortSignal;
  /** Called with (bytes done, bytes in all) while the job runs (patch creation: target bytes encoded). */
  onProgress?: (done: number, total: number) => void;
}

let pool: Piscina<PatchJobTask, PatchJobReply> | undefined;

function patchPool(): Piscina<PatchJobTask, PatchJobReply> {
  if (!pool) {
    pool = new Piscina<PatchJobTask, PatchJobReply>({
      filename: defaultPatchWorkerFile,
      execArgv: poolWorkerExecArgv(),
      minThreads: 0,
      maxThreads: patchWorkerThreads,
      idleTimeout: patchWorkerIdleTimeoutInMs,
      concurrentTasksPerWorker: 1,
      recordTiming: false,
    });
    pool.on('error', () => {});
  }
  return pool;
}

/** Stops the patch workers (tests, and a program about to exit that does not want to wait for the idle timeout). */
export async function closePatchJobs(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.destroy();
}

async function run(task: PatchJobTask, control: JobControl, transferList: MessagePort[] = []): Promise<PatchJobReply> {
  if (control.signal?.aborted) throw new AbortedError('the patch job was cancelled');
  try {
    return await patchPool().run(task, { transferList: transferList as never, ...(control.signal ? { signal: control.signal } : {}) });
  } catch (error) {
    if (control.signal?.aborted || (error as { name?: string }).name === 'AbortError') throw new AbortedError('the patch job was cancelled');
    throw new InternalError(`a patch worker failed: ${(error as Error).message}`, {}, { cause: error });
  }
}

function unwrap<T extends PatchJobReply>(reply: T): Exclude<T, { ok: false }> {
  if (!reply.ok) {
    throw RomgfxError.fromJSON(reply.error);
  }
  return reply as Exclude<T, { ok: false }>;
}

/**
 * `createPatch` in a worker: a patch in `format` that turns `source` into `target`. The inputs
 * are copied to the worker (the caller's buffers stay usable).
 */
export async function createPatchAsync(format: PatchFormat, source: Uint8Array, target: Uint8Array, options: JobControl & { metadata?: string } = {}): Promise<PatchCreateResult> {
  let channel: MessageChannel | undefined;
  const task: PatchJobTask = { kind: 'create', format, source, target, ...(options.metadata !== undefined ? { metadata: options.metadata } : {}) };
  if (options.onProgress) {
    channel = new MessageChannel();
    const report = options.onProgress;
    channel.port1.on('message', (message: [number, number]) => report(message[0], message[1]));
    channel.port1.unref();
    task.progress = channel.port2;
  }
  try {
    const reply = unwrap(await run(task, options, channel ? [channel.port2] : []));
    if (reply.kind !== 'create') throw new InternalError('a patch worker answered a create job with another kind');
    return reply.result;
  } finally {
    channel?.port1.close();
  }
}

/** `applyPatch` in a worker (IPS or BPS by magic; BPS checks its CRCs unless `ignoreChecksum`). */
export async function applyPatchAsync(patch: Uint8Array, source: Uint8Array, options: JobControl & { ignoreChecksum?: boolean } = {}): Promise<PatchApplyResult> {
  const reply = unwrap(await run({ kind: 'apply', patch, source, ignoreChecksum: options.ignoreChecksum === true }, options));
  if (reply.kind !== 'apply') throw new InternalError('a patch worker answered an apply job with another kind');
  return reply.result;
}
