/**
 * rgbgfx v1.0.3 (RGBDS), reproduced (convert.md §2): RGB555 colours with a transparent marker,
 * colour sets merged online in visiting order, "overload-and-remove" packing with decanting,
 * per-palette colour sorting, optional deduplication with X/Y mirrors, and its tilemap,
 * attribute map, palette map and .pal formats.
 */
import { ConvertOptionError, ImageSizeError, PaletteCountError, TileColourCountError, TileCountError, ColourNotRepresentableError } from '../errors.js';
import type { DecodedImage } from '../gfx/png.js';
import { encodeTiles } from '../gfx/formats.js';
import { pixelsPerCell, TileStore, type RgbaImage } from './cells.js';
import type { ResolvedOptions } from './convert.js';
import type { ConvertOptions, ConvertResult, FlippedCell } from './types.js';

/** rgbgfx's transparent colour marker (outside RGB555). */
export const rgbgfxTransparent = 0x8000;
/** rgbgfx's unused palette slot. */
export const rgbgfxUnusedSlot = 0xffff;
/** Alpha below this is transparent, at or above `opaqueAlphaFrom` opaque; between is an error (§2.1). */
const transparentAlphaBelow = 0x10;
const opaqueAlphaFrom = 0xf0;
/** lcm(1..16): relative sizes stay integers (pal_packing.cpp's 1 / (1 + n)). */
const relativeSizeUnit = 720720;

function rgb555(r: number, g: number, b: number): number {
  return (r >> 3) | ((g >> 3) << 5) | ((b >> 3) << 10);
}

function gbText(c: number): string {
  const p = (v: number): string => String(v).padStart(2, '0');
  return `GB:${p(c & 31)},${p((c >> 5) & 31)},${p((c >> 10) & 31)}`;
}

interface Tile {
  readonly x: number;
  readonly y: number;
  /** RGB555 per pixel, or rgbgfxTransparent. */
  readonly colours: Uint16Array;
}

/** One output palette of the packer: slots holding set indices (null = free slot). */
type Page = (number | null)[];

function pageSets(page: Page): number[] {
  return page.filter((s): s is number => s !== null);
}

function assign(page: Page, set: number): void {
  const free = page.indexOf(null);
  if (free === -1) page.push(set);
  else page[free] = set;
}

function pageColours(page: Page, sets: readonly (readonly number[])[]): Set<number> {
  const colours = new Set<number>();
  for (const s of pageSets(page)) for (const c of sets[s]!) colours.add(c);
  return colours;
}

function unionCount(base: Set<number>, extra: Iterable<number>): number {
  let n = base.size;
  const added = new Set<number>();
  for (const c of extra) if (!base.has(c) && !added.has(c)) {
    added.add(c);
    n++;
  }
  return n;
}

/** Σ over the set's colours of unit / (1 + number of the page's sets holding the colour). */
function relativeSize(page: Page, set: readonly number[], sets: readonly (readonly number[])[]): number {
  let total = 0;
  for (const c of set) {
    let n = 0;
    for (const s of pageSets(page)) if (sets[s]!.includes(c)) n++;
    total += relativeSizeUnit / (1 + n);
  }
  return total;
}

