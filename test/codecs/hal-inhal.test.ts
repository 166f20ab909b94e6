import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeHal } from '../../src/codecs/hal/encode.js';
import { decodeHal } from '../../src/codecs/hal/decode.js';

const dir = join(import.meta.dirname, '../../fixtures/hal');
const names = ['single', 'abc', 'zeros4k', 'random4k', 'varied16k', 'tiles4bpp_32k', 'max64k'];

describe('HAL encoder levels 1-4 match inhal byte for byte', () => {
  for (const name of names) {
    const input = new Uint8Array(readFileSync(join(dir, `${name}.bin`)));
    for (const level of [1, 2, 3, 4] as const) {
      it(`${name} -${level}`, () => {
        const expected = new Uint8Array(readFileSync(join(dir, `${name}.L${level}.hal`)));
        const actual = encodeHal(input, level);
        if (actual.length !== expected.length || !actual.every((b, k) => b === expected[k])) {
          let first = 0;
          while (first < Math.min(actual.length, expected.length) && actual[first] === expected[first]) first++;
          expect({ length: actual.length, firstDifference: first }).toEqual({ length: expected.length, firstDifference: expected.length });
        }
        expect(decodeHal(actual).data).toEqual(input);
      });
    }
  }
});
