import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PixelScratch } from '../../src/gfx/image.js';
import { renderThumbnail, renderBlockIndexed } from '../../src/thumbs/render.js';
import { normalizeRequest } from '../../src/thumbs/request.js';
import { planScale, resampleIndexed } from '../../src/thumbs/scale.js';
import { encodeIndexedPng } from '../../src/gfx/png.js';
import { buildSnesRom } from '../../src/rom/build.js';

describe('PixelScratch (reused planes in the thumbnail hot path)', () => {
  it('hands out zeroed views of the asked length, growing when needed', () => {
    const scratch = new PixelScratch();
    const a = scratch.take(0, 10);
    a.fill(7);
    expect(scratch.take(0, 6)).toEqual(new Uint8Array(6));
    const big = scratch.take(0, 1000);
    expect(big.length).toBe(1000);
    expect(big.every((b) => b === 0)).toBe(true);
    expect(scratch.take(1, 4, false).length).toBe(4);
  });

  it('a run of thumbnails of varying sizes gives the same bytes as fresh buffers (nothing leaks between renders)', () => {
    const rom = buildSnesRom({ size: 512 * 1024, filler: 'random' });
    const request = (offset: number, tiles: number, scale: number, tilesPerRow: number) =>
      normalizeRequest({ rom: { path: '/x', sha1: 'a'.repeat(40) }, block: { offset, format: 'snes4bpp', tiles, arrangement: { kind: 'sheet', tilesPerRow } }, palette: { kind: 'grayscale' }, output: { scale } });
    fc.assert(
      fc.property(
        fc.array(fc.record({ offset: fc.integer({ min: 0, max: 0x70000 }), tiles: fc.integer({ min: 1, max: 96 }), scale: fc.integer({ min: 1, max: 3 }), tilesPerRow: fc.integer({ min: 1, max: 20 }) }), { minLength: 2, maxLength: 6 }),
        (specs) => {
          for (const spec of specs) {
            const r = request(spec.offset, spec.tiles, spec.scale, spec.tilesPerRow);
            const viaScratch = renderThumbnail(rom, r, 'png', null, null).bytes;
            const { image, palette } = renderBlockIndexed(rom, r, null);
            const fresh = encodeIndexedPng(resampleIndexed(image, planScale(image.width, image.height, spec.scale)), palette, { compressionLevel: 3 });
            expect(Buffer.from(viaScratch).equals(Buffer.from(fresh))).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
