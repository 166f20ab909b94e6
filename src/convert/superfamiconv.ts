/**
 * SuperFamiconv 0.11.0 shorthand mode, step for step (convert.md §1.2–§1.7, §1.11): colour
 * sets per cell, duplicate and subset removal, size sort, last-fit packing, palette and colour
 * sorts, tile deduplication on index arrays, and map lookup across every matching palette.
 * Sorts go through libstdc++'s algorithm so that ties fall where the tool's fall.
 */
import { PaletteCountError, TileColourCountError, TileCountError } from '../errors.js';
import { cellColourSet, pixelsPerCell, TileStore, type CellGrid } from './cells.js';
import { describeColour, superFamiconvColourKey, transparentColour } from './colour.js';
import { emptyCellArrays, paletteHolds, slotLookup, type Layout } from './layout.js';
import { libstdcxxSort } from './std-sort.js';
import type { TargetSpec } from './targets.js';

/** What the SuperFamiconv pipeline needs beyond the cells. */
export interface SuperFamiconvSettings {
  readonly coloursPerPalette: number;
  readonly maximumPalettes: number;
  /** Colour value added to every set (shared colour 0), or undefined. */
  readonly colourZero: number | undefined;
  readonly flips: boolean;
  readonly dedupe: boolean;
  readonly maximumTiles: number;
}

function setKey(set: readonly number[]): string {
  return set.join(',');
}

function isStrictSubset(a: readonly number[], b: Set<number>): boolean {
  if (a.length >= b.size) return false;
  for (const c of a) if (!b.has(c)) return false;
  return true;
}

function cellPosition(grid: CellGrid, cell: number): { x: number; y: number } {
  return { x: (cell % grid.columns) * 8, y: Math.floor(cell / grid.columns) * 8 };
}

/** SuperFamiconv's palettes for these cells (§1.3, §1.4). */
export function superFamiconvPalettes(spec: TargetSpec, grid: CellGrid, settings: SuperFamiconvSettings): number[][] {
  const cells = grid.columns * grid.rows;
  const sets: number[][] = [];
  const firstCellOfSet: number[] = [];
  const seen = new Set<string>();
  for (let cell = 0; cell < cells; cell++) {
    const set = cellColourSet(grid, cell);
    if (settings.colourZero !== undefined && !set.includes(settings.colourZero)) {
      set.push(settings.colourZero);
      set.sort((a, b) => a - b);
    }
    if (set.length > settings.coloursPerPalette) {
      const { x, y } = cellPosition(grid, cell);
      throw new TileColourCountError(`tile at (${x}, ${y}) has ${set.length} colours${settings.colourZero !== undefined ? ' (colour 0 included)' : ''}, more than the ${settings.coloursPerPalette} a sub-palette holds: ${set.map((c) => describeColour(spec, c)).join(' ')}`, {
        x,
        y,
        colours: set.map((c) => describeColour(spec, c)),
        maximum: settings.coloursPerPalette,
      });
    }
    const key = setKey(set);
    if (set.length === 0 || seen.has(key)) continue;
    seen.add(key);
    sets.push(set);
    firstCellOfSet.push(cell);
  }
  const asSets = sets.map((s) => new Set(s));
  const kept: number[] = [];
  for (let i = 0; i < sets.length; i++) {
    if (!asSets.some((other, j) => j !== i && isStrictSubset(sets[i]!, other))) kept.push(i);
  }
  libstdcxxSort(kept, (a, b) => sets[a]!.length < sets[b]!.length);
  // Last fit: the largest remaining set goes into the highest-numbered palette it still fits.
  const palettes: Set<number>[] = [];
  const placedIn = new Map<number, number>();
  while (kept.length > 0) {
    const index = kept.pop()!;
    const set = sets[index]!;
    let chosen = -1;
    for (let p = 0; p < palettes.length; p++) {
      let union = palettes[p]!.size;
      for (const c of set) if (!palettes[p]!.has(c)) union++;
      if (union <= settings.coloursPerPalette) chosen = p;
    }
    if (chosen === -1) {
      palettes.push(new Set(set));
      placedIn.set(index, palettes.length - 1);
    } else {
      for (const c of set) palettes[chosen]!.add(c);
      placedIn.set(index, chosen);
    }
  }
  const order = palettes.map((_, i) => i);
  libstdcxxSort(order, (a, b) => palettes[a]!.size > palettes[b]!.size);
  if (order.length > settings.maximumPalettes) {
    // Name a tile whose set landed in a palette past the limit.
    const over = new Set(order.slice(settings.maximumPalettes));
    let culprit = firstCellOfSet[0]!;
    for (const [index, palette] of placedIn) {
      if (over.has(palette)) {
        culprit = firstCellOfSet[index]!;
        break;
      }
    }
    const { x, y } = cellPosition(grid, culprit);
    const colours = cellColourSet(grid, culprit).map((c) => describeColour(spec, c));
    throw new PaletteCountError(`the tiles' colours need ${order.length} sub-palettes of ${settings.coloursPerPalette} colours; the target has ${settings.maximumPalettes}; e.g. tile at (${x}, ${y}) with ${colours.join(' ')} fits none of the first ${settings.maximumPalettes}`, {
      needed: order.length,
      maximum: settings.maximumPalettes,
      x,
      y,
      colours,
    });
  }
  return order.map((p) => orderColours([...palettes[p]!].sort((a, b) => a - b), settings.colourZero));
}

