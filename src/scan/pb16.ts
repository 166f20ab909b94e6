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
 * step with its packets after a few junk bytes and then decodes the same tiles. Three rules pick
 * the stream's own start among such readings:
 *
 * 1. the tile grid: a reading that is a packet (8 bytes = 4 rows) out of step puts its tile edges
 *    in the middle of the art's tiles, which the row seams show (seams.ts tileSeamsAligned);
 * 2. the most drawn tiles (a start inside the stream misses some);
 * 3. the cheapest description of the bytes (pb16DescriptionCost) for readings that end together.
 *
 * Of overlapping runs, then, the aligned one, then the longest, is kept. The edges remain an
 * estimate when the bytes before a stream happen to decode to a plausible first tile: over 40
 * seeded fixture ROMs (240 streams amid random filler) 221 starts and 238 ends were exact, and
 * over 40 more seeds not used while tuning, 220 and 240 (before the first and third rules: 58%
 * of starts). Such bytes are a second true answer, not noise: planting the other reading's
 * output after the other filler gives the very same ROM.
 *
 * On Game Boy ROMs the code that unpacks a stream says where it is and how long it is (DE and the
 * count in B at the call: gb-calls.ts). Those declared streams (declaredPb16Candidates) are
 * reported at the code's length and replace the runs the rules above read over them; the rules
 * remain for streams no code declares.
 */
import { getCodec } from '../codecs/index.js';
import { getTileFormat, type TileFormat } from '../gfx/index.js';
import type { CancelCheck, ChunkResult, ChunkTask } from './chunk.js';
import { roundScore } from './chunk.js';
import { GraphicsScorer } from './score.js';
import { tileSeamsAligned } from './seams.js';
import type { ScanCandidate } from './types.js';
import { gbCalls, type GbCopyCall, type GbUnpackCall } from './gb-calls.js';
import { codeReference, codeReferences, hasReference } from './references.js';
import { maximumDistinctTilemapAttributes, minimumDistinctTilemapIndices, minimumTilemapEntries } from './kind.js';

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
  // Runs by where they end: starts inside a stream that fall back in step with its packets end
  // where it ends; per end, betterReadingOfOneEnd picks one.
  const byEnd = new Map<number, EndRun>();
  for (let p = task.start; p < end; p++) {
    if ((p & 0xffff) === 0) checkCancel();
    const run = followPb16Run(data, p, scorer, gb2bpp);
    if (run === null || run.tiles * bytesPerTile < task.minimumUnpackedSize) continue;
    decoded++;
    const unpacked = pb16.decompress(data, p, { outputSizeInBytes: run.tiles * bytesPerTile }).data;
    const candidate: EndRun = { start: p, tiles: run.tiles, drawn: run.drawn, aligned: tileSeamsAligned(gb2bpp, unpacked), unpacked };
    const known = byEnd.get(run.end);
    if (known === undefined || betterReadingOfOneEnd(candidate, known)) byEnd.set(run.end, candidate);
  }
  // Of overlapping runs, the one on the art's tile grid, then the longest, is the stream (a start
  // inside it misses its first tiles; a start before it rarely passes the first-tile bar); then
  // the earlier start.
  const runs = [...byEnd].map(([runEnd, run]) => ({ ...run, end: runEnd })).sort((a, b) => Number(b.aligned) - Number(a.aligned) || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: typeof runs = [];
  for (const run of runs) {
    if (kept.some((k) => k.start < run.end && run.start < k.end)) continue;
    kept.push(run);
  }
  // The streams the code declares (their counts) replace the runs read over them.
  const declared = task.platform === 'gb' || task.platform === 'gbc' ? declaredPb16Candidates(data, task, scorer) : [];
  for (const d of declared) if (d.offset >= task.start && d.offset < task.end) candidates.push(d);
  for (const run of kept) {
    if (declared.some((d) => d.offset < run.end && run.start < d.offset + d.packedLength)) continue;
    const unpacked = run.unpacked;
    const best = scorer.best(unpacked, task.formats.length > 0 ? task.formats : [gb2bpp]);
    if (best === null || best.score < task.minimumScore) continue;
    candidates.push({ offset: run.start, packedLength: run.end - run.start, unpackedLength: unpacked.length, codec: 'pb16', kind: 'tiles', format: best.format, score: roundScore(best.score) });
  }
  return { candidates, decoded };
}

interface Pb16Run {
  /** Where the last clearly drawn tile's second packet ends. */
  end: number;
  tiles: number;
  /** Tiles at or above minimumPb16TileScore, up to the last clearly drawn one. */
  drawn: number;
}

