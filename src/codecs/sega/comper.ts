/**
 * Comper (Sonic ROM hacks; by vladikcomper): sega.md §5.2. A word LZSS: 16-bit big-endian
 * descriptors read MSB first, lazily; bit 0 copies one literal word, bit 1 reads `o n`: `n` = 0
 * ends the stream, else a copy of `n + 1` words from `0x100 - o` words back (overlap allowed).
 * The stream stores no size, so decoding runs to the terminator under the caller's limit
 * (`limits.maximumOutputSizeInBytes`, default `defaultComperDecodeLimitInBytes`).
 *
 * Both tokens cost 17 bits, so the `max` encoder is an optimal parse that minimises the token
 * count over the longest match at each word (exhaustive in the 256-word window for inputs up
 * to 256 KiB); `fast` does the same over a 16-step chain search. The format only holds whole
 * words, so odd-length input is refused (CodecInputShapeError) rather than padded as mdcomp
 * pads it: a compressor that changed its input would break the round trip an injection relies
 * on. Callers that want mdcomp's behaviour append the 0x00 themselves.
 */
import { CodecInputShapeError, CodecInputTooLargeError, CodecOptionError } from '../../errors.js';
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
  type DecodeKernels,
} from './common.js';
import { copyMatch } from './copy.js';
import { bigEndianWords, findLongestMatches } from './unit-matches.js';

/** Default cap on decoded output: the Mega Drive's 64 KiB of work RAM (callers may raise it). */
export const defaultComperDecodeLimitInBytes = 0x10000;
/** The encoders search exhaustively; larger inputs are refused (Comper art is a few KiB). */
export const maximumComperCompressInputSizeInBytes = 1024 * 1024;

const windowInWords = 256;
const minimumCopyInWords = 2;
const maximumCopyInWords = 256;
const fastChainStepsPerPosition = 16;

/**
 * Where decodes under the default limit are walked once; only bytes a walk wrote are read back,
 * so it needs no clearing between calls (calls are synchronous, one per thread).
 */
const comperScratch = new Uint8Array(defaultComperDecodeLimitInBytes);


/** Why a Comper stream is refused where it ends too soon. */
export const comperTruncatedText = 'input ends before the terminator (a copy with length byte 0)';

/**
 * Decodes (out non-null) or validates the stream from `start` to its terminator. A failure is
 * recorded in common.ts's `walkFailure` (an output-limit failure at `start`, the stream offset).
 */
function walkComper(bytes: Uint8Array, start: number, limit: number, out: Uint8Array | null): boolean {
  const end = bytes.length;
  let inPos = start;
  let outPos = 0;
  let descriptor = 0;
  let bitsLeft = 0;
  for (;;) {
    if (bitsLeft === 0) {
      if (end - inPos < 2) return fail(walkTruncated, inPos, comperTruncatedText);
      descriptor = (bytes[inPos]! << 8) | bytes[inPos + 1]!;
      inPos += 2;
      bitsLeft = 16;
    }
    bitsLeft--;
    const isCopy = ((descriptor >> bitsLeft) & 1) !== 0;
    if (end - inPos < 2) return fail(walkTruncated, inPos, comperTruncatedText);
    const tokenOffset = inPos;
    const first = bytes[inPos]!;
    const second = bytes[inPos + 1]!;
    inPos += 2;
    if (!isCopy) {
      if (limit - outPos < 2) return fail(walkOutputLimit, start, '', outPos + 2, limit);
      if (out !== null) {
        out[outPos] = first;
        out[outPos + 1] = second;
      }
      outPos += 2;
      continue;
    }
    if (second === 0) break;
    const distanceInBytes = (0x100 - first) * 2;
    const lengthInBytes = (second + 1) * 2;
    if (distanceInBytes > outPos) return fail(walkCorrupt, tokenOffset, copyBeforeStartText(distanceInBytes), 0, 0, { distance: distanceInBytes });
    if (limit - outPos < lengthInBytes) return fail(walkOutputLimit, start, '', outPos + lengthInBytes, limit);
    if (out !== null) copyMatch(out, outPos, distanceInBytes, lengthInBytes);
    outPos += lengthInBytes;
  }
  return succeedWalk(outPos, inPos);
}

/**
 * Decodes the Comper stream at `offset` up to its terminator. Output is capped at
 * `limits.maximumOutputSizeInBytes` (default `defaultComperDecodeLimitInBytes`): under the
 * default, one walk into a scratch and an exact copy out; above it a validating walk sizes the
 * output before anything is allocated.
 */
