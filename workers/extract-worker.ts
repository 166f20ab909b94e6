/**
 * Piscina worker for `extract-all`: maps the ROM itself (a mapped Buffer posted from the main
 * thread would be copied), extracts its chunk of sprites to PNG + sidecar files, and replies with
 * per-item results (failures included as data, so one bad sprite never fails the chunk).
 */
import { openRom, type Rom } from '../src/rom/rom.js';
import { extractSpritesToFiles, type ExtractChunkTask, type ExtractItemResult } from '../src/inject/extract.js';

// One batch maps one ROM; a worker keeps it for the pool's life (the pool is destroyed after the batch).
const roms = new Map<string, Rom>();

export default function extractChunk(task: ExtractChunkTask): ExtractItemResult[] {
  let rom = roms.get(task.romPath);
  if (!rom) {
    try {
      rom = openRom(task.romPath);
    } catch (error) {
      const e = error as { toJSON?: () => { error: ExtractItemResult['error'] } };
      const json = e.toJSON?.().error ?? { name: 'Error', code: 'ERR_INTERNAL', category: 'internal' as const, message: String(error), details: {} };
      return task.items.map((item) => ({ sprite: item.sprite, ok: false, error: json }));
    }
    roms.set(task.romPath, rom);
  }
  return extractSpritesToFiles(rom, task);
}
