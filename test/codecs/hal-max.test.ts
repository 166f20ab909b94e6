import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHal } from '../../src/codecs/hal/decode.js';
import { encodeHal } from '../../src/codecs/hal/encode.js';
import { encodeHalOptimal } from '../../src/codecs/hal/optimal.js';
import { bitReversedByte } from '../../src/codecs/hal/common.js';
import { structuredHalInput } from '../helpers/hal-inputs.js';

const dir = join(import.meta.dirname, '../../fixtures/hal');
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)));

/**
 * An independent, deliberately naive optimum: every command at every position with every
 * length and every source, no range tables. O(n² · L), for small inputs only.
 */
function naiveOptimalSize(data: Uint8Array): number {
  const n = data.length;
  const cost = new Array<number>(n + 1).fill(0);
  const bracket = (count: number, short: number): number => (count <= 32 ? short : short + 1);
  for (let i = n - 1; i >= 0; i--) {
    let best = Infinity;
    for (let k = 1; k <= Math.min(1024, n - i); k++) best = Math.min(best, k + bracket(k, 1) + cost[i + k]!);
    for (let length = 1; length <= Math.min(1024, n - i) && data[i + length - 1] === data[i]; length++) best = Math.min(best, bracket(length, 2) + cost[i + length]!);
    for (let length = 1; length <= Math.min(1024, n - i) && data[i + length - 1] === ((data[i]! + length - 1) & 0xff); length++) {
      best = Math.min(best, bracket(length, 2) + cost[i + length]!);
    }
    for (let words = 1; words <= 1024 && i + 2 * words <= n && data[i + 2 * words - 2] === data[i] && data[i + 2 * words - 1] === data[i + 1]; words++) {
      best = Math.min(best, bracket(words, 3) + cost[i + 2 * words]!);
    }
    for (let p = 0; p < i; p++) {
      for (let length = 1; length <= Math.min(1024, n - i) && data[p + length - 1] === data[i + length - 1]; length++) best = Math.min(best, bracket(length, 3) + cost[i + length]!);
      for (let length = 1; length <= Math.min(1024, n - i) && data[p + length - 1] === bitReversedByte[data[i + length - 1]!]; length++) {
        best = Math.min(best, bracket(length, 3) + cost[i + length]!);
      }
      for (let length = 1; length <= Math.min(1024, n - i, p + 1) && data[p - length + 1] === data[i + length - 1]; length++) {
        best = Math.min(best, bracket(length, 3) + cost[i + length]!);
      }
    }
    cost[i] = best;
  }
  return cost[0]! + 1;
}

/** Small structured inputs: the naive optimum is exponential-ish, so at most 160 bytes. */
const structured = structuredHalInput({ maxParts: 12, maxRawBytes: 6, maxRun: 40, maxSequence: 30, maxCopy: 40, words: false, maxLength: 160 });

describe('HAL level max (optimal parse)', () => {
  it('is never larger than inhal -4 and smaller on varied16k, tiles4bpp_32k, max64k', () => {
    const sizes: Record<string, [number, number]> = {};
    for (const name of ['single', 'abc', 'zeros4k', 'random4k', 'varied16k', 'tiles4bpp_32k', 'max64k']) {
      const input = read(`${name}.bin`);
      const packed = encodeHalOptimal(input);
      const inhal4 = read(`${name}.L4.hal`).length;
      sizes[name] = [packed.length, inhal4];
      expect(packed.length).toBeLessThanOrEqual(inhal4);
      const decoded = decodeHal(packed);
      expect(decoded.data).toEqual(input);
      expect(decoded.packedLength).toBe(packed.length);
    }
    for (const name of ['varied16k', 'tiles4bpp_32k', 'max64k']) expect(sizes[name]![0]).toBeLessThan(sizes[name]![1]);
    // The recorded sizes (inhal -4: 2,507 / 6,801 / 11,417).
    expect(sizes.varied16k![1]).toBe(2507);
    expect(sizes.tiles4bpp_32k![1]).toBe(6801);
    expect(sizes.max64k![1]).toBe(11417);
    console.log('HAL max vs inhal -4:', JSON.stringify(sizes));
  });

  it('matches an independent naive optimum on structured random inputs', () => {
    fc.assert(
      fc.property(structured, (input) => {
        const packed = encodeHalOptimal(input);
        expect(packed.length).toBe(naiveOptimalSize(input));
        expect(decodeHal(packed).data).toEqual(input);
      }),
      { numRuns: 150, seed: 4242 },
    );
  });

  it('handles 64 KiB of near-identical runs (quadratic for hash chains) at levels 4 and max', () => {
    const input = new Uint8Array(65536);
    for (let i = 0; i < input.length; i++) input[i] = i % 1001 === 1000 ? ((i / 1001) & 0xff) | 1 : 0;
    const optimal = encodeHalOptimal(input);
    const inhal4 = encodeHal(input, 4);
    expect(decodeHal(optimal).data).toEqual(input);
    expect(decodeHal(inhal4).data).toEqual(input);
    expect(optimal.length).toBeLessThanOrEqual(inhal4.length);
  });

  it('round-trips and never loses to any inhal level on random inputs', () => {
    fc.assert(
      fc.property(fc.oneof(structured, fc.uint8Array({ maxLength: 3000 })), (input) => {
        const optimal = encodeHalOptimal(input);
        expect(decodeHal(optimal).data).toEqual(input);
        for (const level of [1, 2, 3, 4] as const) {
          const packed = encodeHal(input, level);
          expect(decodeHal(packed).data).toEqual(input);
          expect(optimal.length).toBeLessThanOrEqual(packed.length);
        }
      }),
      { numRuns: 200, seed: 777 },
    );
  });
});
