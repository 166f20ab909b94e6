/**
 * Enigma encoder (sega.md §4.6), level `max`.
 *
 * For each candidate header (INC: the starts of the longest ascending chains; COM: the most
 * frequent words; P and M: first from every word, then from only the words the parse writes
 * inline), a forward dynamic program finds the cheapest entry sequence by exact cost in bits:
 * INC and COM runs 6, inline repeat/ascending/descending runs 7 + I, literal groups 7 + I per
 * word, where I = P + the mask's flag bits. The incrementing word's current value is part of
 * the state (it only grows where INC runs are used), so each position keeps its few cheapest
 * (position, INC value) states. The smallest stream over all candidates wins.
 */
import { CodecInputSizeError, CodecOptionError } from '../../errors.js';
import type { CompressOptions } from '../types.js';
import { MsbBitWriter } from './common.js';

/** Levels `compress` accepts (there is no Sega-identical reference compressor for Enigma). */
export const enigmaLevels: readonly string[] = ['max'];

const maximumRunLength = 16;
const maximumLiteralGroup = 15;
const shortEntryCostInBits = 6;
const longEntryCostInBits = 7;
/** Cheapest INC states kept per position. */
const statesPerPosition = 6;
/** INC and COM candidates tried. */
const candidatesPerWord = 3;

const kindIncrement = 0;
const kindCommon = 1;
const kindRepeat = 2;
const kindAscending = 3;
const kindDescending = 4;
const kindLiterals = 5;

interface Header {
  packetLength: number;
  mask: number;
  increment: number;
  common: number;
}

interface Parse {
  bits: number;
  kinds: number[];
  lengths: number[];
}

function popcount5(mask: number): number {
  let count = 0;
  for (let b = 0; b < 5; b++) count += (mask >>> b) & 1;
  return count;
}

/** P and M that can write every word in `words` (at least P = 1). */
function packetFor(words: Iterable<number>): { packetLength: number; mask: number } {
  let low = 0;
  let flags = 0;
  for (const w of words) {
    low |= w & 0x7ff;
    flags |= w >>> 11;
  }
  let packetLength = 1;
  while (low >>> packetLength !== 0) packetLength++;
  return { packetLength, mask: flags & 0x1f };
}

/** The cheapest parse for one header (see the module comment). */
function parseWith(words: Uint16Array, header: Header): Parse {
  const n = words.length;
  const inlineCost = header.packetLength + popcount5(header.mask);
  const lowLimit = 1 << header.packetLength;
  const representable = (w: number): boolean => (w & 0x7ff) < lowLimit && ((w >>> 11) & ~header.mask) === 0;
  const k = statesPerPosition;
  const stateCount = new Uint8Array(n + 1);
  const stateInc = new Int32Array((n + 1) * k);
  const stateCost = new Float64Array((n + 1) * k);
  const stateFrom = new Int32Array((n + 1) * k); // previous position * k + state
  const stateKind = new Uint8Array((n + 1) * k);
  const stateLength = new Uint8Array((n + 1) * k);
  const offer = (position: number, inc: number, cost: number, from: number, kind: number, length: number): void => {
    const base = position * k;
    const count = stateCount[position]!;
    let worst = -1;
    for (let s = 0; s < count; s++) {
      if (stateInc[base + s] === inc) {
        if (cost < stateCost[base + s]!) {
          stateCost[base + s] = cost;
          stateFrom[base + s] = from;
          stateKind[base + s] = kind;
          stateLength[base + s] = length;
        }
        return;
      }
      if (worst < 0 || stateCost[base + s]! > stateCost[base + worst]!) worst = s;
    }
    let slot = count;
    if (count === k) {
      if (cost >= stateCost[base + worst]!) return;
      slot = worst;
    } else stateCount[position] = count + 1;
    stateInc[base + slot] = inc;
    stateCost[base + slot] = cost;
    stateFrom[base + slot] = from;
    stateKind[base + slot] = kind;
    stateLength[base + slot] = length;
  };
  offer(0, header.increment, 0, -1, 0, 0);
  for (let i = 0; i < n; i++) {
    const w = words[i]!;
    // Run extents from i (state-independent).
    let same = 1;
    while (same < maximumRunLength && i + same < n && words[i + same] === w) same++;
    let up = 1;
    while (up < maximumRunLength && i + up < n && words[i + up] === ((w + up) & 0xffff)) up++;
    let down = 1;
    while (down < maximumRunLength && i + down < n && words[i + down] === ((w - down) & 0xffff)) down++;
    let common = 0;
    while (common < maximumRunLength && i + common < n && words[i + common] === header.common) common++;
    let literals = 0;
    while (literals < maximumLiteralGroup && i + literals < n && representable(words[i + literals]!)) literals++;
    const inlineStart = representable(w);
    for (let s = 0; s < stateCount[i]!; s++) {
      const id = i * k + s;
      const inc = stateInc[id]!;
      const cost = stateCost[id]!;
      if (w === inc) {
        let length = 1;
        while (length < maximumRunLength && i + length < n && words[i + length] === ((inc + length) & 0xffff)) length++;
        for (let l = 1; l <= length; l++) offer(i + l, (inc + l) & 0xffff, cost + shortEntryCostInBits, id, kindIncrement, l);
      }
      for (let l = 1; l <= common; l++) offer(i + l, inc, cost + shortEntryCostInBits, id, kindCommon, l);
      if (inlineStart) {
        const c = cost + longEntryCostInBits + inlineCost;
        for (let l = 1; l <= same; l++) offer(i + l, inc, c, id, kindRepeat, l);
        for (let l = 2; l <= up; l++) offer(i + l, inc, c, id, kindAscending, l);
        for (let l = 2; l <= down; l++) offer(i + l, inc, c, id, kindDescending, l);
      }
      for (let l = 1; l <= literals; l++) offer(i + l, inc, cost + longEntryCostInBits + l * inlineCost, id, kindLiterals, l);
    }
  }
  const base = n * k;
  let best = -1;
  for (let s = 0; s < stateCount[n]!; s++) if (best < 0 || stateCost[base + s]! < stateCost[base + best]!) best = s;
  if (best < 0) return { bits: Number.POSITIVE_INFINITY, kinds: [], lengths: [] };
  const kinds: number[] = [];
  const lengths: number[] = [];
  for (let id = base + best; stateFrom[id]! >= 0; id = stateFrom[id]!) {
    kinds.push(stateKind[id]!);
    lengths.push(stateLength[id]!);
  }
  kinds.reverse();
  lengths.reverse();
  return { bits: stateCost[base + best]!, kinds, lengths };
}

