/**
 * `convertImage`: an RGBA (or decoded PNG) image → deduplicated tiles + map + sub-palettes for
 * a target console, in romgfx's own mode or reproducing SuperFamiconv / rgbgfx.
 */
import { ConvertOptionError, PaletteCountError, TileColourCountError, TileCountError } from '../errors.js';
import type { DecodedImage } from '../gfx/png.js';
import { allCellColourSets, cellColourSet, cellSideInPixels, cutCells, pixelsPerCell, tileKey, TileStore, type CellGrid, type RgbaImage } from './cells.js';
import { decodeTiles, encodeTiles } from '../gfx/formats.js';
import { colourToRgb24, describeColour, nesMasterIndex, reduceRgba, transparentColour } from './colour.js';
import { encodeLayoutTiles, encodeMap, encodePalettes, layoutEntries } from './encode.js';
import { emptyCellArrays, paletteHolds, paletteOfEachTile, slotLookup, type Layout } from './layout.js';
import { packColourSets, type Packing } from './pack-best.js';
import { convertLikeRgbgfx } from './rgbgfx.js';
import { superFamiconvPalettes, superFamiconvTilesAndMap } from './superfamiconv.js';
import { getTargetSpec, mapFormats, mapHasFlips, mapTileIndexBits, type MapFormat, type TargetSpec } from './targets.js';
import type { ConvertOptions, ConvertResult, FlippedCell } from './types.js';
import { ColourNotRepresentableError } from '../errors.js';

/** Largest tile or palette base accepted (beyond any map field). */
export const maximumIndexBase = 4095;

/** RGBA pixels of a decoded PNG (indexed PNGs through PLTE + tRNS, as the tools read them). */
export function decodedToRgba(decoded: DecodedImage): RgbaImage {
  if (decoded.kind === 'rgba') return decoded;
  const { width, height, pixels, palette, alpha } = decoded;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < pixels.length; i++) {
    const index = pixels[i]!;
    rgba[i * 4] = palette.rgb[index * 3]!;
    rgba[i * 4 + 1] = palette.rgb[index * 3 + 1]!;
    rgba[i * 4 + 2] = palette.rgb[index * 3 + 2]!;
    rgba[i * 4 + 3] = alpha[index] ?? 255;
  }
  return { width, height, rgba };
}

function checkCount(field: string, value: number | undefined, minimum: number, maximum: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < minimum || value > maximum) throw new ConvertOptionError(field, `${value} is not an integer from ${minimum} to ${maximum}`, { value, minimum, maximum });
}

/** Options resolved against the target. */
export interface ResolvedOptions {
  readonly spec: TargetSpec;
  readonly bpp: number;
  readonly coloursPerPalette: number;
  readonly hardwarePaletteSize: number;
  readonly maximumPalettes: number;
  readonly mapFormat: MapFormat;
  readonly flipH: boolean;
  readonly flipV: boolean;
  readonly dedupe: boolean;
  readonly tileBase: number;
  readonly paletteBase: number;
}

/** Checks options and fills in the target's defaults. */
export function resolveOptions(options: ConvertOptions): ResolvedOptions {
  const spec = getTargetSpec(options.target);
  const bpp = options.bpp ?? (options.like === 'rgbgfx' ? 2 : spec.defaultBpp);
  if (options.like === 'rgbgfx') {
    if (spec.target !== 'gb' && spec.target !== 'gbc') throw new ConvertOptionError('like', `rgbgfx converts for gb and gbc, not ${spec.target}`, { target: spec.target });
    if (bpp !== 1 && bpp !== 2) throw new ConvertOptionError('bpp', `rgbgfx writes 1 or 2 bpp, not ${bpp}`, { bpp });
  } else if (!spec.bppChoices.includes(bpp)) {
    throw new ConvertOptionError('bpp', `${spec.target} backgrounds are ${spec.bppChoices.join(' or ')} bpp, not ${bpp}`, { bpp, choices: spec.bppChoices });
  }
  const hardwarePaletteSize = options.like === 'rgbgfx' ? 1 << bpp : options.like === 'superfamiconv' ? 1 << bpp : spec.hardwarePaletteSize(bpp);
  checkCount('coloursPerPalette', options.coloursPerPalette, 2, hardwarePaletteSize);
  const coloursPerPalette = options.coloursPerPalette ?? hardwarePaletteSize;
  const paletteLimit = options.like === 'rgbgfx' ? 256 : spec.subPaletteCount(bpp);
  checkCount('palettes', options.palettes, 1, paletteLimit);
  const maximumPalettes = options.palettes ?? (options.like === 'rgbgfx' ? 8 : paletteLimit);
  const mapFormat = options.mapFormat ?? (options.like === 'superfamiconv' && spec.target === 'gbc' ? 'gbc-interleaved' : spec.defaultMapFormat(bpp));
  if (!mapFormats.includes(mapFormat)) throw new ConvertOptionError('mapFormat', `unknown map format "${mapFormat}"; formats: ${mapFormats.join(', ')}`, { mapFormat });
  checkCount('tileBase', options.tileBase, 0, maximumIndexBase);
  checkCount('paletteBase', options.paletteBase, 0, maximumIndexBase);
  const sprite = options.sprite === true;
  const axes = options.noFlip || sprite ? 'none' : (options.flips ?? 'both');
  // rgbgfx matches mirrors whenever asked (its attribute map has the bits); SuperFamiconv and
  // romgfx only where the mode's map entries have flip bits (not gb, nes, pce).
  const hardwareFlips = options.like === 'rgbgfx' || (spec.flips && (options.like === 'superfamiconv' || mapHasFlips(mapFormat)));
  const flipH = hardwareFlips && (axes === 'both' || axes === 'h');
  const flipV = hardwareFlips && (axes === 'both' || axes === 'v');
  const dedupe = !sprite && options.noDedupe !== true;
  return { spec, bpp, coloursPerPalette, hardwarePaletteSize, maximumPalettes, mapFormat, flipH, flipV, dedupe, tileBase: options.tileBase ?? 0, paletteBase: options.paletteBase ?? 0 };
}

