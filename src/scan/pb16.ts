/**
 * PB16 has no header, no terminator and no length: every offset "decodes", to anything, for as
 * long as one likes. What marks a real stream is what it decodes to and how it was encoded:
 *
 * - PB16 is for Game Boy tiles (gb2bpp, 16 bytes = 2 packets = one tile), so the scan decodes
 *   tile by tile and a stream is a run of drawn tiles (blank tiles allowed inside);
 * - the reference encoder is deterministic: a byte equal to the byte two back is always sent as
 *   a repeat flag, never as a literal. A literal equal to the byte two back is a stream that no
 *   encoder made, so the run stops there.
 *
 * The run starts and ends at a clearly drawn tile, and its packed length is where the last
 * tile's second packet ends. A start a few bytes before or inside a real stream often falls in
 * step with its packets after a few junk bytes and then decodes the same tiles, shifted by whole
 * rows, which look just as drawn. Of overlapping runs the longest is kept (ties: the most drawn
 * tiles, the better quick look, the earlier start). PB16 edges are therefore an estimate: over
 * four seeded fixture ROMs (24 streams) 14 were exact and the rest within 5 bytes.
 */
import { getCodec } from '../codecs/index.js';
import { getTileFormat } from '../gfx/index.js';
import type { CancelCheck, ChunkResult, ChunkTask } from './chunk.js';
import { quickLookTiles, quickLookTolerance, roundScore } from './chunk.js';
import { GraphicsScorer } from './score.js';
import type { ScanCandidate } from './types.js';

/** A PB16 tile must be at least this coherent: random flag bytes repeat rows by chance, so the bar is above raw's. */
export const minimumPb16TileScore = 0.45;
/**
 * The first and last tiles of a run must be clearly drawn: junk bytes before or after a stream
 * decode to repeat-heavy tiles that pass the lower bar.
 */
export const minimumPb16FirstTileScore = 0.6;
/** The longest PB16 run followed, in tiles (64 KiB of 2bpp tiles: all of GB VRAM's tile area several times over). */
export const maximumPb16RunInTiles = 4096;
/** Weak (not blank, not drawn) tiles in a row a run may contain; it ends at its last drawn tile. */
export const maximumWeakTilesInsidePb16Run = 4;

const bytesPerTile = 16;
const tile = new Uint8Array(bytesPerTile);
const tileScore = new Float32Array(1);

export function scanPb16(data: Uint8Array, task: ChunkTask, scorer: GraphicsScorer, checkCancel: CancelCheck): ChunkResult {
  const gb2bpp = getTileFormat('gb2bpp');
  const pb16 = getCodec('pb16');
  const candidates: ScanCandidate[] = [];
  let decoded = 0;
  const end = Math.min(task.end, data.length);
  const n = data.length;
  // Runs by where they end: starts inside a stream that fall back in step with its packets end
  // where it ends; per end the start whose first tiles look best (the earliest on a tie) wins.
  const byEnd = new Map<number, { start: number; tiles: number; drawn: number; quick: number }>();
  for (let p = task.start; p < end; p++) {
    if ((p & 0xffff) === 0) checkCancel();
    let inPos = p;
    let back0 = 0;
    let back1 = 0;
    let tiles = 0;
    let lastGoodEnd = -1;
    let lastGoodTiles = 0;
    let weak = 0;
    let drawn = 0;
    let drawnAtLastGood = 0;
    while (tiles < maximumPb16RunInTiles) {
      // One tile = two packets.
      let out = 0;
      let ok = true;
      for (let packet = 0; packet < 2 && ok; packet++) {
        if (inPos >= n) {
          ok = false;
          break;
        }
        const flags = data[inPos++]!;
        for (let bit = 0; bit < 8; bit++) {
          let value: number;
          if (flags & (0x80 >> bit)) value = back0;
          else {
            // A literal equal to the byte two back: no encoder wrote this (see the module comment).
            if (inPos >= n || data[inPos] === back0) {
              ok = false;
              break;
            }
            value = data[inPos++]!;
          }
          tile[out++] = value;
          back0 = back1;
          back1 = value;
        }
      }
      if (!ok) break;
      scorer.tileScores(tile, gb2bpp, 1, tileScore);
      const s = tileScore[0]!;
      if (tiles === 0 && s < minimumPb16FirstTileScore) break;
      if (s >= minimumPb16TileScore) {
        // The run ends at its last clearly drawn tile: a junk tile after the stream may pass the lower bar.
        drawn++;
        if (s >= minimumPb16FirstTileScore) {
          lastGoodEnd = inPos;
          lastGoodTiles = tiles + 1;
          drawnAtLastGood = drawn;
        }
        weak = 0;
      } else if (tiles === 0) {
        // A run starts with a drawn tile.
        break;
      } else if (s >= 0 && ++weak > maximumWeakTilesInsidePb16Run) {
        break;
      }
      tiles++;
    }
    if (lastGoodEnd < 0 || lastGoodTiles * bytesPerTile < task.minimumUnpackedSize) continue;
    decoded++;
    const unpacked = pb16.decompress(data, p, { outputSizeInBytes: lastGoodTiles * bytesPerTile }).data;
    const quick = scorer.best(unpacked, [gb2bpp], quickLookTiles)?.score ?? 0;
    const known = byEnd.get(lastGoodEnd);
    if (known === undefined || better({ drawn: drawnAtLastGood, quick }, known)) byEnd.set(lastGoodEnd, { start: p, tiles: lastGoodTiles, drawn: drawnAtLastGood, quick });
  }
  // Of overlapping runs the longest is the stream (a start inside it misses its first tiles; a
  // start before it rarely passes the first-tile bar). Ties: most drawn tiles, better quick look,
  // earlier start.
  const runs = [...byEnd].map(([runEnd, run]) => ({ ...run, end: runEnd })).sort((a, b) => b.end - b.start - (a.end - a.start) || (better(a, b) ? -1 : better(b, a) ? 1 : a.start - b.start));
  const kept: typeof runs = [];
  for (const run of runs) {
    if (kept.some((k) => k.start < run.end && run.start < k.end)) continue;
    kept.push(run);
  }
  for (const run of kept) {
    const unpacked = pb16.decompress(data, run.start, { outputSizeInBytes: run.tiles * bytesPerTile }).data;
    const best = scorer.best(unpacked, task.formats.length > 0 ? task.formats : [gb2bpp]);
    if (best === null || best.score < task.minimumScore) continue;
    candidates.push({ offset: run.start, packedLength: run.end - run.start, unpackedLength: unpacked.length, codec: 'pb16', format: best.format, score: roundScore(best.score) });
  }
  return { candidates, decoded };
}

function better(a: { drawn: number; quick: number }, b: { drawn: number; quick: number }): boolean {
  return a.drawn > b.drawn || (a.drawn === b.drawn && a.quick > b.quick + quickLookTolerance);
}
