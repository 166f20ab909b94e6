/**
 * The raw scan's byte rules that follow from how data is laid out (src/scan/raw.ts): tables of
 * small numbers, Mega Drive colour tables, ARM code at a GBA run's ends, 1bpp glyph spacing.
 */
import { describe, expect, test } from 'vitest';
import { glyphFontScore, mdColourTile, smallNumberTable, smallNumberTile, trimArmCode } from '../../src/scan/raw.js';

describe('tables are not art', () => {
  test('small signed numbers are a table in packed 4bpp, but a planar row with its left half set is art', () => {
    const deltas = Uint8Array.from({ length: 32 }, (_, i) => [0x01, 0x02, 0xff, 0xfe, 0x00, 0xfc][i % 6]!);
    expect(smallNumberTile(deltas, 0, 32, true)).toBe(true);
    expect(smallNumberTile(deltas, 0, 32, false)).toBe(false);
    // A 4bpp font drawn in colour 15 on 0: only $00, $0F, $F0, $FF.
    const font = Uint8Array.from({ length: 32 }, (_, i) => [0x00, 0x0f, 0xf0, 0xff][i % 4]!);
    expect(smallNumberTile(font, 0, 32, true)).toBe(false);
    // Two 4bpp tiles (64 bytes) of small numbers in a row are a table; one alone is not.
    const two = new Uint8Array(96).fill(0x20);
    two.fill(0x03, 0, 64);
    expect(smallNumberTable(two, 0, 32)).toBe(true);
    const one = new Uint8Array(96).fill(0x20);
    one.fill(0x03, 32, 64);
    expect(smallNumberTable(one, 32, 32)).toBe(false);
  });

  test('a Mega Drive tile of CRAM colours is a colour table; drawn 4bpp art is not', () => {
    const ramp = new Uint8Array(32);
    for (let w = 0; w < 16; w++) ramp.set([0x00, (w * 2) & 0x0e], w * 2);
    expect(mdColourTile(ramp, 0, 32)).toBe(true);
    const art = Uint8Array.from({ length: 32 }, (_, i) => (i % 3 === 0 ? 0x11 : 0x12));
    expect(mdColourTile(art, 0, 32)).toBe(false);
    expect(mdColourTile(new Uint8Array(32), 0, 32)).toBe(false);
  });
});

describe('GBA runs and 1bpp fonts', () => {
  test('ARM code (condition "always") is trimmed from a GBA run, and only on GBA', () => {
    const bytes = new Uint8Array(96);
    // 32 bytes of ARM words (…, $E3 top byte), then 64 bytes of glyph-like data.
    for (let p = 0; p < 32; p += 4) bytes.set([0x01, 0x00, 0xa0, 0xe3], p);
    for (let p = 32; p < 96; p++) bytes[p] = p % 8 === 7 ? 0 : 0x3c;
    expect(trimArmCode(bytes, { start: 0, end: 96 }, 8, 'gba')).toEqual({ start: 32, end: 96 });
    expect(trimArmCode(bytes, { start: 0, end: 96 }, 8, 'gb')).toEqual({ start: 0, end: 96 });
  });

  test('glyphs that keep the inter-character spacing score as a font; a block without it does not', () => {
    const glyphs = new Uint8Array(64);
    for (let t = 0; t < 8; t++) glyphs.set([0x3c, 0x66, 0x66, 0x7e, 0x66, 0x66 ^ t, 0x66, 0x00], t * 8);
    expect(glyphFontScore(glyphs, 8)).toBeGreaterThanOrEqual(0.56);
    const unspaced = Uint8Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? 0xff : 0x81 + (i % 5)));
    expect(glyphFontScore(unspaced, 8)).toBe(0);
  });
});
