/**
 * PB16 (Damian Yerrick's Game Boy packer): each packet is one flag byte covering 8 output
 * bytes, read MSB first. A set bit repeats the byte two positions back (the same bitplane of
 * the previous tile row); a clear bit reads a literal. Before the first two output bytes the
 * "two back" bytes are 0, as in the reference encoder and decoder. The stream has no length of
 * its own, so decoding needs the output size (`limits.outputSizeInBytes`); a final partial
 * packet uses only its leading flag bits.
 *
 * The encoder is the only encoding there is: each byte is a repeat exactly when it equals the
 * byte two back.
 */
import { CodecOptionError, CodecOutputLimitError, CodecStreamTruncatedError, InvalidArgumentError, hex } from '../errors.js';
import type { Codec, DecodeLimits, DecodeResult, ProbeResult } from './types.js';

/** Default cap on the output size a caller may ask for. */
export const defaultPb16DecodeLimitInBytes = 16 * 1024 * 1024;
const bytesPerPacket = 8;

let walkEnd = 0;
let failureOffset = 0;

function walkPb16(bytes: Uint8Array, start: number, size: number, out: Uint8Array | null): boolean {
  const end = bytes.length;
  let inPos = start;
  let outPos = 0;
  // The two bytes before the current one, per parity (the "two back" byte).
  let back0 = 0;
  let back1 = 0;
  while (outPos < size) {
    if (inPos >= end) {
      failureOffset = inPos;
      return false;
    }
    const flags = bytes[inPos++]!;
    for (let bit = 0; bit < bytesPerPacket && outPos < size; bit++) {
      let value: number;
      if (flags & (0x80 >> bit)) {
        value = back0;
      } else {
        if (inPos >= end) {
          failureOffset = inPos;
          return false;
        }
        value = bytes[inPos++]!;
      }
      if (out !== null) out[outPos] = value;
      back0 = back1;
      back1 = value;
      outPos++;
    }
  }
  walkEnd = inPos;
  return true;
}

function requestedSize(codec: string, bytes: Uint8Array, offset: number, limits: DecodeLimits | undefined): number {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new InvalidArgumentError(`offset ${hex(offset)} is outside the ${bytes.length}-byte input`, { offset, size: bytes.length });
  }
  const size = limits?.outputSizeInBytes;
  if (size === undefined) throw new CodecOptionError(codec, 'PB16 streams do not record their length; give the output size');
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidArgumentError(`outputSizeInBytes must be a non-negative integer, not ${size}`);
  const limit = limits?.maximumOutputSizeInBytes ?? defaultPb16DecodeLimitInBytes;
  if (size > limit) throw new CodecOutputLimitError(codec, offset, size, limit);
  return size;
}

/**
 * Decodes PB16 (Damian Yerrick's Game Boy packer) at `offset`; the output size must come from
 * `limits.outputSizeInBytes`, as the stream does not store it.
 */
export function decodePb16(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  const size = requestedSize('pb16', bytes, offset, limits);
  const out = new Uint8Array(size);
  if (!walkPb16(bytes, offset, size, out)) throw new CodecStreamTruncatedError('pb16', failureOffset, `input ends before ${size} bytes are decoded`);
  return { data: out, packedLength: walkEnd - offset };
}

export function probePb16(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  const size = limits?.outputSizeInBytes;
  if (size === undefined || !Number.isSafeInteger(size) || size < 0 || size > (limits?.maximumOutputSizeInBytes ?? defaultPb16DecodeLimitInBytes)) return null;
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) return null;
  if (!walkPb16(bytes, offset, size, null)) return null;
  return { packedLength: walkEnd - offset, unpackedLength: size };
}

/** Compresses to PB16: one flag byte per 8 output bytes; a byte equal to the one two back (the same bitplane a row up) becomes a flag bit. */
export function encodePb16(data: Uint8Array): Uint8Array {
  const n = data.length;
  const out = new Uint8Array(n + Math.ceil(n / bytesPerPacket));
  let o = 0;
  for (let packet = 0; packet < n; packet += bytesPerPacket) {
    const flagPosition = o++;
    let flags = 0;
    const packetEnd = Math.min(n, packet + bytesPerPacket);
    for (let i = packet; i < packetEnd; i++) {
      const twoBack = i >= 2 ? data[i - 2]! : 0;
      if (data[i] === twoBack) flags |= 0x80 >> (i - packet);
      else out[o++] = data[i]!;
    }
    out[flagPosition] = flags;
  }
  return out.slice(0, o);
}

export const pb16Codec: Codec = {
  name: 'pb16',
  description: 'PB16 Game Boy packer (flag byte per 8 bytes; repeat from 2 back); decoding needs the output size',
  levels: ['only'],
  defaultLevel: 'only',
  platforms: ['gb', 'gbc'],
  canCompress: true,
  decompress: decodePb16,
  probe: probePb16,
  compress(data, options = {}) {
    if (options.level !== undefined && String(options.level) !== 'only') throw new CodecOptionError('pb16', `unknown level "${options.level}"; PB16 has one encoding`);
    return encodePb16(data);
  },
};
