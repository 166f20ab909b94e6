/**
 * What a thumbnail request is, its checks, and its cache key.
 *
 * A request names the ROM by content (sha1 of the ROM data) and carries the path only as the
 * place to find those bytes: two copies of one ROM share cache entries, and an edited ROM at the
 * same path never serves a stale thumbnail (the worker checks the identity before decoding).
 */
import { ThumbnailRequestError } from '../errors.js';
import { sha256Hex } from '../util/hash.js';
import { ENGINE_VERSION } from '../version.js';
import { isPlatform, type Platform } from '../rom/platform.js';
import { arrangementToText, isPaletteFormat, maximumSheetTilesPerRow, paletteFormats, snesObjSizesInPixels, type Arrangement, type PaletteFormat, type PaletteSpec } from '../vocabulary.js';
import { maximumMetatileSideInTiles } from '../gfx/image.js';

export type { PaletteSpec } from '../vocabulary.js';

/** The most tiles one thumbnail shows (64 KiB of 4bpp data, a 128×1024 sheet at 16 per row). */
export const maximumTilesPerThumbnail = 4096;
/** The largest integer scale factor. */
export const maximumScaleFactor = 16;
/** The longest side of an output image, in pixels (scale or fit box). */
export const maximumOutputSideInPixels = 8192;
/** The most pixels in one output image (16 Mpx: 16 MiB of indices, 64 MiB of RGBA for WebP). */
export const maximumOutputPixelCount = 16 * 1024 * 1024;
/** The most colours in an explicit palette (8bpp). */
export const maximumPaletteColorCount = 256;
/** The widest sheet, in tiles per row. */
export const maximumTilesPerRow = maximumSheetTilesPerRow;
/** Tiles per row when the request does not say (a 128-pixel-wide sheet, the tile-editor convention). */
export const defaultTilesPerRow = 16;

/** Where a ROM is and what it must be: the identity decides cache keys, the path only finds the bytes. */
export interface RomRef {
  /** Path to the ROM file (each worker maps it itself). */
  readonly path: string;
  /** SHA-1 of the ROM data (after any copier header), lowercase hex: `Rom.identity().sha1`. */
  readonly sha1: string;
  /** The platform the ROM was opened as when `sha1` was taken (absent: identified from its header). */
  readonly platform?: Platform;
}

/**
 * The spellings of an arrangement older requests used: sheet orders `row` / `column`, and
 * metatile layouts as text (`{ kind: 'layout', layout: 'block:2x2' }`, also `snes-obj:16x32`).
 * @deprecated Use `Arrangement` (src/vocabulary.ts), the game definitions' spelling:
 * `{ kind: 'block', width: 2, height: 2 }`, `{ kind: 'snes-obj', size: 16 }`, `{ kind: 'gb-8x16' }`,
 * `order: 'row-major' | 'column-major'`. Still read, and drawn the same.
 */
export type LegacyArrangementSpec =
  | { readonly kind: 'sheet'; readonly tilesPerRow?: number; readonly order?: 'row' | 'column' }
  | { readonly kind: 'layout'; readonly layout: string };

/**
 * How the tiles of a block are laid out: an `Arrangement` (the shared vocabulary), or a
 * deprecated `LegacyArrangementSpec` spelling.
 */
export type ArrangementSpec = Arrangement | LegacyArrangementSpec;

/** The tiles a thumbnail shows: where they are, their format and codec, and how many. */
export interface BlockSpec {
  /** ROM offset of the block (of the packed stream when `codec` is set). */
  readonly offset: number;
  /** Tile format name as src/gfx knows it (`snes4bpp`, `gb2bpp`, `gba4bpp`, …). */
  readonly format: string;
  /** Number of tiles to show. */
  readonly tiles: number;
  /** Codec name as src/codecs knows it; absent for raw (uncompressed) data. */
  readonly codec?: string;
  readonly arrangement?: ArrangementSpec;
}

/**
 * A ROM palette as older requests spelled it, with `encoding` for `format`.
 * @deprecated Use `{ kind: 'rom', offset, format, count }` (`PaletteSpec`); still read.
 */
export interface LegacyRomPaletteSpec {
  readonly kind: 'rom';
  readonly offset: number;
  readonly encoding: PaletteFormat;
  readonly count: number;
}

/**
 * The colours a request may give: a `PaletteSpec` (the shared vocabulary) or the deprecated
 * `LegacyRomPaletteSpec` spelling.
 */
export type RequestPaletteSpec = PaletteSpec | LegacyRomPaletteSpec;

