/** Graphics: tile formats, palettes, indexed PNG, arrangements, tilemaps, SNES sprite dumps. */
export * from './kernels.js';
export * from './formats.js';
export * from './palette.js';
export * from './image.js';
export * from './png.js';
export * from './tilemap.js';
export * from './snes-sprites.js';
