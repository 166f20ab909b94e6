/**
 * Nintendo-family encoders and decoder limits: round trips over tile-like data (runs, repeated
 * and flipped tiles, 2bpp/4bpp planes, inverted copies), `max` never larger than `fast`, the
 * format limits as typed errors, and caller output limits refused before allocation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLcLz, encodeLcLz, getCodec } from '../../src/codecs/index.js';
import { isRomgfxError } from '../../src/errors.js';
import { findLongestAbsoluteCopies, findLongestRelativeCopies, type CopyKind } from '../../src/codecs/nintendo/copy-matches.js';
import { bitReversedByte } from '../../src/codecs/nintendo/bit-reverse.js';

const lzCodecs = ['lc-lz1', 'lc-lz2', 'lc-lz3', 'lc-lz5', 'konami1'] as const;

const bitReversed = (value: number): number => {
  let out = 0;
  for (let bit = 0; bit < 8; bit++) if (value & (1 << bit)) out |= 0x80 >> bit;
  return out;
};

/** A tile of `size` bytes (16 = 2bpp, 32 = 4bpp) with a few colours in runs. */
const tile = (size: 16 | 32): fc.Arbitrary<number[]> =>
  fc.array(fc.oneof(fc.constant(0), fc.constant(0xff), fc.integer({ min: 0, max: 255 })), { minLength: size, maxLength: size });

/**
 * Tile sheets: a few base tiles, then a sequence of plain, horizontally flipped (bits mirrored),
 * vertically flipped (rows reversed), inverted, blank and noisy tiles, as game graphics have.
 */
const tileSheet = fc.constantFrom<16 | 32>(16, 32).chain((size) =>
  fc
    .tuple(
      fc.array(tile(size), { minLength: 1, maxLength: 6 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 60 }),
    )
    .map(([bases, picks]) => {
      const out: number[] = [];
      const rowBytes = size === 16 ? 2 : 2; // 2bpp rows are 2 bytes; 4bpp tiles are two 2bpp halves
      for (const [transform, which] of picks) {
        const base = bases[which % bases.length]!;
        switch (transform) {
          case 0:
            out.push(...base);
            break;
          case 1:
            out.push(...base.map(bitReversed));
            break;
          case 2: {
            const rows: number[][] = [];
            for (let r = 0; r < base.length; r += rowBytes) rows.push(base.slice(r, r + rowBytes));
            out.push(...rows.reverse().flat());
            break;
          }
          case 3:
            out.push(...base.map((v) => v ^ 0xff));
            break;
          case 4:
            out.push(...Array<number>(size).fill(0));
            break;
          default:
            out.push(...base.map((v, i) => (i % 3 === 0 ? (v * 7 + i) & 0xff : v)));
        }
      }
      return new Uint8Array(out);
    }),
);

/** Runs, alternations and counting sequences of every length class (1-32, 33-1,024, longer). */
const runs = fc
  .array(
    fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 1300 })),
    { maxLength: 12 },
  )
  .map((pieces) => {
    const out: number[] = [];
    for (const [kind, a, b, length] of pieces) {
      for (let k = 0; k < length; k++) out.push(kind === 0 ? a : kind === 1 ? (k & 1 ? b : a) : kind === 2 ? (a + k) & 0xff : k & 1 ? a : 0);
    }
    return new Uint8Array(out);
  });

const inputs = fc.oneof(tileSheet, runs, fc.uint8Array({ maxLength: 600 }));

function errorCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return isRomgfxError(error) ? error.code : `untyped ${String(error)}`;
  }
  return 'no error';
}