/**
 * How colours are stored in the ROM.
 * @deprecated The same list as `PaletteFormat` (src/vocabulary.ts); use that name.
 */
export type PaletteEncoding = PaletteFormat;
/**
 * Every palette format.
 * @deprecated The same list as `paletteFormats` (src/vocabulary.ts); use that name.
 */
export const paletteEncodings: readonly PaletteEncoding[] = paletteFormats;

/** The image formats a thumbnail can be encoded as. */
export type ThumbnailFormat = 'png' | 'webp';

/** How a thumbnail is scaled and encoded. */
export interface OutputSpec {
  /** Integer nearest-neighbour scale (default 1). Exclusive with `fit`. */
  readonly scale?: number;
  /** Fit into this box: the largest integer scale that fits, or the smallest integer shrink. */
  readonly fit?: { readonly width: number; readonly height: number };
  readonly format?: ThumbnailFormat;
}

/** One thumbnail to render: which ROM, which block, which palette, what output. */
export interface ThumbnailRequest {
  readonly rom: RomRef;
  readonly block: BlockSpec;
  readonly palette?: RequestPaletteSpec;
  readonly output?: OutputSpec;
}

/** A request with every default filled in and every field checked: what the worker and the key see. */
export interface NormalizedRequest {
  readonly rom: RomRef;
  readonly block: { offset: number; format: string; tiles: number; codec: string | null; arrangement: NormalizedArrangement };
  readonly palette: PaletteSpec;
  readonly output: { scale: number | null; fit: { width: number; height: number } | null; format: ThumbnailFormat };
}

export type NormalizedArrangement = { kind: 'sheet'; tilesPerRow: number; order: 'row' | 'column' } | { kind: 'layout'; layout: string };

const sha1Pattern = /^[0-9a-f]{40}$/u;
const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/u;

function checkInteger(field: string, value: unknown, minimum: number, maximum: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum || value > maximum) {
    throw new ThumbnailRequestError(field, `must be an integer from ${minimum} to ${maximum} (got ${JSON.stringify(value)})`, { value });
  }
  return value;
}

function checkFormat(field: string, value: unknown): PaletteFormat {
  if (!isPaletteFormat(value)) throw new ThumbnailRequestError(field, `must be one of ${paletteFormats.join(', ')} (got ${JSON.stringify(value)})`);
  return value;
}

function checkName(field: string, value: unknown): string {
  if (typeof value !== 'string' || !namePattern.test(value)) {
    throw new ThumbnailRequestError(field, `must be a format or codec name such as "snes4bpp" (got ${JSON.stringify(value)})`, { value });
  }
  return value;
}

/** Checks every field and fills defaults. Throws ThumbnailRequestError naming the bad field. */
export function normalizeRequest(request: ThumbnailRequest): NormalizedRequest {
  if (request === null || typeof request !== 'object') throw new ThumbnailRequestError('request', 'must be an object');
  const rom = normalizeRom(request.rom);
  const block = request.block;
  if (!block || typeof block !== 'object') throw new ThumbnailRequestError('block', 'must be an object');
  const offset = checkInteger('block.offset', block.offset, 0, Number.MAX_SAFE_INTEGER);
  const format = checkName('block.format', block.format);
  const tiles = checkInteger('block.tiles', block.tiles, 1, maximumTilesPerThumbnail);
  const codec = block.codec === undefined || block.codec === null || block.codec === 'none' ? null : checkName('block.codec', block.codec);
  const arrangement = normalizeArrangement(block.arrangement, tiles);

  const palette = normalizePalette(request.palette);

  const output = request.output ?? {};
  if (output.scale !== undefined && output.fit !== undefined) throw new ThumbnailRequestError('output', 'give scale or fit, not both');
  const scale = output.scale === undefined ? (output.fit === undefined ? 1 : null) : checkInteger('output.scale', output.scale, 1, maximumScaleFactor);
  const fit =
    output.fit === undefined
      ? null
      : {
          width: checkInteger('output.fit.width', output.fit.width, 1, maximumOutputSideInPixels),
          height: checkInteger('output.fit.height', output.fit.height, 1, maximumOutputSideInPixels),
        };
  const outFormat = output.format ?? 'png';
  if (outFormat !== 'png' && outFormat !== 'webp') throw new ThumbnailRequestError('output.format', `must be png or webp (got ${JSON.stringify(outFormat)})`);
  return {
    rom,
    block: { offset, format, tiles, codec, arrangement },
    palette,
    output: { scale, fit, format: outFormat },
  };
}