/** Converts an image (RGBA, or a decoded PNG) into tiles, map and sub-palettes. */
export function convertImage(image: RgbaImage | DecodedImage, options: ConvertOptions): ConvertResult {
  const resolved = resolveOptions(options);
  const decoded = 'kind' in image ? image : undefined;
  const rgba = 'kind' in image ? decodedToRgba(image) : image;
  if (options.like === 'rgbgfx') return convertLikeRgbgfx(rgba, decoded, options, resolved);
  if (options.like === 'superfamiconv') return convertLikeSuperFamiconv(rgba, options, resolved, decoded);
  if (options.noRemap) throw new ConvertOptionError('noRemap', 'is SuperFamiconv -R; use it with like: superfamiconv', {});
  return convertBest(rgba, options, resolved);
}

function finish(resolved: ResolvedOptions, options: ConvertOptions, layout: Layout, transparentColourZero: boolean, warnings: string[]): ConvertResult {
  const { spec, bpp, mapFormat } = resolved;
  const entries = options.mapScreens ? inScreenOrder(layoutEntries(layout, resolved.tileBase, resolved.paletteBase), layout.columns, layout.rows) : layoutEntries(layout, resolved.tileBase, resolved.paletteBase);
  const { map, attrmap } = encodeMap(mapFormat, entries, layout.columns, layout.rows);
  const flippedCells: FlippedCell[] = [];
  for (let cell = 0; cell < layout.cellTile.length; cell++) {
    const o = layout.cellOrientation[cell]!;
    if (layout.cellTile[cell]! >= 0 && o !== 0) flippedCells.push({ x: cell % layout.columns, y: Math.floor(cell / layout.columns), tile: layout.cellTile[cell]!, hflip: (o & 1) !== 0, vflip: (o & 2) !== 0 });
  }
  return {
    target: spec.target,
    bpp,
    mapFormat,
    like: options.like,
    tiles: encodeLayoutTiles(spec, bpp, layout),
    tileCount: layout.tileCount,
    map,
    attrmap,
    palmap: undefined,
    palette: encodePalettes(spec, layout.palettes, resolved.hardwarePaletteSize),
    paletteCount: layout.palettes.length,
    coloursPerPalette: resolved.hardwarePaletteSize,
    palettes: layout.palettes.map((p) => p.map((c) => (c === transparentColour ? -1 : colourToRgb24(spec, c)))),
    mapWidth: layout.columns,
    mapHeight: layout.rows,
    tilePalettes: [...paletteOfEachTile(layout)],
    cellTiles: [...layout.cellTile],
    cellPalettes: [...layout.cellPalette],
    flippedCells,
    tileIndices: layout.tileIndices.slice(0, layout.tileCount * pixelsPerCell),
    transparentColourZero,
    warnings,
  };
}

/** Cells per side of one background screen (SNES/GBA 32×32 tilemap block). */
export const screenSideInCells = 32;

