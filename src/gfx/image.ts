/**
 * Indexed images and arrangements: tile sheets (row- or column-major), sprite/metatile layouts
 * (SNES OBJ 16-tile-wide VRAM, GB 8×16, plain W×H blocks), and conversion to RGBA for previews.
 *
 * An IndexedImage's pixel values are palette indices; nothing here looks at colours except
 * indexedToRgba.
 */
import { ImageSizeError, IndexOutOfRangeError, InvalidArgumentError } from '../errors.js';
import { hostIsLittleEndian, pixelsPerTile } from './kernels.js';
import type { Palette } from './palette.js';

/** An image of palette indices, one byte per pixel: what tiles decode to and encode from. */
export interface IndexedImage {
  readonly width: number;
  readonly height: number;
  /** One palette index per pixel, row-major. */
  readonly pixels: Uint8Array;
}

/** Width or height limit of any image romgfx builds or reads. */
export const maximumImageSideInPixels = 16384;
/** Pixel-count limit of any image romgfx builds or reads (64 Mpx: 256 MiB as RGBA). */
export const maximumImagePixelCount = 1 << 26;
/** The conventional sheet width: 16 tiles (128 pixels). */
export const defaultTilesPerRow = 16;

/** Throws ImageSizeError unless width and height are whole, positive and within the image size limits; call before allocating. */
export function checkImageSize(width: number, height: number, what = 'image'): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > maximumImageSideInPixels || height > maximumImageSideInPixels || width * height > maximumImagePixelCount) {
    throw new ImageSizeError(`${what} of ${width}x${height} pixels is outside the limits (1-${maximumImageSideInPixels} per side, ${maximumImagePixelCount} pixels)`, { width, height });
  }
}

/**
 * Reusable buffers for one thread's hot path (the thumbnail workers). Allocating a typed array
 * per thumbnail did not scale across worker threads — measured here, 4 KiB allocations ran 1.01×
 * faster on 2 threads than on 1, 16 KiB 1.71×, a reused buffer 1.97× and 7× cheaper — so the
 * render path takes its pixel planes from here. A view from `take` is valid until its slot is
 * taken again: callers must copy what they keep.
 */
export class PixelScratch {
  readonly #slots: Uint8Array[] = [];

  /** `length` bytes from `slot`, zero-filled unless `zero` is false (the caller then writes every byte). */
  take(slot: number, length: number, zero = true): Uint8Array {
    let buffer = this.#slots[slot];
    if (!buffer || buffer.length < length) {
      // Grow geometrically so a run of growing requests allocates only a few times.
      buffer = new Uint8Array(Math.max(length, (buffer?.length ?? 0) * 2));
      this.#slots[slot] = buffer;
      return buffer.subarray(0, length);
    }
    const view = buffer.subarray(0, length);
    if (zero) view.fill(0);
    return view;
  }
}

/** Which PixelScratch slot each stage of the render path uses. */
export const scratchSlots = { indices: 0, image: 1, scaled: 2, scanlines: 3 } as const;

/** A blank (all index 0) indexed image of the given size, optionally in a reusable scratch buffer. */
export function createIndexedImage(width: number, height: number, scratch?: PixelScratch): IndexedImage {
  checkImageSize(width, height);
  return { width, height, pixels: scratch ? scratch.take(scratchSlots.image, width * height) : new Uint8Array(width * height) };
}

/** Copies one 8×8 tile from the indices plane to (left, top) of `image`, optionally flipped; `add` is added to every index (palette base). */
export function blitTile(indices: Uint8Array, tile: number, image: IndexedImage, left: number, top: number, hFlip = false, vFlip = false, add = 0, skipZero = false): void {
  const base = tile * pixelsPerTile;
  const { width, pixels } = image;
  if (!hFlip && !vFlip && add === 0 && !skipZero) {
    // Sheets (every thumbnail): plain row copies, unrolled; the general loop below tests the
    // flip and transparency options per pixel and was 7% of a thumbnail (measured here).
    let out = top * width + left;
    for (let row = base; row < base + pixelsPerTile; row += 8, out += width) {
      pixels[out] = indices[row]!;
      pixels[out + 1] = indices[row + 1]!;
      pixels[out + 2] = indices[row + 2]!;
      pixels[out + 3] = indices[row + 3]!;
      pixels[out + 4] = indices[row + 4]!;
      pixels[out + 5] = indices[row + 5]!;
      pixels[out + 6] = indices[row + 6]!;
      pixels[out + 7] = indices[row + 7]!;
    }
    return;
  }
  for (let y = 0; y < 8; y++) {
    const sy = vFlip ? 7 - y : y;
    let out = (top + y) * width + left;
    const row = base + sy * 8;
    for (let x = 0; x < 8; x++, out++) {
      const value = indices[row + (hFlip ? 7 - x : x)]!;
      if (skipZero && value === 0) continue;
      pixels[out] = value + add;
    }
  }
}

