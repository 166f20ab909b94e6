/**
 * HAL encoder, levels 1–4, byte-identical to `inhal -1` … `inhal -4` (hal.md "Encoder").
 *
 * Level 1 = fast greedy (literal, byte fill, word fill, forward copy), 2 = greedy with every
 * method (inhal's default), 3 = fast + shortest path, 4 = every method + shortest path.
 * Byte-identity rests on inhal's exact candidate rules, reproduced here:
 * - fills: byte, word, counting in that order, strictly longer replaces; byte and counting
 *   capped at 1,024, word at 2,048 bytes when the pair repeats that far and at 1,024 when it
 *   repeats 1,025–2,047 bytes (`inhalWordFillSize`); a fill must be longer than 2 bytes. inhal's counting
 *   fill does not wrap past 0xFF (it compares against an int), so neither does this one.
 * - copies only when the best fill is shorter than 1,024 and ≥ 4 bytes remain; forward, then
 *   bit-reversed, then backward; each the earliest source with the longest match (capped at
 *   1,024, at least 4), strictly longer replaces. inhal indexes 4-byte windows 0 … n−5.
 * - the shortest-path levels cost a word fill by its byte count (long form from 33 bytes), as
 *   inhal does, although the emitted command counts words.
 */
import { CodecInputTooLargeError, HalPackedTooLargeError } from '../../errors.js';
import {
  bitReversedByte,
  halKindBackwardCopy,
  halKindByteFill,
  halKindCountingFill,
  halKindForwardCopy,
  halKindLiteral,
  halKindReversedCopy,
  halKindWordFill,
  halLongCountLimit,
  halShortCountLimit,
  maximumHalOutputSizeInBytes,
  maximumHalPackedSizeInBytes,
  writeHalCommandHeader,
} from './common.js';
import { findCopyMatches } from './suffix-matches.js';
import { keyAt4, WindowIndex } from './window-index.js';

/** An inhal-compatible compression level: 1 fastest … 4 smallest (see docs/codecs.md for the trade-off). */
export type HalInhalLevel = 1 | 2 | 3 | 4;

const halWordFillByteLimit = 2 * halLongCountLimit;
const minimumCopyLengthInBytes = 4;
const minimumFillLengthInBytes = 3;

// The candidate found by the last `findCandidate` call (registers, not objects: no allocation).
let candidateKind = 0;
let candidateLength = 0;
let candidateValue = 0;

/**
 * inhal's cap on a word fill of `size` bytes: 2,048 only when the pair repeats at least that
 * far; a run of 1,025–2,047 bytes is cut to 1,024, the byte-fill cap, because inhal applies that
 * cap to every fill it does not give the word-fill one (rle_candidate). The rest of the run is
 * the next command. Both paths (this one and native/src/hal_encode.cc) apply it.
 */
export function inhalWordFillSize(size: number): number {
  if (size >= halWordFillByteLimit) return halWordFillByteLimit;
  return size > halLongCountLimit ? halLongCountLimit : size;
}

/** inhal's rle_check: the longest fill at i (0 when none is longer than 2 bytes). */
function findFill(data: Uint8Array, n: number, i: number, fast: boolean): void {
  candidateKind = 0;
  candidateLength = 0;
  candidateValue = 0;
  const first = data[i]!;
  let size = 0;
  while (size <= halLongCountLimit && i + size < n && data[i + size] === first) size++;
  if (size > halLongCountLimit) size = halLongCountLimit;
  if (size >= minimumFillLengthInBytes) {
    candidateKind = halKindByteFill;
    candidateLength = size;
    candidateValue = first;
  }
  if (i + 1 < n) {
    const second = data[i + 1]!;
    size = 0;
    while (size <= halWordFillByteLimit && i + size < n - 1 && data[i + size] === first && data[i + size + 1] === second) size += 2;
    size = inhalWordFillSize(size);
    if (size >= minimumFillLengthInBytes && size > candidateLength) {
      candidateKind = halKindWordFill;
      candidateLength = size;
      candidateValue = first | (second << 8);
    }
  }
  if (fast) return;
  size = 0;
  while (size <= halLongCountLimit && i + size < n && data[i + size] === first + size) size++;
  if (size > halLongCountLimit) size = halLongCountLimit;
  if (size >= minimumFillLengthInBytes && size > candidateLength) {
    candidateKind = halKindCountingFill;
    candidateLength = size;
    candidateValue = first;
  }
}

