/**
 * LC_LZ1/2/3/5 encoders (nintendo-lz.md §0-§4).
 *
 * Level `max` is an optimal parse. cost[i] = the fewest bytes that encode data[i..n), over
 * every command the format allows at i. Each command "option" has a fixed parameter size
 * (fill value, word, 2-byte absolute source, 1-byte relative source), so its size depends
 * only on whether its length is ≤ 32 (1-byte header) or 33-1,024 (2-byte header); for each
 * option only the longest length available at i matters, since every shorter length is
 * available too (a prefix of a fill or of the same copy). The minimum of cost[i+L] over each
 * header bracket comes from range-minimum tables built right to left. Literal runs are
 * minimised the same way over cost[j] + j. The result is optimal over all command sequences
 * the strict decoder accepts.
 *
 * Level `fast` is a greedy parse: at each position it lands on, the option that saves the
 * most bytes over literals (copies from bounded hash-chain searches), else a literal byte.
 */
import { CodecInputTooLargeError, CodecOptionError } from '../../errors.js';
import { IncrementalRangeMin } from '../range-min.js';
import { bitReversedByte, invertedByte } from './bit-reverse.js';
import { ChainedCopySearch, findLongestAbsoluteCopies, findLongestRelativeCopies, type CopyKind, type CopyMatches } from './copy-matches.js';
import {
  lcLzCodecName,
  lcLzLongCommand7LengthLimit,
  lcLzLongLengthLimit,
  lcLzShortLengthLimit,
  maximumLcLz3InputSizeInBytes,
  maximumLcLzOutputSizeInBytes,
  writeLcLzHeader,
  type LcLzVariant,
} from './lc-lz-common.js';

/** Level names, best last. */
export const lcLzLevels = ['fast', 'max'] as const;

/** How an option's parameter bytes are written. */
const parameterNone = 0;
const parameterByte = 1; // data[i]
const parameterWord = 2; // data[i], data[i+1]
const parameterAbsoluteBigEndian = 3;
const parameterAbsoluteLittleEndian = 4;
const parameterRelativeLz3 = 5; // 0x80 | (distance − 1)
const parameterRelativeLz5 = 6; // distance

interface EncodeOption {
  /** Command number per copy kind (fills: one entry). */
  readonly commands: readonly number[];
  readonly parameter: number;
  readonly parameterBytes: number;
  /** Longest length available at each position (0 = unavailable). */
  readonly lengths: Int32Array;
  readonly matches: CopyMatches | null;
  /** LZ5 command 7 exists only in long form (lengths 1-768). */
  readonly longOnly: boolean;
  /** `fast`: fills `lengths`/`matches` at a position only when the greedy parse asks. */
  readonly search?: ChainedCopySearch;
}

/** `fast`: sources a greedy query looks at per kind. */
const fastChainLimit = 32;

const forward: CopyKind = { transform: null, backward: false };
const bitReversed: CopyKind = { transform: bitReversedByte, backward: false };
const reversedOrder: CopyKind = { transform: null, backward: true };
const inverted: CopyKind = { transform: invertedByte, backward: false };

/** Fill run lengths at every position, capped at the long-form limit. */
function fillRuns(data: Uint8Array, variant: LcLzVariant): { byte: Int32Array; word: Int32Array; third: Int32Array } {
  const n = data.length;
  const byte = new Int32Array(n + 1);
  const word = new Int32Array(n + 1);
  const third = new Int32Array(n + 1);
  const cap = lcLzLongLengthLimit;
  // alternating[j]: consecutive positions from j where data[k] === data[k − 2].
  const alternating = new Int32Array(n + 2);
  for (let i = n - 1; i >= 0; i--) {
    const v = data[i]!;
    byte[i] = i + 1 < n && data[i + 1] === v ? Math.min(byte[i + 1]! + 1, cap) : 1;
    alternating[i] = i >= 2 && data[i - 2] === v ? alternating[i + 1]! + 1 : 0;
    if (variant === 3) third[i] = v === 0 ? byte[i]! : 0;
    else third[i] = i + 1 < n && data[i + 1] === ((v + 1) & 0xff) ? Math.min(third[i + 1]! + 1, cap) : 1;
  }
  for (let i = 0; i < n; i++) word[i] = Math.min(cap, n - i, 2 + (i + 2 < n ? alternating[i + 2]! : 0));
  return { byte, word, third };
}

/**
 * The commands' options. `max`: every position's longest copy of each option, exhaustively.
 * `fast`: hash-chain searches the greedy parse runs at the positions it lands on.
 */
