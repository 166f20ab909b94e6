/**
 * LZ4: the block format (sequences of token, literals, 16-bit offset, match) and the frame
 * format (magic 0x184D2204, descriptor with xxHash32 header check, sized blocks, optional
 * block/content checksums) that homebrew toolchains store. Spec: the LZ4 block and frame
 * format descriptions (lz4 project, v1.6.x of the frame format).
 *
 * A raw block has no length of its own, so decoding one needs the output size
 * (`limits.outputSizeInBytes`); the packed length is then where the last sequence ends.
 * Bytes starting with the frame magic decode as a frame.
 */
import {
  CodecOptionError,
  CodecOutputLimitError,
  CodecStreamCorruptError,
  CodecStreamTruncatedError,
  InvalidArgumentError,
  Lz4ChecksumError,
  Lz4FrameError,
  CodecInputTooLargeError,
  hex,
} from '../../errors.js';
import type { Codec, CompressOptions, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { xxhash32 } from './xxhash32.js';

export const lz4FrameMagic = 0x184d2204;
/** Default cap on frame output when the caller gives none. */
export const defaultLz4DecodeLimitInBytes = 64 * 1024 * 1024;
/** The compressor keeps everything in memory; refuse inputs past this. */
export const maximumLz4CompressInputSizeInBytes = 64 * 1024 * 1024;
const minimumMatchInBytes = 4;
const maximumOffset = 65535;
/** Block format rules: the last 5 bytes are literals; the last match starts ≥ 12 bytes before the end. */
const lastLiteralsInBytes = 5;
const matchStartMarginInBytes = 12;
const frameBlockSizeInBytes = 64 * 1024;

const statusTruncated = 1;
const statusOffset = 2;
const statusOverflow = 3;
let failureStatus = 0;
let failureOffset = 0;
let walkIn = 0;
let walkOut = 0;

function fail(status: number, offset: number): boolean {
  failureStatus = status;
  failureOffset = offset;
  return false;
}

/**
 * Walks sequences from src[inPos..inEnd). `exactOutput`: stop when the output reaches
 * `outLimit` (raw block of known size); otherwise stop when the input ends after literals
 * (a frame block). Writes to `dst` when given. Matches may not reach before `windowStart`.
 */
function walkSequences(
  src: Uint8Array,
  inPos: number,
  inEnd: number,
  dst: Uint8Array | null,
  outPos: number,
  outLimit: number,
  windowStart: number,
  exactOutput: boolean,
): boolean {
  // Every block ends with a literals-only sequence (an empty block is the single token 0x00),
  // so a token is always read first and the block ends right after its literals.
  for (;;) {
    if (inPos >= inEnd) return fail(statusTruncated, inPos);
    const token = src[inPos++]!;
    let literalLength = token >> 4;
    if (literalLength === 15) {
      let b: number;
      do {
        if (inPos >= inEnd) return fail(statusTruncated, inPos);
        b = src[inPos++]!;
        literalLength += b;
      } while (b === 255);
    }
    if (inEnd - inPos < literalLength) return fail(statusTruncated, inEnd);
    if (outLimit - outPos < literalLength) return fail(statusOverflow, inPos);
    if (dst !== null) dst.set(src.subarray(inPos, inPos + literalLength), outPos);
    inPos += literalLength;
    outPos += literalLength;
    if (exactOutput ? outPos === outLimit : inPos === inEnd) break;
    const sequenceOffset = inPos;
    if (inEnd - inPos < 2) return fail(statusTruncated, inPos);
    const offset = src[inPos]! | (src[inPos + 1]! << 8);
    inPos += 2;
    if (offset === 0 || offset > outPos - windowStart) return fail(statusOffset, sequenceOffset);
    let matchLength = (token & 15) + minimumMatchInBytes;
    if ((token & 15) === 15) {
      let b: number;
      do {
        if (inPos >= inEnd) return fail(statusTruncated, inPos);
        b = src[inPos++]!;
        matchLength += b;
      } while (b === 255);
    }
    if (outLimit - outPos < matchLength) return fail(statusOverflow, sequenceOffset);
    if (dst !== null) for (let k = 0; k < matchLength; k++) dst[outPos + k] = dst[outPos + k - offset]!;
    outPos += matchLength;
  }
  walkIn = inPos;
  walkOut = outPos;
  return true;
}

function throwSequenceFailure(what: string): never {
  if (failureStatus === statusTruncated) throw new CodecStreamTruncatedError('lz4', failureOffset, `${what} ends in the middle of a sequence`);
  if (failureStatus === statusOffset) throw new CodecStreamCorruptError('lz4', failureOffset, 'match offset is 0 or reaches before the start of the output');
  throw new CodecStreamCorruptError('lz4', failureOffset, `${what} decodes to more bytes than allowed`);
}

function readU32(bytes: Uint8Array, i: number): number {
  return (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
}

function hasFrameMagic(bytes: Uint8Array, offset: number): boolean {
  return bytes.length - offset >= 4 && readU32(bytes, offset) === lz4FrameMagic;
}

function checkOffset(bytes: Uint8Array, offset: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new InvalidArgumentError(`offset ${hex(offset)} is outside the ${bytes.length}-byte input`, { offset, size: bytes.length });
  }
}

/** Decodes one raw LZ4 block at `offset` whose decoded size is `outputSize`. */
export function decodeLz4Block(bytes: Uint8Array, offset: number, outputSize: number): DecodeResult {
  checkOffset(bytes, offset);
  const out = new Uint8Array(outputSize);
  if (!walkSequences(bytes, offset, bytes.length, out, 0, outputSize, 0, true)) throwSequenceFailure('block');
  return { data: out, packedLength: walkIn - offset };
}

interface FrameDescriptor {
  independent: boolean;
  blockChecksum: boolean;
  contentChecksum: boolean;
  contentSize: number;
  blockMaximum: number;
  dataStart: number;
}

/** Parses and checks the frame header at `offset` (its magic already seen). */
function readFrameDescriptor(bytes: Uint8Array, offset: number, limit: number, verify: boolean): FrameDescriptor {
  if (bytes.length - offset < 7) throw new CodecStreamTruncatedError('lz4', offset, 'frame header is cut short');
  const flg = bytes[offset + 4]!;
  const bd = bytes[offset + 5]!;
  if (flg >> 6 !== 1) throw new Lz4FrameError(offset + 4, `version ${flg >> 6} (only 1 exists)`);
  if (flg & 0x02) throw new Lz4FrameError(offset + 4, 'reserved FLG bit 1 is set');
  if (flg & 0x01) throw new Lz4FrameError(offset + 4, 'the frame needs a dictionary (DictID set); romgfx has none to give');
  if (bd & 0x8f) throw new Lz4FrameError(offset + 5, 'reserved BD bits are set');
  const blockCode = (bd >> 4) & 7;
  if (blockCode < 4) throw new Lz4FrameError(offset + 5, `block maximum size code ${blockCode} is reserved`);
  const hasContentSize = (flg & 0x08) !== 0;
  const descriptorEnd = offset + 6 + (hasContentSize ? 8 : 0);
  if (bytes.length - descriptorEnd < 1) throw new CodecStreamTruncatedError('lz4', descriptorEnd, 'frame header is cut short');
  let contentSize = -1;
  if (hasContentSize) {
    const low = readU32(bytes, offset + 6);
    const high = readU32(bytes, offset + 10);
    const size = high * 0x100000000 + low;
    if (size > limit) throw new CodecOutputLimitError('lz4', offset, size, limit);
    contentSize = size;
  }
  const expected = bytes[descriptorEnd]!;
  const actual = (xxhash32(bytes, offset + 4, descriptorEnd) >>> 8) & 0xff;
  if (verify && expected !== actual) throw new Lz4ChecksumError(descriptorEnd, 'header', expected, actual);
  return {
    independent: (flg & 0x20) !== 0,
    blockChecksum: (flg & 0x10) !== 0,
    contentChecksum: (flg & 0x04) !== 0,
    contentSize,
    blockMaximum: 1 << (8 + 2 * blockCode),
    dataStart: descriptorEnd + 1,
  };
}

function frameLimit(limits: DecodeLimits | undefined): number {
  const limit = limits?.maximumOutputSizeInBytes ?? defaultLz4DecodeLimitInBytes;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidArgumentError(`maximumOutputSizeInBytes must be a non-negative integer, not ${limit}`);
  return limit;
}

/**
 * Walks a frame; with `decode` builds the output and checks every checksum. The output buffer
 * grows block by block, never past the limit.
 */
function walkFrame(bytes: Uint8Array, offset: number, limit: number, decode: boolean): DecodeResult {
  const descriptor = readFrameDescriptor(bytes, offset, limit, decode);
  let pos = descriptor.dataStart;
  let out = new Uint8Array(decode ? Math.min(limit, descriptor.contentSize >= 0 ? descriptor.contentSize : descriptor.blockMaximum) : 0);
  let outPos = 0;
  for (;;) {
    if (bytes.length - pos < 4) throw new CodecStreamTruncatedError('lz4', pos, 'frame ends without its end mark');
    const word = readU32(bytes, pos);
    pos += 4;
    if (word === 0) break;
    const stored = (word & 0x80000000) !== 0;
    const length = word & 0x7fffffff;
    if (length > descriptor.blockMaximum) throw new Lz4FrameError(pos - 4, `block of ${length} bytes exceeds the frame's maximum of ${descriptor.blockMaximum}`);
    if (bytes.length - pos < length + (descriptor.blockChecksum ? 4 : 0)) throw new CodecStreamTruncatedError('lz4', pos, `block of ${length} bytes runs past the input`);
    if (descriptor.blockChecksum) {
      const expected = readU32(bytes, pos + length);
      const actual = xxhash32(bytes, pos, pos + length);
      if (expected !== actual) throw new Lz4ChecksumError(pos + length, 'block', expected, actual);
    }
    const blockLimit = Math.min(outPos + descriptor.blockMaximum, limit);
    if (decode && out.length < blockLimit) {
      const grown = new Uint8Array(Math.min(limit, Math.max(out.length * 2, blockLimit)));
      grown.set(out.subarray(0, outPos));
      out = grown;
    }
    if (stored) {
      if (length > blockLimit - outPos) throw new CodecOutputLimitError('lz4', pos, outPos + length, limit);
      if (decode) out.set(bytes.subarray(pos, pos + length), outPos);
      outPos += length;
    } else {
      const windowStart = descriptor.independent ? outPos : 0;
      if (!walkSequences(bytes, pos, pos + length, decode ? out : null, outPos, blockLimit, windowStart, false)) {
        if (failureStatus === statusOverflow && blockLimit === limit && outPos + descriptor.blockMaximum > limit) {
          throw new CodecOutputLimitError('lz4', failureOffset, limit + 1, limit);
        }
        throwSequenceFailure('block');
      }
      outPos = walkOut;
    }
    pos += length + (descriptor.blockChecksum ? 4 : 0);
  }
  if (descriptor.contentChecksum) {
    if (bytes.length - pos < 4) throw new CodecStreamTruncatedError('lz4', pos, 'frame ends before its content checksum');
    if (decode) {
      const expected = readU32(bytes, pos);
      const actual = xxhash32(out, 0, outPos);
      if (expected !== actual) throw new Lz4ChecksumError(pos, 'content', expected, actual);
    }
    pos += 4;
  }
  if (descriptor.contentSize >= 0 && outPos !== descriptor.contentSize) {
    throw new Lz4FrameError(offset + 6, `header says ${descriptor.contentSize} bytes of content, blocks hold ${outPos}`);
  }
  return { data: decode ? out.slice(0, outPos) : new Uint8Array(0), packedLength: pos - offset };
}

/** Decodes an LZ4 frame (magic 04 22 4D 18) at `offset`, checking the header checksum and, when present, block and content checksums. */
export function decodeLz4Frame(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  checkOffset(bytes, offset);
  if (!hasFrameMagic(bytes, offset)) throw new Lz4FrameError(offset, 'no LZ4 frame magic (04 22 4D 18)');
  return walkFrame(bytes, offset, frameLimit(limits), true);
}

/** Frame when the magic is there; otherwise a raw block of `limits.outputSizeInBytes`. */
export function decodeLz4(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  checkOffset(bytes, offset);
  if (hasFrameMagic(bytes, offset)) return walkFrame(bytes, offset, frameLimit(limits), true);
  const size = limits?.outputSizeInBytes;
  if (size === undefined) throw new Lz4FrameError(offset, 'no LZ4 frame magic (04 22 4D 18); to decode a raw block, give its output size');
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidArgumentError(`outputSizeInBytes must be a non-negative integer, not ${size}`);
  const limit = frameLimit(limits);
  if (size > limit) throw new CodecOutputLimitError('lz4', offset, size, limit);
  return decodeLz4Block(bytes, offset, size);
}

/**
 * Walks a frame or raw block without building output. Checks everything decode checks except
 * a frame's content checksum, which needs the output.
 */
export function probeLz4(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  try {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) return null;
    if (hasFrameMagic(bytes, offset)) {
      const limit = frameLimit(limits);
      // Sizes come from a non-decoding walk; the output length is that of the sequences walked.
      const descriptor = readFrameDescriptor(bytes, offset, limit, true);
      const result = walkFrame(bytes, offset, limit, false);
      return { packedLength: result.packedLength, unpackedLength: descriptor.contentSize >= 0 ? descriptor.contentSize : probeOutput(bytes, offset, limit) };
    }
    const size = limits?.outputSizeInBytes;
    if (size === undefined || size > frameLimit(limits)) return null;
    if (!walkSequences(bytes, offset, bytes.length, null, 0, size, 0, true)) return null;
    return { packedLength: walkIn - offset, unpackedLength: size };
  } catch {
    return null;
  }
}

