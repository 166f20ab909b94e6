/**
 * Where thumbnail requests come from: `--block` specs, a scanner's results file, or a game
 * definition. Each item gets a stable file name; items that cannot become a request (a sprite
 * with no tile count, a CGRAM palette) are returned as problems, not thrown, so the rest still run.
 */
import { InvalidArgumentError, UsageError } from '../errors.js';
import { getTileFormat } from '../gfx/formats.js';
import { parsePaletteFile } from '../gfx/palette.js';
import { readFileBytes } from '../rom/source.js';
import type { Rom } from '../rom/rom.js';
import type { GameDefinition } from '../defs/types.js';
import { isPaletteFormat, paletteFormats, type PaletteFormat } from '../vocabulary.js';
import { thumbnailRequestForCandidate, thumbnailRequestsForDefinition } from './requests-from.js';
import { hex } from '../errors.js';
import { maximumTilesPerThumbnail, type ArrangementSpec, type PaletteSpec, type RomRef, type ThumbnailRequest } from './request.js';

/** The largest scan-results file read: 64 MiB of JSON (a million findings). */
export const maximumScanResultsSizeInBytes = 64 * 1024 * 1024;
/** Most findings taken from one scan-results file. */
export const maximumScanResults = 100_000;
/** Palette files are small; anything bigger is not one. */
export const maximumPaletteFileSizeInBytes = 1024 * 1024;

/** One thumbnail to make, with the file name (no extension) to save it under. */
export interface ThumbnailItem {
  name: string;
  request: ThumbnailRequest;
}

export interface ItemProblem {
  name: string;
  message: string;
}

export interface ItemList {
  items: ThumbnailItem[];
  problems: ItemProblem[];
}

/** File-name-safe item names: letters, digits, dot, dash, underscore. */
function safeName(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/gu, '_').replace(/^[._]+/u, '');
  return cleaned.length > 0 ? cleaned.slice(0, 120) : 'item';
}

function blockName(offset: number, format: string, codec: string | undefined): string {
  return `${offset.toString(16).toUpperCase().padStart(6, '0')}-${format}${codec ? '-' + codec : ''}`;
}

/**
 * `<offset>:<format>:<tiles>[:<codec>]`. The offset is anything `rom.resolveLocation` reads,
 * including bus addresses with a colon (`$C0:1234:snes4bpp:64`): the format is the first field
 * that names a tile format, and everything before it is the offset.
 */
export function parseBlockSpec(text: string, rom: Rom): { offset: number; format: string; tiles: number; codec?: string } {
  const parts = text.split(':');
  const formatIndex = parts.findIndex((part, i) => i > 0 && isTileFormat(part));
  if (formatIndex < 1 || parts.length < formatIndex + 2 || parts.length > formatIndex + 3) {
    throw new UsageError(`--block "${text}": expected <offset>:<format>:<tiles>[:<codec>], e.g. 0x8120:snes4bpp:256 or 0x10000:snes4bpp:64:hal`);
  }
  const offset = rom.resolveLocation(parts.slice(0, formatIndex).join(':'));
  const format = parts[formatIndex]!;
  const tilesText = parts[formatIndex + 1]!;
  if (!/^\d{1,7}$/u.test(tilesText)) throw new UsageError(`--block "${text}": tile count "${tilesText}" is not a whole number`);
  const tiles = Number(tilesText);
  const codec = parts[formatIndex + 2];
  return codec === undefined || codec === 'none' ? { offset, format, tiles } : { offset, format, tiles, codec };
}

function isTileFormat(name: string): boolean {
  try {
    getTileFormat(name);
    return true;
  } catch {
    return false;
  }
}

