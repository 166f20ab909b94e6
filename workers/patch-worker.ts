/**
 * Piscina worker: makes or applies one IPS/BPS patch (src/patch, pure) off the caller's thread
 * (src/jobs/patch-jobs.ts). Progress goes back through the MessagePort the task carries; errors
 * come back as data (a RomgfxError crossing threads loses its class).
 */
import type { MessagePort } from 'node:worker_threads';
import { RomgfxError } from '../src/errors.js';
import { applyPatch, createPatch, type PatchFormat } from '../src/patch/index.js';
import type { PatchJobReply } from '../src/jobs/patch-jobs.js';

/** One job: make a patch from source to target, or apply a patch to source. */
export type PatchJobTask =
  | { kind: 'create'; format: PatchFormat; source: Uint8Array; target: Uint8Array; metadata?: string; progress?: MessagePort }
  | { kind: 'apply'; patch: Uint8Array; source: Uint8Array; ignoreChecksum: boolean };

export default function patchJob(task: PatchJobTask): PatchJobReply {
  try {
    if (task.kind === 'create') {
      const port = task.progress;
      const made = createPatch(task.format, task.source, task.target, {
        ...(task.metadata !== undefined ? { metadata: task.metadata } : {}),
        ...(port ? { onProgress: (done: number, total: number) => port.postMessage([done, total]) } : {}),
      });
      port?.close();
      return { ok: true, kind: 'create', result: made };
    }
    const applied = applyPatch(task.patch, task.source, { ignoreChecksum: task.ignoreChecksum });
    return { ok: true, kind: 'apply', result: applied };
  } catch (error) {
    if (error instanceof RomgfxError) {
      const details: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(error.details)) details[k] = v === null || ['string', 'number', 'boolean'].includes(typeof v) ? v : String(v);
      return { ok: false, error: { name: error.name, code: error.code, category: error.category, message: error.message, details } };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { name: 'InternalError', code: 'ERR_INTERNAL', category: 'internal', message: `unexpected failure in a patch worker: ${message}`, details: {} } };
  }
}
