/**
 * Uncompressed graphics: runs of consecutive tile-like tiles.
 *
 * For each format and each 16-byte phase of its tile size (8 for 8-byte tiles), every tile in
 * the chunk gets a tile score (score.ts `tileScores`). A run is a stretch of good tiles; blank
 * tiles extend a run (empty sprite cells), and up to `maximumBadTilesInsideRun` weak tiles in a
 * row are tolerated inside one (a detailed tile among drawn ones). A run of at least the minimum
 * size is scored as a block over all formats, and reported with the best one. Overlapping runs
 * of different formats and phases are left to the collapse, which keeps the best.
 *
 * A run may continue past the chunk's end (the tiles are read from the whole ROM); a run that is
 * already going at the chunk's start belongs to the previous chunk and is skipped here.
 */
import type { ChunkResult, ChunkTask, CancelCheck } from './chunk.js';
import { roundScore } from './chunk.js';
import { GraphicsScorer, maximumScoredTilesPerBlock } from './score.js';
import { tileSeamsAligned } from './seams.js';
import type { ScanCandidate } from './types.js';

/** A tile at least this coherent (normalised) counts as drawn inside a run. */
export const minimumTileScore = 0.3;
/** A run starts and ends with tiles at least this coherent: a chance-coherent filler tile next to a block must not extend it. */
export const minimumEdgeTileScore = 0.4;
/** Weak tiles in a row a run may contain. */
export const maximumBadTilesInsideRun = 4;
/** Blank tiles in a row a run may contain (empty cells of a sprite sheet; more is padding). */
export const maximumBlankTilesInsideRun = 16;
/** Phases are tried in steps of this many bytes (tile data is at least 16-byte aligned in practice). */
const phaseStepInBytes = 16;

const scores = new Float32Array(maximumScoredTilesPerBlock);

export function scanRaw(data: Uint8Array, task: ChunkTask, scorer: GraphicsScorer, checkCancel: CancelCheck): ChunkResult {
  const candidates: ScanCandidate[] = [];
  let decoded = 0;
  for (const format of task.formats) {
    const size = format.bytesPerTile;
    const step = Math.min(phaseStepInBytes, size);
    for (let phase = 0; phase < size; phase += step) {
      checkCancel();
      // First tile of this phase at or after the chunk start, on the grid phase + k·size from offset 0.
      let first = Math.ceil((task.start - phase) / size) * size + phase;
      if (first < task.start) first += size;
      let runStart = -1;
      let lastGood = -1;
      let bad = 0;
      let blankRun = 0;
      let position = first;
      // Skip a run already going at the chunk start: it was reported by the chunk before.
      if (first - size >= 0 && first - size + size <= data.length) {
        scorer.tileScores(data.subarray(first - size, first), format, 1, scores);
        if (scores[0]! >= minimumTileScore) {
          while (position + size <= data.length) {
            const n = Math.min(maximumScoredTilesPerBlock, Math.floor((data.length - position) / size));
            scorer.tileScores(data.subarray(position, position + n * size), format, n, scores);
            let k = 0;
            while (k < n && (scores[k]! >= minimumTileScore || scores[k]! < 0)) k++;
            position += k * size;
            if (k < n) break;
          }
        }
      }
      const flush = (): void => {
        if (runStart >= 0 && lastGood >= 0) {
          const length = lastGood + size - runStart;
          if (length >= task.minimumUnpackedSize) {
            decoded++;
            const run = data.subarray(runStart, runStart + length);
            const best = scorer.best(run, task.formats);
            // A run whose bytes read better in another format is a fragment of that format's run
            // (its edges are on this format's grid); that format's own run reports the block.
            // A run off the art's tile grid by part of a tile (4 rows of a 4bpp packed tile read
            // a phase late) is that block misread; the phase on the grid reports it.
            if (best !== null && best.format === format.name && best.score >= task.minimumScore && (size <= step || tileSeamsAligned(format, run))) {
              candidates.push({ offset: runStart, packedLength: length, unpackedLength: length, codec: 'raw', format: best.format, score: roundScore(best.score) });
            }
          }
        }
        runStart = -1;
        lastGood = -1;
        bad = 0;
        blankRun = 0;
      };
      while (position + size <= data.length) {
        // Past the chunk's end only to finish a run.
        if (position >= task.end && runStart < 0) break;
        const n = Math.min(maximumScoredTilesPerBlock, Math.floor((data.length - position) / size));
        scorer.tileScores(data.subarray(position, position + n * size), format, n, scores);
        let stop = false;
        for (let k = 0; k < n; k++, position += size) {
          if (position >= task.end && runStart < 0) {
            stop = true;
            break;
          }
          const s = scores[k]!;
          blankRun = 0;
          if (s >= minimumTileScore && (runStart >= 0 || s >= minimumEdgeTileScore)) {
            if (runStart < 0) runStart = position;
            if (s >= minimumEdgeTileScore) lastGood = position;
            bad = 0;
          } else if (s < 0) {
            // Blank: part of a run, never its start or end; it neither breaks nor mends one
            // (zero-filled data between weak tiles must not hold a run together), but a long
            // empty stretch ends it.
            if (runStart >= 0 && ++blankRun > maximumBlankTilesInsideRun) flush();
            continue;
          } else if (runStart >= 0 && ++bad > maximumBadTilesInsideRun) {
            flush();
          }
        }
        if (stop) break;
      }
      flush();
    }
  }
  return { candidates, decoded };
}
