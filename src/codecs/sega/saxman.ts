/**
 * Saxman (Sonic 2's Z80 sound driver and music): sega.md §5.1. A byte LZSS with a 4 KiB ring
 * buffer. Descriptor bytes are read LSB first and only when another control bit is needed;
 * bit 1 copies a literal, bit 0 reads `lo hi`: ring position `lo | (hi & 0xF0) << 4`, length
 * `(hi & 0x0F) + 3`. Output byte n sits at ring index `(n + 0xFEE) mod 0x1000`, so the source
 * is the latest earlier position congruent to `R + 0x12`; positions before the output start
 * read 0x00 (the ring starts zero-filled).
 *
 * Two framings exist. mdcomp writes a 2-byte little-endian count of the compressed bytes that
 * follow, and decoding stops when they are consumed; that is the default here. Streams without
 * it (the Sonic 2 driver itself) carry no length at all: the caller passes the output size as
 * `limits.outputSizeInBytes`, which selects the headerless framing, and decoding stops there.
 * `compress` writes the header unless `variant: 'headerless'`.
 *
 * The `max` encoder is an optimal parse in bits (literal 9, copy 17; only the last descriptor
 * byte's rounding is outside the model) over the longest match at each position, including
 * copies of zeros from before the start, as mdcomp uses them. `fast` is greedy over a short
 * chain search.
 */
