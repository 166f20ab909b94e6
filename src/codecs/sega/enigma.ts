/**
 * Enigma (sega.md §4): Sega's plane-map coder. A 6-byte header (inline value width P, flag
 * mask M, the incrementing word INC, the common word COM), then an MSB-first bitstream of
 * entries: INC runs (INC keeps counting), COM runs, inline runs that repeat, count up or count
 * down from one inline value, literal groups, and the `111 1111` terminator. Inline values are
 * the flag bits M allows (priority, palette, flips) plus P low bits, added in 16 bits as the
 * 68000 routine does. Words are big-endian; the stream is decoded with base tile 0 (§4.4).
 */
import type { Codec, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { GrowableOutput, checkStart, fail, isValidStart, outputLimitInBytes, throwWalkFailure, walkCorrupt, walkOutputLimit, walkTruncated } from './common.js';
import { compressEnigma, enigmaLevels } from './enigma-encode.js';

/**
 * Default output limit: 64 KiB, all of VRAM (no plane map is larger). The stream has no size:
 * give `outputSizeInBytes` (width × height × 2) or `maximumOutputSizeInBytes` to bound it
 * tighter. A stream that ends short of that size is not an error (games stop writing).
 */
export const defaultEnigmaOutputLimitInBytes = 0x10000;
/** Header bytes: P, M, INC (word), COM (word). */
export const enigmaHeaderSizeInBytes = 6;
const maximumPacketLengthInBits = 16;
const maximumFlagMask = 0x1f;

/** Word flag bits for each value of the compacted flag field, rebuilt per walk (module scratch). */
const flagsByField = new Uint16Array(32);

let walkEnd = 0;
let walkSize = 0;
let walkEndBit = 0;

/**
 * Where the terminator of the last Enigma stream walked without failure (by `probeEnigma` or
 * `decodeEnigma`) ends: bits from the stream's start. Encoders pad what follows with zero bits
 * up to `packedLength` (§4.3); the scanner checks that the padding is zero.
 */
export function lastEnigmaTerminatorEndInBits(): number {
  return walkEndBit;
}

function walkEnigma(bytes: Uint8Array, offset: number, limit: number, out: GrowableOutput | null): boolean {
  const end = bytes.length;
  if (end - offset < enigmaHeaderSizeInBytes) return fail(walkTruncated, offset, 'input ends inside the 6-byte header');
  const packetLength = bytes[offset]!;
  const mask = bytes[offset + 1]!;
  if (packetLength === 0 || packetLength > maximumPacketLengthInBits) return fail(walkCorrupt, offset, `bad packet length ${packetLength} (valid 1..16)`);
  if (mask > maximumFlagMask) return fail(walkCorrupt, offset + 1, `bad flag mask 0x${mask.toString(16)} (only bits 4..0 mean anything)`);
  let increment = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
  const common = (bytes[offset + 4]! << 8) | bytes[offset + 5]!;
  // Mask bits 4..0 stand for word bits 15..11 and are read in that order (§4.3).
  let flagCount = 0;
  for (let b = 4; b >= 0; b--) if ((mask >>> b) & 1) flagCount++;
  for (let field = 0; field < 1 << flagCount; field++) {
    let flags = 0;
    let fieldBit = flagCount - 1;
    for (let b = 4; b >= 0; b--) {
      if (((mask >>> b) & 1) === 0) continue;
      if ((field >>> fieldBit) & 1) flags |= 1 << (11 + b);
      fieldBit--;
    }
    flagsByField[field] = flags;
  }
  const valueMask = packetLength === 16 ? 0xffff : (1 << packetLength) - 1;
  const totalBits = end * 8;
  let produced = 0;
  let buffer = out === null ? null : out.bytes;

  // Bits come from a 32-bit accumulator refilled a byte at a time (zeros past the end); the
  // position check after each entry and inline value catches a stream that needed them.
  let accumulator = 0;
  let available = 0;
  let next = offset + enigmaHeaderSizeInBytes;
  const flagShift = packetLength;
  for (;;) {
    const entryOffset = next - (available >>> 3);
    if (available < 7) {
      accumulator = (accumulator << 8) | (next < end ? bytes[next]! : 0);
      next++;
      available += 8;
    }
    // Entry header: 2 bits (00 INC, 01 COM) or 3 bits (100..111), then a 4-bit count.
    let kind: number;
    const top = (accumulator >>> (available - 2)) & 3;
    if (top < 2) {
      kind = top;
      available -= 2;
    } else {
      kind = 2 + ((accumulator >>> (available - 3)) & 3);
      available -= 3;
    }
    if (available < 4) {
      accumulator = (accumulator << 8) | (next < end ? bytes[next]! : 0);
      next++;
      available += 8;
    }
    const count = ((accumulator >>> (available - 4)) & 15) + 1;
    available -= 4;
    if (next * 8 - available > totalBits) return fail(walkTruncated, end, 'input ends before the terminator');
    if (kind === 5 && count === 16) break;
    if (produced + count * 2 > limit) return fail(walkOutputLimit, entryOffset, 'output over the limit', produced + count * 2, limit);
    if (buffer !== null && produced + count * 2 > buffer.length) buffer = out!.ensure(produced + count * 2);
    if (kind < 2) {
      let word = kind === 0 ? increment : common;
      const step = kind === 0 ? 1 : 0;
      if (kind === 0) increment = (increment + count) & 0xffff;
      if (buffer !== null) {
        for (let k = 0; k < count; k++) {
          buffer[produced + 2 * k] = word >>> 8;
          buffer[produced + 2 * k + 1] = word & 0xff;
          word = (word + step) & 0xffff;
        }
      }
      produced += count * 2;
      continue;
    }
    const values = kind === 5 ? count : 1;
    let word = 0;
    const step = kind === 2 ? 0 : kind === 3 ? 1 : -1;
    for (let v = 0; v < values; v++) {
      // An inline value: the masked flag bits, then P low bits (at most 21 bits in all).
      while (available <= 24) {
        accumulator = (accumulator << 8) | (next < end ? bytes[next]! : 0);
        next++;
        available += 8;
      }
      const width = flagCount + packetLength;
      const field = (accumulator >>> (available - width)) & (width === 32 ? 0xffffffff : (1 << width) - 1);
      available -= width;
      // The 68000 routine adds the flags to the packet; it equals OR for P <= 11.
      word = (flagsByField[field >>> flagShift]! + (field & valueMask)) & 0xffff;
      if (next * 8 - available > totalBits) return fail(walkTruncated, end, kind === 5 ? 'input ends inside a literal group' : 'input ends inside an inline value');
      if (kind === 5 && buffer !== null) {
        buffer[produced] = word >>> 8;
        buffer[produced + 1] = word & 0xff;
        produced += 2;
      }
    }
    if (kind === 5) {
      if (buffer === null) produced += count * 2;
      continue;
    }
    if (buffer !== null) {
      for (let k = 0; k < count; k++) {
        buffer[produced + 2 * k] = word >>> 8;
        buffer[produced + 2 * k + 1] = word & 0xff;
        word = (word + step) & 0xffff;
      }
    }
    produced += count * 2;
  }
  const bit = next * 8 - available;
  // Zero bits to a byte, then a byte to an even length: the 68000 routine leaves its pointer
  // on the next word (§4.3). A missing pad byte at the very end of the input is not required.
  let used = ((bit + 7) >>> 3) - offset;
  if ((used & 1) !== 0 && offset + used < end) used++;
  walkEnd = offset + used;
  walkSize = produced;
  walkEndBit = bit - offset * 8;
  return true;
}

function enigmaLimit(limits: DecodeLimits | undefined): number {
  const limit = outputLimitInBytes(limits, defaultEnigmaOutputLimitInBytes);
  const expected = limits?.outputSizeInBytes;
  return expected !== undefined && Number.isFinite(expected) && expected >= 0 ? Math.min(limit, Math.floor(expected)) : limit;
}

/**
 * Decodes the Enigma stream at `offset` (base tile 0). `packedLength` includes the terminator's
 * byte padding and the pad byte to an even length when the input has it.
 */
export function decodeEnigma(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  checkStart(bytes, offset);
  const limit = enigmaLimit(limits);
  // A first walk validates and sizes the output; the second fills an exact buffer.
  if (!walkEnigma(bytes, offset, limit, null)) throwWalkFailure('enigma');
  const out = new GrowableOutput(walkSize, limit);
  if (!walkEnigma(bytes, offset, limit, out)) throwWalkFailure('enigma');
  return { data: out.bytes, packedLength: walkEnd - offset };
}

/** Validates the Enigma stream at `offset` without building output; null when invalid. */
export function probeEnigma(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  if (!isValidStart(bytes, offset)) return null;
  if (!walkEnigma(bytes, offset, enigmaLimit(limits), null)) return null;
  return { packedLength: walkEnd - offset, unpackedLength: walkSize };
}

/** Enigma: Mega Drive plane maps (16-bit pattern name words). */
export const enigmaCodec: Codec = {
  name: 'enigma',
  description: 'Sega Enigma (Mega Drive plane maps): big-endian 16-bit words, run/increment modes and flag-masked inline values; input of whole words',
  platforms: ['md'],
  levels: enigmaLevels,
  defaultLevel: 'max',
  canCompress: true,
  decompress: decodeEnigma,
  probe: probeEnigma,
  compress: compressEnigma,
};
