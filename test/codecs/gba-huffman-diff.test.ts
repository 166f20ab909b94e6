import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCodec } from '../../src/codecs/registry.js';
import { decodeGbaHuffman, encodeGbaHuffman } from '../../src/codecs/gba/huffman.js';
import { decodeGbaDiff, encodeGbaDiff } from '../../src/codecs/gba/diff.js';
import { codecInputs } from '../helpers/tile-inputs.js';

const dir = join(import.meta.dirname, '../../fixtures/gba-bios');
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)));
const main = read('main_c.bin');

/** Every tree node's 6-bit offset and child addresses, checked the way the BIOS walks them. */
function treeIsWellFormed(stream: Uint8Array): boolean {
  const treeBytes = (stream[4]! + 1) * 2;
  if (treeBytes % 4 !== 0) return false;
  const seen = new Set<number>();
  const visit = (address: number): boolean => {
    if (seen.has(address)) return false;
    seen.add(address);
    const value = stream[4 + address]!;
    const children = (address & ~1) + (value & 0x3f) * 2 + 2;
    if (children + 1 >= treeBytes) return false;
    for (const bit of [0, 1]) if ((value & (bit === 0 ? 0x80 : 0x40)) === 0 && !visit(children + bit)) return false;
    return true;
  };
  return visit(1);
}

describe('GBA BIOS Huffman encoder', () => {
  it('main_c.bin: both variants decode back, keep the fixtures\' header types, and are no larger than GBACrusher', () => {
    for (const [variant, fixture, type] of [['4', 'main_c_huff_4.bin', 0x24], ['8', 'main_c_huff_8.bin', 0x28]] as const) {
      const packed = getCodec('huffman').compress(main, { variant });
      expect(packed[0]).toBe(type);
      expect(packed[0]).toBe(read(fixture)[0]);
      expect(packed.subarray(1, 4)).toEqual(read(fixture).subarray(1, 4));
      expect(decodeGbaHuffman(packed).data).toEqual(main);
      expect(decodeGbaHuffman(packed).packedLength).toBe(packed.length);
      expect(packed.length % 4).toBe(0);
      expect(treeIsWellFormed(packed)).toBe(true);
      expect(packed.length).toBeLessThanOrEqual(read(fixture).length);
    }
    // Without a variant: the smaller of the two.
    const best = getCodec('huffman').compress(main);
    expect(best.length).toBe(Math.min(encodeGbaHuffman(main, { unitBits: 4 }).length, encodeGbaHuffman(main, { unitBits: 8 }).length));
  });

  it('near-uniform bytes (a tree 8 levels wide) still get offsets that fit 6 bits', () => {
    const uniform = new Uint8Array(256 * 16).map((_, i) => (i * 167) & 0xff);
    const packed = encodeGbaHuffman(uniform, { unitBits: 8 });
    expect(treeIsWellFormed(packed)).toBe(true);
    expect(decodeGbaHuffman(packed).data).toEqual(uniform);
    // The width cap costs bits against 8 per byte here (the worst case: Huffman cannot help such
    // data, and the default level picks the 4-bit variant for it).
    expect(packed.length).toBeLessThan(uniform.length * 1.2 + 520);
    expect(getCodec('huffman').compress(uniform)[0]).toBe(0x24);
  });

  it('one distinct value, and no data at all', () => {
    for (const data of [new Uint8Array(100).fill(0x55), new Uint8Array(0), Uint8Array.of(7)]) {
      for (const unitBits of [4, 8] as const) {
        const packed = encodeGbaHuffman(data, { unitBits });
        expect(decodeGbaHuffman(packed).data).toEqual(data);
        expect(treeIsWellFormed(packed)).toBe(true);
      }
    }
  });

  it('heavily skewed frequencies keep codes within the length limit', () => {
    // Fibonacci-like counts would give a 30-level Huffman tree.
    const parts: number[] = [];
    let a = 1;
    let b = 1;
    for (let symbol = 0; symbol < 26; symbol++) {
      for (let k = 0; k < a; k++) parts.push(symbol);
      [a, b] = [b, a + b];
    }
    const data = Uint8Array.from(parts);
    const packed = encodeGbaHuffman(data, { unitBits: 8 });
    expect(Buffer.from(decodeGbaHuffman(packed).data).equals(Buffer.from(data))).toBe(true);
  });

  it('refuses unknown variants and levels', () => {
    expect(() => getCodec('huffman').compress(main, { variant: '16' })).toThrow(expect.objectContaining({ code: 'ERR_CODEC_OPTION' }));
    expect(() => getCodec('huffman').compress(main, { level: '1' })).toThrow(expect.objectContaining({ code: 'ERR_CODEC_OPTION' }));
  });

  it('round-trips structured tile-like inputs with well-formed trees', () => {
    fc.assert(
      fc.property(codecInputs(40, 1200), fc.constantFrom(undefined, '4', '8'), (input, variant) => {
        const packed = getCodec('huffman').compress(input, variant === undefined ? {} : { variant });
        expect(treeIsWellFormed(packed)).toBe(true);
        const back = getCodec('huffman').decompress(packed);
        expect(back.data).toEqual(input);
        expect(back.packedLength).toBe(packed.length);
        expect(getCodec('huffman').probe(packed)).toEqual({ packedLength: packed.length, unpackedLength: input.length });
      }),
      { numRuns: 80, seed: 0x4ff },
    );
  });
});

describe('GBA BIOS difference filter encoder', () => {
  it('reproduces the GBACrusher vectors byte for byte', () => {
    expect(encodeGbaDiff(main, { unitBits: 8 })).toEqual(read('main_c_diff_8.bin'));
    expect(encodeGbaDiff(main, { unitBits: 16 })).toEqual(read('main_c_diff_16.bin'));
    expect(getCodec('diff').compress(main)).toEqual(read('main_c_diff_8.bin'));
    expect(getCodec('diff').compress(main, { variant: '16' })).toEqual(read('main_c_diff_16.bin'));
  });

  it('the 16-bit filter refuses an odd byte count; unknown variants are refused', () => {
    expect(() => getCodec('diff').compress(Uint8Array.of(1, 2, 3), { variant: '16' })).toThrow(expect.objectContaining({ code: 'ERR_CODEC_INPUT_SHAPE' }));
    expect(() => getCodec('diff').compress(main, { variant: '32' })).toThrow(expect.objectContaining({ code: 'ERR_CODEC_OPTION' }));
  });

  it('round-trips structured inputs in both widths, padded to a word', () => {
    fc.assert(
      fc.property(codecInputs(40, 1200), (input) => {
        for (const unitBits of [8, 16] as const) {
          if (unitBits === 16 && input.length % 2 === 1) continue;
          const packed = encodeGbaDiff(input, { unitBits });
          expect(packed.length % 4).toBe(0);
          const back = decodeGbaDiff(packed);
          expect(back.data).toEqual(input);
          expect(back.packedLength).toBe(4 + input.length);
        }
      }),
      { numRuns: 80, seed: 0xd1f },
    );
  });
});
