import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCodec } from '../../src/codecs/registry.js';
import { decodeGbaLz77, encodeGbaLz77 } from '../../src/codecs/gba/lz.js';
import { CodecOutputLimitError, CodecStreamCorruptError, CodecStreamTruncatedError, GbaBiosHeaderError } from '../../src/errors.js';

const dir = join(import.meta.dirname, '../../fixtures/gba-bios');
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)));
const main = read('main_c.bin');

/** Each GBACrusher vector, the codec that decodes it, and its size in bytes. */
const vectors: [string, string][] = [
  ['main_c_lz77_8.bin', 'lz77'],
  ['main_c_lz77_16.bin', 'lz77'],
  ['main_c_rl.bin', 'rle'],
  ['main_c_huff_4.bin', 'huffman'],
  ['main_c_huff_8.bin', 'huffman'],
  ['main_c_diff_8.bin', 'diff'],
  ['main_c_diff_16.bin', 'diff'],
];

/** Every copy distance used by a GBA LZ77 stream (walks the tokens). */
function lz77Distances(stream: Uint8Array): number[] {
  const size = stream[1]! | (stream[2]! << 8) | (stream[3]! << 16);
  const distances: number[] = [];
  let i = 4;
  let out = 0;
  while (out < size) {
    const flags = stream[i++]!;
    for (let bit = 7; bit >= 0 && out < size; bit--) {
      if (flags & (1 << bit)) {
        distances.push((((stream[i]! & 0xf) << 8) | stream[i + 1]!) + 1);
        out += (stream[i]! >> 4) + 3;
        i += 2;
      } else {
        i++;
        out++;
      }
    }
  }
  return distances;
}

describe('GBA BIOS decoders on the GBACrusher vectors', () => {
  for (const [file, codec] of vectors) {
    it(`${file} (${codec}) decodes to main_c.bin; probe agrees`, () => {
      const packed = read(file);
      const result = getCodec(codec).decompress(packed);
      expect(result.data).toEqual(main);
      // The packed length is the bytes the stream uses; the files add at most word padding.
      expect(result.packedLength).toBeLessThanOrEqual(packed.length);
      expect(packed.length - result.packedLength).toBeLessThan(4);
      expect(getCodec(codec).probe(packed)).toEqual({ packedLength: result.packedLength, unpackedLength: main.length });
    });
  }
  it('lz77_8 uses distance 1 and lz77_16 does not (the VRAM-safe one)', () => {
    expect(lz77Distances(read('main_c_lz77_8.bin'))).toContain(1);
    expect(lz77Distances(read('main_c_lz77_16.bin'))).not.toContain(1);
  });
});

describe('GBA BIOS encoders', () => {
  it('are no larger than GBACrusher on main_c.bin, and round-trip', () => {
    const sizes: Record<string, [number, number]> = {};
    const cases: [string, string, object, string][] = [
      ['lz77', 'lz77', {}, 'main_c_lz77_8.bin'],
      ['lz77 vram-safe', 'lz77', { vramSafe: true }, 'main_c_lz77_16.bin'],
      ['rle', 'rle', {}, 'main_c_rl.bin'],
      ['lz11', 'lz11', {}, 'main_c_lz77_8.bin'],
    ];
    for (const [label, codec, options, reference] of cases) {
      const packed = getCodec(codec).compress(main, options);
      expect(packed.length % 4).toBe(0);
      expect(getCodec(codec).decompress(packed).data).toEqual(main);
      sizes[label] = [packed.length, read(reference).length];
      expect(packed.length).toBeLessThanOrEqual(read(reference).length);
    }
    console.log('GBA encoders vs GBACrusher (ours, theirs):', JSON.stringify(sizes));
  });
  it('the VRAM-safe LZ77 never uses distance 1, even on runs', () => {
    const input = new Uint8Array(3000);
    for (let i = 0; i < input.length; i++) input[i] = i % 700 < 300 ? 7 : (i * 13) & 0xff;
    const safe = encodeGbaLz77(input, { vramSafe: true });
    expect(lz77Distances(safe)).not.toContain(1);
    expect(lz77Distances(encodeGbaLz77(input))).toContain(1);
    expect(decodeGbaLz77(safe).data).toEqual(input);
  });
  it('round-trip property for lz77 (both modes), lz11, rle', () => {
    const inputs = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 400 })), { maxLength: 20 }).map((runs) => new Uint8Array(runs.flatMap(([v, n]) => Array(n).fill(v)))),
    );
    fc.assert(
      fc.property(inputs, (input) => {
        for (const [codec, options] of [['lz77', {}], ['lz77', { vramSafe: true }], ['lz11', {}], ['rle', {}]] as const) {
          expect(getCodec(codec).decompress(getCodec(codec).compress(input, options)).data).toEqual(input);
        }
      }),
      { numRuns: 150, seed: 99 },
    );
  });
  it('LZ11 uses its long forms for long runs', () => {
    const input = new Uint8Array(70000).fill(0x11);
    const packed = getCodec('lz11').compress(input);
    expect(packed.length).toBeLessThan(24);
    expect(getCodec('lz11').decompress(packed).data).toEqual(input);
  });
});

describe('GBA BIOS malformed input', () => {
  it('refuses a wrong type byte with GbaBiosHeaderError', () => {
    expect(() => getCodec('lz77').decompress(read('main_c_rl.bin'))).toThrow(GbaBiosHeaderError);
    expect(getCodec('lz77').probe(read('main_c_rl.bin'))).toBeNull();
  });
  it('refuses a declared size over the limit before allocating', () => {
    const bomb = new Uint8Array([0x10, 0xff, 0xff, 0xff, 0x00]);
    expect(() => getCodec('lz77').decompress(bomb, 0, { maximumOutputSizeInBytes: 1 << 20 })).toThrow(CodecOutputLimitError);
  });
  it('reports truncation and copies before the start', () => {
    const packed = read('main_c_lz77_8.bin');
    expect(() => getCodec('lz77').decompress(packed.subarray(0, 700))).toThrow(CodecStreamTruncatedError);
    // First token a copy (flag bit set) with nothing written yet.
    expect(() => getCodec('lz77').decompress(new Uint8Array([0x10, 4, 0, 0, 0x80, 0x00, 0x00]))).toThrow(CodecStreamCorruptError);
    expect(() => getCodec('huffman').decompress(new Uint8Array([0x28, 4, 0, 0, 1, 0x3f, 1, 2, 0, 0, 0, 0]))).toThrow(CodecStreamCorruptError);
    expect(() => getCodec('diff').decompress(new Uint8Array([0x82, 3, 0, 0, 1, 2, 3]))).toThrow(CodecStreamCorruptError);
  });
});
