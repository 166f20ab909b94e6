/**
 * `romgfx/gfx`: tile formats and their kernels, palettes (console encodings and palette files),
 * indexed images (sheets, metatile layouts, flips), indexed PNG in and out, tilemaps and SNES
 * sprite dumps. Pure functions on bytes. The package root exports the everyday ones
 * (`decodeTiles`, `encodeTiles`, `decodePng`, `encodeIndexedPng`, `indexedToRgba`, `parsePaletteFile`, …).
 * @module romgfx/gfx
 */
export * from '../gfx/index.js';
export type { Packing } from '../convert/pack-best.js';
