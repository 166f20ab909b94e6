/**
 * `romgfx/convert`: image conversion (docs/convert.md) — a PNG to deduplicated tiles, a map and
 * packed sub-palettes for snes, gba, gb, gbc, md, nes and pce, in romgfx's own mode or
 * byte-compatible with SuperFamiconv / rgbgfx; `reverseConvert` renders them back;
 * `reconvertScreen` re-converts an edited screen keeping the original tile numbers.
 * @module romgfx/convert
 */
export {
  convertImage,
  reverseConvert,
  reconvertScreen,
  decodedToRgba,
  decodeNativePalettes,
  packColourSets,
  convertTargets,
  mapFormats,
  type ConvertOptions,
  type ConvertResult,
  type ConvertTarget,
  type CompatibilityMode,
  type FlipAxes,
  type FlippedCell,
  type MapFormat,
  type ReverseOptions,
  type ReverseResult,
  type OriginalScreen,
  type RgbaImage,
} from '../convert/index.js';
export type { Packing } from '../convert/pack-best.js';
