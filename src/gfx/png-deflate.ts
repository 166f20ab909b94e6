/**
 * The zlib deflate PNG writing uses (src/gfx/png.ts): chosen on the first PNG written, once per
 * thread, the addon's when it loads (src/native/addon.ts; ROMGFX_NATIVE=0 turns it off), else
 * Node's zlib. Both run the zlib inside Node with the same settings and give the same bytes
 * (test/native/deflate-parity.test.ts); the addon's keeps zlib's state between calls. Why the
 * addon first: start-up (issue #18). node:zlib is native too, but loading it compiles node:stream
 * and ~20 internal stream modules (~5 ms here) where the addon loads in ~1.3 ms, and `extract`
 * of one sprite writes one PNG. Importing this module loads neither. A hook (setPngDeflate) as
 * the HAL and tile kernels are, so tests can put either in place.
 */
import { createNativeZlibDeflate, nodeZlibDeflate, type ZlibDeflate } from '../native/deflate.js';
import { loadNative } from '../native/addon.js';

let activeDeflate: ZlibDeflate | undefined;

/** The deflate PNG writing runs ('native' when the addon loads, else 'node:zlib'), decided on the first call. */
export function pngDeflate(): ZlibDeflate {
  if (activeDeflate === undefined) {
    const addon = loadNative();
    activeDeflate = addon ? createNativeZlibDeflate(addon) : nodeZlibDeflate;
  }
  return activeDeflate;
}

/** Sets the deflate PNG writing runs (tests; src/native/index.ts sets the addon's when it loads). */
export function setPngDeflate(deflate: ZlibDeflate): void {
  activeDeflate = deflate;
}
