/**
 * The zlib deflate PNG writing uses (src/gfx/png.ts): Node's zlib (node:zlib, loaded on first
 * use) until src/native/index.ts, when our addon loads, sets the addon's, which runs the same
 * zlib with the same settings and gives the same bytes (test/native/deflate-parity.test.ts)
 * without allocating zlib's state per call. A hook, as the HAL and tile kernels are, so that
 * importing the PNG code does not load the addon: `romgfx import` of one PNG never writes one
 * (issue #18, start-up).
 */
import { nodeZlibDeflate, type ZlibDeflate } from '../native/deflate.js';

let activeDeflate: ZlibDeflate = nodeZlibDeflate;

/** The deflate PNG writing runs now ('native' once the addon's is set, else 'node:zlib'). */
export function pngDeflate(): ZlibDeflate {
  return activeDeflate;
}

/** Sets the deflate PNG writing runs (src/native/index.ts sets the addon's when it loads). */
export function setPngDeflate(deflate: ZlibDeflate): void {
  activeDeflate = deflate;
}