/** overloadAndRemove + decant (pal_packing.cpp, convert.md §2.3): the page of each set. */
export function rgbgfxPack(sets: readonly (readonly number[])[], capacity: number): number[][] {
  // Queue: size descending; equal sizes by descending index.
  const order = sets.map((_, i) => i).sort((a, b) => sets[b]!.length - sets[a]!.length || b - a);
  const bans = new Map<number, Set<number>>(order.map((set) => [set, new Set<number>()]));
  const queue: { set: number; banned: Set<number> }[] = order.map((set) => ({ set, banned: bans.get(set)! }));
  const pages: Page[] = [];
  for (let head = 0; head < queue.length; head++) {
    const { set, banned } = queue[head]!;
    let best = pages.length;
    let bestSize = sets[set]!.length * relativeSizeUnit;
    for (let i = 0; i < pages.length; i++) {
      if (banned.has(i)) continue;
      const size = relativeSize(pages[i]!, sets[set]!, sets);
      if (size < bestSize) {
        best = i;
        bestSize = size;
      }
    }
    if (best === pages.length) {
      pages.push([set]);
      continue;
    }
    const page = pages[best]!;
    assign(page, set);
    while (pageColours(page, sets).size > capacity) {
      let minSlot = -1;
      let maxSlot = -1;
      const eff = (slot: number): [number, number] => [sets[page[slot]!]!.length, relativeSize(page, sets[page[slot]!]!, sets)];
      const less = (a: number, b: number): boolean => {
        const [na, ra] = eff(a);
        const [nb, rb] = eff(b);
        return na * rb < nb * ra;
      };
      for (let slot = 0; slot < page.length; slot++) {
        if (page[slot] === null) continue;
        if (minSlot === -1 || less(slot, minSlot)) minSlot = slot;
        if (maxSlot === -1 || !less(slot, maxSlot)) maxSlot = slot;
      }
      if (!less(minSlot, maxSlot)) break;
      const removed = page[minSlot]!;
      page[minSlot] = null;
      // The set's attributes travel with it: earlier bans stay, and this page is added.
      const bannedFrom = bans.get(removed)!;
      bannedFrom.add(best);
      queue.push({ set: removed, banned: bannedFrom });
    }
  }
  // Pages still over capacity are emptied and their sets placed first-fit.
  const overloaded: number[] = [];
  for (const page of pages) {
    if (pageColours(page, sets).size > capacity) {
      overloaded.push(...pageSets(page));
      page.length = 0;
    }
  }
  // Each is inserted before the equal-sized ones already queued: equal sizes come out last-collected first.
  const requeued = overloaded.map((set, position) => ({ set, position })).sort((a, b) => sets[b.set]!.length - sets[a.set]!.length || b.position - a.position);
  for (const { set } of requeued) {
    const target = pages.find((page) => unionCount(pageColours(page, sets), sets[set]!) <= capacity);
    if (target) assign(target, set);
    else pages.push([set]);
  }
  decant(pages, sets, capacity);
  return pages.map(pageSets);
}

function decant(pages: Page[], sets: readonly (readonly number[])[], capacity: number): void {
  const decantOn = (tryDecanting: (to: Page, from: Page) => void): void => {
    for (let from = pages.length - 1; from > 0; from--) {
      for (let to = 0; to < from; to++) tryDecanting(pages[to]!, pages[from]!);
      if (pageSets(pages[from]!).length === 0) pages.splice(from, 1);
    }
  };
  decantOn((to, from) => {
    const fromColours = pageColours(from, sets);
    if (unionCount(pageColours(to, sets), fromColours) <= capacity) {
      for (const s of pageSets(from)) assign(to, s);
      from.length = 0;
    }
  });
  decantOn((to, from) => {
    const slots = from.map((s, i) => (s === null ? -1 : i)).filter((i) => i >= 0);
    const processed = new Set<number>();
    for (const start of slots) {
      if (processed.has(start)) continue;
      const colours = new Set(sets[from[start]!]!);
      const members = [start];
      processed.add(start);
      for (const slot of slots) {
        if (processed.has(slot) || slot < start) continue;
        if (sets[from[slot]!]!.some((c) => colours.has(c))) {
          for (const c of sets[from[slot]!]!) colours.add(c);
          members.push(slot);
          processed.add(slot);
        }
      }
      if (unionCount(pageColours(to, sets), colours) <= capacity) {
        for (const slot of members) {
          assign(to, from[slot]!);
          from[slot] = null;
        }
      }
    }
  });
  decantOn((to, from) => {
    for (let slot = 0; slot < from.length; slot++) {
      const s = from[slot];
      if (s === null || s === undefined) continue;
      if (unionCount(pageColours(to, sets), sets[s]!) <= capacity) {
        assign(to, s);
        from[slot] = null;
      }
    }
  });
}