/** Reorders raster-order entries into 32×32 screens: screens column-major, cells row-major inside (convert.md §1.10). */
function inScreenOrder<T>(entries: readonly T[], columns: number, rows: number): T[] {
  const out: T[] = [];
  for (let sx = 0; sx < columns; sx += screenSideInCells) {
    for (let sy = 0; sy < rows; sy += screenSideInCells) {
      for (let y = sy; y < Math.min(sy + screenSideInCells, rows); y++) {
        for (let x = sx; x < Math.min(sx + screenSideInCells, columns); x++) out.push(entries[y * columns + x]!);
      }
    }
  }
  return out;
}

/**
 * SuperFamiconv's JSON outputs (`palette -j`, `map -j`): 2-space indentation, keys in
 * alphabetical order, no final newline; colours as `#rrggbb` by bit replication and as reduced
 * channel triples.
 */
export function superFamiconvJson(result: ConvertResult): { palette: string; map: string } {
  const spec = getTargetSpec(result.target);
  const shift = 8 - spec.channelBits;
  const palettes = result.palettes.map((p) => p.map((c) => '#' + Math.max(c, 0).toString(16).padStart(6, '0')));
  const native = result.palettes.map((p) => p.map((c) => (c < 0 ? [0, 0, 0] : [(c >> 16) >> shift, ((c >> 8) & 0xff) >> shift, (c & 0xff) >> shift])));
  const entries: { flip_h: number; flip_v: number; palette: number; tile: number }[] = [];
  const flipped = new Map(result.flippedCells.map((f) => [f.y * result.mapWidth + f.x, f]));
  for (let cell = 0; cell < result.mapWidth * result.mapHeight; cell++) {
    const f = flipped.get(cell);
    entries.push({ flip_h: f?.hflip ? 1 : 0, flip_v: f?.vflip ? 1 : 0, palette: result.cellPalettes[cell]!, tile: result.cellTiles[cell]! });
  }
  return { palette: JSON.stringify({ palettes, palettes_native_rgb: native }, null, 2), map: JSON.stringify({ map: entries }, null, 2) };
}

// ---- SuperFamiconv ----------------------------------------------------------------------------

function convertLikeSuperFamiconv(image: RgbaImage, options: ConvertOptions, resolved: ResolvedOptions, decoded: DecodedImage | undefined): ConvertResult {
  const { spec } = resolved;
  const padColour = spec.target === 'gb' ? reduceRgba(spec, 0, 0, 0, 255) : transparentColour;
  const grid = cutCells(spec, image, true, padColour);
  if (options.noRemap) return noRemap(grid, options, resolved, decoded);
  if (options.tileSize === 16) return sprites16(grid, options, resolved);
  let colourZero: number | undefined;
  if (options.sprite) colourZero = transparentColour;
  else if (options.colourZero !== undefined) colourZero = options.colourZero === 'transparent' ? transparentColour : reduceRgba(spec, (options.colourZero >> 16) & 0xff, (options.colourZero >> 8) & 0xff, options.colourZero & 0xff, 255);
  else if (spec.sharedColourZero) colourZero = grid.colours[0]!;
  const settings = {
    coloursPerPalette: resolved.coloursPerPalette,
    maximumPalettes: resolved.maximumPalettes,
    colourZero,
    flips: resolved.flipH && resolved.flipV,
    dedupe: resolved.dedupe,
    maximumTiles: spec.maximumTiles(resolved.bpp),
  };
  const palettes = superFamiconvPalettes(spec, grid, settings);
  const layout = superFamiconvTilesAndMap(grid, palettes, settings, resolved.bpp);
  const padded = { ...layout, palettes: layout.palettes };
  return finish(resolved, options, padded, colourZero === transparentColour, []);
}

/** Cells per row of SNES OBJ VRAM (a 128-pixel-wide character table). */
const objCellsPerRow = 16;