export function decodeComper(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  return decodeByWalk('comper', walkComper, comperScratch, bytes, offset, limits);
}

/** Validates the Comper stream at `offset` without building output; null when it is not one. */
export function probeComper(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  return probeByWalk(walkComper, bytes, offset, limits, defaultComperDecodeLimitInBytes);
}

/** The TypeScript reference kernels. */
export const typescriptComperKernels: DecodeKernels = { implementation: 'typescript', decode: decodeComper, probe: probeComper };

const comperKernelSlot = new KernelSlot(typescriptComperKernels);

/** The Comper kernels in use now. */
export function comperKernels(): DecodeKernels {
  return comperKernelSlot.active;
}

/** Installs other Comper kernels (the native loader does this); returns the previous ones. */
export function setComperKernels(kernels: DecodeKernels): DecodeKernels {
  return comperKernelSlot.set(kernels);
}

/** Compresses `data` (an even number of bytes) as Comper. */
export function encodeComper(data: Uint8Array, options: { level?: 'fast' | 'max' } = {}): Uint8Array {
  if (data.length > maximumComperCompressInputSizeInBytes) throw new CodecInputTooLargeError('comper', data.length, maximumComperCompressInputSizeInBytes);
  if (data.length % 2 !== 0) throw new CodecInputShapeError('comper', data.length, 'Comper holds whole 16-bit words: pad the data to an even length (mdcomp pads with 0x00)');
  const words = bigEndianWords(data);
  const n = words.length;
  const matches = findLongestMatches(words, windowInWords, minimumCopyInWords, maximumCopyInWords, options.level === 'fast' ? fastChainStepsPerPosition : undefined);
  // Every token is 17 bits: fewest tokens is smallest output.
  const tokens = new Int32Array(n + 1);
  const choice = new Int32Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let best = tokens[i + 1]! + 1;
    let bestLength = 1;
    const longest = matches.length[i]!;
    for (let length = minimumCopyInWords; length <= longest; length++) {
      const t = tokens[i + length]! + 1;
      if (t < best) {
        best = t;
        bestLength = length;
      }
    }
    tokens[i] = best;
    choice[i] = bestLength;
  }
  const tokenCount = tokens[0]! + 1; // and the terminator
  const out = new Uint8Array(2 * tokenCount + 2 * Math.ceil(tokenCount / 16));
  let position = 0;
  let descriptorPosition = 0;
  let tokenInGroup = 16;
  const startToken = (isCopy: boolean): void => {
    if (tokenInGroup === 16) {
      descriptorPosition = position;
      position += 2;
      tokenInGroup = 0;
    }
    if (isCopy) {
      const mask = 0x8000 >> tokenInGroup;
      out[descriptorPosition] = out[descriptorPosition]! | (mask >> 8);
      out[descriptorPosition + 1] = out[descriptorPosition + 1]! | (mask & 0xff);
    }
    tokenInGroup++;
  };
  for (let i = 0; i < n; ) {
    const length = choice[i]!;
    if (length === 1) {
      startToken(false);
      out[position++] = words[i]! >> 8;
      out[position++] = words[i]! & 0xff;
    } else {
      startToken(true);
      out[position++] = 0x100 - matches.distance[i]!;
      out[position++] = length - 1;
    }
    i += length;
  }
  startToken(true);
  out[position++] = 0;
  out[position++] = 0;
  return out.subarray(0, position).slice();
}

const comperLevels = ['fast', 'max'] as const;

function compressComper(data: Uint8Array, options: CompressOptions = {}): Uint8Array {
  const level = options.level === undefined ? 'max' : String(options.level);
  if (level !== 'fast' && level !== 'max') throw new CodecOptionError('comper', `unknown level "${level}"; levels: ${comperLevels.join(', ')}`, { level });
  return encodeComper(data, { level });
}

/** Comper: the Sonic hacking community's word LZSS (sega.md §5.2). */
export const comperCodec: Codec = {
  name: 'comper',
  description: 'Mega Drive Comper (Sonic ROM hacks): word LZSS, 512-byte window, ends at a terminator; compresses even-length data',
  levels: comperLevels,
  defaultLevel: 'max',
  platforms: ['md'],
  canCompress: true,
  decompress: (bytes, offset, limits) => comperKernelSlot.active.decode(bytes, offset, limits),
  probe: (bytes, offset, limits) => comperKernelSlot.active.probe(bytes, offset, limits),
  compress: compressComper,
};
