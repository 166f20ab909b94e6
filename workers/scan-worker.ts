/**
 * Piscina worker: scans one chunk of stream starts for one codec (src/scan/chunk.ts). Maps the
 * ROM itself and keeps it mapped between tasks (a scan sends many chunks of one ROM); checks the
 * file is still the ROM the scan named (SHA-1) when it first opens it. Replies with data,
 * errors included (see src/scan/pool.ts).
 */
import { RomgfxError, RomIdentityMismatchError } from '../src/errors.js';
import { getTileFormat } from '../src/gfx/index.js';
import { openRom, type Rom } from '../src/rom/rom.js';
import { scanChunk } from '../src/scan/chunk.js';
import type { ScanWorkerReply, ScanWorkerTask } from '../src/scan/pool.js';
import { GraphicsScorer } from '../src/scan/score.js';

/** ROMs kept mapped in this worker (a scan uses one; an editor may alternate a few). */
const maximumOpenRoms = 4;
const roms = new Map<string, Rom>();
const scorer = new GraphicsScorer();

function romFor(task: ScanWorkerTask): Rom {
  const key = `${task.path}\0${task.platform}\0${task.sha1}`;
  const known = roms.get(key);
  if (known) return known;
  const rom = openRom(task.path, { platform: task.platform, allowUnknown: true });
  const sha1 = rom.identity().sha1;
  if (sha1 !== task.sha1) throw new RomIdentityMismatchError(task.path, task.sha1, sha1);
  if (roms.size >= maximumOpenRoms) roms.delete(roms.keys().next().value!);
  roms.set(key, rom);
  return rom;
}

export default function scanTask(task: ScanWorkerTask): ScanWorkerReply {
  try {
    const rom = romFor(task);
    const result = scanChunk(
      rom.data,
      {
        codec: task.codec,
        platform: task.platform,
        start: task.start,
        end: task.end,
        formats: task.formats.map((name) => getTileFormat(name)),
        minimumUnpackedSize: task.minimumUnpackedSize,
        minimumScore: task.minimumScore,
      },
      scorer,
    );
    return { ok: true, candidates: result.candidates, decoded: result.decoded };
  } catch (error) {
    if (error instanceof RomgfxError) {
      const details: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(error.details)) details[k] = v === null || ['string', 'number', 'boolean'].includes(typeof v) ? v : String(v);
      return { ok: false, error: { name: error.name, code: error.code, category: error.category, message: error.message, details } };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { name: 'ScanWorkerError', code: 'ERR_SCAN_WORKER_FAILED', category: 'internal', message: `unexpected failure in scan worker: ${message}`, details: {} } };
  }
}