/** SuperFamiconv -W 16 -H 16 in sprite mode (§1.11): sets, palettes and tiles per 16×16 tile. */
function sprites16(grid: CellGrid, options: ConvertOptions, resolved: ResolvedOptions): ConvertResult {
  const { spec, bpp } = resolved;
  if (!options.sprite) throw new ConvertOptionError('tileSize', '16x16 tiles are implemented for sprite mode (SuperFamiconv -S -W 16 -H 16)', {});
  const columns = Math.floor(grid.columns / 2);
  const rows = Math.floor(grid.rows / 2);
  const count = columns * rows;
  const cellsOf = (k: number): number[] => {
    const cx = (k % columns) * 2;
    const cy = Math.floor(k / columns) * 2;
    return [cy * grid.columns + cx, cy * grid.columns + cx + 1, (cy + 1) * grid.columns + cx, (cy + 1) * grid.columns + cx + 1];
  };
  // A stand-in grid whose cell k holds the colours of 16x16 tile k: palettes depend only on sets.
  const setsOf = Array.from({ length: count }, (_, k) => [...new Set(cellsOf(k).flatMap((c) => cellColourSet(grid, c)))].sort((a, b) => a - b));
  const standIn = new Uint32Array(count * pixelsPerCell);
  setsOf.forEach((set, k) => {
    for (let i = 0; i < pixelsPerCell; i++) standIn[k * pixelsPerCell + i] = set[Math.min(i, set.length - 1)]!;
  });
  const settings = { coloursPerPalette: resolved.coloursPerPalette, maximumPalettes: resolved.maximumPalettes, colourZero: transparentColour, flips: false, dedupe: false, maximumTiles: spec.maximumTiles(bpp) };
  const palettes = superFamiconvPalettes(spec, { columns: count, rows: 1, colours: standIn }, settings);
  const lookups = palettes.map(slotLookup);
  const mask = (1 << bpp) - 1;
  const remap = (k: number, lookup: Map<number, number>): Uint8Array => {
    const out = new Uint8Array(4 * pixelsPerCell);
    cellsOf(k).forEach((cell, q) => {
      for (let i = 0; i < pixelsPerCell; i++) {
        const colour = grid.colours[cell * pixelsPerCell + i]!;
        out[q * pixelsPerCell + i] = colour === transparentColour ? 0 : lookup.get(colour)! & mask;
      }
    });
    return out;
  };
  const stored: Uint8Array[] = [];
  for (let k = 0; k < count; k++) {
    const opaque = setsOf[k]!.filter((c) => c !== transparentColour);
    const p = lookups.findIndex((lookup) => paletteHolds(lookup, opaque));
    stored.push(p === -1 ? new Uint8Array(4 * pixelsPerCell) : remap(k, lookups[p]!));
  }
  const keys = new Map<string, number>();
  stored.forEach((tile, k) => {
    const key = tile.join(',');
    if (!keys.has(key)) keys.set(key, k);
  });
  const { cellTile, cellPalette, cellOrientation } = emptyCellArrays(count);
  for (let k = 0; k < count; k++) {
    for (let p = 0; p < lookups.length; p++) {
      if (!paletteHolds(lookups[p]!, setsOf[k]!)) continue;
      const found = keys.get(remap(k, lookups[p]!).join(','));
      if (found !== undefined) {
        cellTile[k] = found;
        cellPalette[k] = p;
        break;
      }
    }
  }
  // OBJ VRAM layout: 16x16 tile k's top-left cell at (k mod 8)·2 + (k div 8)·32.
  const cellCount = Math.ceil(count / (objCellsPerRow / 2)) * objCellsPerRow * 2;
  const tileIndices = new Uint8Array(cellCount * pixelsPerCell);
  stored.forEach((tile, k) => {
    const first = (k % (objCellsPerRow / 2)) * 2 + Math.floor(k / (objCellsPerRow / 2)) * objCellsPerRow * 2;
    [first, first + 1, first + objCellsPerRow, first + objCellsPerRow + 1].forEach((at, q) => tileIndices.set(tile.subarray(q * pixelsPerCell, (q + 1) * pixelsPerCell), at * pixelsPerCell));
  });
  const layout: Layout = { palettes, tileIndices, tileCount: cellCount, columns, rows, cellTile, cellPalette, cellOrientation };
  return finish(resolved, options, layout, true, []);
}

