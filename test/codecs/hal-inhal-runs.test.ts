/**
 * inhal's fill caps on long runs (hal.md "Encoder"; issue #15): a word fill takes 2,048 bytes only
 * when the pair repeats at least that far; a run of 1,025–2,047 bytes (one byte value, or a
 * 2-byte pattern) is cut at 1,024 and the rest is the next command. Asserted as exact command
 * bytes on both kernel paths, at every inhal level.
 */
import { describe, expect, it } from 'vitest';
import { typescriptHalKernels, type HalKernels } from '../../src/codecs/hal/kernels.js';
import { inhalWordFillSize } from '../../src/codecs/hal/encode.js';
import { decodeHal } from '../../src/codecs/hal/decode.js';
import { nativeHalKernels } from '../../src/native/index.js';
import { requireNative } from '../native/helpers.js';

requireNative();
const paths: [string, HalKernels][] = [
  ['typescript', typescriptHalKernels],
  ['native', nativeHalKernels()!],
];
const levels = [1, 2, 3, 4] as const;

const run = (value: number, count: number): number[] => Array<number>(count).fill(value);
const pairs = (a: number, b: number, count: number): number[] => Array.from({ length: count }, () => [a, b]).flat();
/** A long-form command header: 0xE0 | kind << 2 | (count − 1) >> 8, then (count − 1) & 0xFF. */
const long = (kind: number, count: number): number[] => [0xe0 | (kind << 2) | ((count - 1) >> 8), (count - 1) & 0xff];
const byteFill = 1;
const wordFill = 2;

// `shortestPath`: what levels 3 and 4 write where it differs from the greedy levels (their
// shortest path keeps the first of equal-cost paths: a literal first, then the fill).
const cases: { name: string; input: number[]; packed: number[]; shortestPath?: number[] }[] = [
  { name: '1,500 equal bytes: 1,024 + 476', input: run(0x8c, 1500), packed: [...long(byteFill, 1024), 0x8c, ...long(byteFill, 476), 0x8c, 0xff] },
  {
    name: '1,025 equal bytes: 1,024 + a literal',
    input: run(0x11, 1025),
    packed: [...long(byteFill, 1024), 0x11, 0x00, 0x11, 0xff],
    shortestPath: [0x00, 0x11, ...long(byteFill, 1024), 0x11, 0xff],
  },
  { name: '2,047 equal bytes: 1,024 + 1,023', input: run(0, 2047), packed: [...long(byteFill, 1024), 0, ...long(byteFill, 1023), 0, 0xff] },
  { name: '2,048 equal bytes: one 1,024-word fill', input: run(0, 2048), packed: [...long(wordFill, 1024), 0, 0, 0xff] },
  {
    name: '2,049 equal bytes: word fill + a literal',
    input: run(7, 2049),
    packed: [...long(wordFill, 1024), 7, 7, 0x00, 7, 0xff],
    shortestPath: [0x00, 7, ...long(wordFill, 1024), 7, 7, 0xff],
  },
  {
    name: '750 pairs (1,500 bytes): 512 words + 238 words',
    input: pairs(0xcc, 0x0c, 750),
    packed: [...long(wordFill, 512), 0xcc, 0x0c, ...long(wordFill, 238), 0xcc, 0x0c, 0xff],
  },
  {
    name: '1,023 pairs (2,046 bytes): 512 words + 511 words',
    input: pairs(1, 2, 1023),
    packed: [...long(wordFill, 512), 1, 2, ...long(wordFill, 511), 1, 2, 0xff],
  },
  { name: '1,024 pairs (2,048 bytes): one word fill', input: pairs(1, 2, 1024), packed: [...long(wordFill, 1024), 1, 2, 0xff] },
  { name: '512 pairs (1,024 bytes): one word fill', input: pairs(9, 8, 512), packed: [...long(wordFill, 512), 9, 8, 0xff] },
];

describe('inhal run splitting, both kernel paths, levels 1–4', () => {
  it('inhalWordFillSize: 2,048 from 2,048 up, 1,024 for 1,025–2,047, unchanged below', () => {
    expect([3, 1024, 1025, 1026, 2046, 2047, 2048, 2050].map(inhalWordFillSize)).toEqual([3, 1024, 1024, 1024, 1024, 1024, 2048, 2048]);
  });

  for (const [pathName, kernels] of paths) {
    for (const { name, input, packed, shortestPath } of cases) {
      it(`${pathName}: ${name}`, () => {
        const data = Uint8Array.from(input);
        for (const level of levels) {
          const out = kernels.encode(data, level);
          expect(Array.from(out), `level ${level}`).toEqual(level >= 3 && shortestPath ? shortestPath : packed);
          expect(decodeHal(out).data).toEqual(data);
        }
      });
    }
  }

  it('a run after other data splits the same way, and the two paths agree', () => {
    const data = Uint8Array.from([1, 2, 3, 4, 5, ...run(0xaa, 1300), 6, 7, ...pairs(0x12, 0x34, 700), 0, 0, 0]);
    for (const level of levels) {
      const ts = typescriptHalKernels.encode(data, level);
      expect(Array.from(paths[1]![1].encode(data, level))).toEqual(Array.from(ts));
      expect(decodeHal(ts).data).toEqual(data);
      // 1,300 bytes of 0xAA: 1,024 then 276.
      const at = ts.indexOf(0xaa);
      expect(Array.from(ts.subarray(at - 2, at + 1))).toEqual([...long(byteFill, 1024), 0xaa]);
      expect(Array.from(ts.subarray(at + 1, at + 4))).toEqual([...long(byteFill, 276), 0xaa]);
    }
  });
});
