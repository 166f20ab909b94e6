/**
 * A PNG whose IHDR breaks the spec's colour type / bit depth table (PNG spec 11.2.2, Table 11.1)
 * is malformed: rejected with ERR_BAD_PNG before anything is inflated, never decoded by guess.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodePng, encodeIndexedPng } from '../../src/gfx/png.js';
import { crc32 } from '../../src/util/hash.js';
import { grayscalePalette } from '../../src/gfx/palette.js';

const allowed: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** A valid 8×8 4-bit indexed PNG with IHDR bytes replaced (and IHDR's CRC recomputed, so only the values are wrong). */
function withIhdr(change: { bitDepth?: number; colourType?: number; compression?: number; filter?: number; interlace?: number }): Uint8Array {
  const png = encodeIndexedPng({ width: 8, height: 8, pixels: new Uint8Array(64).map((_, i) => i % 16) }, grayscalePalette(4)).slice();
  if (change.bitDepth !== undefined) png[24] = change.bitDepth;
  if (change.colourType !== undefined) png[25] = change.colourType;
  if (change.compression !== undefined) png[26] = change.compression;
  if (change.filter !== undefined) png[27] = change.filter;
  if (change.interlace !== undefined) png[28] = change.interlace;
  new DataView(png.buffer).setUint32(29, crc32(png.subarray(12, 29)));
  return png;
}

describe('IHDR checks', () => {
  it('16-bit indexed, bit depth 3, colour type 5: rejected as malformed, naming the field', () => {
    expect(() => decodePng(withIhdr({ colourType: 3, bitDepth: 16 }))).toThrow(expect.objectContaining({ code: 'ERR_BAD_PNG', details: expect.objectContaining({ field: 'IHDR.bitDepth', bitDepth: 16 }) }));
    expect(() => decodePng(withIhdr({ bitDepth: 3 }))).toThrow(expect.objectContaining({ code: 'ERR_BAD_PNG', message: expect.stringMatching(/bit depth 3 is not allowed for colour type 3 \(allowed: 1, 2, 4, 8\)/u) }));
    expect(() => decodePng(withIhdr({ colourType: 5 }))).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'IHDR.colourType' }) }));
    expect(() => decodePng(withIhdr({ compression: 1 }))).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'IHDR.compression' }) }));
    expect(() => decodePng(withIhdr({ filter: 1 }))).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'IHDR.filter' }) }));
    expect(() => decodePng(withIhdr({ interlace: 2 }))).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'IHDR.interlace' }) }));
    expect(decodePng(withIhdr({})).kind).toBe('indexed'); // the untouched image still decodes
  });

  it('every colour type / bit depth pair: exactly the spec table passes the IHDR check', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (colourType, bitDepth) => {
        let error: unknown;
        try {
          decodePng(withIhdr({ colourType, bitDepth }));
        } catch (e) {
          error = e;
        }
        const ihdrRejected = error !== undefined && /IHDR\.(bitDepth|colourType)/u.test(String((error as { details?: { field?: string } }).details?.field));
        expect(ihdrRejected).toBe(!(allowed[colourType]?.includes(bitDepth) ?? false));
      }),
      { numRuns: 400, examples: [[3, 16], [3, 8], [0, 16], [2, 4], [6, 16], [4, 1]] },
    );
  });
});