describe('Nintendo-family encoders', () => {
  it('every level round-trips tile sheets, runs and noise; max is never larger than fast; probe agrees', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        for (const name of lzCodecs) {
          const codec = getCodec(name);
          const fast = codec.compress(input, { level: 'fast' });
          const max = codec.compress(input, { level: 'max' });
          expect(max.length).toBeLessThanOrEqual(fast.length);
          for (const packed of [fast, max]) {
            const result = codec.decompress(packed);
            expect(Buffer.from(result.data).equals(Buffer.from(input))).toBe(true);
            expect(result.packedLength).toBe(packed.length);
            expect(codec.probe(packed)).toEqual({ packedLength: packed.length, unpackedLength: input.length });
          }
        }
      }),
      { numRuns: 30, seed: 1515 },
    );
  });

  it('LZ3 and LZ5 use their flipped, reversed and inverted copies: a tile and its transforms cost little more than the tile', () => {
    const base = new Uint8Array(64);
    for (let i = 0; i < 64; i++) base[i] = (i * 37 + 11) & 0xff;
    const mirrored = Uint8Array.from(base, bitReversed);
    const reversed = base.slice().reverse();
    const inverted = Uint8Array.from(base, (v) => v ^ 0xff);
    const sheet = (second: Uint8Array): Uint8Array => Uint8Array.from([...base, ...second]);
    // 64 literal bytes + 2 headers + terminator; the transformed half is one 2-3 byte command.
    expect(encodeLcLz(3, sheet(mirrored)).length).toBeLessThanOrEqual(64 + 2 + 1 + 4);
    expect(encodeLcLz(3, sheet(reversed)).length).toBeLessThanOrEqual(64 + 2 + 1 + 4);
    expect(encodeLcLz(5, sheet(inverted)).length).toBeLessThanOrEqual(64 + 2 + 1 + 4);
    // LZ2 has none of these: the same sheets cost about twice as much.
    expect(encodeLcLz(2, sheet(mirrored)).length).toBeGreaterThan(120);
  });

  it('gen1-pic round-trips square pictures of 1-15 tiles a side and picks the smallest mode', () => {
    const codec = getCodec('gen1-pic');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 3 }), fc.integer(), (side, style, seed) => {
        const picture = new Uint8Array(side * side * 16);
        let state = seed | 1;
        for (let i = 0; i < picture.length; i++) {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          // 0: noise, 1: sparse, 2: one plane only, 3: both planes equal (mode 1/2 territory)
          const value = state & 0xff;
          picture[i] = style === 0 ? value : style === 1 ? (value < 40 ? value : 0) : style === 2 ? (i & 1 ? 0 : value & 0xf0) : i & 1 ? picture[i - 1]! : value & 0x3c;
        }
        const packed = codec.compress(picture);
        const result = codec.decompress(packed);
        expect(Buffer.from(result.data).equals(Buffer.from(picture))).toBe(true);
        expect(result.packedLength).toBe(packed.length);
        expect(packed[0]).toBe((side << 4) | side);
      }),
      { numRuns: 60, seed: 151 },
    );
  });

  it('refuses inputs the formats cannot hold, with typed errors', () => {
    expect(errorCode(() => getCodec('lc-lz2').compress(new Uint8Array(65537)))).toBe('ERR_CODEC_INPUT_TOO_LARGE');
    expect(errorCode(() => getCodec('lc-lz5').compress(new Uint8Array(65537)))).toBe('ERR_CODEC_INPUT_TOO_LARGE');
    // LZ3's absolute source is 15 bits.
    expect(errorCode(() => getCodec('lc-lz3').compress(new Uint8Array(32769)))).toBe('ERR_CODEC_INPUT_TOO_LARGE');
    expect(getCodec('lc-lz3').compress(new Uint8Array(32768)).length).toBeLessThan(100);
    expect(errorCode(() => getCodec('konami1').compress(new Uint8Array(65537)))).toBe('ERR_CODEC_INPUT_TOO_LARGE');
    // 64 KiB of noise expands past konami1's 16-bit size field.
    const noise = new Uint8Array(65536);
    for (let i = 0, x = 7; i < noise.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      noise[i] = x & 0xff;
    }
    expect(errorCode(() => getCodec('konami1').compress(noise, { level: 'fast' }))).toBe('ERR_CODEC_PACKED_TOO_LARGE');
    for (const size of [0, 15, 17, 48, 16 * 16 * 16]) expect(errorCode(() => getCodec('gen1-pic').compress(new Uint8Array(size)))).toBe('ERR_PIC_DIMENSIONS');
    for (const name of [...lzCodecs, 'gen1-pic']) expect(errorCode(() => getCodec(name).compress(new Uint8Array(16), { level: 'best' }))).toBe('ERR_CODEC_OPTION');
  });

  it('64 KiB inputs: the largest each 16-bit-address format holds round-trip', () => {
    const data = new Uint8Array(65536);
    for (let i = 0; i < data.length; i++) data[i] = i < 32768 ? (i >> 4) & 0xff : data[i - 32768 + ((i >> 9) & 7)]!;
    for (const variant of [1, 2, 5] as const) {
      const packed = encodeLcLz(variant, data);
      expect(Buffer.from(decodeLcLz(variant, packed).data).equals(Buffer.from(data))).toBe(true);
    }
  });
});

