/**
 * GBA BIOS run-length (type 0x30): platforms.md. Flag byte: bit 7 set = a run of
 * (flag & 0x7F) + 3 copies of the next byte; clear = (flag & 0x7F) + 1 literal bytes.
 * The encoder is an exact byte-optimal parse (runs of 3…130, literal runs of 1…128).
 */
import { CodecOptionError, CodecStreamCorruptError, CodecStreamTruncatedError } from '../../errors.js';
import type { Codec, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { checkGbaCompressInput, gbaBiosHeaderSizeInBytes, gbaTypeRle, padToWord, probeGbaBiosHeader, readGbaBiosHeader, writeGbaBiosHeader } from './header.js';

const minimumRun = 3;
const maximumRun = 130;
const maximumLiteralRun = 128;

let walkEnd = 0;
let failureOffset = 0;
let failureTruncated = false;

function walkRle(bytes: Uint8Array, start: number, size: number, out: Uint8Array | null): boolean {
  const end = bytes.length;
  let inPos = start;
  let outPos = 0;
  while (outPos < size) {
    if (inPos >= end) {
      failureOffset = inPos;
      failureTruncated = true;
      return false;
    }
    const flagOffset = inPos;
    const flag = bytes[inPos++]!;
    const run = (flag & 0x80) !== 0;
    const count = run ? (flag & 0x7f) + minimumRun : (flag & 0x7f) + 1;
    const needed = run ? 1 : count;
    if (end - inPos < needed) {
      failureOffset = inPos;
      failureTruncated = true;
      return false;
    }
    if (count > size - outPos) {
      failureOffset = flagOffset;
      failureTruncated = false;
      return false;
    }
    if (out !== null) {
      if (run) out.fill(bytes[inPos]!, outPos, outPos + count);
      else out.set(bytes.subarray(inPos, inPos + count), outPos);
    }
    inPos += needed;
    outPos += count;
  }
  walkEnd = inPos;
  return true;
}

/** Decodes a GBA BIOS run-length stream (header type 0x30) at `offset`. */
export function decodeGbaRle(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  const header = readGbaBiosHeader('rle', bytes, offset, [gbaTypeRle], limits);
  const out = new Uint8Array(header.outputSize);
  if (!walkRle(bytes, offset + gbaBiosHeaderSizeInBytes, header.outputSize, out)) {
    if (failureTruncated) throw new CodecStreamTruncatedError('rle', failureOffset, 'input ends before the declared output size is reached');
    throw new CodecStreamCorruptError('rle', failureOffset, 'run goes past the declared output size');
  }
  return { data: out, packedLength: walkEnd - offset };
}

export function probeGbaRle(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  const size = probeGbaBiosHeader(bytes, offset, [gbaTypeRle], limits);
  if (size < 0 || !walkRle(bytes, offset + gbaBiosHeaderSizeInBytes, size, null)) return null;
  return { packedLength: walkEnd - offset, unpackedLength: size };
}

/** Compresses to GBA BIOS run-length (type 0x30): runs of 3-130 equal bytes, literals of 1-128; the shortest stream for the format. */
export function encodeGbaRle(data: Uint8Array): Uint8Array {
  checkGbaCompressInput('rle', data);
  const n = data.length;
  const run = new Int32Array(n + 1);
  for (let i = n - 1; i >= 0; i--) run[i] = i + 1 < n && data[i + 1] === data[i] ? Math.min(run[i + 1]! + 1, maximumRun) : 1;
  const cost = new Int32Array(n + 1);
  // Positive: literal run of that many bytes; negative: a repeat run of that many bytes.
  const choice = new Int32Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let best = 0x7fffffff;
    let bestChoice = 1;
    const literalLimit = Math.min(maximumLiteralRun, n - i);
    for (let k = 1; k <= literalLimit; k++) {
      const c = 1 + k + cost[i + k]!;
      if (c < best) {
        best = c;
        bestChoice = k;
      }
    }
    for (let k = minimumRun; k <= run[i]!; k++) {
      const c = 2 + cost[i + k]!;
      if (c < best) {
        best = c;
        bestChoice = -k;
      }
    }
    cost[i] = best;
    choice[i] = bestChoice;
  }
  const out = new Uint8Array(padToWord(gbaBiosHeaderSizeInBytes + cost[0]!));
  writeGbaBiosHeader(out, gbaTypeRle, n);
  let position = gbaBiosHeaderSizeInBytes;
  for (let i = 0; i < n; ) {
    const c = choice[i]!;
    if (c > 0) {
      out[position++] = c - 1;
      out.set(data.subarray(i, i + c), position);
      position += c;
      i += c;
    } else {
      out[position++] = 0x80 | (-c - minimumRun);
      out[position++] = data[i]!;
      i += -c;
    }
  }
  return out;
}

export const gbaRleCodec: Codec = {
  name: 'rle',
  description: 'GBA BIOS run-length (header type 0x30)',
  levels: ['optimal'],
  defaultLevel: 'optimal',
  platforms: ['gba'],
  canCompress: true,
  decompress: decodeGbaRle,
  probe: probeGbaRle,
  compress(data, options = {}) {
    if (options.level !== undefined && String(options.level) !== 'optimal') throw new CodecOptionError('rle', `unknown level "${options.level}"; levels: optimal`);
    return encodeGbaRle(data);
  },
};
