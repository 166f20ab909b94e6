import { describe, expect, it } from 'vitest';
import {
  decodeBgr555,
  encodeBgr555,
  decodeMdPalette,
  encodeMdPalette,
  decodeNesPalette,
  decodeDmgPalette,
  grayscalePalette,
  parseJascPal,
  formatJascPal,
  parseGpl,
  formatGpl,
  parseAct,
  formatAct,
  parsePaletteFile,
  detectPaletteFileFormat,
  subPalette,
  paletteColour,
  decodeConsolePalette,
  paletteFromRgb,
} from '../../src/gfx/index.js';
import { PaletteFormatError } from '../../src/errors.js';
import { equalBytes, fixture } from './helpers.js';

describe('BGR555', () => {
  it('matches the SuperFamiconv palette of small16.png', async () => {
    const palette = decodeBgr555(fixture('tiles/small16.snes-palette.bin'));
    const json = JSON.parse(new TextDecoder().decode(fixture('tiles/small16.snes-palette.json'))) as { palettes: string[][] };
    expect(palette.count).toBe(16);
    for (let i = 0; i < 16; i++) expect('#' + paletteColour(palette, i).toString(16).padStart(6, '0')).toBe(json.palettes[0]![i]);
    expect(equalBytes(encodeBgr555(palette), fixture('tiles/small16.snes-palette.bin'))).toBe(true);
  });

  it('expands 5 bits as (c << 3) | (c >> 2) and ignores the unused bit 15', () => {
    // red 31, green 1, blue 16, bit 15 set
    const word = 31 | (1 << 5) | (16 << 10) | 0x8000;
    const palette = decodeBgr555(Uint8Array.of(word & 0xff, word >> 8));
    expect([...palette.rgb]).toEqual([255, 8, 132]);
  });

  it('a short buffer is refused', () => {
    expect(() => decodeBgr555(new Uint8Array(3), 2)).toThrow(PaletteFormatError);
  });
});

describe('console colour formats', () => {
  it('Mega Drive 9-bit: 0000 BBB0 GGG0 RRR0 big-endian, round trip', () => {
    const palette = decodeMdPalette(Uint8Array.of(0x0e, 0x0e, 0x00, 0x02, 0x08, 0x40));
    expect([...palette.rgb]).toEqual([255, 0, 255, 36, 0, 0, 0, 73, 146]);
    expect([...encodeMdPalette(palette)]).toEqual([0x0e, 0x0e, 0x00, 0x02, 0x08, 0x40]);
  });

  it('NES indices go through the master palette; indices over 63 are errors', () => {
    const palette = decodeNesPalette(Uint8Array.of(0x0f, 0x30, 0x16));
    expect(paletteColour(palette, 1)).toBe(0xfcfcfc);
    expect(paletteColour(palette, 0)).toBe(0x000000);
    expect(() => decodeNesPalette(Uint8Array.of(0x40))).toThrow(/entry 0 is 64/u);
  });

  it('DMG BGP 0xE4 is white, light, dark, black; 0x1B reverses it', () => {
    expect([...decodeDmgPalette(0xe4).rgb.filter((_, i) => i % 3 === 0)]).toEqual([255, 170, 85, 0]);
    expect([...decodeDmgPalette(0x1b).rgb.filter((_, i) => i % 3 === 0)]).toEqual([0, 85, 170, 255]);
  });

  it('decodeConsolePalette picks the format by platform', () => {
    const bytes = Uint8Array.of(0x0e, 0x00);
    expect(paletteColour(decodeConsolePalette('md', bytes, 1), 0)).toBe(0x0000ff);
    expect(paletteColour(decodeConsolePalette('snes', bytes, 1), 0)).toBe(paletteColour(decodeBgr555(bytes), 0));
    expect(() => decodeConsolePalette('gba', bytes, 2)).toThrow(PaletteFormatError);
  });
});

describe('grayscale ramp keeps indices recoverable', () => {
  for (const bpp of [1, 2, 3, 4, 8]) {
    it(`${bpp} bpp`, () => {
      const palette = grayscalePalette(bpp);
      const max = (1 << bpp) - 1;
      for (let i = 0; i <= max; i++) {
        const v = palette.rgb[i * 3]!;
        expect(v).toBe(Math.round((i * 255) / max));
        expect(Math.round((v * max) / 255)).toBe(i);
      }
    });
  }
});

describe('palette files', () => {
  const palette = decodeBgr555(fixture('tiles/small16.snes-palette.bin'));

  it('JASC-PAL round trip and detection', () => {
    const text = new TextEncoder().encode(formatJascPal(palette));
    expect(detectPaletteFileFormat(text, 'x.pal')).toBe('jasc');
    expect(equalBytes(parsePaletteFile(text, 'x.pal').rgb, palette.rgb)).toBe(true);
  });

  it('JASC-PAL with a bad line names the line', () => {
    const text = new TextEncoder().encode('JASC-PAL\n0100\n2\n0 0 0\n1 2 300\n');
    expect(() => parseJascPal(text)).toThrow(/line 5/u);
    expect(() => parseJascPal(new TextEncoder().encode('JASC-PAL\n0100\n3\n0 0 0\n'))).toThrow(/line 5/u);
  });

  it('GIMP .gpl round trip, comments and headers skipped', () => {
    const text = new TextEncoder().encode(formatGpl(palette));
    expect(detectPaletteFileFormat(text, 'x.gpl')).toBe('gpl');
    expect(equalBytes(parseGpl(text).rgb, palette.rgb)).toBe(true);
  });

  it('Adobe .act with and without trailer', () => {
    const act = formatAct(palette);
    expect(act.length).toBe(772);
    expect(parseAct(act).count).toBe(16);
    expect(parseAct(act.subarray(0, 768)).count).toBe(256);
    expect(detectPaletteFileFormat(act, 'x.act')).toBe('act');
    expect(() => parseAct(new Uint8Array(100))).toThrow(PaletteFormatError);
  });

  it('a 512-byte file is a CGRAM dump; sub-palettes slice it', () => {
    const cgram = new Uint8Array(512);
    cgram.set(fixture('tiles/small16.snes-palette.bin'), 9 * 32);
    const full = parsePaletteFile(cgram, 'dump.bin');
    expect(full.count).toBe(256);
    expect(equalBytes(subPalette(full, 9, 16).rgb, palette.rgb)).toBe(true);
    expect(() => subPalette(full, 16, 16)).toThrow(PaletteFormatError);
  });

  it('raw BGR555 of odd length is refused', () => {
    expect(() => parsePaletteFile(new Uint8Array(31), 'x.pal')).toThrow(PaletteFormatError);
  });

  it('paletteFromRgb validates channel values', () => {
    expect(() => paletteFromRgb([0, 0, 256])).toThrow(PaletteFormatError);
    expect(paletteFromRgb([1, 2, 3]).count).toBe(1);
  });
});
