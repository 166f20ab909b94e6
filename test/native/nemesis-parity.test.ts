/**
 * Parity of the native Nemesis kernels with the TypeScript reference: identical bytes, packed
 * length and unpacked length, and identical errors (class, code, message, details), for every
 * fixture vector and malformed file, streams the TypeScript encoder makes from tile-like inputs
 * at `max` and `accurate`, the same streams mutated and truncated, random bytes, and random
 * offsets and limits. Decode and probe are both compared. Fails (never skips) when the addon did
 * not build. Bounded to a few seconds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { typescriptNemesisKernels, type NemesisKernels } from '../../src/codecs/sega/nemesis.js';
import { compressNemesis } from '../../src/codecs/sega/nemesis-encode.js';
import { getCodec } from '../../src/codecs/registry.js';
import type { DecodeLimits } from '../../src/codecs/types.js';
import { activeNemesisImplementation, nativeNemesisKernels } from '../../src/native/index.js';
import { decoderLimitsAround, expectDecoderParity, outcome, requireNative, seededBytes } from './helpers.js';

requireNative();
const native: NemesisKernels = nativeNemesisKernels()!;
const reference = typescriptNemesisKernels;

const fixtureDir = join(import.meta.dirname, '../../fixtures/codecs/nemesis');
const streamNames = readdirSync(fixtureDir).filter((name) => name.endsWith('.nem')).sort();
const malformedNames = readdirSync(join(fixtureDir, 'malformed')).filter((name) => name.endsWith('.nem')).sort();
const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(fixtureDir, name)));
const fixtureStreams = streamNames.map(readFixture);

function expectParity(bytes: Uint8Array, offset = 0, limits?: DecodeLimits, label = ''): void {
  expectDecoderParity(native, reference, bytes, offset, limits, label);
}

/** Mega Drive 4bpp tiles as art holds them: solid, striped, few-colour noise, colour runs. */
const tile = fc.oneof(
  fc.integer({ min: 0, max: 15 }).map((colour) => new Uint8Array(32).fill(colour * 0x11)),
  fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 })).map(([a, b]) => {
    const t = new Uint8Array(32);
    for (let row = 0; row < 8; row++) t.fill(row % 2 === 0 ? a * 0x11 : b * 0x11, row * 4, row * 4 + 4);
    return t;
  }),
  fc.tuple(fc.constantFrom(2, 3, 4, 16), fc.uint8Array({ minLength: 64, maxLength: 64 })).map(([colours, noise]) => {
    const t = new Uint8Array(32);
    for (let p = 0; p < 64; p++) t[p >> 1] = t[p >> 1]! | ((noise[p]! % colours) << (p % 2 === 0 ? 4 : 0));
    return t;
  }),
  fc.array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 20 })), { minLength: 1, maxLength: 12 }).map((runs) => {
    const t = new Uint8Array(32);
    let p = 0;
    for (let r = 0; p < 64; r = (r + 1) % runs.length) {
      const [colour, length] = runs[r]!;
      for (let k = 0; k < length && p < 64; k++, p++) t[p >> 1] = t[p >> 1]! | (colour << (p % 2 === 0 ? 4 : 0));
    }
    return t;
  }),
);

/** A tile set of fresh tiles and repeats of earlier ones (what XOR mode and long runs meet). */
const tileSet = fc.array(fc.tuple(tile, fc.integer({ min: -3, max: 20 })), { maxLength: 80 }).map((entries) => {
  const tiles: Uint8Array[] = [];
  for (const [fresh, repeat] of entries) tiles.push(repeat < 0 && tiles.length > 0 ? tiles[(tiles.length * 4 + repeat) % tiles.length]! : fresh);
  const out = new Uint8Array(tiles.length * 32);
  tiles.forEach((t, i) => out.set(t, i * 32));
  return out;
});

/** A valid stream of a tile set, at `max` or `accurate`, with the input it decodes to. */
const encodedTileSet = fc.tuple(tileSet, fc.constantFrom('max', 'accurate')).map(([data, level]) => ({ data, level, packed: compressNemesis(data, { level }) }));

const limitsFor = decoderLimitsAround;

