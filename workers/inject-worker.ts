/**
 * Piscina worker for injection (src/jobs/inject-jobs.ts): converts and packs a slice of one
 * transaction's edits (`prepareSpriteEdit`, the same function the synchronous plan runs), so the
 * plan the caller finishes is the one `planInjection` makes. Maps the ROM itself (a mapped Buffer
 * posted from the caller would be copied; src/jobs/worker-roms.ts) and refuses a file that is no
 * longer the ROM the caller opened (SHA-1). Reports each sprite through the task's MessagePort;
 * replies with data, errors included (one edit's failure is that edit's, as in the synchronous
 * plan).
 */
import type { MessagePort } from 'node:worker_threads';
import { RomIdentityMismatchError } from '../src/errors.js';
import type { GameDefinition } from '../src/defs/types.js';
import { prepareSpriteEdit, type PlanOptions, type PreparedEdit, type SpriteEdit } from '../src/inject/plan.js';
import { resolveEachSprite, type ResolvedSprite, type SpriteBlock } from '../src/inject/sprites.js';
import { workerErrorJson, type WorkerErrorJson } from '../src/jobs/worker-reply.js';
import type { Rom } from '../src/rom/rom.js';
import { WorkerRoms } from '../src/jobs/worker-roms.js';

/** One slice of a transaction: the ROM by path and identity, the definition and variant, and the edits with the blocks they replace. */
export interface InjectJobTask {
  romPath: string;
  sha1: string;
  definition: GameDefinition;
  variant: string | undefined;
  options: Pick<PlanOptions, 'allowResize' | 'vramSafe' | 'cgram'>;
  items: { edit: SpriteEdit; block: SpriteBlock }[];
  /** Receives the number of this slice's edits done after each one. */
  progress?: MessagePort;
}

/** One edit's outcome: its conversion and packing, or its error. */
export type InjectJobItemReply = { ok: true; prepared: PreparedEdit } | { ok: false; error: WorkerErrorJson };

/** A slice's reply, or why the whole slice could not run (the ROM could not be opened, or changed). */
export type InjectJobReply = { ok: true; items: InjectJobItemReply[] } | { ok: false; error: WorkerErrorJson };

/** ROMs kept open between slices of a batch (a batch uses one; the next save reuses it while the file is unchanged). */
const roms = new WorkerRoms(2);

export default function injectJob(task: InjectJobTask): InjectJobReply {
  const port = task.progress;
  try {
    let rom: Rom;
    let sprites: Map<string, ResolvedSprite>;
    try {
      rom = roms.open(task.romPath, task.sha1);
      // The same resolution the caller's survey made (same ROM bytes, definition and variant).
      sprites = new Map(resolveEachSprite(rom, task.definition, task.variant).flatMap((r) => (r.ok ? [[r.sprite.name, r.sprite] as const] : [])));
    } catch (error) {
      return { ok: false, error: workerErrorJson(error, 'an inject worker') };
    }
    const items: InjectJobItemReply[] = [];
    for (let i = 0; i < task.items.length; i++) {
      const { edit, block } = task.items[i]!;
      try {
        const sprite = sprites.get(edit.sprite);
        // The caller matched every edit to a resolved sprite of this very ROM.
        if (!sprite) throw new RomIdentityMismatchError(task.romPath, task.sha1, `a ROM where sprite "${edit.sprite}" does not resolve`);
        items.push({ ok: true, prepared: prepareSpriteEdit(rom, task.definition, edit, sprite, block, task.options) });
      } catch (error) {
        items.push({ ok: false, error: workerErrorJson(error, `an inject worker (sprite "${edit.sprite}")`) });
      }
      port?.postMessage(i + 1);
    }
    return { ok: true, items };
  } finally {
    port?.close();
  }
}
