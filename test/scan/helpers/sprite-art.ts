/**
 * Sprite-like tile data drawn by code (seeded, deterministic): blobs, boxes and diamonds with a
 * dark outline and a highlight, 2–8 colours from a small ramp, on a transparent background,
 * laid out as a sheet of 16×16 sprites. This is what planted "graphics" in scanner fixtures
 * look like; it has the statistics of hand-drawn console art (flat areas, outlines, a few
 * colours per tile, empty cells), which random bytes and code do not.
 */
import { encodeTiles, getTileFormat } from '../../../src/gfx/index.js';

/** xorshift32: small, deterministic, seedable. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/** Indices plane (tile-major, 64 per tile) of `tileCount` tiles of sprites with colours < 2^bpp. */
export function spriteTileIndices(tileCount: number, bpp: number, seed: number): Uint8Array {
  const random = rng(seed);
  const maxIndex = (1 << Math.min(bpp, 8)) - 1;
  const out = new Uint8Array(tileCount * 64);
  // Sprites are 16×16 (2×2 tiles, stored as 4 consecutive tiles: tl, tr, bl, br).
  const sprite = new Uint8Array(256);
  for (let first = 0; first < tileCount; first += 4) {
    sprite.fill(0);
    const shapes = 1 + Math.floor(random() * 3);
    const colourBase = bpp >= 4 ? 2 + Math.floor(random() * (maxIndex - 4)) : 1;
    for (let s = 0; s < shapes; s++) {
      const kind = Math.floor(random() * 3);
      const cx = 3 + random() * 10;
      const cy = 3 + random() * 10;
      const r = 2 + random() * 5;
      const fill = Math.min(maxIndex, colourBase + Math.floor(random() * Math.min(3, maxIndex)));
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          const dx = x - cx;
          const dy = y - cy;
          const inside = kind === 0 ? dx * dx + dy * dy <= r * r : kind === 1 ? Math.abs(dx) <= r && Math.abs(dy) <= r * 0.7 : Math.abs(dx) + Math.abs(dy) <= r;
          if (inside) sprite[y * 16 + x] = dx + dy < -r / 2 && maxIndex >= 2 ? Math.min(maxIndex, fill + 1) : fill;
        }
      }
    }
    // Outline (index 1) around opaque pixels.
    const outlined = sprite.slice();
    if (maxIndex >= 2) {
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          if (sprite[y * 16 + x] !== 0) continue;
          const near = (nx: number, ny: number) => nx >= 0 && ny >= 0 && nx < 16 && ny < 16 && sprite[ny * 16 + nx]! > 1;
          if (near(x + 1, y) || near(x - 1, y) || near(x, y + 1) || near(x, y - 1)) outlined[y * 16 + x] = 1;
        }
      }
    }
    for (let t = 0; t < 4 && first + t < tileCount; t++) {
      const ox = (t & 1) * 8;
      const oy = (t >> 1) * 8;
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) out[(first + t) * 64 + y * 8 + x] = outlined[(oy + y) * 16 + ox + x]!;
    }
  }
  return out;
}

/** `tileCount` sprite-like tiles encoded in `format`. */
export function spriteTiles(format: string, tileCount: number, seed: number): Uint8Array {
  const f = getTileFormat(format);
  return encodeTiles(f, spriteTileIndices(tileCount, f.bpp, seed));
}

/**
 * Filler that looks like 65816 code: opcodes with their operand sizes (LDA/STA/JSR/branches,
 * REP/SEP), small immediates and addresses in a few banks. Not tile-like, and not uniform noise.
 */
export function codeLikeFiller(length: number, seed: number): Uint8Array {
  const random = rng(seed);
  const out = new Uint8Array(length);
  const ops: readonly (readonly [number, number])[] = [
    [0xa9, 2], [0xa5, 1], [0xad, 2], [0x8d, 2], [0x85, 1], [0x20, 2], [0x22, 3], [0x60, 0], [0x6b, 0], [0xc2, 1], [0xe2, 1],
    [0xd0, 1], [0xf0, 1], [0x80, 1], [0x18, 0], [0x69, 2], [0xaa, 0], [0xa8, 0], [0xbd, 2], [0x9d, 2], [0xe8, 0], [0xc8, 0],
    [0x48, 0], [0x68, 0], [0xda, 0], [0xfa, 0], [0x8b, 0], [0xab, 0], [0x29, 2], [0x09, 2], [0x0a, 0], [0x4a, 0], [0xc9, 2],
  ];
  let i = 0;
  while (i < length) {
    const [op, operand] = ops[Math.floor(random() * ops.length)]!;
    out[i++] = op;
    for (let k = 0; k < operand && i < length; k++) {
      // Operands: small numbers, RAM addresses ($00-$1F high bytes), ROM banks $80-$8F.
      const r = random();
      out[i++] = k === operand - 1 && operand >= 2 ? (r < 0.5 ? Math.floor(r * 64) : 0x80 + Math.floor(r * 16)) : Math.floor(random() * 256);
    }
  }
  return out;
}