function encodeOptions(data: Uint8Array, variant: LcLzVariant, fast: boolean): EncodeOption[] {
  const runs = fillRuns(data, variant);
  const options: EncodeOption[] = [
    { commands: [1], parameter: parameterByte, parameterBytes: 1, lengths: runs.byte, matches: null, longOnly: false },
    { commands: [2], parameter: parameterWord, parameterBytes: 2, lengths: runs.word, matches: null, longOnly: false },
    variant === 3
      ? { commands: [3], parameter: parameterNone, parameterBytes: 0, lengths: runs.third, matches: null, longOnly: false }
      : { commands: [3], parameter: parameterByte, parameterBytes: 1, lengths: runs.third, matches: null, longOnly: false },
  ];
  const copy = (commands: number[], parameter: number, parameterBytes: number, kinds: CopyKind[], window: number, cap: number, longOnly: boolean): EncodeOption => {
    if (fast) {
      const search = new ChainedCopySearch(data, kinds, window, cap, fastChainLimit);
      return { commands, parameter, parameterBytes, lengths: search.matches.length, matches: search.matches, longOnly, search };
    }
    const matches = window === Number.POSITIVE_INFINITY ? findLongestAbsoluteCopies(data, kinds, cap) : findLongestRelativeCopies(data, kinds, window, cap);
    return { commands, parameter, parameterBytes, lengths: matches.length, matches, longOnly };
  };
  const cap = lcLzLongLengthLimit;
  const anywhere = Number.POSITIVE_INFINITY;
  if (variant === 1 || variant === 2) {
    options.push(copy([4], variant === 2 ? parameterAbsoluteBigEndian : parameterAbsoluteLittleEndian, 2, [forward], anywhere, cap, false));
  } else if (variant === 3) {
    const kinds = [forward, bitReversed, reversedOrder];
    options.push(copy([4, 5, 6], parameterRelativeLz3, 1, kinds, 128, cap, false));
    options.push(copy([4, 5, 6], parameterAbsoluteBigEndian, 2, kinds, anywhere, cap, false));
  } else {
    options.push(copy([4, 5], parameterAbsoluteLittleEndian, 2, [forward, inverted], anywhere, cap, false));
    options.push(copy([6], parameterRelativeLz5, 1, [forward], 255, cap, false));
    options.push(copy([7], parameterRelativeLz5, 1, [inverted], 255, lcLzLongCommand7LengthLimit, true));
  }
  return options;
}

/** Refuses inputs the format cannot address. */
export function checkLcLzInput(variant: LcLzVariant, data: Uint8Array): void {
  const maximum = variant === 3 ? maximumLcLz3InputSizeInBytes : maximumLcLzOutputSizeInBytes;
  if (data.length > maximum) throw new CodecInputTooLargeError(lcLzCodecName(variant), data.length, maximum);
}

/** A parse: at each command start, the option (−1 = literal run) and its length. */
interface Parse {
  option: Int16Array;
  length: Int32Array;
  size: number;
}

function optimalParse(data: Uint8Array, options: readonly EncodeOption[]): Parse {
  const n = data.length;
  const cost = new Int32Array(n + 1);
  const literalKey = new Int32Array(n + 1);
  const costMin = new IncrementalRangeMin(cost, lcLzLongLengthLimit);
  const literalMin = new IncrementalRangeMin(literalKey, lcLzLongLengthLimit);
  const choiceOption = new Int16Array(n);
  const choiceLength = new Int32Array(n);
  literalKey[n] = n;
  costMin.commit(n);
  literalMin.commit(n);
  const optionCount = options.length;
  for (let i = n - 1; i >= 0; i--) {
    const remaining = n - i;
    // Literal runs: 1-byte header up to 32 bytes, 2-byte header up to 1,024.
    let j = literalMin.argmin(i + 1, i + Math.min(lcLzShortLengthLimit, remaining));
    let bestCost = 1 + literalKey[j]! - i;
    let bestOption = -1;
    let bestLength = j - i;
    if (remaining > lcLzShortLengthLimit) {
      j = literalMin.argmin(i + lcLzShortLengthLimit + 1, i + Math.min(lcLzLongLengthLimit, remaining));
      const c = 2 + literalKey[j]! - i;
      if (c < bestCost) {
        bestCost = c;
        bestLength = j - i;
      }
    }
    for (let o = 0; o < optionCount; o++) {
      const option = options[o]!;
      const longest = option.lengths[i]!;
      if (longest <= 0) continue;
      if (option.longOnly) {
        j = costMin.argmin(i + 1, i + longest);
        const c = 2 + option.parameterBytes + cost[j]!;
        if (c < bestCost) {
          bestCost = c;
          bestOption = o;
          bestLength = j - i;
        }
        continue;
      }
      j = costMin.argmin(i + 1, i + Math.min(lcLzShortLengthLimit, longest));
      let c = 1 + option.parameterBytes + cost[j]!;
      if (c < bestCost) {
        bestCost = c;
        bestOption = o;
        bestLength = j - i;
      }
      if (longest > lcLzShortLengthLimit) {
        j = costMin.argmin(i + lcLzShortLengthLimit + 1, i + longest);
        c = 2 + option.parameterBytes + cost[j]!;
        if (c < bestCost) {
          bestCost = c;
          bestOption = o;
          bestLength = j - i;
        }
      }
    }
    cost[i] = bestCost;
    literalKey[i] = bestCost + i;
    choiceOption[i] = bestOption;
    choiceLength[i] = bestLength;
    costMin.commit(i);
    literalMin.commit(i);
  }
  return { option: choiceOption, length: choiceLength, size: cost[0]! + 1 };
}