function readTiles(image: RgbaImage, columnMajor: boolean, warnings: string[]): { tiles: Tile[]; hasTransparency: boolean; original: Map<number, number>; columns: number; rows: number } {
  const { width, height, rgba } = image;
  if (width % 8 !== 0) throw new ImageSizeError(`Image width (${width} pixels) is not a multiple of 8`, { width, height });
  if (height % 8 !== 0) throw new ImageSizeError(`Image height (${height} pixels) is not a multiple of 8`, { width, height });
  const original = new Map<number, number>();
  const firstSeen = new Map<number, { rgba: number; x: number; y: number }>();
  let hasTransparency = false;
  const pixels = new Uint16Array(width * height);
  const warned = new Set<string>();
  for (let i = 0; i < width * height; i++) {
    const a = rgba[i * 4 + 3]!;
    const x = i % width;
    const y = Math.floor(i / width);
    if (a < transparentAlphaBelow) {
      pixels[i] = rgbgfxTransparent;
      hasTransparency = true;
      continue;
    }
    if (a < opaqueAlphaFrom) throw new ColourNotRepresentableError(`pixel (${x}, ${y}) has alpha ${a}: rgbgfx accepts only transparent (< 16) or opaque (≥ 240)`, { x, y, alpha: a });
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    const c = rgb555(r, g, b);
    const full = ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
    const seen = firstSeen.get(c);
    if (!seen) {
      firstSeen.set(c, { rgba: full, x, y });
      original.set(c, (r << 16) | (g << 8) | b);
    } else if (seen.rgba !== full) {
      const key = `${seen.rgba}/${full}`;
      if (!warned.has(key)) {
        warned.add(key);
        const hex = (v: number): string => '#' + v.toString(16).padStart(8, '0');
        warnings.push(`warning: Colors ${hex(full)} and ${hex(seen.rgba)} both reduce to the same RGB555 color ${gbText(c)} (first seen at (${x}, ${y}))`);
      }
    }
    pixels[i] = c;
  }
  const columns = width / 8;
  const rows = height / 8;
  const tiles: Tile[] = [];
  const visit = (tx: number, ty: number): void => {
    const colours = new Uint16Array(pixelsPerCell);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) colours[y * 8 + x] = pixels[(ty * 8 + y) * width + tx * 8 + x]!;
    tiles.push({ x: tx * 8, y: ty * 8, colours });
  };
  if (columnMajor) for (let tx = 0; tx < columns; tx++) for (let ty = 0; ty < rows; ty++) visit(tx, ty);
  else for (let ty = 0; ty < rows; ty++) for (let tx = 0; tx < columns; tx++) visit(tx, ty);
  return { tiles, hasTransparency, original, columns, rows };
}

