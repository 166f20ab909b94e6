import { describe, expect, it } from 'vitest';
import { decodeTilemap, renderTilemap, parseTilemapFormat } from '../../src/gfx/index.js';
import { TilemapError, InvalidArgumentError } from '../../src/errors.js';

/** Tile t's pixel (x, y): asymmetric in x and y so every flip shows. */
function pixel(t: number, x: number, y: number): number {
  return (x + 2 * y + 3 * t) % 16;
}

function tiles(count: number): Uint8Array {
  const indices = new Uint8Array(count * 64);
  for (let t = 0; t < count; t++) for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) indices[t * 64 + y * 8 + x] = pixel(t, x, y);
  return indices;
}

interface Expected {
  tile: number;
  palette: number;
  h: boolean;
  v: boolean;
}

function checkPixels(image: { width: number; height: number; pixels: Uint8Array }, entries: Expected[], widthInTiles: number, colours: number): void {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const mx = i % widthInTiles;
    const my = Math.floor(i / widthInTiles);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const want = e.palette * colours + pixel(e.tile, e.h ? 7 - x : x, e.v ? 7 - y : y);
        const got = image.pixels[(my * 8 + y) * image.width + mx * 8 + x];
        if (got !== want) throw new Error(`entry ${i} pixel (${x}, ${y}): got ${got}, want ${want}`);
      }
    }
  }
}

describe('SNES tilemap', () => {
  it('renders tile, palette and flips, checked pixel by pixel', () => {
    const entries: Expected[] = [
      { tile: 1, palette: 0, h: false, v: false },
      { tile: 2, palette: 3, h: true, v: false },
      { tile: 3, palette: 1, h: false, v: true },
      { tile: 0, palette: 7, h: true, v: true },
      { tile: 0x3ff, palette: 2, h: false, v: false },
      { tile: 5, palette: 6, h: true, v: true },
    ];
    const bytes = new Uint8Array(entries.length * 2);
    entries.forEach((e, i) => {
      const word = e.tile | (e.palette << 10) | (i === 2 ? 0x2000 : 0) | (e.h ? 0x4000 : 0) | (e.v ? 0x8000 : 0);
      bytes[i * 2] = word & 0xff;
      bytes[i * 2 + 1] = word >> 8;
    });
    const map = decodeTilemap('snes', bytes);
    expect([...map.priorities]).toEqual([0, 0, 1, 0, 0, 0]);
    expect(map.tiles[4]).toBe(0x3ff);
    const image = renderTilemap(tiles(1024), 1024, map, { widthInTiles: 3, bpp: 4 });
    expect([image.width, image.height]).toEqual([24, 16]);
    checkPixels(image, entries, 3, 16);
  });

  it('a map entry naming a missing tile is an error with its map position', () => {
    const map = decodeTilemap('snes', Uint8Array.of(0, 0, 0, 0, 0, 0, 9, 0));
    expect(() => renderTilemap(tiles(4), 4, map, { widthInTiles: 2, bpp: 4 })).toThrow(TilemapError);
    expect(() => renderTilemap(tiles(4), 4, map, { widthInTiles: 2, bpp: 4 })).toThrow(/entry 3 at \(1, 1\) names tile 9/u);
  });

  it('odd-length SNES maps are refused', () => {
    expect(() => decodeTilemap('snes', new Uint8Array(3))).toThrow(TilemapError);
  });
});

describe('GBA text-mode tilemap', () => {
  it('tile 0-9, h-flip 10, v-flip 11, palette 12-15', () => {
    const entries: Expected[] = [
      { tile: 7, palette: 15, h: true, v: false },
      { tile: 2, palette: 0, h: false, v: true },
    ];
    const bytes = new Uint8Array(4);
    entries.forEach((e, i) => {
      const word = e.tile | (e.h ? 0x400 : 0) | (e.v ? 0x800 : 0) | (e.palette << 12);
      bytes[i * 2] = word & 0xff;
      bytes[i * 2 + 1] = word >> 8;
    });
    const image = renderTilemap(tiles(8), 8, decodeTilemap('gba', bytes), { widthInTiles: 2, bpp: 4 });
    checkPixels(image, entries, 2, 16);
  });
});

describe('GB / GBC tilemap', () => {
  it('unsigned and signed (0x8800) addressing', () => {
    const unsigned = decodeTilemap('gb', Uint8Array.of(0, 0x7f, 0x80, 0xff));
    expect([...unsigned.tiles]).toEqual([0, 0x7f, 0x80, 0xff]);
    const signed = decodeTilemap('gb-signed', Uint8Array.of(0, 0x7f, 0x80, 0xff));
    expect([...signed.tiles]).toEqual([256, 383, 128, 255]);
  });

  it('GBC attributes: palette, bank, flips, priority; rendered at 2 bpp', () => {
    const attributes = Uint8Array.of(0x00, 0x05 | 0x20, 0x08 | 0x40 | 0x80, 0x07 | 0x60);
    const map = decodeTilemap('gb', Uint8Array.of(1, 2, 3, 0), attributes);
    expect([...map.tiles]).toEqual([1, 2, 387, 0]);
    expect([...map.priorities]).toEqual([0, 0, 1, 0]);
    // 2bpp tiles: keep pixel values under 4
    const indices = tiles(768).map((v) => v & 3);
    const image = renderTilemap(indices, 768, map, { widthInTiles: 2, bpp: 2 });
    const entries: Expected[] = [
      { tile: 1, palette: 0, h: false, v: false },
      { tile: 2, palette: 5, h: true, v: false },
      { tile: 387, palette: 0, h: false, v: true },
      { tile: 0, palette: 7, h: true, v: true },
    ];
    for (let i = 0; i < 4; i++) {
      const e = entries[i]!;
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) {
          const want = e.palette * 4 + (pixel(e.tile, e.h ? 7 - x : x, e.v ? 7 - y : y) & 3);
          expect(image.pixels[((i >> 1) * 8 + y) * 16 + (i & 1) * 8 + x]).toBe(want);
        }
    }
  });

  it('an attribute map of another length is refused', () => {
    expect(() => decodeTilemap('gb', new Uint8Array(4), new Uint8Array(3))).toThrow(TilemapError);
  });

  it('unknown map formats are usage errors', () => {
    expect(() => parseTilemapFormat('nes')).toThrow(InvalidArgumentError);
  });
});