/**
 * The last ROM reference normalized, and what it gave: a batch names one ROM many times, and its
 * sha1 pattern test was a visible part of a memory hit. Reused only while the caller's object
 * still holds the same values (it may have been changed in place); normalized requests are
 * never modified, so sharing the result is safe.
 */
let lastRomInput: RomRef | null = null;
let lastRomValues: [string, string, string | undefined] = ['', '', undefined];
let lastRom: RomRef | null = null;

function normalizeRom(rom: RomRef | undefined): RomRef {
  if (rom === lastRomInput && rom !== null && rom.path === lastRomValues[0] && rom.sha1 === lastRomValues[1] && rom.platform === lastRomValues[2]) return lastRom!;
  if (!rom || typeof rom.path !== 'string' || rom.path.length === 0) throw new ThumbnailRequestError('rom.path', 'must be a non-empty path');
  if (typeof rom.sha1 !== 'string' || !sha1Pattern.test(rom.sha1)) throw new ThumbnailRequestError('rom.sha1', 'must be 40 lowercase hex digits', { value: rom.sha1 });
  if (rom.platform !== undefined && (typeof rom.platform !== 'string' || !isPlatform(rom.platform))) {
    throw new ThumbnailRequestError('rom.platform', `unknown platform ${JSON.stringify(rom.platform)}`);
  }
  const normalized: RomRef = rom.platform === undefined ? { path: rom.path, sha1: rom.sha1 } : { path: rom.path, sha1: rom.sha1, platform: rom.platform };
  lastRomInput = rom;
  lastRomValues = [rom.path, rom.sha1, rom.platform];
  lastRom = normalized;
  return normalized;
}

const layoutPattern = /^(snes-obj:\d{1,3}x\d{1,3}|block:\d{1,2}x\d{1,2}|gb-8x16)$/u;

function normalizeArrangement(arrangement: ArrangementSpec | undefined, tiles: number): NormalizedArrangement {
  if (arrangement === undefined) return { kind: 'sheet', tilesPerRow: Math.min(defaultTilesPerRow, tiles), order: 'row' };
  if (arrangement === null || typeof arrangement !== 'object') throw new ThumbnailRequestError('block.arrangement', 'must be an object');
  switch (arrangement.kind) {
    case 'sheet': {
      // `row-major` / `column-major` (the vocabulary); `row` / `column` (deprecated) are read too.
      const order = arrangement.order ?? 'row-major';
      if (order !== 'row-major' && order !== 'column-major' && order !== 'row' && order !== 'column') {
        throw new ThumbnailRequestError('block.arrangement.order', `must be row-major or column-major (got ${JSON.stringify(order)})`);
      }
      // Without a width, a sheet never gets more columns than tiles: 3 tiles are a 3-tile-wide
      // image. A width the request gives is kept, padding and all, as extract draws the same
      // arrangement (a definition's sprite thumbnail is its extracted PNG).
      const tilesPerRow =
        arrangement.tilesPerRow === undefined ? Math.min(defaultTilesPerRow, tiles) : checkInteger('block.arrangement.tilesPerRow', arrangement.tilesPerRow, 1, maximumTilesPerRow);
      return { kind: 'sheet', tilesPerRow, order: order === 'column-major' || order === 'column' ? 'column' : 'row' };
    }
    // The canonical kinds become the layout text src/gfx draws (and the cache key has always
    // held), so a request and its deprecated spelling share cache entries.
    case 'snes-obj':
      if (!(snesObjSizesInPixels as readonly unknown[]).includes(arrangement.size)) {
        throw new ThumbnailRequestError('block.arrangement.size', `must be 16, 32 or 64 (pixels) (got ${JSON.stringify(arrangement.size)})`);
      }
      return { kind: 'layout', layout: arrangementToText(arrangement) };
    case 'gb-8x16':
      return { kind: 'layout', layout: 'gb-8x16' };
    case 'block':
      checkInteger('block.arrangement.width', arrangement.width, 1, maximumMetatileSideInTiles);
      checkInteger('block.arrangement.height', arrangement.height, 1, maximumMetatileSideInTiles);
      return { kind: 'layout', layout: arrangementToText(arrangement) };
    case 'layout':
      // Deprecated spelling. The layout's own limits are checked by src/gfx (parseMetatileLayout) where it is used.
      if (typeof arrangement.layout !== 'string' || !layoutPattern.test(arrangement.layout)) {
        throw new ThumbnailRequestError('block.arrangement.layout', `must be snes-obj:WxH (pixels), gb-8x16 or block:WxH (tiles) (got ${JSON.stringify(arrangement.layout)})`);
      }
      return { kind: 'layout', layout: arrangement.layout };
    default:
      throw new ThumbnailRequestError('block.arrangement.kind', `unknown arrangement ${JSON.stringify((arrangement as { kind?: unknown }).kind)}; known: sheet, snes-obj, gb-8x16, block`);
  }
}

