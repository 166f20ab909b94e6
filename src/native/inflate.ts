/**
 * Raw deflate (RFC 1951) inflate for reading PNGs: the addon's (native/src/inflate.h), or Node's
 * `zlib.inflateRawSync`. Both run the zlib inside Node the same way and give the same bytes, and
 * throw on the same inputs (test/native/inflate-parity.test.ts); the addon's is there for
 * start-up: loading node:zlib compiles node:stream and ~20 internal stream modules (5 ms measured
 * here, against 1.3 ms to load the addon), which every `romgfx import` of one PNG paid (issue #18).
 *
 * This module imports no node:zlib: the fallback loads it on its first call.
 */
import { CodecOutputLimitError, CodecStreamCorruptError, CodecStreamTruncatedError } from '../errors.js';
import type { PngInflateRaw } from '../gfx/png-read.js';
import { nodeZlib } from '../util/builtins.js';
import type { NativeAddon } from './addon.js';

/** native/src/inflate.h InflateStatus: what `zlibInflateRaw` returns instead of a byte count. */
export const nativeInflateStatus = {
  corrupt: -1,
  outputTooLarge: -2,
  truncated: -3,
} as const;

/** native/src/inflate.h kMaximumInflateInputSizeInBytes and kMaximumInflateOutputSizeInBytes: larger calls go to node:zlib. */
export const maximumNativeInflateSizeInBytes = 2 ** 30;

/**
 * The most output one byte of raw deflate can give: a 258-byte match costs at least 2 bits (a
 * 1-bit length code and a 1-bit distance code, RFC 1951 3.2.5), so 8 bits give at most
 * 4 × 258 = 1,032 bytes (zlib's FAQ: "the limit is 1032:1"). The output buffer is never made
 * larger than this bound for the input, however large the image's header says its rows are.
 */
export const maximumRawDeflateExpansionRatio = 1032;

/** What the errors call the stream. */
const codecName = 'raw deflate';

/**
 * node:zlib's raw inflate, capped at `maximumSizeInBytes` of output (at least 1: Node refuses a
 * cap of 0); past the cap it throws Node's ERR_BUFFER_TOO_LARGE RangeError.
 */
export const nodeZlibInflateRaw: PngInflateRaw = (deflated, maximumSizeInBytes) => nodeZlib().inflateRawSync(deflated, { maxOutputLength: Math.max(1, maximumSizeInBytes) });

/**
 * The addon's raw inflate as a PngInflateRaw: the same bytes as `nodeZlibInflateRaw`, and a typed
 * codec error (corrupt, truncated, over the cap) wherever node:zlib throws. The result is a view
 * of a buffer made for this call (as long as the cap or the expansion bound, whichever is less).
 */
export function createNativeInflateRaw(addon: NativeAddon): PngInflateRaw {
  // Where zlib stopped: input bytes read, output bytes written (one per thread, reused).
  const info = new Float64Array(2);
  return (deflated, maximumSizeInBytes) => {
    const cap = Math.max(1, maximumSizeInBytes);
    if (deflated.length > maximumNativeInflateSizeInBytes || cap > maximumNativeInflateSizeInBytes) return nodeZlibInflateRaw(deflated, maximumSizeInBytes);
    const bound = deflated.length * maximumRawDeflateExpansionRatio;
    let output = new Uint8Array(Math.min(cap, bound));
    let result = addon.zlibInflateRaw(deflated, output, info);
    // The bound cannot be passed (see maximumRawDeflateExpansionRatio); should a zlib ever do
    // it, the caller's cap decides, as it does for node:zlib.
    if (result === nativeInflateStatus.outputTooLarge && output.length < cap) {
      output = new Uint8Array(cap);
      result = addon.zlibInflateRaw(deflated, output, info);
    }
    if (result >= 0) return output.subarray(0, result);
    const consumed = info[0]!;
    const written = info[1]!;
    if (result === nativeInflateStatus.outputTooLarge) throw new CodecOutputLimitError(codecName, 0, written + 1, cap);
    if (result === nativeInflateStatus.truncated) {
      throw new CodecStreamTruncatedError(codecName, deflated.length, `the input (${deflated.length} bytes) ends before the end of the final block, after ${written} bytes of output`);
    }
    throw new CodecStreamCorruptError(codecName, Math.max(0, consumed - 1), `not valid RFC 1951 data (zlib stopped after reading ${consumed} of ${deflated.length} bytes and writing ${written})`, {
      written,
    });
  };
}
