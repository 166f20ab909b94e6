/**
 * The native Nemesis kernels behind the same `NemesisKernels` interface as the TypeScript
 * reference (src/codecs/sega/nemesis.ts): same arguments, same results, same typed errors with
 * the same messages and details. Argument checks happen here, in the reference's order; the addon
 * reports a status code plus where it stopped and the numbers involved, and this module turns
 * that into the reference's error.
 */
import { CodecOutputLimitError, CodecStreamCorruptError, CodecStreamTruncatedError, InternalError } from '../errors.js';
import { defaultNemesisOutputLimitInBytes, maximumNemesisTileCount, nemesisTileSizeInBytes, type NemesisKernels } from '../codecs/sega/nemesis.js';
import { checkStart, isValidStart, outputLimitInBytes } from '../codecs/sega/common.js';
import type { DecodeLimits, DecodeResult, ProbeResult } from '../codecs/types.js';
import type { NativeAddon } from './addon.js';

/** Nemesis status codes of native/src/common.h (enum Status). */
export const nativeNemesisStatusCodes = {
  headerTruncated: 11,
  outputLimit: 12,
  tableUnterminated: 13,
  entryTruncated: 14,
  badCodeLength: 15,
  codeTooWide: 16,
  codeCollidesWithEscape: 17,
  codeNotPrefixFree: 18,
  invalidCode: 19,
  bitstreamTruncated: 20,
  runOverrunsSize: 21,
} as const;

/** Float64 slots the addon fills: status, packed length, output length, failure offset, three values. */
const nemesisInfoLength = 7;
/** The largest size a header can declare; a larger caller limit behaves exactly like this one. */
const largestDeclaredSizeInBytes = maximumNemesisTileCount * nemesisTileSizeInBytes;
const codecName = 'nemesis';

/** The reference's typed error for the failure the addon recorded in `info`. */
function decodeFailure(info: Float64Array, limit: number): Error {
  const status = info[0]!;
  const offset = info[3]!;
  const value = info[4]!;
  const count = info[5]!;
  switch (status) {
    case nativeNemesisStatusCodes.headerTruncated:
      return new CodecStreamTruncatedError(codecName, offset, 'input ends inside the 2-byte header');
    case nativeNemesisStatusCodes.outputLimit:
      return new CodecOutputLimitError(codecName, offset, value, limit);
    case nativeNemesisStatusCodes.tableUnterminated:
      return new CodecStreamTruncatedError(codecName, offset, 'input ends inside the code table (no 0xFF terminator)');
    case nativeNemesisStatusCodes.entryTruncated:
      return new CodecStreamTruncatedError(codecName, offset, 'input ends inside a code table entry');
    case nativeNemesisStatusCodes.badCodeLength:
      return new CodecStreamCorruptError(codecName, offset, `bad code table entry: code length ${value} (valid 1..8)`);
    case nativeNemesisStatusCodes.codeTooWide:
      return new CodecStreamCorruptError(codecName, offset, `bad code table entry: code ${value} does not fit in ${count} bits`);
    case nativeNemesisStatusCodes.codeCollidesWithEscape:
      return new CodecStreamCorruptError(codecName, offset, `bad code table entry: code ${value}/${count} collides with the 111111 escape`);
    case nativeNemesisStatusCodes.codeNotPrefixFree:
      return new CodecStreamCorruptError(codecName, offset, `bad code table entry: code ${value}/${count} is not prefix-free with an earlier code`);
    case nativeNemesisStatusCodes.invalidCode:
      return new CodecStreamCorruptError(codecName, offset, 'invalid code: no table code matches the next 8 bits');
    case nativeNemesisStatusCodes.bitstreamTruncated:
      return new CodecStreamTruncatedError(codecName, offset, `bitstream ends after ${value} of ${count} nybbles`);
    case nativeNemesisStatusCodes.runOverrunsSize:
      return new CodecStreamCorruptError(codecName, offset, `run of ${value} overruns the declared size (${count} nybbles left)`);
    default:
      return new InternalError(`native Nemesis decoder failed with status ${status}`, { status });
  }
}

/** Nemesis kernels running in the addon; byte- and error-identical to `typescriptNemesisKernels`. */
export function createNativeNemesisKernels(addon: NativeAddon): NemesisKernels {
  // One result block per kernel set; calls are synchronous, so it is never shared between calls
  // in flight (and each worker thread has its own module instance).
  const info = new Float64Array(nemesisInfoLength);
  return {
    implementation: 'native',

    decode(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
      checkStart(bytes, offset);
      const limit = outputLimitInBytes(limits, defaultNemesisOutputLimitInBytes);
      // The output is allocated once at the size the header declares (the addon re-checks the
      // header, the limit and this length before writing); nothing when the walk must fail first.
      const declared = bytes.length - offset >= 2 ? (((bytes[offset]! << 8) | bytes[offset + 1]!) & 0x7fff) * nemesisTileSizeInBytes : 0;
      const out = new Uint8Array(declared <= limit ? declared : 0);
      if (!addon.nemesisDecode(bytes, offset, Math.min(limit, largestDeclaredSizeInBytes), info, out)) throw decodeFailure(info, limit);
      return { data: out, packedLength: info[1]! };
    },

    probe(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
      if (!isValidStart(bytes, offset)) return null;
      const limit = outputLimitInBytes(limits, defaultNemesisOutputLimitInBytes);
      if (!addon.nemesisProbe(bytes, offset, Math.min(limit, largestDeclaredSizeInBytes), info)) return null;
      return { packedLength: info[1]!, unpackedLength: info[2]! };
    },
  };
}
