/**
 * SGDK LZ4W (SGDK-built Mega Drive games): sega.md §5.3. Blocks of a big-endian header word
 * `LLLL MMMM OOOOOOOO`: L literal words, then a short copy (M ≠ 0: M + 1 words from O + 1
 * back) or a long one (M = 0, O ≠ 0: O + 2 words; a word W after the literals gives the
 * distance `((-W) & 0x7FFF) + 1`). All zero ends the stream; one more word follows, whose low
 * byte is a last odd output byte when its bit 15 is set. W's bit 15 marks a source in the ROM
 * bytes before the stream (SGDK's rescomp packs against the data already emitted, as the
 * tictactoe-md corpus ROM's tile sets do): decoded from `bytes` when the source lies wholly
 * between 0 and the stream's start, CodecFeatureUnsupportedError otherwise (a standalone
 * stream cannot have one). The stream stores no size, so decoding runs to the end block
 * under the caller's limit (`limits.maximumOutputSizeInBytes`, default
 * `defaultLz4wDecodeLimitInBytes`).
 *
 * The `max` encoder is an optimal parse in bytes, exact including block headers: position i
 * starting a block takes 0–15 literal words and then a short copy (no extra word), a long copy
 * (one extra word; distances kept within 0x4000 words as SGDK's packer and 68000 decoder
 * need), or nothing. `fast` runs the same parse over a 16-step chain search.
 */