/** Copies one 8×8 tile at (left, top) of `image` back into the indices plane. */
function readTile(image: IndexedImage, left: number, top: number, indices: Uint8Array, tile: number): void {
  // A plain copy: a subarray per row allocated 8 views per tile (8,192 for a 256×256 sheet),
  // and their garbage collection was a tenth of a one-PNG `romgfx import` (CPU profile, issue #18).
  const pixels = image.pixels;
  const width = image.width;
  let out = tile * pixelsPerTile;
  for (let y = 0; y < 8; y++) {
    let from = (top + y) * width + left;
    for (let x = 0; x < 8; x++) indices[out++] = pixels[from++]!;
  }
}

/** How tiles fill a sheet: left to right then down (`row`), or top to bottom then right (`column`). */
export type SheetOrder = 'row' | 'column';

/** How `tilesToImage` lays decoded tiles out on a sheet. */
export interface SheetOptions {
  /** Tiles per sheet row (default 16). */
  tilesPerRow?: number;
  /** 'row' (default): left→right, then down. 'column': top→bottom, then right. */
  order?: SheetOrder;
  /** Build the image in this thread's reusable buffer (see PixelScratch) instead of a new one. */
  scratch?: PixelScratch;
}

function sheetShape(tileCount: number, options: SheetOptions): { columns: number; rows: number; order: SheetOrder } {
  const columns = options.tilesPerRow ?? defaultTilesPerRow;
  if (!Number.isInteger(columns) || columns < 1 || columns * 8 > maximumImageSideInPixels) {
    throw new InvalidArgumentError(`tiles per row must be 1-${maximumImageSideInPixels / 8}, got ${columns}`, { tilesPerRow: columns });
  }
  const order = options.order ?? 'row';
  if (order !== 'row' && order !== 'column') throw new InvalidArgumentError(`sheet order must be "row" or "column", got "${String(order)}"`);
  return { columns, rows: Math.max(1, Math.ceil(tileCount / columns)), order };
}

/** Where tile `t` of a sheet goes: row-major fills rows first, column-major fills the `rows` of a column first. */
function sheetCell(t: number, columns: number, rows: number, order: SheetOrder): [number, number] {
  return order === 'row' ? [t % columns, Math.floor(t / columns)] : [Math.floor(t / rows), t % rows];
}

/** Lays `tileCount` tiles of an indices plane out as a sheet; cells past the last tile are index 0. */
export function arrangeSheet(indices: Uint8Array, tileCount: number, options: SheetOptions = {}): IndexedImage {
  if (indices.length < tileCount * pixelsPerTile) throw new ImageSizeError(`${tileCount} tiles need ${tileCount * pixelsPerTile} indices, got ${indices.length}`, { tileCount });
  const { columns, rows, order } = sheetShape(tileCount, options);
  const image = createIndexedImage(columns * 8, rows * 8, options.scratch);
  for (let t = 0; t < tileCount; t++) {
    // sheetCell inlined: no pair per tile on the thumbnail path.
    const cx = order === 'row' ? t % columns : Math.floor(t / rows);
    const cy = order === 'row' ? Math.floor(t / columns) : t % rows;
    blitTile(indices, t, image, cx * 8, cy * 8);
  }
  return image;
}

/**
 * The inverse of arrangeSheet: cuts an image into tiles in sheet order. The image must be whole
 * tiles; `tileCount` (default: every cell) takes only the first tiles.
 */
