/**
 * Colours as the converter holds them: one number per colour after reduction to the target's
 * depth, `1 << 24 | b << 16 | g << 8 | r` with r, g, b the reduced channel values, and 0 for
 * transparent. This orders colours exactly as SuperFamiconv's internal value
 * `a << 24 | b << 16 | g << 8 | r` does (transparent first, then by b, g, r; convert.md §1.2),
 * which its order-dependent steps need, while staying a small integer: V8 keeps it unboxed
 * (the 0xFF alpha byte made every colour a heap number, and the garbage collector led the profile).
 */
import { nesMasterPalette } from '../gfx/palette.js';
import type { TargetSpec } from './targets.js';

/** Bit marking an opaque colour (stands for SuperFamiconv's alpha byte 0xFF). */
const opaqueMarker = 1 << 24;
/** The transparent colour value. */
export const transparentColour = 0;
/** Alpha below this is transparent (SuperFamiconv's `reduce_color`, convert.md §1.2). */
export const transparentAlphaBelow = 0x80;

/** A reduced colour from its channels (already reduced). */
export function opaqueColour(r: number, g: number, b: number): number {
  return opaqueMarker | (b << 16) | (g << 8) | r;
}

/** Reduced red / green / blue channel of a colour value. */
export function redOf(colour: number): number {
  return colour & 0xff;
}
/** Reduced green channel. */
export function greenOf(colour: number): number {
  return (colour >> 8) & 0xff;
}
/** Reduced blue channel. */
export function blueOf(colour: number): number {
  return (colour >> 16) & 0xff;
}

/** NES master palette: 0xRRGGBB → index. Black is 0x0F (0x0D is "blacker than black", which upsets some TVs). */
const nesIndexByRgb = new Map<number, number>();
for (let i = nesMasterPalette.length - 1; i >= 0; i--) nesIndexByRgb.set(nesMasterPalette[i]!, i);
nesIndexByRgb.set(0x000000, 0x0f);

/** The master-palette index of an exact 8-bit colour, or -1. */
export function nesMasterIndex(rgb24: number): number {
  return nesIndexByRgb.get(rgb24) ?? -1;
}

/** DMG shade level (0 = black … 3 = white) of an 8-bit colour: luma thresholds ≤0x40, ≤0x80, ≤0xC0 (convert.md §1.2). */
export function dmgLevel(r: number, g: number, b: number): number {
  const luma = Math.trunc(0.299 * r + 0.587 * g + 0.114 * b) & 0xff;
  return luma <= 0x40 ? 0 : luma <= 0x80 ? 1 : luma <= 0xc0 ? 2 : 3;
}

/**
 * Reduces an RGBA8 pixel to the target's colour value. Transparent below `transparentAlphaBelow`;
 * otherwise each channel keeps its top `channelBits` bits (DMG: the shade level on all three).
 */
export function reduceRgba(spec: TargetSpec, r: number, g: number, b: number, a: number): number {
  if (a < transparentAlphaBelow) return transparentColour;
  const bits = spec.channelBits;
  if (spec.colourEncoding === 'dmg-shade') {
    const level = dmgLevel(r, g, b);
    return opaqueColour(level, level, level);
  }
  const shift = 8 - bits;
  return opaqueColour(r >> shift, g >> shift, b >> shift);
}

/** The 8-bit 0xRRGGBB a reduced colour shows as (bit replication; DMG level × 0x55). Transparent → 0. */
export function colourToRgb24(spec: TargetSpec, colour: number): number {
  if (colour === transparentColour) return 0;
  const expand = (c: number): number => {
    switch (spec.channelBits) {
      case 8:
        return c;
      case 5:
        return (c << 3) | (c >> 2);
      case 3:
        return (c << 5) | (c << 2) | (c >> 1);
      default:
        return c * 0x55;
    }
  };
  return (expand(redOf(colour)) << 16) | (expand(greenOf(colour)) << 8) | expand(blueOf(colour));
}

/** `#rrggbb` of a colour value for messages (`transparent` for 0). */
export function describeColour(spec: TargetSpec, colour: number): string {
  return colour === transparentColour ? 'transparent' : '#' + colourToRgb24(spec, colour).toString(16).padStart(6, '0');
}

/**
 * The native 16-bit word of a colour (BGR555, Mega Drive `0000bbb0ggg0rrr0`, PC Engine
 * `0000000g ggrrrbbb`). Transparent is 0, as it loads into CGRAM.
 */
export function nativeColourWord(spec: TargetSpec, colour: number): number {
  if (colour === transparentColour) return 0;
  const r = redOf(colour);
  const g = greenOf(colour);
  const b = blueOf(colour);
  switch (spec.colourEncoding) {
    case 'md9':
      return (r << 1) | (g << 5) | (b << 9);
    case 'pce9':
      return (g << 6) | (r << 3) | b;
    default:
      return r | (g << 5) | (b << 10);
  }
}

/** A colour value from a native 16-bit word (inverse of nativeColourWord; extra bits ignored as the hardware ignores them). */
export function colourFromNativeWord(spec: TargetSpec, word: number): number {
  switch (spec.colourEncoding) {
    case 'md9':
      return opaqueColour((word >> 1) & 7, (word >> 5) & 7, (word >> 9) & 7);
    case 'pce9':
      return opaqueColour((word >> 3) & 7, (word >> 6) & 7, word & 7);
    default:
      return opaqueColour(word & 31, (word >> 5) & 31, (word >> 10) & 31);
  }
}

/**
 * SuperFamiconv's colour sort key `(h, l, v)` (src/Color.h `sort_colors`, convert.md §1.4 step 7),
 * computed in single precision on the reduced channels as the tool does.
 */
export function superFamiconvColourKey(colour: number): [number, number, number] {
  const f = Math.fround;
  const r = redOf(colour);
  const g = greenOf(colour);
  const b = blueOf(colour);
  const max = f(Math.max(r, g, b));
  const min = f(Math.min(r, g, b));
  const d = f(max - min);
  let h = f(0);
  if (d > 0) {
    if (max === r) h = f(f(60) * f(f(f(g - b) / d) % 6));
    else if (max === g) h = f(f(60) * f(f(f(b - r) / d) + 2));
    else h = f(f(60) * f(f(f(r - g) / d) + 4));
  }
  if (h < 0) h = f(360 + h);
  const l = f(Math.sqrt(f(f(f(f(0.241) * r) + f(f(0.691) * g)) + f(f(0.068) * b))));
  return [Math.trunc(f(8 * h)), Math.trunc(f(8 * l)), Math.trunc(f(8 * max))];
}
