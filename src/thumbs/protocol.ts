/**
 * The messages between the ThumbnailService (main thread) and the thumbnail workers.
 *
 * Errors come back as data, not as thrown objects: a thrown RomgfxError crossing the thread
 * boundary is structured-cloned into a plain Error and loses its code and details. A reply with
 * `ok: false` carries them, and the main thread rebuilds a RomgfxError with the same code.
 */
import { InternalError, RomgfxError, type ErrorCategory, type ErrorDetails } from '../errors.js';
import { sameVariant, type NormalizedRequest } from './request.js';

export interface WorkerTask {
  readonly request: NormalizedRequest;
  /** Take stage timings (two clock reads per stage) and send them back. */
  readonly instrumentation: boolean;
  /** `png`: the worker encodes an indexed PNG. `rgba`: the worker returns scaled RGBA pixels (for WebP, encoded by sharp on the main thread). */
  readonly output: 'png' | 'rgba';
}

export interface WorkerSuccess {
  readonly ok: true;
  readonly kind: 'png' | 'rgba';
  /**
   * The PNG file, or width × height × 4 bytes of RGBA. Transferred, not copied; the PNGs of a
   * batch arrive as views of one buffer (answerMessage).
   */
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Seconds spent decompressing + decoding + arranging + scaling, and encoding; 0 when not measured. */
  readonly decodeSeconds: number;
  readonly encodeSeconds: number;
}

export interface WorkerFailure {
  readonly ok: false;
  readonly error: { name: string; code: string; category: ErrorCategory; message: string; details: ErrorDetails };
}

export type WorkerReply = WorkerSuccess | WorkerFailure;

/**
 * What the pool posts: one task, or several at once. Batching divides the per-message cost
 * (structured clone, wake-up, bookkeeping) that otherwise keeps the main thread busy enough to
 * stop a second worker from paying off on two cores.
 */
export type PoolMessage = WorkerTask | { readonly batch: readonly WorkerTask[] } | { readonly packed: PackedBatch };
export type PoolReply = WorkerReply | { readonly batch: readonly WorkerReply[] };

/**
 * A batch as the pool posts it: each distinct task once (a template), and per task its
 * template's index and its block offset. A batch is usually one variant at eight offsets, and
 * structured-cloning eight full requests cost 2.8 µs per task on the main thread against 0.7
 * for this form (measured here).
 */
export interface PackedBatch {
  readonly templates: readonly WorkerTask[];
  /** Pairs: template index, block offset. */
  readonly items: Float64Array;
}

/** Whether two tasks differ at most in their block offset (the worker also needs the same path and platform). */
function sameTemplate(a: WorkerTask, b: WorkerTask): boolean {
  return a.instrumentation === b.instrumentation && a.output === b.output && a.request.rom.path === b.request.rom.path && a.request.rom.platform === b.request.rom.platform && sameVariant(a.request, b.request);
}

export function packBatch(tasks: readonly WorkerTask[]): { packed: PackedBatch } {
  const templates: WorkerTask[] = [];
  const items = new Float64Array(tasks.length * 2);
  tasks.forEach((task, k) => {
    let index = templates.findIndex((t) => sameTemplate(task, t));
    if (index < 0) index = templates.push(task) - 1;
    items[2 * k] = index;
    items[2 * k + 1] = task.request.block.offset;
  });
  return { packed: { templates, items } };
}

/** The tasks of a packed batch; a malformed one (wrong length, index out of range) is refused. */
export function unpackBatch(packed: PackedBatch): WorkerTask[] {
  const { templates, items } = packed;
  if (!Array.isArray(templates) || !(items instanceof Float64Array) || items.length % 2 !== 0) throw new InternalError('malformed packed batch', {});
  const tasks: WorkerTask[] = [];
  for (let k = 0; k < items.length; k += 2) {
    const template = templates[items[k]!];
    if (template === undefined) throw new InternalError(`packed batch names template ${items[k]} of ${templates.length}`, {});
    const request = template.request;
    tasks.push({ ...template, request: { ...request, block: { ...request.block, offset: items[k + 1]! } } });
  }
  return tasks;
}

/** The tasks of a batch message (packed or not), or null for a single task. */
export function batchTasks(message: PoolMessage): readonly WorkerTask[] | null {
  if ('packed' in message) return unpackBatch(message.packed);
  if ('batch' in message) return message.batch;
  return null;
}

/**
 * Runs a message through `renderOne` (which never throws: failures are replies) and lists the
 * buffers to transfer back. A batch's PNGs go back in one buffer, each reply's `bytes` a view of
 * it: every transferred buffer costs both threads a backing-store object, a registry entry and a
 * free from the other thread's heap (malloc, V8's array-buffer sweeper and glibc's _int_free on
 * helper threads were most of what a cold thumbnail cost outside the workers, perf profile here).
 * RGBA replies (WebP, 4 bytes a pixel, read once by sharp) keep their own buffers.
 */
export function answerMessage(message: PoolMessage, renderOne: (task: WorkerTask) => WorkerReply): { reply: PoolReply; transfer: ArrayBuffer[] } {
  const tasks = batchTasks(message);
  if (tasks === null) {
    const reply = renderOne(message as WorkerTask);
    return { reply, transfer: reply.ok && reply.bytes.buffer instanceof ArrayBuffer ? [reply.bytes.buffer] : [] };
  }
  const replies = tasks.map(renderOne);
  const transfer: ArrayBuffer[] = [];
  let packedBytes = 0;
  for (const reply of replies) {
    if (!reply.ok) continue;
    if (reply.kind === 'png') packedBytes += reply.bytes.length;
    else if (reply.bytes.buffer instanceof ArrayBuffer && !transfer.includes(reply.bytes.buffer)) transfer.push(reply.bytes.buffer);
  }
  if (packedBytes === 0) return { reply: { batch: replies }, transfer };
  const packed = new Uint8Array(packedBytes);
  let at = 0;
  const batch = replies.map((reply): WorkerReply => {
    if (!reply.ok || reply.kind !== 'png') return reply;
    packed.set(reply.bytes, at);
    const bytes = packed.subarray(at, at + reply.bytes.length);
    at += reply.bytes.length;
    return { ...reply, bytes };
  });
  transfer.push(packed.buffer);
  return { reply: { batch }, transfer };
}

/** A RomgfxError rebuilt on the main thread from a worker's reply; `name` and `code` are the original's. */
export function errorFromReply(reply: WorkerFailure): RomgfxError {
  return RomgfxError.fromJSON(reply.error);
}

/** The worker-side half: any thrown value as a failure reply. */
export function failureFromError(error: unknown): WorkerFailure {
  if (error instanceof RomgfxError) {
    return { ok: false, error: { name: error.name, code: error.code, category: error.category, message: error.message, details: sanitizeDetails(error.details) } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { name: 'InternalError', code: 'ERR_INTERNAL', category: 'internal', message: `unexpected failure in thumbnail worker: ${message}`, details: {} } };
}

/** Details must survive structured cloning: keep primitives only (functions or class instances would throw or flatten). */
function sanitizeDetails(details: ErrorDetails): ErrorDetails {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) out[key] = value;
    else out[key] = String(value);
  }
  return out;
}
