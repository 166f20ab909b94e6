/**
 * Parity of the native Saxman, Kosinski, Kosinski Moduled, Comper and LZ4W kernels with the TypeScript
 * references: identical bytes, packed length and unpacked length, and identical errors (class,
 * code, message, details), for every fixture vector and malformed file, streams the TypeScript
 * encoders make from tile-like inputs at every level (Saxman headed and headerless), the same
 * streams mutated and truncated, random bytes, and random offsets and limits (under and over the
 * 64 KiB the native glue decodes in one pass). Decode and probe are both compared. Fails (never
 * skips) when the addon did not build. Bounded to a few seconds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSaxman, typescriptSaxmanKernels } from '../../src/codecs/sega/saxman.js';
import { typescriptKosinskiKernels } from '../../src/codecs/sega/kosinski.js';
import { compressKosinski } from '../../src/codecs/sega/kosinski-encode.js';
import { compressKosinskiModuled, typescriptKosinskiModuledKernels } from '../../src/codecs/sega/kosinski-moduled.js';
import type { DecodeKernels } from '../../src/codecs/sega/common.js';
import { encodeComper, typescriptComperKernels } from '../../src/codecs/sega/comper.js';
import { encodeLz4w, typescriptLz4wKernels } from '../../src/codecs/sega/lz4w.js';
import { getCodec } from '../../src/codecs/registry.js';
import type { DecodeLimits } from '../../src/codecs/types.js';
import { activeSegaLzImplementations, nativeComperKernels, nativeKosinskiKernels, nativeKosinskiModuledKernels, nativeLz4wKernels, nativeSaxmanKernels } from '../../src/native/index.js';
import { decoderLimitsAround, expectDecoderParity, outcome, requireNative, seededBytes } from './helpers.js';

requireNative();

interface Subject {
  codec: 'saxman' | 'kosinski' | 'kosinski-moduled' | 'comper' | 'lz4w';
  folder: string;
  extension: string;
  native: DecodeKernels;
  reference: DecodeKernels;
  /** Encoder streams of `data` at every level/framing, with the limits that decode them. */
  encode(data: Uint8Array): { label: string; packed: Uint8Array; limits?: DecodeLimits }[];
}

const subjects: Subject[] = [
  {
    codec: 'saxman',
    folder: 'saxman',
    extension: '.sax',
    native: nativeSaxmanKernels()!,
    reference: typescriptSaxmanKernels,
    encode: (data) => [
      { label: 'max', packed: encodeSaxman(data, { level: 'max' }) },
      { label: 'fast', packed: encodeSaxman(data, { level: 'fast' }) },
      { label: 'headerless', packed: encodeSaxman(data, { level: 'max', headerless: true }), limits: { outputSizeInBytes: data.length } },
    ],
  },
  {
    codec: 'kosinski',
    folder: 'kosinski',
    extension: '.kos',
    native: nativeKosinskiKernels()!,
    reference: typescriptKosinskiKernels,
    encode: (data) => [
      { label: 'max', packed: compressKosinski(data, { level: 'max' }) },
      { label: 'accurate', packed: compressKosinski(data, { level: 'accurate' }) },
    ],
  },
  {
    codec: 'kosinski-moduled',
    folder: 'kosm',
    extension: '.kosm',
    native: nativeKosinskiModuledKernels()!,
    reference: typescriptKosinskiModuledKernels,
    encode: (data) => [
      { label: 'max', packed: compressKosinskiModuled(data, { level: 'max' }) },
      { label: 'accurate', packed: compressKosinskiModuled(data, { level: 'accurate' }) },
    ],
  },
  {
    codec: 'comper',
    folder: 'comper',
    extension: '.comp',
    native: nativeComperKernels()!,
    reference: typescriptComperKernels,
    // Tile sets are whole 32-byte tiles: always an even length, as Comper needs.
    encode: (data) => [
      { label: 'max', packed: encodeComper(data, { level: 'max' }) },
      { label: 'fast', packed: encodeComper(data, { level: 'fast' }) },
    ],
  },
  {
    codec: 'lz4w',
    folder: 'lz4w',
    extension: '.lz4w',
    native: nativeLz4wKernels()!,
    reference: typescriptLz4wKernels,
    encode: (data) => [
      { label: 'max', packed: encodeLz4w(data, { level: 'max' }) },
      { label: 'fast', packed: encodeLz4w(data, { level: 'fast' }) },
    ],
  },
];

