/**
 * The memory level's number keys (src/thumbs/memory-key.ts) must be equal exactly when the
 * canonical texts are: a false match would serve one block's thumbnail for another.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalRequest, canonicalRequestReference, normalizeRequest, type ThumbnailRequest } from '../../src/thumbs/request.js';
import { MemoryKeys, maximumRememberedVariants } from '../../src/thumbs/memory-key.js';

// A small domain, so that equal and nearly equal requests (one field apart) are common.
const request: fc.Arbitrary<ThumbnailRequest> = fc.record({
  rom: fc.record({ path: fc.constantFrom('/a.sfc', '/b.sfc'), sha1: fc.constantFrom('a'.repeat(40), 'b'.repeat(40)) }),
  block: fc.record({
    offset: fc.constantFrom(0, 1, 0x8000, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 1),
    format: fc.constantFrom('snes4bpp', 'gb2bpp'),
    tiles: fc.integer({ min: 1, max: 3 }),
    codec: fc.option(fc.constantFrom('hal', 'lz77'), { nil: undefined }),
    arrangement: fc.oneof(
      fc.constant(undefined),
      fc.record({ kind: fc.constant('sheet' as const), tilesPerRow: fc.constantFrom(1, 2), order: fc.constantFrom('row' as const, 'column' as const) }),
      fc.record({ kind: fc.constant('sheet' as const), tilesPerRow: fc.constant(1), order: fc.constantFrom('row' as const, 'column' as const) }),
      fc.record({ kind: fc.constant('layout' as const), layout: fc.constantFrom('snes-obj:16x16', 'gb-8x16') }),
    ),
  }),
  palette: fc.oneof(
    fc.constant(undefined),
    fc.constant({ kind: 'grayscale' as const }),
    fc.record({ kind: fc.constant('colors' as const), colors: fc.constantFrom([1], [2], [1, 2], [2, 1]) }),
    fc.record({ kind: fc.constant('rom' as const), offset: fc.constantFrom(0, 32), encoding: fc.constantFrom('bgr555' as const, 'md9' as const), count: fc.constantFrom(1, 16) }),
  ),
  output: fc.oneof(
    fc.constant(undefined),
    fc.record({ scale: fc.integer({ min: 1, max: 2 }), format: fc.constantFrom('png' as const, 'webp' as const) }),
    fc.record({ fit: fc.record({ width: fc.constantFrom(8, 16), height: fc.constantFrom(8, 16) }) }),
  ),
}) as fc.Arbitrary<ThumbnailRequest>;

/**
 * Sequences where each request is the previous one with one part replaced (the ROM, the block,
 * the palette or the output), so neighbours often differ in a single field: the case the
 * previous-request comparison must get right.
 */
const neighbours: fc.Arbitrary<ThumbnailRequest[]> = fc
  .tuple(request, fc.array(fc.tuple(fc.constantFrom('rom', 'palette', 'output', 'block.offset', 'block.format', 'block.tiles', 'block.codec', 'block.arrangement'), request), { minLength: 1, maxLength: 40 }))
  .map(([first, edits]) => {
    const out = [first];
    for (const [part, from] of edits) {
      const previous = out[out.length - 1]!;
      const [top, field] = part.split('.') as [keyof ThumbnailRequest, keyof ThumbnailRequest['block'] | undefined];
      out.push(field === undefined ? { ...previous, [top]: from[top] } : { ...previous, block: { ...previous.block, [field]: from.block[field] } });
    }
    return out;
  });

describe('MemoryKeys', () => {
  it('gives equal keys exactly when the canonical texts are equal, in any order of requests', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(request, { minLength: 2, maxLength: 40 }), neighbours), (requests) => {
        const keys = new MemoryKeys();
        const normalized = requests.map(normalizeRequest);
        const keyed = normalized.map((n) => keys.keyOf(n));
        const texts = normalized.map(canonicalRequest);
        for (let i = 0; i < requests.length; i++) {
          for (let j = 0; j < i; j++) expect(keyed[i] === keyed[j], `requests ${j} and ${i}`).toBe(texts[i] === texts[j]);
        }
        // Asked again later (after other variants were last), every request keeps its key.
        normalized.forEach((n, i) => expect(keys.keyOf(n)).toBe(keyed[i]));
      }),
      { numRuns: 500 },
    );
  });

  it('canonicalRequest, which keeps the text around the offset for recent variants, stays the reference text over such sequences', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(request, { minLength: 2, maxLength: 40 }), neighbours), (requests) => {
        for (const n of requests.map(normalizeRequest)) expect(canonicalRequest(n)).toBe(canonicalRequestReference(n));
      }),
      { numRuns: 500 },
    );
  });

  it('keys real offsets by number, and out-of-range offsets by text that can never equal a number', () => {
    const keys = new MemoryKeys();
    const make = (offset: number) => normalizeRequest({ rom: { path: '/a', sha1: 'a'.repeat(40) }, block: { offset, format: 'snes4bpp', tiles: 1 } });
    expect(typeof keys.keyOf(make(2 ** 32 - 1))).toBe('number');
    expect(typeof keys.keyOf(make(2 ** 32))).toBe('string');
    expect(keys.keyOf(make(2 ** 32))).not.toBe(keys.keyOf(make(0)));
  });

  it('never gives a forgotten variant’s key to a new variant (a late render cannot land under another key)', () => {
    const keys = new MemoryKeys();
    const make = (tiles: number, colors: number[]) => normalizeRequest({ rom: { path: '/a', sha1: 'a'.repeat(40) }, block: { offset: 5, format: 'snes4bpp', tiles }, palette: { kind: 'colors', colors } });
    const seen = new Set<number | string>();
    // More variants than the table remembers: it is emptied once on the way.
    for (let i = 0; i <= maximumRememberedVariants + 10; i++) {
      const key = keys.keyOf(make(1 + (i % 4096), [i >> 12]));
      expect(seen.has(key), `variant ${i}`).toBe(false);
      seen.add(key);
    }
  });
});
