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
 *
 * Where a block starts and ends follows from how tools lay art out (docs/scanner.md):
 * - a converted image is one file, included whole; files are separated by other data or by fill
 *   (`$00`/`$FF` padding up to an alignment), so a lone drawn tile with a stretch of blank tiles
 *   between it and the rest is not part of the block (`trimIslands`);
 * - a block that begins with blank tiles (tile 0 of a tile set is usually the empty background
 *   tile) begins where the linker placed it: of the blank stretch before the first drawn tile,
 *   at the most aligned offset on the format's grid (`alignedStartInBlankStretch`);
 * - the grid is found to the platform's data alignment (`rawDataAlignmentByPlatform`): a run
 *   found at a coarse phase is moved by whole alignment units to where its tiles score best
 *   (`refinePhase`) — a Mega Drive font 10 bytes off the 16-byte phases is read on its own grid;
 * - NES CHR-ROM (from the iNES header) is tile data by definition: the PPU reads it as two 4 KiB
 *   pattern tables, so each 4 KiB table with drawn tiles is reported whole (`nesChrCandidates`);
 *   PRG-ROM is scanned for raw tiles only when there is no CHR-ROM (CHR-RAM games keep their
 *   tiles there).
 */
import type { TileFormat } from '../gfx/index.js';
import { getTileFormat } from '../gfx/index.js';
import type { Platform } from '../rom/platform.js';
import { hasInesMagic, parseNesHeader } from '../rom/nes.js';
import type { ChunkResult, ChunkTask, CancelCheck } from './chunk.js';
import { roundScore } from './chunk.js';
import { GraphicsScorer, maximumScoredTilesPerBlock } from './score.js';
import { tileSeamsAligned } from './seams.js';
import type { ScanCandidate } from './types.js';

/**
 * The byte alignment tile data has in each platform's ROMs, by how hardware and tools place it:
 * the 68000 reads words at even addresses only and DMA sources are word-aligned, so Mega Drive
 * tile data sits on any even byte (not on a 32-byte tile boundary); GBA toolchains align arrays
 * to 4 bytes (ARM word loads); 8-bit assemblers (ca65, RGBDS, WLA) `.incbin` at whatever byte
 * the previous object ended, but converted graphics are a whole number of 8- or 16-byte rows
 * after other graphics or aligned sections, so 8 is where tile data starts in practice.
 */
export const rawDataAlignmentByPlatform: Readonly<Record<Platform, number>> = { md: 2, gba: 4, snes: 8, gb: 8, gbc: 8, nes: 8, unknown: 8 };
/**
 * Byte ranges that hold a fixed structure, never tile data: the GB cartridge header at
 * $100–$14F (entry jump, Nintendo logo, title, checksums; the RST and interrupt vectors before it
 * hold code), the GBA header (0–$BF), the Mega Drive's vector table and header (0–$1FF), the iNES
 * header, and the SNES internal header (last 80 bytes of the first LoROM or HiROM bank).
 * A raw run is cut where one begins or ends.
 */
export const fixedStructureRangesByPlatform: Readonly<Record<Platform, readonly (readonly [number, number])[]>> = {
  gb: [[0, 0x150]],
  gbc: [[0, 0x150]],
  gba: [[0, 0xc0]],
  md: [[0, 0x200]],
  nes: [[0, 16]],
  snes: [[0x7fb0, 0x8000], [0xffb0, 0x10000]],
  unknown: [],
};
/**
 * Banks data cannot cross, in bytes of the file: the CPU sees one switchable bank at a time, so a
 * block copied to VRAM in one DMA or loop lies inside one bank. GB (MBC) ROM banks are 16 KiB;
 * SNES LoROM banks are 32 KiB (HiROM's 64 KiB banks are multiples; a HiROM block across the 32 KiB
 * mark is split, a known limitation). NES PRG banking depends on the mapper; GBA and MD are flat.
 */
export const bankSizeInBytesByPlatform: Readonly<Record<Platform, number>> = { gb: 0x4000, gbc: 0x4000, snes: 0x8000, nes: 0, gba: 0, md: 0, unknown: 0 };

