/**
 * The native HAL kernels behind the same `HalKernels` interface as the TypeScript reference
 * (src/codecs/hal/kernels.ts): same arguments, same results, same typed errors with the same
 * details. Argument checks happen here, in the reference's order and words; the addon reports a
 * status code plus where it stopped, and this module turns that into the reference's error.
 */
import {
  CodecInputTooLargeError,
  HalBackwardCopyBeforeStartError,
  HalCopyOutOfRangeError,
  HalOutputTooLargeError,
  HalPackedTooLargeError,
  HalStreamTruncatedError,
  InternalError,
} from '../errors.js';
import { typescriptHalKernels, type HalKernels } from '../codecs/hal/kernels.js';
import { maximumHalOutputSizeInBytes, maximumHalPackedSizeInBytes } from '../codecs/hal/common.js';
import type { DecodeLimits, DecodeResult, ProbeResult } from '../codecs/types.js';
import { checkHalStart, halOutputLimit } from '../codecs/hal/decode.js';
import type { NativeAddon } from './addon.js';

/** Status codes of native/src/common.h (enum Status). */
export const nativeStatusCodes = {
  ok: 0,
  halTruncated: 1,
  halOutputTooLarge: 2,
  halCopyPastEnd: 3,
  halBackwardBeforeStart: 4,
  halInputTooLarge: 5,
  halPackedTooLarge: 6,
  outOfMemory: 7,
  badArgument: 8,
} as const;

/** The addon's level number for `max` (levels 1–4 are inhal's). */
const nativeLevelMax = 5;
/** Float64 slots the addon fills: status, packed length, output length, failure offset, value, count, scratch bytes touched. */
const infoLength = 7;


function decodeFailure(info: Float64Array, limit: number): Error {
  const status = info[0]!;
  const offset = info[3]!;
  const value = info[4]!;
  const count = info[5]!;
  switch (status) {
    case nativeStatusCodes.halTruncated:
      return new HalStreamTruncatedError(offset, value === 0 ? 'input ends before the 0xFF terminator' : `command needs ${value} more byte(s) than the input holds`);
    case nativeStatusCodes.halOutputTooLarge:
      return new HalOutputTooLargeError(offset, value, limit);
    case nativeStatusCodes.halCopyPastEnd:
      return new HalCopyOutOfRangeError(offset, value, count);
    case nativeStatusCodes.halBackwardBeforeStart:
      return new HalBackwardCopyBeforeStartError(offset, value, count);
    default:
      return new InternalError(`native HAL decoder failed with status ${status}`, { status });
  }
}

function encodeFailure(info: Float64Array, size: number): Error {
  const status = info[0]!;
  switch (status) {
    case nativeStatusCodes.halInputTooLarge:
      return new CodecInputTooLargeError('hal', size, maximumHalOutputSizeInBytes);
    case nativeStatusCodes.halPackedTooLarge:
      return new HalPackedTooLargeError(info[1]!, maximumHalPackedSizeInBytes);
    case nativeStatusCodes.outOfMemory:
      return new InternalError(`native HAL encoder could not allocate its tables for ${size} bytes`, { size });
    default:
      return new InternalError(`native HAL encoder failed with status ${status}`, { status });
  }
}

/** HAL kernels running in the addon; byte- and error-identical to `typescriptHalKernels`. */
export function createNativeHalKernels(addon: NativeAddon): HalKernels {
  // One result block per kernel set; calls are synchronous, so it is never shared between calls
  // in flight (and each worker thread has its own module instance).
  const info = new Float64Array(infoLength);
  // The decoder's output buffer: exhal's zero-filled 64 KiB (a copy of a position not yet written
  // reads 0). The addon writes into it; the output is copied out and what the walk touched is
  // zeroed again before the call returns, whatever happened.
  const scratch = new Uint8Array(maximumHalOutputSizeInBytes);
  return {
    implementation: 'native',

    decode(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
      checkHalStart(bytes, offset);
      const limit = halOutputLimit(limits);
      try {
        if (!addon.halDecode(bytes, offset, limit, info, scratch)) throw decodeFailure(info, limit);
        return { data: scratch.slice(0, info[2]!), packedLength: info[1]! };
      } finally {
        scratch.fill(0, 0, info[6]!);
      }
    },

    probe(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
      if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) return null;
      const limit = halOutputLimit(limits);
      if (!addon.halProbe(bytes, offset, limit, info)) return null;
      return { packedLength: info[1]!, unpackedLength: info[2]! };
    },

    encode(data: Uint8Array, level): Uint8Array {
      // Only inhal's four levels run natively; anything else keeps the reference's behaviour.
      if (level !== 1 && level !== 2 && level !== 3 && level !== 4) return typescriptHalKernels.encode(data, level);
      const packed = addon.halEncode(data, level, info);
      if (packed === undefined) throw encodeFailure(info, data.length);
      return packed;
    },

    encodeOptimal(data: Uint8Array): Uint8Array {
      const packed = addon.halEncode(data, nativeLevelMax, info);
      if (packed === undefined) throw encodeFailure(info, data.length);
      return packed;
    },
  };
}