/** Parses a `--palette` spec: `gray`, `colors:RRGGBB,RRGGBB,…`, or `rom:<offset>:<encoding>[:<count>]`. */
export function parsePaletteSpec(text: string, rom: Rom): PaletteSpec {
  if (text === 'gray' || text === 'grey' || text === 'grayscale') return { kind: 'grayscale' };
  if (text.startsWith('colors:')) {
    const colors = text.slice('colors:'.length).split(',').map((c) => {
      if (!/^#?[0-9a-fA-F]{6}$/u.test(c)) throw new UsageError(`--palette: "${c}" is not a colour RRGGBB`);
      return Number.parseInt(c.replace('#', ''), 16);
    });
    return { kind: 'colors', colors };
  }
  if (text.startsWith('rom:')) {
    const parts = text.slice('rom:'.length).split(':');
    const encodingIndex = parts.findIndex((p, i) => i > 0 && isPaletteFormat(p));
    if (encodingIndex < 1) throw new UsageError(`--palette "${text}": expected rom:<offset>:<encoding>[:<count>] with format one of ${paletteFormats.join(', ')}`);
    const countText = parts[encodingIndex + 1] ?? '16';
    if (!/^\d{1,3}$/u.test(countText)) throw new UsageError(`--palette "${text}": colour count "${countText}" is not a whole number`);
    return { kind: 'rom', offset: rom.resolveLocation(parts.slice(0, encodingIndex).join(':')), format: parts[encodingIndex] as PaletteFormat, count: Number(countText) };
  }
  throw new UsageError(`--palette "${text}": expected gray, colors:RRGGBB,… or rom:<offset>:<encoding>[:<count>]`);
}

/** A palette file (JASC-PAL, GIMP .gpl, Adobe .act, raw BGR555, CGRAM) as explicit colours. */
export function paletteFromFile(path: string): PaletteSpec {
  const palette = parsePaletteFile(readFileBytes(path, maximumPaletteFileSizeInBytes), path);
  const colors: number[] = [];
  for (let i = 0; i < palette.count; i++) colors.push((palette.rgb[i * 3]! << 16) | (palette.rgb[i * 3 + 1]! << 8) | palette.rgb[i * 3 + 2]!);
  return { kind: 'colors', colors };
}

export function itemsFromBlocks(specs: readonly string[], rom: Rom, ref: RomRef, palette: PaletteSpec, arrangement: ArrangementSpec | undefined): ItemList {
  const items = specs.map((text) => {
    const block = parseBlockSpec(text, rom);
    return { name: blockName(block.offset, block.format, block.codec), request: { rom: ref, block: arrangement ? { ...block, arrangement } : block, palette } };
  });
  return { items, problems: [] };
}

/**
 * A scanner's results: an array of `{ offset, packedLength, unpackedLength, codec, format, score }`.
 * The thumbnail shows as many whole tiles as the unpacked data holds (at most the thumbnail limit).
 * Results of another `kind` than `tiles` (a scan's palettes and tilemaps) have no tile format to
 * draw them with and are passed over, as the scan's contact sheet does.
 */
export function itemsFromScanResults(path: string, ref: RomRef, palette: PaletteSpec, arrangement: ArrangementSpec | undefined): ItemList {
  const text = new TextDecoder().decode(readFileBytes(path, maximumScanResultsSizeInBytes));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`${path} is not JSON: ${(error as Error).message}`, { path });
  }
  const list = Array.isArray(json) ? json : (json as { results?: unknown } | null)?.results;
  if (!Array.isArray(list)) throw new InvalidArgumentError(`${path}: expected an array of scan results (or { "results": [...] })`, { path });
  if (list.length > maximumScanResults) throw new InvalidArgumentError(`${path}: ${list.length} results; at most ${maximumScanResults} are read`, { path });
  const items: ThumbnailItem[] = [];
  const problems: ItemProblem[] = [];
  list.forEach((entry: unknown, i) => {
    const where = `${path}[${i}]`;
    const e = (entry ?? {}) as Record<string, unknown>;
    if (e.kind !== undefined && e.kind !== 'tiles') return undefined;
    const offset = e.offset;
    const format = e.format;
    const unpacked = e.unpackedLength;
    const codec = e.codec === null || e.codec === undefined || e.codec === 'none' || e.codec === 'raw' ? undefined : e.codec;
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) return problems.push({ name: where, message: 'offset is not a non-negative integer' });
    if (typeof format !== 'string' || !isTileFormat(format)) return problems.push({ name: where, message: `format ${JSON.stringify(format)} is not a tile format` });
    if (typeof unpacked !== 'number' || !Number.isSafeInteger(unpacked) || unpacked < 1) return problems.push({ name: where, message: 'unpackedLength is not a positive integer' });
    if (codec !== undefined && typeof codec !== 'string') return problems.push({ name: where, message: 'codec is not a string' });
    if (unpacked < getTileFormat(format).bytesPerTile) return problems.push({ name: where, message: `${unpacked} bytes is less than one ${format} tile` });
    const request = thumbnailRequestForCandidate({ offset, format, unpackedLength: unpacked, codec: codec ?? 'raw' }, ref, { palette });
    items.push({ name: blockName(offset, format, codec), request: arrangement ? { ...request, block: { ...request.block, arrangement } } : request });
    return undefined;
  });
  return { items, problems };
}

/**
 * Every sprite of a game definition, at the offsets of the variant the ROM matches (the
 * definition's defaults when none matches), through `thumbnailRequestsForDefinition` (the same
 * pictures `extract-all` writes). `paletteOverride` (from --palette) wins over the definition's palettes.
 */
export function itemsFromDefinition(definition: GameDefinition, rom: Rom, ref: RomRef, paletteOverride: PaletteSpec | undefined): ItemList & { variant: string | null } {
  const converted = thumbnailRequestsForDefinition(rom, definition, { romRef: ref, ...(paletteOverride ? { palette: paletteOverride } : {}) });
  const used = new Set<string>();
  const items = converted.requests.map(({ sprite, request }): ThumbnailItem => {
    let name = safeName(sprite);
    for (let n = 2; used.has(name); n++) name = `${safeName(sprite)}-${n}`;
    used.add(name);
    return { name, request };
  });
  const problems = converted.problems.map(({ sprite, error }): ItemProblem => {
    const def = definition.sprites.find((s) => s.name === sprite);
    return { name: sprite, message: `${error.message}${def ? ` (sprite at ${hex(def.offset.value)})` : ''}` };
  });
  return { items, problems, variant: converted.variant };
}