/** Cuts [start, end) (on a grid of `size`) at fixed structures and bank boundaries: the pieces, on the same grid. */
export function splitAtStructure(start: number, end: number, size: number, platform: Platform): { start: number; end: number }[] {
  const cuts: number[] = [];
  for (const [a, b] of fixedStructureRangesByPlatform[platform]) cuts.push(a, b);
  const bank = bankSizeInBytesByPlatform[platform];
  // GB bank 0 ($0000–$3FFF) and the switchable window ($4000–$7FFF) are adjacent in the CPU's map,
  // so data may run from bank 0 into bank 1; past that, banks are never adjacent.
  if (bank > 0) for (let p = Math.ceil((start + 1) / bank) * bank; p < end; p += bank) if (!(p === 0x4000 && (platform === 'gb' || platform === 'gbc'))) cuts.push(p);
  const pieces: { start: number; end: number }[] = [];
  let s = start;
  const sorted = cuts.filter((c) => c > start && c < end).sort((x, y) => x - y);
  for (const c of [...sorted, end]) {
    // Pieces keep the grid: a cut off the grid rounds inwards.
    const pieceEnd = s + Math.floor((c - s) / size) * size;
    if (pieceEnd > s && !insideFixedStructure(s, pieceEnd, platform)) pieces.push({ start: s, end: pieceEnd });
    s = s + Math.ceil((c - s) / size) * size;
  }
  return pieces;
}

function insideFixedStructure(start: number, end: number, platform: Platform): boolean {
  return fixedStructureRangesByPlatform[platform].some(([a, b]) => start >= a && end <= b);
}

/** A NES pattern table: the PPU's view of CHR is two of these ($0000 and $1000). */
export const nesPatternTableSizeInBytes = 4096;
/** Drawn tiles a lone group may have and still be an island cut off by fill (trimIslands). */
export const maximumIslandDrawnTiles = 1;
/** Blank tiles in a row that separate an island from a block. */
export const minimumIslandGapInTiles = 2;
/** How far before its first drawn tile a run may start, in blank tiles (alignedStartInBlankStretch). */
export const maximumLeadingBlankTiles = 16;

/** A tile at least this coherent (normalised) counts as drawn inside a run. */
export const minimumTileScore = 0.3;
/** A run starts and ends with tiles at least this coherent: a chance-coherent filler tile next to a block must not extend it. */
export const minimumEdgeTileScore = 0.4;
/** Weak tiles in a row a run may contain. */
export const maximumBadTilesInsideRun = 4;
/** Blank tiles in a row a run may contain (empty cells of a sprite sheet; more is padding). */
export const maximumBlankTilesInsideRun = 16;
/**
 * Phases are tried in steps of this many bytes (at most the tile size): 8 for tiles up to 32
 * bytes (tile data is 8-aligned on 8-bit consoles, see rawDataAlignmentByPlatform), 16 for 64-byte
 * 8bpp tiles (only SNES/GBA 8bpp, placed in 16-aligned sections); finer alignments are reached
 * by refinePhase.
 */
function phaseStepInBytes(bytesPerTile: number): number {
  return bytesPerTile >= 64 ? 16 : 8;
}

const scores = new Float32Array(maximumScoredTilesPerBlock);

