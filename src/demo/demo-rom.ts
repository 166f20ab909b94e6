/**
 * The demo ROM: an SNES LoROM image built from the demo art, with the shapes real games have —
 * a palette, a pointer table, HAL-compressed and raw 4bpp sprites, code-like filler, and a free
 * bank. Deterministic: the same bytes on every machine.
 */
import { buildSnesRom, fillPseudoRandom, type Payload } from '../rom/build.js';
import { snesOffsetToBus } from '../rom/snes.js';
import { encodeTiles } from '../gfx/formats.js';
import { getCodec } from '../codecs/index.js';
import { demoPaletteBgr555, demoSprites, demoSpriteSizeInPixels, type DemoSprite } from './art.js';

export const demoRomSizeInBytes = 512 * 1024;
export const demoPaletteOffset = 0x8000;
export const demoPointerTableOffset = 0x8020;
export const demoSpriteDataOffset = 0x10000;
/** The last four banks are left empty for relocated sprites. */
export const demoFreeSpace = { start: 0x60000, end: 0x80000 } as const;
export const demoTileFormat = 'snes4bpp';
const tilesPerSprite = (demoSpriteSizeInPixels / 8) ** 2;

export interface DemoSpriteBlock {
  name: string;
  offset: number;
  codec: 'hal' | null;
  packedLength: number;
  tileCount: number;
  /** Where the 24-bit pointer to this block is stored. */
  pointerAt: number;
  /** The sprite's pixels as tile-major indices (what decoding the block must give). */
  tiles: Uint8Array;
}

export interface DemoRom {
  bytes: Uint8Array;
  sprites: DemoSpriteBlock[];
}

/** 16×16 row-major pixels → four 8×8 tiles in 2×2 block order (top-left, top-right, bottom-left, bottom-right), tile-major indices. */
export function spriteToTileIndices(sprite: DemoSprite): Uint8Array {
  const side = demoSpriteSizeInPixels;
  const tiles = new Uint8Array(tilesPerSprite * 64);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const tile = (x >> 3) + (side >> 3) * (y >> 3);
      tiles[tile * 64 + (y & 7) * 8 + (x & 7)] = sprite.pixels[y * side + x]!;
    }
  }
  return tiles;
}

export function buildDemoRom(): DemoRom {
  const hal = getCodec('hal');
  const art = demoSprites();
  const payloads: Payload[] = [];
  const palette = new Uint8Array(32);
  demoPaletteBgr555().forEach((c, i) => {
    palette[i * 2] = c & 0xff;
    palette[i * 2 + 1] = c >>> 8;
  });
  payloads.push({ offset: demoPaletteOffset, bytes: palette });

  const sprites: DemoSpriteBlock[] = [];
  let cursor = demoSpriteDataOffset;
  art.forEach((sprite, i) => {
    const tiles = spriteToTileIndices(sprite);
    const raw = encodeTiles(demoTileFormat, tiles);
    // Half the sprites HAL-compressed (as HAL's own games store them), half raw.
    const compressed = i < art.length / 2;
    const bytes = compressed ? hal.compress(raw, { level: '4' }) : raw;
    payloads.push({ offset: cursor, bytes });
    sprites.push({ name: sprite.name, offset: cursor, codec: compressed ? 'hal' : null, packedLength: bytes.length, tileCount: tilesPerSprite, pointerAt: demoPointerTableOffset + i * 3, tiles });
    cursor += bytes.length;
  });

  const pointerTable = new Uint8Array(sprites.length * 3);
  sprites.forEach((s, i) => {
    const bus = snesOffsetToBus(s.offset, 'lorom', demoRomSizeInBytes);
    pointerTable[i * 3] = bus & 0xff;
    pointerTable[i * 3 + 1] = (bus >>> 8) & 0xff;
    pointerTable[i * 3 + 2] = bus >>> 16;
  });
  payloads.push({ offset: demoPointerTableOffset, bytes: pointerTable });

  // Code-like filler around the data, zeros in the free banks.
  const filler = new Uint8Array(demoRomSizeInBytes);
  fillPseudoRandom(filler, 0xdeadbeef, 0, demoFreeSpace.start);
  filler.fill(0, demoPaletteOffset, cursor);
  const bytes = buildSnesRom({ mapping: 'lorom', size: demoRomSizeInBytes, title: 'ROMGFX DEMO', fastRom: true, payloads: [{ offset: 0, bytes: filler.subarray(0, 0x7fc0) }, { offset: 0x8000, bytes: filler.subarray(0x8000, demoFreeSpace.start) }, ...payloads] });
  return { bytes, sprites };
}

/** The game definition of the demo ROM (docs/game-definitions.md), as the JSON file `romgfx demo` writes. */
export function demoDefinition(demo: DemoRom, identity: { crc32: number; sha1: string }): Record<string, unknown> {
  const hex = (n: number) => '0x' + n.toString(16).toUpperCase();
  return {
    formatVersion: 1,
    id: 'romgfx-demo',
    name: 'romgfx demo ROM',
    platform: 'snes',
    notes: 'Made by `romgfx demo` from art drawn by code. LoROM, 512 KiB; sprites are 16×16 (2×2 tiles) SNES 4bpp, the first four HAL-compressed.',
    variants: [{ id: 'demo', crc32: identity.crc32.toString(16).padStart(8, '0'), sha1: identity.sha1, title: 'ROMGFX DEMO', size: demo.bytes.length }],
    sprites: demo.sprites.map((s) => ({
      name: s.name,
      offset: hex(s.offset),
      ...(s.codec ? { codec: s.codec, storedLength: s.packedLength } : {}),
      tileFormat: demoTileFormat,
      tileCount: s.tileCount,
      arrangement: { kind: 'block', width: 2, height: 2 },
      palette: { rom: hex(demoPaletteOffset), count: 16, format: 'bgr555' },
    })),
    pointers: demo.sprites.map((s) => ({ target: s.name, form: 'snes24', at: hex(s.pointerAt) })),
    freeSpace: [{ start: hex(demoFreeSpace.start), end: hex(demoFreeSpace.end), notes: 'the last four banks are empty' }],
  };
}