import { CodecInputTooLargeError, CodecOptionError, InvalidArgumentError } from '../../errors.js';
import type { Codec, CompressOptions, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { KernelSlot, checkStart, fail, isValidStart, strictOutputLimitInBytes, strictOutputLimitOrNull, throwWalkFailure, walkCorrupt, walkOutputLimit, walkTruncated, type DecodeKernels } from './common.js';
import { findLongestMatches } from './unit-matches.js';

/** Default cap on decoded output: the Mega Drive's 64 KiB of work RAM (callers may raise it). */
export const defaultSaxmanDecodeLimitInBytes = 0x10000;
/** The size header is 16 bits: a headed stream holds at most this many compressed bytes after it. */
export const maximumSaxmanPackedBodySizeInBytes = 0xffff;
/** The encoders search exhaustively; larger inputs are refused (Saxman data is a few KiB). */
export const maximumSaxmanCompressInputSizeInBytes = 1024 * 1024;

const sizeHeaderSizeInBytes = 2;
const ringSizeInBytes = 0x1000;
const ringStartOffset = 0x12; // (n + 0xFEE) ≡ R  ⇔  n ≡ R + 0x12 (mod 0x1000)
const minimumCopyInBytes = 3;
const maximumCopyInBytes = 18;
const fastChainStepsPerPosition = 16;

/**
 * Where headed decodes under the default limit are walked once; only bytes a walk wrote are
 * read back, so it needs no clearing between calls (calls are synchronous, one per thread).
 */
const saxmanScratch = new Uint8Array(defaultSaxmanDecodeLimitInBytes);

let walkOutput = 0;
let walkEnd = 0;

/** Why a Saxman stream is refused where it ends too soon (the walk's truncation failures). */
export const saxmanInputEndsInsideCommand = 'input ends inside a command';

/**
 * Decodes (out non-null) or validates the commands in `bytes[start, end)` of the stream at
 * `streamOffset`. With `exactOutput` ≥ 0 (headerless) it stops once that many bytes are out;
 * otherwise when the input is consumed. A failure is recorded in common.ts's `walkFailure`.
 */
function walkSaxman(bytes: Uint8Array, streamOffset: number, start: number, end: number, limit: number, exactOutput: number, out: Uint8Array | null): boolean {
  let inPos = start;
  let outPos = 0;
  let descriptor = 0;
  let bitsLeft = 0;
  for (;;) {
    if (exactOutput >= 0 ? outPos >= exactOutput : inPos >= end) break;
    if (bitsLeft === 0) {
      if (inPos >= end) return fail(walkTruncated, inPos, saxmanInputEndsInsideCommand);
      descriptor = bytes[inPos++]!;
      bitsLeft = 8;
      // A descriptor byte may be the last counted byte: nothing follows it (sega.md §5.1).
      if (exactOutput < 0 && inPos >= end) break;
    }
    const isLiteral = (descriptor & 1) !== 0;
    descriptor >>= 1;
    bitsLeft--;
    if (isLiteral) {
      if (inPos >= end) return fail(walkTruncated, inPos, saxmanInputEndsInsideCommand);
      if (outPos >= limit) return fail(walkOutputLimit, streamOffset, '', outPos + 1, limit);
      if (out !== null) out[outPos] = bytes[inPos]!;
      inPos++;
      outPos++;
      continue;
    }
    const tokenOffset = inPos;
    if (end - inPos < 2) return fail(walkTruncated, inPos, saxmanInputEndsInsideCommand);
    const lo = bytes[inPos]!;
    const hi = bytes[inPos + 1]!;
    inPos += 2;
    const length = (hi & 0x0f) + minimumCopyInBytes;
    if (exactOutput >= 0 && length > exactOutput - outPos) return fail(walkCorrupt, tokenOffset, saxmanCopyOverrunText(length), 0, 0, { length });
    if (length > limit - outPos) return fail(walkOutputLimit, streamOffset, '', outPos + length, limit);
    if (out !== null) {
      const ringPosition = lo | ((hi & 0xf0) << 4);
      const back = (outPos - ringPosition - ringStartOffset) & (ringSizeInBytes - 1);
      const source = outPos - (back === 0 ? ringSizeInBytes : back);
      if (source >= 0) for (let k = 0; k < length; k++) out[outPos + k] = out[source + k]!;
      // Before the start reads as zero (the ring starts zero-filled); byte at a time, as the copy
      // may run on into what it writes.
      else for (let k = 0; k < length; k++) out[outPos + k] = source + k < 0 ? 0 : out[source + k]!;
    }
    outPos += length;
  }
  walkOutput = outPos;
  walkEnd = inPos;
  return true;
}

/** The message of a headerless copy that runs past the given output size. */
export function saxmanCopyOverrunText(length: number): string {
  return `copy of ${length} bytes runs past the given output size`;
}

/** The message of a size header that counts more bytes than the input holds. */
export function saxmanHeaderPastEndText(bodySize: number): string {
  return `the size header counts ${bodySize} bytes, past the end of the input`;
}

interface SaxmanFraming {
  bodyStart: number;
  bodyEnd: number;
  exactOutput: number;
}

/** The output limit and exact output size (-1: headed) a decode runs with, after the argument checks. */
export interface SaxmanDecodeArguments {
  limit: number;
  exactOutput: number;
}

/** Checks a decode's arguments in the reference's order (typed errors) and returns its limit and framing choice. */
export function saxmanDecodeArguments(bytes: Uint8Array, offset: number, limits: DecodeLimits | undefined): SaxmanDecodeArguments {
  checkStart(bytes, offset);
  const exact = limits?.outputSizeInBytes;
  if (exact !== undefined && (!Number.isSafeInteger(exact) || exact < 0)) throw new InvalidArgumentError(`outputSizeInBytes must be a non-negative integer, not ${exact}`);
  return { limit: strictOutputLimitInBytes(limits, defaultSaxmanDecodeLimitInBytes), exactOutput: exact ?? -1 };
}

/** A probe's limit and framing choice, or null where the decode would refuse its arguments. */
export function saxmanProbeArguments(bytes: Uint8Array, offset: number, limits: DecodeLimits | undefined): SaxmanDecodeArguments | null {
  if (!isValidStart(bytes, offset)) return null;
  const exact = limits?.outputSizeInBytes;
  if (exact !== undefined && (!Number.isSafeInteger(exact) || exact < 0)) return null;
  const limit = strictOutputLimitOrNull(limits, defaultSaxmanDecodeLimitInBytes);
  return limit === null ? null : { limit, exactOutput: exact ?? -1 };
}

/** The framing at `offset`, or null with the failure recorded. */
function frame(bytes: Uint8Array, offset: number, { limit, exactOutput }: SaxmanDecodeArguments): SaxmanFraming | null {
  if (exactOutput >= 0) {
    if (exactOutput > limit) return fail(walkOutputLimit, offset, '', exactOutput, limit) || null;
    return { bodyStart: offset, bodyEnd: bytes.length, exactOutput };
  }
  if (bytes.length - offset < sizeHeaderSizeInBytes) return fail(walkTruncated, bytes.length, saxmanInputEndsInsideCommand) || null;
  const bodySize = bytes[offset]! | (bytes[offset + 1]! << 8);
  const bodyStart = offset + sizeHeaderSizeInBytes;
  if (bytes.length - bodyStart < bodySize) return fail(walkTruncated, bytes.length, saxmanHeaderPastEndText(bodySize)) || null;
  return { bodyStart, bodyEnd: bodyStart + bodySize, exactOutput: -1 };
}

/**
 * Decodes the Saxman stream at `offset`: headed (mdcomp's 2-byte size) by default, headerless
 * when `limits.outputSizeInBytes` is given. Output is capped at `limits.maximumOutputSizeInBytes`
 * (default `defaultSaxmanDecodeLimitInBytes`).
 */
export function decodeSaxman(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  const args = saxmanDecodeArguments(bytes, offset, limits);
  const { limit } = args;
  const framing = frame(bytes, offset, args);
  if (framing === null) throwWalkFailure('saxman');
  // Headerless: the output size is known, so one walk into an exact buffer. Headed under the
  // default limit: one walk into the module's scratch, then an exact copy out. Only a larger
  // limit pays for a validating walk first (to size the buffer without allocating the limit).
  if (framing.exactOutput >= 0 || limit <= saxmanScratch.length) {
    const out = framing.exactOutput >= 0 ? new Uint8Array(framing.exactOutput) : saxmanScratch;
    if (!walkSaxman(bytes, offset, framing.bodyStart, framing.bodyEnd, limit, framing.exactOutput, out)) throwWalkFailure('saxman');
    return { data: out === saxmanScratch ? out.slice(0, walkOutput) : out, packedLength: walkEnd - offset };
  }
  if (!walkSaxman(bytes, offset, framing.bodyStart, framing.bodyEnd, limit, framing.exactOutput, null)) throwWalkFailure('saxman');
  const out = new Uint8Array(walkOutput);
  walkSaxman(bytes, offset, framing.bodyStart, framing.bodyEnd, limit, framing.exactOutput, out);
  return { data: out, packedLength: walkEnd - offset };
}

/** Validates the Saxman stream at `offset` without building output; null when it is not one. */
export function probeSaxman(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  const args = saxmanProbeArguments(bytes, offset, limits);
  if (args === null) return null;
  const framing = frame(bytes, offset, args);
  if (framing === null || !walkSaxman(bytes, offset, framing.bodyStart, framing.bodyEnd, args.limit, framing.exactOutput, null)) return null;
  return { packedLength: walkEnd - offset, unpackedLength: walkOutput };
}

/** The TypeScript reference kernels. */
export const typescriptSaxmanKernels: DecodeKernels = { implementation: 'typescript', decode: decodeSaxman, probe: probeSaxman };

const saxmanKernelSlot = new KernelSlot(typescriptSaxmanKernels);

/** The Saxman kernels in use now. */
export function saxmanKernels(): DecodeKernels {
  return saxmanKernelSlot.active;
}

/** Installs other Saxman kernels (the native loader does this); returns the previous ones. */
export function setSaxmanKernels(kernels: DecodeKernels): DecodeKernels {
  return saxmanKernelSlot.set(kernels);
}

/** Longest run of zero bytes from each position (for copies from the zero-filled ring). */
function zeroRuns(data: Uint8Array): Int32Array {
  const runs = new Int32Array(data.length + 1);
  for (let i = data.length - 1; i >= 0; i--) runs[i] = data[i] === 0 ? runs[i + 1]! + 1 : 0;
  return runs;
}

/**
 * The token lengths (1 = literal) chosen at each position, and the source distance of each
 * copy (0 = from the zero-filled ring before the start).
 */
function parse(data: Uint8Array, optimal: boolean): { choice: Int32Array; distance: Int32Array } {
  const n = data.length;
  const matches = findLongestMatches(data, ringSizeInBytes, minimumCopyInBytes, maximumCopyInBytes, optimal ? undefined : fastChainStepsPerPosition);
  const zeros = zeroRuns(data);
  const choice = new Int32Array(n);
  const distance = new Int32Array(n);
  // Copies from before the start: source -length ≥ n - 0x1000, so n + length ≤ 0x1000.
  const zeroCopyAt = (i: number): number => {
    const length = Math.min(maximumCopyInBytes, zeros[i]!, ringSizeInBytes - i);
    return length >= minimumCopyInBytes ? length : 0;
  };
  if (!optimal) {
    for (let i = 0; i < n; ) {
      const regular = matches.length[i]!;
      const zero = i < ringSizeInBytes ? zeroCopyAt(i) : 0;
      const length = Math.max(regular, zero);
      if (length >= minimumCopyInBytes) {
        choice[i] = length;
        distance[i] = regular >= zero ? matches.distance[i]! : 0;
        i += length;
      } else {
        choice[i] = 1;
        i++;
      }
    }
    return { choice, distance };
  }
  const cost = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    let best = 9 + cost[i + 1]!;
    let bestLength = 1;
    const regular = matches.length[i]!;
    const zero = i < ringSizeInBytes ? zeroCopyAt(i) : 0;
    const longest = Math.max(regular, zero);
    for (let length = minimumCopyInBytes; length <= longest; length++) {
      const c = 17 + cost[i + length]!;
      if (c < best) {
        best = c;
        bestLength = length;
      }
    }
    cost[i] = best;
    choice[i] = bestLength;
    distance[i] = bestLength > 1 && bestLength <= regular ? matches.distance[i]! : 0;
  }
  return { choice, distance };
}

