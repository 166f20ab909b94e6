import { readFileSync } from 'node:fs';
import { decode } from 'fast-png';

export function fixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));
}

/**
 * Cuts an 8-bit indexed fixture PNG into tile-major indices with a loop independent of
 * src/gfx (so golden tests do not trust the code under test to read their expectations).
 */
export function fixtureTiles(png: string): { indices: Uint8Array; tileCount: number } {
  const image = decode(fixture(`tiles/${png}`));
  if (image.depth !== 8 || image.channels !== 1) throw new Error(`${png}: expected an 8-bit indexed PNG`);
  const tilesWide = image.width / 8;
  const tileCount = tilesWide * (image.height / 8);
  const indices = new Uint8Array(tileCount * 64);
  for (let t = 0; t < tileCount; t++) {
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        indices[t * 64 + y * 8 + x] = image.data[(Math.floor(t / tilesWide) * 8 + y) * image.width + (t % tilesWide) * 8 + x]!;
      }
    }
  }
  return { indices, tileCount };
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
