/**
 * Parity of the native HAL kernels with the TypeScript reference: identical bytes and identical
 * errors (class, code, message, details) for the golden vectors, random, structured and mutated
 * inputs, at every level (1–4 and max), and for decode/probe of valid, mutated and random streams
 * at random offsets and limits. Bounded to a few seconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { typescriptHalKernels, type HalKernels } from '../../src/codecs/hal/kernels.js';
import type { DecodeLimits } from '../../src/codecs/types.js';
import { nativeHalKernels } from '../../src/native/index.js';
import { halFixtureNames, outcome, readHalFixture, requireNative, seededBytes, type Outcome } from './helpers.js';
import { structuredHalInput } from '../helpers/hal-inputs.js';

requireNative();
const native: HalKernels = nativeHalKernels()!;
const reference = typescriptHalKernels;
const levels = [1, 2, 3, 4] as const;

function encodeWith(kernels: HalKernels, data: Uint8Array, level: 1 | 2 | 3 | 4 | 'max'): Outcome {
  return outcome(() => (level === 'max' ? kernels.encodeOptimal(data) : kernels.encode(data, level)));
}

function expectEncodeParity(data: Uint8Array, level: 1 | 2 | 3 | 4 | 'max'): void {
  const expected = encodeWith(reference, data, level);
  const actual = encodeWith(native, data, level);
  expect(actual, `level ${level}, ${data.length} bytes`).toEqual(expected);
}

function expectDecodeParity(bytes: Uint8Array, offset: number, limits?: DecodeLimits): void {
  expect(outcome(() => native.decode(bytes, offset, limits))).toEqual(outcome(() => reference.decode(bytes, offset, limits)));
  expect(outcome(() => native.probe(bytes, offset, limits))).toEqual(outcome(() => reference.probe(bytes, offset, limits)));
}

/** Large structured inputs: long runs and copies reach the long command forms. */
const structured = structuredHalInput({ maxParts: 24, maxRawBytes: 8, maxRun: 1100, maxSequence: 300, maxCopy: 1200, words: true, maxLength: 16384 });

/** A few bytes from a small alphabet: many short matches, the hardest case for match finders. */
const smallAlphabet = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3000 }).map((values) => Uint8Array.from(values));

/** Slices of the golden inputs with a few bytes changed. */
const mutatedFixture = fc
  .record({
    name: fc.constantFrom('varied16k', 'tiles4bpp_32k', 'max64k', 'random4k'),
    start: fc.nat(),
    length: fc.integer({ min: 0, max: 6000 }),
    edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
  })
  .map(({ name, start, length, edits }) => {
    const source = fixtureInputs.get(name)!;
    const from = start % source.length;
    const data = source.slice(from, from + length);
    for (const [at, value] of edits) if (data.length > 0) data[at % data.length] = value;
    return data;
  });

const fixtureInputs = new Map<string, Uint8Array>(halFixtureNames.map((name) => [name, readHalFixture(`${name}.bin`)]));

