/**
 * A contact sheet: many PNG thumbnails in one grid image (the scanner's overview of what it
 * found). Cells are as large as the largest thumbnail; each thumbnail sits in the top-left of its
 * cell on the background colour. `cells` in the result says where each one went, so callers can
 * label them in their own UI.
 */
import { decode as decodePng, encode as encodePng } from 'fast-png';
import { ThumbnailRequestError } from '../errors.js';
import { maximumOutputPixelCount, maximumOutputSideInPixels } from './request.js';

/** Most thumbnails on one sheet. */
export const maximumContactSheetCells = 4096;
/** Largest gap between cells, in pixels. */
export const maximumContactSheetGapInPixels = 64;

/** Layout of a thumbnail contact sheet: columns, gap, background. */
export interface ContactSheetOptions {
  /** Cells per row (default: the smallest square grid, ⌈√n⌉). */
  columns?: number;
  /** Pixels between cells and around the edge (default 4). */
  gap?: number;
  /** 0xRRGGBB behind and between thumbnails (default 0x202020). */
  background?: number;
}

/** Where one thumbnail sits on a contact sheet. */
export interface ContactSheetCell {
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Thumbnails composed on one PNG, with where each sits. */
export interface ContactSheet {
  png: Uint8Array;
  width: number;
  height: number;
  cells: ContactSheetCell[];
}

interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/** Decodes a PNG to 8-bit RGB: indexed (any depth), gray, RGB and RGBA at depth 8 (alpha dropped). */
function pngToRgb(bytes: Uint8Array, index: number): RgbImage {
  const png = decodePng(bytes);
  const { width, height, depth, channels } = png;
  const data = png.data as Uint8Array;
  const rgb = new Uint8Array(width * height * 3);
  if (png.palette) {
    const rowBytes = Math.ceil((width * depth) / 8);
    const mask = (1 << depth) - 1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = x * depth;
        const value = depth === 8 ? data[y * width + x]! : (data[y * rowBytes + (bit >> 3)]! >> (8 - depth - (bit & 7))) & mask;
        const colour = png.palette[value];
        if (!colour) throw new ThumbnailRequestError(`thumbnails[${index}]`, `pixel (${x}, ${y}) has index ${value} outside its ${png.palette.length}-colour palette`);
        const o = (y * width + x) * 3;
        rgb[o] = colour[0]!;
        rgb[o + 1] = colour[1]!;
        rgb[o + 2] = colour[2]!;
      }
    }
    return { width, height, rgb };
  }
  if (depth !== 8 || channels < 1 || channels > 4) throw new ThumbnailRequestError(`thumbnails[${index}]`, `PNG of depth ${depth} with ${channels} channels is not supported on a contact sheet`);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    const gray = channels < 3;
    rgb[i * 3] = data[s]!;
    rgb[i * 3 + 1] = gray ? data[s]! : data[s + 1]!;
    rgb[i * 3 + 2] = gray ? data[s]! : data[s + 2]!;
  }
  return { width, height, rgb };
}

/** Lays out PNG thumbnails as a grid and encodes the sheet as an RGB PNG. A null entry leaves its cell empty (a failed render). */
export function composeContactSheet(thumbnails: readonly (Uint8Array | null)[], options: ContactSheetOptions = {}): ContactSheet {
  const count = thumbnails.length;
  if (count < 1 || count > maximumContactSheetCells) throw new ThumbnailRequestError('thumbnails', `a contact sheet holds 1 to ${maximumContactSheetCells} thumbnails (got ${count})`);
  const columns = options.columns ?? Math.ceil(Math.sqrt(count));
  if (!Number.isSafeInteger(columns) || columns < 1 || columns > maximumContactSheetCells) throw new ThumbnailRequestError('columns', `must be an integer from 1 to ${maximumContactSheetCells}`);
  const gap = options.gap ?? 4;
  if (!Number.isSafeInteger(gap) || gap < 0 || gap > maximumContactSheetGapInPixels) throw new ThumbnailRequestError('gap', `must be an integer from 0 to ${maximumContactSheetGapInPixels}`);
  const background = options.background ?? 0x202020;
  if (!Number.isSafeInteger(background) || background < 0 || background > 0xffffff) throw new ThumbnailRequestError('background', 'must be a colour 0xRRGGBB');

  const images = thumbnails.map((bytes, i) => (bytes === null ? null : pngToRgb(bytes, i)));
  let cellWidth = 1;
  let cellHeight = 1;
  for (const image of images) {
    if (!image) continue;
    cellWidth = Math.max(cellWidth, image.width);
    cellHeight = Math.max(cellHeight, image.height);
  }
  const rows = Math.ceil(count / columns);
  const usedColumns = Math.min(columns, count);
  const width = gap + usedColumns * (cellWidth + gap);
  const height = gap + rows * (cellHeight + gap);
  if (width > maximumOutputSideInPixels || height > maximumOutputSideInPixels || width * height > maximumOutputPixelCount) {
    throw new ThumbnailRequestError('thumbnails', `the contact sheet would be ${width}×${height} pixels; the limit is ${maximumOutputSideInPixels} per side and ${maximumOutputPixelCount} in all`);
  }
  const sheet = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    sheet[i * 3] = background >> 16;
    sheet[i * 3 + 1] = (background >> 8) & 0xff;
    sheet[i * 3 + 2] = background & 0xff;
  }
  const cells: ContactSheetCell[] = [];
  images.forEach((image, index) => {
    const x = gap + (index % columns) * (cellWidth + gap);
    const y = gap + Math.floor(index / columns) * (cellHeight + gap);
    if (!image) return;
    for (let row = 0; row < image.height; row++) {
      sheet.set(image.rgb.subarray(row * image.width * 3, (row + 1) * image.width * 3), ((y + row) * width + x) * 3);
    }
    cells.push({ index, x, y, width: image.width, height: image.height });
  });
  return { png: encodePng({ width, height, data: sheet, depth: 8, channels: 3 }), width, height, cells };
}