/** The last caller's colour array normalized, and the palette it gave (see normalizePalette). */
let lastColorsInput: readonly number[] | null = null;
let lastColorsPalette: (PaletteSpec & { kind: 'colors' }) | null = null;

function sameColors(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function normalizePalette(palette: RequestPaletteSpec | undefined): PaletteSpec {
  if (palette === undefined) return { kind: 'grayscale' };
  switch (palette.kind) {
    case 'grayscale':
      return { kind: 'grayscale' };
    case 'colors': {
      if (!Array.isArray(palette.colors) || palette.colors.length === 0 || palette.colors.length > maximumPaletteColorCount) {
        throw new ThumbnailRequestError('palette.colors', `must hold 1 to ${maximumPaletteColorCount} colours`);
      }
      // The same array with the same colours as last time (a batch shares one palette): the
      // same normalized palette. Compared value by value: the caller may have changed it in place.
      if (palette.colors === lastColorsInput && sameColors(palette.colors, lastColorsPalette!.colors)) return lastColorsPalette!;
      // Checked in a plain loop: the field name is built only for the error (this runs on every request, hits included).
      const colors = palette.colors.slice();
      for (let i = 0; i < colors.length; i++) {
        const c = colors[i];
        if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0 || c > 0xffffff) checkInteger(`palette.colors[${i}]`, c, 0, 0xffffff);
      }
      const normalized: PaletteSpec & { kind: 'colors' } = { kind: 'colors', colors };
      lastColorsInput = palette.colors;
      lastColorsPalette = normalized;
      return normalized;
    }
    case 'rom': {
      // `format` (the vocabulary) or `encoding` (deprecated): one of them.
      const legacy = 'encoding' in palette && palette.encoding !== undefined;
      if (legacy && 'format' in palette && (palette as { format?: unknown }).format !== undefined) throw new ThumbnailRequestError('palette.format', 'give format, not both format and encoding (deprecated)');
      return {
        kind: 'rom',
        offset: checkInteger('palette.offset', palette.offset, 0, Number.MAX_SAFE_INTEGER),
        format: legacy ? checkFormat('palette.encoding', (palette as LegacyRomPaletteSpec).encoding) : checkFormat('palette.format', (palette as { format?: unknown }).format),
        count: checkInteger('palette.count', palette.count, 1, maximumPaletteColorCount),
      };
    }
    default:
      throw new ThumbnailRequestError('palette.kind', `unknown palette kind ${JSON.stringify((palette as { kind?: unknown }).kind)}; known: grayscale, colors, rom`);
  }
}

/**
 * The canonical text of a request: everything that decides its bytes — the engine version, the
 * ROM identity, the block, the palette and the output settings — and nothing else (not the
 * path). Field order is fixed here, so equal requests always give equal text. Its SHA-256 is the
 * disk key; the memory level keys on a number that stands for it (memory-key.ts).
 */
export function canonicalRequest(request: NormalizedRequest): string {
  // The text around the block offset is the same for every block of a variant (sameVariant), and
  // a batch is one or a few variants at many offsets: the two halves are kept for the last few
  // variants, and a request's text is head + offset + tail. Building the whole text was 1.2 KiB
  // of garbage and ~1 µs per cold thumbnail on the main thread (measured here).
  for (let i = 0; i < recentCanonicalVariants; i++) {
    const known = recentCanonical[i];
    if (known !== undefined && sameVariant(request, known.request)) return known.head + request.block.offset + known.tail;
  }
  const { head, tail } = canonicalHalves(request);
  recentCanonical[recentCanonicalNext] = { request, head, tail };
  recentCanonicalNext = (recentCanonicalNext + 1) % recentCanonicalVariants;
  return head + request.block.offset + tail;
}

/** Variants whose canonical halves are kept (a ring), as memory-key.ts compares its last few. */
const recentCanonicalVariants = 4;
const recentCanonical: ({ request: NormalizedRequest; head: string; tail: string } | undefined)[] = new Array(recentCanonicalVariants);
let recentCanonicalNext = 0;

