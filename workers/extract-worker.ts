/**
 * Piscina worker for `extract-all`: maps the ROM itself (a mapped Buffer posted from the main
 * thread would be copied; src/jobs/worker-roms.ts, which also refuses a file that is no longer
 * the ROM the batch identified), decodes its slice of sprites to PNG and sidecar bytes, and
 * replies with them per item (failures included as data, so one bad sprite never fails the
 * slice). The caller writes every file once, after the whole batch.
 */
import { extractSpritesToBytes, type ExtractChunkTask, type ExtractedItem, type ExtractItemResult } from '../src/inject/extract.js';
import { WorkerRoms } from '../src/jobs/worker-roms.js';
import type { Rom } from '../src/rom/rom.js';
import { workerErrorJson } from '../src/jobs/worker-reply.js';

// A batch maps one ROM; the next batch of an editor session reuses it while the file is unchanged.
const roms = new WorkerRoms(2);

export default function extractChunk(task: ExtractChunkTask): ExtractedItem[] {
  const port = task.progress;
  try {
    let rom: Rom;
    try {
      rom = roms.open(task.romPath, task.identity.sha1);
    } catch (error) {
      const json = workerErrorJson(error, 'an extract worker');
      return task.items.map((item) => ({ result: { sprite: item.sprite, ok: false, error: json as ExtractItemResult['error'] } }));
    }
    return extractSpritesToBytes(rom, task, undefined, port ? (done) => port.postMessage(done) : undefined);
  } finally {
    port?.close();
  }
}