/** The run of drawn gb2bpp tiles that PB16 decoding from `p` gives, or null when its first tile is not drawn. */
function followPb16Run(data: Uint8Array, p: number, scorer: GraphicsScorer, gb2bpp: TileFormat): Pb16Run | null {
  const n = data.length;
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
  return lastGoodEnd < 0 ? null : { end: lastGoodEnd, tiles: lastGoodTiles, drawn: drawnAtLastGood };
}

interface EndRun {
  start: number;
  tiles: number;
  drawn: number;
  aligned: boolean;
  unpacked: Uint8Array;
}

/**
 * Of two readings that end where the same stream ends: the one whose tile grid matches the art
 * (tileSeamsAligned), then the one with more drawn tiles, then the one that describes the bytes
 * more cheaply (pb16DescriptionCost).
 */
function betterReadingOfOneEnd(a: EndRun, b: EndRun): boolean {
  if (a.aligned !== b.aligned) return a.aligned;
  if (a.drawn !== b.drawn) return a.drawn > b.drawn;
  const costA = pb16DescriptionCost(a.unpacked, a.start, b.unpacked, b.start);
  const costB = pb16DescriptionCost(b.unpacked, b.start, a.unpacked, a.start);
  return costA < costB;
}

/** Bits to describe a filler byte: filler is modelled as uniform noise. */
const fillerByteCostInBits = 8;
const repeatCounts = new Float64Array(2);
/** Literals by how many of their 8 bits differ from the byte two back (the same plane one row up): 1–8. */
const changedBitCounts = new Float64Array(9);
/** log2 of how many bytes differ from a given byte in exactly k bits: C(8, k). */
const log2BytesAtDistance = new Float64Array(9);
for (let k = 0, c = 1; k <= 8; k++) {
  log2BytesAtDistance[k] = Math.log2(c);
  c = (c * (8 - k)) / (k + 1);
}
const popcount8 = new Uint8Array(256);
for (let v = 1; v < 256; v++) popcount8[v] = (v & 1) + popcount8[v >> 1]!;

/**
 * Two readings of one stream end (same end, decoded from different starts) agree on their
 * output from some point to the end; they differ in which bytes before that point are stream
 * and which are filler. Both are canonical PB16, and their first tiles often both look drawn, so
 * tile statistics alone pick the true start little better than chance. This compares how well
 * each explains the bytes (minimum description length): the shared part of the output gives the
 * block's own model of its rows — how often a byte repeats the one two back (the same plane a
 * row up), and when it does not, how many of its 8 pixels' bits change; a reading pays, in bits,
 * for each output byte of its own part under that model, and 8 bits for each byte of the span it
 * leaves as filler. Art changes a few pixels from row to row; junk bytes decoded as pixels
 * change about half of them. The true start is the cheapest explanation.
 */
function pb16DescriptionCost(mine: Uint8Array, myStart: number, other: Uint8Array, otherStart: number): number {
  let shared = 0;
  const limit = Math.min(mine.length, other.length);
  while (shared < limit && mine[mine.length - 1 - shared] === other[other.length - 1 - shared]) shared++;
  // The model: from the shared output, with add-half smoothing so no count is impossible.
  repeatCounts.fill(0.5);
  changedBitCounts.fill(0.5);
  changedBitCounts[0] = 0;
  // The smoothing of the 8 possible counts (1–8 bits changed; a literal always changes one).
  let literals = 4;
  for (let i = mine.length - shared; i < mine.length; i++) {
    const twoBack = i >= 2 ? mine[i - 2]! : 0;
    if (mine[i] === twoBack) repeatCounts[1]!++;
    else {
      repeatCounts[0]!++;
      changedBitCounts[popcount8[mine[i]! ^ twoBack]!]!++;
      literals++;
    }
  }
  const repeatTotal = repeatCounts[0]! + repeatCounts[1]!;
  const repeatBits = -Math.log2(repeatCounts[1]! / repeatTotal);
  const literalFlagBits = -Math.log2(repeatCounts[0]! / repeatTotal);
  let bits = Math.max(0, myStart - Math.min(myStart, otherStart)) * fillerByteCostInBits;
  for (let i = 0; i < mine.length - shared; i++) {
    const twoBack = i >= 2 ? mine[i - 2]! : 0;
    if (mine[i] === twoBack) bits += repeatBits;
    else {
      const k = popcount8[mine[i]! ^ twoBack]!;
      bits += literalFlagBits - Math.log2(changedBitCounts[k]! / literals) + log2BytesAtDistance[k]!;
    }
  }
  return bits;
}

