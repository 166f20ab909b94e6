/**
 * The native Saxman, Kosinski, Kosinski Moduled, Comper and LZ4W kernels behind the same
 * `DecodeKernels` interface as the TypeScript references (src/codecs/sega/saxman.ts, kosinski.ts,
 * kosinski-moduled.ts, comper.ts, lz4w.ts): same arguments, same results, same typed errors with the same messages
 * and details. Argument checks happen here, through the references' own functions; the addon
 * reports a status code plus where it stopped and the numbers involved, and this module records
 * that as the reference's walk failure (sega/common.ts) and throws the error the reference would.
 */
import { InternalError } from '../errors.js';
import {
  checkStart,
  copyBeforeStartText,
  fail,
  isValidStart,
  outputLimitInBytes,
  strictOutputLimitInBytes,
  strictOutputLimitOrNull,
  walkCorrupt,
  walkFailureError,
  walkOutputLimit,
  walkTruncated,
  walkUnsupported,
  type DecodeKernels,
} from '../codecs/sega/common.js';
import { comperTruncatedText, defaultComperDecodeLimitInBytes } from '../codecs/sega/comper.js';
import { defaultLz4wDecodeLimitInBytes, lz4wRomSourceText, lz4wTruncatedText } from '../codecs/sega/lz4w.js';
import { saxmanCopyOverrunText, saxmanDecodeArguments, saxmanHeaderPastEndText, saxmanInputEndsInsideCommand, saxmanProbeArguments } from '../codecs/sega/saxman.js';
import { defaultKosinskiOutputLimitInBytes, kosinskiBeforeStartText, kosinskiTruncationText } from '../codecs/sega/kosinski.js';
import {
  kosinskiModuledHeaderTruncatedText,
  kosinskiModuleMissingText,
  kosinskiModuleSizeText,
  kosinskiModuleTooLongText,
  maximumKosinskiModuledSizeInBytes,
} from '../codecs/sega/kosinski-moduled.js';
import type { DecodeLimits, DecodeResult, ProbeResult } from '../codecs/types.js';
import type { NativeAddon } from './addon.js';

/** Saxman, Kosinski, Kosinski Moduled, Comper and LZ4W status codes of native/src/common.h (enum Status). */
export const nativeSegaLzStatusCodes = {
  saxmanTruncated: 32,
  saxmanOutputLimit: 33,
  saxmanCopyOverrun: 34,
  kosinskiFirstDescriptorTruncated: 35,
  kosinskiDescriptorTruncated: 36,
  kosinskiLiteralTruncated: 37,
  kosinskiInlineMatchTruncated: 38,
  kosinskiFullMatchTruncated: 39,
  kosinskiExtendedMatchTruncated: 40,
  kosinskiOutputLimit: 41,
  kosinskiBeforeStart: 42,
  kosinskiModuledHeaderTruncated: 43,
  kosinskiModuledSizeOverLimit: 44,
  kosinskiModuleMissing: 45,
  kosinskiModuleTooLong: 46,
  kosinskiModuleSizeMismatch: 47,
  lz4wTruncated: 48,
  lz4wOutputLimit: 49,
  lz4wBeforeStart: 50,
  lz4wRomSource: 51,
  comperTruncated: 52,
  comperOutputLimit: 53,
  comperBeforeStart: 54,
} as const;

/** Float64 slots the addon fills: status, packed length, output length, failure offset, three values. */
const walkInfoLength = 7;
/** Decodes whose limit is at most this go into the scratch in one walk (the codecs' 64 KiB default). */
const scratchSizeInBytes = 0x10000;
/** The framing parameter for codecs without one. */
const noFraming = -1;
/** The largest S3K-misread size header and what the loader makes of it (sega.md §3). */
const segaMisreadSize = 0xa000;
const segaMisreadAs = 0x8000;

