import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FreeSpaceAllocator } from '../../src/inject/allocator.js';
import { compressBest } from '../../src/inject/compress.js';
import { getCodec } from '../../src/codecs/index.js';
import type { Codec } from '../../src/codecs/types.js';
import { InvalidArgumentError } from '../../src/errors.js';
import { encodeTiles } from '../../src/gfx/formats.js';
import { spriteArt } from './fixtures.js';

describe('FreeSpaceAllocator', () => {
  it('merges touching and overlapping releases, splits on reserve', () => {
    const a = new FreeSpaceAllocator([
      { start: 100, end: 200 },
      { start: 200, end: 300 },
      { start: 250, end: 400 },
      { start: 500, end: 600 },
    ]);
    expect(a.ranges()).toEqual([
      { start: 100, end: 400 },
      { start: 500, end: 600 },
    ]);
    a.reserve(150, 160);
    expect(a.ranges()).toEqual([
      { start: 100, end: 150 },
      { start: 160, end: 400 },
      { start: 500, end: 600 },
    ]);
    expect(a.freeBytes).toBe(50 + 240 + 100);
  });

  it('best-fit takes the smallest range that holds the block; first-fit the lowest', () => {
    const ranges = [
      { start: 0, end: 300 },
      { start: 1000, end: 1100 },
    ];
    expect(new FreeSpaceAllocator(ranges, { strategy: 'best-fit' }).allocate(90)).toBe(1000);
    expect(new FreeSpaceAllocator(ranges, { strategy: 'first-fit' }).allocate(90)).toBe(0);
    expect(new FreeSpaceAllocator(ranges).allocate(301)).toBeUndefined();
  });

  it('aligns starts and keeps blocks inside one bank', () => {
    const a = new FreeSpaceAllocator([{ start: 0x7ff1, end: 0x8400 }], { alignment: 4, bankSizeInBytes: 0x8000 });
    // 0x7FF4–0x8000 is 12 bytes: a 16-byte block goes to the next bank.
    expect(a.largestAllocatable()).toBe(0x400);
    expect(a.allocate(16)).toBe(0x8000);
    expect(a.allocate(8)).toBe(0x7ff4);
  });

  it('rejects bad options', () => {
    expect(() => new FreeSpaceAllocator([], { alignment: 3 })).toThrow(InvalidArgumentError);
    expect(() => new FreeSpaceAllocator([], { bankSizeInBytes: -1 })).toThrow(InvalidArgumentError);
    expect(() => new FreeSpaceAllocator([]).allocate(0)).toThrow(InvalidArgumentError);
  });

  it('property: allocations are disjoint, inside the free ranges, aligned, within a bank; released space is reused', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 0x20000 }), fc.integer({ min: 1, max: 0x3000 })), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 0x2000 }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom(1, 2, 4, 16),
        fc.constantFrom(0, 0x4000, 0x8000),
        fc.constantFrom<'first-fit' | 'best-fit'>('first-fit', 'best-fit'),
        (rawRanges, sizes, alignment, bank, strategy) => {
          const ranges = rawRanges.map(([start, length]) => ({ start, end: start + length }));
          const inFree = (s: number, e: number): boolean => {
            // Inside the union of the declared ranges (they may overlap or touch).
            for (let p = s; p < e; ) {
              const r = ranges.find((x) => x.start <= p && p < x.end);
              if (!r) return false;
              p = r.end;
            }
            return true;
          };
          const a = new FreeSpaceAllocator(ranges, { alignment, bankSizeInBytes: bank, strategy });
          const placed: { start: number; end: number }[] = [];
          for (const size of sizes) {
            const largest = a.largestAllocatable();
            const at = a.allocate(size);
            if (at === undefined) {
              expect(largest).toBeLessThan(size);
              continue;
            }
            const block = { start: at, end: at + size };
            expect(at % alignment).toBe(0);
            if (bank > 0) expect(Math.floor(at / bank)).toBe(Math.floor((block.end - 1) / bank));
            expect(inFree(block.start, block.end)).toBe(true);
            for (const other of placed) expect(block.end <= other.start || other.end <= block.start).toBe(true);
            placed.push(block);
          }
          // Releasing everything restores the original free bytes.
          for (const block of placed) a.release(block.start, block.end);
          expect(a.freeBytes).toBe(new FreeSpaceAllocator(ranges).freeBytes);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('compressBest', () => {
  it('HAL: tries levels 1-4 and max and keeps the smallest', () => {
    const hal = getCodec('hal');
    const data = encodeTiles('snes4bpp', spriteArt(32, 4, 3));
    const best = compressBest(hal, data);
    expect(best.tried.map((t) => t.level)).toEqual(['1', '2', '3', '4', 'max']);
    expect(best.bytes.length).toBe(Math.min(...best.tried.map((t) => t.size)));
    expect(hal.decompress(best.bytes).data).toEqual(data);
  });

  it('ties go to the earliest (lowest) level', () => {
    const sizes: Record<string, number> = { a: 9, b: 7, c: 7, d: 8 };
    const fake: Codec = {
      name: 'fake',
      description: '',
      platforms: [],
      levels: ['a', 'b', 'c', 'd'],
      defaultLevel: 'd',
      canCompress: true,
      decompress: () => ({ data: new Uint8Array(0), packedLength: 0 }),
      probe: () => null,
      compress: (_data, options) => new Uint8Array(sizes[String(options?.level)]!),
    };
    const best = compressBest(fake, new Uint8Array(4));
    expect(best.level).toBe('b');
    expect(best.bytes.length).toBe(7);
  });

  it('passes VRAM-safe through to GBA LZ77 (no distance-1 copies)', () => {
    const lz77 = getCodec('lz77');
    const runs = new Uint8Array(512).fill(0x11);
    const safe = compressBest(lz77, runs, { vramSafe: true });
    const fast = compressBest(lz77, runs);
    expect(lz77.decompress(safe.bytes).data).toEqual(runs);
    expect(safe.bytes.length).toBeGreaterThanOrEqual(fast.bytes.length);
  });
});