/** inhal's ref_search; replaces the registers only with a strictly longer copy. */
function findCopy(data: Uint8Array, n: number, i: number, index: WindowIndex, fast: boolean): void {
  const ceiling = Math.min(halLongCountLimit, n - i);
  let best = 0;
  let bestKind = 0;
  let bestSource = 0;
  const next = index.next;

  // Forward: earliest source with the longest match.
  for (let p = index.first(keyAt4(data, i)); p >= 0 && p < i && best < ceiling; p = next[p]!) {
    if (best > 0 && data[p + best] !== data[i + best]) continue;
    let size = 0;
    while (size < ceiling && data[p + size] === data[i + size]) size++;
    if (size > best) {
      best = size;
      bestKind = halKindForwardCopy;
      bestSource = p;
    }
  }
  if (!fast) {
    const r0 = bitReversedByte[data[i]!]!;
    const r1 = bitReversedByte[data[i + 1]!]!;
    const r2 = bitReversedByte[data[i + 2]!]!;
    const r3 = bitReversedByte[data[i + 3]!]!;
    const reversedKey = (r0 << 24) | (r1 << 16) | (r2 << 8) | r3;
    for (let p = index.first(reversedKey); p >= 0 && p < i && best < ceiling; p = next[p]!) {
      if (best > 0 && data[p + best] !== bitReversedByte[data[i + best]!]) continue;
      let size = 0;
      while (size < ceiling && data[p + size] === bitReversedByte[data[i + size]!]) size++;
      if (size > best) {
        best = size;
        bestKind = halKindReversedCopy;
        bestSource = p;
      }
    }
    const backwardKey = (data[i + 3]! << 24) | (data[i + 2]! << 16) | (data[i + 1]! << 8) | data[i]!;
    for (let w = index.first(backwardKey); w >= 0 && w + 3 < i && best < ceiling; w = next[w]!) {
      const p = w + 3;
      if (best > 0 && (p < best || data[p - best] !== data[i + best])) continue;
      // The match may run down to position 0 (L ≤ p + 1).
      const reach = Math.min(ceiling, p + 1);
      let size = 0;
      while (size < reach && data[p - size] === data[i + size]) size++;
      if (size > best) {
        best = size;
        bestKind = halKindBackwardCopy;
        bestSource = p;
      }
    }
  }
  if (best >= minimumCopyLengthInBytes && best > candidateLength) {
    candidateKind = bestKind;
    candidateLength = best;
    candidateValue = bestSource;
  }
}

/**
 * The greedy levels' decision at i: fills, then copies when the best fill is shorter than
 * 1,024 and at least 4 bytes remain. (The shortest-path levels take copies from
 * `findCopyMatches` instead; inhal searches there even with < 4 bytes left, but no copy of
 * ≥ 4 bytes can start there, so the edges are the same.)
 */
function findCandidate(data: Uint8Array, n: number, i: number, index: WindowIndex, fast: boolean, remaining: number): void {
  findFill(data, n, i, fast);
  if (candidateLength < halLongCountLimit && remaining >= minimumCopyLengthInBytes) findCopy(data, n, i, index, fast);
}

/** Appends commands to a growing stream; literal bytes collect in a pending run (max 1,024). */
class StreamWriter {
  readonly out: Uint8Array;
  position = 0;
  readonly #data: Uint8Array;
  #literalStart = 0;
  #literalCount = 0;

  constructor(data: Uint8Array) {
    this.#data = data;
    // Worst case: a 2-byte literal header and a 4-byte command for every 3 input bytes stays
    // under 2 bytes per input byte (plus the literal-run headers and the terminator).
    this.out = new Uint8Array(2 * data.length + 2 * Math.ceil(data.length / halLongCountLimit) + 8);
  }

