/**
 * How much a run of bytes looks like graphics in a given tile format.
 *
 * The bytes are decoded with the src/gfx kernels into indices (one byte per pixel), and scored
 * with tile-level statistics that separate drawn art from code, tables and noise:
 *
 * - neighbour coherence: the fraction of horizontally and vertically adjacent pixels with the
 *   same index (drawn art: large flat areas and outlines; noise: 1 / 2^bpp by chance). It is
 *   normalised against that chance level, so a 2bpp and an 8bpp reading are comparable;
 * - repeated rows: rows equal to the row above (counted inside the vertical coherence, and
 *   reported on their own);
 * - colours per tile: art uses a few of the colours a tile could hold; noise uses almost all;
 * - blank-tile ratio: a block that is mostly one colour says nothing (padding, fills);
 * - distinct tiles: a block that repeats one tile is a fill, not art;
 * - plane correlation (2bpp and up): in real art the low and high halves of an index are set
 *   together (opaque pixels vs. transparent 0); two unrelated tiles overlaid by a wrong bit-depth
 *   reading are independent. This is what tells a 4bpp block from the same bytes read as 2bpp.
 *
 * Scores are in [0, 1]. Everything here is allocation-light: one indices buffer per scorer,
 * reused, and integer counting in the loops.
 */
import { decodeTilesInto, getTileFormat, pixelsPerTile, type TileFormat } from '../gfx/index.js';
import type { Platform } from '../rom/platform.js';

/** Tiles scored per block: enough for stable statistics, bounded so a 64 KiB stream costs the same as a 16 KiB one. */
export const maximumScoredTilesPerBlock = 256;
/** Fewer non-blank, distinct tiles than this is not a graphics block. */
export const minimumDistinctTilesPerBlock = 4;
/** The largest share of a compressed block's drawn tiles one tile may make up before the block counts as a fill (see repeatedTileFactor). */
export const mostRepeatedTileShareOfArt = 0.5;
/** A tile using more than this fraction of its format's colours (4bpp and up) reads as noise. */
const noisyColourFraction = 0.75;
/** Higher bit depths win ties: a true 4bpp block read as 2bpp stays coherent, but loses the plane correlation. */
const higherDepthPreference = 0.88;

/** Formats worth trying per platform (the console's own tile formats). */
export const defaultFormatsByPlatform: Readonly<Record<Platform, readonly string[]>> = {
  snes: ['snes4bpp', 'gb2bpp', 'snes3bpp', 'snes8bpp', 'mode7'],
  gb: ['gb2bpp', '1bpp'],
  gbc: ['gb2bpp', '1bpp'],
  gba: ['gba4bpp', 'gba8bpp', '1bpp-lsb'],
  nes: ['nes2bpp'],
  md: ['md4bpp'],
  unknown: ['snes4bpp', 'gb2bpp', 'nes2bpp', 'gba4bpp', 'md4bpp', 'snes8bpp', 'mode7', '1bpp'],
};

/** The statistics a block is scored on: tile counts and how much neighbouring pixels agree. */
export interface BlockStatistics {
  tiles: number;
  blankTiles: number;
  distinctTiles: number;
  /** How many times the most frequent non-blank tile occurs. */
  mostRepeatedTileCount: number;
  /** Mean neighbour coherence over non-blank tiles, normalised against chance (0 = noise, 1 = flat). */
  coherence: number;
  /** Fraction of rows (after the first of each tile) equal to the row above, over non-blank tiles. */
  repeatedRows: number;
  /** Mean distinct colours per non-blank tile. */
  coloursPerTile: number;
  /** Phi coefficient between "low half of the index set" and "high half set", over non-blank tiles' pixels (0 for 1bpp). */
  planeCorrelation: number;
}

/** How much a block looks like graphics in one tile format. */
export interface FormatScore {
  format: string;
  score: number;
  statistics: BlockStatistics;
}

/** Scores blocks of bytes as graphics. One per thread (it owns a scratch buffer). */
export class GraphicsScorer {
  #indices = new Uint8Array(maximumScoredTilesPerBlock * pixelsPerTile);
  #colourSeen = new Int32Array(256);
  #generation = 0;
  #tileHashes = new Map<number, number>();