/** Starts of the longest ascending chains (w, w+1, … in file order), longest first, lowest on ties. */
function incrementCandidates(words: Uint16Array): number[] {
  const chainFromFirst = new Int32Array(0x10000);
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i]!;
    chainFromFirst[w] = 1 + chainFromFirst[(w + 1) & 0xffff]!;
  }
  const seen = new Set<number>();
  const values: number[] = [];
  for (const w of words) if (!seen.has(w)) {
    seen.add(w);
    values.push(w);
  }
  values.sort((a, b) => chainFromFirst[b]! - chainFromFirst[a]! || a - b);
  return values.slice(0, candidatesPerWord);
}

/** The most frequent words, lowest on ties. */
function commonCandidates(words: Uint16Array): number[] {
  const counts = new Map<number, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a - b).slice(0, candidatesPerWord);
}

function writeStream(words: Uint16Array, header: Header, parse: Parse): Uint8Array {
  const writer = new MsbBitWriter(Math.ceil(parse.bits / 8) + 16);
  writer.byte(header.packetLength);
  writer.byte(header.mask);
  writer.byte(header.increment >>> 8);
  writer.byte(header.increment & 0xff);
  writer.byte(header.common >>> 8);
  writer.byte(header.common & 0xff);
  const flagBits: number[] = [];
  for (let b = 4; b >= 0; b--) if ((header.mask >>> b) & 1) flagBits.push(b);
  const inline = (w: number): void => {
    for (const b of flagBits) writer.bits((w >>> (11 + b)) & 1, 1);
    writer.bits(w & 0x7ff, header.packetLength);
  };
  let i = 0;
  for (let e = 0; e < parse.kinds.length; e++) {
    const kind = parse.kinds[e]!;
    const length = parse.lengths[e]!;
    if (kind === kindIncrement) writer.bits((0b00 << 4) | (length - 1), 6);
    else if (kind === kindCommon) writer.bits((0b01 << 4) | (length - 1), 6);
    else {
      const code = kind === kindRepeat ? 0b100 : kind === kindAscending ? 0b101 : kind === kindDescending ? 0b110 : 0b111;
      writer.bits((code << 4) | (length - 1), 7);
      if (kind === kindLiterals) for (let k = 0; k < length; k++) inline(words[i + k]!);
      else inline(words[i]!);
    }
    i += length;
  }
  writer.bits(0x7f, 7);
  writer.flush();
  if (writer.lengthInBytes % 2 !== 0) writer.byte(0);
  return writer.result();
}

/** Compresses big-endian plane-map words to Enigma (level `max`). */
export function compressEnigma(data: Uint8Array, options: CompressOptions = {}): Uint8Array {
  const level = options.level === undefined ? 'max' : String(options.level);
  if (!enigmaLevels.includes(level)) throw new CodecOptionError('enigma', `unknown level "${level}"; levels: ${enigmaLevels.join(', ')}`, { level });
  if (data.length % 2 !== 0) throw new CodecInputSizeError('enigma', data.length, 'Enigma stores 16-bit plane-map words, so the size must be even');
  const words = new Uint16Array(data.length / 2);
  for (let i = 0; i < words.length; i++) words[i] = (data[2 * i]! << 8) | data[2 * i + 1]!;
  const allWords = packetFor(words);
  let best: Uint8Array | null = null;
  const incs = words.length > 0 ? incrementCandidates(words) : [0];
  const coms = words.length > 0 ? commonCandidates(words) : [0];
  for (const increment of incs) {
    for (const common of coms) {
      let header: Header = { ...allWords, increment, common };
      for (let round = 0; round < 2; round++) {
        const parse = parseWith(words, header);
        if (!Number.isFinite(parse.bits)) break;
        const stream = writeStream(words, header, parse);
        if (best === null || stream.length < best.length) best = stream;
        // Narrow P and M to the words this parse writes inline, and parse again.
        const inlineWords: number[] = [];
        let i = 0;
        for (let e = 0; e < parse.kinds.length; e++) {
          const kind = parse.kinds[e]!;
          if (kind === kindLiterals) for (let k = 0; k < parse.lengths[e]!; k++) inlineWords.push(words[i + k]!);
          else if (kind >= kindRepeat) inlineWords.push(words[i]!);
          i += parse.lengths[e]!;
        }
        const narrowed = packetFor(inlineWords);
        if (narrowed.packetLength === header.packetLength && narrowed.mask === header.mask) break;
        header = { ...narrowed, increment, common };
      }
    }
  }
  return best!;
}
