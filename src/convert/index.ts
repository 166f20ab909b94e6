/** PNG ⇄ deduplicated tiles + map + packed sub-palettes (docs/convert.md). Pure: bytes in, bytes out. */
export { convertImage, decodedToRgba, reconvertScreen, resolveOptions, superFamiconvJson, screenSideInCells, maximumIndexBase, type OriginalScreen, type ResolvedOptions } from './convert.js';
export { reverseConvert, decodeNativePalettes, defaultReverseWidthInTiles, tilesetImage, tilesetTilesPerRow, type ReverseOptions, type ReverseResult } from './reverse.js';
export { convertTargets, getTargetSpec, mapFormats, type ConvertTarget, type MapFormat, type TargetSpec } from './targets.js';
export { packColourSets, packingIsValid, exactSearchMaximumSets, exactSearchNodeBudget, type Packing } from './pack-best.js';
export type { CompatibilityMode, ConvertOptions, ConvertResult, FlipAxes, FlippedCell } from './types.js';
export type { RgbaImage } from './cells.js';
export { reverseLikeRgbgfx, type RgbgfxReverseOptions } from './rgbgfx-reverse.js';