/** Records the failure the addon reported in `info` as the reference's walk failure and returns its typed error. */
function walkError(codec: string, info: Float64Array, limit: number): Error {
  const status = info[0]!;
  const offset = info[3]!;
  const value = info[4]!;
  const count = info[5]!;
  const extra = info[6]!;
  const codes = nativeSegaLzStatusCodes;
  switch (status) {
    case codes.saxmanTruncated:
      fail(walkTruncated, offset, value > 0 ? saxmanHeaderPastEndText(value) : saxmanInputEndsInsideCommand);
      break;
    case codes.saxmanOutputLimit:
    case codes.kosinskiOutputLimit:
    case codes.kosinskiModuledSizeOverLimit:
    case codes.lz4wOutputLimit:
    case codes.comperOutputLimit:
      fail(walkOutputLimit, offset, '', value, limit);
      break;
    case codes.saxmanCopyOverrun:
      fail(walkCorrupt, offset, saxmanCopyOverrunText(value), 0, 0, { length: value });
      break;
    case codes.kosinskiFirstDescriptorTruncated:
      fail(walkTruncated, offset, kosinskiTruncationText.firstDescriptor);
      break;
    case codes.kosinskiDescriptorTruncated:
      fail(walkTruncated, offset, kosinskiTruncationText.descriptor);
      break;
    case codes.kosinskiLiteralTruncated:
      fail(walkTruncated, offset, kosinskiTruncationText.literal);
      break;
    case codes.kosinskiInlineMatchTruncated:
      fail(walkTruncated, offset, kosinskiTruncationText.inlineMatch);
      break;
    case codes.kosinskiFullMatchTruncated:
      fail(walkTruncated, offset, kosinskiTruncationText.fullMatch);
      break;
    case codes.kosinskiExtendedMatchTruncated:
      fail(walkTruncated, offset, kosinskiTruncationText.extendedMatch);
      break;
    case codes.kosinskiBeforeStart:
      fail(walkCorrupt, offset, kosinskiBeforeStartText(value, count));
      break;
    case codes.kosinskiModuledHeaderTruncated:
      fail(walkTruncated, offset, kosinskiModuledHeaderTruncatedText);
      break;
    case codes.kosinskiModuleMissing:
      fail(walkTruncated, offset, kosinskiModuleMissingText(value, count));
      break;
    case codes.kosinskiModuleTooLong:
      fail(walkCorrupt, offset, kosinskiModuleTooLongText(value, count));
      break;
    case codes.kosinskiModuleSizeMismatch:
      fail(walkCorrupt, offset, kosinskiModuleSizeText(value, count, extra));
      break;
    case codes.lz4wTruncated:
      fail(walkTruncated, offset, lz4wTruncatedText);
      break;
    case codes.comperTruncated:
      fail(walkTruncated, offset, comperTruncatedText);
      break;
    case codes.lz4wBeforeStart:
    case codes.comperBeforeStart:
      fail(walkCorrupt, offset, copyBeforeStartText(value), 0, 0, { distance: value });
      break;
    case codes.lz4wRomSource:
      fail(walkUnsupported, offset, lz4wRomSourceText, 0, 0, { word: value });
      break;
    default:
      return new InternalError(`native ${codec} decoder failed with status ${status}`, { status });
  }
  return walkFailureError(codec);
}

/** A limit the addon accepts (a safe integer): no output can reach a larger one, so it decodes the same. */
const addonLimit = (limit: number): number => Math.min(limit, Number.MAX_SAFE_INTEGER);

type NativeDecode = (bytes: Uint8Array, offset: number, limit: number, info: Float64Array, out: Uint8Array, parameter: number) => boolean;
type NativeProbe = (bytes: Uint8Array, offset: number, limit: number, info: Float64Array, parameter: number) => boolean;

/**
 * One kernel set's buffers and its decode-with-a-limit: one result block and one scratch per
 * set; calls are synchronous, so they are never shared between calls in flight (and each worker
 * thread has its own module instance). Only bytes a walk wrote are read back, so the scratch
 * needs no clearing.
 */
class NativeDecoder {
  readonly info = new Float64Array(walkInfoLength);
  readonly #scratch = new Uint8Array(scratchSizeInBytes);
  constructor(
    readonly codec: string,
    readonly decodeInto: NativeDecode,
    readonly probeWalk: NativeProbe,
  ) {}

