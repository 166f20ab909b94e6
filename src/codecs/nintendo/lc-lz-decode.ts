/**
 * LC_LZ1/2/3/5 decoder and probe (nintendo-lz.md §0-§4). One walker serves both, so the probe
 * a scanner trusts and the decoder an injector trusts cannot disagree on validity or packed
 * length. Copy validity depends only on positions (never on output bytes), so the probe checks
 * exactly what decoding checks. The walker reports failure through module-level fields, as the
 * HAL walker does, and `decodeLcLz` turns them into typed errors.
 *
 * Strict by design: commands the games never see from a compressor (LZ1/LZ2 commands 5 and 6,
 * long-form 7 in LZ1/LZ2/LZ3) are refused, though the SNES/GB routines would run them as a
 * repeat; and every copy must read bytes already written (the hardware would read stale RAM).
 */
import { CodecOutputLimitError, CodecStreamCorruptError, CodecStreamTruncatedError } from '../../errors.js';
import type { DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { bitReversedByte } from './bit-reverse.js';
import {
  checkStreamStart,
  isStreamStart,
  lcLzCodecName,
  lcLzEndOfStream,
  lcLzOutputLimit,
  maximumLcLzOutputSizeInBytes,
  type LcLzVariant,
} from './lc-lz-common.js';

const statusOk = 0;
const statusTruncated = 1;
const statusOutputLimit = 2;
const statusUndefinedCommand = 3;
const statusSourceAhead = 4;
const statusSourceBeforeStart = 5;
const statusDistanceZero = 6;

let failureStatus = statusOk;
let failureOffset = 0;
let failureValue = 0;
let failureCount = 0;
let walkPackedLength = 0;
let walkOutputLength = 0;

function fail(status: number, offset: number, value = 0, count = 0): boolean {
  failureStatus = status;
  failureOffset = offset;
  failureValue = value;
  failureCount = count;
  return false;
}

/** Below this many bytes a loop beats a native block copy's call overhead. */
const blockCopyMinimumInBytes = 16;

/**
 * out[to + k] = out[from + k] for k < count, in increasing k. A copy that overlaps what it
 * writes repeats the pattern of period to − from (nintendo-lz.md §0); that is done as block
 * moves too: everything from `from` up to the write position is already the pattern, and a
 * whole number of periods long once `done` is, so it can be copied in one move, doubling.
 */
function forwardCopy(out: Uint8Array, from: number, to: number, count: number): void {
  if (count < blockCopyMinimumInBytes) {
    for (let k = 0; k < count; k++) out[to + k] = out[from + k]!;
    return;
  }
  let done = 0;
  while (done < count) {
    const chunk = Math.min(count - done, to + done - from);
    out.copyWithin(to + done, from, from + chunk);
    done += chunk;
  }
}

/** Decodes into one reused 64 KiB buffer, then copies out exactly what was written. */
const scratch = new Uint8Array(maximumLcLzOutputSizeInBytes);

/**
 * Walks the stream at `start`. With `out` it writes the output (at most `limit` bytes);
 * without it only validates. Sets `walkPackedLength`/`walkOutputLength` on success.
 */
function walkLcLz(variant: LcLzVariant, bytes: Uint8Array, start: number, limit: number, out: Uint8Array | null): boolean {
  const end = bytes.length;
  let inPos = start;
  let outPos = 0;
  for (;;) {
    if (inPos >= end) return fail(statusTruncated, inPos);
    const commandOffset = inPos;
    const h = bytes[inPos++]!;
    if (h === lcLzEndOfStream) break;
    let command: number;
    let count: number;
    let long = false;
    if ((h & 0xe0) === 0xe0) {
      if (inPos >= end) return fail(statusTruncated, inPos, 1);
      command = (h >> 2) & 7;
      count = (((h & 3) << 8) | bytes[inPos++]!) + 1;
      long = true;
    } else {
      command = h >> 5;
      count = (h & 0x1f) + 1;
    }
    if (count > limit - outPos) return fail(statusOutputLimit, commandOffset, outPos + count);
    switch (command) {
      case 0: {
        if (end - inPos < count) return fail(statusTruncated, inPos, count);
        if (out !== null) {
          if (count >= blockCopyMinimumInBytes) out.set(bytes.subarray(inPos, inPos + count), outPos);
          else for (let k = 0; k < count; k++) out[outPos + k] = bytes[inPos + k]!;
        }
        inPos += count;
        break;
      }
      case 1: {
        if (inPos >= end) return fail(statusTruncated, inPos, 1);
        if (out !== null) out.fill(bytes[inPos]!, outPos, outPos + count);
        inPos++;
        break;
      }
      case 2: {
        if (end - inPos < 2) return fail(statusTruncated, inPos, 2);
        if (out !== null) {
          const a = bytes[inPos]!;
          const b = bytes[inPos + 1]!;
          for (let k = 0; k < count; k++) out[outPos + k] = k & 1 ? b : a;
        }
        inPos += 2;
        break;
      }
      case 3: {
        if (variant === 3) {
          // LZ3: zero fill, no parameter.
          if (out !== null) out.fill(0, outPos, outPos + count);
          break;
        }
        if (inPos >= end) return fail(statusTruncated, inPos, 1);
        if (out !== null) {
          const v = bytes[inPos]!;
          for (let k = 0; k < count; k++) out[outPos + k] = (v + k) & 0xff;
        }
        inPos++;
        break;
      }
      default: {
        if (variant === 1 || variant === 2) {
          if (command !== 4) return fail(statusUndefinedCommand, commandOffset, command, long ? 1 : 0);
          if (end - inPos < 2) return fail(statusTruncated, inPos, 2);
          const source = variant === 2 ? (bytes[inPos]! << 8) | bytes[inPos + 1]! : bytes[inPos]! | (bytes[inPos + 1]! << 8);
          inPos += 2;
          if (source >= outPos) return fail(statusSourceAhead, commandOffset, source, outPos);
          if (out !== null) forwardCopy(out, source, outPos, count);
        } else if (variant === 3) {
          if (command === 7) return fail(statusUndefinedCommand, commandOffset, command, 1);
          if (inPos >= end) return fail(statusTruncated, inPos, 1);
          const b = bytes[inPos++]!;
          let source: number;
          if (b & 0x80) {
            source = outPos - (b & 0x7f) - 1;
            if (source < 0) return fail(statusSourceBeforeStart, commandOffset, source, outPos);
          } else {
            if (inPos >= end) return fail(statusTruncated, inPos, 1);
            source = (b << 8) | bytes[inPos++]!;
            if (source >= outPos) return fail(statusSourceAhead, commandOffset, source, outPos);
          }
          if (command === 6) {
            if (source - (count - 1) < 0) return fail(statusSourceBeforeStart, commandOffset, source - (count - 1), outPos);
            if (out !== null) for (let k = 0; k < count; k++) out[outPos + k] = out[source - k]!;
          } else if (out !== null) {
            if (command === 5) for (let k = 0; k < count; k++) out[outPos + k] = bitReversedByte[out[source + k]!]!;
            else forwardCopy(out, source, outPos, count);
          }
        } else {
          // LZ5: 4/5 absolute little-endian (5 inverted), 6/7 relative distance 1-255 (7 inverted).
          let source: number;
          if (command <= 5) {
            if (end - inPos < 2) return fail(statusTruncated, inPos, 2);
            source = bytes[inPos]! | (bytes[inPos + 1]! << 8);
            inPos += 2;
            if (source >= outPos) return fail(statusSourceAhead, commandOffset, source, outPos);
          } else {
            if (inPos >= end) return fail(statusTruncated, inPos, 1);
            const distance = bytes[inPos++]!;
            if (distance === 0) return fail(statusDistanceZero, commandOffset);
            source = outPos - distance;
            if (source < 0) return fail(statusSourceBeforeStart, commandOffset, source, outPos);
          }
          if (out !== null) {
            if (command & 1) for (let k = 0; k < count; k++) out[outPos + k] = out[source + k]! ^ 0xff;
            else forwardCopy(out, source, outPos, count);
          }
        }
        break;
      }
    }
    outPos += count;
  }
  walkPackedLength = inPos - start;
  walkOutputLength = outPos;
  failureStatus = statusOk;
  return true;
}

function throwFailure(codec: string, limit: number): never {
  switch (failureStatus) {
    case statusTruncated:
      throw new CodecStreamTruncatedError(
        codec,
        failureOffset,
        failureValue === 0 ? 'input ends before the 0xFF terminator' : `command needs ${failureValue} more byte(s) than the input holds`,
      );
    case statusOutputLimit:
      throw new CodecOutputLimitError(codec, failureOffset, failureValue, limit);
    case statusUndefinedCommand:
      throw new CodecStreamCorruptError(codec, failureOffset, `${failureCount ? 'long-form ' : ''}command ${failureValue} is not defined in this format`, {
        command: failureValue,
      });
    case statusSourceAhead:
      throw new CodecStreamCorruptError(codec, failureOffset, `copy source ${failureValue} is not below the output length ${failureCount}`, {
        source: failureValue,
        outputLength: failureCount,
      });
    case statusSourceBeforeStart:
      throw new CodecStreamCorruptError(codec, failureOffset, `copy reads index ${failureValue}, before the start of the output (output length ${failureCount})`, {
        source: failureValue,
        outputLength: failureCount,
      });
    default:
      throw new CodecStreamCorruptError(codec, failureOffset, 'relative copy distance 0 would read the byte being written');
  }
}

/** Decodes the LC_LZ`variant` stream at `offset` up to its terminator; typed errors for every malformed stream. */
export function decodeLcLz(variant: LcLzVariant, bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  checkStreamStart(bytes, offset);
  const limit = lcLzOutputLimit(limits, maximumLcLzOutputSizeInBytes);
  if (!walkLcLz(variant, bytes, offset, limit, scratch)) throwFailure(lcLzCodecName(variant), limit);
  return { data: scratch.slice(0, walkOutputLength), packedLength: walkPackedLength };
}

/** Validates the LC_LZ`variant` stream at `offset` without building output; null when it is not valid. */
export function probeLcLz(variant: LcLzVariant, bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  if (!isStreamStart(bytes, offset)) return null;
  const requested = limits?.maximumOutputSizeInBytes;
  if (requested !== undefined && (!Number.isSafeInteger(requested) || requested < 0)) return null;
  const limit = lcLzOutputLimit(limits, maximumLcLzOutputSizeInBytes);
  if (!walkLcLz(variant, bytes, offset, limit, null)) return null;
  return { packedLength: walkPackedLength, unpackedLength: walkOutputLength };
}