/**
 * Where a PB16 stream of `units` 16-byte units (two 8-byte packets each, `pb16_unpack_block`'s
 * count in B) read from `start` ends, or -1 when the input ends first or a literal equals the
 * byte two back (no encoder writes one: the module comment). `unitEnds`, when given, receives
 * the end of each unit.
 */
export function pb16StreamEnd(data: Uint8Array, start: number, units: number, unitEnds?: Int32Array): number {
  const n = data.length;
  let inPos = start;
  let back0 = 0;
  let back1 = 0;
  for (let unit = 0; unit < units; unit++) {
    for (let packet = 0; packet < 2; packet++) {
      if (inPos >= n) return -1;
      const flags = data[inPos++]!;
      for (let bit = 0; bit < 8; bit++) {
        let value = back0;
        if ((flags & (0x80 >> bit)) === 0) {
          if (inPos >= n || data[inPos] === back0) return -1;
          value = data[inPos++]!;
        }
        back0 = back1;
        back1 = value;
      }
    }
    if (unitEnds !== undefined) unitEnds[unit] = inPos;
  }
  return inPos;
}

const declaredCallsCache = new WeakMap<Uint8Array, { unpacks: GbUnpackCall[]; copies: GbCopyCall[] }>();

/** The GB calls passing a PB16 stream (gb-calls.ts), computed once per ROM buffer. */
export function gbPb16Calls(data: Uint8Array): { unpacks: GbUnpackCall[]; copies: GbCopyCall[] } {
  let calls = declaredCallsCache.get(data);
  if (calls === undefined) {
    calls = gbCalls(data, (start, units) => pb16StreamEnd(data, start, units));
    declaredCallsCache.set(data, calls);
  }
  return calls;
}

/** A PB16 stream as the calling code declares it. */
interface DeclaredPb16Stream {
  start: number;
  end: number;
  units: number;
  /** Index of the stream (in the same list) whose end DE carried into this one's call, or -1. */
  previous: number;
  /** The routine called. */
  callee: number;
}

/**
 * The PB16 streams Game Boy code unpacks (gb-calls.ts: DE the source, B the count of 16-byte
 * units at a `call`). A stream whose count is even and whose last unit starts at a call target
 * ends before that unit: a program may unpack a whole number of tile pairs, one tile more than
 * its file holds (libbet's title asks for 48 tiles of a 47-tile file), and what it then reads is
 * the code that follows, which the program calls. A call target is code (references.ts), never
 * stream.
 */
export function declaredPb16Streams(data: Uint8Array): DeclaredPb16Stream[] {
  const { unpacks } = gbPb16Calls(data);
  const references = codeReferences(data, 'gb');
  const unitEnds = new Int32Array(256);
  return unpacks.map((call) => {
    const full = pb16StreamEnd(data, call.start, call.units, unitEnds);
    // Only the last unit of an even count: programs round tile counts up to pairs (8×16 objects
    // take tiles in pairs, Pan Docs OAM), and a chance call operand elsewhere must not cut a stream.
    const units = call.units % 2 === 0 && call.units >= 2 && hasReference(references, unitEnds[call.units - 2]!, codeReference, call.start, full) ? call.units - 1 : call.units;
    return { start: call.start, end: units === call.units ? full : unitEnds[units - 1]!, units, previous: call.previous, callee: call.callee };
  });
}

/**
 * A declared stream (the code's count, a canonical decode) from a routine proven to unpack PB16
 * may score this low: dithered floor tiles and border pieces of mostly flat colour read as weak
 * art, and the count, not the score, says where the stream is.
 */
export const minimumDeclaredPb16Score = 0.2;
/**
 * Streams scoring at the scan's minimum that a routine must receive before its other calls are
 * trusted at minimumDeclaredPb16Score: a program unpacks all its PB16 files through one routine,
 * while a routine that merely takes DE and B (a copy, a text printer) rarely gets two streams
 * that decode canonically and read as art.
 */
export const minimumProvenPb16Calls = 2;

/**
 * Candidates for the PB16 streams the code declares (declaredPb16Streams), in the whole ROM (the
 * caller keeps those starting in its range). Streams of one chain (DE carried from one call to the next) that read as tiles of one
 * format are one file unpacked in parts (libbet unpacks its 32-tile roll sheet as two halves);
 * a chained stream of another reading is another block (the SGB border's map after its tiles).
 * Game Boy streams are also scored as SNES 4bpp: the Super Game Boy takes its border's tiles in
 * that format (Pan Docs, SGB CHR_TRN), and a declared stream's length does not depend on it.
 */