  /** Decodes into `out` when given (its exact size, known from a header), else into the scratch under a small limit, else measures first. */
  decode(bytes: Uint8Array, offset: number, limit: number, parameter: number, out?: Uint8Array): DecodeResult {
    const info = this.info;
    const target = out ?? (limit <= this.#scratch.length ? this.#scratch : null);
    if (target !== null) {
      if (!this.decodeInto(bytes, offset, addonLimit(limit), info, target, parameter)) throw walkError(this.codec, info, limit);
      return { data: target === this.#scratch ? target.slice(0, info[2]!) : target, packedLength: info[1]! };
    }
    if (!this.probeWalk(bytes, offset, addonLimit(limit), info, parameter)) throw walkError(this.codec, info, limit);
    const exact = new Uint8Array(info[2]!);
    if (!this.decodeInto(bytes, offset, addonLimit(limit), info, exact, parameter)) throw walkError(this.codec, info, limit);
    return { data: exact, packedLength: info[1]! };
  }

  probe(bytes: Uint8Array, offset: number, limit: number, parameter: number): ProbeResult | null {
    if (!this.probeWalk(bytes, offset, addonLimit(limit), this.info, parameter)) return null;
    return { packedLength: this.info[1]!, unpackedLength: this.info[2]! };
  }
}

/** Saxman kernels running in the addon; byte- and error-identical to `typescriptSaxmanKernels`. */
export function createNativeSaxmanKernels(addon: NativeAddon): DecodeKernels {
  const decoder = new NativeDecoder('saxman', addon.saxmanDecode.bind(addon), addon.saxmanProbe.bind(addon));
  return {
    implementation: 'native',
    decode(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
      const { limit, exactOutput } = saxmanDecodeArguments(bytes, offset, limits);
      // Headerless: the output size is given (nothing is written when it is over the limit).
      const out = exactOutput >= 0 ? new Uint8Array(exactOutput <= limit ? exactOutput : 0) : undefined;
      return decoder.decode(bytes, offset, limit, exactOutput, out);
    },
    probe(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
      const args = saxmanProbeArguments(bytes, offset, limits);
      return args === null ? null : decoder.probe(bytes, offset, args.limit, args.exactOutput);
    },
  };
}

/** Kosinski kernels running in the addon; byte- and error-identical to `typescriptKosinskiKernels`. */
export function createNativeKosinskiKernels(addon: NativeAddon): DecodeKernels {
  const decoder = new NativeDecoder('kosinski', addon.kosinskiDecode.bind(addon), addon.kosinskiProbe.bind(addon));
  return {
    implementation: 'native',
    decode(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
      checkStart(bytes, offset);
      return decoder.decode(bytes, offset, outputLimitInBytes(limits, defaultKosinskiOutputLimitInBytes), noFraming);
    },
    probe(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
      if (!isValidStart(bytes, offset)) return null;
      return decoder.probe(bytes, offset, outputLimitInBytes(limits, defaultKosinskiOutputLimitInBytes), noFraming);
    },
  };
}

/** Kosinski Moduled kernels running in the addon; byte- and error-identical to `typescriptKosinskiModuledKernels`. */
export function createNativeKosinskiModuledKernels(addon: NativeAddon): DecodeKernels {
  const decoder = new NativeDecoder('kosinski-moduled', addon.kosinskiModuledDecode.bind(addon), addon.kosinskiModuledProbe.bind(addon));
  return {
    implementation: 'native',
    decode(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
      checkStart(bytes, offset);
      const limit = outputLimitInBytes(limits, maximumKosinskiModuledSizeInBytes);
      // The header states the output size: one allocation of exactly that (the addon re-reads the
      // header and checks the limit and this length before writing); nothing when it must fail first.
      const stated = bytes.length - offset >= 2 ? (bytes[offset]! << 8) | bytes[offset + 1]! : 0;
      const size = stated === segaMisreadSize ? segaMisreadAs : stated;
      return decoder.decode(bytes, offset, limit, noFraming, new Uint8Array(size <= limit ? size : 0));
    },
    probe(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
      if (!isValidStart(bytes, offset)) return null;
      return decoder.probe(bytes, offset, outputLimitInBytes(limits, maximumKosinskiModuledSizeInBytes), noFraming);
    },
  };
}

/** Kernels for a codec that runs to its terminator under a strict caller limit (Comper, LZ4W). */
function terminatedStreamKernels(codec: string, defaultLimitInBytes: number, decodeInto: NativeDecode, probeWalk: NativeProbe): DecodeKernels {
  const decoder = new NativeDecoder(codec, decodeInto, probeWalk);
  return {
    implementation: 'native',
    decode(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
      checkStart(bytes, offset);
      return decoder.decode(bytes, offset, strictOutputLimitInBytes(limits, defaultLimitInBytes), noFraming);
    },
    probe(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
      if (!isValidStart(bytes, offset)) return null;
      const limit = strictOutputLimitOrNull(limits, defaultLimitInBytes);
      return limit === null ? null : decoder.probe(bytes, offset, limit, noFraming);
    },
  };
}

/** Comper kernels running in the addon; byte- and error-identical to `typescriptComperKernels`. */
export function createNativeComperKernels(addon: NativeAddon): DecodeKernels {
  return terminatedStreamKernels('comper', defaultComperDecodeLimitInBytes, addon.comperDecode.bind(addon), addon.comperProbe.bind(addon));
}

/** LZ4W kernels running in the addon; byte- and error-identical to `typescriptLz4wKernels`. */
export function createNativeLz4wKernels(addon: NativeAddon): DecodeKernels {
  return terminatedStreamKernels('lz4w', defaultLz4wDecodeLimitInBytes, addon.lz4wDecode.bind(addon), addon.lz4wProbe.bind(addon));
}
