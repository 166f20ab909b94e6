/**
 * neslib RLE (Shiru's NES library for cc65; NES Screen Tool's "RLE" nametable export), as
 * unpacked by neslib's `_vram_unrle` (neslib.s; the same routine ships in many cc65 homebrew
 * sources, e.g. pgrimsrud/NESDemo asm4c.s `_UnRLE`, and in nesdoug's neslib):
 *
 * - byte 0 is the tag, a value the data does not use;
 * - any other byte is a literal: written to PPUDATA and remembered (`RLE_BYTE`);
 * - the tag then a count n (1..255) writes the remembered byte n more times;
 * - the tag then 0 ends the stream.
 *
 * The literal path ends `sta PPU_DATA / sta RLE_BYTE / bne @1`: stores leave the flags of the
 * `cmp RLE_TAG` before them, so the branch is always taken and a literal 0 is an ordinary
 * literal. `RLE_BYTE` is not initialised by the routine, so a count before any literal repeats
 * whatever zero page held: we refuse it (CodecStreamCorruptError). A stream with no end marker
 * runs the 6502 through the following bytes: CodecStreamTruncatedError at the input's end.
 *
 * Encoder (NES Screen Tool's packer): the tag is the lowest byte value the data does not use;
 * a run of L equal bytes is written as one literal then, when L >= 3, the tag and L - 1 (a run
 * of 2 is two literals, as short as tag + 1); NES Screen Tool caps a run at 255 and starts the
 * next one with a new literal, and it writes the last input byte as a literal of its own even
 * when it continues a run. Level `accurate` reproduces that byte for byte (checked against the
 * 147-byte title nametable in fixtures/corpus/full_game.nes); `max` continues a
 * run longer than 256 with further tag + count pairs instead (3 bytes less per extra literal).
 * No count of 1 is ever written by either; the decoder accepts it as the routine does.
 */
import { CodecInputShapeError, CodecOptionError, CodecOutputLimitError, CodecStreamCorruptError, CodecStreamTruncatedError, InvalidArgumentError, hex } from '../../errors.js';
import type { Codec, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';

/**
 * Default cap on decoded bytes. `_vram_unrle` writes to the PPU, whose address space is 16 KiB
 * (a 1 KiB nametable + attributes is the usual stream); 64 KiB also admits streams a game
 * unpacks elsewhere (several screens) while stopping random bytes from growing without bound.
 */
export const defaultNeslibRleDecodeLimitInBytes = 64 * 1024;
/** The largest count one tag + count pair carries (a count byte; 0 is the end marker). */
const maximumRunCountPerPair = 255;
/** NES Screen Tool ends a run after this many equal bytes and starts the next with a literal. */
const neslibScreenToolMaximumRunLength = 255;

const codecName = 'rle-neslib';

let walkEnd = 0;
let walkSize = 0;
/** 0 = ok, 1 = truncated, 2 = count before a literal, 3 = over the output limit. */
let walkFailure = 0;
let walkFailureOffset = 0;
/** On an output-limit failure: the output size the stream reached when it passed the limit. */
let walkFailureSize = 0;

/** Walks one stream from `start`; writes into `out` when given (sized by a first walk). */
function walkNeslibRle(bytes: Uint8Array, start: number, limit: number, out: Uint8Array | null): boolean {
  const end = bytes.length;
  if (start >= end) {
    walkFailure = 1;
    walkFailureOffset = start;
    return false;
  }
  const tag = bytes[start]!;
  let inPos = start + 1;
  let outPos = 0;
  let last = -1;
  for (;;) {
    if (inPos >= end) {
      walkFailure = 1;
      walkFailureOffset = inPos;
      return false;
    }
    const value = bytes[inPos++]!;
    if (value !== tag) {
      if (outPos >= limit) {
        walkFailure = 3;
        walkFailureSize = outPos + 1;
        walkFailureOffset = inPos - 1;
        return false;
      }
      if (out !== null) out[outPos] = value;
      outPos++;
      last = value;
      continue;
    }
    if (inPos >= end) {
      walkFailure = 1;
      walkFailureOffset = inPos;
      return false;
    }
    const count = bytes[inPos++]!;
    if (count === 0) break;
    if (last < 0) {
      walkFailure = 2;
      walkFailureOffset = inPos - 2;
      return false;
    }
    if (outPos + count > limit) {
      walkFailure = 3;
      walkFailureSize = outPos + count;
      walkFailureOffset = inPos - 2;
      return false;
    }
    if (out !== null) out.fill(last, outPos, outPos + count);
    outPos += count;
  }
  walkEnd = inPos;
  walkSize = outPos;
  walkFailure = 0;
  return true;
}

function checkedLimit(bytes: Uint8Array, offset: number, limits: DecodeLimits | undefined): number {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new InvalidArgumentError(`offset ${hex(offset)} is outside the ${bytes.length}-byte input`, { offset, size: bytes.length });
  }
  const limit = limits?.maximumOutputSizeInBytes ?? defaultNeslibRleDecodeLimitInBytes;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidArgumentError(`maximumOutputSizeInBytes must be a non-negative integer, not ${limit}`);
  return limit;
}

