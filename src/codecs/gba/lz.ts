/**
 * GBA BIOS LZ77 (type 0x10) and the DS/GBA LZ11 variant (0x11): platforms.md, "GBA BIOS
 * compression". After the header, a flag byte (MSB first) tells for each of the next 8 tokens
 * whether it is a literal byte (0) or a copy (1) of `length` bytes from `distance` back.
 *
 * The encoders are bit-optimal parses: the longest match in the 4 KiB window is found at every
 * position (hash chains, exhaustive within the window up to a work budget), then a backward dynamic program picks
 * literal or match length by exact token cost in bits (LZ77: 9 / 17; LZ11: 9 / 17 / 25 / 33).
 * Only the final flag byte's rounding is outside the model.
 */
import { CodecOptionError } from '../../errors.js';
import { copyBeforeStartText, fail, throwWalkFailure, walkCorrupt, walkTruncated } from '../walk-failure.js';
import type { Codec, CompressOptions, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import {
  checkGbaCompressInput,
  gbaBiosHeaderSizeInBytes,
  gbaTypeLz11,
  gbaTypeLz77,
  padToWord,
  probeGbaBiosHeader,
  readGbaBiosHeader,
  writeGbaBiosHeader,
} from './header.js';

const windowSizeInBytes = 4096;
const lz77MinimumMatch = 3;
const lz77MaximumMatch = 18;
const lz11MaximumMatch = 0x10110; // 65,808: the 4-byte form's 16-bit count + 0x111
const lz11TwoByteLimit = 16;
const lz11ThreeByteLimit = 272;

let walkEnd = 0;

const truncatedText = 'input ends before the declared output size is reached';

/** Decodes (out non-null) or validates the token stream after the header; a failure is recorded in ../walk-failure.ts. */
function walkLz(bytes: Uint8Array, start: number, size: number, extended: boolean, out: Uint8Array | null): boolean {
  const end = bytes.length;
  let inPos = start;
  let outPos = 0;
  while (outPos < size) {
    if (inPos >= end) return fail(walkTruncated, inPos, truncatedText);
    const flags = bytes[inPos++]!;
    for (let bit = 7; bit >= 0 && outPos < size; bit--) {
      if ((flags & (1 << bit)) === 0) {
        if (inPos >= end) return fail(walkTruncated, inPos, truncatedText);
        if (out !== null) out[outPos] = bytes[inPos]!;
        inPos++;
        outPos++;
        continue;
      }
      const tokenOffset = inPos;
      if (end - inPos < 2) return fail(walkTruncated, inPos, truncatedText);
      const b0 = bytes[inPos]!;
      let length: number;
      let distance: number;
      if (!extended) {
        length = (b0 >> 4) + 3;
        distance = (((b0 & 0xf) << 8) | bytes[inPos + 1]!) + 1;
        inPos += 2;
      } else {
        const form = b0 >> 4;
        if (form === 0) {
          if (end - inPos < 3) return fail(walkTruncated, inPos, truncatedText);
          const b1 = bytes[inPos + 1]!;
          length = (((b0 & 0xf) << 4) | (b1 >> 4)) + 0x11;
          distance = (((b1 & 0xf) << 8) | bytes[inPos + 2]!) + 1;
          inPos += 3;
        } else if (form === 1) {
          if (end - inPos < 4) return fail(walkTruncated, inPos, truncatedText);
          const b1 = bytes[inPos + 1]!;
          const b2 = bytes[inPos + 2]!;
          length = (((b0 & 0xf) << 12) | (b1 << 4) | (b2 >> 4)) + 0x111;
          distance = (((b2 & 0xf) << 8) | bytes[inPos + 3]!) + 1;
          inPos += 4;
        } else {
          length = form + 1;
          distance = (((b0 & 0xf) << 8) | bytes[inPos + 1]!) + 1;
          inPos += 2;
        }
      }
      if (distance > outPos) return fail(walkCorrupt, tokenOffset, copyBeforeStartText(distance), 0, 0, { distance });
      if (length > size - outPos) return fail(walkCorrupt, tokenOffset, `copy of ${length} bytes runs past the declared output size`, 0, 0, { length, outputPosition: outPos });
      if (out !== null) {
        // Byte at a time: a copy may overlap what it writes.
        for (let k = 0; k < length; k++) out[outPos + k] = out[outPos + k - distance]!;
      }
      outPos += length;
    }
  }
  walkEnd = inPos;
  return true;
}

function decodeLzFamily(codec: string, type: number, bytes: Uint8Array, offset: number, limits?: DecodeLimits): DecodeResult {
  const header = readGbaBiosHeader(codec, bytes, offset, [type], limits);
  const out = new Uint8Array(header.outputSize);
  if (!walkLz(bytes, offset + gbaBiosHeaderSizeInBytes, header.outputSize, type === gbaTypeLz11, out)) throwWalkFailure(codec);
  return { data: out, packedLength: walkEnd - offset };
}

function probeLzFamily(type: number, bytes: Uint8Array, offset: number, limits?: DecodeLimits): ProbeResult | null {
  const size = probeGbaBiosHeader(bytes, offset, [type], limits);
  if (size < 0) return null;
  if (!walkLz(bytes, offset + gbaBiosHeaderSizeInBytes, size, type === gbaTypeLz11, null)) return null;
  return { packedLength: walkEnd - offset, unpackedLength: size };
}

/** Decodes a GBA BIOS LZ77 stream (header type 0x10) at `offset`, as `LZ77UnCompWram`/`Vram` do. */
export function decodeGbaLz77(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  return decodeLzFamily('lz77', gbaTypeLz77, bytes, offset, limits);
}

/** Decodes an LZ11 stream (header type 0x11, the DS/GBA homebrew extension with longer copies) at `offset`. */
export function decodeGbaLz11(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  return decodeLzFamily('lz11', gbaTypeLz11, bytes, offset, limits);
}

const hashBits = 16;
/**
 * Chain steps per position. The window alone bounds a walk at 4,096 steps, which on periodic
 * data (runs just short of the longest match) made 1 MiB take 40 s. So the whole input gets a
 * budget of `chainStepBudget` steps, spread per position between 256 and the full window:
 * inputs up to 16 KiB are searched exhaustively, 32 KiB of tiles nearly so. Past the budget
 * the parse is optimal over the matches found.
 */
const chainStepBudget = 1 << 26;
const minimumChainStepsPerPosition = 256;

/**
 * Longest match in the window at every position (length ≥ 3, else 0) and its distance. Ties
 * keep the nearest source. `minimumDistance` 2 gives VRAM-safe streams.
 */
function findLongestMatches(data: Uint8Array, maximumMatch: number, minimumDistance: number): { length: Int32Array; distance: Int32Array } {
  const n = data.length;
  const length = new Int32Array(n);
  const distance = new Int32Array(n);
  const head = new Int32Array(1 << hashBits).fill(-1);
  const previous = new Int32Array(n).fill(-1);
  const chainSteps = Math.max(minimumChainStepsPerPosition, Math.min(windowSizeInBytes, Math.floor(chainStepBudget / Math.max(1, n))));
  let carriedLength = 0;
  let carriedDistance = 0;
  let carriedWasCapped = false;
  for (let i = 0; i + lz77MinimumMatch <= n; i++) {
    const ceiling = Math.min(maximumMatch, n - i);
    let best = 0;
    let bestDistance = 0;
    // The previous position's match, one byte shorter, is still a match here (same distance).
    if (carriedLength > lz77MinimumMatch) {
      best = carriedLength - 1;
      bestDistance = carriedDistance;
      if (carriedWasCapped) while (best < ceiling && data[i + best] === data[i + best - bestDistance]) best++;
    }
    const hash = (Math.imul((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!, 0x9e3779b1) >>> (32 - hashBits)) | 0;
    let steps = chainSteps;
    for (let p = head[hash]!; p >= 0 && i - p <= windowSizeInBytes && best < ceiling && steps > 0; p = previous[p]!, steps--) {
      const d = i - p;
      if (d < minimumDistance) continue;
      if (data[p + best] !== data[i + best]) continue;
      let size = 0;
      while (size < ceiling && data[p + size] === data[i + size]) size++;
      if (size > best || (size === best && d < bestDistance)) {
        best = size;
        bestDistance = d;
      }
    }
    previous[i] = head[hash]!;
    head[hash] = i;
    if (best >= lz77MinimumMatch) {
      length[i] = best;
      distance[i] = bestDistance;
    }
    carriedLength = best;
    carriedDistance = bestDistance;
    carriedWasCapped = best === maximumMatch;
  }
  return { length, distance };
}

/** LZ11 token cost in bits for a copy of `length`. */
function lz11CopyBits(length: number): number {
  return length <= lz11TwoByteLimit ? 17 : length <= lz11ThreeByteLimit ? 25 : 33;
}

function encodeLzFamily(codec: string, data: Uint8Array, extended: boolean, vramSafe: boolean): Uint8Array {
  checkGbaCompressInput(codec, data);
  const n = data.length;
  const maximumMatch = extended ? lz11MaximumMatch : lz77MaximumMatch;
  const matches = findLongestMatches(data, maximumMatch, vramSafe ? 2 : 1);
  const cost = new Float64Array(n + 1);
  const choice = new Int32Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let best = 9 + cost[i + 1]!;
    let bestLength = 1;
    const longest = matches.length[i]!;
    if (longest >= lz77MinimumMatch) {
      const dense = Math.min(longest, extended ? lz11ThreeByteLimit + 256 : lz77MaximumMatch);
      for (let length = lz77MinimumMatch; length <= dense; length++) {
        const c = (extended ? lz11CopyBits(length) : 17) + cost[i + length]!;
        if (c < best) {
          best = c;
          bestLength = length;
        }
      }
      // Past the dense range only the longest is tried (same 33-bit cost for every length).
      if (longest > dense) {
        const c = 33 + cost[i + longest]!;
        if (c < best) {
          best = c;
          bestLength = longest;
        }
      }
    }
    cost[i] = best;
    choice[i] = bestLength;
  }

  // Worst case: every token a literal: 9/8 of the input, plus header and padding.
  const out = new Uint8Array(gbaBiosHeaderSizeInBytes + n + Math.ceil(n / 8) + 8);
  writeGbaBiosHeader(out, extended ? gbaTypeLz11 : gbaTypeLz77, n);
  let position = gbaBiosHeaderSizeInBytes;
  let flagPosition = 0;
  let tokenInGroup = 8;
  for (let i = 0; i < n; ) {
    if (tokenInGroup === 8) {
      flagPosition = position++;
      out[flagPosition] = 0;
      tokenInGroup = 0;
    }
    const length = choice[i]!;
    if (length === 1) {
      out[position++] = data[i]!;
    } else {
      out[flagPosition] = out[flagPosition]! | (0x80 >> tokenInGroup);
      const d = matches.distance[i]! - 1;
      if (!extended || length <= lz11TwoByteLimit) {
        out[position++] = ((length - (extended ? 1 : 3)) << 4) | (d >> 8);
        out[position++] = d & 0xff;
      } else if (length <= lz11ThreeByteLimit) {
        const v = length - 0x11;
        out[position++] = v >> 4;
        out[position++] = ((v & 0xf) << 4) | (d >> 8);
        out[position++] = d & 0xff;
      } else {
        const v = length - 0x111;
        out[position++] = 0x10 | (v >> 12);
        out[position++] = (v >> 4) & 0xff;
        out[position++] = ((v & 0xf) << 4) | (d >> 8);
        out[position++] = d & 0xff;
      }
    }
    tokenInGroup++;
    i += length;
  }
  return out.slice(0, padToWord(position));
}

/** Compresses to GBA BIOS LZ77 (type 0x10). `vramSafe` avoids distance-1 copies, which the 16-bit-write VRAM routine cannot decode. */
export function encodeGbaLz77(data: Uint8Array, options: { vramSafe?: boolean } = {}): Uint8Array {
  return encodeLzFamily('lz77', data, false, options.vramSafe === true);
}

/** Compresses to LZ11 (type 0x11): like LZ77 with longer copy lengths. `vramSafe` avoids distance-1 copies. */
export function encodeGbaLz11(data: Uint8Array, options: { vramSafe?: boolean } = {}): Uint8Array {
  return encodeLzFamily('lz11', data, true, options.vramSafe === true);
}

function checkLevel(codec: string, options: CompressOptions): void {
  if (options.level !== undefined && String(options.level) !== 'optimal') {
    throw new CodecOptionError(codec, `unknown level "${options.level}"; levels: optimal`, { level: options.level });
  }
}

export const gbaLz77Codec: Codec = {
  name: 'lz77',
  description: 'GBA BIOS LZ77 (header type 0x10); --vram-safe never uses distance 1',
  levels: ['optimal'],
  defaultLevel: 'optimal',
  platforms: ['gba'],
  canCompress: true,
  decompress: decodeGbaLz77,
  probe: (bytes, offset = 0, limits) => probeLzFamily(gbaTypeLz77, bytes, offset, limits),
  compress(data, options = {}) {
    checkLevel('lz77', options);
    return encodeGbaLz77(data, options);
  },
};

export const gbaLz11Codec: Codec = {
  name: 'lz11',
  description: 'GBA/DS LZ11 (header type 0x11): LZ77 with 2/3/4-byte copy tokens up to 65,808 bytes',
  levels: ['optimal'],
  defaultLevel: 'optimal',
  platforms: ['gba'],
  canCompress: true,
  decompress: decodeGbaLz11,
  probe: (bytes, offset = 0, limits) => probeLzFamily(gbaTypeLz11, bytes, offset, limits),
  compress(data, options = {}) {
    checkLevel('lz11', options);
    return encodeGbaLz11(data, options);
  },
};
