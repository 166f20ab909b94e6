import { describe, expect, it } from 'vitest';
import {
  decodeOam,
  objSize,
  objTileAddress,
  objSpriteTile,
  isSpriteVisible,
  renderOamSprite,
  renderSpriteDump,
  siblingDumpNames,
  encodePlanarTiles,
  planarLayoutSnes4bpp,
  paletteColour,
  type OamEntry,
} from '../../src/gfx/index.js';
import { DumpSizeError, InvalidArgumentError } from '../../src/errors.js';

/** Writes one OAM entry the way the PPU reads it: 4 low-table bytes and 2 high-table bits. */
function setEntry(oam: Uint8Array, i: number, e: { x: number; y: number; tile: number; palette: number; priority: number; h: boolean; v: boolean; large: boolean }): void {
  const x9 = e.x & 0x1ff;
  oam[i * 4] = x9 & 0xff;
  oam[i * 4 + 1] = e.y;
  oam[i * 4 + 2] = e.tile & 0xff;
  oam[i * 4 + 3] = (e.tile >> 8) | (e.palette << 1) | (e.priority << 4) | (e.h ? 0x40 : 0) | (e.v ? 0x80 : 0);
  const shift = (i & 3) * 2;
  oam[512 + (i >> 2)] = (oam[512 + (i >> 2)]! & ~(3 << shift)) | (((x9 >> 8) | (e.large ? 2 : 0)) << shift);
}

/** An OAM where every sprite is parked off screen (Y = 240). */
function emptyOam(): Uint8Array {
  const oam = new Uint8Array(544);
  for (let i = 0; i < 128; i++) oam[i * 4 + 1] = 240;
  return oam;
}

describe('OAM decoding, bit by bit', () => {
  it('decodes X bit 8, tile bit 8, palette, priority, flips and size from hand-built bytes', () => {
    const oam = new Uint8Array(544);
    // entry 0: raw bytes F0 0A A5 6B, high bits 11 → X = 0x1F0 = −16, tile 0x1A5, palette 5, priority 2, h-flip, large
    oam.set([0xf0, 0x0a, 0xa5, 0x6b], 0);
    oam[512] = 0b11;
    // entry 1: 64 C8 03 B0, high bits 00 → X 100, Y 200, tile 3, palette 0, priority 3, v-flip, small
    oam.set([0x64, 0xc8, 0x03, 0xb0], 4);
    // entry 5: high byte 1 bits 2–3 = 10 → large, X bit 8 clear
    oam[513] = 0b1000;
    // entry 7: high byte 1 bits 6–7 = 01 → X bit 8 set; X low 0 → −256
    oam[513] |= 0b0100_0000;
    // entry 127: attributes 0x0E → palette 7 only; high byte 31 bits 6–7 = 10
    oam.set([0x10, 0x20, 0xff, 0x0e], 127 * 4);
    oam[543] = 0b1000_0000;
    const entries = decodeOam(oam, 0x60); // size mode 3: 16×16 / 32×32
    expect(entries).toHaveLength(128);
    expect(entries[0]).toEqual({ index: 0, x: -16, y: 10, tile: 0x1a5, palette: 5, priority: 2, hFlip: true, vFlip: false, large: true, width: 32, height: 32 });
    expect(entries[1]).toEqual({ index: 1, x: 100, y: 200, tile: 3, palette: 0, priority: 3, hFlip: false, vFlip: true, large: false, width: 16, height: 16 });
    expect(entries[5]).toMatchObject({ x: 0, large: true });
    expect(entries[7]).toMatchObject({ x: -256, large: false });
    expect(entries[127]).toMatchObject({ x: 16, y: 32, tile: 0xff, palette: 7, priority: 0, hFlip: false, vFlip: false, large: true, width: 32 });
  });

  it('each attribute bit maps to exactly one field', () => {
    const fields: [number, Partial<OamEntry>][] = [
      [0x01, { tile: 0x100 }],
      [0x02, { palette: 1 }],
      [0x04, { palette: 2 }],
      [0x08, { palette: 4 }],
      [0x10, { priority: 1 }],
      [0x20, { priority: 2 }],
      [0x40, { hFlip: true }],
      [0x80, { vFlip: true }],
    ];
    for (const [bit, field] of fields) {
      const oam = new Uint8Array(544);
      oam[3] = bit;
      const e = decodeOam(oam)[0]!;
      expect({ tile: e.tile, palette: e.palette, priority: e.priority, hFlip: e.hFlip, vFlip: e.vFlip }).toEqual({ tile: 0, palette: 0, priority: 0, hFlip: false, vFlip: false, ...field });
    }
  });

  it('OBSEL size pairs', () => {
    const pairs = [
      [8, 16],
      [8, 32],
      [8, 64],
      [16, 32],
      [16, 64],
      [32, 64],
    ];
    pairs.forEach(([small, large], mode) => {
      expect(objSize(mode << 5, false)).toEqual({ width: small, height: small });
      expect(objSize(mode << 5, true)).toEqual({ width: large, height: large });
    });
    expect(objSize(6 << 5, false)).toEqual({ width: 16, height: 32 });
    expect(() => objSize(256, false)).toThrow(InvalidArgumentError);
  });

  it('tile addresses: name base, name select gap, 16-wide grid wrap', () => {
    expect(objTileAddress(0x00, 0)).toBe(0);
    expect(objTileAddress(0x01, 1)).toBe(0x4000 + 32);
    expect(objTileAddress(0x00, 0x100)).toBe(0x2000);
    expect(objTileAddress(0x09, 0x100)).toBe(0x4000 + 0x4000);
    expect(objTileAddress(0x1f, 0x1ff)).toBe((0x1c000 + 0x8000 + 0xff * 32) & 0xffff);
    expect(objSpriteTile(0x0f, 1, 0)).toBe(0x00);
    expect(objSpriteTile(0x0f, 1, 1)).toBe(0x10);
    expect(objSpriteTile(0x1f0, 0, 1)).toBe(0x100);
  });

  it('wrong sizes are DumpSizeError', () => {
    expect(() => decodeOam(new Uint8Array(512))).toThrow(DumpSizeError);
  });
});