export function unarrangeSheet(image: IndexedImage, options: SheetOptions & { tileCount?: number } = {}): { indices: Uint8Array; tileCount: number } {
  checkWholeTiles(image);
  const columns = options.tilesPerRow ?? image.width / 8;
  if (columns * 8 !== image.width) throw new ImageSizeError(`image is ${image.width} pixels wide; ${columns} tiles per row needs ${columns * 8}`, { width: image.width, tilesPerRow: columns });
  const rows = image.height / 8;
  const cells = columns * rows;
  const tileCount = options.tileCount ?? cells;
  if (!Number.isInteger(tileCount) || tileCount < 0 || tileCount > cells) throw new ImageSizeError(`the image holds ${cells} tiles; ${tileCount} were asked for`, { cells, tileCount });
  const order = options.order ?? 'row';
  const indices = new Uint8Array(tileCount * pixelsPerTile);
  const { pixels, width } = image;
  // Word copies (a tile row is two 32-bit words) where the pixels are word-aligned; width and
  // tile lefts are multiples of 8, so every row of every tile is. Run once, cold, by `romgfx
  // import` of one PNG, the byte copies took ~2 ms of a 256x256 sheet (issue #18).
  const words = (pixels.byteOffset & 3) === 0 ? new Uint32Array(pixels.buffer, pixels.byteOffset, pixels.length >>> 2) : undefined;
  const out = new Uint32Array(indices.buffer);
  const widthInWords = width >>> 2;
  for (let t = 0; t < tileCount; t++) {
    // sheetCell inlined: no pair per tile.
    const cx = order === 'row' ? t % columns : Math.floor(t / rows);
    const cy = order === 'row' ? Math.floor(t / columns) : t % rows;
    if (words === undefined) {
      readTile(image, cx * 8, cy * 8, indices, t);
      continue;
    }
    let from = cy * 8 * widthInWords + cx * 2;
    for (let o = t * 16, end = o + 16; o < end; o += 2, from += widthInWords) {
      out[o] = words[from]!;
      out[o + 1] = words[from + 1]!;
    }
  }
  return { indices, tileCount };
}

/** Throws ImageSizeError unless the image is a whole number of 8×8 tiles. */
export function checkWholeTiles(image: IndexedImage): void {
  if (image.width % 8 !== 0 || image.height % 8 !== 0) {
    throw new ImageSizeError(`image is ${image.width}x${image.height}; tile images must be a whole number of 8x8 tiles`, { width: image.width, height: image.height });
  }
}

// ---- Sprite / metatile layouts ------------------------------------------------------------

/**
 * How the 8×8 tiles of a metatile (a sprite bigger than one tile) are numbered.
 * - 'snes-obj': SNES OBJ VRAM is 16 tiles wide, so tile (cx, cy) of a sprite at n is n + cy*16 + cx
 *   and sprites tile the 16-wide grid (a 16×16 sprite: n, n+1, n+16, n+17).
 * - 'block': consecutive tiles, row-major inside the metatile (GB 8×16 is a 1×2 block: n, n+1 stacked).
 */
export interface MetatileLayout {
  readonly kind: 'snes-obj' | 'block';
  readonly widthInTiles: number;
  readonly heightInTiles: number;
}

/** VRAM OBJ name tables are 16 tiles wide (spec). */
export const snesObjTilesPerRow = 16;
/** Largest metatile side: 64 pixels (SNES 64×64 sprites). */
export const maximumMetatileSideInTiles = 8;

/**
 * Parses a layout name: `sheet` (returns undefined), `snes-obj:16x16` / `snes-obj:32x32` /
 * `snes-obj:64x64` (any WxH in pixels, multiples of 8 dividing 128), `gb-8x16`, `block:WxH` (tiles).
 */
export function parseMetatileLayout(text: string): MetatileLayout | undefined {
  if (text === 'sheet') return undefined;
  if (text === 'gb-8x16') return { kind: 'block', widthInTiles: 1, heightInTiles: 2 };
  const match = /^(snes-obj|block):(\d+)x(\d+)$/u.exec(text);
  if (!match) throw new InvalidArgumentError(`unknown layout "${text}"; use sheet, snes-obj:16x16 (or 32x32, 64x64), gb-8x16 or block:WxH (tiles)`, { layout: text });
  const kind = match[1] as 'snes-obj' | 'block';
  let w = Number(match[2]);
  let h = Number(match[3]);
  if (kind === 'snes-obj') {
    if (w % 8 !== 0 || h % 8 !== 0) throw new InvalidArgumentError(`snes-obj sizes are in pixels, multiples of 8; got ${w}x${h}`, { layout: text });
    w /= 8;
    h /= 8;
    if (snesObjTilesPerRow % w !== 0) throw new InvalidArgumentError(`a ${w * 8}-pixel-wide sprite does not tile the 16-tile OBJ grid`, { layout: text });
  }
  if (w < 1 || h < 1 || w > maximumMetatileSideInTiles || h > maximumMetatileSideInTiles) {
    throw new InvalidArgumentError(`metatile of ${w}x${h} tiles is outside 1-${maximumMetatileSideInTiles} tiles per side`, { layout: text });
  }
  return { kind, widthInTiles: w, heightInTiles: h };
}

