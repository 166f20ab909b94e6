/** Arbitrary bytes, sizes and ranges: the scanner reports or finds nothing, but never fails (bounded in time). */
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { romFromBytes } from '../../src/rom/rom.js';
import { scanRom } from '../../src/scan/index.js';
import { scanCodecNames } from '../../src/scan/types.js';

test('scanning arbitrary small inputs with every codec never throws and reports only in-bounds blocks', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 6000 }), fc.nat(), fc.nat(), async (bytes, a, b) => {
      const rom = romFromBytes(bytes, { name: 'fuzz', platform: 'unknown' });
      const start = a % rom.size;
      const end = start + 1 + (b % (rom.size - start));
      const candidates = await scanRom(rom, { workers: 0, cache: false, codecs: [...scanCodecNames], minimumUnpackedSize: 64, minimumScore: 0, range: { start, end } });
      for (const c of candidates) {
        expect(c.offset).toBeGreaterThanOrEqual(start);
        expect(c.offset).toBeLessThan(end);
        expect(c.offset + c.packedLength).toBeLessThanOrEqual(rom.size);
        expect(c.score).toBeGreaterThanOrEqual(0);
        expect(c.score).toBeLessThanOrEqual(1);
      }
    }),
    { numRuns: 60, interruptAfterTimeLimit: 8000 },
  );
});