function commandSize(option: EncodeOption, length: number): number {
  return (option.longOnly || length > lcLzShortLengthLimit ? 2 : 1) + option.parameterBytes;
}

/** Greedy: the option saving the most bytes against literals at each position, else one literal byte. */
function greedyParse(data: Uint8Array, options: readonly EncodeOption[]): Parse {
  const n = data.length;
  const choiceOption = new Int16Array(n).fill(-1);
  const choiceLength = new Int32Array(n);
  let size = 1;
  let literalStart = -1;
  const closeLiterals = (end: number): void => {
    if (literalStart < 0) return;
    // Split into runs of at most 1,024.
    for (let start = literalStart; start < end; start += lcLzLongLengthLimit) {
      const length = Math.min(lcLzLongLengthLimit, end - start);
      choiceOption[start] = -1;
      choiceLength[start] = length;
      size += length + (length > lcLzShortLengthLimit ? 2 : 1);
    }
    literalStart = -1;
  };
  for (let i = 0; i < n; ) {
    let bestSaving = 1;
    let bestOption = -1;
    let bestLength = 0;
    for (let o = 0; o < options.length; o++) {
      const option = options[o]!;
      option.search?.searchAt(i);
      const length = option.lengths[i]!;
      if (length <= 0) continue;
      const saving = length - commandSize(option, length);
      if (saving > bestSaving) {
        bestSaving = saving;
        bestOption = o;
        bestLength = length;
      }
    }
    if (bestOption < 0) {
      if (literalStart < 0) literalStart = i;
      i++;
      continue;
    }
    closeLiterals(i);
    choiceOption[i] = bestOption;
    choiceLength[i] = bestLength;
    size += commandSize(options[bestOption]!, bestLength);
    i += bestLength;
  }
  closeLiterals(n);
  return { option: choiceOption, length: choiceLength, size };
}

function emit(data: Uint8Array, options: readonly EncodeOption[], parse: Parse): Uint8Array {
  const n = data.length;
  const out = new Uint8Array(parse.size);
  let position = 0;
  for (let i = 0; i < n; ) {
    const o = parse.option[i]!;
    const length = parse.length[i]!;
    if (o < 0) {
      position = writeLcLzHeader(out, position, 0, length, false);
      out.set(data.subarray(i, i + length), position);
      position += length;
      i += length;
      continue;
    }
    const option = options[o]!;
    const matches = option.matches;
    const command = matches === null ? option.commands[0]! : option.commands[matches.kind[i]!]!;
    position = writeLcLzHeader(out, position, command, length, option.longOnly);
    const source = matches === null ? 0 : matches.source[i]!;
    switch (option.parameter) {
      case parameterByte:
        out[position++] = data[i]!;
        break;
      case parameterWord:
        out[position++] = data[i]!;
        // A 1-byte word fill still carries both bytes; the second is never output.
        out[position++] = i + 1 < n ? data[i + 1]! : 0;
        break;
      case parameterAbsoluteBigEndian:
        out[position++] = source >> 8;
        out[position++] = source & 0xff;
        break;
      case parameterAbsoluteLittleEndian:
        out[position++] = source & 0xff;
        out[position++] = source >> 8;
        break;
      case parameterRelativeLz3:
        out[position++] = 0x80 | (i - source - 1);
        break;
      case parameterRelativeLz5:
        out[position++] = i - source;
        break;
      default:
        break;
    }
    i += length;
  }
  out[position++] = 0xff;
  if (position !== out.length) throw new Error(`LC_LZ encoder size mismatch: planned ${out.length}, wrote ${position}`);
  return out;
}

/** Encodes `data` as an LC_LZ`variant` stream at `level` (`fast` greedy, `max` optimal). */
export function encodeLcLz(variant: LcLzVariant, data: Uint8Array, level: string = 'max'): Uint8Array {
  if (level !== 'fast' && level !== 'max') {
    throw new CodecOptionError(lcLzCodecName(variant), `unknown level "${level}"; levels: ${lcLzLevels.join(', ')}`, { level });
  }
  checkLcLzInput(variant, data);
  const options = encodeOptions(data, variant, level === 'fast');
  const parse = level === 'max' ? optimalParse(data, options) : greedyParse(data, options);
  return emit(data, options, parse);
}
