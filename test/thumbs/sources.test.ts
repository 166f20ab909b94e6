import { describe, expect, it } from 'vitest';
import { openRom } from '../../src/rom/rom.js';
import { parseBlockSpec, parsePaletteSpec, itemsFromDefinition } from '../../src/thumbs/sources.js';
import { loadGameDefinition } from '../../src/defs/parse.js';
import { UsageError } from '../../src/errors.js';
import { fixture } from './helpers/fixture-rom.js';

const sfc = fixture('roms', 'snes', 'SNES_05.sfc');

describe('thumbnail sources', () => {
  it('reads block specs with offsets or bus addresses (which contain a colon)', () => {
    const rom = openRom(sfc);
    expect(parseBlockSpec('0x8120:snes4bpp:256', rom)).toEqual({ offset: 0x8120, format: 'snes4bpp', tiles: 256 });
    expect(parseBlockSpec('$01:8120:snes4bpp:16:hal', rom)).toEqual({ offset: 0x8120, format: 'snes4bpp', tiles: 16, codec: 'hal' });
    expect(parseBlockSpec('33056:gb2bpp:4:none', rom)).toEqual({ offset: 33056, format: 'gb2bpp', tiles: 4 });
    for (const bad of ['0x8120', '0x8120:snes4bpp', '0x8120:snes4bpp:x', '0x8120:nosuch:4', '0x8120:snes4bpp:4:hal:extra']) {
      expect(() => parseBlockSpec(bad, rom), bad).toThrow(UsageError);
    }
  });

  it('reads palette specs', () => {
    const rom = openRom(sfc);
    expect(parsePaletteSpec('gray', rom)).toEqual({ kind: 'grayscale' });
    expect(parsePaletteSpec('colors:000000,#FF8000', rom)).toEqual({ kind: 'colors', colors: [0, 0xff8000] });
    expect(parsePaletteSpec('rom:0x8100:bgr555', rom)).toEqual({ kind: 'rom', offset: 0x8100, format: 'bgr555', count: 16 });
    expect(parsePaletteSpec('rom:$01:8100:bgr555:8', rom)).toEqual({ kind: 'rom', offset: 0x8100, format: 'bgr555', count: 8 });
    expect(() => parsePaletteSpec('colors:12345', rom)).toThrow(UsageError);
    expect(() => parsePaletteSpec('rom:0x8100:rgb', rom)).toThrow(UsageError);
  });

  it('turns a game definition into requests at the matched variant, with its palette and arrangement', () => {
    const rom = openRom(sfc);
    const ref = { path: sfc, sha1: rom.identity().sha1 };
    const list = itemsFromDefinition(loadGameDefinition(fixture('defs', 'snes05.json')), rom, ref, undefined);
    expect(list.variant).toBe('homebrew');
    expect(list.items).toEqual([
      {
        name: 'sprite-sheet',
        request: {
          rom: ref,
          block: { offset: 0x8120, format: 'snes4bpp', tiles: 256, arrangement: { kind: 'sheet', tilesPerRow: 16 } },
          palette: { kind: 'rom', offset: 0x8100, format: 'bgr555', count: 16 },
        },
      },
      {
        // No tile format in the definition: the platform's, as extract-all draws it; no palette: extract's grayscale ramp.
        name: 'sprite-palette',
        request: {
          rom: ref,
          block: { offset: 0x8100, format: 'snes4bpp', tiles: 1, arrangement: { kind: 'sheet', tilesPerRow: 16 } },
          palette: { kind: 'colors', colors: Array.from({ length: 16 }, (_, i) => (i * 17) * 0x10101) },
        },
      },
    ]);
    expect(list.problems).toEqual([]);
  });
});
