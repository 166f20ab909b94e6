/**
 * GBA BIOS difference filters (type 0x81: 8-bit units, 0x82: 16-bit little-endian units).
 * Decode only: after the header come `size` bytes; unit k of the output is the running sum of
 * units 0…k (mod 2^8 or 2^16).
 */
import { CodecOptionError, CodecStreamCorruptError, CodecStreamTruncatedError } from '../../errors.js';
import type { Codec, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { gbaBiosHeaderSizeInBytes, gbaTypeDiff16, gbaTypeDiff8, probeGbaBiosHeader, readGbaBiosHeader } from './header.js';

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

export const gbaDiffCodec: Codec = {
  name: 'diff',
  description: 'GBA BIOS difference filter, 8- or 16-bit (header type 0x81 / 0x82); decode only',
  levels: [],
  defaultLevel: '',
  platforms: ['gba'],
  canCompress: false,
  decompress: decodeGbaDiff,
  probe: probeGbaDiff,
  compress() {
    throw new CodecOptionError('diff', 'romgfx decodes GBA difference filters but does not encode them');
  },
};
