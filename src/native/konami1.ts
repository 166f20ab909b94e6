/**
 * The native konami1 kernels behind the same `Konami1Kernels` interface as the TypeScript
 * reference (src/codecs/nintendo/konami1.ts): same arguments, same results, same typed errors with
 * the same messages and details. Argument checks happen here, in the reference's order; the addon
 * reports a status code plus where it stopped and the numbers involved, and this module turns
 * that into the reference's error.
 */
import { CodecOutputLimitError, CodecStreamCorruptError, CodecStreamTruncatedError, InternalError } from '../errors.js';
import { defaultKonami1OutputLimitInBytes, konami1OutputLimit, type Konami1Kernels } from '../codecs/nintendo/konami1.js';
import { checkStreamStart, isStreamStart } from '../codecs/nintendo/lc-lz-common.js';
import type { DecodeLimits, DecodeResult, ProbeResult } from '../codecs/types.js';
import type { NativeAddon } from './addon.js';

/** konami1 status codes of native/src/common.h (enum Status). */
export const nativeKonami1StatusCodes = {
  headerTruncated: 22,
  statedTooSmall: 23,
  statedPastInput: 24,
  copySecondBytePastEnd: 25,
  copyTooFarBack: 26,
  outputLimit: 27,
  literalZero: 28,
  literalPastEnd: 29,
  interleavePastEnd: 30,
  runValuePastEnd: 31,
} as const;

/** Float64 slots the addon fills: status, packed length, output length, failure offset, three values. */
const konami1InfoLength = 7;
/** Zeroed ring slots a copy may read before the first output byte (nintendo-lz.md §5). */
const zeroSlotsBeforeStart = 0x21;
const codecName = 'konami1';

/** The reference's typed error for the failure the addon recorded in `info`. */
function decodeFailure(info: Float64Array, limit: number): Error {
  const status = info[0]!;
  const offset = info[3]!;
  const value = info[4]!;
  const count = info[5]!;
  const extra = info[6]!;
  switch (status) {
    case nativeKonami1StatusCodes.headerTruncated:
      return new CodecStreamTruncatedError(codecName, offset, 'input ends inside the 2-byte size header');
    case nativeKonami1StatusCodes.statedTooSmall:
      return new CodecStreamCorruptError(codecName, offset, `stated stream size ${value} is smaller than the 2-byte header`);
    case nativeKonami1StatusCodes.statedPastInput:
      return new CodecStreamTruncatedError(codecName, offset, `header states ${value} bytes, only ${count} present`);
    case nativeKonami1StatusCodes.copySecondBytePastEnd:
      return new CodecStreamCorruptError(codecName, offset, 'copy command needs a second byte past the stated end');
    case nativeKonami1StatusCodes.copyTooFarBack:
      return new CodecStreamCorruptError(codecName, offset, `copy from ring slot ${value} reaches ${count} bytes back, but only ${extra} bytes (+${zeroSlotsBeforeStart} zeroed slots) exist`);
    case nativeKonami1StatusCodes.outputLimit:
      return new CodecOutputLimitError(codecName, offset, value, limit);
    case nativeKonami1StatusCodes.literalZero:
      return new CodecStreamCorruptError(codecName, offset, 'command 0x80 (a literal of length 0) is not defined');
    case nativeKonami1StatusCodes.literalPastEnd:
      return new CodecStreamCorruptError(codecName, offset, `literal of ${value} bytes runs past the stated end`);
    case nativeKonami1StatusCodes.interleavePastEnd:
      return new CodecStreamCorruptError(codecName, offset, `zero-interleave of ${value} bytes runs past the stated end`);
    case nativeKonami1StatusCodes.runValuePastEnd:
      return new CodecStreamCorruptError(codecName, offset, 'byte run needs its value past the stated end');
    default:
      return new InternalError(`native konami1 decoder failed with status ${status}`, { status });
  }
}

/** konami1 kernels running in the addon; byte- and error-identical to `typescriptKonami1Kernels`. */
export function createNativeKonami1Kernels(addon: NativeAddon): Konami1Kernels {
  // One result block and one output buffer per kernel set; calls are synchronous, so they are
  // never shared between calls in flight (and each worker thread has its own module instance).
  const info = new Float64Array(konami1InfoLength);
  // Decodes under the default limit go here in one pass, then out as an exact copy (as the
  // reference does); only bytes the walk wrote are ever read, so it needs no clearing.
  const scratch = new Uint8Array(defaultKonami1OutputLimitInBytes);
  return {
    implementation: 'native',

    decode(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
      checkStreamStart(bytes, offset);
      const limit = konami1OutputLimit(limits);
      if (limit <= scratch.length) {
        if (!addon.konami1Decode(bytes, offset, limit, info, scratch)) throw decodeFailure(info, limit);
        return { data: scratch.slice(0, info[2]!), packedLength: info[1]! };
      }
      // A larger limit: measure first, then decode into a buffer of exactly the output's size.
      if (!addon.konami1Probe(bytes, offset, limit, info)) throw decodeFailure(info, limit);
      const out = new Uint8Array(info[2]!);
      if (!addon.konami1Decode(bytes, offset, limit, info, out)) throw decodeFailure(info, limit);
      return { data: out, packedLength: info[1]! };
    },

    probe(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
      if (!isStreamStart(bytes, offset)) return null;
      const requested = limits?.maximumOutputSizeInBytes;
      if (requested !== undefined && (!Number.isSafeInteger(requested) || requested < 0)) return null;
      if (!addon.konami1Probe(bytes, offset, konami1OutputLimit(limits), info)) return null;
      return { packedLength: info[1]!, unpackedLength: info[2]! };
    },
  };
}