describe('native Nemesis decoder = TypeScript decoder', () => {
  it('is the engine’s Nemesis decoder when the addon loads', () => {
    expect(activeNemesisImplementation()).toBe('native');
    expect(getCodec('nemesis').decompress(fixtureStreams[0]!).data).toEqual(reference.decode(fixtureStreams[0]!).data);
  });

  it('decodes every fixture vector to its .bin, with the reference’s packed length', () => {
    expect(streamNames.length).toBeGreaterThan(20);
    for (const [i, name] of streamNames.entries()) {
      const decoded = native.decode(fixtureStreams[i]!, 0);
      expect(Buffer.from(decoded.data).equals(readFixture(`${name.split('.')[0]!}.bin`)), name).toBe(true);
      expectParity(fixtureStreams[i]!, 0, undefined, name);
    }
  });

  it('refuses every malformed file with the reference’s error, and every truncation of every vector', () => {
    expect(malformedNames.length).toBeGreaterThan(5);
    for (const name of malformedNames) {
      const bytes = readFixture(join('malformed', name));
      expect(outcome(() => native.decode(bytes, 0)).ok, name).toBe(false);
      expectParity(bytes, 0, undefined, name);
    }
    for (const [i, stream] of fixtureStreams.entries()) {
      for (let length = 0; length <= stream.length; length += Math.max(1, stream.length >> 6)) expectParity(stream.subarray(0, length), 0, undefined, streamNames[i]);
    }
  });

  it('refuses bad offsets with the reference’s argument error, and probes them as null', () => {
    const stream = fixtureStreams[0]!;
    for (const offset of [-1, 0.5, stream.length + 1, Number.NaN, 2 ** 53]) expectParity(stream, offset);
    expectParity(stream, stream.length);
    expectParity(new Uint8Array(0), 0);
  });

  it('matches on encoder streams of tile-like inputs (max and accurate), at random offsets and limits', () => {
    fc.assert(
      fc.property(
        encodedTileSet.chain((encoded) => fc.tuple(fc.constant(encoded), fc.uint8Array({ maxLength: 5 }), fc.uint8Array({ maxLength: 3 }), limitsFor(encoded.data.length))),
        ([{ data, level, packed }, prefix, suffix, limits]) => {
          const framed = new Uint8Array(prefix.length + packed.length + suffix.length);
          framed.set(prefix, 0);
          framed.set(packed, prefix.length);
          framed.set(suffix, prefix.length + packed.length);
          expect(native.decode(framed, prefix.length).data, level).toEqual(data);
          expectParity(framed, prefix.length, limits, level);
          expectParity(framed, 0, limits, `${level} misaligned`);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('matches on tile sets of 4 KiB and more (the two-codes-per-lookup path), whole, mutated and truncated', () => {
    // Tile sets after 4 KiB of four-colour art (short codes, pairs in most lookups, a stream
    // over the 1 KiB the pair table needs).
    const bigTileSet = fc.tuple(fc.array(tileSet, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 1000 })).map(([parts, seed]) => {
      const art = seededBytes(4096, seed).map((v) => v & 0x33);
      const out = new Uint8Array(art.length + parts.reduce((sum, part) => sum + part.length, 0));
      out.set(art, 0);
      let at = art.length;
      for (const part of parts) {
        out.set(part, at);
        at += part.length;
      }
      return out;
    });
    fc.assert(
      fc.property(bigTileSet, fc.constantFrom('max', 'accurate'), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), fc.nat(), (data, level, edits, cut) => {
        const packed = compressNemesis(data, { level });
        expect(native.decode(packed, 0).data, level).toEqual(data);
        expectParity(packed, 0, undefined, level);
        const mutated = packed.slice();
        for (const [at, value] of edits) mutated[at % mutated.length] = value;
        expectParity(mutated, 0, undefined, `${level} mutated`);
        expectParity(mutated.subarray(0, cut % (mutated.length + 1)), 0, undefined, `${level} cut`);
      }),
      { numRuns: 25 },
    );
  });

  it('matches on mutated and truncated encoder streams', () => {
    fc.assert(
      fc.property(
        encodedTileSet,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        ({ packed }, edits, cut) => {
          const mutated = packed.slice();
          for (const [at, value] of edits) mutated[at % mutated.length] = value;
          expectParity(mutated, 0);
          expectParity(mutated.subarray(0, cut % (mutated.length + 1)), 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches on mutated fixture vectors (XOR mode, inline runs, every tool’s tables)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: fixtureStreams.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }),
        (index, edits, limit) => {
          const mutated = fixtureStreams[index]!.slice();
          if (mutated.length === 0) return;
          for (const [at, value] of edits) mutated[at % mutated.length] = value;
          expectParity(mutated, 0, limit === undefined ? undefined : { maximumOutputSizeInBytes: limit });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches on random bytes at random offsets, with headers declaring a few tiles', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const bytes = seededBytes(2 + (seed % 97) * 3, seed);
      // Most random headers declare hundreds of KiB (the limit refuses them); keep some small.
      if (seed % 2 === 0) bytes[0] = (bytes[0]! & 0x80) | 0;
      if (seed % 4 === 0) bytes[1] = bytes[1]! & 0x03;
      expectParity(bytes, 0);
      expectParity(bytes, seed % bytes.length, seed % 3 === 0 ? { maximumOutputSizeInBytes: 1 << 20 } : undefined);
    }
  });
});