/** Converts as rgbgfx v1.0.3 would (targets gb and gbc). */
export function convertLikeRgbgfx(image: RgbaImage, decoded: DecodedImage | undefined, options: ConvertOptions, resolved: ResolvedOptions): ConvertResult {
  const warnings: string[] = [];
  const { tiles, hasTransparency, original, columns, rows } = readTiles(image, options.columnMajor === true, warnings);
  const nbColours = options.coloursPerPalette ?? 1 << resolved.bpp;
  const maxOpaque = nbColours - (hasTransparency ? 1 : 0);
  // §2.2 colour sets, merged online.
  const sets: number[][] = [];
  const tileSet = new Int32Array(tiles.length).fill(-1);
  tiles.forEach((tile, t) => {
    const set = [...new Set(tile.colours)].filter((c) => c !== rgbgfxTransparent).sort((a, b) => a - b);
    if (set.length === 0) return;
    if (set.length > maxOpaque) {
      throw new TileColourCountError(`Tile at (${tile.x}, ${tile.y}) has ${set.length} colors, more than ${maxOpaque}`, { x: tile.x, y: tile.y, colours: set.map(gbText), maximum: maxOpaque });
    }
    for (let n = 0; n < sets.length; n++) {
      const existing = new Set(sets[n]);
      const subset = set.every((c) => existing.has(c));
      if (subset) {
        tileSet[t] = n;
        return;
      }
      const mine = new Set(set);
      if (sets[n]!.every((c) => mine.has(c))) {
        sets[n] = set;
        for (let later = sets.length - 1; later > n; later--) {
          if (set.length > sets[later]!.length && sets[later]!.every((c) => mine.has(c))) {
            sets.splice(later, 1);
            for (let u = 0; u < t; u++) {
              if (tileSet[u] === later) tileSet[u] = n;
              else if (tileSet[u]! > later) tileSet[u]!--;
            }
          }
        }
        tileSet[t] = n;
        return;
      }
    }
    tileSet[t] = sets.length;
    sets.push(set);
  });
  // §2.3 / §2.4: pages of sets, then palettes of colours.
  let palettes: number[][];
  let pageOfSet: number[];
  const explicit = explicitPalettes(options, decoded, nbColours, hasTransparency);
  if (explicit) {
    palettes = explicit;
    pageOfSet = sets.map((set) => {
      const p = palettes.findIndex((pal) => set.every((c) => pal.includes(c)));
      if (p === -1) {
        throw new ColourNotRepresentableError(
          `Failed to fit tile colors [${set.map(gbText).join('; ')}] in specified palettes; the palettes were: ${palettes.map((pal) => `[${pal.filter((c) => c !== rgbgfxTransparent && c !== rgbgfxUnusedSlot).map(gbText).join('; ')}]`).join(', ')}`,
          { colours: set.map(gbText) },
        );
      }
      return p;
    });
  } else {
    const pages = rgbgfxPack(sets, maxOpaque);
    pageOfSet = new Array<number>(sets.length).fill(0);
    pages.forEach((page, p) => page.forEach((s) => (pageOfSet[s] = p)));
    if (pages.length > resolved.maximumPalettes) {
      throw new PaletteCountError(`Generated ${pages.length} palettes, over the maximum of ${resolved.maximumPalettes}`, { needed: pages.length, maximum: resolved.maximumPalettes });
    }
    palettes = pages.map(() => (hasTransparency ? [rgbgfxTransparent] : []));
    sets.forEach((set, s) => {
      const palette = palettes[pageOfSet[s]!]!;
      for (const c of set) if (!palette.includes(c)) palette.push(c);
    });
    palettes = palettes.map((palette) => sortPalette(palette, options, decoded, original, nbColours, hasTransparency));
  }
  // §2.5 tiles.
  // -X / -Y / -m imply -u (§2.5).
  const axes = options.noFlip ? 'none' : (options.flips ?? 'both');
  const dedupe = options.noDedupe !== true || axes !== 'none';
  const store = new TileStore(axes === 'both' || axes === 'h', axes === 'both' || axes === 'v');
  const indices = new Uint8Array(pixelsPerCell);
  const tileOf = new Int32Array(tiles.length);
  const orientationOf = new Uint8Array(tiles.length);
  const paletteOf = new Int32Array(tiles.length);
  const lookups = palettes.map((palette) => {
    const m = new Map<number, number>();
    palette.forEach((c, i) => {
      if (!m.has(c)) m.set(c, i);
    });
    return m;
  });
  tiles.forEach((tile, t) => {
    const set = tileSet[t]! >= 0 ? tileSet[t]! : 0;
    const p = sets.length === 0 ? 0 : pageOfSet[set]!;
    paletteOf[t] = p;
    const lookup = lookups[p] ?? new Map<number, number>();
    for (let i = 0; i < pixelsPerCell; i++) {
      const c = tile.colours[i]!;
      indices[i] = c === rgbgfxTransparent ? 0 : lookup.get(c)!;
    }
    const match = dedupe ? store.find(indices, 0) : undefined;
    if (match) {
      tileOf[t] = match.tile;
      orientationOf[t] = match.orientation;
    } else tileOf[t] = store.add(indices, 0);
  });
  // §2.6 maps.
  const [base0, base1] = options.bankBases ?? [0, 0];
  const [perBank0, perBank1] = options.tilesPerBank ?? [Infinity, 0];
  if (options.tilesPerBank && store.count > perBank0 + perBank1) {
    throw new TileCountError(`image needs ${store.count} tiles, more than the ${perBank0 + perBank1} of -N ${perBank0},${perBank1}`, { tiles: store.count, maximum: perBank0 + perBank1 });
  }
  const paletteBase = resolved.paletteBase;
  const map = new Uint8Array(tiles.length);
  const attrmap = new Uint8Array(tiles.length);
  const palmap = new Uint8Array(tiles.length);
  const flippedCells: FlippedCell[] = [];
  tiles.forEach((tile, t) => {
    const id = tileOf[t]!;
    const bank = id < perBank0 ? 0 : 1;
    map[t] = ((bank === 0 ? id + base0 : id - perBank0 + base1) & 0xff);
    const o = orientationOf[t]!;
    attrmap[t] = ((paletteOf[t]! + paletteBase) & 7) | (bank << 3) | (o & 1 ? 0x20 : 0) | (o & 2 ? 0x40 : 0);
    palmap[t] = (paletteOf[t]! + paletteBase) & 0xff;
    if (o !== 0) flippedCells.push({ x: tile.x / 8, y: tile.y / 8, tile: id, hflip: (o & 1) !== 0, vflip: (o & 2) !== 0 });
  });
  const trim = options.trimTiles ?? 0;
  if (!Number.isInteger(trim) || trim < 0 || trim > store.count) throw new ConvertOptionError('trimTiles', `${trim} is not an integer from 0 to the tile count ${store.count}`, { trim });
  const kept = store.count - trim;
  const encoded = kept === 0 ? new Uint8Array(0) : encodeTiles('gb2bpp', store.storedIndices().subarray(0, kept * pixelsPerCell));
  const tileBytes = resolved.bpp === 1 ? encoded.filter((_, i) => i % 2 === 0) : encoded;
  const palette = new Uint8Array(palettes.length * nbColours * 2);
  palettes.forEach((pal, p) => {
    for (let slot = 0; slot < nbColours; slot++) {
      const word = slot < pal.length ? pal[slot]! : rgbgfxUnusedSlot;
      palette[(p * nbColours + slot) * 2] = word & 0xff;
      palette[(p * nbColours + slot) * 2 + 1] = word >> 8;
    }
  });
  const rgb24 = (c: number): number => (c >= 0x8000 ? -1 : ((((c & 31) << 3) | ((c & 31) >> 2)) << 16) | (((((c >> 5) & 31) << 3) | (((c >> 5) & 31) >> 2)) << 8) | ((((c >> 10) & 31) << 3) | (((c >> 10) & 31) >> 2)));
  const perTile = new Array<number>(store.count).fill(-1);
  tiles.forEach((_, t) => {
    if (perTile[tileOf[t]!] === -1) perTile[tileOf[t]!] = paletteOf[t]!;
  });
  return {
    target: resolved.spec.target,
    bpp: resolved.bpp,
    mapFormat: 'gbc',
    like: 'rgbgfx',
    tiles: tileBytes,
    tileCount: store.count,
    map,
    attrmap,
    palmap,
    palette,
    paletteCount: palettes.length,
    coloursPerPalette: nbColours,
    palettes: palettes.map((p) => p.map(rgb24)),
    mapWidth: options.columnMajor ? rows : columns,
    mapHeight: options.columnMajor ? columns : rows,
    tilePalettes: perTile,
    cellTiles: [...tileOf],
    cellPalettes: [...paletteOf],
    flippedCells,
    tileIndices: store.storedIndices(),
    transparentColourZero: hasTransparency,
    warnings,
  };
}

