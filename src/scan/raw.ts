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
 *   at the most aligned offset on the format's grid (`startInBlankStretch`);
 * - the grid is found to the platform's data alignment (`rawDataAlignmentByPlatform`): a run
 *   found at a coarse phase is moved by whole alignment units to where its tiles score best
 *   (`refinePhase`) — a Mega Drive font 10 bytes off the 16-byte phases is read on its own grid;
 * - NES CHR-ROM (from the iNES header) is tile data by definition: it is reported whole, one
 *   block per 8 KiB CHR unit (the header's size unit and the PPU's whole pattern space), split into
 *   its two 4 KiB pattern tables only on evidence of two files (`nesChrCandidates`); PRG-ROM is
 *   scanned for raw tiles only when there is no CHR-ROM (CHR-RAM games keep their tiles there).
 */
import type { TileFormat } from '../gfx/index.js';
import { getTileFormat } from '../gfx/index.js';
import type { Platform } from '../rom/platform.js';
import { hasInesMagic, parseNesHeader } from '../rom/nes.js';
import { gbBootLogoOffsetInHeader, gbBootLogoPrefix, gbHeaderEndInBytes } from '../rom/gb.js';
import type { ChunkResult, ChunkTask, CancelCheck } from './chunk.js';
import { roundScore } from './chunk.js';
import { GraphicsScorer, maximumScoredTilesPerBlock, minimumDistinctTilesPerBlock } from './score.js';
import { blockReference, codeReference, codeReferences, dataReference, gbLoadedTileSlots, hasReference, mapReference, referenceAt, tileCountReference, type ReferenceIndex } from './references.js';
import { maximumPaletteColours, minimumDistinctTilemapIndices } from './kind.js';
import { declaredPb16Streams, gbPb16Calls } from './pb16.js';
import { gbRomOffset } from './gb-calls.js';
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

/**
 * The vector areas and cartridge headers ([base, base + $150)) of GB ROM images embedded in a
 * ROM (a multicart's games; a menu or a test ROM carrying another), found by the boot logo at
 * base + $104: every cartridge carries the 48 bytes the boot ROM checks, and 24 of them do not
 * occur by chance. The vectors hold code and the header fields; the logo is a 1bpp bitmap the
 * boot ROM expands, which reads as drawn 2bpp rows. The ROM's own header is a fixed range above.
 */
export function embeddedGbHeaderRanges(data: Uint8Array, platform: Platform): (readonly [number, number])[] {
  if (platform !== 'gb' && platform !== 'gbc') return [];
  const ranges: (readonly [number, number])[] = [];
  const logo = gbBootLogoPrefix;
  const first = logo[0]!;
  for (let p = data.indexOf(first); p >= 0 && p + logo.length <= data.length; p = data.indexOf(first, p + 1)) {
    let k = 1;
    while (k < logo.length && data[p + k] === logo[k]) k++;
    if (k < logo.length || p === gbBootLogoOffsetInHeader) continue;
    const base = p - gbBootLogoOffsetInHeader;
    ranges.push([Math.max(0, base), base + gbHeaderEndInBytes]);
  }
  return ranges;
}

/**
 * Cuts [start, end) (on a grid of `size`) at fixed structures (the platform's, and `embedded`
 * ones: embeddedGbHeaderRanges) and bank boundaries: the pieces, on the same grid.
 */
export function splitAtStructure(start: number, end: number, size: number, platform: Platform, embedded: readonly (readonly [number, number])[] = []): { start: number; end: number }[] {
  const cuts: number[] = [];
  const fixed = embedded.length === 0 ? fixedStructureRangesByPlatform[platform] : [...fixedStructureRangesByPlatform[platform], ...embedded];
  for (const [a, b] of fixed) cuts.push(a, b);
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
    if (pieceEnd > s && !fixed.some(([a, b]) => s >= a && pieceEnd <= b)) pieces.push({ start: s, end: pieceEnd });
    s = s + Math.ceil((c - s) / size) * size;
  }
  return pieces;
}

/** A NES pattern table: the PPU's view of CHR is two of these ($0000 and $1000). */
export const nesPatternTableSizeInBytes = 4096;
/**
 * The unit a NES CHR-ROM block is reported in: the iNES header counts CHR in 8 KiB units, the
 * PPU's pattern space ($0000–$1FFF) is 8 KiB, and NROM/CNROM/UxROM switch CHR 8 KiB at a time.
 */
export const nesChrUnitSizeInBytes = 8192;
/**
 * Tiles the two pattern tables of one CHR unit must begin with in common (byte for byte, one of
 * them drawn) to be reported as two files (see nesChrCandidates).
 */