/** Decodes a neslib RLE stream (`vram_unrle`) at `offset`; `packedLength` runs through the tag + 0 end marker. */
export function decodeNeslibRle(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  const limit = checkedLimit(bytes, offset, limits);
  if (!walkNeslibRle(bytes, offset, limit, null)) {
    if (walkFailure === 1) throw new CodecStreamTruncatedError(codecName, walkFailureOffset, 'input ends before the tag + 0 end marker');
    if (walkFailure === 2) throw new CodecStreamCorruptError(codecName, walkFailureOffset, 'a run (tag + count) comes before any literal byte to repeat');
    throw new CodecOutputLimitError(codecName, offset, walkFailureSize, limit);
  }
  const out = new Uint8Array(walkSize);
  walkNeslibRle(bytes, offset, limit, out);
  return { data: out, packedLength: walkEnd - offset };
}

/** Walks a neslib RLE stream without building output; null when it is not a complete stream within the limit. */
export function probeNeslibRle(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= bytes.length) return null;
  const limit = limits?.maximumOutputSizeInBytes ?? defaultNeslibRleDecodeLimitInBytes;
  if (!Number.isSafeInteger(limit) || limit < 0) return null;
  if (!walkNeslibRle(bytes, offset, limit, null)) return null;
  return { packedLength: walkEnd - offset, unpackedLength: walkSize };
}

/**
 * Compresses to neslib RLE as NES Screen Tool does (`accurate`: runs capped at 255) or with runs
 * continued by extra tag + count pairs (`max`). Throws CodecInputShapeError when the data uses
 * all 256 byte values (no tag is left).
 */
export function encodeNeslibRle(data: Uint8Array, level: 'accurate' | 'max' = 'max'): Uint8Array {
  const used = new Uint8Array(256);
  for (let i = 0; i < data.length; i++) used[data[i]!] = 1;
  const tag = used.indexOf(0);
  if (tag < 0) throw new CodecInputShapeError(codecName, data.length, 'it uses all 256 byte values, so no value is left for the tag');
  // Worst case: every byte a literal, plus the tag and the end marker.
  const out = new Uint8Array(data.length + 3);
  let o = 0;
  out[o++] = tag;
  const runCap = level === 'accurate' ? neslibScreenToolMaximumRunLength : Number.MAX_SAFE_INTEGER;
  // NES Screen Tool flushes the current run when it reaches the last input byte and then writes
  // that byte as a literal of its own, so its runs never include the final byte.
  const runLimit = level === 'accurate' ? Math.max(0, data.length - 1) : data.length;
  let i = 0;
  while (i < data.length) {
    const value = data[i]!;
    let runEnd = i + 1;
    while (runEnd < runLimit && data[runEnd] === value && runEnd - i < runCap) runEnd++;
    const length = runEnd - i;
    out[o++] = value;
    if (length === 2) {
      out[o++] = value;
    } else if (length > 2) {
      let remaining = length - 1;
      while (remaining > 0) {
        const count = Math.min(remaining, maximumRunCountPerPair);
        out[o++] = tag;
        out[o++] = count;
        remaining -= count;
      }
    }
    i = runEnd;
  }
  out[o++] = tag;
  out[o++] = 0;
  return out.slice(0, o);
}

/** neslib's RLE (`vram_unrle`; NES Screen Tool's RLE nametable export). */
export const neslibRleCodec: Codec = {
  name: codecName,
  description: "neslib RLE (Shiru's cc65 library, vram_unrle; NES Screen Tool's RLE export): tag byte, literals, tag + count runs, tag + 0 end",
  levels: ['accurate', 'max'],
  defaultLevel: 'max',
  platforms: ['nes'],
  canCompress: true,
  decompress: decodeNeslibRle,
  probe: probeNeslibRle,
  compress(data, options = {}) {
    const level = options.level === undefined ? 'max' : String(options.level);
    if (level !== 'accurate' && level !== 'max') throw new CodecOptionError(codecName, `unknown level "${level}"; use accurate (NES Screen Tool's output) or max`);
    return encodeNeslibRle(data, level);
  },
};