/** Compresses `data` as Saxman: with mdcomp's size header unless `headerless`. */
export function encodeSaxman(data: Uint8Array, options: { level?: 'fast' | 'max'; headerless?: boolean } = {}): Uint8Array {
  if (data.length > maximumSaxmanCompressInputSizeInBytes) throw new CodecInputTooLargeError('saxman', data.length, maximumSaxmanCompressInputSizeInBytes);
  const n = data.length;
  const { choice, distance } = parse(data, options.level !== 'fast');
  const headerBytes = options.headerless === true ? 0 : sizeHeaderSizeInBytes;
  // Worst case: every token a literal, one descriptor per 8.
  const out = new Uint8Array(headerBytes + n + Math.ceil(n / 8) + 1);
  let position = headerBytes;
  let descriptorPosition = 0;
  let tokenInGroup = 8;
  for (let i = 0; i < n; ) {
    if (tokenInGroup === 8) {
      descriptorPosition = position++;
      out[descriptorPosition] = 0;
      tokenInGroup = 0;
    }
    const length = choice[i]!;
    if (length === 1) {
      out[descriptorPosition] = out[descriptorPosition]! | (1 << tokenInGroup);
      out[position++] = data[i]!;
    } else {
      const source = distance[i] === 0 ? -length : i - distance[i]!;
      const ringPosition = (source - ringStartOffset) & (ringSizeInBytes - 1);
      out[position++] = ringPosition & 0xff;
      out[position++] = ((ringPosition >> 4) & 0xf0) | (length - minimumCopyInBytes);
    }
    tokenInGroup++;
    i += length;
  }
  const bodySize = position - headerBytes;
  if (headerBytes > 0) {
    if (bodySize > maximumSaxmanPackedBodySizeInBytes) throw new CodecInputTooLargeError('saxman (compressed size for the 16-bit header)', bodySize, maximumSaxmanPackedBodySizeInBytes);
    out[0] = bodySize & 0xff;
    out[1] = bodySize >> 8;
  }
  return out.slice(0, position);
}

