/**
 * Native bytes from a Layout: tiles through src/gfx's kernels, map entries in the target's
 * layout (convert.md §1.8; console documents for md, pce, nes), palettes as they load into
 * CGRAM / palette RAM.
 */
import { encodeTiles } from '../gfx/formats.js';
import { nativeColourWord, nesMasterIndex, colourToRgb24, transparentColour } from './colour.js';
import type { Layout } from './layout.js';
import { mapBytesPerCell, type MapFormat, type TargetSpec } from './targets.js';

/** Encodes the stored tiles in the target's tile format at `bpp`. */
export function encodeLayoutTiles(spec: TargetSpec, bpp: number, layout: Layout): Uint8Array {
  if (layout.tileCount === 0) return new Uint8Array(0);
  return encodeTiles(spec.tileFormat(bpp), layout.tileIndices.subarray(0, layout.tileCount * 64));
}

/** One map entry's fields, after bases are added. */
export interface MapEntryFields {
  readonly tile: number;
  readonly palette: number;
  readonly hflip: boolean;
  readonly vflip: boolean;
}

/** The CGB BG attribute byte: palette 0–2, VRAM bank 3 (tile bit 8), H 5, V 6. */
export function cgbAttribute(entry: MapEntryFields): number {
  return (entry.palette & 7) | (((entry.tile >> 8) & 1) << 3) | (entry.hflip ? 0x20 : 0) | (entry.vflip ? 0x40 : 0);
}

/** The 16-bit word of an entry in a two-byte format (fields masked to their widths, as the tools do). */
export function mapEntryWord(format: MapFormat, entry: MapEntryFields): number {
  const h = entry.hflip ? 1 : 0;
  const v = entry.vflip ? 1 : 0;
  switch (format) {
    case 'snes':
      return (entry.tile & 0x3ff) | ((entry.palette & 7) << 10) | (h << 14) | (v << 15);
    case 'gba':
      return (entry.tile & 0x3ff) | (h << 10) | (v << 11) | ((entry.palette & 15) << 12);
    case 'md':
      return (entry.tile & 0x7ff) | (h << 11) | (v << 12) | ((entry.palette & 3) << 13);
    case 'pce':
      return (entry.tile & 0xfff) | ((entry.palette & 15) << 12);
    case 'gbc-interleaved':
      return (entry.tile & 0xff) | (cgbAttribute(entry) << 8);
    default:
      return entry.tile & 0xff;
  }
}

/** Per-cell entry fields of a layout with bases added; cells without a tile give all-zero entries. */
export function layoutEntries(layout: Layout, tileBase: number, paletteBase: number): (MapEntryFields | undefined)[] {
  const entries: (MapEntryFields | undefined)[] = [];
  for (let cell = 0; cell < layout.cellTile.length; cell++) {
    const tile = layout.cellTile[cell]!;
    if (tile < 0) {
      entries.push(undefined);
      continue;
    }
    const o = layout.cellOrientation[cell]!;
    entries.push({ tile: tile + tileBase, palette: layout.cellPalette[cell]! + paletteBase, hflip: (o & 1) !== 0, vflip: (o & 2) !== 0 });
  }
  return entries;
}

/**
 * map.bin (and the attribute bytes, for gbc and nes) of `entries`. Two-byte formats are
 * little-endian except md, whose VDP reads big-endian words.
 */
export function encodeMap(format: MapFormat, entries: readonly (MapEntryFields | undefined)[], columns: number, rows: number): { map: Uint8Array; attrmap: Uint8Array | undefined } {
  const bytesPerCell = mapBytesPerCell(format);
  const map = new Uint8Array(entries.length * bytesPerCell);
  if (format === 'gbc') {
    const attrmap = new Uint8Array(entries.length);
    entries.forEach((entry, cell) => {
      if (!entry) return;
      map[cell] = entry.tile & 0xff;
      attrmap[cell] = cgbAttribute(entry);
    });
    return { map, attrmap };
  }
  if (format === 'nes') {
    // Attribute table layout: one byte per 32×32-pixel area (4×4 cells), 2 bits per 16×16
    // quadrant: top-left bits 0–1, top-right 2–3, bottom-left 4–5, bottom-right 6–7.
    const areaColumns = Math.ceil(columns / 4);
    const areaRows = Math.ceil(rows / 4);
    const attrmap = new Uint8Array(areaColumns * areaRows);
    entries.forEach((entry, cell) => {
      if (!entry) return;
      map[cell] = entry.tile & 0xff;
      const cx = cell % columns;
      const cy = Math.floor(cell / columns);
      const shift = ((cx >> 1) & 1) * 2 + ((cy >> 1) & 1) * 4;
      const at = (cy >> 2) * areaColumns + (cx >> 2);
      attrmap[at] = (attrmap[at]! & ~(3 << shift)) | ((entry.palette & 3) << shift);
    });
    return { map, attrmap };
  }
  entries.forEach((entry, cell) => {
    if (!entry) return;
    const word = mapEntryWord(format, entry);
    if (bytesPerCell === 1) map[cell] = word & 0xff;
    else if (format === 'md') {
      map[cell * 2] = word >> 8;
      map[cell * 2 + 1] = word & 0xff;
    } else {
      map[cell * 2] = word & 0xff;
      map[cell * 2 + 1] = word >> 8;
    }
  });
  return { map, attrmap: undefined };
}

/**
 * palette.bin: each sub-palette padded to `slotsPerPalette` with `padWord` (0 loads as black /
 * transparent). BGR555 and PC Engine words are little-endian, Mega Drive CRAM words
 * big-endian; DMG is one BGP-style byte per palette (entry i in bits 2i, value 3 − level);
 * NES one master-palette index per colour.
 */
export function encodePalettes(spec: TargetSpec, palettes: readonly (readonly number[])[], slotsPerPalette: number): Uint8Array {
  if (spec.colourEncoding === 'dmg-shade') {
    const out = new Uint8Array(palettes.length);
    palettes.forEach((palette, p) => {
      let byte = 0;
      palette.forEach((colour, slot) => {
        const level = colour === transparentColour ? 3 : colour & 3;
        byte |= (3 - level) << (2 * slot);
      });
      out[p] = byte;
    });
    return out;
  }
  if (spec.colourEncoding === 'nes-master') {
    const out = new Uint8Array(palettes.length * slotsPerPalette).fill(0x0f);
    palettes.forEach((palette, p) => {
      palette.forEach((colour, slot) => {
        out[p * slotsPerPalette + slot] = colour === transparentColour ? 0x0f : nesMasterIndex(colourToRgb24(spec, colour));
      });
    });
    return out;
  }
  const out = new Uint8Array(palettes.length * slotsPerPalette * 2);
  palettes.forEach((palette, p) => {
    palette.forEach((colour, slot) => {
      const word = nativeColourWord(spec, colour);
      const at = (p * slotsPerPalette + slot) * 2;
      if (spec.colourEncoding === 'md9') {
        out[at] = word >> 8;
        out[at + 1] = word & 0xff;
      } else {
        out[at] = word & 0xff;
        out[at + 1] = word >> 8;
      }
    });
  });
  return out;
}
