/**
 * The failure record of the byte-stream walkers (the Sega family, the GBA LZ family): a walker
 * both decodes and validates for `probe`, and reports failure here instead of throwing, so a
 * scanner probing every offset pays for no exception; `decompress` turns the record into a
 * typed error. Calls are synchronous and each thread has its own module instance, so one record
 * serves every walker.
 */
import { CodecFeatureUnsupportedError, CodecOutputLimitError, CodecStreamCorruptError, CodecStreamTruncatedError, type ErrorDetails } from '../errors.js';

/** The stream ends before it is complete. */
export const walkTruncated = 1;
/** The stream holds a value the format does not allow. */
export const walkCorrupt = 2;
/** The stream would produce more output than the caller's limit. */
export const walkOutputLimit = 3;
/** The stream uses a feature of the format this decoder cannot honour (LZ4W's ROM-block copies). */
export const walkUnsupported = 4;

/** Why the last walk failed: kind, stream offset, what was wrong and the error's extra details (set only on failure). */
export const walkFailure: { kind: number; offset: number; what: string; size: number; limit: number; details: ErrorDetails | undefined } = {
  kind: 0,
  offset: 0,
  what: '',
  size: 0,
  limit: 0,
  details: undefined,
};

/** The message of an LZ copy (Comper, LZ4W, GBA LZ77/LZ11) that reaches before the start of the output. */
export function copyBeforeStartText(distanceInBytes: number): string {
  return `copy reaches ${distanceInBytes} bytes back, before the start of the output`;
}

/**
 * Records a failure and returns false, so a walker can `return fail(...)`. For an output-limit
 * failure `size` is the size the output would reach and `limit` the caller's limit; `details`
 * go into a corrupt-stream error's details.
 */
export function fail(kind: number, offset: number, what: string, size = 0, limit = 0, details?: ErrorDetails): false {
  walkFailure.kind = kind;
  walkFailure.offset = offset;
  walkFailure.what = what;
  walkFailure.size = size;
  walkFailure.limit = limit;
  walkFailure.details = details;
  return false;
}

/** The typed error for the failure the last walk recorded. */
export function walkFailureError(codec: string): Error {
  const { kind, offset, what, size, limit, details } = walkFailure;
  if (kind === walkTruncated) return new CodecStreamTruncatedError(codec, offset, what);
  if (kind === walkOutputLimit) return new CodecOutputLimitError(codec, offset, size, limit);
  if (kind === walkUnsupported) return new CodecFeatureUnsupportedError(codec, offset, what, details);
  return new CodecStreamCorruptError(codec, offset, what, details);
}

/** Throws the typed error for the failure the last walk recorded. */
export function throwWalkFailure(codec: string): never {
  throw walkFailureError(codec);
}
