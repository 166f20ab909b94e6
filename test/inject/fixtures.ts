/**
 * Fixture ROMs for injection tests: one per platform (SNES LoROM and HiROM, GB, GBA, NES, Mega
 * Drive), built with src/rom/build.ts, with planted sprites (raw and compressed), a pointer
 * table in the platform's pointer form, free space, and the game definition that describes them.
 */
import { buildGbaRom, buildGbRom, buildMdRom, buildNesRom, buildSnesRom, type Payload } from '../../src/rom/build.js';
import { snesOffsetToBus } from '../../src/rom/snes.js';
import { encodeTiles, getTileFormat } from '../../src/gfx/formats.js';
import { getCodec } from '../../src/codecs/index.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import type { GameDefinition } from '../../src/defs/types.js';
import { romFromBytes } from '../../src/rom/rom.js';

export type FixturePlatform = 'snes-lorom' | 'snes-hirom' | 'gb' | 'gba' | 'nes' | 'md';
export const fixturePlatforms: readonly FixturePlatform[] = ['snes-lorom', 'snes-hirom', 'gb', 'gba', 'nes', 'md'];

export interface PlantedSprite {
  name: string;
  codec: string;
  format: string;
  offset: number;
  tileCount: number;
  /** Tile-major indices the block decodes to. */
  indices: Uint8Array;
  packedLength: number;
  pointerAt: number;
  bankAt?: number;
}

export interface InjectFixture {
  platform: FixturePlatform;
  bytes: Uint8Array;
  definitionJson: Record<string, unknown>;
  definition: GameDefinition;
  sprites: PlantedSprite[];
  freeSpace: { start: number; end: number };
}

/** Deterministic art: smooth bands (compressible) with a seed-dependent pattern. */
export function spriteArt(tileCount: number, bpp: number, seed: number): Uint8Array {
  const out = new Uint8Array(tileCount * 64);
  const mask = (1 << bpp) - 1;
  for (let t = 0; t < tileCount; t++) {
    for (let p = 0; p < 64; p++) {
      const x = p & 7;
      const y = p >> 3;
      out[t * 64 + p] = ((x >> 1) + (y >> 2) + t + seed) & mask;
    }
  }
  return out;
}

/** Noisy art that compresses badly (so an edited block grows past its slot). */
export function noisyArt(tileCount: number, bpp: number, seed: number): Uint8Array {
  const out = new Uint8Array(tileCount * 64);
  let x = seed >>> 0 || 1;
  const mask = (1 << bpp) - 1;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & mask;
  }
  return out;
}

interface Layout {
  platform: 'snes' | 'gb' | 'gba' | 'nes' | 'md';
  format: string;
  codecs: [string, string];
  pointerForm: string;
  pointerBase: number;
  bankBase?: number;
  spriteBase: number;
  free: { start: number; end: number };
  size: number;
}

const layouts: Record<FixturePlatform, Layout> = {
  'snes-lorom': { platform: 'snes', format: 'snes4bpp', codecs: ['hal', 'none'], pointerForm: 'snes24', pointerBase: 0x8000, spriteBase: 0x10000, free: { start: 0x30000, end: 0x38000 }, size: 0x40000 },
  'snes-hirom': { platform: 'snes', format: 'snes4bpp', codecs: ['hal', 'none'], pointerForm: 'snes16+bank', pointerBase: 0x8000, bankBase: 0x8100, spriteBase: 0x20000, free: { start: 0x30000, end: 0x40000 }, size: 0x40000 },
  gb: { platform: 'gb', format: 'gb2bpp', codecs: ['pb16', 'none'], pointerForm: 'offset24le', pointerBase: 0x200, spriteBase: 0x4000, free: { start: 0xc000, end: 0x10000 }, size: 0x10000 },
  gba: { platform: 'gba', format: 'gba4bpp', codecs: ['lz77', 'none'], pointerForm: 'gba32', pointerBase: 0x1000, spriteBase: 0x2000, free: { start: 0x30000, end: 0x38000 }, size: 0x40000 },
  nes: { platform: 'nes', format: 'nes2bpp', codecs: ['lz4', 'none'], pointerForm: 'offset24le', pointerBase: 0x100, spriteBase: 0x1000, free: { start: 0x6000, end: 0x8000 }, size: 0 },
  md: { platform: 'md', format: 'md4bpp', codecs: ['lz4', 'none'], pointerForm: 'offset32le', pointerBase: 0x300, spriteBase: 0x1000, free: { start: 0x18000, end: 0x1c000 }, size: 0x20000 },
};

function pointerBytes(layout: Layout, offset: number, romSize: number): Uint8Array {
  switch (layout.pointerForm) {
    case 'snes24': {
      const bus = snesOffsetToBus(offset, 'lorom', romSize);
      return Uint8Array.of(bus & 0xff, (bus >> 8) & 0xff, bus >>> 16);
    }
    case 'snes16+bank': {
      const bus = snesOffsetToBus(offset, 'hirom', romSize);
      return Uint8Array.of(bus & 0xff, (bus >> 8) & 0xff);
    }
    case 'gba32': {
      const bus = 0x08000000 + offset;
      return Uint8Array.of(bus & 0xff, (bus >> 8) & 0xff, (bus >> 16) & 0xff, bus >>> 24);
    }
    case 'offset24le':
      return Uint8Array.of(offset & 0xff, (offset >> 8) & 0xff, offset >>> 16);
    default:
      return Uint8Array.of(offset & 0xff, (offset >> 8) & 0xff, (offset >> 16) & 0xff, offset >>> 24);
  }
}