const saxmanLevels = ['fast', 'max'] as const;

function compressSaxman(data: Uint8Array, options: CompressOptions = {}): Uint8Array {
  const level = options.level === undefined ? 'max' : String(options.level);
  if (level !== 'fast' && level !== 'max') throw new CodecOptionError('saxman', `unknown level "${level}"; levels: ${saxmanLevels.join(', ')}`, { level });
  const variant = options.variant;
  if (variant !== undefined && variant !== 'headerless' && variant !== 'header') {
    throw new CodecOptionError('saxman', `unknown variant "${variant}"; variants: header (mdcomp's 2-byte size, the default), headerless`, { variant });
  }
  return encodeSaxman(data, { level, headerless: variant === 'headerless' });
}

/** Saxman: Sonic 2's sound-driver LZSS (sega.md §5.1). */
export const saxmanCodec: Codec = {
  name: 'saxman',
  description: 'Mega Drive Saxman (Sonic 2 sound driver/music): byte LZSS, 4 KiB zero-filled ring; 2-byte size header unless outputSizeInBytes is given',
  levels: saxmanLevels,
  defaultLevel: 'max',
  platforms: ['md'],
  canCompress: true,
  decompress: (bytes, offset, limits) => saxmanKernelSlot.active.decode(bytes, offset, limits),
  probe: (bytes, offset, limits) => saxmanKernelSlot.active.probe(bytes, offset, limits),
  compress: compressSaxman,
};