/** SuperFamiconv -R (§1.9): PLTE chunks as sub-palettes, PNG indices as tile data. */
function noRemap(grid: CellGrid, options: ConvertOptions, resolved: ResolvedOptions, decoded: DecodedImage | undefined): ConvertResult {
  const { spec, bpp } = resolved;
  if (!decoded || decoded.kind !== 'indexed') throw new ConvertOptionError('noRemap', 'needs an indexed PNG (its PLTE and indices are used as they are)', {});
  const size = 1 << bpp;
  const palettes: number[][] = [];
  for (let i = 0; i < decoded.palette.count; i++) {
    const colour = reduceRgba(spec, decoded.palette.rgb[i * 3]!, decoded.palette.rgb[i * 3 + 1]!, decoded.palette.rgb[i * 3 + 2]!, decoded.alpha[i] ?? 255);
    if (i % size === 0) palettes.push([]);
    palettes[palettes.length - 1]!.push(colour);
  }
  if (palettes.length > resolved.maximumPalettes) throw new PaletteCountError(`the PNG's PLTE makes ${palettes.length} sub-palettes of ${size}; the target has ${resolved.maximumPalettes}`, { needed: palettes.length, maximum: resolved.maximumPalettes });
  const cells = grid.columns * grid.rows;
  const cellIndices = new Uint8Array(cells * pixelsPerCell);
  for (let cell = 0; cell < cells; cell++) {
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
      const px = (cell % grid.columns) * 8 + x;
      const py = Math.floor(cell / grid.columns) * 8 + y;
      cellIndices[cell * pixelsPerCell + y * 8 + x] = px < decoded.width && py < decoded.height ? decoded.pixels[py * decoded.width + px]! : 0;
    }
  }
  const settings = { coloursPerPalette: resolved.coloursPerPalette, maximumPalettes: resolved.maximumPalettes, colourZero: undefined, flips: resolved.flipH && resolved.flipV, dedupe: resolved.dedupe, maximumTiles: spec.maximumTiles(bpp) };
  const layout = superFamiconvTilesAndMap(grid, palettes, settings, bpp, cellIndices);
  return finish(resolved, options, layout, false, []);
}

// ---- romgfx's own mode ------------------------------------------------------------------------

interface Area {
  /** Cells (raster numbers) that must share one sub-palette. */
  readonly cells: number[];
  /** Colours of the area, colour 0 left out, ascending. */
  readonly colours: number[];
}

function paletteAreas(grid: CellGrid, cellSets: readonly (readonly number[])[], areaCells: number, colourZero: number | undefined): Area[] {
  const areas: Area[] = [];
  for (let ay = 0; ay < grid.rows; ay += areaCells) {
    for (let ax = 0; ax < grid.columns; ax += areaCells) {
      const cells: number[] = [];
      const colours = new Set<number>();
      for (let y = ay; y < Math.min(ay + areaCells, grid.rows); y++) {
        for (let x = ax; x < Math.min(ax + areaCells, grid.columns); x++) {
          const cell = y * grid.columns + x;
          cells.push(cell);
          for (const c of cellSets[cell]!) if (c !== colourZero) colours.add(c);
        }
      }
      areas.push({ cells, colours: [...colours].sort((a, b) => a - b) });
    }
  }
  return areas;
}

/** Colours in the most cells (ties: the lower value). */
function mostCommonColour(grid: CellGrid, cellSets: readonly (readonly number[])[]): number {
  const counts = new Map<number, number>();
  for (const set of cellSets) for (const c of set) counts.set(c, (counts.get(c) ?? 0) + 1);
  let best = grid.colours[0]!;
  let bestCount = -1;
  for (const [c, n] of counts) if (n > bestCount || (n === bestCount && c < best)) [best, bestCount] = [c, n];
  return best;
}

/** SuperFamiconv's last fit on sets (colour 0 left out), as a candidate packing. */
function lastFitPacking(sets: readonly (readonly number[])[], capacity: number): Packing {
  const order = sets.map((_, i) => i).sort((a, b) => sets[a]!.length - sets[b]!.length || a - b);
  const bins: { colours: Set<number>; members: number[] }[] = [];
  while (order.length > 0) {
    const s = order.pop()!;
    let chosen = -1;
    bins.forEach((bin, b) => {
      let union = bin.colours.size;
      for (const c of sets[s]!) if (!bin.colours.has(c)) union++;
      if (union <= capacity) chosen = b;
    });
    if (chosen === -1) bins.push({ colours: new Set(sets[s]), members: [s] });
    else {
      for (const c of sets[s]!) bins[chosen]!.colours.add(c);
      bins[chosen]!.members.push(s);
    }
  }
  return bins.map((b) => b.members);
}