describe('visibility', () => {
  const base = { index: 0, tile: 0, palette: 0, priority: 0, hFlip: false, vFlip: false, large: false, width: 16, height: 16 };
  it('on screen, off the right, off the left, below line 224, wrapping from Y 250', () => {
    expect(isSpriteVisible({ ...base, x: 0, y: 0 })).toBe(true);
    expect(isSpriteVisible({ ...base, x: 256 - 512 + 0, y: 0 })).toBe(false);
    expect(isSpriteVisible({ ...base, x: -16, y: 0 })).toBe(false);
    expect(isSpriteVisible({ ...base, x: -15, y: 0 })).toBe(true);
    expect(isSpriteVisible({ ...base, x: 0, y: 224 })).toBe(false);
    expect(isSpriteVisible({ ...base, x: 0, y: 250 })).toBe(true);
  });
});

describe('sprite rendering from VRAM + CGRAM + OAM', () => {
  /** VRAM where OBJ tile t (at obsel) is solid colour (t % 15) + 1. */
  function vramWithSolidTiles(obsel: number): Uint8Array {
    const vram = new Uint8Array(0x10000);
    const indices = new Uint8Array(64);
    const bytes = new Uint8Array(32);
    for (let t = 0; t < 512; t++) {
      indices.fill((t % 15) + 1);
      encodePlanarTiles(indices, bytes, 1, planarLayoutSnes4bpp);
      vram.set(bytes, objTileAddress(obsel, t));
    }
    return vram;
  }

  it('a 16x16 sprite at tile 0x0F wraps in the 16-wide grid; h-flip mirrors the whole sprite', () => {
    const obsel = 0x09;
    const vram = vramWithSolidTiles(obsel);
    const oam = emptyOam();
    setEntry(oam, 0, { x: 10, y: 20, tile: 0x0f, palette: 2, priority: 0, h: false, v: false, large: true, });
    const entry = decodeOam(oam, obsel)[0]!;
    const image = renderOamSprite(vram, entry, obsel);
    const colourOfTile = (t: number) => (t % 15) + 1;
    expect([image.pixels[0], image.pixels[8], image.pixels[8 * 16], image.pixels[8 * 16 + 8]]).toEqual([0x0f, 0x00, 0x1f, 0x10].map(colourOfTile));
    setEntry(oam, 0, { x: 10, y: 20, tile: 0x0f, palette: 2, priority: 0, h: true, v: true, large: true });
    const flipped = renderOamSprite(vram, decodeOam(oam, obsel)[0]!, obsel);
    expect([flipped.pixels[0], flipped.pixels[8], flipped.pixels[8 * 16], flipped.pixels[8 * 16 + 8]]).toEqual([0x10, 0x1f, 0x00, 0x0f].map(colourOfTile));
  });

  it('per-sprite palettes are CGRAM 8+p; the composite uses CGRAM indices with lower OAM indices in front', () => {
    const obsel = 0x00;
    const vram = new Uint8Array(0x10000);
    // tile 1: colour 3 in the left half, transparent right half
    const indices = new Uint8Array(64);
    for (let y = 0; y < 8; y++) indices.fill(3, y * 8, y * 8 + 4);
    const bytes = new Uint8Array(32);
    encodePlanarTiles(indices, bytes, 1, planarLayoutSnes4bpp);
    vram.set(bytes, objTileAddress(obsel, 1));
    indices.fill(5);
    encodePlanarTiles(indices, bytes, 1, planarLayoutSnes4bpp);
    vram.set(bytes, objTileAddress(obsel, 2));
    const cgram = new Uint8Array(512);
    for (let i = 0; i < 256; i++) {
      cgram[i * 2] = i & 0xff; // distinct colours: red = i & 31, green = i >> 5
      cgram[i * 2 + 1] = 0;
    }
    const oam = emptyOam();
    setEntry(oam, 0, { x: 100, y: 50, tile: 1, palette: 1, priority: 0, h: false, v: false, large: false });
    setEntry(oam, 1, { x: 100, y: 50, tile: 2, palette: 6, priority: 3, h: false, v: false, large: false });
    setEntry(oam, 2, { x: -4, y: 0, tile: 2, palette: 0, priority: 0, h: false, v: false, large: false });
    const dump = renderSpriteDump({ vram, cgram, oam, obsel });
    expect(dump.sprites.map((s) => s.entry.index)).toEqual([0, 1, 2]);
    expect(dump.sprites[0]!.palette.count).toBe(16);
    expect(paletteColour(dump.sprites[0]!.palette, 3)).toBe(paletteColour({ rgb: dump.compositePalette.rgb, count: 256 }, 9 * 16 + 3));
    const at = (x: number, y: number) => dump.composite.pixels[y * 256 + x];
    expect(at(100, 50)).toBe(9 * 16 + 3); // sprite 0 (palette 1 → CGRAM 9) in front of sprite 1
    expect(at(104, 50)).toBe(14 * 16 + 5); // sprite 0 transparent there: sprite 1 (palette 6 → CGRAM 14) shows
    expect(at(0, 0)).toBe(8 * 16 + 5); // sprite 2 clipped at the left edge: columns 4–7 visible
    expect(at(4, 0)).toBe(0);
    expect(at(99, 50)).toBe(0);
    expect(dump.compositePalette.count).toBe(256);
  });

  it('VRAM and CGRAM sizes are checked', () => {
    expect(() => renderSpriteDump({ vram: new Uint8Array(100), oam: emptyOam() })).toThrow(DumpSizeError);
    expect(() => renderSpriteDump({ vram: new Uint8Array(0x10000), cgram: new Uint8Array(100), oam: emptyOam() })).toThrow(DumpSizeError);
  });
});

