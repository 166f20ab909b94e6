/**
 * The HAL kernels the registry calls, behind one object so that `src/native/` can swap in the
 * C++ N-API versions (same signatures, same errors) and a parity test can run both.
 */
import { decodeHal, probeHal } from './decode.js';
import { encodeHal, type HalInhalLevel } from './encode.js';
import { encodeHalOptimal } from './optimal.js';
import type { DecodeLimits, DecodeResult, ProbeResult } from '../types.js';

/** The HAL (exhal/inhal) operations as one swappable set: the TypeScript implementation or the native addon, same bytes either way. */
export interface HalKernels {
  /** Which implementation this is ('typescript' or 'native'), for diagnostics and benchmarks. */
  readonly implementation: string;
  decode(bytes: Uint8Array, offset: number, limits?: DecodeLimits): DecodeResult;
  probe(bytes: Uint8Array, offset: number, limits?: DecodeLimits): ProbeResult | null;
  encode(data: Uint8Array, level: HalInhalLevel): Uint8Array;
  encodeOptimal(data: Uint8Array): Uint8Array;
}

/** The pure TypeScript HAL kernels: what runs when the native addon is not built, and in `romgfx/core`. */
export const typescriptHalKernels: HalKernels = {
  implementation: 'typescript',
  decode: decodeHal,
  probe: probeHal,
  encode: encodeHal,
  encodeOptimal: encodeHalOptimal,
};

let active: HalKernels = typescriptHalKernels;

/** The kernels in use now. */
export function halKernels(): HalKernels {
  return active;
}

/** Installs other kernels (the native loader does this); returns the previous ones. */
export function setHalKernels(kernels: HalKernels): HalKernels {
  const previous = active;
  active = kernels;
  return previous;
}