export function scanRaw(data: Uint8Array, task: ChunkTask, scorer: GraphicsScorer, checkCancel: CancelCheck): ChunkResult {
  const candidates: ScanCandidate[] = [];
  let decoded = 0;
  const chr = nesChrRegion(data, task.platform);
  if (chr !== null) {
    decoded += nesChrCandidates(data, chr, task, scorer, candidates);
    // With CHR-ROM the PPU fetches every tile from it, so PRG holds no raw tiles (games that copy
    // tiles from PRG have CHR-RAM and no CHR-ROM); 6502 code and tables read as 2bpp tiles there
    // are all the raw scan would find. Compressed streams in PRG are still looked for.
    return { candidates, decoded };
  }
  const alignment = rawDataAlignmentByPlatform[task.platform];
  for (const format of task.formats) {
    // A byte-per-pixel reading is coherent wherever bytes repeat (tables, fill, text), so raw
    // regions are not judged in it when the platform has planar formats to judge them in; a
    // stream decoded from a codec still is scored as linear 8bpp.
    if (format.family === 'linear' && task.formats.some((f) => f.family !== 'linear')) continue;
    const size = format.bytesPerTile;
    const step = Math.min(phaseStepInBytes(size), size);
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
          for (const piece of splitAtStructure(runStart, lastGood + size, size, task.platform)) flushPiece(piece.start, piece.end);
        }
        runStart = -1;
        lastGood = -1;
        bad = 0;
        blankRun = 0;
      };
      const flushPiece = (pieceStart: number, pieceEnd: number): void => {
        {
          const edges = trimIslands(data, pieceStart, pieceEnd, format, scorer);
          let start = edges.start;
          let end = edges.end;
          if (end - start >= task.minimumUnpackedSize) {
            decoded++;
            const moved = refinePhase(data, start, end, format, alignment, step, scorer);
            start = alignedStartInBlankStretch(data, moved.start, format, scorer);
            end = moved.end;
            const length = end - start;
            const run = data.subarray(start, end);
            const best = scorer.best(run, task.formats, maximumScoredTilesPerBlock, true);
            // A run whose bytes read better in another format is a fragment of that format's run
            // (its edges are on this format's grid); that format's own run reports the block.
            // A run off the art's tile grid by part of a tile (4 rows of a 4bpp packed tile read
            // a phase late) is that block misread; the phase on the grid reports it.
            if (best !== null && best.format === format.name && best.score >= task.minimumScore && (size <= step || tileSeamsAligned(format, run))) {
              candidates.push({ offset: start, packedLength: length, unpackedLength: length, codec: 'raw', kind: 'tiles', format: best.format, score: roundScore(best.score) });
            }
          }
        }
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
          const s = smallNumberTable(data, position, size) ? 0 : scores[k]!;
          if (s >= 0) blankRun = 0;
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

/**
 * A tile whose every byte is below 16 and not all zero: a table of small numbers (glyph widths,
 * lengths, indices, loop counts), which as pixels draws only the rightmost 4 columns of every
 * row of every plane. A sprite's left edge tile can look like that too, so one alone is art;
 * a tile that is one of smallNumberTableTiles such tiles in a row is a table (smallNumberTable).
 */
export function smallNumberTile(data: Uint8Array, offset: number, size: number): boolean {
  let any = 0;
  for (let i = offset; i < offset + size; i++) {
    const v = data[i]!;
    if (v >= 16) return false;
    any |= v;
  }
  return any !== 0;
}

/** Small-number tiles in a row that make a table (libbet's VWF glyph-width table: 13). */
export const smallNumberTableTiles = 4;

/** Whether the tile at `offset` lies in a stretch of smallNumberTableTiles or more small-number tiles. */
export function smallNumberTable(data: Uint8Array, offset: number, size: number): boolean {
  if (!smallNumberTile(data, offset, size)) return false;
  let count = 1;
  for (let p = offset - size; p >= 0 && count < smallNumberTableTiles && smallNumberTile(data, p, size); p -= size) count++;
  for (let p = offset + size; p + size <= data.length && count < smallNumberTableTiles && smallNumberTile(data, p, size); p += size) count++;
  return count >= smallNumberTableTiles;
}

const edgeScores = new Float32Array(maximumScoredTilesPerBlock);

/** Per-tile scores of the `count` tiles from `start` into edgeScores (at most maximumScoredTilesPerBlock). */
function scoreTiles(data: Uint8Array, start: number, count: number, format: TileFormat, scorer: GraphicsScorer): number {
  const n = Math.min(count, maximumScoredTilesPerBlock, Math.floor((data.length - start) / format.bytesPerTile));
  if (n <= 0 || start < 0) return 0;
  scorer.tileScores(data.subarray(start, start + n * format.bytesPerTile), format, n, edgeScores);
  return n;
}

/**
 * Drops islands from a run's ends: a group of at most maximumIslandDrawnTiles drawn tiles cut off
 * from the rest by minimumIslandGapInTiles or more blank tiles. Converted art is one file; what
 * sits before or after it across a stretch of fill is the end of other data (a table, a constant
 * that happens to look drawn), not its first or last tile. The fill must end where a section
 * starts (isSectionStart): otherwise the gap is empty cells of the sheet itself.
 */
export function trimIslands(data: Uint8Array, start: number, end: number, format: TileFormat, scorer: GraphicsScorer): { start: number; end: number } {
  const size = format.bytesPerTile;
  const window = maximumIslandDrawnTiles + maximumLeadingBlankTiles + 1;
  for (let pass = 0; pass < maximumIslandPasses; pass++) {
    const count = (end - start) / size;
    if (count < minimumIslandGapInTiles + maximumIslandDrawnTiles + 1) break;
    // Leading island: at most maximumIslandDrawnTiles drawn tiles, then a blank gap, then more.
    const head = scoreTiles(data, start, Math.min(count, window), format, scorer);
    let k = 0;
    while (k < head && edgeScores[k]! >= 0) k++;
    let gap = 0;
    while (k + gap < head && edgeScores[k + gap]! < 0) gap++;
    if (k <= maximumIslandDrawnTiles && gap >= minimumIslandGapInTiles && k + gap < head) {
      const cut = mostAlignedOffset(start + k * size, start + (k + gap) * size, size);
      if (isSectionStart(cut, start)) {
        start = cut;
        continue;
      }
    }
    // Trailing island, the same from the end.
    const tailCount = Math.min(count, window);
    const tailStart = end - tailCount * size;
    const tail = scoreTiles(data, tailStart, tailCount, format, scorer);
    let j = tail - 1;
    while (j >= 0 && edgeScores[j]! >= 0) j--;
    const drawn = tail - 1 - j;
    gap = 0;
    while (j - gap >= 0 && edgeScores[j - gap]! < 0) gap++;
    if (drawn <= maximumIslandDrawnTiles && gap >= minimumIslandGapInTiles && j - gap >= 0) {
      const islandStart = tailStart + (j + 1) * size;
      const cut = mostAlignedOffset(tailStart + (j - gap + 1) * size, islandStart, size);
      if (isSectionStart(cut, islandStart)) {
        end = tailStart + (j - gap + 1) * size;
        continue;
      }
    }
    break;
  }
  return { start, end };
}

/**
 * Whether `offset` is where a section would start after fill: on a 256-byte page (the alignment
 * 8-bit toolchains pad sections and `.align`ed includes to) and rounder than `other`. Fill exists
 * because of such alignment, so the data after it starts on a rounder offset than what came
 * before; empty cells inside a sprite sheet do not end on page boundaries more often than chance.
 */
function isSectionStart(offset: number, other: number): boolean {
  return alignmentOf(offset) >= sectionAlignmentInBytes && alignmentOf(offset) > alignmentOf(other);
}

/** The alignment of a section start after fill (isSectionStart). */
export const sectionAlignmentInBytes = 256;

/** Islands trimmed from one run at most (each pass removes one from either end). */
const maximumIslandPasses = 4;

const oneTileScore = new Float32Array(1);

/** The offset of `from + k·step` (from ≤ it ≤ to) with the largest power-of-two alignment; the earliest on a tie. */
function mostAlignedOffset(from: number, to: number, step: number): number {
  let best = from;
  for (let p = from + step; p <= to; p += step) if (alignmentOf(p) > alignmentOf(best)) best = p;
  return best;
}

/** Largest power of two dividing `offset` (offset 0 counts as the most aligned of all). */
function alignmentOf(offset: number): number {
  if (offset === 0) return 2 ** 31;
  return offset & -offset;
}

/**
 * Where a run that follows blank tiles really starts. Tile sets usually begin with blank tiles
 * (tile 0 is the empty background), and the fill before a block is blank too, so the bytes
 * cannot tell where one ends and the other begins; the linker can. Sections and aligned
 * `.incbin`s start at round addresses, padding runs up to them: the start is the most aligned
 * offset on the format's grid among the blank tiles before the first drawn one (up to
 * maximumLeadingBlankTiles), when that is rounder than the first drawn tile's own offset.
 */
export function alignedStartInBlankStretch(data: Uint8Array, start: number, format: TileFormat, scorer: GraphicsScorer): number {
  const size = format.bytesPerTile;
  let best = start;
  const tile = oneTileScore;
  for (let k = 1; k <= maximumLeadingBlankTiles; k++) {
    const p = start - k * size;
    if (p < 0) break;
    scorer.tileScores(data.subarray(p, p + size), format, 1, tile);
    if (tile[0]! >= 0) break;
    if (alignmentOf(p) > alignmentOf(best)) best = p;
  }
  return best;
}

/**
 * Moves a run found at a coarse phase onto the art's own grid: every shift by whole units of
 * the platform's data alignment up to (not including) the phase step, either way, is scored as a
 * block (neighbour coherence and plane correlation drop when rows or planes are split across
 * tiles), and the best reading wins; a shift must beat the found phase by refineMargin.
 */
export function refinePhase(data: Uint8Array, start: number, end: number, format: TileFormat, alignment: number, step: number, scorer: GraphicsScorer): { start: number; end: number } {
  if (alignment >= step) return { start, end };
  const length = end - start;
  let bestShift = 0;
  let bestScore = scorer.score(data.subarray(start, end), format).score;
  for (let shift = -step + alignment; shift < step; shift += alignment) {
    if (shift === 0 || start + shift < 0 || end + shift > data.length) continue;
    const score = scorer.score(data.subarray(start + shift, start + shift + length), format).score;
    if (score > bestScore + refineMargin) {
      bestScore = score;
      bestShift = shift;
    }
  }
  return { start: start + bestShift, end: end + bestShift };
}

/** How much better a shifted reading must score to move a run (scores are stable to ~0.001). */
export const refineMargin = 0.005;

/** The CHR-ROM byte range of an iNES file, or null (not NES, no CHR-ROM, or a header that does not fit). */
export function nesChrRegion(data: Uint8Array, platform: Platform): { start: number; end: number } | null {
  if (platform !== 'nes' || !hasInesMagic(data)) return null;
  try {
    const header = parseNesHeader(data, 'scan');
    if (header.chrRomOffset === null) return null;
    return { start: header.chrRomOffset, end: header.chrRomOffset + header.chrRomSize };
  } catch {
    // A header whose sizes do not fit the file tells nothing about where CHR is: scan it all as PRG.
    return null;
  }
}

/**
 * NES CHR-ROM, one candidate per 4 KiB pattern table that has at least one drawn tile, reported by
 * the chunk that holds the table's first byte. The PPU fetches tiles only from CHR, so every byte
 * there is tile data whatever it scores; the score is still the block's (for ranking).
 */
function nesChrCandidates(data: Uint8Array, chr: { start: number; end: number }, task: ChunkTask, scorer: GraphicsScorer, out: ScanCandidate[]): number {
  const format = getTileFormat('nes2bpp');
  let decoded = 0;
  for (let table = chr.start; table + nesPatternTableSizeInBytes <= chr.end; table += nesPatternTableSizeInBytes) {
    if (table < task.start || table >= task.end) continue;
    const bytes = data.subarray(table, table + nesPatternTableSizeInBytes);
    const statistics = scorer.statistics(bytes, format);
    if (statistics.blankTiles === statistics.tiles) continue;
    decoded++;
    // Reported whatever its score: the threshold sorts guesses, and this is not one.
    const score = scorer.score(bytes, format).score;
    out.push({ offset: table, packedLength: nesPatternTableSizeInBytes, unpackedLength: nesPatternTableSizeInBytes, codec: 'raw', kind: 'tiles', format: format.name, score: roundScore(score) });
  }
  return decoded;
}