import { CodecInputTooLargeError, CodecOptionError } from '../../errors.js';
import type { Codec, CompressOptions, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import {
  KernelSlot,
  decodeByWalk,
  probeByWalk,
  succeedWalk,
  copyBeforeStartText,
  fail,
  walkCorrupt,
  walkOutputLimit,
  walkTruncated,
  walkUnsupported,
  type DecodeKernels,
} from './common.js';
import { copyMatch } from './copy.js';
import { bigEndianWords, findLongestMatches } from './unit-matches.js';

/** Default cap on decoded output: the Mega Drive's 64 KiB of work RAM / VRAM (callers may raise it). */
export const defaultLz4wDecodeLimitInBytes = 0x10000;
/** The encoders search exhaustively; larger inputs are refused (LZ4W resources are tens of KiB). */
export const maximumLz4wCompressInputSizeInBytes = 1024 * 1024;

const maximumLiteralsPerBlock = 15;
const shortWindowInWords = 256;
const minimumShortCopyInWords = 2;
const maximumShortCopyInWords = 16;
/** SGDK's packer stays within this; the 68000 decoder indexes with a signed 16-bit byte offset. */
const longWindowInWords = 0x4000;
const minimumLongCopyInWords = 3;
const maximumLongCopyInWords = 257;
const fastChainStepsPerPosition = 16;

/**
 * Where decodes under the default limit are walked once; only bytes a walk wrote are read back,
 * so it needs no clearing between calls (calls are synchronous, one per thread).
 */
const lz4wScratch = new Uint8Array(defaultLz4wDecodeLimitInBytes);


/** Why an LZ4W stream is refused where it ends too soon. */
export const lz4wTruncatedText = 'input ends before the end block and its final word';
/** Why an LZ4W stream with a copy from a previous-data (ROM) block is refused. */
export const lz4wRomSourceText = 'long copy from ROM data that does not lie wholly before the stream in the input (a previous-data block the input does not hold)';

/**
 * Decodes (out non-null) or validates the blocks from `start` through the end block and final
 * word. A failure is recorded in common.ts's `walkFailure` (an output-limit failure at `start`).
 */
function walkLz4w(bytes: Uint8Array, start: number, limit: number, out: Uint8Array | null): boolean {
  const end = bytes.length;
  let inPos = start;
  let outPos = 0;
  for (;;) {
    const blockOffset = inPos;
    if (end - inPos < 2) return fail(walkTruncated, inPos, lz4wTruncatedText);
    const header = (bytes[inPos]! << 8) | bytes[inPos + 1]!;
    inPos += 2;
    if (header === 0) {
      if (end - inPos < 2) return fail(walkTruncated, inPos, lz4wTruncatedText);
      const last = (bytes[inPos]! << 8) | bytes[inPos + 1]!;
      inPos += 2;
      if ((last & 0x8000) !== 0) {
        if (limit - outPos < 1) return fail(walkOutputLimit, start, '', outPos + 1, limit);
        if (out !== null) out[outPos] = last & 0xff;
        outPos++;
      }
      break;
    }
    const literalBytes = (header >> 12) * 2;
    const shortLength = (header >> 8) & 0x0f;
    const operand = header & 0xff;
    if (end - inPos < literalBytes) return fail(walkTruncated, inPos, lz4wTruncatedText);
    if (limit - outPos < literalBytes) return fail(walkOutputLimit, start, '', outPos + literalBytes, limit);
    if (out !== null) for (let k = 0; k < literalBytes; k++) out[outPos + k] = bytes[inPos + k]!;
    inPos += literalBytes;
    outPos += literalBytes;
    let lengthInBytes: number;
    let distanceInBytes: number;
    if (shortLength !== 0) {
      lengthInBytes = (shortLength + 1) * 2;
      distanceInBytes = (operand + 1) * 2;
    } else if (operand !== 0) {
      if (end - inPos < 2) return fail(walkTruncated, inPos, lz4wTruncatedText);
      const word = (bytes[inPos]! << 8) | bytes[inPos + 1]!;
      inPos += 2;
      lengthInBytes = (operand + 2) * 2;
      if ((word & 0x8000) !== 0) {
        // A ROM source: SGDK's 68000 unpacker (tools_a.s, `.lm_rom`) doubles W as a signed
        // 16-bit word (bit 15 shifts out as the flag) and copies from the packed data's own
        // address space: source = (address after W) − 2 + that offset. rescomp packs against
        // the ROM bytes already emitted before the stream (LZ4W.java: a match source below the
        // origin is capped to end there), so a valid source lies wholly before the stream.
        const romOffset = ((word << 17) >> 16) | 0;
        const source = inPos - 2 + romOffset;
        if (source < 0 || source + lengthInBytes > start) return fail(walkUnsupported, inPos - 2, lz4wRomSourceText, 0, 0, { word });
        if (limit - outPos < lengthInBytes) return fail(walkOutputLimit, start, '', outPos + lengthInBytes, limit);
        if (out !== null) out.set(bytes.subarray(source, source + lengthInBytes), outPos);
        outPos += lengthInBytes;
        continue;
      }
      distanceInBytes = ((-word & 0x7fff) + 1) * 2;
    } else {
      continue;
    }
    if (distanceInBytes > outPos) return fail(walkCorrupt, blockOffset, copyBeforeStartText(distanceInBytes), 0, 0, { distance: distanceInBytes });
    if (limit - outPos < lengthInBytes) return fail(walkOutputLimit, start, '', outPos + lengthInBytes, limit);
    if (out !== null) copyMatch(out, outPos, distanceInBytes, lengthInBytes);
    outPos += lengthInBytes;
  }
  return succeedWalk(outPos, inPos);
}

/**
 * Decodes the LZ4W stream at `offset` through its end block. Output is capped at
 * `limits.maximumOutputSizeInBytes` (default `defaultLz4wDecodeLimitInBytes`): under the
 * default, one walk into a scratch and an exact copy out; above it a validating walk sizes the
 * output before anything is allocated.
 */
export function decodeLz4w(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  return decodeByWalk('lz4w', walkLz4w, lz4wScratch, bytes, offset, limits);
}

/** Validates the LZ4W stream at `offset` without building output; null when it is not one. */
export function probeLz4w(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  return probeByWalk(walkLz4w, bytes, offset, limits, defaultLz4wDecodeLimitInBytes);
}

/** The TypeScript reference kernels. */
export const typescriptLz4wKernels: DecodeKernels = { implementation: 'typescript', decode: decodeLz4w, probe: probeLz4w };

const lz4wKernelSlot = new KernelSlot(typescriptLz4wKernels);

/** The LZ4W kernels in use now. */
export function lz4wKernels(): DecodeKernels {
  return lz4wKernelSlot.active;
}

/** Installs other LZ4W kernels (the native loader does this); returns the previous ones. */
export function setLz4wKernels(kernels: DecodeKernels): DecodeKernels {
  return lz4wKernelSlot.set(kernels);
}

const noCopy = 0;
const shortCopy = 1;
const longCopy = 2;

/** Compresses `data` as LZ4W (an odd last byte goes in the final word). */
export function encodeLz4w(data: Uint8Array, options: { level?: 'fast' | 'max' } = {}): Uint8Array {
  if (data.length > maximumLz4wCompressInputSizeInBytes) throw new CodecInputTooLargeError('lz4w', data.length, maximumLz4wCompressInputSizeInBytes);
  const words = bigEndianWords(data);
  const n = words.length;
  const steps = options.level === 'fast' ? fastChainStepsPerPosition : undefined;
  const near = findLongestMatches(words, shortWindowInWords, minimumShortCopyInWords, maximumShortCopyInWords, steps);
  const far = findLongestMatches(words, longWindowInWords, minimumLongCopyInWords, maximumLongCopyInWords, steps);
  // blockCost[i]: fewest bytes for words i… when a block starts at i (the end block and final
  // word are a constant 4 bytes on top). copyCost[j]: fewest bytes when a copy starts at j.
  const blockCost = new Float64Array(n + 1);
  const copyCost = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const copyKind = new Uint8Array(n);
  const copyLength = new Int32Array(n);
  const blockLiterals = new Int32Array(n);
  const blockHasCopy = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let best = Number.POSITIVE_INFINITY;
    const shortLongest = near.length[i]!;
    for (let length = minimumShortCopyInWords; length <= shortLongest; length++) {
      const c = blockCost[i + length]!;
      if (c < best) {
        best = c;
        copyKind[i] = shortCopy;
        copyLength[i] = length;
      }
    }
    const longLongest = far.length[i]!;
    for (let length = minimumLongCopyInWords; length <= longLongest; length++) {
      const c = 2 + blockCost[i + length]!;
      if (c < best) {
        best = c;
        copyKind[i] = longCopy;
        copyLength[i] = length;
      }
    }
    copyCost[i] = best;
    let bestBlock = Number.POSITIVE_INFINITY;
    const maximumLiterals = Math.min(maximumLiteralsPerBlock, n - i);
    for (let literals = 0; literals <= maximumLiterals; literals++) {
      const j = i + literals;
      const base = 2 + 2 * literals;
      const withCopy = base + copyCost[j]!;
      if (withCopy < bestBlock) {
        bestBlock = withCopy;
        blockLiterals[i] = literals;
        blockHasCopy[i] = 1;
      }
      if (literals > 0) {
        const alone = base + blockCost[j]!;
        if (alone < bestBlock) {
          bestBlock = alone;
          blockLiterals[i] = literals;
          blockHasCopy[i] = 0;
        }
      }
    }
    blockCost[i] = bestBlock;
  }
  const out = new Uint8Array(blockCost[0]! + 4);
  let position = 0;
  for (let i = 0; i < n; ) {
    const literals = blockLiterals[i]!;
    const j = i + literals;
    let header = literals << 12;
    const kind = blockHasCopy[i] ? copyKind[j]! : noCopy;
    const length = kind === noCopy ? 0 : copyLength[j]!;
    if (kind === shortCopy) header |= ((length - 1) << 8) | (near.distance[j]! - 1);
    else if (kind === longCopy) header |= length - 2;
    out[position++] = header >> 8;
    out[position++] = header & 0xff;
    for (let k = i; k < j; k++) {
      out[position++] = words[k]! >> 8;
      out[position++] = words[k]! & 0xff;
    }
    if (kind === longCopy) {
      const word = -(far.distance[j]! - 1) & 0x7fff;
      out[position++] = word >> 8;
      out[position++] = word & 0xff;
    }
    i = j + length;
  }
  out[position++] = 0;
  out[position++] = 0;
  if (data.length % 2 !== 0) {
    out[position++] = 0x80;
    out[position++] = data[data.length - 1]!;
  } else {
    out[position++] = 0;
    out[position++] = 0;
  }
  return out.subarray(0, position).slice();
}

const lz4wLevels = ['fast', 'max'] as const;

function compressLz4w(data: Uint8Array, options: CompressOptions = {}): Uint8Array {
  const level = options.level === undefined ? 'max' : String(options.level);
  if (level !== 'fast' && level !== 'max') throw new CodecOptionError('lz4w', `unknown level "${level}"; levels: ${lz4wLevels.join(', ')}`, { level });
  return encodeLz4w(data, { level });
}

/** SGDK LZ4W: the word-only LZ4 of SGDK-built Mega Drive games (sega.md §5.3). */
export const lz4wCodec: Codec = {
  name: 'lz4w',
  description: 'Mega Drive SGDK LZ4W: LZ4-style blocks of 16-bit words, ends at an end block; standalone streams only (no previous-data block)',
  levels: lz4wLevels,
  defaultLevel: 'max',
  platforms: ['md'],
  canCompress: true,
  decompress: (bytes, offset, limits) => lz4wKernelSlot.active.decode(bytes, offset, limits),
  probe: (bytes, offset, limits) => lz4wKernelSlot.active.probe(bytes, offset, limits),
  compress: compressLz4w,
};
