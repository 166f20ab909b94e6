/**
 * The tile grid check shared by the raw and PB16 scans: whether decoded tiles sit on the art's
 * own tile grid, judged by row seams.
 */
import { decodeTilesInto, type TileFormat } from '../gfx/index.js';
import { maximumScoredTilesPerBlock } from './score.js';

const pixelsPerTile = 64;
const seamIndices = new Uint8Array(maximumScoredTilesPerBlock * pixelsPerTile);

/**
 * Whether a run's tile grid falls where the art's tile edges are. Rows inside a tile are alike;
 * the last row of one tile and the first row of the next tile in memory belong to different
 * tiles and are much less so (over the planted fixtures, about half the equal pixels). A reading
 * that starts 4 rows off — a 32-byte tile read at the other 16-byte phase in packed 4bpp, or a
 * PB16 reading a packet (8 bytes) out of step in gb2bpp — has the art's seams at its rows 3→4
 * and its own seams inside the art's tiles. Aligned when its across-tile row pairs share no more
 * equal pixels, per pair, than its row 3→4 pairs. The first 256 tiles decide.
 */
export function tileSeamsAligned(format: TileFormat, bytes: Uint8Array): boolean {
  const tiles = Math.min(maximumScoredTilesPerBlock, Math.floor(bytes.length / format.bytesPerTile));
  if (tiles < 2) return true;
  decodeTilesInto(format, bytes, seamIndices, tiles);
  let across = 0;
  let inside = 0;
  for (let t = 0; t < tiles; t++) {
    const tile = t * pixelsPerTile;
    for (let x = 0; x < 8; x++) {
      if (seamIndices[tile + 24 + x] === seamIndices[tile + 32 + x]) inside++;
      if (t + 1 < tiles && seamIndices[tile + 56 + x] === seamIndices[tile + 64 + x]) across++;
    }
  }
  // Per pair: `tiles` pairs inside, `tiles − 1` across.
  return across * tiles <= inside * (tiles - 1);
}