describe('Nintendo-family copy searches', () => {
  it('the suffix-array (absolute) and windowed (relative) searches find exactly what a brute-force search finds, with a source that gives it', () => {
    const kinds: CopyKind[] = [
      { transform: null, backward: false },
      { transform: bitReversedByte, backward: false },
      { transform: null, backward: true },
    ];
    const arbitrary = fc.record({
      // Few symbols and repeats: long, overlapping and palindromic matches everywhere.
      data: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 250 }).map((values) => Uint8Array.from(values, (v, i) => (v === 3 && i > 0 ? 0x80 : v))),
      window: fc.integer({ min: 1, max: 130 }),
      cap: fc.integer({ min: 1, max: 300 }),
    });
    fc.assert(
      fc.property(arbitrary, ({ data, window, cap }) => {
        const relative = findLongestRelativeCopies(data, kinds, window, cap);
        const absolute = findLongestAbsoluteCopies(data, kinds, cap);
        const n = data.length;
        const matchLength = (i: number, s: number, kind: CopyKind): number => {
          let length = 0;
          while (length < cap && i + length < n) {
            const from = kind.backward ? s - length : s + length;
            if (from < 0) break;
            const v = data[from]!;
            if ((kind.transform ? kind.transform[v]! : v) !== data[i + length]) break;
            length++;
          }
          return length;
        };
        for (let i = 0; i < n; i++) {
          let bestRelative = 0;
          let bestAbsolute = 0;
          for (let s = 0; s < i; s++) {
            for (const kind of kinds) {
              const length = matchLength(i, s, kind);
              if (i - s <= window) bestRelative = Math.max(bestRelative, length);
              bestAbsolute = Math.max(bestAbsolute, length);
            }
          }
          expect(relative.length[i]).toBe(bestRelative);
          expect(absolute.length[i]).toBe(bestAbsolute);
          for (const [found, limit] of [[relative, window], [absolute, n]] as const) {
            if (found.length[i] === 0) continue;
            expect(i - found.source[i]!).toBeGreaterThan(0);
            expect(i - found.source[i]!).toBeLessThanOrEqual(limit);
            expect(matchLength(i, found.source[i]!, kinds[found.kind[i]!]!)).toBe(found.length[i]);
          }
        }
      }),
      { numRuns: 60, seed: 315 },
    );
  });
});