function planPalettes(spec: TargetSpec, grid: CellGrid, cellSets: readonly (readonly number[])[], resolved: ResolvedOptions, colourZero: number | undefined): { areas: Area[]; sets: number[][]; setOfArea: Int32Array; packing: Packing; capacity: number } {
  const areaCells = spec.paletteAreaInPixels / cellSideInPixels;
  const areas = paletteAreas(grid, cellSets, areaCells, colourZero);
  const capacity = resolved.coloursPerPalette - (colourZero === undefined ? 0 : 1);
  for (const area of areas) {
    if (area.colours.length > capacity) {
      const cell = area.cells[0]!;
      const x = (cell % grid.columns) * 8;
      const y = Math.floor(cell / grid.columns) * 8;
      const colours = area.colours.map((c) => describeColour(spec, c));
      const what = areaCells === 1 ? 'tile' : `${spec.paletteAreaInPixels}x${spec.paletteAreaInPixels} attribute area`;
      throw new TileColourCountError(`${what} at (${x}, ${y}) has ${colours.length} colours${colourZero === undefined ? '' : ` besides colour 0 (${describeColour(spec, colourZero)})`}; a sub-palette holds ${capacity}: ${colours.join(' ')}`, { x, y, colours, maximum: capacity });
    }
  }
  // Pack each distinct set once (a screen has hundreds of cells but few distinct colour sets).
  const sets: number[][] = [];
  const setOfArea = new Int32Array(areas.length).fill(-1);
  const byKey = new Map<string, number>();
  areas.forEach((area, a) => {
    if (area.colours.length === 0) return;
    const key = area.colours.join(',');
    let index = byKey.get(key);
    if (index === undefined) {
      index = sets.length;
      byKey.set(key, index);
      sets.push(area.colours);
    }
    setOfArea[a] = index;
  });
  const packing = packColourSets(sets, Math.max(capacity, 1), [lastFitPacking(sets, capacity)]);
  return { areas, sets, setOfArea, packing, capacity };
}

function convertBest(image: RgbaImage, options: ConvertOptions, resolved: ResolvedOptions): ConvertResult {
  const { layout, transparentColourZero } = layoutBest(image, options, resolved);
  return finish(resolved, options, layout, transparentColourZero, []);
}

/** Native tiles, map and palette of a screen as it is stored now (what `reconvertScreen` re-uses). */
export interface OriginalScreen {
  readonly tiles: Uint8Array;
  readonly map?: Uint8Array;
  readonly palette?: Uint8Array;
}

/**
 * Converts an edited screen for injection over `original`: romgfx's own mode, then every new
 * tile equal to an original tile takes that tile's number, tiles the screen no longer uses keep
 * their bytes (VRAM neighbours may still use them), and new tiles fill the numbers no map cell
 * uses, lowest first, then go after the end. The three blobs are then written back in place.
 */
export function reconvertScreen(image: RgbaImage | DecodedImage, original: OriginalScreen, options: ConvertOptions): ConvertResult {
  if (options.like !== undefined) throw new ConvertOptionError('like', 'screens are re-converted in romgfx\'s own mode', { like: options.like });
  const resolved = resolveOptions(options);
  const rgba = 'kind' in image ? decodedToRgba(image) : image;
  const { layout, transparentColourZero } = layoutBest(rgba, options, resolved);
  const format = resolved.spec.tileFormat(resolved.bpp);
  const bytesPerTile = encodeTiles(format, new Uint8Array(pixelsPerCell)).length;
  if (original.tiles.length % bytesPerTile !== 0) throw new TileCountError(`the original tile data is ${original.tiles.length} bytes, not a whole number of ${format} tiles`, { length: original.tiles.length });
  const originalCount = original.tiles.length / bytesPerTile;
  const originalIndices = originalCount === 0 ? new Uint8Array(0) : decodeTiles(format, original.tiles);
  const byKey = new Map<string, number>();
  for (let t = originalCount - 1; t >= 0; t--) byKey.set(tileKey(originalIndices, t * pixelsPerCell, 0), t);
  const newNumber = new Int32Array(layout.tileCount).fill(-1);
  const taken = new Set<number>();
  for (let t = 0; t < layout.tileCount; t++) {
    const at = byKey.get(tileKey(layout.tileIndices, t * pixelsPerCell, 0));
    if (at !== undefined && !taken.has(at)) {
      newNumber[t] = at;
      taken.add(at);
    }
  }
  let free = 0;
  let next = originalCount;
  for (let t = 0; t < layout.tileCount; t++) {
    if (newNumber[t] !== -1) continue;
    while (free < originalCount && taken.has(free)) free++;
    newNumber[t] = free < originalCount ? free++ : next++;
    taken.add(newNumber[t]!);
  }
  const total = Math.max(originalCount, next);
  const limit = Math.min(resolved.spec.maximumTiles(resolved.bpp), 1 << mapTileIndexBits(resolved.mapFormat)) - resolved.tileBase;
  if (total > limit) throw new TileCountError(`the edited screen needs ${total} tiles with the original's kept in place; the map addresses ${limit}`, { tiles: total, maximum: limit });
  const tileIndices = new Uint8Array(total * pixelsPerCell);
  tileIndices.set(originalIndices.subarray(0, Math.min(originalIndices.length, tileIndices.length)));
  for (let t = 0; t < layout.tileCount; t++) tileIndices.set(layout.tileIndices.subarray(t * pixelsPerCell, (t + 1) * pixelsPerCell), newNumber[t]! * pixelsPerCell);
  const cellTile = layout.cellTile.map((t) => (t < 0 ? t : newNumber[t]!));
  return finish(resolved, options, { ...layout, tileIndices, tileCount: total, cellTile }, transparentColourZero, []);
}

