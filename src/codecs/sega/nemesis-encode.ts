/**
 * Nemesis encoders (sega.md §1.9).
 *
 * `max`: for plain and XOR mode, alternates (a) the best code table for the current run counts,
 * an exact dynamic program over length-limited prefix codes (lengths 1..8, Kraft sum at most
 * 63/64 so canonical codes never enter the `111111` escape, table bytes counted), and (b) the
 * best split of every run of equal nybbles into coded pieces and escapes under that table, until
 * the size stops falling; the smaller mode wins.
 *
 * `accurate`: Sega's own compressor as clownnemesis `-ca` reproduces it: greedy runs capped at
 * 8, a stable frequency sort, a Shannon–Fano split that skips the escape, a code reassignment
 * pass, XOR mode when strictly smaller by estimate, and one trailing byte always.
 */
import { CodecInputTooLargeError, CodecOptionError, CodecInputSizeError } from '../../errors.js';
import type { CompressOptions } from '../types.js';
import { MsbBitWriter } from './common.js';

/** Levels `compress` accepts: the Sega-identical stream, then the smallest. */
export const nemesisLevels: readonly string[] = ['accurate', 'max'];

const tileSizeInBytes = 32;
const maximumTileCount = 0x7fff;
/** 128 symbols: index (run length − 1) * 16 + nybble, the order Sega's compressor starts from. */
const symbolCount = 128;
/** An escaped run: `111111`, 3 bits of length − 1, 4 bits of nybble. */
const escapeCostInBits = 13;
/** A table entry: the length/run byte and the code byte. */
const tableEntryCostInBits = 16;
/** A nybble-select byte before a nybble's first entry. */
const nybbleSelectCostInBits = 8;
/** Kraft budget in units of 2^-8: 256 minus the 4 units of the escape prefix `111111`. */
const kraftBudgetInUnits = 252;
const maximumCodeLength = 8;
/** Rounds of the leave-one-symbol-out descent in `planMax`. */
const maximumDescentPasses = 2;
/** How many times one removal may also leave out the symbols that took its place. */
const maximumBanSteps = 4;

/** Nybble stream of the input, each byte XORed with the one 4 earlier in XOR mode (§1.6). */
function nybbleStream(data: Uint8Array, xorMode: boolean): Uint8Array {
  const nybbles = new Uint8Array(data.length * 2);
  for (let i = 0; i < data.length; i++) {
    const b = xorMode && i >= 4 ? data[i]! ^ data[i - 4]! : data[i]!;
    nybbles[2 * i] = b >>> 4;
    nybbles[2 * i + 1] = b & 0x0f;
  }
  return nybbles;
}

/**
 * Maximal runs of equal nybbles (uncapped), in order (for writing) and as a histogram of
 * distinct (nybble, length) pairs (for costing: the same run always splits the same way).
 */
interface Runs {
  values: Uint8Array;
  lengths: Int32Array;
  count: number;
  distinctValues: number[];
  distinctLengths: number[];
  distinctCounts: number[];
  /** The longest run per nybble. */
  longest: Int32Array;
}

function maximalRuns(nybbles: Uint8Array): Runs {
  const values = new Uint8Array(nybbles.length);
  const lengths = new Int32Array(nybbles.length);
  const longest = new Int32Array(16);
  const histogram = new Map<number, number>();
  let count = 0;
  for (let i = 0; i < nybbles.length; ) {
    const v = nybbles[i]!;
    let j = i + 1;
    while (j < nybbles.length && nybbles[j] === v) j++;
    values[count] = v;
    lengths[count] = j - i;
    if (j - i > longest[v]!) longest[v] = j - i;
    const key = (j - i) * 16 + v;
    histogram.set(key, (histogram.get(key) ?? 0) + 1);
    count++;
    i = j;
  }
  const distinctValues: number[] = [];
  const distinctLengths: number[] = [];
  const distinctCounts: number[] = [];
  for (const [key, n] of histogram) {
    distinctValues.push(key & 15);
    distinctLengths.push(Math.floor(key / 16));
    distinctCounts.push(n);
  }
  return { values, lengths, count, distinctValues, distinctLengths, distinctCounts, longest };
}

interface CodeTable {
  /** Code length per symbol, 0 = uncoded (escaped). */
  lengths: Uint8Array;
  codes: Uint16Array;
}

function checkNemesisInput(data: Uint8Array): number {
  if (data.length % tileSizeInBytes !== 0) {
    throw new CodecInputSizeError('nemesis', data.length, `Nemesis stores whole 8x8 4bpp tiles, so the size must be a multiple of ${tileSizeInBytes} bytes`);
  }
  const tiles = data.length / tileSizeInBytes;
  if (tiles > maximumTileCount) throw new CodecInputTooLargeError('nemesis', data.length, maximumTileCount * tileSizeInBytes);
  return tiles;
}