describe('native HAL encoder = TypeScript encoder', () => {
  it('reproduces inhal -1 … -4 byte for byte on every golden vector', () => {
    for (const name of halFixtureNames) {
      for (const level of levels) {
        const packed = native.encode(fixtureInputs.get(name)!, level);
        expect(Buffer.from(packed).equals(readHalFixture(`${name}.L${level}.hal`)), `${name} L${level}`).toBe(true);
      }
    }
  });

  it('matches the reference at level max on every golden vector, and round-trips', () => {
    for (const name of halFixtureNames) {
      const input = fixtureInputs.get(name)!;
      expectEncodeParity(input, 'max');
      expect(native.decode(native.encodeOptimal(input), 0).data).toEqual(input);
    }
  });

  it('refuses the same inputs with the same errors (65,537 bytes; 64 KiB that packs past 65,535)', () => {
    const oversize = readHalFixture('oversize65537.bin');
    const incompressible = seededBytes(65536, 7);
    for (const level of [...levels, 'max'] as const) {
      expectEncodeParity(oversize, level);
      const outcomeNative = encodeWith(native, incompressible, level);
      expect(outcomeNative).toMatchObject({ ok: false, code: 'ERR_HAL_PACKED_TOO_LARGE' });
      expect(outcomeNative).toEqual(encodeWith(reference, incompressible, level));
    }
    expectEncodeParity(new Uint8Array(0), 'max');
    for (const level of levels) expectEncodeParity(new Uint8Array(0), level);
  });

  it('large repetitive inputs (64 KiB of runs, a 2-letter alphabet, a period-3 pattern) at levels 3, 4 and max', () => {
    const runs = new Uint8Array(65536);
    for (let i = 0, run = 1, value = 0; i < runs.length; run = (run * 7 + 3) % 61 + 1, value = (value + 1) & 3) for (let k = 0; k < run && i < runs.length; k++) runs[i++] = value;
    const twoLetters = seededBytes(65536, 99, 2);
    const periodic = Uint8Array.from({ length: 40000 }, (_, i) => [0x12, 0x34, 0x48][i % 3]!);
    for (const data of [runs, twoLetters, periodic]) for (const level of [3, 4, 'max'] as const) expectEncodeParity(data, level);
  });

  for (const level of [...levels, 'max'] as const) {
    it(`level ${level}: random, structured, small-alphabet and mutated inputs give identical bytes`, () => {
      const runs = level === 1 || level === 2 ? 60 : 25;
      fc.assert(
        fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), structured, smallAlphabet, mutatedFixture), (data) => {
          expectEncodeParity(data, level);
        }),
        { numRuns: runs },
      );
    });
  }
});

describe('native HAL decoder and probe = TypeScript', () => {
  it('decode the golden streams and the malformed set identically', () => {
    for (const name of halFixtureNames) for (const level of levels) expectDecodeParity(readHalFixture(`${name}.L${level}.hal`), 0);
    for (const file of ['truncated', 'bomb-over-64k', 'backward-before-start', 'copy-past-64k', 'empty-input', 'trailing-garbage']) {
      const bytes = readHalFixture(`malformed/${file}.hal`);
      expectDecodeParity(bytes, 0);
      const failed = outcome(() => native.decode(bytes, 0));
      if (file !== 'trailing-garbage') expect(failed.ok, file).toBe(false);
    }
  });

  it('treat bad offsets and limits like the reference', () => {
    const stream = Uint8Array.of(0x00, 0x41, 0xff);
    for (const offset of [-1, 0.5, Number.NaN, 4, 2 ** 53]) expectDecodeParity(stream, offset);
    for (const limit of [-1, 1.5, Number.NaN, 0, 1, 70000]) expectDecodeParity(stream, 0, { maximumOutputSizeInBytes: limit });
  });

  it('a failed decode leaves no trace: later copies of unwritten positions still read 0', () => {
    // Writes 2,048 bytes of 0x55, then overflows a 100-byte limit… and the next stream copies from there.
    const dirty = Uint8Array.of(0xe7, 0xff, 0x55, 0xe7, 0xff, 0x55, 0xff);
    const readsAhead = Uint8Array.of(0x83, 0x00, 0x10, 0xff);
    expectDecodeParity(dirty, 0, { maximumOutputSizeInBytes: 100 });
    expectDecodeParity(dirty, 0);
    expect(native.decode(readsAhead, 0).data).toEqual(new Uint8Array(4));
    expectDecodeParity(readsAhead, 0);
  });

  it('random bytes at random offsets and limits: same result or same error', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.nat(),
        fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }),
        (bytes, start, limit) => {
          expectDecodeParity(bytes, bytes.length === 0 ? 0 : start % (bytes.length + 1), limit === undefined ? undefined : { maximumOutputSizeInBytes: limit });
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('mutated and truncated valid streams: same result or same error', () => {
    const streams = halFixtureNames.flatMap((name) => levels.map((level) => readHalFixture(`${name}.L${level}.hal`)));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: streams.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        fc.option(fc.integer({ min: 0, max: 65536 }), { nil: undefined }),
        (which, edits, cut, limit) => {
          const stream = streams[which]!.slice();
          for (const [at, value] of edits) stream[at % stream.length] = value;
          const truncated = stream.subarray(0, cut % (stream.length + 1));
          expectDecodeParity(truncated, 0, limit === undefined ? undefined : { maximumOutputSizeInBytes: limit });
        },
      ),
      { numRuns: 400 },
    );
  });
});