/** §1.4 step 7: colour 0 first, then the rest by ascending (h, l, v) key, ties reversed. */
function orderColours(ascending: number[], colourZero: number | undefined): number[] {
  if (colourZero !== undefined) {
    const at = ascending.indexOf(colourZero);
    if (at > 0) {
      ascending[at] = ascending[0]!;
      ascending[0] = colourZero;
    }
  }
  if (ascending.length < 3) return ascending;
  const rest = ascending.slice(1);
  const keys = new Map(rest.map((c) => [c, superFamiconvColourKey(c)]));
  libstdcxxSort(rest, (a, b) => {
    const ka = keys.get(a)!;
    const kb = keys.get(b)!;
    return ka[0] !== kb[0] ? ka[0] > kb[0] : ka[1] !== kb[1] ? ka[1] > kb[1] : ka[2] > kb[2];
  });
  rest.reverse();
  return [ascending[0]!, ...rest];
}

/** Remaps cell `cell` through a palette: transparent → 0, else the colour's first slot (§1.5). */
function remapCell(grid: CellGrid, cell: number, lookup: Map<number, number>, mask: number, out: Uint8Array): void {
  const base = cell * pixelsPerCell;
  for (let i = 0; i < pixelsPerCell; i++) {
    const colour = grid.colours[base + i]!;
    out[i] = colour === transparentColour ? 0 : (lookup.get(colour)! & mask);
  }
}

/** Tiles and map as SuperFamiconv builds them for given palettes (§1.5–§1.7). */
/**
 * `cellIndices`, when given, supplies each cell's tile data directly (SuperFamiconv -R: the
 * PNG's own indices, masked to bpp, §1.9) instead of remapping its colours.
 */
export function superFamiconvTilesAndMap(grid: CellGrid, palettes: readonly (readonly number[])[], settings: SuperFamiconvSettings, bpp: number, cellIndices?: Uint8Array): Layout {
  const cells = grid.columns * grid.rows;
  const mask = (1 << bpp) - 1;
  const lookups = palettes.map(slotLookup);
  const scratch = new Uint8Array(pixelsPerCell);
  const store = new TileStore(settings.flips, settings.flips);
  const sets: number[][] = [];
  for (let cell = 0; cell < cells; cell++) {
    const set = cellColourSet(grid, cell);
    sets.push(set);
    if (cellIndices) {
      for (let i = 0; i < pixelsPerCell; i++) scratch[i] = cellIndices[cell * pixelsPerCell + i]! & mask;
      if (!settings.dedupe || store.find(scratch, 0) === undefined) store.add(scratch, 0);
      continue;
    }
    const opaque = set.filter((c) => c !== transparentColour);
    const palette = lookups.findIndex((lookup) => paletteHolds(lookup, opaque));
    if (palette === -1) continue;
    remapCell(grid, cell, lookups[palette]!, mask, scratch);
    if (!settings.dedupe || store.find(scratch, 0) === undefined) store.add(scratch, 0);
  }
  if (store.count > settings.maximumTiles) {
    throw new TileCountError(`the image needs ${store.count} tiles; the target's map addresses ${settings.maximumTiles}`, { tiles: store.count, maximum: settings.maximumTiles });
  }
  const { cellTile, cellPalette, cellOrientation } = emptyCellArrays(cells);
  for (let cell = 0; cell < cells; cell++) {
    for (let p = 0; p < lookups.length; p++) {
      if (!paletteHolds(lookups[p]!, sets[cell]!)) continue;
      remapCell(grid, cell, lookups[p]!, mask, scratch);
      const match = store.find(scratch, 0);
      if (match) {
        cellTile[cell] = match.tile;
        cellPalette[cell] = p;
        cellOrientation[cell] = match.orientation;
        break;
      }
    }
  }
  return { palettes: palettes.map((p) => [...p]), tileIndices: store.storedIndices(), tileCount: store.count, columns: grid.columns, rows: grid.rows, cellTile, cellPalette, cellOrientation };
}