function layoutBest(image: RgbaImage, options: ConvertOptions, resolved: ResolvedOptions): { layout: Layout; transparentColourZero: boolean } {
  const { spec } = resolved;
  const grid = cutCells(spec, image, false, transparentColour);
  if (spec.colourEncoding === 'nes-master') checkNesColours(spec, grid);
  const cells = grid.columns * grid.rows;
  const cellSets = allCellColourSets(grid);
  let hasTransparency = false;
  for (let i = 0; i < grid.colours.length; i++) if (grid.colours[i] === transparentColour) hasTransparency = true;
  // Colour 0: transparent when asked or needed; else, where the hardware shares it, whichever
  // of the top-left pixel's colour and the colour in the most tiles needs fewer palettes.
  let candidates: (number | undefined)[];
  if (options.sprite || options.colourZero === 'transparent' || hasTransparency) candidates = [transparentColour];
  else if (options.colourZero !== undefined) candidates = [reduceRgba(spec, (options.colourZero >> 16) & 0xff, (options.colourZero >> 8) & 0xff, options.colourZero & 0xff, 255)];
  else if (spec.sharedColourZero) candidates = [...new Set([grid.colours[0]!, mostCommonColour(grid, cellSets)])];
  else candidates = [undefined];
  let plan: ReturnType<typeof planPalettes> | undefined;
  let colourZero: number | undefined;
  let firstError: unknown;
  for (const candidate of candidates) {
    try {
      const attempt = planPalettes(spec, grid, cellSets, resolved, candidate);
      if (!plan || attempt.packing.length < plan.packing.length) {
        plan = attempt;
        colourZero = candidate;
      }
    } catch (error) {
      firstError ??= error;
    }
  }
  if (!plan) throw firstError;
  const { areas, packing, sets, setOfArea } = plan;
  if (packing.length + resolved.paletteBase > resolved.maximumPalettes || (packing.length === 0 && resolved.paletteBase >= resolved.maximumPalettes)) {
    const overflowSet = sets[packing[Math.min(resolved.maximumPalettes, packing.length - 1)]?.[0] ?? 0] ?? [];
    const area = areas.find((a) => a.colours.join(',') === overflowSet.join(',')) ?? areas[0]!;
    const cell = area.cells[0]!;
    const x = (cell % grid.columns) * 8;
    const y = Math.floor(cell / grid.columns) * 8;
    const colours = area.colours.map((c) => describeColour(spec, c));
    throw new PaletteCountError(`the tiles' colours need ${packing.length} sub-palettes of ${resolved.coloursPerPalette} colours${resolved.paletteBase ? ` from palette ${resolved.paletteBase}` : ''}; ${spec.target} has ${resolved.maximumPalettes}; e.g. tile at (${x}, ${y}) with ${colours.join(' ')} fits none of the first ${resolved.maximumPalettes - resolved.paletteBase}`, {
      needed: packing.length,
      maximum: resolved.maximumPalettes,
      x,
      y,
      colours,
    });
  }
  // Palettes in order of first use, colours ascending after colour 0.
  const binOfSet = new Map<number, number>();
  packing.forEach((bin, b) => bin.forEach((s) => binOfSet.set(s, b)));
  const palettes = packing.map((bin) => {
    const colours = new Set<number>();
    for (const s of bin) for (const c of sets[s]!) colours.add(c);
    const sorted = [...colours].sort((a, b) => a - b);
    return colourZero === undefined ? sorted : [colourZero, ...sorted];
  });
  if (palettes.length === 0) palettes.push(colourZero === undefined ? [grid.colours[0]!] : [colourZero]);
  const layout = placeTiles(spec, grid, cellSets, areas, setOfArea, binOfSet, palettes, resolved);
  return { layout, transparentColourZero: colourZero === transparentColour };
}

function checkNesColours(spec: TargetSpec, grid: CellGrid): void {
  for (let i = 0; i < grid.colours.length; i++) {
    const colour = grid.colours[i]!;
    if (colour === transparentColour || nesMasterIndex(colourToRgb24(spec, colour)) >= 0) continue;
    const cell = Math.floor(i / pixelsPerCell);
    const x = (cell % grid.columns) * 8 + (i % 8);
    const y = Math.floor(cell / grid.columns) * 8 + ((i >> 3) & 7);
    throw new ColourNotRepresentableError(`pixel (${x}, ${y}) is ${describeColour(spec, colour)}, which is not in the NES master palette; romgfx does not quantise`, { x, y, colour: describeColour(spec, colour) });
  }
}