  /** Statistics of `bytes` read as `format` (whole tiles from the start, at most maximumScoredTilesPerBlock). */
  statistics(bytes: Uint8Array, format: TileFormat, maximumTiles = maximumScoredTilesPerBlock): BlockStatistics {
    const tiles = Math.min(Math.floor(bytes.length / format.bytesPerTile), maximumTiles, maximumScoredTilesPerBlock);
    const indices = this.#indices;
    if (tiles > 0) decodeTilesInto(format, bytes, indices, tiles);
    const bpp = format.bpp;
    const lowMask = bpp >= 2 ? (1 << (bpp >> 1)) - 1 : 0;
    const highMask = bpp >= 2 ? ((1 << bpp) - 1) & ~lowMask : 0;
    let blank = 0;
    let coherenceSum = 0;
    let repeatedRows = 0;
    let colourSum = 0;
    let n11 = 0;
    let n10 = 0;
    let n01 = 0;
    let n00 = 0;
    const chance = 1 / (1 << bpp);
    const hashes = this.#tileHashes;
    hashes.clear();
    let mostRepeated = 0;
    const seen = this.#colourSeen;
    for (let t = 0; t < tiles; t++) {
      const base = t * pixelsPerTile;
      const generation = ++this.#generation;
      let colours = 0;
      let equal = 0;
      let hash = 0x811c9dc5;
      for (let y = 0; y < 8; y++) {
        const row = base + y * 8;
        let rowEqual = 0;
        for (let x = 0; x < 8; x++) {
          const v = indices[row + x]!;
          hash = Math.imul(hash ^ v, 0x01000193);
          if (seen[v] !== generation) {
            seen[v] = generation;
            colours++;
          }
          if (x < 7 && v === indices[row + x + 1]) equal++;
          if (y > 0 && v === indices[row + x - 8]) rowEqual++;
        }
        equal += rowEqual;
        if (rowEqual === 8) repeatedRows++;
      }
      if (colours === 1) {
        blank++;
        continue;
      }
      const key = hash >>> 0;
      const seenBefore = (hashes.get(key) ?? 0) + 1;
      hashes.set(key, seenBefore);
      if (seenBefore > mostRepeated) mostRepeated = seenBefore;
      colourSum += colours;
      const coherence = equal / 112;
      let g = (coherence - chance) / (1 - chance);
      if (g < 0) g = 0;
      // Eight identical rows: a byte or word fill read as tiles (vertical stripes), not drawing.
      if (allRowsEqual(indices, base)) g = 0;
      if (bpp >= 4 && colours > noisyColourFraction * Math.min(64, 1 << bpp)) g *= 0.5;
      coherenceSum += g;
      if (bpp >= 2) {
        for (let i = base; i < base + pixelsPerTile; i++) {
          const v = indices[i]!;
          const low = (v & lowMask) !== 0;
          const high = (v & highMask) !== 0;
          if (low) {
            if (high) n11++;
            else n10++;
          } else if (high) n01++;
          else n00++;
        }
      }
    }
    const nonBlank = tiles - blank;
    let planeCorrelation = 0;
    if (bpp >= 2) {
      const denominator = Math.sqrt((n11 + n10) * (n01 + n00) * (n11 + n01) * (n10 + n00));
      planeCorrelation = denominator > 0 ? (n11 * n00 - n10 * n01) / denominator : 0;
    }
    return {
      tiles,
      blankTiles: blank,
      distinctTiles: hashes.size,
      mostRepeatedTileCount: mostRepeated,
      coherence: nonBlank > 0 ? coherenceSum / nonBlank : 0,
      repeatedRows: repeatedRowsFraction(repeatedRows, tiles, blank),
      coloursPerTile: nonBlank > 0 ? colourSum / nonBlank : 0,
      planeCorrelation,
    };
  }