function declaredPb16Candidates(data: Uint8Array, task: ChunkTask, scorer: GraphicsScorer): ScanCandidate[] {
  const streams = declaredPb16Streams(data);
  if (streams.length === 0) return [];
  const pb16 = getCodec('pb16');
  const formats: TileFormat[] = task.formats.length > 0 ? [...task.formats] : [getTileFormat('gb2bpp')];
  if (!formats.some((f) => f.name === 'snes4bpp')) formats.push(getTileFormat('snes4bpp'));
  const scored = streams.map((stream) => {
    const unpacked = pb16.decompress(data, stream.start, { outputSizeInBytes: stream.units * bytesPerUnit }).data;
    return { stream, unpacked, best: scorer.best(unpacked, formats) };
  });
  const proven = new Map<number, number>();
  for (const s of scored) if (s.best !== null && s.best.score >= task.minimumScore) proven.set(s.stream.callee, (proven.get(s.stream.callee) ?? 0) + 1);
  const accepted = scored.map((s) => s.best !== null && (s.best.score >= task.minimumScore || ((proven.get(s.stream.callee) ?? 0) >= minimumProvenPb16Calls && s.best.score >= minimumDeclaredPb16Score)));
  // Chains: a stream joins the block of the one before it when it continues it in the same format.
  const blockOf = scored.map((_, i) => i);
  const blocks = scored.map((s) => ({ start: s.stream.start, end: s.stream.end, parts: [s.unpacked], format: s.best?.format ?? '', score: s.best?.score ?? 0, merged: false }));
  for (let i = 0; i < scored.length; i++) {
    const previous = scored[i]!.stream.previous;
    if (previous < 0 || !accepted[i] || !accepted[previous]) continue;
    const head = blockOf[previous]!;
    const block = blocks[head]!;
    if (block.end !== scored[i]!.stream.start || block.format !== scored[i]!.best!.format) continue;
    block.end = scored[i]!.stream.end;
    block.parts.push(scored[i]!.unpacked);
    block.score = Math.min(block.score, scored[i]!.best!.score);
    blockOf[i] = head;
    blocks[i]!.merged = true;
  }
  const candidates: ScanCandidate[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const previous = scored[i]!.stream.previous;
    if (!block.merged && previous >= 0 && accepted[previous] && blockOf[previous] === previous) {
      // A stream the code unpacks right after a tile set, that is not more of it: a map made for
      // that set when its bytes index it.
      const tileSet = blocks[previous]!;
      const tileCount = Math.floor(tileSet.parts.reduce((sum, part) => sum + part.length, 0) / getTileFormat(tileSet.format).bytesPerTile);
      if (fitsByteTilemap(scored[i]!.unpacked, tileCount)) {
        candidates.push({ offset: block.start, packedLength: block.end - block.start, unpackedLength: scored[i]!.unpacked.length, codec: 'pb16', kind: 'tilemap', format: 'gb-tilemap', score: roundScore(Math.max(block.score, minimumDeclaredPb16Score)) });
        continue;
      }
    }
    if (block.merged || !accepted[i]) continue;
    const unpackedLength = block.parts.reduce((sum, part) => sum + part.length, 0);
    if (unpackedLength < task.minimumUnpackedSize) continue;
    if (candidates.some((c) => c.offset === block.start && c.packedLength === block.end - block.start)) continue;
    candidates.push({ offset: block.start, packedLength: block.end - block.start, unpackedLength, codec: 'pb16', kind: 'tiles', format: block.format, score: roundScore(block.score) });
  }
  return candidates;
}

/** One unit of `pb16_unpack_block`'s count: two 8-byte packets, one 2bpp tile. */
const bytesPerUnit = 16;

/**
 * Whether `bytes` read as 8-bit map entries indexing a set of `tileCount` tiles: each entry's low
 * bits (as many as the count needs) below the count, the bits above them (flips, palette: Pan
 * Docs' GBC attributes, SGB border entries packed to a byte) taking few values, and several
 * distinct indices. Tile data read so has its `$00`/`$FF` rows' low bits at the top of the range
 * and fails at once.
 */
export function fitsByteTilemap(bytes: Uint8Array, tileCount: number): boolean {
  if (tileCount < minimumDistinctTilemapIndices || tileCount > 256 || bytes.length < minimumTilemapEntries) return false;
  const indexBits = Math.ceil(Math.log2(tileCount));
  const mask = (1 << indexBits) - 1;
  const attributes = new Set<number>();
  const indices = new Set<number>();
  for (const entry of bytes) {
    if ((entry & mask) >= tileCount) return false;
    indices.add(entry & mask);
    attributes.add(entry >> indexBits);
  }
  return attributes.size <= maximumDistinctTilemapAttributes && indices.size >= minimumDistinctTilemapIndices;
}