/** Header, table (nybble-major, run-minor, select byte per new nybble), 0xFF. */
function writeHeaderAndTable(writer: MsbBitWriter, tiles: number, xorMode: boolean, table: CodeTable): void {
  const header = (xorMode ? 0x8000 : 0) | tiles;
  writer.byte(header >>> 8);
  writer.byte(header & 0xff);
  for (let nybble = 0; nybble < 16; nybble++) {
    let selected = false;
    for (let run = 0; run < 8; run++) {
      const symbol = run * 16 + nybble;
      const length = table.lengths[symbol]!;
      if (length === 0) continue;
      // Always select the nybble, even 0: the 68000 routine takes the table's first byte as one.
      if (!selected) writer.byte(0x80 | nybble);
      selected = true;
      writer.byte((run << 4) | length);
      writer.byte(table.codes[symbol]!);
    }
  }
  writer.byte(0xff);
}

function writeRun(writer: MsbBitWriter, table: CodeTable, nybble: number, runLength: number): void {
  const symbol = (runLength - 1) * 16 + nybble;
  const length = table.lengths[symbol]!;
  if (length !== 0) writer.bits(table.codes[symbol]!, length);
  else writer.bits((0x3f << 7) | ((runLength - 1) << 4) | nybble, escapeCostInBits);
}

function tableSizeInBits(table: CodeTable): number {
  let bits = 8; // the 0xFF terminator
  for (let nybble = 0; nybble < 16; nybble++) {
    let any = false;
    for (let run = 0; run < 8; run++) {
      if (table.lengths[run * 16 + nybble] !== 0) {
        bits += tableEntryCostInBits;
        any = true;
      }
    }
    if (any) bits += nybbleSelectCostInBits;
  }
  return bits;
}

// ---------------------------------------------------------------------------------------------
// max
// ---------------------------------------------------------------------------------------------

// Scratch for bestCodeLengths, allocated once (it runs hundreds of times per encode).
const lengthDpWidth = (kraftBudgetInUnits + 1) * (maximumCodeLength + 1);
const lengthCostScratch = new Float64Array((symbolCount + 1) * lengthDpWidth);
const lengthChoiceScratch = new Int8Array(symbolCount * lengthDpWidth);

/**
 * The cheapest code lengths for these symbol counts: the coded symbols are the most frequent
 * ones, with lengths non-decreasing as counts fall (an exchange argument shows an optimum has
 * both shapes), so a dynamic program over (symbol rank, Kraft units used, last length) is exact
 * for the stream bits plus 16 bits per table entry. Nybble-select bytes are counted afterwards.
 */
