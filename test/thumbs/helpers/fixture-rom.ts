import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { PACKAGE_ROOT } from '../../../src/version.js';

export const fixture = (...parts: string[]): string => join(PACKAGE_ROOT, 'fixtures', ...parts);

/** tiles16.png from the shared vectors: 256×256, 16 colours; SuperFamiconv's SNES 4bpp tiles of it are tiles16.snes4bpp.bin. */
export function goldenTiles16(): { width: number; height: number; indices: Uint8Array; colors: number[] } {
  const png = decode(readFileSync(fixture('tiles', 'tiles16.png')));
  if (png.channels !== 1 || png.depth !== 8 || !png.palette) throw new Error('tiles16.png is expected to be 8-bit indexed');
  return {
    width: png.width,
    height: png.height,
    indices: Uint8Array.from(png.data as Uint8Array),
    colors: png.palette.map(([r, g, b]) => (r! << 16) | (g! << 8) | b!),
  };
}

export const rawOffset = 0x1000;
export const halOffset = 0x10000;
export const tiles16Count = 1024;

/**
 * A loose ROM image (no console header, opened as platform 'unknown'): the SNES 4bpp tiles of
 * tiles16.png raw at 0x1000, and the same tiles HAL-compressed by inhal at 0x10000.
 */
export function writeFixtureRom(path: string): Uint8Array {
  const raw = readFileSync(fixture('tiles', 'tiles16.snes4bpp.bin'));
  const hal = readFileSync(fixture('hal', 'tiles4bpp_32k.L2.hal'));
  const rom = new Uint8Array(0x20000);
  rom.set(raw, rawOffset);
  rom.set(hal, halOffset);
  writeFileSync(path, rom);
  return rom;
}