/** Mega Drive 4bpp-like tiles: solid, striped, few-colour noise, and repeats of earlier tiles. */
const tile = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((value) => new Uint8Array(32).fill(value)),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => Uint8Array.from({ length: 32 }, (_, i) => (i % 4 < 2 ? a : b))),
  fc.tuple(fc.constantFrom(0x11, 0x33, 0xff), fc.uint8Array({ minLength: 32, maxLength: 32 })).map(([mask, noise]) => noise.map((v) => v & mask)),
);
const tileSet = fc.array(fc.tuple(tile, fc.integer({ min: -3, max: 20 })), { maxLength: 48 }).map((entries) => {
  const tiles: Uint8Array[] = [];
  for (const [fresh, repeat] of entries) tiles.push(repeat < 0 && tiles.length > 0 ? tiles[(tiles.length * 4 + repeat) % tiles.length]! : fresh);
  const out = new Uint8Array(tiles.length * 32);
  tiles.forEach((t, i) => out.set(t, i * 32));
  return out;
});

const limitsFor = decoderLimitsAround;

for (const subject of subjects) {
  const { codec, native, reference } = subject;
  const fixtureDir = join(import.meta.dirname, '../../fixtures/codecs', subject.folder);
  const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(fixtureDir, name)));
  const streamNames = readdirSync(fixtureDir).filter((name) => name.endsWith(subject.extension)).sort();
  const malformedNames = readdirSync(join(fixtureDir, 'malformed')).sort();
  const fixtureStreams = streamNames.map(readFixture);

  function expectParity(bytes: Uint8Array, offset = 0, limits?: DecodeLimits, label = ''): void {
    expectDecoderParity(native, reference, bytes, offset, limits, `${codec} ${label}`);
  }

  describe(`native ${codec} decoder = TypeScript decoder`, () => {
    it('is the engine’s decoder when the addon loads', () => {
      expect(activeSegaLzImplementations()[codec]).toBe('native');
      expect(getCodec(codec).decompress(fixtureStreams[0]!).data).toEqual(reference.decode(fixtureStreams[0]!).data);
    });

    it('decodes every fixture vector to its .bin, with the reference’s packed length, under and over a 64 KiB limit', () => {
      expect(streamNames.length).toBeGreaterThan(4);
      for (const [i, name] of streamNames.entries()) {
        const decoded = native.decode(fixtureStreams[i]!, 0);
        expect(Buffer.from(decoded.data).equals(readFixture(`${name.split('.')[0]!}.bin`)), name).toBe(true);
        expectParity(fixtureStreams[i]!, 0, undefined, name);
        expectParity(fixtureStreams[i]!, 0, { maximumOutputSizeInBytes: 1 << 20 }, name);
        expectParity(fixtureStreams[i]!, 0, { maximumOutputSizeInBytes: Math.max(0, decoded.data.length - 1) }, name);
      }
    });

    it('refuses every malformed file with the reference’s error, and every truncation of every vector', () => {
      expect(malformedNames.length).toBeGreaterThan(0);
      for (const name of malformedNames) {
        const bytes = readFixture(join('malformed', name));
        expect(outcome(() => native.decode(bytes, 0)).ok, name).toBe(false);
        expectParity(bytes, 0, undefined, name);
      }
      for (const [i, stream] of fixtureStreams.entries()) {
        for (let length = 0; length <= stream.length; length += Math.max(1, stream.length >> 5)) expectParity(stream.subarray(0, length), 0, undefined, streamNames[i]);
      }
    });

    it('refuses bad offsets with the reference’s argument error, and probes them as null', () => {
      const stream = fixtureStreams[0]!;
      for (const offset of [-1, 0.5, stream.length + 1, Number.NaN, 2 ** 53]) expectParity(stream, offset);
      expectParity(stream, stream.length);
      expectParity(new Uint8Array(0), 0);
    });

    it('matches on encoder streams of tile-like inputs, at random offsets and limits', () => {
      fc.assert(
        fc.property(
          tileSet.chain((data) => fc.tuple(fc.constant(data), fc.uint8Array({ maxLength: 5 }), fc.uint8Array({ maxLength: 3 }), limitsFor(data.length))),
          ([data, prefix, suffix, extra]) => {
            for (const { label, packed, limits } of subject.encode(data)) {
              const framed = new Uint8Array(prefix.length + packed.length + suffix.length);
              framed.set(prefix, 0);
              framed.set(packed, prefix.length);
              framed.set(suffix, prefix.length + packed.length);
              expect(native.decode(framed, prefix.length, limits).data, label).toEqual(data);
              expectParity(framed, prefix.length, { ...limits, ...extra }, label);
              expectParity(framed, 0, { ...limits, ...extra }, `${label} misaligned`);
            }
          },
        ),
        { numRuns: 60 },
      );
    });

    it('matches on mutated and truncated encoder streams and fixture vectors', () => {
      fc.assert(
        fc.property(
          fc.oneof(tileSet.map((data) => subject.encode(data)[0]!.packed), fc.nat({ max: fixtureStreams.length - 1 }).map((i) => fixtureStreams[i]!)),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
          fc.nat(),
          fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }),
          fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
          (packed, edits, cut, limit, exact) => {
            const mutated = packed.slice();
            // Header bytes are left alone half the time, so most mutations reach the commands.
            for (const [at, value] of edits) if (mutated.length > 2) mutated[2 + (at % (mutated.length - 2))] = value;
            const limits: DecodeLimits | undefined = limit === undefined ? undefined : { maximumOutputSizeInBytes: limit };
            expectParity(mutated, 0, limits);
            expectParity(mutated.subarray(0, cut % (mutated.length + 1)), 0, limits);
            if (edits.length > 3 && mutated.length > 0) mutated[0] = edits[0]![1];
            expectParity(mutated, 0, limits);
            // Saxman's headerless framing (the others ignore outputSizeInBytes).
            if (exact !== undefined) expectParity(mutated, 0, { ...limits, outputSizeInBytes: exact });
          },
        ),
        { numRuns: 200 },
      );
    });

    it('matches on random bytes at random offsets', () => {
      for (let seed = 1; seed <= 300; seed++) {
        const bytes = seededBytes(2 + (seed % 97) * 3, seed);
        if (seed % 2 === 0) {
          bytes[0] = codec === 'kosinski-moduled' ? 0 : (bytes.length - 2) & 0xff;
          bytes[1] = codec === 'kosinski-moduled' ? bytes.length & 0xff : (bytes.length - 2) >> 8;
        }
        expectParity(bytes, 0);
        expectParity(bytes, seed % bytes.length, seed % 3 === 0 ? { maximumOutputSizeInBytes: 1 << 20 } : undefined);
        if (codec === 'saxman') expectParity(bytes, 0, { outputSizeInBytes: seed * 7 });
      }
    });
  });
}