function explicitPalettes(options: ConvertOptions, decoded: DecodedImage | undefined, nbColours: number, hasTransparency: boolean): number[][] | undefined {
  let given: number[][] | undefined;
  if (options.explicitPalettes) given = options.explicitPalettes.map((pal) => pal.map((c) => (c < 0 ? rgbgfxUnusedSlot : rgb555((c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff))));
  else if (options.embeddedPalette) {
    if (!decoded || decoded.kind !== 'indexed') throw new ConvertOptionError('embeddedPalette', 'the PNG has no PLTE to take palettes from', {});
    const colours: number[] = [];
    for (let i = 0; i < decoded.palette.count; i++) colours.push(rgb555(decoded.palette.rgb[i * 3]!, decoded.palette.rgb[i * 3 + 1]!, decoded.palette.rgb[i * 3 + 2]!));
    given = [];
    const perPalette = nbColours - (hasTransparency ? 1 : 0);
    for (let i = 0; i < colours.length; i += perPalette) given.push(colours.slice(i, i + perPalette));
  }
  if (!given) return undefined;
  return given.map((pal) => (hasTransparency ? [rgbgfxTransparent, ...pal] : [...pal]).slice(0, nbColours));
}

function sortPalette(palette: number[], options: ConvertOptions, decoded: DecodedImage | undefined, original: Map<number, number>, nbColours: number, hasTransparency: boolean): number[] {
  const start = hasTransparency ? 1 : 0;
  const opaque = palette.slice(start);
  const maxOpaque = nbColours - start;
  const grey = (c: number): number | undefined => {
    const rgb = original.get(c)!;
    const r = rgb >> 16;
    return r === ((rgb >> 8) & 0xff) && r === (rgb & 0xff) ? r : undefined;
  };
  if (options.dmgRegister !== undefined) {
    const result = new Array<number>(nbColours).fill(rgbgfxTransparent);
    for (const c of opaque) {
      const level = Math.floor(((255 - (grey(c) ?? 0)) * maxOpaque) / 256);
      for (let slot = 0; slot < maxOpaque; slot++) if (((options.dmgRegister >> (2 * slot)) & 3) === level) result[slot + start] = c;
    }
    return result;
  }
  if (decoded && decoded.kind === 'indexed') {
    const position = new Map<number, number>();
    for (let i = 0; i < decoded.palette.count; i++) {
      if ((decoded.alpha[i] ?? 255) < transparentAlphaBelow) continue;
      const c = rgb555(decoded.palette.rgb[i * 3]!, decoded.palette.rgb[i * 3 + 1]!, decoded.palette.rgb[i * 3 + 2]!);
      if (!position.has(c)) position.set(c, i);
    }
    const sorted = [...opaque].sort((a, b) => (position.get(a) ?? Infinity) - (position.get(b) ?? Infinity));
    return [...palette.slice(0, start), ...sorted];
  }
  const greys = opaque.map(grey);
  if (greys.every((g) => g !== undefined)) {
    const bins = greys.map((g) => Math.floor(((255 - g!) * maxOpaque) / 256) + start);
    if (new Set(bins).size === bins.length) {
      const result = new Array<number>(nbColours).fill(rgbgfxTransparent);
      opaque.forEach((c, i) => (result[bins[i]!] = c));
      return result;
    }
  }
  const luminance = (c: number): number => 2126 * (c & 31) + 7152 * ((c >> 5) & 31) + 722 * ((c >> 10) & 31);
  const sorted = opaque.map((c, i) => ({ c, i })).sort((a, b) => luminance(b.c) - luminance(a.c) || a.i - b.i).map((e) => e.c);
  return [...palette.slice(0, start), ...sorted];
}
