import { describe, expect, it } from 'vitest';
import { getTileFormat } from '../../src/gfx/formats.js';
import { imageToTiles, tilesToImage, type ResolvedSprite } from '../../src/inject/sprites.js';
import type { Arrangement } from '../../src/defs/types.js';
import { TileCountMismatchError } from '../../src/errors.js';
import { noisyArt } from './fixtures.js';

function spriteWith(arrangement: Arrangement | undefined): ResolvedSprite {
  const def = { name: 's', kind: 'sprite' as const, offset: { kind: 'offset' as const, value: 0, text: '0x0' }, variantOffsets: {}, codec: 'none' as const, ...(arrangement ? { arrangement } : {}) };
  return { name: 's', index: 0, def, offset: 0, definedOffset: 0, codec: 'none', format: getTileFormat('snes4bpp'), pointers: [] };
}

const cases: [string, Arrangement | undefined, number][] = [
  ['sheet (default 16 per row)', undefined, 40],
  ['sheet, 4 per row, column-major', { kind: 'sheet', tilesPerRow: 4, order: 'column-major' }, 24],
  ['snes-obj 16x16', { kind: 'snes-obj', size: 16 }, 64],
  ['snes-obj 32x32', { kind: 'snes-obj', size: 32 }, 128],
  ['gb-8x16', { kind: 'gb-8x16' }, 20],
  ['block 3x2', { kind: 'block', width: 3, height: 2 }, 36],
];

describe('arrangements: image ↔ tiles', () => {
  for (const [name, arrangement, count] of cases) {
    it(`${name}: tilesToImage → imageToTiles gives the tiles back`, () => {
      const indices = noisyArt(count, 4, count);
      const image = tilesToImage(indices, count, arrangement);
      const back = imageToTiles(image, spriteWith(arrangement), count, false);
      expect(back.tileCount).toBe(count);
      expect(back.indices).toEqual(indices);
    });
  }

  it('resizing a sheet needs allowResize and then takes every cell', () => {
    const sprite = spriteWith(undefined);
    const bigger = tilesToImage(noisyArt(32, 4, 1), 32, undefined);
    expect(() => imageToTiles(bigger, sprite, 16, false)).toThrow(TileCountMismatchError);
    expect(imageToTiles(bigger, sprite, 16, true).tileCount).toBe(32);
  });
});
