/**
 * HAL decoder and probe. One walker serves both, so the probe a scanner trusts and the decoder
 * an injector trusts can never disagree on validity or packed length. The walker reports
 * failure through module-level status fields instead of throwing (cheap for scanning, and the
 * same shape as the C++ kernel); `decodeHal` turns a status into a typed error.
 */
import {
  HalBackwardCopyBeforeStartError,
  HalCopyOutOfRangeError,
  HalOutputTooLargeError,
  HalStreamTruncatedError,
  InvalidArgumentError,
  hex,
} from '../../errors.js';
import type { DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { bitReversedByte, halEndOfStream, maximumHalOutputSizeInBytes } from './common.js';

const statusOk = 0;
const statusTruncated = 1;
const statusOutputTooLarge = 2;
const statusCopyPastEnd = 3;
const statusBackwardBeforeStart = 4;

// Where and why the last walk stopped (read only right after a walk).
let failureStatus = statusOk;
let failureOffset = 0;
let failureValue = 0;
let failureCount = 0;
let walkPackedLength = 0;
let walkOutputLength = 0;

/**
 * Scratch output: exhal decodes into a zero-filled 64 KiB buffer, so a copy that reads a
 * position not yet written reads 0. Reusing one zeroed buffer (and re-zeroing what a decode
 * touched) keeps that behaviour with one exact-size allocation per decode.
 */
const scratch = new Uint8Array(maximumHalOutputSizeInBytes);

function fail(status: number, offset: number, value = 0, count = 0): boolean {
  failureStatus = status;
  failureOffset = offset;
  failureValue = value;
  failureCount = count;
  return false;
}

/**
 * Walks the stream at `start`. With `out` it writes the output there (at most `limit` bytes);
 * without it only validates. Returns true on success, with `walkPackedLength` and
 * `walkOutputLength` set.
 */
function walkHal(bytes: Uint8Array, start: number, limit: number, out: Uint8Array | null): boolean {
  const end = bytes.length;
  let inPos = start;
  let outPos = 0;
  for (;;) {
    if (inPos >= end) return fail(statusTruncated, inPos, 0, 0);
    const commandOffset = inPos;
    const b = bytes[inPos++]!;
    if (b === halEndOfStream) break;
    let kind: number;
    let count: number;
    if ((b & 0xe0) === 0xe0) {
      if (inPos >= end) return fail(statusTruncated, inPos, 1, 0);
      kind = (b >> 2) & 7;
      count = (((b & 3) << 8) | bytes[inPos++]!) + 1;
    } else {
      kind = b >> 5;
      count = (b & 0x1f) + 1;
    }
    const produced = kind === 2 ? count * 2 : count;
    if (outPos + produced > limit) return fail(statusOutputTooLarge, commandOffset, outPos + produced, 0);
    switch (kind) {
      case 0: {
        if (end - inPos < count) return fail(statusTruncated, inPos, count, 0);
        if (out !== null) out.set(bytes.subarray(inPos, inPos + count), outPos);
        inPos += count;
        break;
      }
      case 1: {
        if (inPos >= end) return fail(statusTruncated, inPos, 1, 0);
        if (out !== null) out.fill(bytes[inPos]!, outPos, outPos + count);
        inPos += 1;
        break;
      }
      case 2: {
        if (end - inPos < 2) return fail(statusTruncated, inPos, 2, 0);
        if (out !== null) {
          const a = bytes[inPos]!;
          const c = bytes[inPos + 1]!;
          for (let i = 0; i < count; i++) {
            out[outPos + 2 * i] = a;
            out[outPos + 2 * i + 1] = c;
          }
        }
        inPos += 2;
        break;
      }
      case 3: {
        if (inPos >= end) return fail(statusTruncated, inPos, 1, 0);
        if (out !== null) {
          const v = bytes[inPos]!;
          for (let i = 0; i < count; i++) out[outPos + i] = (v + i) & 0xff;
        }
        inPos += 1;
        break;
      }
      default: {
        // 4 forward, 5 bit-reversed, 6 backward; long-form 7 is exhal's alias of 4.
        if (end - inPos < 2) return fail(statusTruncated, inPos, 2, 0);
        const source = (bytes[inPos]! << 8) | bytes[inPos + 1]!;
        inPos += 2;
        if (kind === 6) {
          if (source - (count - 1) < 0) return fail(statusBackwardBeforeStart, commandOffset, source, count);
          if (out !== null) for (let i = 0; i < count; i++) out[outPos + i] = out[source - i]!;
        } else {
          if (source + count > maximumHalOutputSizeInBytes) return fail(statusCopyPastEnd, commandOffset, source, count);
          if (out !== null) {
            // Byte at a time: a forward copy may overlap what it is writing (repeats a pattern).
            if (kind === 5) for (let i = 0; i < count; i++) out[outPos + i] = bitReversedByte[out[source + i]!]!;
            else for (let i = 0; i < count; i++) out[outPos + i] = out[source + i]!;
          }
        }
        break;
      }
    }
    outPos += produced;
  }
  walkPackedLength = inPos - start;
  walkOutputLength = outPos;
  failureStatus = statusOk;
  return true;
}

/** The output cap a caller's limits ask for, never above HAL's 64 KiB (shared with the native glue). */
export function halOutputLimit(limits: DecodeLimits | undefined): number {
  const requested = limits?.maximumOutputSizeInBytes;
  if (requested === undefined) return maximumHalOutputSizeInBytes;
  if (!Number.isSafeInteger(requested) || requested < 0) {
    throw new InvalidArgumentError(`maximumOutputSizeInBytes must be a non-negative integer, not ${requested}`);
  }
  return Math.min(requested, maximumHalOutputSizeInBytes);
}

/** Refuses a start offset outside the input (shared with the native glue). */
export function checkHalStart(bytes: Uint8Array, offset: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new InvalidArgumentError(`offset ${hex(offset)} is outside the ${bytes.length}-byte input`, { offset, size: bytes.length });
  }
}

function throwFailure(): never {
  switch (failureStatus) {
    case statusTruncated:
      throw new HalStreamTruncatedError(
        failureOffset,
        failureValue === 0 ? 'input ends before the 0xFF terminator' : `command needs ${failureValue} more byte(s) than the input holds`,
      );
    case statusOutputTooLarge:
      throw new HalOutputTooLargeError(failureOffset, failureValue, walkLimit);
    case statusCopyPastEnd:
      throw new HalCopyOutOfRangeError(failureOffset, failureValue, failureCount);
    default:
      throw new HalBackwardCopyBeforeStartError(failureOffset, failureValue, failureCount);
  }
}

let walkLimit = maximumHalOutputSizeInBytes;

/** Decodes the HAL stream at `offset`. Throws the Hal* typed errors for every malformed stream. */
export function decodeHal(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  checkHalStart(bytes, offset);
  walkLimit = halOutputLimit(limits);
  let ok = false;
  let written = 0;
  try {
    ok = walkHal(bytes, offset, walkLimit, scratch);
    written = ok ? walkOutputLength : walkLimit;
    if (!ok) throwFailure();
    return { data: scratch.slice(0, walkOutputLength), packedLength: walkPackedLength };
  } finally {
    // A failed walk may have written anywhere below the limit; zero all of it.
    scratch.fill(0, 0, ok ? written : walkLimit);
  }
}

/** Validates the HAL stream at `offset` without building output; null when it is not a valid stream. */
export function probeHal(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) return null;
  walkLimit = halOutputLimit(limits);
  if (!walkHal(bytes, offset, walkLimit, null)) return null;
  return { packedLength: walkPackedLength, unpackedLength: walkOutputLength };
}
