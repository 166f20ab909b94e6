/**
 * Parity of the native konami1 kernels with the TypeScript reference: identical bytes, packed
 * length and unpacked length, and identical errors (class, code, message, details), for every
 * fixture vector and malformed file, streams the TypeScript encoder makes from tile-like inputs
 * at `fast` and `max`, the same streams mutated and truncated, random bytes, and random offsets
 * and limits (under and over the 64 KiB the decoders handle in one pass). Decode and probe are
 * both compared. Fails (never skips) when the addon did not build. Bounded to a few seconds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeKonami1, typescriptKonami1Kernels, type Konami1Kernels } from '../../src/codecs/nintendo/konami1.js';
import { getCodec } from '../../src/codecs/registry.js';
import type { DecodeLimits } from '../../src/codecs/types.js';
import { activeKonami1Implementation, nativeKonami1Kernels } from '../../src/native/index.js';
import { decoderLimitsAround, expectDecoderParity, outcome, requireNative, seededBytes } from './helpers.js';

requireNative();
const native: Konami1Kernels = nativeKonami1Kernels()!;
const reference = typescriptKonami1Kernels;

const fixtureDir = join(import.meta.dirname, '../../fixtures/codecs/konami1');
const streamPaths = [
  ...readdirSync(fixtureDir).filter((name) => name.endsWith('.lz12')),
  ...readdirSync(join(fixtureDir, 'examples')).filter((name) => name.endsWith('.lz12')).map((name) => join('examples', name)),
].sort();
const malformedNames = readdirSync(join(fixtureDir, 'malformed')).filter((name) => name.endsWith('.lz12')).sort();
const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(fixtureDir, name)));
const fixtureStreams = streamPaths.map(readFixture);

function expectParity(bytes: Uint8Array, offset = 0, limits?: DecodeLimits, label = ''): void {
  expectDecoderParity(native, reference, bytes, offset, limits, label);
}

/** SNES 2bpp/4bpp-like tiles: solid, striped, few-colour noise, and repeats of earlier tiles. */
const tile = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((value) => new Uint8Array(32).fill(value)),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => Uint8Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? a : b))),
  fc.tuple(fc.constantFrom(0x01, 0x03, 0x0f, 0xff), fc.uint8Array({ minLength: 32, maxLength: 32 })).map(([mask, noise]) => noise.map((v) => v & mask)),
  fc.uint8Array({ minLength: 16, maxLength: 16 }).map((plane) => Uint8Array.from({ length: 32 }, (_, i) => (i < 16 ? plane[i]! : 0))),
);
const tileSet = fc.array(fc.tuple(tile, fc.integer({ min: -3, max: 20 })), { maxLength: 60 }).map((entries) => {
  const tiles: Uint8Array[] = [];
  for (const [fresh, repeat] of entries) tiles.push(repeat < 0 && tiles.length > 0 ? tiles[(tiles.length * 4 + repeat) % tiles.length]! : fresh);
  const out = new Uint8Array(tiles.length * 32);
  tiles.forEach((t, i) => out.set(t, i * 32));
  return out;
});
const encodedTileSet = fc.tuple(tileSet, fc.constantFrom('fast', 'max')).map(([data, level]) => ({ data, level, packed: encodeKonami1(data, level) }));

const limitsFor = decoderLimitsAround;

describe('native konami1 decoder = TypeScript decoder', () => {
  it('is the engine’s konami1 decoder when the addon loads', () => {
    expect(activeKonami1Implementation()).toBe('native');
    expect(getCodec('konami1').decompress(fixtureStreams[0]!).data).toEqual(reference.decode(fixtureStreams[0]!).data);
  });

  it('decodes every fixture vector to its .bin, with the reference’s packed length, under and over a 64 KiB limit', () => {
    expect(streamPaths.length).toBeGreaterThan(10);
    for (const [i, name] of streamPaths.entries()) {
      const decoded = native.decode(fixtureStreams[i]!, 0);
      expect(Buffer.from(decoded.data).equals(readFixture(name.replace(/\.lz12$/, '.bin'))), name).toBe(true);
      expectParity(fixtureStreams[i]!, 0, undefined, name);
      expectParity(fixtureStreams[i]!, 0, { maximumOutputSizeInBytes: 1 << 20 }, name);
      expectParity(fixtureStreams[i]!, 0, { maximumOutputSizeInBytes: Math.max(0, decoded.data.length - 1) }, name);
    }
  });

  it('refuses every malformed file with the reference’s error, and every truncation of every vector', () => {
    expect(malformedNames.length).toBeGreaterThan(3);
    for (const name of malformedNames) {
      const bytes = readFixture(join('malformed', name));
      expect(outcome(() => native.decode(bytes, 0)).ok, name).toBe(false);
      expectParity(bytes, 0, undefined, name);
    }
    for (const [i, stream] of fixtureStreams.entries()) {
      for (let length = 0; length <= stream.length; length += Math.max(1, stream.length >> 5)) expectParity(stream.subarray(0, length), 0, undefined, streamPaths[i]);
    }
  });

  it('refuses bad offsets with the reference’s argument error, and probes them as null', () => {
    const stream = fixtureStreams[0]!;
    for (const offset of [-1, 0.5, stream.length + 1, Number.NaN, 2 ** 53]) expectParity(stream, offset);
    expectParity(stream, stream.length);
    expectParity(new Uint8Array(0), 0);
  });

  it('matches on encoder streams of tile-like inputs (fast and max), at random offsets and limits', () => {
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
      { numRuns: 100 },
    );
  });

  it('matches on mutated and truncated encoder streams and fixture vectors', () => {
    fc.assert(
      fc.property(
        fc.oneof(encodedTileSet.map(({ packed }) => packed), fc.nat({ max: fixtureStreams.length - 1 }).map((i) => fixtureStreams[i]!)),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }),
        (packed, edits, cut, limit) => {
          const mutated = packed.slice();
          // Header bytes are left alone half the time, so most mutations reach the commands.
          for (const [at, value] of edits) if (mutated.length > 2) mutated[2 + (at % (mutated.length - 2))] = value;
          const limits = limit === undefined ? undefined : { maximumOutputSizeInBytes: limit };
          expectParity(mutated, 0, limits);
          expectParity(mutated.subarray(0, cut % (mutated.length + 1)), 0, limits);
          if (edits.length > 3 && mutated.length > 0) mutated[0] = edits[0]![1];
          expectParity(mutated, 0, limits);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches on random bytes at random offsets, with stated sizes inside the input', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const bytes = seededBytes(2 + (seed % 97) * 3, seed);
      if (seed % 2 === 0) {
        bytes[0] = bytes.length & 0xff;
        bytes[1] = bytes.length >> 8;
      }
      expectParity(bytes, 0);
      expectParity(bytes, seed % bytes.length, seed % 3 === 0 ? { maximumOutputSizeInBytes: 1 << 20 } : undefined);
    }
  });
});