export interface FixtureOptions {
  /** Sprites per codec (default 2: four sprites in all). */
  spritesPerCodec?: number;
  tileCount?: number;
  /** Declare no free space. */
  noFreeSpace?: boolean;
  /** Declare no pointers. */
  noPointers?: boolean;
  /** Size of the declared free range (default: the layout's). */
  freeSize?: number;
}

export function buildInjectFixture(platform: FixturePlatform, options: FixtureOptions = {}): InjectFixture {
  const layout = layouts[platform];
  const format = getTileFormat(layout.format);
  const tileCount = options.tileCount ?? 16;
  const perCodec = options.spritesPerCodec ?? 2;
  const nesPrgBanks = 2;
  const romSize = platform === 'nes' ? 16 + nesPrgBanks * 16384 + 8192 : layout.size;
  const payloads: Payload[] = [];
  const sprites: PlantedSprite[] = [];
  let cursor = layout.spriteBase;
  let n = 0;
  for (const codecName of layout.codecs) {
    for (let k = 0; k < perCodec; k++, n++) {
      const indices = spriteArt(tileCount, format.bpp, n * 3 + 1);
      const raw = encodeTiles(format, indices);
      const packed = codecName === 'none' ? raw : getCodec(codecName).compress(raw, codecName === 'hal' ? { level: '4' } : {});
      // Word-aligned blocks, with a 16-byte gap of filler between neighbours.
      cursor = (cursor + 3) & ~3;
      payloads.push({ offset: cursor, bytes: packed });
      const sprite: PlantedSprite = { name: `${codecName}-sprite-${k}`, codec: codecName, format: layout.format, offset: cursor, tileCount, indices, packedLength: packed.length, pointerAt: layout.pointerBase + n * 4 };
      if (layout.bankBase !== undefined) sprite.bankAt = layout.bankBase + n;
      sprites.push(sprite);
      cursor += packed.length + 16;
    }
  }
  for (const s of sprites) {
    payloads.push({ offset: s.pointerAt, bytes: pointerBytes(layout, s.offset, romSize) });
    if (s.bankAt !== undefined) payloads.push({ offset: s.bankAt, bytes: Uint8Array.of(snesOffsetToBus(s.offset, 'hirom', romSize) >>> 16) });
  }

  let bytes: Uint8Array;
  switch (layout.platform) {
    case 'snes':
      bytes = buildSnesRom({ mapping: platform === 'snes-hirom' ? 'hirom' : 'lorom', size: layout.size, filler: 'random', payloads, title: 'INJECT TEST' });
      break;
    case 'gb':
      bytes = buildGbRom({ size: layout.size, filler: 'random', payloads, title: 'INJECT' });
      break;
    case 'gba':
      bytes = buildGbaRom({ size: layout.size, filler: 'random', payloads, title: 'INJECT' });
      break;
    case 'nes':
      bytes = buildNesRom({ prgBanks: nesPrgBanks, chrBanks: 1, payloads });
      break;
    case 'md':
      bytes = buildMdRom({ size: layout.size, filler: 'random', payloads, title: 'INJECT TEST' });
      break;
  }
  const free = options.freeSize !== undefined ? { start: layout.free.start, end: layout.free.start + options.freeSize } : layout.free;
  const definitionJson: Record<string, unknown> = {
    formatVersion: 1,
    id: `inject-${platform}`,
    name: `Injection fixture (${platform})`,
    platform: layout.platform,
    // The definition recognises its ROM (by CRC-32): injection refuses a definition for another game.
    // Its title (where the platform has one) still recognises the ROM after an edit changed the CRC.
    variants: [{ id: 'test', crc32: romFromBytes(bytes).identity().crc32.toString(16).padStart(8, '0'), ...(romFromBytes(bytes).title() ? { title: romFromBytes(bytes).title() } : {}) }],
    sprites: sprites.map((s) => ({
      name: s.name,
      offset: '0x' + s.offset.toString(16),
      codec: s.codec,
      tileFormat: s.format,
      tileCount: s.tileCount,
      ...(s.name.endsWith('-1') ? { arrangement: { kind: 'block', width: 2, height: 2 } } : {}),
    })),
  };
  if (!options.noPointers) {
    definitionJson.pointers = sprites.map((s) => ({
      target: s.name,
      form: layout.pointerForm,
      at: '0x' + s.pointerAt.toString(16),
      ...(s.bankAt !== undefined ? { bankAt: '0x' + s.bankAt.toString(16) } : {}),
    }));
  }
  if (!options.noFreeSpace) definitionJson.freeSpace = [{ start: '0x' + free.start.toString(16), end: '0x' + free.end.toString(16) }];
  const definition = parseGameDefinition(definitionJson, `<fixture ${platform}>`);
  return { platform, bytes, definitionJson, definition, sprites, freeSpace: free };
}