/** The canonical text before and after the block offset. */
function canonicalHalves(request: NormalizedRequest): { head: string; tail: string } {
  // The same text as canonicalRequestReference, built by concatenation: JSON.stringify of the
  // nested arrays was most of a memory hit's cost (1.05 µs of ~3.5 µs per request, measured here).
  // Strings go through JSON.stringify, so the text stays exactly JSON; a test holds the two equal.
  const { block, palette, output } = request;
  const arrangement = block.arrangement;
  const arrangementText = arrangement.kind === 'sheet' ? `["sheet",${arrangement.tilesPerRow},${JSON.stringify(arrangement.order)}]` : `["layout",${JSON.stringify(arrangement.layout)}]`;
  const paletteText =
    palette.kind === 'grayscale' ? '["grayscale"]' : palette.kind === 'colors' ? `["colors",[${palette.colors.join(',')}]]` : `["rom",${palette.offset},${JSON.stringify(palette.format)},${palette.count}]`;
  const outputText = `[${output.scale === null ? 'null' : output.scale},${output.fit ? `[${output.fit.width},${output.fit.height}]` : 'null'},${JSON.stringify(output.format)}]`;
  return {
    head: `${canonicalPrefix}${JSON.stringify(request.rom.sha1)},[`,
    tail: `,${JSON.stringify(block.format)},${block.tiles},${block.codec === null ? 'null' : JSON.stringify(block.codec)},${arrangementText}],${paletteText},${outputText}]`,
  };
}

/**
 * Bumped when the pixels a request gives change while ENGINE_VERSION does not, so a disk cache
 * made before never serves the old image (2: Game Boy grayscale is light-first, as `extract`).
 */
const thumbnailRenderRevision = 2;

const canonicalPrefix = `["romgfx-thumb",${JSON.stringify(ENGINE_VERSION)},${thumbnailRenderRevision},`;

/** The canonical text by its definition: JSON of the fields in a fixed order (canonicalRequest must equal it). */
export function canonicalRequestReference(request: NormalizedRequest): string {
  const { block, palette, output } = request;
  return JSON.stringify([
    'romgfx-thumb',
    ENGINE_VERSION,
    thumbnailRenderRevision,
    request.rom.sha1,
    [block.offset, block.format, block.tiles, block.codec, block.arrangement.kind === 'sheet' ? ['sheet', block.arrangement.tilesPerRow, block.arrangement.order] : ['layout', block.arrangement.layout]],
    palette.kind === 'grayscale' ? ['grayscale'] : palette.kind === 'colors' ? ['colors', palette.colors] : ['rom', palette.offset, palette.format, palette.count],
    [output.scale, output.fit ? [output.fit.width, output.fit.height] : null, output.format],
  ]);
}

/** The content address of a thumbnail on disk: SHA-256 of its canonical text. */
export function cacheKey(request: NormalizedRequest): string {
  return sha256Hex(canonicalRequest(request));
}

/** Whether two requests differ at most in their block offset: the fields of canonicalRequest, compared one by one (memory keys, packed batches and canonicalRequest's own halves rely on it). */
export function sameVariant(a: NormalizedRequest, b: NormalizedRequest): boolean {
  if (a.rom.sha1 !== b.rom.sha1) return false;
  const ab = a.block;
  const bb = b.block;
  if (ab.format !== bb.format || ab.tiles !== bb.tiles || ab.codec !== bb.codec) return false;
  const aa = ab.arrangement;
  const ba = bb.arrangement;
  if (aa.kind === 'sheet') {
    if (ba.kind !== 'sheet' || aa.tilesPerRow !== ba.tilesPerRow || aa.order !== ba.order) return false;
  } else if (ba.kind !== 'layout' || aa.layout !== ba.layout) return false;
  const ao = a.output;
  const bo = b.output;
  if (ao.scale !== bo.scale || ao.format !== bo.format) return false;
  if (ao.fit === null ? bo.fit !== null : bo.fit === null || ao.fit.width !== bo.fit.width || ao.fit.height !== bo.fit.height) return false;
  const ap = a.palette;
  const bp = b.palette;
  switch (ap.kind) {
    case 'grayscale':
      return bp.kind === 'grayscale';
    case 'rom':
      return bp.kind === 'rom' && ap.offset === bp.offset && ap.format === bp.format && ap.count === bp.count;
    case 'colors':
      return bp.kind === 'colors' && sameColors(ap.colors, bp.colors);
  }
}