function bestCodeLengths(counts: Float64Array, banned: Uint8Array): Uint8Array {
  const ranked: number[] = [];
  for (let s = 0; s < symbolCount; s++) if (counts[s]! > 0 && banned[s] === 0) ranked.push(s);
  ranked.sort((a, b) => counts[b]! - counts[a]! || a - b);
  const k = ranked.length;
  const lengths = new Uint8Array(symbolCount);
  if (k === 0) return lengths;
  const units = kraftBudgetInUnits + 1;
  const width = units * (maximumCodeLength + 1);
  // cost[i][u][l]: cheapest bits for ranks i.. when u units are used and the last length was l.
  const cost = lengthCostScratch;
  const choice = lengthChoiceScratch;
  const suffix = new Float64Array(k + 1);
  // Row k (nothing left to code) costs nothing; the other rows are written before they are read.
  cost.fill(0, k * width, (k + 1) * width);
  for (let i = k - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + counts[ranked[i]!]! * escapeCostInBits;
  for (let i = k - 1; i >= 0; i--) {
    const count = counts[ranked[i]!]!;
    const here = i * width;
    const next = (i + 1) * width;
    // With lengths non-decreasing, after a code of length l the units used are a multiple of
    // 2^(8-l): only those states are reachable (l = 0: nothing coded yet, u = 0).
    for (let l = 0; l <= maximumCodeLength; l++) {
      const unitStep = l === 0 ? units : 1 << (maximumCodeLength - l);
      for (let u = 0; u < units; u += unitStep) {
        let best = suffix[i]!;
        let bestLength = 0;
        for (let length = Math.max(1, l); length <= maximumCodeLength; length++) {
          const used = u + (1 << (maximumCodeLength - length));
          if (used > kraftBudgetInUnits) continue;
          const c = count * length + tableEntryCostInBits + cost[next + used * (maximumCodeLength + 1) + length]!;
          if (c < best) {
            best = c;
            bestLength = length;
          }
        }
        cost[here + u * (maximumCodeLength + 1) + l] = best;
        choice[here + u * (maximumCodeLength + 1) + l] = bestLength;
      }
    }
  }
  let u = 0;
  let l = 0;
  for (let i = 0; i < k; i++) {
    const length = choice[i * width + u * (maximumCodeLength + 1) + l]!;
    if (length === 0) break;
    lengths[ranked[i]!] = length;
    u += 1 << (maximumCodeLength - length);
    l = length;
  }
  return lengths;
}

/** Canonical codes for these lengths (shortest first): they fill the code space from 0 up. */
function canonicalTable(lengths: Uint8Array): CodeTable {
  const codes = new Uint16Array(symbolCount);
  let code = 0;
  let previousLength = 0;
  for (let length = 1; length <= maximumCodeLength; length++) {
    for (let s = 0; s < symbolCount; s++) {
      if (lengths[s] !== length) continue;
      code <<= length - previousLength;
      previousLength = length;
      codes[s] = code++;
    }
  }
  return { lengths, codes };
}

/**
 * The cheapest split of runs of each nybble into pieces of 1..8 under a table (exact DP over the
 * run length, once per nybble up to its longest run): `choice[v][r]` is the first piece of a
 * run of r. Greedy pieces of 8 (Sega's cut) when `table` is null.
 */
function splitChoices(runs: Runs, table: CodeTable | null): { cost: Float64Array[]; choice: Uint8Array[] } {
  const cost: Float64Array[] = [];
  const choice: Uint8Array[] = [];
  const pieceCost = new Float64Array(9);
  for (let v = 0; v < 16; v++) {
    const longest = runs.longest[v]!;
    const c = new Float64Array(longest + 1);
    const h = new Uint8Array(longest + 1);
    for (let piece = 1; piece <= 8; piece++) {
      const length = table === null ? 0 : table.lengths[(piece - 1) * 16 + v]!;
      pieceCost[piece] = length !== 0 ? length : escapeCostInBits;
    }
    for (let r = 1; r <= longest; r++) {
      if (table === null) {
        h[r] = Math.min(8, r);
        continue;
      }
      let best = Number.POSITIVE_INFINITY;
      let bestPiece = 1;
      for (let piece = 1; piece <= 8 && piece <= r; piece++) {
        const total = pieceCost[piece]! + c[r - piece]!;
        if (total < best) {
          best = total;
          bestPiece = piece;
        }
      }
      c[r] = best;
      h[r] = bestPiece;
    }
    cost.push(c);
    choice.push(h);
  }
  return { cost, choice };
}

/** Symbol counts (into `counts`) and stream bits of the cheapest split under `table`. */
function parseRuns(runs: Runs, table: CodeTable | null, counts: Float64Array): number {
  counts.fill(0);
  const { cost, choice } = splitChoices(runs, table);
  let bits = 0;
  for (let d = 0; d < runs.distinctValues.length; d++) {
    const v = runs.distinctValues[d]!;
    const length = runs.distinctLengths[d]!;
    const n = runs.distinctCounts[d]!;
    bits += n * cost[v]![length]!;
    for (let r = length; r > 0; r -= choice[v]![r]!) {
      const symbol = (choice[v]![r]! - 1) * 16 + v;
      counts[symbol] = counts[symbol]! + n;
    }
  }
  return bits;
}

interface MaxPlan {
  sizeInBytes: number;
  table: CodeTable;
}

/** Alternates table and parse from the greedy parse until the size stops falling. */
function planMaxWithout(runs: Runs, banned: Uint8Array, memo: Map<string, Uint8Array>): MaxPlan {
  const counts = new Float64Array(symbolCount);
  parseRuns(runs, null, counts);
  let best: MaxPlan | null = null;
  for (let round = 0; round < 12; round++) {
    // The descent meets the same counts and bans again and again: their lengths are memoized.
    let key = '';
    for (let s = 0; s < symbolCount; s++) key += banned[s] === 0 ? `${counts[s]},` : 'x,';
    let lengths = memo.get(key);
    if (lengths === undefined) {
      lengths = bestCodeLengths(counts, banned);
      memo.set(key, lengths);
    }
    const table = canonicalTable(lengths.slice());
    const bits = parseRuns(runs, table, counts);
    // Symbols the re-parse no longer uses leave the table.
    for (let s = 0; s < symbolCount; s++) if (counts[s] === 0) table.lengths[s] = 0;
    const size = 2 + tableSizeInBits(table) / 8 + Math.ceil(bits / 8);
    if (best !== null && size >= best.sizeInBytes) break;
    best = { sizeInBytes: size, table };
  }
  return best!;
}

/**
 * The best table for one mode. The table/parse alternation can settle on a table that codes a
 * long run whose pieces would be cheaper as shorter coded runs (the counts it starts from come
 * from a parse made for another table), so a descent then tries leaving each coded symbol out
 * of the table and keeps every removal that shrinks the output.
 */
function planMax(runs: Runs): MaxPlan {
  const banned = new Uint8Array(symbolCount);
  const memo = new Map<string, Uint8Array>();
  let best = planMaxWithout(runs, banned, memo);
  const trial = new Uint8Array(symbolCount);
  for (let pass = 0; pass < maximumDescentPasses; pass++) {
    let improved = false;
    // Symbols of one nybble (run length 1) cannot be split, and the length DP already decides
    // whether coding them pays: only longer runs are worth leaving out.
    for (let s = 16; s < symbolCount; s++) {
      if (best.table.lengths[s] === 0) continue;
      trial.set(banned);
      trial[s] = 1;
      // A removed run symbol often lets another of its kind in (a run of 2 of another colour);
      // those are left out too, step by step, and the best step is kept.
      let bestTrial: MaxPlan | null = null;
      let bestTrialBans: Uint8Array | null = null;
      for (let step = 0; step < maximumBanSteps; step++) {
        const candidate = planMaxWithout(runs, trial, memo);
        if (bestTrial === null || candidate.sizeInBytes < bestTrial.sizeInBytes) {
          bestTrial = candidate;
          bestTrialBans = trial.slice();
        }
        let entered = false;
        for (let t = 16; t < symbolCount; t++) {
          if (candidate.table.lengths[t] !== 0 && best.table.lengths[t] === 0) {
            trial[t] = 1;
            entered = true;
          }
        }
        if (!entered) break;
      }
      // Ties are kept too: two removals may only pay together.
      if (bestTrial!.sizeInBytes <= best.sizeInBytes) {
        improved ||= bestTrial!.sizeInBytes < best.sizeInBytes;
        best = bestTrial!;
        banned.set(bestTrialBans!);
      }
    }
    if (!improved) break;
  }
  return best;
}

function encodeMax(data: Uint8Array, tiles: number): Uint8Array {
  let bestStream: Uint8Array | null = null;
  for (const xorMode of [false, true]) {
    const runs = maximalRuns(nybbleStream(data, xorMode));
    const plan = planMax(runs);
    if (bestStream !== null && plan.sizeInBytes >= bestStream.length) continue;
    const writer = new MsbBitWriter(plan.sizeInBytes + 16);
    writeHeaderAndTable(writer, tiles, xorMode, plan.table);
    const { choice } = splitChoices(runs, plan.table);
    for (let r = 0; r < runs.count; r++) {
      const v = runs.values[r]!;
      for (let left = runs.lengths[r]!; left > 0; ) {
        const piece = choice[v]![left]!;
        writeRun(writer, plan.table, v, piece);
        left -= piece;
      }
    }
    writer.flush();
    bestStream = writer.result();
  }
  return bestStream!;
}

// ---------------------------------------------------------------------------------------------
// accurate
// ---------------------------------------------------------------------------------------------

/** Greedy run counts: maximal runs cut at 8 (§1.9 step 1). */
function greedyCounts(nybbles: Uint8Array): Int32Array {
  const counts = new Int32Array(symbolCount);
  for (let i = 0; i < nybbles.length; ) {
    const v = nybbles[i]!;
    let j = i + 1;
    while (j < nybbles.length && j - i < 8 && nybbles[j] === v) j++;
    counts[(j - i - 1) * 16 + v] = counts[(j - i - 1) * 16 + v]! + 1;
    i = j;
  }
  return counts;
}

/** Sega's code assignment for these counts (§1.9 steps 2–5). */
function segaTable(counts: Int32Array): CodeTable {
  const order: number[] = [];
  for (let s = 0; s < symbolCount; s++) order.push(s);
  // Array.prototype.sort is stable: ties keep the (length − 1) * 16 + nybble order.
  order.sort((a, b) => counts[b]! - counts[a]!);
  let candidates = 0;
  let total = 0;
  while (candidates < symbolCount && counts[order[candidates]!]! >= 3) total += counts[order[candidates++]!]!;
  const lengths = new Uint8Array(symbolCount);
  const codes = new Uint16Array(symbolCount);
  const assign = (symbol: number, code: number, length: number): void => {
    // An all-ones code (the empty one included) is a prefix of the escape: a 0 goes after it.
    if (code === (1 << length) - 1) {
      code <<= 1;
      length++;
    }
    lengths[symbol] = length;
    codes[symbol] = code;
  };
  const split = (start: number, end: number, weight: number, code: number, length: number): void => {
    if (counts[order[start]!] === weight) {
      assign(order[start]!, code, length);
      return;
    }
    if (length >= maximumCodeLength) return;
    const half = Math.floor(weight / 2);
    let running = 0;
    let j = start;
    while (j < end - 1 && running + counts[order[j]!]! <= half) running += counts[order[j++]!]!;
    const before = running;
    const after = running + counts[order[j]!]!;
    const at = half - before < after - half ? j : j + 1;
    const leftWeight = at === j ? before : after;
    let base = code;
    let extended = length + 1;
    // `11111` + 1 would be the escape: Sega's compressor puts a 0 between.
    if (length === 5 && code === 0x1f) {
      base = code << 1;
      extended = length + 2;
    }
    split(start, at, leftWeight, base << 1, extended);
    split(at, end, weight - leftWeight, (base << 1) | 1, extended);
  };
  if (candidates === 0) assign(order[0]!, 0, 0);
  else split(0, candidates, total, 0, 0);

  // Shorter codes to more frequent symbols: a selection pass over the sorted list (step 5).
  for (let i = 0; i < symbolCount; i++) {
    const si = order[i]!;
    let bestLength = lengths[si] === 0 ? 99 : lengths[si]!;
    let bestJ = -1;
    for (let j = i + 1; j < symbolCount; j++) {
      const lj = lengths[order[j]!] === 0 ? 99 : lengths[order[j]!]!;
      if (lj < bestLength) {
        bestLength = lj;
        bestJ = j;
      }
    }
    if (bestJ < 0) continue;
    const sj = order[bestJ]!;
    const length = lengths[si]!;
    const code = codes[si]!;
    lengths[si] = lengths[sj]!;
    codes[si] = codes[sj]!;
    lengths[sj] = length;
    codes[sj] = code;
  }
  return { lengths, codes };
}

/** Sega's size estimate in bytes (§1.9 step 6). */
function segaEstimate(counts: Int32Array, table: CodeTable): number {
  let bits = 0;
  for (let nybble = 0; nybble < 16; nybble++) {
    let first = true;
    for (let run = 0; run < 8; run++) {
      const s = run * 16 + nybble;
      const length = table.lengths[s]!;
      if (length === 0) {
        bits += escapeCostInBits * counts[s]!;
        continue;
      }
      bits += tableEntryCostInBits + length * counts[s]!;
      if (first) bits += nybbleSelectCostInBits;
      first = false;
    }
  }
  return Math.ceil(bits / 8);
}

function encodeAccurate(data: Uint8Array, tiles: number): Uint8Array {
  const plainNybbles = nybbleStream(data, false);
  const xorNybbles = nybbleStream(data, true);
  const plainCounts = greedyCounts(plainNybbles);
  const xorCounts = greedyCounts(xorNybbles);
  const plainTable = segaTable(plainCounts);
  const xorTable = segaTable(xorCounts);
  const xorMode = segaEstimate(xorCounts, xorTable) < segaEstimate(plainCounts, plainTable);
  const nybbles = xorMode ? xorNybbles : plainNybbles;
  const table = xorMode ? xorTable : plainTable;
  const writer = new MsbBitWriter(data.length + 64);
  writeHeaderAndTable(writer, tiles, xorMode, table);
  for (let i = 0; i < nybbles.length; ) {
    const v = nybbles[i]!;
    let j = i + 1;
    while (j < nybbles.length && j - i < 8 && nybbles[j] === v) j++;
    writeRun(writer, table, v, j - i);
    i = j;
  }
  // Sega's compressor always writes one more byte: the padded last byte, or a spare 0x00 (§1.7).
  if (writer.hasPendingBits) writer.flush();
  else writer.byte(0);
  return writer.result();
}

/** Compresses whole 4bpp tiles to Nemesis at level `max` (default) or `accurate`. */
export function compressNemesis(data: Uint8Array, options: CompressOptions = {}): Uint8Array {
  const level = options.level === undefined ? 'max' : String(options.level);
  if (!nemesisLevels.includes(level)) throw new CodecOptionError('nemesis', `unknown level "${level}"; levels: ${nemesisLevels.join(', ')}`, { level });
  const tiles = checkNemesisInput(data);
  return level === 'accurate' ? encodeAccurate(data, tiles) : encodeMax(data, tiles);
}