describe('native lz4w = TypeScript on long copies from the ROM bytes before the stream (SGDK rescomp)', () => {
  const native = nativeLz4wKernels()!;
  const reference = typescriptLz4wKernels;
  /** `prefix` bytes of ROM, then a stream: 2 literal words, a long copy of (operand + 2) words whose W has bit 15 set and a signed doubled offset `wordOffsetInBytes` from W's own address, then the end block. */
  function streamAfterPrefix(prefix: Uint8Array, operand: number, wordOffsetInBytes: number): { bytes: Uint8Array; start: number } {
    const start = prefix.length;
    const w = 0x8000 | ((wordOffsetInBytes >> 1) & 0x7fff);
    const stream = [0x20, operand, 0x12, 0x34, 0x56, 0x78, w >> 8, w & 0xff, 0x00, 0x00, 0x00, 0x00];
    const bytes = new Uint8Array(start + stream.length);
    bytes.set(prefix);
    bytes.set(stream, start);
    return { bytes, start };
  }
  it('copies from inside the prefix, and refuses a source that reaches into the stream or before byte 0, with identical results and errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 600 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: -700, max: 40 }), (prefix, operand, offset) => {
        const { bytes, start } = streamAfterPrefix(prefix, operand, offset * 2);
        expectDecoderParity(native, reference, bytes, start, undefined, `lz4w rom source ${offset * 2}`);
      }),
      { numRuns: 400 },
    );
    // A source wholly inside the prefix decodes to the prefix's bytes: W stands 6 bytes into the
    // stream (header, 2 literal words), so an offset of 8 − (64 + 6) copies prefix[8..16).
    const prefix = Uint8Array.from({ length: 64 }, (_, i) => i);
    const { bytes, start } = streamAfterPrefix(prefix, 2, 8 - (prefix.length + 6));
    const decoded = native.decode(bytes, start);
    expect(Array.from(decoded.data.subarray(4))).toEqual(Array.from(prefix.subarray(8, 16)));
    expect(decoded).toEqual(reference.decode(bytes, start));
  });
});