/** The number of metatiles a layout finds in `tileCount` tiles (partial ones included, missing tiles blank). */
export function metatileCount(layout: MetatileLayout, tileCount: number): number {
  const perMetatile = layout.widthInTiles * layout.heightInTiles;
  if (layout.kind === 'block') return Math.ceil(tileCount / perMetatile);
  const gridRows = Math.ceil(tileCount / snesObjTilesPerRow);
  return Math.ceil(gridRows / layout.heightInTiles) * (snesObjTilesPerRow / layout.widthInTiles);
}

/** The tile number of tile (cx, cy) of metatile k. */
export function metatileTile(layout: MetatileLayout, k: number, cx: number, cy: number): number {
  if (layout.kind === 'block') return k * layout.widthInTiles * layout.heightInTiles + cy * layout.widthInTiles + cx;
  const perRow = snesObjTilesPerRow / layout.widthInTiles;
  const n = Math.floor(k / perRow) * layout.heightInTiles * snesObjTilesPerRow + (k % perRow) * layout.widthInTiles;
  return n + cy * snesObjTilesPerRow + cx;
}

/**
 * Metatiles per row when the caller does not say: 128 pixels' worth, but never more than there
 * are, so one 16×16 sprite is a 16×16 image (not a 128-pixel-wide strip).
 */
function defaultMetatilesPerRow(layout: MetatileLayout, count: number): number {
  return Math.max(1, Math.min(count, Math.floor(defaultTilesPerRow / layout.widthInTiles)));
}

/** Lays metatiles out as a sheet of `metatilesPerRow` (default: 128 pixels' worth, at most `count`) assembled sprites. */
export function arrangeMetatiles(indices: Uint8Array, tileCount: number, layout: MetatileLayout, options: { metatilesPerRow?: number; scratch?: PixelScratch } = {}): IndexedImage {
  const count = Math.max(1, metatileCount(layout, tileCount));
  const perRow = options.metatilesPerRow ?? defaultMetatilesPerRow(layout, count);
  if (!Number.isInteger(perRow) || perRow < 1) throw new InvalidArgumentError(`metatiles per row must be a positive integer, got ${perRow}`);
  const rows = Math.ceil(count / perRow);
  const image = createIndexedImage(perRow * layout.widthInTiles * 8, rows * layout.heightInTiles * 8, options.scratch);
  for (let k = 0; k < count; k++) {
    const left = (k % perRow) * layout.widthInTiles * 8;
    const top = Math.floor(k / perRow) * layout.heightInTiles * 8;
    for (let cy = 0; cy < layout.heightInTiles; cy++) {
      for (let cx = 0; cx < layout.widthInTiles; cx++) {
        const tile = metatileTile(layout, k, cx, cy);
        if (tile < tileCount) blitTile(indices, tile, image, left + cx * 8, top + cy * 8);
      }
    }
  }
  return image;
}

/** The inverse of arrangeMetatiles: `tileCount` tiles back in tile order (tiles no metatile covers stay 0). */
export function unarrangeMetatiles(image: IndexedImage, tileCount: number, layout: MetatileLayout, options: { metatilesPerRow?: number } = {}): Uint8Array {
  checkWholeTiles(image);
  const count = metatileCount(layout, tileCount);
  const perRow = options.metatilesPerRow ?? defaultMetatilesPerRow(layout, Math.max(1, count));
  const needWidth = perRow * layout.widthInTiles * 8;
  const needHeight = Math.ceil(count / perRow) * layout.heightInTiles * 8;
  if (image.width !== needWidth || image.height < needHeight) {
    throw new ImageSizeError(`image is ${image.width}x${image.height}; ${count} metatiles of ${layout.widthInTiles}x${layout.heightInTiles} tiles, ${perRow} per row, need ${needWidth}x${needHeight}`, { width: image.width, height: image.height });
  }
  const indices = new Uint8Array(tileCount * pixelsPerTile);
  for (let k = 0; k < count; k++) {
    const left = (k % perRow) * layout.widthInTiles * 8;
    const top = Math.floor(k / perRow) * layout.heightInTiles * 8;
    for (let cy = 0; cy < layout.heightInTiles; cy++) {
      for (let cx = 0; cx < layout.widthInTiles; cx++) {
        const tile = metatileTile(layout, k, cx, cy);
        if (tile < tileCount) readTile(image, left + cx * 8, top + cy * 8, indices, tile);
      }
    }
  }
  return indices;
}

/**
 * A decoded block of tiles as an indexed image: sheet by default, or a metatile layout. The
 * helper thumbnail workers call (with indexedToRgba) to turn tile bytes into a preview.
 */
