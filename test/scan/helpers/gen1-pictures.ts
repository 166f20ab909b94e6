/**
 * Pictures drawn by code (seeded) as Pokémon Red/Blue/Yellow store them: a figure on a blank
 * (colour 0) background in a square of N×N tiles, N = 4–7, row-major 2bpp tiles as the
 * `gen1-pic` codec decodes them. The figure is a few overlapping ellipses and boxes with a dark
 * outline, flat shades, a dithered shade region and a highlight; it may touch the bottom edge
 * (a standing figure's feet) and, when `touchSides` is set, the left and right edges too.
 */
import { rng } from './sprite-art.js';

/** Bytes of 2bpp tiles (N×N tiles, row-major) of one picture. */
export function gen1Picture(side: number, seed: number, touchSides = false): Uint8Array {
  const random = rng(seed);
  const size = side * 8;
  const pixels = new Uint8Array(size * size);
  const margin = touchSides ? 0 : 2;
  // Parts of the figure (body, head, limbs), each outlined, drawn back to front.
  const shapes = 4 + Math.floor(random() * 5);
  for (let s = 0; s < shapes; s++) {
    const ellipse = random() < 0.7;
    const rx = 3 + random() * (size / 3 - 3);
    const ry = 3 + random() * (size / 3 - 3);
    const cx = margin + rx + random() * Math.max(0, size - 2 * margin - 2 * rx);
    const cy = 2 + ry + random() * Math.max(0, size - 2 - 2 * ry) + (s === 0 ? size : 0);
    const y0 = Math.min(size - 1 - ry, cy);
    const shade = 1 + Math.floor(random() * 2);
    // Dithering: 2×1 checks of the shade and the next one (the games' way to make a fourth tone).
    const dithered = random() < 0.5;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dx = (x - cx) / rx;
        const dy = (y - y0) / ry;
        const inside = (at: number, bt: number) => (ellipse ? at * at + bt * bt <= 1 : Math.abs(at) <= 1 && Math.abs(bt) <= 1);
        if (!inside(dx, dy)) continue;
        const edge = !inside((x - 1 - cx) / rx, dy) || !inside((x + 1 - cx) / rx, dy) || !inside(dx, (y - 1 - y0) / ry) || !inside(dx, (y + 1 - y0) / ry);
        let colour = shade;
        if (dithered && dx + dy > 0.3 && ((x >> 1) + y) % 2 === 0) colour = shade + 1;
        if (dx + dy < -0.8) colour = 1;
        pixels[y * size + x] = edge ? 3 : colour;
      }
    }
  }
  const outlined = pixels;
  const out = new Uint8Array(side * side * 16);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const colour = outlined[y * size + x]!;
      const tile = (y >> 3) * side + (x >> 3);
      const at = tile * 16 + (y & 7) * 2;
      const bit = 0x80 >> (x & 7);
      if (colour & 1) out[at] = out[at]! | bit;
      if (colour & 2) out[at + 1] = out[at + 1]! | bit;
    }
  }
  return out;
}
