/**
 * Compressed sprite sheets that are mostly empty cells (issue 19).
 *
 * Sprite sheets are packed as laid out in VRAM: SNES OBJ tiles sit in rows of 16 cells (a
 * 16×16 sprite takes two cells of each of two rows), Game Boy and Mega Drive sprite tiles
 * likewise, so a sheet (or a slice of one) of a few sprites is a few drawn tiles among many empty
 * cells. The converters (superfamiconv, gfx2snes, libSFX's, rgbgfx, rescomp) write an empty cell as
 * colour 0 in every pixel: all its bytes zero in every planar and packed format. An encoder packs
 * those cells into fills almost for free, so such a stream runs 20–30× and its blank tiles
 * dilute the block score (score.ts allows a compressed block half blank) far below the bar,
 * although its drawn tiles are plainly art.
 *
 * A stream whose output is whole tiles, whose blank tiles are exactly empty cells (all bytes
 * zero), and whose drawn tiles score as art on their own is such a sheet: it is scored on its
 * drawn tiles, by the ordinary rules (at least minimumDistinctTilesPerBlock distinct drawn tiles,
 * coherence, plane correlation, and repeatedTileFactor for one tile repeated). What stays out:
 * - a stream with no drawn tile (fills only: a run of zero bytes is padding or cleared RAM as
 *   much as it is empty cells, and nothing in it says art);
 * - a stream whose one-colour tiles are not zero (a fill of another value is a pattern fill or
 *   sample data, not an empty cell: no converter writes an empty cell as colour 1–15);
 * - one drawn tile repeated (repeatedTileFactor), and fewer than four distinct drawn tiles.
 */
import type { TileFormat } from '../gfx/index.js';
import { GraphicsScorer, maximumScoredTilesPerBlock, repeatedTileFactor } from './score.js';

/** The drawn tiles of a sparse sheet, scored on their own. */
export interface SparseSheetScore {
  /** The tile format name. */
  readonly format: string;
  /** The drawn tiles' block score times repeatedTileFactor. */
  readonly score: number;
  /** Tiles read (at most maximumTiles and maximumScoredTilesPerBlock). */
  readonly tiles: number;
  /** Tiles that are drawn (not all zero). */
  readonly drawnTiles: number;
}

const tileScoresScratch = new Float32Array(maximumScoredTilesPerBlock);
const drawnScratch = new Uint8Array(maximumScoredTilesPerBlock);

/**
 * The share of a sparse sheet's drawn tiles that must sit next to another drawn tile in the
 * output. A sprite 16 pixels or wider takes side-by-side cells: SNES OBJ names a 16×16 sprite's
 * cells n, n+1, n+16, n+17 of a 16-cell VRAM row (the converters lay sheets out so); a Mega Drive
 * sprite's cells are consecutive tiles (column-major); a Game Boy 8×16 object a tile pair. So
 * the drawn cells of a sheet come at least two together, a few 8×8 objects aside, while code and
 * tables read as a stream scatter their literals one here, one there among the zero fills (68000
 * code read as Comper: 5 drawn tiles of 61, none beside another).
 */
export const minimumDrawnTilesSideBySideShare = 0.75;

/**
 * The drawn tiles (in order) of the first maximumScoredTilesPerBlock tiles of `bytes` read as
 * `format`, or null when `bytes` is not a whole number of tiles, a one-colour tile is not all
 * zero bytes, or no tile is drawn.
 */
export function sparseSheetDrawnTiles(bytes: Uint8Array, format: TileFormat, scorer: GraphicsScorer, maximumTiles = maximumScoredTilesPerBlock): Uint8Array | null {
  const size = format.bytesPerTile;
  if (bytes.length === 0 || bytes.length % size !== 0) return null;
  const tiles = Math.min(bytes.length / size, maximumTiles, maximumScoredTilesPerBlock);
  // First the cheap tests on zero cells alone: drawn tiles, and how many sit beside another.
  let drawn = 0;
  let inRuns = 0;
  let previousDrawn = false;
  let run = 0;
  for (let t = 0; t < tiles; t++) {
    const base = t * size;
    let zero = true;
    for (let i = base; i < base + size && zero; i++) zero = bytes[i] === 0;
    drawnScratch[t] = zero ? 0 : 1;
    if (zero) {
      previousDrawn = false;
      continue;
    }
    drawn++;
    // The second cell of a run counts itself and the first; later cells themselves.
    run = previousDrawn ? run + 1 : 1;
    if (run === 2) inRuns += 2;
    else if (run > 2) inRuns++;
    previousDrawn = true;
  }
  if (drawn === 0 || inRuns < minimumDrawnTilesSideBySideShare * drawn) return null;
  // One colour but not colour 0: a fill of another value, not an empty cell.
  scorer.tileScores(bytes, format, tiles, tileScoresScratch);
  for (let t = 0; t < tiles; t++) if (drawnScratch[t] === 1 && tileScoresScratch[t]! < 0) return null;
  const out = new Uint8Array(drawn * size);
  let q = 0;
  for (let t = 0; t < tiles; t++) {
    if (drawnScratch[t] === 0) continue;
    const base = t * size;
    out.set(bytes.subarray(base, base + size), q);
    q += size;
  }
  return out;
}

/**
 * The best score of `bytes` as a sparse sheet over `formats` (see the module comment), or null
 * when it is not one in any of them; `maximumTiles` limits the tiles read (a quick look), while
 * the whole-tiles test is made on all of `bytes`.
 */
export function sparseSheetScore(bytes: Uint8Array, formats: readonly TileFormat[], scorer: GraphicsScorer, maximumTiles = maximumScoredTilesPerBlock): SparseSheetScore | null {
  let best: SparseSheetScore | null = null;
  for (const format of formats) {
    const drawn = sparseSheetDrawnTiles(bytes, format, scorer, maximumTiles);
    if (drawn === null) continue;
    const scored = scorer.score(drawn, format);
    const score = scored.score * repeatedTileFactor(scored.statistics);
    if (best === null || score > best.score) {
      best = { format: format.name, score, tiles: Math.min(bytes.length / format.bytesPerTile, maximumTiles, maximumScoredTilesPerBlock), drawnTiles: drawn.length / format.bytesPerTile };
    }
  }
  return best;
}