export function renderIndexedImage(indices: Uint8Array, tileCount: number, options: SheetOptions & { layout?: MetatileLayout; metatilesPerRow?: number } = {}): IndexedImage {
  if (options.layout) {
    return arrangeMetatiles(indices, tileCount, options.layout, {
      ...(options.metatilesPerRow === undefined ? {} : { metatilesPerRow: options.metatilesPerRow }),
      ...(options.scratch ? { scratch: options.scratch } : {}),
    });
  }
  return arrangeSheet(indices, tileCount, options);
}

/** Flips a whole image horizontally and/or vertically (a new image). */
export function flipImage(image: IndexedImage, hFlip: boolean, vFlip: boolean): IndexedImage {
  const { width, height } = image;
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = vFlip ? height - 1 - y : y;
    for (let x = 0; x < width; x++) pixels[y * width + x] = image.pixels[sy * width + (hFlip ? width - 1 - x : x)]!;
  }
  return { width, height, pixels };
}

/** Checks every pixel has an entry in a `colourCount`-colour palette; IndexOutOfRangeError names the first pixel that does not. */
export function checkIndicesInPalette(image: IndexedImage, colourCount: number): void {
  const { pixels, width } = image;
  // Fast pass: the OR of all indices (four pixels per load where aligned) bounds the largest; below
  // the count, every index is. For a power-of-two count that is exact; otherwise, and for a
  // failing image, the pixel-by-pixel pass decides and names the first bad pixel.
  if (colourCount >= 256 || largestIndexBound(pixels) < colourCount) return;
  for (let i = 0; i < pixels.length; i++) {
    if (pixels[i]! >= colourCount) {
      const x = i % width;
      const y = Math.floor(i / width);
      throw new IndexOutOfRangeError(`pixel (${x}, ${y}) has index ${pixels[i]}, but the palette has ${colourCount} colours`, { x, y, value: pixels[i], colourCount });
    }
  }
}

/** An upper bound of the largest value in `pixels` that is exact when it is below a power of two: the OR of all values. */
function largestIndexBound(pixels: Uint8Array): number {
  let bits = 0;
  let i = 0;
  if (hostIsLittleEndian && pixels.byteOffset % 4 === 0 && pixels.length >= 64) {
    const words = new Uint32Array(pixels.buffer, pixels.byteOffset, pixels.length >> 2);
    let wordBits = 0;
    for (let w = 0; w < words.length; w++) wordBits |= words[w]!;
    bits = (wordBits | (wordBits >>> 8) | (wordBits >>> 16) | (wordBits >>> 24)) & 0xff;
    i = words.length << 2;
  }
  for (; i < pixels.length; i++) bits |= pixels[i]!;
  return bits;
}

/** Checks every pixel fits in `bpp` bits; IndexOutOfRangeError names the first pixel (image coordinates) that does not. */
export function checkIndicesFitBpp(image: IndexedImage, bpp: number): void {
  const maximum = (1 << bpp) - 1;
  const { pixels, width } = image;
  // The OR of all indices (four pixels a load where aligned) has a bit over the maximum exactly
  // when some index does: the pixel-by-pixel pass runs only to name the first. Cold, on `romgfx
  // import` of one PNG, that pass alone took ~1.3 ms of a 256x256 sheet (issue #18).
  if (maximum >= 0xff || largestIndexBound(pixels) <= maximum) return;
  for (let i = 0; i < pixels.length; i++) {
    if (pixels[i]! > maximum) {
      const x = i % width;
      const y = Math.floor(i / width);
      throw new IndexOutOfRangeError(`pixel (${x}, ${y}) has index ${pixels[i]}, which does not fit in ${bpp} bpp (maximum ${maximum}); tile ${Math.floor(y / 8) * Math.floor(width / 8) + Math.floor(x / 8)} of a row-major sheet`, {
        x,
        y,
        value: pixels[i],
        maximum,
        bpp,
      });
    }
  }
}

/** RGBA pixels (4 bytes each) of an indexed image; index 0 fully transparent when asked. */
export function indexedToRgba(image: IndexedImage, palette: Palette, options: { transparentIndex0?: boolean } = {}): Uint8Array {
  checkIndicesInPalette(image, palette.count);
  // Packed per-index RGBA in a lookup so the pixel loop is one load and four stores.
  const rgba = new Uint8Array(image.pixels.length * 4);
  const { rgb } = palette;
  const transparent0 = options.transparentIndex0 === true;
  for (let i = 0, o = 0; i < image.pixels.length; i++, o += 4) {
    const index = image.pixels[i]!;
    rgba[o] = rgb[index * 3]!;
    rgba[o + 1] = rgb[index * 3 + 1]!;
    rgba[o + 2] = rgb[index * 3 + 2]!;
    rgba[o + 3] = transparent0 && index === 0 ? 0 : 255;
  }
  return rgba;
}
