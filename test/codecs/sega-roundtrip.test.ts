import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCodec } from '../../src/codecs/registry.js';

// Structured inputs like the data these formats hold: Mega Drive 4bpp tiles (32 bytes, left
// pixel in the high nybble) drawn from small palettes, with solid tiles, stripes, runs and
// repeats of earlier tiles; and plane maps of 16-bit words (tile index, palette, flips, priority).

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
  // Runs of one colour across the tile, as the Nemesis run coder sees them.
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

/** A tile set: new tiles and repeats (plain, or with rows in the same place) of earlier ones. */
const tileSet = fc.array(fc.tuple(tile, fc.integer({ min: -3, max: 20 })), { maxLength: 40 }).map((entries) => {
  const tiles: Uint8Array[] = [];
  for (const [fresh, repeat] of entries) tiles.push(repeat < 0 && tiles.length > 0 ? tiles[(tiles.length + repeat + tiles.length * 3) % tiles.length]! : fresh);
  const out = new Uint8Array(tiles.length * 32);
  tiles.forEach((t, i) => out.set(t, i * 32));
  return out;
});

const word = fc.record({
  priority: fc.boolean(),
  palette: fc.integer({ min: 0, max: 3 }),
  vflip: fc.boolean(),
  hflip: fc.boolean(),
  tileIndex: fc.integer({ min: 0, max: 0x7ff }),
}).map((w) => (Number(w.priority) << 15) | (w.palette << 13) | (Number(w.vflip) << 12) | (Number(w.hflip) << 11) | w.tileIndex);

/** Plane-map pieces: runs of one word, counting and mirrored rows, and blank space. */
const planeMap = fc
  .array(
    fc.oneof(
      fc.tuple(word, fc.integer({ min: 1, max: 40 })).map(([w, n]) => Array<number>(n).fill(w)),
      fc.tuple(word, fc.integer({ min: 1, max: 40 })).map(([w, n]) => Array.from({ length: n }, (_, k) => (w & 0xf800) | (((w & 0x7ff) + k) & 0x7ff))),
      fc.tuple(word, fc.integer({ min: 1, max: 20 })).map(([w, n]) => Array.from({ length: n }, (_, k) => (w & 0xf800) | 0x0800 | (((w & 0x7ff) - k) & 0x7ff))),
      fc.integer({ min: 1, max: 64 }).map((n) => Array<number>(n).fill(0)),
      fc.array(word, { maxLength: 12 }),
    ),
    { maxLength: 30 },
  )
  .map((pieces) => {
    const words = pieces.flat();
    const out = new Uint8Array(words.length * 2);
    words.forEach((w, i) => {
      out[2 * i] = w >>> 8;
      out[2 * i + 1] = w & 0xff;
    });
    return out;
  });

function roundTrip(name: string, level: string, data: Uint8Array, trailing: number): void {
  const codec = getCodec(name);
  const packed = codec.compress(data, { level });
  const result = codec.decompress(packed);
  expect(Buffer.from(result.data).equals(Buffer.from(data))).toBe(true);
  expect(packed.length - result.packedLength).toBeGreaterThanOrEqual(0);
  expect(packed.length - result.packedLength).toBeLessThanOrEqual(trailing);
  expect(codec.probe(packed)).toEqual({ packedLength: result.packedLength, unpackedLength: data.length });
}

describe('Sega encoders round-trip structured tile and plane-map data', () => {
  it('nemesis max and accurate: tile sets decode back; max is never larger than accurate', () => {
    fc.assert(
      fc.property(tileSet, (data) => {
        roundTrip('nemesis', 'max', data, 0);
        roundTrip('nemesis', 'accurate', data, 1);
        expect(getCodec('nemesis').compress(data, { level: 'max' }).length).toBeLessThanOrEqual(getCodec('nemesis').compress(data, { level: 'accurate' }).length);
      }),
      { numRuns: 40, seed: 15 },
    );
  });

  it('kosinski and kosinski-moduled max and accurate: tile sets decode back; max never larger than accurate', () => {
    fc.assert(
      fc.property(tileSet, (data) => {
        for (const name of ['kosinski', 'kosinski-moduled']) {
          roundTrip(name, 'max', data, 0);
          roundTrip(name, 'accurate', data, 15);
          expect(getCodec(name).compress(data, { level: 'max' }).length).toBeLessThanOrEqual(getCodec(name).compress(data, { level: 'accurate' }).length);
        }
      }),
      { numRuns: 40, seed: 16 },
    );
  });

  it('kosinski-moduled across module boundaries: large tile sets of 4 KiB and more', () => {
    const large = fc.tuple(tileSet, fc.integer({ min: 1, max: 6 })).map(([tiles, copies]) => {
      const out = new Uint8Array(Math.min(0x5000, tiles.length * copies + 0x1000));
      for (let i = 0; i < out.length; i++) out[i] = tiles.length > 0 ? tiles[i % tiles.length]! : i & 0x0f;
      return out;
    });
    fc.assert(
      fc.property(large, (data) => {
        roundTrip('kosinski-moduled', 'max', data, 0);
        roundTrip('kosinski-moduled', 'accurate', data, 15);
      }),
      { numRuns: 10, seed: 17 },
    );
  });

  it('enigma max: plane maps decode back, never larger than 6 header bytes + 22 bits a word + the terminator', () => {
    fc.assert(
      fc.property(planeMap, (data) => {
        roundTrip('enigma', 'max', data, 0);
        const words = data.length / 2;
        // Worst case: literal groups of 15, each 7 + 15 * (11 + 5) bits.
        expect(getCodec('enigma').compress(data).length).toBeLessThanOrEqual(6 + Math.ceil((Math.ceil(words / 15) * 7 + words * 16 + 7) / 8) + 1);
      }),
      { numRuns: 60, seed: 18 },
    );
  });

  it('random bytes (no structure) round-trip too', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (bytes) => {
        roundTrip('kosinski', 'max', bytes, 0);
        roundTrip('kosinski', 'accurate', bytes, 15);
        roundTrip('nemesis', 'max', bytes.subarray(0, bytes.length & ~31), 0);
        roundTrip('enigma', 'max', bytes.subarray(0, bytes.length & ~1), 0);
      }),
      { numRuns: 30, seed: 19 },
    );
  });
});