describe('sibling dump names', () => {
  it('follows emulator naming conventions', () => {
    expect(siblingDumpNames('/d/game.VRAM.dmp')).toEqual({ cgram: ['/d/game.CGRAM.dmp'], oam: ['/d/game.OAM.dmp'] });
    expect(siblingDumpNames('x_VRAM.bin')).toEqual({ cgram: ['x_CGRAM.bin'], oam: ['x_OAM.bin'] });
    expect(siblingDumpNames('/m/save.SnesVideoRam').cgram).toContain('/m/save.SnesCgRam');
    expect(siblingDumpNames('/m/save.SnesVideoRam').oam).toContain('/m/save.SnesSpriteRam');
    expect(siblingDumpNames('plain.bin')).toEqual({ cgram: [], oam: [] });
  });
});

describe('fuzz', () => {
  it('any OAM, CGRAM and OBSEL render without error, sprites inside their declared size', async () => {
    const fc = (await import('fast-check')).default;
    const vram = Uint8Array.from({ length: 0x10000 }, (_, i) => (i * 37 + (i >> 8)) & 0xff);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 544, maxLength: 544 }), fc.uint8Array({ minLength: 512, maxLength: 512 }), fc.integer({ min: 0, max: 255 }), (oam, cgram, obsel) => {
        const dump = renderSpriteDump({ vram, cgram, oam, obsel });
        for (const sprite of dump.sprites) {
          expect(sprite.image.width).toBe(sprite.entry.width);
          expect(sprite.image.height).toBe(sprite.entry.height);
          expect(isSpriteVisible(sprite.entry)).toBe(true);
        }
        expect(dump.composite.pixels.every((p) => p === 0 || p >= 128)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});