export const minimumRestartedTilesForChrSplit = 2;
/** Drawn tiles a lone group may have and still be an island cut off by fill (trimIslands). */
export const maximumIslandDrawnTiles = 1;
/** Blank tiles in a row that separate an island from a block. */
export const minimumIslandGapInTiles = 2;
/** How far before its first drawn tile a run may start, in blank tiles (startInBlankStretch). */
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
  const references = codeReferences(data, task.platform);
  if (task.platform === 'gb' || task.platform === 'gbc') candidates.push(...gbCopiedMaps(data, task, references), ...gbChainedPalettes(data, task), ...gbcPaletteLoads(data, task));
  const embeddedHeaders = embeddedGbHeaderRanges(data, task.platform);
  const planePairs = new PlanePairScores(data, task, scorer);
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
          for (const piece of splitAtStructure(runStart, lastGood + size, size, task.platform, embeddedHeaders)) flushPiece(piece.start, piece.end);
        }
        runStart = -1;
        lastGood = -1;
        bad = 0;
        blankRun = 0;
      };
      const flushPiece = (pieceStart: number, pieceEnd: number): void => {
        const edges = trimArmCode(data, trimIslands(data, pieceStart, pieceEnd, format, scorer), size, task.platform);
        if (edges.end - edges.start < task.minimumUnpackedSize) return;
        decoded++;
        const moved = refinePhase(data, edges.start, edges.end, format, alignment, step, scorer);
        const gridded = referencedGrid(references, moved.start, moved.end, size, alignment, data.length);
        const start = startInBlankStretch(data, gridded.start, format, scorer, references, gridded.end);
        const end = endInBlankStretch(data, gridded.end, format, scorer, references, start);
        // Blocks placed back to back, each found by the program through its own address and length.
        for (const piece of referencedPieces(references, start, end, size, data.length, (from, to) => blankTiles(data, from, to, format, scorer))) {
          const a = piece.start;
          const b = piece.end;
          // The run met the minimum size; a block in it that the code declares is a block however
          // small (the minimum guards against chance runs, and this one is not chance).
          if (piece.declared ? b - a < size * minimumDistinctTilesPerBlock : b - a < task.minimumUnpackedSize) continue;
          // A declared block is judged by the drawn run it holds: past the run it may hold empty
          // cells (a sprite sheet uploaded whole), which say nothing about the art.
          const run = piece.declared ? data.subarray(Math.max(a, start), Math.min(b, end)) : data.subarray(a, b);
          if (run.length < size * minimumDistinctTilesPerBlock) continue;
          const best = scorer.best(run, task.formats, maximumScoredTilesPerBlock, true);
          // A run whose bytes read better in another format is a fragment of that format's run
          // (its edges are on this format's grid); that format's own run reports the block.
          // A run off the art's tile grid by part of a tile (4 rows of a 4bpp packed tile read
          // a phase late) is that block misread; the phase on the grid reports it.
          if (best === null || best.format !== format.name) continue;
          // SNES: the minimum size is evidence, and blank tiles are none (they are the fill between
          // files as much as empty cells), so an undeclared run must hold the minimum in drawn tiles.
          // A pointer table amid zero padding in libSFX's audio RAM image read as 9 4bpp tiles, 4 of
          // them drawn.
          if (!piece.declared && task.platform === 'snes' && (best.statistics.tiles - best.statistics.blankTiles) * size < task.minimumUnpackedSize) continue;
          let score = format.bpp === 1 ? Math.max(best.score, glyphFontScore(run, size)) : best.score;
          // A declared block too small for the block rules (fewer than minimumDistinctTilesPerBlock
          // distinct tiles: a 4-tile border) is judged by how coherent its drawn tiles are.
          if (piece.declared && best.statistics.distinctTiles < minimumDistinctTilesPerBlock) score = Math.max(score, best.statistics.coherence);
          if (score >= task.minimumScore && (size <= step || tileSeamsAligned(format, run))) {
            candidates.push({ offset: a, packedLength: b - a, unpackedLength: b - a, codec: 'raw', kind: 'tiles', format: best.format, score: roundScore(score) });
          }
        }
      };
      const pairs = planePairs.blocks(format);
      while (position + size <= data.length) {
        // Outside a run, tiles that cannot start one are passed over unscored (planePairs).
        if (runStart < 0 && pairs !== null) while (position < task.end && planePairs.cannotStart(position, pairs, format)) position += size;
        if (position + size > data.length) break;
        // Past the chunk's end only to finish a run.
        if (position >= task.end && runStart < 0) break;
        const n = Math.min(maximumScoredTilesPerBlock, Math.floor((data.length - position) / size));
        if (!planePairs.copyGb2bppScores(format, position, n, scores)) scorer.tileScores(data.subarray(position, position + n * size), format, n, scores);
        let stop = false;
        for (let k = 0; k < n; k++, position += size) {
          if (position >= task.end && runStart < 0) {
            stop = true;
            break;
          }
          if (runStart < 0 && pairs !== null && planePairs.cannotStart(position, pairs, format)) continue;
          if (scores[k]! >= 0 && task.platform === 'md' && mdColourTile(data, position, size)) {
            // Colours are not art and never inside art: a converted image is one file, its palette
            // another, so a colour table ends the run (a weak tile would only be tolerated).
            flush();
            continue;
          }
          const table = smallNumberTable(data, position, size, format.family === 'packed-nibble') || (task.platform === 'md' && mdPointerTableTile(data, position, size));
          const s = table ? 0 : scores[k]!;
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

/** Where SNES planar formats keep GB-style 2bpp plane pairs in a tile (byte offsets of 16-byte blocks). */
const gb2bppPlanePairBlocks: Readonly<Record<string, readonly number[]>> = { gb2bpp: [0], snes3bpp: [0], snes4bpp: [0, 16], snes8bpp: [0, 16, 32, 48] };

/**
 * The raw scan's prefilter for SNES planar formats. A 3, 4 or 8bpp SNES tile stores its planes in
 * pairs, each pair laid out as a GB-style 2bpp tile (gfx formats: `snes4bpp` = planes 0/1 then
 * 2/3). A pair's 2-bit value is a function of the pixel's full index, so wherever two neighbouring
 * pixels are equal in the full tile they are equal in every pair: a pair's equal-neighbour count
 * is at least the tile's. A tile can start a run only at minimumEdgeTileScore, i.e. with at least
 * e = edge·(1 − 2^−bpp) + 2^−bpp of its 112 neighbour pairs equal (score.ts tileScores), so each
 * of its plane pairs scores at least (e − 1/4)/(3/4) as gb2bpp. A pair scoring above 0 (not
 * clamped, not blank, not zeroed for equal rows) but below that bound proves the tile cannot
 * start a run, without decoding it. The gb2bpp scores at every 8-byte offset of the chunk are
 * computed once (two phases) and serve the gb2bpp pass itself too: the 2bpp scoring the SNES scan
 * did anyway, and most code and data tiles are passed over in the deeper formats.
 */
class PlanePairScores {
  readonly #from: number;
  readonly #to: number;
  readonly #scores: Float32Array | null;

  constructor(data: Uint8Array, task: ChunkTask, scorer: GraphicsScorer) {
    this.#from = Math.max(0, Math.floor(task.start / 8) * 8);
    this.#to = Math.min(data.length, task.end + 64);
    const useful = task.formats.some((f) => f.name !== 'gb2bpp' && gb2bppPlanePairBlocks[f.name] !== undefined);
    if (!useful || task.platform === 'nes' || this.#to - this.#from < 16) {
      this.#scores = null;
      return;
    }
    const gb2bpp = getTileFormat('gb2bpp');
    const units = Math.floor((this.#to - this.#from) / 8);
    const out = new Float32Array(units).fill(Number.NaN);
    const batch = new Float32Array(maximumScoredTilesPerBlock);
    for (let phase = 0; phase < 16; phase += 8) {
      for (let p = this.#from + phase; p + 16 <= this.#to; ) {
        const n = Math.min(maximumScoredTilesPerBlock, Math.floor((this.#to - p) / 16));
        scorer.tileScores(data.subarray(p, p + n * 16), gb2bpp, n, batch);
        for (let k = 0; k < n; k++) out[(p - this.#from) / 8 + 2 * k] = batch[k]!;
        p += n * 16;
      }
    }
    this.#scores = out;
  }

  /** The plane-pair block offsets of `format`, or null when the prefilter does not apply to it. */
  blocks(format: TileFormat): readonly number[] | null {
    if (this.#scores === null || format.name === 'gb2bpp') return null;
    return gb2bppPlanePairBlocks[format.name] ?? null;
  }

  /** Whether the tile of `format` at `position` cannot reach minimumEdgeTileScore (see the class comment). */
  cannotStart(position: number, blocks: readonly number[], format: TileFormat): boolean {
    const scores = this.#scores!;
    const chance = 1 / (1 << format.bpp);
    const equal = minimumEdgeTileScore * (1 - chance) + chance;
    const bound = (equal - 0.25) / 0.75 - planePairBoundSlack;
    for (const block of blocks) {
      const p = position + block;
      if (p < this.#from || p + 16 > this.#to) return false;
      const g = scores[(p - this.#from) / 8]!;
      if (g > 0 && g < bound) return true;
    }
    return false;
  }

  /** Fills `out` with the gb2bpp scores of `n` tiles from `position` when they were all computed; false otherwise. */
  copyGb2bppScores(format: TileFormat, position: number, n: number, out: Float32Array): boolean {
    if (this.#scores === null || format.name !== 'gb2bpp' || position < this.#from || position + n * 16 > this.#to || (position - this.#from) % 8 !== 0) return false;
    const scores = this.#scores;
    const base = (position - this.#from) / 8;
    for (let k = 0; k < n; k++) {
      const g = scores[base + 2 * k]!;
      if (Number.isNaN(g)) return false;
      out[k] = g;
    }
    return true;
  }
}

/** Float rounding allowance on the plane-pair bound (scores are float32). */
const planePairBoundSlack = 1e-4;

/**
 * A tile whose every byte is a small number: below 16 and not all zero, or a small signed number
 * (−16 to 15: $F0–$FF and $00–$0F) with some value other than 0 and −1 in its low nibble. Tables
 * of such numbers (glyph widths, lengths, indices, loop counts; velocities, offsets, sine and
 * delta tables) draw, as pixels, only the rightmost 4 columns of every row of every plane, or
 * in packed 4bpp only colours 0 and 15 in every other column. A sprite's left edge tile can look
 * like that too, so one alone is art; a tile in a stretch of such tiles at least
 * smallNumberTableBytes long is a table (smallNumberTable). A 4bpp font drawn in colour 15 on 0 has bytes $00, $0F,
 * $F0 and $FF only, whose low nibbles are 0 and 15: not a table. The signed reading is for packed
 * formats only (`packed`): in planar ones $Fx is a row whose left half is set in that plane, which
 * outlined and shaded art has all the time.
 */
export function smallNumberTile(data: Uint8Array, offset: number, size: number, packed = false): boolean {
  let any = 0;
  let signed = false;
  let lowNibbleValue = false;
  for (let i = offset; i < offset + size; i++) {
    const v = data[i]!;
    if (v >= 16 && v < 0xf0) return false;
    any |= v;
    if (v >= 0xf0) signed = true;
    const low = v & 0x0f;
    if (low !== 0 && low !== 0x0f) lowNibbleValue = true;
  }
  if (signed && !packed) return false;
  return signed ? lowNibbleValue : any !== 0;
}

/**
 * Bytes of small-number tiles in a row that make a table: 4 2bpp tiles (libbet's VWF glyph-width
 * table is 13), 2 4bpp tiles (a 4bpp tile of small numbers is already a left half left blank in
 * all four planes), 8 1bpp glyphs.
 */
export const smallNumberTableBytes = 64;

/** Whether the tile at `offset` lies in a stretch of small-number tiles at least smallNumberTableBytes long. */
export function smallNumberTable(data: Uint8Array, offset: number, size: number, packed = false): boolean {
  if (!smallNumberTile(data, offset, size, packed)) return false;
  const tiles = Math.max(1, Math.ceil(smallNumberTableBytes / size));
  let count = 1;
  for (let p = offset - size; p >= 0 && count < tiles && smallNumberTile(data, p, size, packed); p -= size) count++;
  for (let p = offset + size; p + size <= data.length && count < tiles && smallNumberTile(data, p, size, packed); p += size) count++;
  return count >= tiles;
}

/**
 * A Mega Drive tile whose every 16-bit word is a CRAM colour (0000 BBB0 GGG0 RRR0: bits 0, 4, 8
 * and 12–15 clear), not all zero: a palette or a fade table of colours. As 4bpp pixels that is
 * only even colour indices with every fourth pixel 0, which drawn art does not keep up for a
 * whole tile.
 */
export function mdColourTile(data: Uint8Array, offset: number, size: number): boolean {
  let any = 0;
  for (let i = offset; i + 1 < offset + size; i += 2) {
    const word = (data[i]! << 8) | data[i + 1]!;
    if ((word & 0xf111) !== 0) return false;
    any |= word;
  }
  return any !== 0;
}

/**
 * Where a Mega Drive program's pointers can point (a 68000 longword holds a 24-bit bus address
 * with a zero top byte): code and data in the ROM past its vector table and header
 * (fixedStructureRangesByPlatform: $000–$1FF), or work RAM at $FF0000–$FFFFFF.
 */
const mdCodeAndDataStartInBytes = 0x200;
const mdWorkRamStartAddress = 0xff0000;
const mdAddressSpaceEnd = 0x1000000;
/**
 * Longword pointers in a row that make a table (jump tables, resource and state lists): 16, two
 * tiles' worth of rows, as smallNumberTableBytes asks two 4bpp tiles of small numbers.
 */
export const minimumMdPointerTableLongwords = 16;
/** Distinct pointers among a tile's 8 (one per row) that make it a table's and not art's (see mdPointerTableTile). */
export const minimumDistinctPointersPerTile = 6;

/** Whether the big-endian longword at `p` is a 68000 pointer into the ROM's code and data or into work RAM. */
function mdPointerAt(data: Uint8Array, p: number): boolean {
  if (p < 0 || p + 4 > data.length || data[p] !== 0) return false;
  const address = (data[p + 1]! << 16) | (data[p + 2]! << 8) | data[p + 3]!;
  return (address >= mdCodeAndDataStartInBytes && address < data.length) || (address >= mdWorkRamStartAddress && address < mdAddressSpaceEnd);
}

/**
 * A Mega Drive tile that lies in a table of 68000 pointers: 32-bit big-endian longwords (`dc.l`)
 * whose top byte is zero (the 68000 drives a 24-bit address bus) and whose address is in the
 * ROM's code and data or in work RAM; jump tables (SGDK's LZ4W unpacker dispatches through
 * three of them, one longword per literal and match length), resource tables and object lists
 * are such. Read as 4bpp pixels, each 4-byte row is one pointer: its zero top byte draws two
 * colour-0 pixels in the same columns of every row, and neighbouring entries that point near
 * one another share their next byte too, so the tile looks like a sprite edge with flat
 * columns, and neighbour coherence takes it for art. A tile is a table's when, at one of the
 * four byte phases (a table is word-aligned, the tile grid is any even byte; all four are
 * checked so the rule does not depend on that), all 8 longwords starting in it are pointers,
 * at least minimumDistinctPointersPerTile of them different (a table names different places;
 * art whose left columns are empty repeats its rows: a vertical stripe of one colour reads as
 * one "pointer" 8 times), in a run of at least minimumMdPointerTableLongwords.
 */
export function mdPointerTableTile(data: Uint8Array, offset: number, size: number): boolean {
  const rows = size >> 2;
  for (let phase = 0; phase < 4; phase++) {
    const first = offset + phase;
    let all = true;
    for (let k = 0; k < rows && all; k++) all = mdPointerAt(data, first + 4 * k);
    if (!all || distinctLongwords(data, first, rows) < minimumDistinctPointersPerTile) continue;
    let run = rows;
    for (let p = first - 4; run < minimumMdPointerTableLongwords && mdPointerAt(data, p); p -= 4) run++;
    for (let p = first + 4 * rows; run < minimumMdPointerTableLongwords && mdPointerAt(data, p); p += 4) run++;
    if (run >= minimumMdPointerTableLongwords) return true;
  }
  return false;
}

/** How many different big-endian longwords there are among the `count` at `from`, `from + 4`, … */
function distinctLongwords(data: Uint8Array, from: number, count: number): number {
  let distinct = 0;
  for (let k = 0; k < count; k++) {
    const p = from + 4 * k;
    let seen = false;
    for (let j = 0; j < k && !seen; j++) {
      const q = from + 4 * j;
      seen = data[p] === data[q] && data[p + 1] === data[q + 1] && data[p + 2] === data[q + 2] && data[p + 3] === data[q + 3];
    }
    if (!seen) distinct++;
  }
  return distinct;
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
 * cannot tell where one ends and the other begins; the program and the linker can. When code
 * loads the address of the run's first drawn tile or of a blank tile before it (references.ts),
 * the block starts there (the earliest such, its label). Otherwise: sections and aligned
 * `.incbin`s start at round addresses, padding runs up to them, so the start is the most aligned
 * offset on the format's grid among the blank tiles before the first drawn one (up to
 * maximumLeadingBlankTiles), when that is rounder than the first drawn tile's own offset.
 */
export function startInBlankStretch(data: Uint8Array, start: number, format: TileFormat, scorer: GraphicsScorer, references?: ReferenceIndex, runEnd = start): number {
  const size = format.bytesPerTile;
  let best = start;
  let referenced = references !== undefined && hasReference(references, start, dataReference, start, runEnd) ? start : -1;
  const tile = oneTileScore;
  for (let k = 1; k <= maximumLeadingBlankTiles; k++) {
    const p = start - k * size;
    if (p < 0) break;
    scorer.tileScores(data.subarray(p, p + size), format, 1, tile);
    if (tile[0]! >= 0) break;
    if (alignmentOf(p) > alignmentOf(best)) best = p;
    if (references !== undefined && hasReference(references, p, dataReference, p, runEnd)) referenced = p;
  }
  return referenced >= 0 ? referenced : best;
}

/**
 * Where a run that is followed by blank tiles ends: at the next offset the program calls or jumps
 * to (the code after the art), when only blank tiles (at most
 * maximumLeadingBlankTiles) lie between; they are the block's own trailing empty tiles (a font's
 * or sheet's last cells), since nothing else claims them. Likewise when the blank tiles reach the
 * end of the file: a build that is not padded ends with its last object (tonc's font, last in
 * gba-arm, ends with a blank glyph). Otherwise at the last drawn tile.
 */
export function endInBlankStretch(data: Uint8Array, end: number, format: TileFormat, scorer: GraphicsScorer, references: ReferenceIndex, runStart: number): number {
  const size = format.bytesPerTile;
  if (hasReference(references, end, codeReference, runStart, end)) return end;
  const tile = oneTileScore;
  for (let k = 0; k < maximumLeadingBlankTiles; k++) {
    const p = end + k * size;
    if (p + size > data.length) break;
    scorer.tileScores(data.subarray(p, p + size), format, 1, tile);
    if (tile[0]! >= 0) break;
    if (p + size < data.length && hasReference(references, p + size, codeReference, runStart, p + size)) return p + size;
    // The file ends here: an unpadded build ends where its last object does.
    if (p + size === data.length) return data.length;
  }
  return end;
}

/**
 * A run cut into the blocks the program declares in it (references.ts: a pointer with the length
 * of what it points at — a DMA source and count, a GB copy to VRAM, a resource-table entry) and
 * what lies between them. A declared block may start in the blank tiles before the run (up to
 * maximumLeadingBlankTiles) and end past it (its own trailing empty cells). A declared block
 * inside a larger one is part of it (a program copying the second half of a tile set apart).
 */
export function referencedPieces(references: ReferenceIndex, start: number, end: number, size: number, length: number, blank: (from: number, to: number) => boolean = () => true): { start: number; end: number; declared: boolean }[] {
  const declared: { start: number; end: number }[] = [];
  for (let p = Math.max(0, start - maximumLeadingBlankTiles * size); p < end; p += size) {
    for (let i = referenceAt(references, p, blockReference, start, end); i >= 0 && i < references.targets.length && references.targets[i] === p; i++) {
      const bytes = (references.kinds[i]! & tileCountReference) !== 0 ? references.lengths[i]! * size : references.lengths[i]!;
      if ((references.kinds[i]! & blockReference) === 0 || bytes <= 0 || bytes % size !== 0 || p + bytes <= start || p + bytes > length) continue;
      const source = references.sources[i]!;
      if (source >= start && source < end) continue;
      // What it claims beyond the run must be blank tiles (its empty cells): a pointer and count
      // spelt by chance claim code or other data there.
      if ((p < start && !blank(p, start)) || (p + bytes > end && !blank(end, p + bytes))) continue;
      declared.push({ start: p, end: p + bytes });
    }
  }
  const outer = declared.filter((d) => !declared.some((o) => o !== d && o.start <= d.start && d.end <= o.end && (o.start < d.start || o.end > d.end)));
  outer.sort((x, y) => x.start - y.start || y.end - x.end);
  const pieces: { start: number; end: number; declared: boolean }[] = [];
  let cursor = start;
  for (const d of outer) {
    if (d.start < cursor && pieces.length > 0) continue;
    if (d.start > cursor) pieces.push({ start: cursor, end: d.start, declared: false });
    pieces.push({ start: d.start, end: d.end, declared: true });
    cursor = d.end;
  }
  if (cursor < end) pieces.push({ start: cursor, end, declared: false });
  return pieces;
}

/** Whether every tile of [from, to) (on the format's grid from `from`) is blank. */
function blankTiles(data: Uint8Array, from: number, to: number, format: TileFormat, scorer: GraphicsScorer): boolean {
  for (let p = from; p < to; ) {
    const n = scoreTiles(data, p, Math.ceil((to - p) / format.bytesPerTile), format, scorer);
    if (n <= 0) return false;
    for (let k = 0; k < n; k++) if (edgeScores[k]! >= 0) return false;
    p += n * format.bytesPerTile;
  }
  return true;
}

/**
 * A run whose data the program declares (a pointer with a length, references.ts) at an offset off
 * its grid is on the wrong grid: the address is where the block's first tile is. Bare pointers
 * do not move a grid: one spelt by chance in code or data lands anywhere. When no referenced offset inside the run is on its
 * grid and one is off it by a whole number of alignment units, the run moves by the smallest
 * shift that puts it on the grid (refinePhase can prefer a neighbouring phase on art whose rows
 * read alike at both).
 */
export function referencedGrid(references: ReferenceIndex, start: number, end: number, size: number, alignment: number, length: number): { start: number; end: number } {
  let shift = 0;
  for (let p = start; p < end; p += alignment) {
    if (!hasReference(references, p, blockReference, start, end)) continue;
    const off = (p - start) % size;
    if (off === 0) return { start, end };
    const nearest = off <= size / 2 ? off : off - size;
    if (shift === 0) shift = nearest;
  }
  if (shift === 0 || start + shift < 0 || end + shift > length) return { start, end };
  return { start: start + shift, end: end + shift };
}

/**
 * ARM code at a raw run's ends is not art: nearly every ARM instruction carries the condition
 * "always" (top nibble $E of its little-endian word), so code's every fourth byte is $E0–$EF, which
 * read as pixels draws a regular column pattern that neighbour coherence can take for art. GBA
 * tiles are cut from the run's ends while at least minimumArmConditionWordFraction of their words
 * look so.
 */
export function trimArmCode(data: Uint8Array, run: { start: number; end: number }, size: number, platform: Platform): { start: number; end: number } {
  if (platform !== 'gba' || size % 4 !== 0) return run;
  let { start, end } = run;
  while (start < end && armCodeTile(data, start, size)) start += size;
  while (end > start && armCodeTile(data, end - size, size)) end -= size;
  return { start, end };
}

/**
 * Words with the "always" condition nibble that make ARM code (trimArmCode), over the tile, or
 * for 8-byte (1bpp) tiles over the tile and the next (4 words: 2 tiles of code hold a conditional
 * branch or a literal often enough that half is the bar; glyph rows 3 and 7 rarely read $Ex).
 */
export const minimumArmConditionWordFraction = 0.75;
/** The same for the 4-word window of 8-byte tiles. */
export const minimumArmConditionWordFractionOfGlyphPair = 0.5;

function armCodeTile(data: Uint8Array, offset: number, size: number): boolean {
  const window = Math.max(size, 16);
  if (offset + window > data.length) return false;
  let always = 0;
  for (let p = offset; p + 4 <= offset + window; p += 4) if ((data[p + 3]! & 0xf0) === 0xe0) always++;
  return always >= (size < 16 ? minimumArmConditionWordFractionOfGlyphPair : minimumArmConditionWordFraction) * (window / 4);
}

/**
 * A 1bpp glyph font's own evidence: glyphs are drawn with the spacing between characters inside
 * the cell, so nearly every glyph leaves its bottom row, or its top row, and its rightmost or
 * leftmost column empty (tonc's and libbet's fonts, and every 8×8 text font made to be printed
 * cell by cell). Neighbour coherence undersells such art (two colours: chance agreement is 1/2),
 * so a 1bpp run where at least minimumSpacedGlyphFraction of the drawn tiles keep that spacing
 * scores that fraction (scaled to the score range: glyphFontScoreAtFullSpacing when all do).
 */
export function glyphFontScore(run: Uint8Array, bytesPerTile: number): number {
  const tiles = Math.floor(run.length / bytesPerTile);
  let drawn = 0;
  let spaced = 0;
  for (let t = 0; t < tiles; t++) {
    const o = t * bytesPerTile;
    let any = 0;
    for (let y = 0; y < 8; y++) any |= run[o + y]!;
    if (any === 0) continue;
    drawn++;
    const rowSpace = run[o] === 0 || run[o + 7] === 0;
    const columnSpace = (any & 0x01) === 0 || (any & 0x80) === 0;
    if (rowSpace && columnSpace) spaced++;
  }
  if (drawn < minimumDistinctTilesPerBlock) return 0;
  const fraction = spaced / drawn;
  return fraction >= minimumSpacedGlyphFraction ? fraction * glyphFontScoreAtFullSpacing : 0;
}

/** Glyphs keeping the inter-character spacing that make a run a font (glyphFontScore). */
export const minimumSpacedGlyphFraction = 0.8;
/** The score of a 1bpp run all of whose glyphs keep the spacing. */
export const glyphFontScoreAtFullSpacing = 0.7;

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
 * NES CHR-ROM, reported by the chunk that holds each block's first byte. The PPU fetches tiles
 * only from CHR, so every byte there is tile data whatever it scores; the score is still the
 * block's (for ranking; the better of its two tables, as the scorer reads at most 256 tiles).
 *
 * Nothing in CHR marks where one `.chr` file ends and the next begins, so a block is what the
 * hardware and the header make one: an 8 KiB unit (nesChrUnitSizeInBytes). Tile editors for the
 * NES (YY-CHR, NES Screen Tool) and most projects keep a whole 8 KiB `.chr`; projects that convert
 * one image per pattern table `.incbin` two 4 KiB files. The unit is split at its 4 KiB pattern
 * table boundary only on evidence of that:
 * - one table has no drawn tile: the other is reported alone (an empty table is fill, not art);
 * - the second table restarts with the first table's tiles: its first tiles equal the first
 *   table's first tiles byte for byte (at least minimumRestartedTilesForChrSplit, one of them
 *   drawn). Each file made from its own image starts again at tile 0, and one template (blank,
 *   solid-colour and marker tiles for fills and sprite-0 hits) makes those tiles the same; a
 *   single 8 KiB sheet has no reason to repeat its first tiles at $1000 (blank tiles alone, which
 *   every table starts with, are no evidence).
 */
function nesChrCandidates(data: Uint8Array, chr: { start: number; end: number }, task: ChunkTask, scorer: GraphicsScorer, out: ScanCandidate[]): number {
  const format = getTileFormat('nes2bpp');
  let decoded = 0;
  const report = (offset: number, length: number, score: number): void => {
    decoded++;
    // Reported whatever its score: the threshold sorts guesses, and this is not one.
    out.push({ offset, packedLength: length, unpackedLength: length, codec: 'raw', kind: 'tiles', format: format.name, score: roundScore(score) });
  };
  for (let unit = chr.start; unit < chr.end; unit += nesChrUnitSizeInBytes) {
    const unitEnd = Math.min(chr.end, unit + nesChrUnitSizeInBytes);
    const tables: { offset: number; length: number; drawn: boolean; score: number }[] = [];
    for (let table = unit; table + nesPatternTableSizeInBytes <= unitEnd; table += nesPatternTableSizeInBytes) {
      const bytes = data.subarray(table, table + nesPatternTableSizeInBytes);
      const statistics = scorer.statistics(bytes, format);
      const drawn = statistics.blankTiles !== statistics.tiles;
      tables.push({ offset: table, length: nesPatternTableSizeInBytes, drawn, score: drawn ? scorer.score(bytes, format).score : 0 });
    }
    const drawnTables = tables.filter((t) => t.drawn);
    if (drawnTables.length === 0) continue;
    if (drawnTables.length === 1 || chrTablesRestart(data, tables[0]!.offset, tables[1]!.offset, format)) {
      for (const table of drawnTables) if (table.offset >= task.start && table.offset < task.end) report(table.offset, table.length, table.score);
    } else if (unit >= task.start && unit < task.end) {
      report(unit, unitEnd - unit, Math.max(...drawnTables.map((t) => t.score)));
    }
  }
  return decoded;
}

/** Whether the table at `second` begins with the same tiles as the table at `first`, one of them drawn (nesChrCandidates). */
function chrTablesRestart(data: Uint8Array, first: number, second: number, format: TileFormat): boolean {
  const size = format.bytesPerTile;
  let same = 0;
  let drawn = false;
  for (let t = 0; t * size < nesPatternTableSizeInBytes; t++) {
    const a = first + t * size;
    const b = second + t * size;
    let equal = true;
    for (let k = 0; k < size; k++) {
      if (data[a + k] !== data[b + k]) {
        equal = false;
        break;
      }
    }
    if (!equal) break;
    same++;
    if (!drawn && !uniformNesTile(data, a)) drawn = true;
  }
  return same >= minimumRestartedTilesForChrSplit && drawn;
}

/** Whether the 2bpp NES tile at `offset` is one colour (each plane all 0 or all 1 bits). */
function uniformNesTile(data: Uint8Array, offset: number): boolean {
  const low = data[offset]!;
  const high = data[offset + 8]!;
  if ((low !== 0 && low !== 0xff) || (high !== 0 && high !== 0xff)) return false;
  for (let row = 1; row < 8; row++) if (data[offset + row] !== low || data[offset + 8 + row] !== high) return false;
  return true;
}

/** Entries a GB map copy holds at least: one row of the 32-entry-wide map (Pan Docs, VRAM Tile Maps). */
export const minimumGbMapEntries = 32;
/** Entries a GB map copy holds at most: both 32×32 maps, $9800–$9FFF. */
export const maximumGbMapEntries = 2048;
/**
 * The score given to a block the code copies to a background map: the copy's destination, not
 * pixel statistics, says what it is.
 */
export const gbCopiedMapScore = 1;

/**
 * Blocks the program copies to a background map (references.ts mapReference: `ld hl/de` source,
 * the other in $9800–$9FFF, `ld bc` the byte count). Whatever is written there is read by the
 * PPU as one tile number per byte (Pan Docs, VRAM Tile Maps; unsigned or signed by LCDC bit 4),
 * so the block is a `gb-tilemap` whatever its bytes look like as pixels. At least a map row of
 * entries, at most both maps, several distinct tile numbers (one repeated number is a fill), and
 * every entry names a tile slot the program's copies to VRAM fill, in one of the two addressing
 * modes (namesLoadedTiles): a copy whose source pointer is stale (code moved without its data)
 * copies bytes that name slots nothing loads.
 */
export function gbCopiedMaps(data: Uint8Array, task: ChunkTask, references: ReferenceIndex): ScanCandidate[] {
  const out: ScanCandidate[] = [];
  let slots: Uint8Array | undefined;
  for (let i = 0; i < references.targets.length; i++) {
    const kinds = references.kinds[i]!;
    if ((kinds & mapReference) === 0 || (kinds & tileCountReference) !== 0) continue;
    const start = references.targets[i]!;
    const bytes = references.lengths[i]!;
    if (start < task.start || start >= task.end || bytes < minimumGbMapEntries || bytes > maximumGbMapEntries || start + bytes > data.length) continue;
    if (fixedStructureRangesByPlatform[task.platform].some(([a, b]) => start < b && a < start + bytes)) continue;
    if (out.some((c) => c.offset === start && c.packedLength === bytes)) continue;
    const entries = data.subarray(start, start + bytes);
    if (new Set(entries).size < minimumDistinctTilemapIndices) continue;
    slots ??= gbFilledTileSlots(data);
    if (!namesLoadedTiles(entries, slots)) continue;
    out.push({ offset: start, packedLength: bytes, unpackedLength: bytes, codec: 'raw', kind: 'tilemap', format: 'gb-tilemap', score: gbCopiedMapScore });
  }
  return out;
}

/**
 * Whether every entry names a filled tile slot (gbLoadedTileSlots) under one of LCDC bit 4's two
 * addressings (Pan Docs, LCDC): unsigned, entry e at $8000 + 16e; signed, at $9000 + 16·(e as int8).
 */
export function namesLoadedTiles(entries: Uint8Array, slots: Uint8Array): boolean {
  let unsigned = true;
  let signed = true;
  for (const e of entries) {
    if (slots[e] === 0) unsigned = false;
    if (slots[256 + (e < 128 ? e : e - 256)] === 0) signed = false;
    if (!unsigned && !signed) return false;
  }
  return true;
}

/**
 * The tile slots GB code fills: its copies to VRAM (gbLoadedTileSlots) and the PB16 streams it
 * unpacks there (gb-calls.ts: HL the destination, B units of 16 bytes).
 */
function gbFilledTileSlots(data: Uint8Array): Uint8Array {
  const slots = gbLoadedTileSlots(data);
  for (const call of gbPb16Calls(data).unpacks) {
    if (call.destination < 0x8000 || call.destination >= 0x9800) continue;
    const first = (call.destination - 0x8000) >> 4;
    for (let slot = first; slot < Math.min(slots.length, first + call.units); slot++) slots[slot] = 1;
  }
  return slots;
}

/** Bytes of one GB/GBC palette: 4 BGR555 colours (Pan Docs, LCD Color Palettes). SGB border palettes are 16 colours, 4 of these. */
export const gbPaletteSizeInBytes = 8;
/** Colours a chained palette holds at least, distinct: fewer is a fill or a table. */
export const minimumDistinctChainedPaletteColours = 4;

/**
 * Palettes the code copies from where a PB16 unpack left DE (gb-calls.ts copies: `push de` …
 * `pop hl` / `ld bc,n` / `ld de,vram` / call): a converter writes an image's tiles, map and
 * palette together, the program reads them in one pass, and the copy's source and byte count are
 * the code's. The block is a palette when it is a whole number of 4-colour palettes of BGR555
 * words (bit 15 clear; Pan Docs, LCD Color Palettes; the SGB takes the same colour words) with
 * several distinct colours. libbet's SGB border palette, after its map, is found so.
 */
export function gbChainedPalettes(data: Uint8Array, task: ChunkTask): ScanCandidate[] {
  const out: ScanCandidate[] = [];
  const { copies } = gbPb16Calls(data);
  if (copies.length === 0) return out;
  const streamEnds = new Set(declaredPb16Streams(data).map((s) => s.end));
  for (const copy of copies) {
    const start = copy.source;
    const bytes = copy.bytes;
    if (!streamEnds.has(start) || start < task.start || start >= task.end || bytes % gbPaletteSizeInBytes !== 0 || bytes > maximumPaletteColours * 2 || start + bytes > data.length) continue;
    const colours = new Set<number>();
    let ok = true;
    for (let p = start; p < start + bytes; p += 2) {
      const word = data[p]! | (data[p + 1]! << 8);
      if ((word & 0x8000) !== 0) {
        ok = false;
        break;
      }
      colours.add(word);
    }
    if (!ok || colours.size < minimumDistinctChainedPaletteColours) continue;
    out.push({ offset: start, packedLength: bytes, unpackedLength: bytes, codec: 'raw', kind: 'palette', format: 'bgr555', score: roundScore(colours.size / (bytes / 2)) });
  }
  return out;
}

/** Bytes of one GBC palette RAM (BG or OBJ): 8 palettes of 4 BGR555 colours (Pan Docs, LCD Color Palettes). */
export const gbcPaletteRamSizeInBytes = 64;
/** How far before the loop that writes BCPD/OCPD the `ld hl,nn` giving its source is looked for, in bytes. */
export const gbcPaletteSourceWindowInBytes = 24;
/** BCPD and OCPD, the GBC palette data ports ($FF69, $FF6B). */
const gbcPaletteDataPorts = [0x69, 0x6b];

/**
 * GBC palettes as the code loads them (Pan Docs, LCD Color Palettes): colours reach palette RAM
 * only through BCPD ($FF69) or OCPD ($FF6B), a byte at a time with BCPS/OCPS's auto-increment, so
 * a program loads a palette with a loop `ld a,[hl+]` / `ldh [$69],a` (or `ld [c],a` with C = $69,
 * or `ld [$FF69],a`), HL loaded from `ld hl,label` just before. The block there is the palette:
 * BGR555 words (bit 15 clear) from the source, in whole 4-colour palettes, at most a palette
 * RAM's 64 bytes, ending at the first word with bit 15 set; a byte count the code loads into B or
 * C (`ld b,n` with n a whole number of palettes) ends it earlier. At least one palette with
 * minimumDistinctChainedPaletteColours distinct colours.
 */
export function gbcPaletteLoads(data: Uint8Array, task: ChunkTask): ScanCandidate[] {
  const out: ScanCandidate[] = [];
  const n = data.length;
  for (let i = 1; i + 2 < n; i++) {
    if (data[i - 1] !== 0x2a) continue;
    const op = data[i]!;
    let port = -1;
    if (op === 0xe0) port = data[i + 1]!;
    else if (op === 0xea && data[i + 2] === 0xff) port = data[i + 1]!;
    else if (op === 0xe2) {
      // ld [c],a: C loaded with the port in the window before.
      for (let q = Math.max(0, i - gbcPaletteSourceWindowInBytes); q + 1 < i; q++) if (data[q] === 0x0e && gbcPaletteDataPorts.includes(data[q + 1]!)) port = data[q + 1]!;
    }
    if (!gbcPaletteDataPorts.includes(port)) continue;
    // The nearest `ld hl,nn` before the loop, and a count loaded between it and the loop.
    let source = -1;
    let count = -1;
    for (let q = i - 4; q >= Math.max(0, i - gbcPaletteSourceWindowInBytes); q--) {
      if (data[q] === 0x21) {
        source = gbRomOffset(data[q + 1]! | (data[q + 2]! << 8), q, n);
        for (let r = q + 3; r + 1 < i; r++) if ((data[r] === 0x06 || data[r] === 0x0e) && data[r + 1]! % gbPaletteSizeInBytes === 0 && data[r + 1]! > 0 && data[r + 1]! <= gbcPaletteRamSizeInBytes) count = data[r + 1]!;
        break;
      }
    }
    if (source < 0 || source < task.start || source >= task.end) continue;
    let end = source;
    while (end + 1 < n && end - source < gbcPaletteRamSizeInBytes && ((data[end]! | (data[end + 1]! << 8)) & 0x8000) === 0) end += 2;
    let bytes = Math.floor((end - source) / gbPaletteSizeInBytes) * gbPaletteSizeInBytes;
    if (count > 0 && count <= bytes) bytes = count;
    if (bytes < gbPaletteSizeInBytes || out.some((c) => c.offset === source)) continue;
    const colours = new Set<number>();
    for (let p = source; p < source + bytes; p += 2) colours.add(data[p]! | (data[p + 1]! << 8));
    if (colours.size < minimumDistinctChainedPaletteColours) continue;
    out.push({ offset: source, packedLength: bytes, unpackedLength: bytes, codec: 'raw', kind: 'palette', format: 'bgr555', score: roundScore(colours.size / (bytes / 2)) });
  }
  return out;
}
