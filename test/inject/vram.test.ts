import { describe, expect, it } from 'vitest';
import { romFromBytes } from '../../src/rom/rom.js';
import { buildGbaRom } from '../../src/rom/build.js';
import { encodeGbaLz77 } from '../../src/codecs/index.js';
import { encodeTiles } from '../../src/gfx/formats.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import { planInjection } from '../../src/inject/plan.js';
import { lz77UsesDistanceOne } from '../../src/inject/vram.js';
import { spriteArt } from './fixtures.js';

describe('VRAM-safe LZ77 is kept VRAM-safe', () => {
  const runs = new Uint8Array(256).fill(7);

  it('detects distance-1 copies', () => {
    expect(lz77UsesDistanceOne(encodeGbaLz77(runs), 0)).toBe(true);
    expect(lz77UsesDistanceOne(encodeGbaLz77(runs, { vramSafe: true }), 0)).toBe(false);
    expect(lz77UsesDistanceOne(Uint8Array.of(0x11, 4, 0, 0), 0)).toBe(false);
    expect(lz77UsesDistanceOne(Uint8Array.of(0x10, 0xff, 0xff), 0)).toBe(false);
  });

  for (const originalSafe of [true, false]) {
    it(`original ${originalSafe ? 'VRAM-safe' : 'with distance-1 copies'} → re-encoded ${originalSafe ? 'VRAM-safe' : 'freely'}`, () => {
      const tiles = encodeTiles('gba4bpp', spriteArt(16, 4, 1));
      tiles.fill(0x11, 0, 64); // a run: the free encoder uses distance 1 here
      const packed = encodeGbaLz77(tiles, { vramSafe: originalSafe });
      const bytes = buildGbaRom({ filler: 'random', payloads: [{ offset: 0x2000, bytes: packed }] });
      const definition = parseGameDefinition(
        { formatVersion: 1, id: 'v', name: 'v', platform: 'gba', variants: [{ id: 'v', title: 'ROMGFX' }], sprites: [{ name: 's', offset: '0x2000', codec: 'lz77', tileFormat: 'gba4bpp', tileCount: 16 }] },
        'v',
      );
      const edit = spriteArt(16, 4, 1);
      edit.fill(1, 0, 512); // half the sprite one colour: packs smaller, fits the slot
      const plan = planInjection(romFromBytes(bytes), definition, [{ sprite: 's', indices: edit }], {});
      const s = plan.sprites[0]!;
      expect(s.vramSafe).toBe(originalSafe);
      expect(lz77UsesDistanceOne(s.packed, 0)).toBe(!originalSafe);
    });
  }
});