function placeTiles(spec: TargetSpec, grid: CellGrid, cellSets: readonly (readonly number[])[], areas: readonly Area[], setOfArea: Int32Array, binOfSet: Map<number, number>, palettes: number[][], resolved: ResolvedOptions): Layout {
  const cells = grid.columns * grid.rows;
  const lookups = palettes.map(slotLookup);
  const store = new TileStore(resolved.flipH, resolved.flipV);
  const { cellTile, cellPalette, cellOrientation } = emptyCellArrays(cells);
  const candidatesScratch = new Uint8Array(pixelsPerCell * Math.max(1, palettes.length));
  // An area's palette is fixed when it spans several cells (NES); a lone cell may take any
  // sub-palette holding its colours, and prefers one that makes it a copy of a stored tile.
  const fixedPalette = new Int32Array(cells).fill(-1);
  for (let a = 0; a < areas.length; a++) {
    const area = areas[a]!;
    if (setOfArea[a]! < 0) continue;
    const bin = binOfSet.get(setOfArea[a]!)!;
    if (area.cells.length > 1) for (const cell of area.cells) fixedPalette[cell] = bin;
  }
  const limit = Math.min(spec.maximumTiles(resolved.bpp), 1 << mapTileIndexBits(resolved.mapFormat)) - resolved.tileBase;
  // Colours as small ids, and each palette as an id → slot table, so remapping a cell is typed
  // array reads (a Map lookup per pixel per candidate palette was the hot spot).
  const idOf = new Map<number, number>();
  for (const set of cellSets) for (const c of set) if (!idOf.has(c)) idOf.set(c, idOf.size);
  const colourIds = new Uint16Array(grid.colours.length);
  for (let i = 0; i < colourIds.length; i++) colourIds[i] = idOf.get(grid.colours[i]!)!;
  const slotTables = lookups.map((lookup) => {
    const table = new Int16Array(idOf.size).fill(-1);
    for (const [colour, id] of idOf) table[id] = lookup.get(colour) ?? -1;
    return table;
  });
  const candidates: number[] = [];
  for (let cell = 0; cell < cells; cell++) {
    const set = cellSets[cell]!;
    candidates.length = 0;
    if (fixedPalette[cell]! >= 0) candidates.push(fixedPalette[cell]!);
    else {
      for (let p = 0; p < slotTables.length; p++) {
        const table = slotTables[p]!;
        if (set.every((c) => table[idOf.get(c)!]! >= 0)) candidates.push(p);
      }
    }
    let chosen = -1;
    let match;
    for (let i = 0; i < candidates.length; i++) {
      const table = slotTables[candidates[i]!]!;
      const base = cell * pixelsPerCell;
      const at = i * pixelsPerCell;
      for (let j = 0; j < pixelsPerCell; j++) candidatesScratch[at + j] = table[colourIds[base + j]!]!;
      if (chosen === -1) chosen = i;
      if (resolved.dedupe) {
        match = store.find(candidatesScratch, at);
        if (match) {
          chosen = i;
          break;
        }
      }
    }
    if (chosen === -1) throw new PaletteCountError(`internal: no sub-palette holds the colours of tile (${(cell % grid.columns) * 8}, ${Math.floor(cell / grid.columns) * 8})`, {});
    cellPalette[cell] = candidates[chosen]!;
    if (match) {
      cellTile[cell] = match.tile;
      cellOrientation[cell] = match.orientation;
      continue;
    }
    if (store.count >= limit) {
      const x = (cell % grid.columns) * 8;
      const y = Math.floor(cell / grid.columns) * 8;
      throw new TileCountError(`tile at (${x}, ${y}) would be tile ${store.count + resolved.tileBase}; a ${resolved.mapFormat} map entry on ${spec.target} addresses ${limit + resolved.tileBase} tiles${resolved.tileBase ? ` (tile base ${resolved.tileBase})` : ''}`, {
        x,
        y,
        tile: store.count + resolved.tileBase,
        maximum: limit + resolved.tileBase,
      });
    }
    cellTile[cell] = store.add(candidatesScratch, chosen * pixelsPerCell);
  }
  return { palettes, tileIndices: store.storedIndices(), tileCount: store.count, columns: grid.columns, rows: grid.rows, cellTile, cellPalette, cellOrientation };
}
