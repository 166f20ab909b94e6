/**
 * Untrusted definitions against a real ROM: random offsets, codecs, formats, counts, pointer
 * slots and free ranges. Whatever they say, extraction and injection either work or fail with a
 * typed RomgfxError — never a bare Error, never a write outside the ROM. Bounded to a few seconds.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { romFromBytes } from '../../src/rom/rom.js';
import { isRomgfxError } from '../../src/errors.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import { extractSprite } from '../../src/inject/extract.js';
import { injectIntoBytes } from '../../src/inject/plan.js';
import { resolveSprites } from '../../src/inject/sprites.js';
import { buildInjectFixture, noisyArt } from './fixtures.js';

const codecs = ['none', 'hal', 'lz77', 'lz11', 'rle', 'huffman', 'diff', 'lz4', 'pb16', 'lc-lz1', 'lc-lz2', 'lc-lz3', 'lc-lz5', 'konami1', 'gen1-pic'] as const;
const formats = ['snes4bpp', 'gb2bpp', 'gba4bpp', 'mode7', '1bpp'] as const;

function typedOrNothing(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!isRomgfxError(error)) throw error;
  }
}

describe('malformed definitions and blocks', () => {
  it('extract and inject only ever fail with typed errors', () => {
    const fixture = buildInjectFixture('snes-lorom');
    const rom = romFromBytes(fixture.bytes);
    const size = fixture.bytes.length;
    fc.assert(
      fc.property(
        fc.record({
          offset: fc.oneof(fc.integer({ min: 0, max: size - 1 }), fc.constantFrom(...fixture.sprites.map((s) => s.offset)), fc.integer({ min: size, max: size + 0x10000 })),
          codec: fc.constantFrom(...codecs),
          format: fc.constantFrom(...formats),
          tileCount: fc.option(fc.integer({ min: 1, max: 2048 }), { nil: undefined }),
          pointerAt: fc.option(fc.integer({ min: 0, max: size + 16 }), { nil: undefined }),
          free: fc.option(fc.tuple(fc.integer({ min: 0, max: size }), fc.integer({ min: 1, max: 0x4000 })), { nil: undefined }),
          editTiles: fc.integer({ min: 1, max: 64 }),
          allowResize: fc.boolean(),
        }),
        (r) => {
          const json: Record<string, unknown> = {
            formatVersion: 1,
            id: 'fuzz',
            name: 'fuzz',
            platform: 'snes',
            variants: [{ id: 'v', title: 'NOPE' }],
            sprites: [{ name: 'x', offset: r.offset, codec: r.codec, tileFormat: r.format, ...(r.tileCount !== undefined ? { tileCount: r.tileCount } : {}) }],
          };
          if (r.pointerAt !== undefined) json.pointers = [{ target: 'x', form: 'snes24', at: r.pointerAt }];
          if (r.free) json.freeSpace = [{ start: r.free[0], end: Math.min(r.free[0] + r.free[1], size + 0x4000) }];
          let definition;
          try {
            definition = parseGameDefinition(json, 'fuzz');
          } catch (error) {
            expect(isRomgfxError(error)).toBe(true);
            return;
          }
          typedOrNothing(() => {
            const [sprite] = resolveSprites(rom, definition);
            extractSprite(rom, definition, sprite!, { variant: undefined, identity: { crc32: 0, sha1: '' }, imageName: 'x.png' });
          });
          typedOrNothing(() => {
            const result = injectIntoBytes(rom, definition, [{ sprite: 'x', indices: noisyArt(r.editTiles, 1, r.editTiles) }], { allowResize: r.allowResize, forceDefinition: true });
            expect(result.output.length).toBe(fixture.bytes.length);
          });
        },
      ),
      { numRuns: 400 },
    );
  });
});
