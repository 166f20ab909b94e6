/**
 * zlib-format deflate for PNG writing: the addon's, whose zlib streams take their ~256 KiB of
 * state from memory the thread keeps, or Node's `zlib.deflateSync`, which allocates and frees it
 * per call. Both run the zlib inside Node with the same settings and give the same bytes
 * (test/native/deflate-parity.test.ts); native/src/deflate.h says why the allocation matters.
 */
import { nodeZlib } from '../util/builtins.js';
import type { NativeAddon } from './addon.js';

/**
 * Deflates `input` at zlib `level` (1–9) into a zlib stream. The result may be a view of a
 * buffer this thread reuses: read or copy it before the next call.
 */
export interface ZlibDeflate {
  readonly implementation: string;
  deflate(input: Uint8Array, level: number): Uint8Array;
}

export const nodeZlibDeflate: ZlibDeflate = {
  implementation: 'node:zlib',
  deflate: (input, level) => nodeZlib().deflateSync(input, { level }),
};

/** zlib's compressBound(): the most bytes deflate (windowBits 15, memLevel 8) writes for `length` bytes. */
export function zlibDeflateBound(length: number): number {
  return length + Math.floor(length / 4096) + Math.floor(length / 16384) + Math.floor(length / 33554432) + 13;
}

/** native/src/deflate.h kMaximumDeflateInputSizeInBytes: larger inputs go to node:zlib. */
export const maximumNativeDeflateInputSizeInBytes = 2 ** 30;

/** One deflate per addon instance (per thread): PNG writing and src/native/index.ts share it, and its buffer. */
const nativeDeflates = new WeakMap<NativeAddon, ZlibDeflate>();

/** The addon's deflate, made once per addon instance (per thread). */
export function createNativeZlibDeflate(addon: NativeAddon): ZlibDeflate {
  let made = nativeDeflates.get(addon);
  if (made === undefined) {
    made = makeNativeZlibDeflate(addon);
    nativeDeflates.set(addon, made);
  }
  return made;
}

function makeNativeZlibDeflate(addon: NativeAddon): ZlibDeflate {
  // This thread's output buffer, grown to the largest bound seen (a thumbnail needs ~8 KiB).
  let output = new Uint8Array(0);
  return {
    implementation: 'native',
    deflate(input, level) {
      if (input.length > maximumNativeDeflateInputSizeInBytes) return nodeZlib().deflateSync(input, { level });
      const bound = zlibDeflateBound(input.length);
      if (output.length < bound) output = new Uint8Array(Math.max(bound, output.length * 2));
      const written = addon.zlibDeflate(input, output, level);
      return output.subarray(0, written);
    },
  };
}
