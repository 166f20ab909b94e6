/** Shared helpers for the native-vs-TypeScript parity tests. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { DecodeLimits, DecodeResult, ProbeResult } from '../../src/codecs/types.js';
import { join, relative } from 'node:path';
import { isRomgfxError } from '../../src/errors.js';
import { loadNative, type NativeAddon } from '../../src/native/index.js';

/** The repository's fixtures folder. */
export const fixturesDir = join(import.meta.dirname, '../../fixtures');

/** Every PNG under fixtures/ (at any depth), as paths relative to it. */
export function fixturePngs(dir = fixturesDir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return fixturePngs(path);
    return name.endsWith('.png') ? [relative(fixturesDir, path)] : [];
  });
}

export const halFixtureDir = join(import.meta.dirname, '../../fixtures/hal');
export const readHalFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(halFixtureDir, name)));
export const halFixtureNames = ['single', 'abc', 'zeros4k', 'random4k', 'varied16k', 'tiles4bpp_32k', 'max64k'] as const;

/** The addon; throws (failing the test) when it did not build or load: there is no skipping. */
export function requireNative(): NativeAddon {
  const addon = loadNative();
  if (!addon) throw new Error('the native addon did not load: run npm run build:native');
  return addon;
}

/** What a call did, in a form `toEqual` can compare: the value, or the error's class, code, message and details. */
export type Outcome =
  | { ok: true; value: unknown }
  | { ok: false; name: string; code: string | undefined; message: string; details: unknown };

export function outcome(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: comparable(fn()) };
  } catch (error) {
    if (isRomgfxError(error)) return { ok: false, name: error.name, code: error.code, message: error.message, details: error.details };
    const e = error as Error;
    return { ok: false, name: e.name, code: (e as { code?: string }).code, message: e.message, details: undefined };
  }
}

/** Byte arrays as hex strings (deep-equal on 64 KiB arrays element by element is slow), recursively. */
function comparable(value: unknown): unknown {
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, comparable(inner)]));
  }
  return value;
}

/** A deterministic byte generator (xorshift32), for building large inputs without fast-check's cost. */
export function seededBytes(length: number, seed: number, alphabet = 256): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % alphabet;
  }
  return out;
}

/** A decoder's decode and probe, as every kernel set (native or TypeScript) has them. */
export interface DecoderPair {
  decode(bytes: Uint8Array, offset?: number, limits?: DecodeLimits): DecodeResult;
  probe(bytes: Uint8Array, offset?: number, limits?: DecodeLimits): ProbeResult | null;
}

/** Native and reference agree on decode and probe of `bytes` at `offset` under `limits`: value, or error class, code, message and details. */
export function expectDecoderParity(native: DecoderPair, reference: DecoderPair, bytes: Uint8Array, offset = 0, limits?: DecodeLimits, label = ''): void {
  const where = `${label} offset ${offset} limits ${JSON.stringify(limits)} (${bytes.length} bytes)`;
  expect(outcome(() => native.decode(bytes, offset, limits)), `decode ${where}`).toEqual(outcome(() => reference.decode(bytes, offset, limits)));
  expect(outcome(() => native.probe(bytes, offset, limits)), `probe ${where}`).toEqual(outcome(() => reference.probe(bytes, offset, limits)));
}

/** A caller limit: none, small, around `size`, above the 64 KiB one-pass scratch, or invalid (negative, fractional, NaN, infinite, unsafe). */
export const decoderLimitsAround = (size: number): fc.Arbitrary<DecodeLimits | undefined> =>
  fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: 0, max: 4096 }).map((maximumOutputSizeInBytes) => ({ maximumOutputSizeInBytes })),
    fc.integer({ min: -2, max: 2 }).map((delta) => ({ maximumOutputSizeInBytes: Math.max(0, size + delta) })),
    fc.integer({ min: 65537, max: 1 << 22 }).map((maximumOutputSizeInBytes) => ({ maximumOutputSizeInBytes })),
    fc.constantFrom(-1, 31.5, Number.NaN, Number.POSITIVE_INFINITY, 1e300).map((maximumOutputSizeInBytes) => ({ maximumOutputSizeInBytes })),
  );
