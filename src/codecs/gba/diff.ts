/**
 * GBA BIOS difference filters (type 0x81: 8-bit units, 0x82: 16-bit little-endian units).
 * After the header come `size` bytes; unit k of the output is the running sum of units 0…k
 * (mod 2^8 or 2^16). The encoder writes each unit minus the one before it (the only encoding
 * there is), padded to a word like the other BIOS streams; `variant` '8' (default) or '16'.
 * The filter does not shrink anything by itself: games run it before LZ77 or Huffman.
 */
import { CodecInputShapeError, CodecOptionError, CodecStreamCorruptError, CodecStreamTruncatedError } from '../../errors.js';
import type { Codec, CompressOptions, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { checkGbaCompressInput, gbaBiosHeaderSizeInBytes, gbaTypeDiff16, gbaTypeDiff8, padToWord, probeGbaBiosHeader, readGbaBiosHeader, writeGbaBiosHeader } from './header.js';

const acceptedTypes = [gbaTypeDiff8, gbaTypeDiff16] as const;

/**
 * Decodes a GBA BIOS Diff-filter stream (8- or 16-bit deltas, header type 0x8x) at `offset`; decode
 * only, as the BIOS has no encoder for it.
 */
export function decodeGbaDiff(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  const header = readGbaBiosHeader('diff', bytes, offset, acceptedTypes, limits);
  const size = header.outputSize;
  const start = offset + gbaBiosHeaderSizeInBytes;
  if (header.type === gbaTypeDiff16 && size % 2 !== 0) throw new CodecStreamCorruptError('diff', offset, `16-bit filter with an odd size (${size})`, { size });
  if (bytes.length - start < size) throw new CodecStreamTruncatedError('diff', bytes.length, `needs ${size} bytes after the header, has ${bytes.length - start}`);
  const out = new Uint8Array(size);
  if (header.type === gbaTypeDiff8) {
    let sum = 0;
    for (let i = 0; i < size; i++) {
      sum = (sum + bytes[start + i]!) & 0xff;
      out[i] = sum;
    }
  } else {
    let sum = 0;
    for (let i = 0; i < size; i += 2) {
      sum = (sum + (bytes[start + i]! | (bytes[start + i + 1]! << 8))) & 0xffff;
      out[i] = sum & 0xff;
      out[i + 1] = sum >> 8;
    }
  }
  return { data: out, packedLength: gbaBiosHeaderSizeInBytes + size };
}

export function probeGbaDiff(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  const size = probeGbaBiosHeader(bytes, offset, acceptedTypes, limits);
  if (size < 0) return null;
  if (bytes[offset] === gbaTypeDiff16 && size % 2 !== 0) return null;
  if (bytes.length - offset - gbaBiosHeaderSizeInBytes < size) return null;
  return { packedLength: gbaBiosHeaderSizeInBytes + size, unpackedLength: size };
}

/** Filters `data` with the 8-bit (type 0x81) or 16-bit (0x82, even length only) difference filter. */
export function encodeGbaDiff(data: Uint8Array, options: { unitBits?: 8 | 16 } = {}): Uint8Array {
  checkGbaCompressInput('diff', data);
  const sixteen = options.unitBits === 16;
  if (sixteen && data.length % 2 !== 0) throw new CodecInputShapeError('diff', data.length, 'the 16-bit filter needs an even number of bytes');
  const n = data.length;
  const out = new Uint8Array(padToWord(gbaBiosHeaderSizeInBytes + n));
  writeGbaBiosHeader(out, sixteen ? gbaTypeDiff16 : gbaTypeDiff8, n);
  const start = gbaBiosHeaderSizeInBytes;
  if (!sixteen) {
    let previous = 0;
    for (let i = 0; i < n; i++) {
      out[start + i] = (data[i]! - previous) & 0xff;
      previous = data[i]!;
    }
  } else {
    let previous = 0;
    for (let i = 0; i < n; i += 2) {
      const unit = data[i]! | (data[i + 1]! << 8);
      const delta = (unit - previous) & 0xffff;
      out[start + i] = delta & 0xff;
      out[start + i + 1] = delta >> 8;
      previous = unit;
    }
  }
  return out;
}

function compressDiff(data: Uint8Array, options: CompressOptions = {}): Uint8Array {
  if (options.level !== undefined && String(options.level) !== 'max') {
    throw new CodecOptionError('diff', `unknown level "${options.level}"; levels: max`, { level: options.level });
  }
  const variant = options.variant;
  if (variant === undefined || variant === '8') return encodeGbaDiff(data, { unitBits: 8 });
  if (variant === '16') return encodeGbaDiff(data, { unitBits: 16 });
  throw new CodecOptionError('diff', `unknown variant "${variant}"; variants: 8 (type 0x81, the default), 16 (type 0x82)`, { variant });
}

export const gbaDiffCodec: Codec = {
  name: 'diff',
  description: 'GBA BIOS difference filter, 8- or 16-bit (header type 0x81 / 0x82); --variant 8|16, default 8',
  levels: ['max'],
  defaultLevel: 'max',
  platforms: ['gba'],
  canCompress: true,
  decompress: decodeGbaDiff,
  probe: probeGbaDiff,
  compress: compressDiff,
};
