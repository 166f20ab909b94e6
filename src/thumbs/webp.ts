/**
 * WebP encoding through sharp, on the main thread: sharp already runs its encoders on libuv's
 * thread pool, and calling it inside Piscina workers measured slower than from the main thread
 * on 2 cores (see docs/ARCHITECTURE.md). Loaded on first use, so PNG-only callers never load it.
 */
import { InternalError } from '../errors.js';

type SharpFactory = (typeof import('sharp'))['default'];
let sharpModule: Promise<SharpFactory> | undefined;

function loadSharp(): Promise<SharpFactory> {
  sharpModule ??= import('sharp').then((m) => m.default);
  return sharpModule;
}

/** Lossless WebP with exact colours (`exact` keeps RGB under transparent pixels, which pixel art palettes rely on). */
export async function encodeWebpLossless(rgba: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  if (rgba.length !== width * height * 4) {
    throw new InternalError(`WebP input holds ${rgba.length} bytes, expected ${width}×${height}×4`, { width, height, length: rgba.length });
  }
  const sharp = await loadSharp();
  const buffer = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .webp({ lossless: true, exact: true, effort: 4 })
    .toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}