/** Output size of a frame without a content-size field (walks the blocks again, summing). */
function probeOutput(bytes: Uint8Array, offset: number, limit: number): number {
  const descriptor = readFrameDescriptor(bytes, offset, limit, false);
  let pos = descriptor.dataStart;
  let total = 0;
  for (;;) {
    const word = readU32(bytes, pos);
    pos += 4;
    if (word === 0) return total;
    const length = word & 0x7fffffff;
    if (word & 0x80000000) total += length;
    else {
      walkSequences(bytes, pos, pos + length, null, total, Math.min(total + descriptor.blockMaximum, limit), descriptor.independent ? total : 0, false);
      total = walkOut;
    }
    pos += length + (descriptor.blockChecksum ? 4 : 0);
  }
}

const hashBits = 16;

/**
 * Compresses one block: hash chains over 4-byte windows, longest match among the first
 * `chainDepth` candidates, greedy. Follows the block rules (last 5 bytes literal, last match
 * starting ≥ 12 bytes before the end).
 */
export function encodeLz4Block(data: Uint8Array, chainDepth = 64, start = 0, end = data.length): Uint8Array {
  const n = end - start;
  const out = new Uint8Array(n + Math.ceil(n / 255) + 16);
  let o = 0;
  const head = new Int32Array(1 << hashBits).fill(-1);
  const previous = new Int32Array(Math.max(1, n)).fill(-1);
  const hashAt = (i: number): number =>
    Math.imul(data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24), 0x9e3779b1) >>> (32 - hashBits);
  const insert = (i: number): void => {
    const h = hashAt(i);
    previous[i - start] = head[h]!;
    head[h] = i;
  };
  const writeLength = (value: number): void => {
    while (value >= 255) {
      out[o++] = 255;
      value -= 255;
    }
    out[o++] = value;
  };
  const emit = (anchor: number, literalEnd: number, offset: number, matchLength: number): void => {
    const literalLength = literalEnd - anchor;
    const matchCode = matchLength - minimumMatchInBytes;
    out[o++] = (Math.min(literalLength, 15) << 4) | (offset === 0 ? 0 : Math.min(matchCode, 15));
    if (literalLength >= 15) writeLength(literalLength - 15);
    out.set(data.subarray(anchor, literalEnd), o);
    o += literalLength;
    if (offset === 0) return;
    out[o++] = offset & 0xff;
    out[o++] = offset >> 8;
    if (matchCode >= 15) writeLength(matchCode - 15);
  };
  let anchor = start;
  let i = start;
  const matchStartLimit = end - matchStartMarginInBytes;
  const matchEndLimit = end - lastLiteralsInBytes;
  while (i <= matchStartLimit) {
    let best = 0;
    let bestOffset = 0;
    let depth = chainDepth;
    for (let p = head[hashAt(i)]!; p >= 0 && i - p <= maximumOffset && depth > 0; p = previous[p - start]!, depth--) {
      if (best > 0 && data[p + best] !== data[i + best]) continue;
      let size = 0;
      const reach = matchEndLimit - i;
      while (size < reach && data[p + size] === data[i + size]) size++;
      if (size > best) {
        best = size;
        bestOffset = i - p;
      }
    }
    if (best < minimumMatchInBytes) {
      insert(i);
      i++;
      continue;
    }
    emit(anchor, i, bestOffset, best);
    const matchEnd = i + best;
    for (; i < matchEnd; i++) if (i <= matchStartLimit) insert(i);
    anchor = i;
  }
  emit(anchor, end, 0, 0);
  return out.slice(0, o);
}