describe('Nintendo-family decoders: overlapping copies', () => {
  it('a long copy overlapping its own output repeats the period, for every period 1-40, absolute (LZ2) and relative (LZ5)', () => {
    for (let period = 1; period <= 40; period++) {
      for (const count of [16, 17, 100, 1024]) {
        // `period` literal bytes, then a long repeat of `count` bytes from index 0.
        const literal = Array.from({ length: period }, (_, k) => (k * 29 + 3) & 0xff);
        const expected = [...literal];
        for (let k = 0; k < count; k++) expected.push(expected[k]!);
        const header = [0xe0 | (4 << 2) | ((count - 1) >> 8), (count - 1) & 0xff];
        // Literal runs over 32 bytes need the long form.
        const literalHeader = period <= 32 ? [period - 1] : [0xe0, period - 1];
        const lz2 = Uint8Array.from([...literalHeader, ...literal, ...header, 0x00, 0x00, 0xff]);
        expect(Array.from(decodeLcLz(2, lz2).data)).toEqual(expected);
        // LZ5's relative repeat (command 6) at distance `period`.
        const lz5 = Uint8Array.from([...literalHeader, ...literal, 0xe0 | (6 << 2) | ((count - 1) >> 8), (count - 1) & 0xff, period, 0xff]);
        expect(Array.from(decodeLcLz(5, lz5).data)).toEqual(expected);
      }
    }
  });
});

describe('Nintendo-family decoders: caller limits', () => {
  it('a stream over the caller limit is refused before output is built; probe returns null; the limit itself is fine', () => {
    const data = new Uint8Array(5000).fill(7);
    for (const name of lzCodecs) {
      const codec = getCodec(name);
      const packed = codec.compress(data);
      expect(errorCode(() => codec.decompress(packed, 0, { maximumOutputSizeInBytes: 4999 })), name).toBe('ERR_CODEC_OUTPUT_LIMIT');
      expect(codec.probe(packed, 0, { maximumOutputSizeInBytes: 4999 }), name).toBeNull();
      expect(codec.decompress(packed, 0, { maximumOutputSizeInBytes: 5000 }).data.length, name).toBe(5000);
      expect(errorCode(() => codec.decompress(packed, 0, { maximumOutputSizeInBytes: -1 })), name).toBe('ERR_INVALID_ARGUMENT');
      expect(errorCode(() => codec.decompress(packed, packed.length + 1)), name).toBe('ERR_INVALID_ARGUMENT');
      expect(codec.probe(packed, packed.length + 1), name).toBeNull();
    }
    const pic = getCodec('gen1-pic');
    const picture = pic.compress(new Uint8Array(7 * 7 * 16));
    expect(errorCode(() => pic.decompress(picture, 0, { maximumOutputSizeInBytes: 783 }))).toBe('ERR_CODEC_OUTPUT_LIMIT');
    expect(pic.probe(picture, 0, { maximumOutputSizeInBytes: 783 })).toBeNull();
  });

  it('konami1: a zero run reaching 66 KiB is refused at the 64 KiB default; a caller may allow more', () => {
    // 0xFF = 33 zeros per byte: 2,000 of them make 66,000 bytes.
    const stream = new Uint8Array(2002).fill(0xff);
    stream[0] = 2002 & 0xff;
    stream[1] = 2002 >> 8;
    expect(errorCode(() => getCodec('konami1').decompress(stream))).toBe('ERR_CODEC_OUTPUT_LIMIT');
    expect(getCodec('konami1').decompress(stream, 0, { maximumOutputSizeInBytes: 70000 }).data.length).toBe(66000);
  });

  it('undefined commands are refused (LZ2 command 6, LZ1 long command 7); LZ5 long command 7 is its relative inverted copy', () => {
    expect(errorCode(() => getCodec('lc-lz2').decompress(Uint8Array.of(0x00, 0x41, 0xc2, 0x00, 0x00, 0xff)))).toBe('ERR_CODEC_CORRUPT');
    expect(errorCode(() => getCodec('lc-lz1').decompress(Uint8Array.of(0x00, 0x41, 0xfc, 0x02, 0x00, 0x00, 0xff)))).toBe('ERR_CODEC_CORRUPT');
    // LZ5's long-only command 7 is defined (relative inverted copy).
    expect(Array.from(getCodec('lc-lz5').decompress(Uint8Array.of(0x00, 0x41, 0xfc, 0x01, 0x01, 0xff)).data)).toEqual([0x41, 0xbe, 0x41]);
  });
});