  /**
   * Per-tile graphics-likeness of the first `tileCount` tiles of `bytes` (at most
   * maximumScoredTilesPerBlock): normalised neighbour coherence in [0, 1], halved for a tile
   * that uses most of its colours; −1 for a blank (one-colour) tile. Used to find raw regions.
   */
  tileScores(bytes: Uint8Array, format: TileFormat, tileCount: number, out: Float32Array): void {
    const tiles = Math.min(tileCount, maximumScoredTilesPerBlock);
    const indices = this.#indices;
    decodeTilesInto(format, bytes, indices, tiles);
    const bpp = format.bpp;
    const chance = 1 / (1 << bpp);
    const seen = this.#colourSeen;
    for (let t = 0; t < tiles; t++) {
      const base = t * pixelsPerTile;
      const generation = ++this.#generation;
      let colours = 0;
      let equal = 0;
      for (let i = base; i < base + pixelsPerTile; i++) {
        const v = indices[i]!;
        if (seen[v] !== generation) {
          seen[v] = generation;
          colours++;
        }
        if ((i & 7) !== 7 && v === indices[i + 1]) equal++;
        if (i - base >= 8 && v === indices[i - 8]) equal++;
      }
      if (colours === 1) {
        out[t] = -1;
        continue;
      }
      let g = (equal / 112 - chance) / (1 - chance);
      if (g < 0) g = 0;
      if (allRowsEqual(indices, base)) g = 0;
      if (bpp >= 4 && colours > noisyColourFraction * Math.min(64, 1 << bpp)) g *= 0.5;
      out[t] = g;
    }
  }

  /**
   * One score in [0, 1] for `bytes` read as `format`. `sparse`: the bytes are a raw run that
   * starts and ends with drawn tiles (raw.ts), whose blank tiles are stored empty cells, not fill
   * (see sparseBlankRatio).
   */
  score(bytes: Uint8Array, format: TileFormat, maximumTiles = maximumScoredTilesPerBlock, sparse = false): FormatScore {
    const s = this.statistics(bytes, format, maximumTiles);
    return { format: format.name, score: combine(s, format, bytes.length, sparse), statistics: s };
  }

  /** The best-scoring format of `formats` for `bytes` (null when none fits a single tile); `maximumTiles` limits the tiles looked at (a quick look). */
  best(bytes: Uint8Array, formats: readonly TileFormat[], maximumTiles = maximumScoredTilesPerBlock, sparse = false): FormatScore | null {
    let best: FormatScore | null = null;
    let bestBpp = 0;
    for (const format of formats) {
      if (bytes.length < format.bytesPerTile) continue;
      const candidate = this.score(bytes, format, maximumTiles, sparse);
      if (best === null) {
        best = candidate;
        bestBpp = format.bpp;
        continue;
      }
      // Deeper readings win near-ties (see higherDepthPreference); shallower ones must clearly beat them.
      // The preference is for planar depths of 2 and up, and only for a deeper reading whose planes
      // agree at least as well as the shallower one's: a 2bpp block read as 4bpp overlays two
      // unrelated tiles in planes 0/1 and 2/3, so its plane correlation falls below the 2bpp
      // reading's (lorom-template's BG tiles: 0.55 against 0.84), while a 4bpp block read as 2bpp
      // loses its upper planes and with them its correlation (its sprites: 0.11 against 0.49).
      // A 2bpp block read as 1bpp is incoherent (its planes become alternate rows) and a 1bpp font
      // read as 2bpp pairs rows into planes: plain scores tell those apart, no preference needed.
      // (The correlation check is made against 2bpp readings only: there both halves are single
      // planes; 8bpp art read as 4bpp keeps correlated nibbles, and its own reading decides.)
      const preferDeeper = (deep: FormatScore, shallow: FormatScore, shallowBpp: number): boolean =>
        shallowBpp > 2 || (shallowBpp === 2 && deep.statistics.planeCorrelation >= shallow.statistics.planeCorrelation);
      const beats =
        format.bpp > bestBpp
          ? preferDeeper(candidate, best, bestBpp)
            ? candidate.score >= best.score * higherDepthPreference
            : candidate.score > best.score
          : format.bpp < bestBpp
            ? preferDeeper(best, candidate, format.bpp)
              ? candidate.score * higherDepthPreference > best.score
              : candidate.score > best.score
            : candidate.score > best.score;
      if (beats) {
        best = candidate;
        bestBpp = format.bpp;
      }
    }
    return best;
  }
}