function writeU32(out: Uint8Array, i: number, value: number): void {
  out[i] = value & 0xff;
  out[i + 1] = (value >>> 8) & 0xff;
  out[i + 2] = (value >>> 16) & 0xff;
  out[i + 3] = (value >>> 24) & 0xff;
}

/**
 * A frame of independent 64 KiB blocks with the content size and content checksum; a block
 * that does not shrink is stored raw.
 */
export function encodeLz4Frame(data: Uint8Array, chainDepth = 64): Uint8Array {
  if (data.length > maximumLz4CompressInputSizeInBytes) throw new CodecInputTooLargeError('lz4', data.length, maximumLz4CompressInputSizeInBytes);
  const parts: Uint8Array[] = [];
  const header = new Uint8Array(4 + 2 + 8 + 1);
  writeU32(header, 0, lz4FrameMagic);
  header[4] = 0x40 | 0x20 | 0x08 | 0x04; // version 1, independent blocks, content size, content checksum
  header[5] = 4 << 4; // 64 KiB blocks
  writeU32(header, 6, data.length % 0x100000000);
  writeU32(header, 10, Math.floor(data.length / 0x100000000));
  header[14] = (xxhash32(header, 4, 14) >>> 8) & 0xff;
  parts.push(header);
  for (let start = 0; start < data.length; start += frameBlockSizeInBytes) {
    const end = Math.min(data.length, start + frameBlockSizeInBytes);
    const block = encodeLz4Block(data, chainDepth, start, end);
    const size = new Uint8Array(4);
    if (block.length < end - start) {
      writeU32(size, 0, block.length);
      parts.push(size, block);
    } else {
      writeU32(size, 0, (0x80000000 | (end - start)) >>> 0);
      parts.push(size, data.subarray(start, end));
    }
  }
  const trailer = new Uint8Array(8);
  writeU32(trailer, 4, xxhash32(data));
  parts.push(trailer);
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const part of parts) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

const lz4ChainDepth: Readonly<Record<string, number>> = { fast: 1, high: 256 };

export const lz4Codec: Codec = {
  name: 'lz4',
  description: 'LZ4 frame (magic 04 22 4D 18) or raw block (give the output size); levels fast, high',
  levels: ['fast', 'high'],
  defaultLevel: 'high',
  platforms: ['snes'],
  canCompress: true,
  decompress: decodeLz4,
  probe: probeLz4,
  compress(data: Uint8Array, options: CompressOptions = {}): Uint8Array {
    const level = String(options.level ?? 'high');
    const depth = lz4ChainDepth[level];
    if (depth === undefined) throw new CodecOptionError('lz4', `unknown level "${level}"; levels: fast, high`, { level });
    const variant = options.variant ?? 'frame';
    if (variant === 'frame') return encodeLz4Frame(data, depth);
    if (variant === 'block') {
      if (data.length > maximumLz4CompressInputSizeInBytes) throw new CodecInputTooLargeError('lz4', data.length, maximumLz4CompressInputSizeInBytes);
      return encodeLz4Block(data, depth);
    }
    throw new CodecOptionError('lz4', `unknown variant "${variant}"; variants: frame, block`, { variant });
  },
};