  literal(i: number): void {
    if (this.#literalCount === 0) this.#literalStart = i;
    this.#literalCount++;
    if (this.#literalCount === halLongCountLimit) this.flush();
  }

  flush(): void {
    const count = this.#literalCount;
    if (count === 0) return;
    this.position = writeHalCommandHeader(this.out, this.position, halKindLiteral, count);
    this.out.set(this.#data.subarray(this.#literalStart, this.#literalStart + count), this.position);
    this.position += count;
    this.#literalCount = 0;
  }

  command(kind: number, length: number, value: number): void {
    this.flush();
    const out = this.out;
    if (kind === halKindWordFill) {
      this.position = writeHalCommandHeader(out, this.position, kind, length >> 1);
      out[this.position++] = value & 0xff;
      out[this.position++] = value >> 8;
    } else if (kind <= halKindCountingFill) {
      this.position = writeHalCommandHeader(out, this.position, kind, length);
      out[this.position++] = value;
    } else {
      this.position = writeHalCommandHeader(out, this.position, kind, length);
      out[this.position++] = value >> 8;
      out[this.position++] = value & 0xff;
    }
  }

  finish(): Uint8Array {
    this.flush();
    this.out[this.position++] = 0xff;
    if (this.position > maximumHalPackedSizeInBytes) throw new HalPackedTooLargeError(this.position, maximumHalPackedSizeInBytes);
    return this.out.slice(0, this.position);
  }
}

/** The encoded size inhal's shortest path assigns a candidate (word fill costed by bytes). */
function inhalEdgeCost(kind: number, length: number): number {
  if (kind >= halKindForwardCopy) return length - 1 >= halShortCountLimit ? 4 : 3;
  const base = length - 1 >= halShortCountLimit ? 3 : 2;
  return kind === halKindWordFill ? base + 1 : base;
}

export function checkHalInputSize(data: Uint8Array): void {
  if (data.length > maximumHalOutputSizeInBytes) throw new CodecInputTooLargeError('hal', data.length, maximumHalOutputSizeInBytes);
}

/** Encodes `data` exactly as `inhal -<level>` does. */
export function encodeHal(data: Uint8Array, level: HalInhalLevel): Uint8Array {
  checkHalInputSize(data);
  const n = data.length;
  const fast = level === 1 || level === 3;
  const writer = new StreamWriter(data);
  if (level <= 2) {
    // inhal indexes the 4-byte windows starting at 0 … n−5.
    const index = new WindowIndex(data, 4, n - 5);
    let i = 0;
    while (i < n) {
      findCandidate(data, n, i, index, fast, n - i);
      if (candidateLength > 0) {
        writer.command(candidateKind, candidateLength, candidateValue);
        i += candidateLength;
      } else {
        writer.literal(i);
        i++;
      }
    }
    return writer.finish();
  }

  // Shortest path over one candidate edge per position plus a literal edge of cost 2. Every
  // position needs its copy candidate, so they come from the suffix-array search (same rule:
  // earliest source of the longest copy), which stays O(n log n) on repetitive data.
  const copies = findCopyMatches(data, true, fast);
  const edgeKind = new Uint8Array(n);
  const edgeLength = new Int32Array(n);
  const edgeValue = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    findFill(data, n, i, fast);
    const copyLength = copies.length[i]!;
    if (candidateLength < halLongCountLimit && copyLength > candidateLength) {
      candidateKind = copies.kind[i]!;
      candidateLength = copyLength;
      candidateValue = copies.source[i]!;
    }
    edgeKind[i] = candidateKind;
    edgeLength[i] = candidateLength;
    edgeValue[i] = candidateValue;
  }
  const unreached = 0x7fffffff;
  const distance = new Int32Array(n + 1).fill(unreached);
  const previous = new Int32Array(n + 1).fill(-1);
  distance[0] = 0;
  for (let i = 0; i < n; i++) {
    const here = distance[i]!;
    // Strict comparisons: on a tie the first path found (lowest source) stays.
    if (here + 2 < distance[i + 1]!) {
      distance[i + 1] = here + 2;
      previous[i + 1] = i;
    }
    const length = edgeLength[i]!;
    if (length === 0) continue;
    const cost = here + inhalEdgeCost(edgeKind[i]!, length);
    if (cost < distance[i + length]!) {
      distance[i + length] = cost;
      previous[i + length] = i;
    }
  }
  // Walk back from the end, turning `previous` into forward steps stored in `edgeNext`.
  const nextOnPath = new Int32Array(n + 1).fill(-1);
  for (let node = n; node > 0; node = previous[node]!) nextOnPath[previous[node]!] = node;
  for (let node = 0; node < n; ) {
    const target = nextOnPath[node]!;
    if (target === node + 1) writer.literal(node);
    else writer.command(edgeKind[node]!, edgeLength[node]!, edgeValue[node]!);
    node = target;
  }
  return writer.finish();
}