function allRowsEqual(indices: Uint8Array, base: number): boolean {
  for (let i = base + 8; i < base + 64; i++) if (indices[i] !== indices[i - 8]) return false;
  return true;
}

function repeatedRowsFraction(repeated: number, tiles: number, blank: number): number {
  // Rows are counted before a tile is known to be blank; a blank tile repeats all 7 of its rows.
  const nonBlank = tiles - blank;
  const counted = repeated - blank * 7;
  return nonBlank > 0 ? Math.max(0, counted) / (nonBlank * 7) : 0;
}

/** The combination of the statistics into one score (see the module comment). */
function combine(s: BlockStatistics, format: TileFormat, length: number, sparse: boolean): number {
  if (s.tiles === 0) return 0;
  const nonBlank = s.tiles - s.blankTiles;
  if (s.distinctTiles < minimumDistinctTilesPerBlock) return 0;
  let score = s.coherence;
  // Mostly blank: padding or a fill, not art. Up to half blank is normal (sprite sheets have empty cells).
  const blankRatio = s.blankTiles / s.tiles;
  const allowed = sparse ? sparseBlankRatio : 0.5;
  if (blankRatio > allowed) score *= Math.max(0, (1 - blankRatio) / (1 - allowed));
  // One tile repeated over and over is a pattern fill.
  const distinctRatio = s.distinctTiles / nonBlank;
  if (distinctRatio < 0.25) score *= distinctRatio / 0.25;
  if (format.bpp >= 2) score *= 0.8 + 0.2 * Math.min(1, 2 * Math.max(0, s.planeCorrelation));
  // Streams of whole tiles are the norm; a ragged end is a hint the start or end is off.
  if (length % format.bytesPerTile !== 0) score *= 0.97;
  return score;
}

/**
 * The factor (1, or less down to 0) by which a compressed stream's score falls when one drawn
 * tile makes up most of its drawn tiles: a fill, even among a few distinct junk tiles. Tile
 * converters (superfamiconv, gfx2snes, libSFX's) write each distinct tile once and a sprite sheet
 * repeats a few tiles, not one over and over, while one fill command writes any number of copies
 * (libSFX's BRR samples read as LC_LZ1: a word fill made 27 of the 35 drawn tiles). Raw runs are
 * not judged so: there a repeated tile costs its full size, and CHR-ROM pattern tables repeat a
 * filler tile over their unused slots (nrom-template: one tile is 183 of 251).
 */
export function repeatedTileFactor(s: BlockStatistics): number {
  const nonBlank = s.tiles - s.blankTiles;
  const share = nonBlank > 0 ? s.mostRepeatedTileCount / nonBlank : 0;
  return share > mostRepeatedTileShareOfArt ? Math.max(0, (1 - share) / (1 - mostRepeatedTileShareOfArt)) : 1;
}

/**
 * Blank tiles a raw run may hold before it counts as fill. Raw sprite sheets are stored as laid
 * out in VRAM: OBJ tiles in rows of 16 (SNES) or 32 (GBA 1D off), where a 16×16 sprite takes two
 * tiles of each of two rows and leaves the rest of the rows empty, so a sheet of a few sprites is
 * mostly blank cells; a raw run also starts and ends with drawn tiles, so the blanks are inside
 * it, not padding after it. Compressed streams keep the stricter 0.5 (an encoder packs empty
 * cells away almost for free; a mostly blank stream is a fill).
 */
export const sparseBlankRatio = 0.9;

/** Resolves format names (canonical or alias) to descriptors, without duplicates. */
export function resolveFormats(names: readonly string[]): TileFormat[] {
  const out: TileFormat[] = [];
  for (const name of names) {
    const format = getTileFormat(name);
    if (!out.includes(format)) out.push(format);
  }
  return out;
}
