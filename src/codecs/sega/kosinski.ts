/**
 * Kosinski (sega.md §2): Sega's LZSS with an 8 KiB window. 16-bit descriptors (stored low byte
 * first, used from bit 0) hold the control bits; the next descriptor is read as soon as the
 * current one's 16th bit is used, before that command's operand bytes. No header and no size:
 * the stream ends at the `00 F0 00`-style terminator, so decoding needs an output limit.
 *
 * The walker here also decodes each Kosinski Moduled module (kosinski-moduled.ts).
 */
import type { Codec, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { GrowableOutput, KernelSlot, checkStart, fail, isValidStart, outputLimitInBytes, throwWalkFailure, walkCorrupt, walkOutputLimit, walkTruncated, type DecodeKernels } from './common.js';
import { compressKosinski, kosinskiLevels } from './kosinski-encode.js';
import { copyMatch } from './copy.js';

/**
 * Default output limit: 64 KiB, all of the 68000's work RAM, where games decompress Kosinski
 * (sega.md §2.5). The stream has no size field; pass `maximumOutputSizeInBytes` for more.
 */
export const defaultKosinskiOutputLimitInBytes = 0x10000;

/**
 * Where decodes under the default limit are walked once; only bytes a walk wrote are read back,
 * so it needs no clearing between calls (calls are synchronous, one per thread).
 */
const kosinskiScratch = new GrowableOutput(defaultKosinskiOutputLimitInBytes, defaultKosinskiOutputLimitInBytes);

/** Where a Kosinski stream ends too soon, by what it was reading (the truncation messages). */
export const kosinskiTruncationText = {
  firstDescriptor: 'input ends inside the first descriptor',
  descriptor: 'input ends inside a descriptor',
  literal: 'input ends inside a literal',
  inlineMatch: 'input ends inside an inline match',
  fullMatch: 'input ends inside a full match',
  extendedMatch: 'input ends inside an extended match',
} as const;

/** The message of a copy that reaches before the start of the output. */
export function kosinskiBeforeStartText(distance: number, produced: number): string {
  return `reference before start of output: copy from ${distance} bytes back at output position ${produced}`;
}

/** Where the last successful walk ended (absolute input index) and how much it produced. */
export const kosinskiWalkResult = { end: 0, size: 0 };

/**
 * Decodes into `out` (from `outStart`, null to validate only) the Kosinski stream at `offset`,
 * producing at most `limit` bytes. Returns false with `walkFailure` set on bad input.
 */
export function walkKosinski(bytes: Uint8Array, offset: number, limit: number, out: GrowableOutput | null, outStart: number): boolean {
  const end = bytes.length;
  let p = offset;
  if (end - p < 2) return fail(walkTruncated, p, kosinskiTruncationText.firstDescriptor);
  let descriptor = bytes[p]! | (bytes[p + 1]! << 8);
  p += 2;
  let bitsLeft = 16;
  let produced = 0;
  let buffer = out === null ? null : out.bytes;
  for (;;) {
    // Control bits, LSB first; a fresh descriptor is fetched the moment the 16th bit is used.
    let bit = descriptor & 1;
    descriptor >>>= 1;
    if (--bitsLeft === 0) {
      if (end - p < 2) return fail(walkTruncated, p, kosinskiTruncationText.descriptor);
      descriptor = bytes[p]! | (bytes[p + 1]! << 8);
      p += 2;
      bitsLeft = 16;
    }
    if (bit === 1) {
      if (p >= end) return fail(walkTruncated, p, kosinskiTruncationText.literal);
      if (produced >= limit) return fail(walkOutputLimit, p, '', produced + 1, limit);
      if (buffer !== null) {
        if (outStart + produced >= buffer.length) buffer = out!.ensure(outStart + produced + 1);
        buffer[outStart + produced] = bytes[p]!;
      }
      p++;
      produced++;
      continue;
    }
    bit = descriptor & 1;
    descriptor >>>= 1;
    if (--bitsLeft === 0) {
      if (end - p < 2) return fail(walkTruncated, p, kosinskiTruncationText.descriptor);
      descriptor = bytes[p]! | (bytes[p + 1]! << 8);
      p += 2;
      bitsLeft = 16;
    }
    let length: number;
    let distance: number;
    const commandOffset = p;
    if (bit === 0) {
      // Inline match: two more control bits (h, l), then the offset byte.
      const high = descriptor & 1;
      descriptor >>>= 1;
      if (--bitsLeft === 0) {
        if (end - p < 2) return fail(walkTruncated, p, kosinskiTruncationText.descriptor);
        descriptor = bytes[p]! | (bytes[p + 1]! << 8);
        p += 2;
        bitsLeft = 16;
      }
      const low = descriptor & 1;
      descriptor >>>= 1;
      if (--bitsLeft === 0) {
        if (end - p < 2) return fail(walkTruncated, p, kosinskiTruncationText.descriptor);
        descriptor = bytes[p]! | (bytes[p + 1]! << 8);
        p += 2;
        bitsLeft = 16;
      }
      if (p >= end) return fail(walkTruncated, p, kosinskiTruncationText.inlineMatch);
      length = 2 + high * 2 + low;
      distance = 0x100 - bytes[p]!;
      p++;
    } else {
      if (end - p < 2) return fail(walkTruncated, p, kosinskiTruncationText.fullMatch);
      const low = bytes[p]!;
      const high = bytes[p + 1]!;
      p += 2;
      distance = 0x2000 - (((high & 0xf8) << 5) | low);
      if ((high & 7) !== 0) {
        length = (high & 7) + 2;
      } else {
        if (p >= end) return fail(walkTruncated, p, kosinskiTruncationText.extendedMatch);
        const count = bytes[p++]!;
        if (count === 0) break;
        // `N = 1` is Sega's no-op marker (one per 0xA000 input bytes): nothing to copy.
        if (count === 1) continue;
        length = count + 1;
      }
    }
    if (distance > produced) return fail(walkCorrupt, commandOffset, kosinskiBeforeStartText(distance, produced));
    if (length > limit - produced) return fail(walkOutputLimit, commandOffset, '', produced + length, limit);
    if (buffer !== null) {
      const at = outStart + produced;
      if (at + length > buffer.length) buffer = out!.ensure(at + length);
      // Short copies byte by byte; long ones as blocks (an overlapping one repeats its pattern
      // in doubling blocks: copy.ts).
      if (length < 16) for (let k = 0; k < length; k++) buffer[at + k] = buffer[at + k - distance]!;
      else copyMatch(buffer, at, distance, length);
    }
    produced += length;
  }
  kosinskiWalkResult.end = p;
  kosinskiWalkResult.size = produced;
  return true;
}

/**
 * Decodes the Kosinski stream at `offset`. `packedLength` runs to the terminator's last byte
 * (a descriptor already fetched counts); the zero padding compressors add after it does not.
 */
export function decodeKosinski(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  checkStart(bytes, offset);
  const limit = outputLimitInBytes(limits, defaultKosinskiOutputLimitInBytes);
  // Under the default limit: one walk into the scratch (it never grows: the walk stops at the
  // limit), then an exact copy out.
  if (limit <= kosinskiScratch.bytes.length) {
    if (!walkKosinski(bytes, offset, limit, kosinskiScratch, 0)) throwWalkFailure('kosinski');
    return { data: kosinskiScratch.bytes.slice(0, kosinskiWalkResult.size), packedLength: kosinskiWalkResult.end - offset };
  }
  // A larger limit: a first walk validates and sizes the output; the second fills an exact buffer.
  if (!walkKosinski(bytes, offset, limit, null, 0)) throwWalkFailure('kosinski');
  const out = new GrowableOutput(kosinskiWalkResult.size, limit);
  if (!walkKosinski(bytes, offset, limit, out, 0)) throwWalkFailure('kosinski');
  return { data: out.bytes, packedLength: kosinskiWalkResult.end - offset };
}

/** Validates the Kosinski stream at `offset` without building output; null when invalid. */
export function probeKosinski(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  if (!isValidStart(bytes, offset)) return null;
  if (!walkKosinski(bytes, offset, outputLimitInBytes(limits, defaultKosinskiOutputLimitInBytes), null, 0)) return null;
  return { packedLength: kosinskiWalkResult.end - offset, unpackedLength: kosinskiWalkResult.size };
}

/** The TypeScript reference kernels. */
export const typescriptKosinskiKernels: DecodeKernels = { implementation: 'typescript', decode: decodeKosinski, probe: probeKosinski };

const kosinskiKernelSlot = new KernelSlot(typescriptKosinskiKernels);

/** The Kosinski kernels in use now. */
export function kosinskiKernels(): DecodeKernels {
  return kosinskiKernelSlot.active;
}

/** Installs other Kosinski kernels (the native loader does this); returns the previous ones. */
export function setKosinskiKernels(kernels: DecodeKernels): DecodeKernels {
  return kosinskiKernelSlot.set(kernels);
}

/** Kosinski: Mega Drive LZSS (Sonic 1–3 & Knuckles chunks, blocks, art, layouts). */
export const kosinskiCodec: Codec = {
  name: 'kosinski',
  description: 'Sega Kosinski (Mega Drive LZSS, 8 KiB window, terminator-ended); level accurate = Sega\'s compressor byte for byte',
  platforms: ['md'],
  levels: kosinskiLevels,
  defaultLevel: 'max',
  canCompress: true,
  decompress: (bytes, offset, limits) => kosinskiKernelSlot.active.decode(bytes, offset, limits),
  probe: (bytes, offset, limits) => kosinskiKernelSlot.active.probe(bytes, offset, limits),
  compress: compressKosinski,
};
