/**
 * The 4-byte header every GBA BIOS decompression function reads (platforms.md, "GBA BIOS
 * compression"): type byte, then the output size as a 24-bit little-endian number.
 */
import { CodecInputTooLargeError, CodecOutputLimitError, CodecStreamTruncatedError, GbaBiosHeaderError, InvalidArgumentError, hex } from '../../errors.js';
import type { DecodeLimits } from '../types.js';

export const gbaBiosHeaderSizeInBytes = 4;
/** The size field is 24 bits. */
export const maximumGbaBiosOutputSizeInBytes = 0xffffff;
/** Default cap on what a decoder will allocate when the caller gives no limit. */
export const defaultGbaDecodeLimitInBytes = 16 * 1024 * 1024;
/** The compressors search exhaustively; inputs beyond this are refused (GBA art is far smaller). */
export const maximumGbaCompressInputSizeInBytes = 1024 * 1024;

export const gbaTypeLz77 = 0x10;
export const gbaTypeLz11 = 0x11;
export const gbaTypeHuffman4 = 0x24;
export const gbaTypeHuffman8 = 0x28;
export const gbaTypeRle = 0x30;
export const gbaTypeDiff8 = 0x81;
export const gbaTypeDiff16 = 0x82;

export interface GbaBiosHeader {
  type: number;
  outputSize: number;
}

/** Reads and checks the header at `offset`: type one of `accepted`, size within the caller's limit. */
export function readGbaBiosHeader(codec: string, bytes: Uint8Array, offset: number, accepted: readonly number[], limits?: DecodeLimits): GbaBiosHeader {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new InvalidArgumentError(`offset ${hex(offset)} is outside the ${bytes.length}-byte input`, { offset, size: bytes.length });
  }
  if (bytes.length - offset < gbaBiosHeaderSizeInBytes) throw new CodecStreamTruncatedError(codec, offset, 'no room for the 4-byte header');
  const type = bytes[offset]!;
  if (!accepted.includes(type)) {
    throw new GbaBiosHeaderError(offset, `type byte 0x${type.toString(16).padStart(2, '0')} is not ${codec} (expects ${accepted.map((t) => '0x' + t.toString(16)).join(' or ')})`, {
      type,
    });
  }
  const outputSize = bytes[offset + 1]! | (bytes[offset + 2]! << 8) | (bytes[offset + 3]! << 16);
  const limit = limits?.maximumOutputSizeInBytes ?? defaultGbaDecodeLimitInBytes;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidArgumentError(`maximumOutputSizeInBytes must be a non-negative integer, not ${limit}`);
  if (outputSize > limit) throw new CodecOutputLimitError(codec, offset, outputSize, limit);
  return { type, outputSize };
}

/** Header probe without exceptions: the declared size, or -1 when the header is unusable. */
export function probeGbaBiosHeader(bytes: Uint8Array, offset: number, accepted: readonly number[], limits?: DecodeLimits): number {
  if (!Number.isSafeInteger(offset) || offset < 0 || bytes.length - offset < gbaBiosHeaderSizeInBytes) return -1;
  if (!accepted.includes(bytes[offset]!)) return -1;
  const outputSize = bytes[offset + 1]! | (bytes[offset + 2]! << 8) | (bytes[offset + 3]! << 16);
  const limit = limits?.maximumOutputSizeInBytes ?? defaultGbaDecodeLimitInBytes;
  return outputSize > limit ? -1 : outputSize;
}

export function checkGbaCompressInput(codec: string, data: Uint8Array): void {
  if (data.length > maximumGbaCompressInputSizeInBytes) throw new CodecInputTooLargeError(codec, data.length, maximumGbaCompressInputSizeInBytes);
}

/** Writes the header for `type` and `size` into `out[0..4)`. */
export function writeGbaBiosHeader(out: Uint8Array, type: number, size: number): void {
  out[0] = type;
  out[1] = size & 0xff;
  out[2] = (size >> 8) & 0xff;
  out[3] = (size >> 16) & 0xff;
}

/** BIOS sources must be word-aligned, so what follows a stream in ROM starts at a multiple of 4. */
export function padToWord(length: number): number {
  return (length + 3) & ~3;
}
