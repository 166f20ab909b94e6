/**
 * Thumbnail requests from what the other layers describe: a game definition's sprites
 * (`thumbnailRequestsForDefinition`, used by `thumbs --defs` and editors) and a scanner's
 * candidates (`thumbnailRequestForCandidate`, used by scan contact sheets and `thumbs
 * --scan-results`). The definition conversion is the only one in the code base. Each request draws exactly the
 * picture `extract-all` writes for the sprite — the same block (pointers followed), tile count,
 * arrangement and colours — so a thumbnail is a preview of the PNG an artist will edit.
 *
 * Definitions and thumbnails share the arrangement vocabulary (src/vocabulary.ts), so the
 * arrangement passes through as written. Colours follow `resolveSpritePalette`, extract's rule:
 * a ROM palette stays a `rom` palette when its colours cover every index; palettes padded to the
 * bit depth, palette files, CGRAM rows and the default grayscale become explicit `colors`.
 */
import { matchDefinition, resolveDefLocation, romFacts } from '../defs/match.js';
import type { GameDefinition } from '../defs/types.js';
import { isRomgfxError, ThumbnailRequestError } from '../errors.js';
import { defaultTilesPerRow } from '../gfx/image.js';
import type { Palette } from '../gfx/palette.js';
import { decodeSpriteBlock, resolveEachSprite, resolveSpritePalette, type ResolvedSprite } from '../inject/sprites.js';
import type { Rom } from '../rom/rom.js';
import type { ScanCandidate } from '../scan/types.js';
import { getTileFormat } from '../gfx/formats.js';
import { platformPaletteFormat, type Arrangement, type PaletteSpec } from '../vocabulary.js';
import { maximumTilesPerThumbnail, type BlockSpec, type OutputSpec, type RomRef, type ThumbnailRequest } from './request.js';

/** What `thumbnailRequestsForDefinition` may be told beyond the ROM and the definition. */
export interface DefinitionThumbnailOptions {
  /**
   * The ROM as the requests name it (`ThumbnailService.rom(path)` gives one). Default: the
   * ROM's own name as the path, its identity's SHA-1 and its platform.
   */
  romRef?: RomRef;
  /** Definition variant id (default: the one that recognises the ROM, else the definition's defaults). */
  variant?: string;
  /** Colours for every sprite instead of the definition's (the CLI's `--palette`). */
  palette?: PaletteSpec;
  /** CGRAM / palette RAM for `{ cgram: n }` palettes (as `extract-all --cgram`); without it they are grayscale, as extract draws them. */
  cgram?: Palette;
  /** How every thumbnail is scaled and encoded (default: the request default, PNG at scale 1). */
  output?: OutputSpec;
}

/** One sprite's thumbnail request. */
export interface SpriteThumbnailRequest {
  /** The sprite's name in the definition. */
  sprite: string;
  request: ThumbnailRequest;
  /** Whether colour 0 is see-through (the definition's `kind` is `sprite`), as extract's PNG marks it. */
  transparentIndex0: boolean;
  /** The sprite's tiles; more than the request shows when it passes `maximumTilesPerThumbnail`. */
  tileCount: number;
}

/** A sprite that cannot become a request (bad offset, unreadable block or palette), with why. */
export interface SpriteThumbnailProblem {
  sprite: string;
  error: Error;
}

/** Every sprite of a definition as a request, or as a problem: one bad sprite does not stop the rest. */
export interface DefinitionThumbnailRequests {
  /** The variant whose offsets were used (null: none recognised the ROM, the defaults were). */
  variant: string | null;
  requests: SpriteThumbnailRequest[];
  problems: SpriteThumbnailProblem[];
}

/**
 * Turns a definition's sprites into thumbnail requests for `ThumbnailService`, in definition
 * order. Reads the ROM only for what a request must name: the pointers to each block, the
 * colours (to decide between `rom` and `colors`), and the size of a compressed block whose
 * definition gives neither a tile count nor a byte length (it is decompressed once to count).
 */
export function thumbnailRequestsForDefinition(rom: Rom, definition: GameDefinition, options: DefinitionThumbnailOptions = {}): DefinitionThumbnailRequests {
  const variant = options.variant ?? matchDefinition([definition], romFacts(rom))?.variant.id;
  const romRef: RomRef = options.romRef ?? { path: rom.name, sha1: rom.identity().sha1, platform: rom.platform };
  const requests: SpriteThumbnailRequest[] = [];
  const problems: SpriteThumbnailProblem[] = [];
  for (const resolution of resolveEachSprite(rom, definition, variant)) {
    if (!resolution.ok) {
      problems.push({ sprite: resolution.name, error: resolution.error });
      continue;
    }
    const sprite = resolution.sprite;
    try {
      const tileCount = spriteTileCount(rom, sprite);
      const codec = sprite.codec === 'none' ? undefined : sprite.codec;
      const block: BlockSpec = {
        offset: sprite.offset,
        format: sprite.format.name,
        tiles: Math.min(tileCount, maximumTilesPerThumbnail),
        ...(codec !== undefined ? { codec } : {}),
        arrangement: arrangementAsExtracted(sprite.def.arrangement),
      };
      const palette = options.palette ?? spritePalette(rom, definition, sprite, options.cgram);
      const request: ThumbnailRequest = { rom: romRef, block, palette, ...(options.output ? { output: options.output } : {}) };
      requests.push({ sprite: sprite.name, request, transparentIndex0: sprite.def.kind === 'sprite', tileCount });
    } catch (error) {
      if (!isRomgfxError(error)) throw error;
      problems.push({ sprite: sprite.name, error });
    }
  }
  return { variant: variant ?? null, requests, problems };
}

/** The tiles extract takes: the definition's count, else its byte length's, else the decoded block's. */
function spriteTileCount(rom: Rom, sprite: ResolvedSprite): number {
  const bytesPerTile = sprite.format.bytesPerTile;
  const declared = sprite.def.tileCount ?? (sprite.def.byteLength !== undefined ? Math.floor(sprite.def.byteLength / bytesPerTile) : undefined);
  const tileCount = declared ?? decodeSpriteBlock(rom.data, sprite, rom.name).tileCount;
  if (tileCount < 1) throw new ThumbnailRequestError('block.tiles', `sprite "${sprite.name}" holds less than one ${sprite.format.name} tile`);
  return tileCount;
}

/**
 * The arrangement as extract draws it: a sheet names its width (extract's 16 when the definition
 * gives none), because a request without one is cropped to its tiles and extract's is not.
 */
function arrangementAsExtracted(arrangement: Arrangement | undefined): Arrangement {
  if (arrangement && arrangement.kind !== 'sheet') return arrangement;
  return { kind: 'sheet', tilesPerRow: arrangement?.tilesPerRow ?? defaultTilesPerRow, ...(arrangement?.order ? { order: arrangement.order } : {}) };
}

/** The sprite's colours by extract's rule (`resolveSpritePalette`), as a `rom` palette when that reads the same colours. */
function spritePalette(rom: Rom, definition: GameDefinition, sprite: ResolvedSprite, cgram: Palette | undefined): PaletteSpec {
  const resolved = resolveSpritePalette(rom, definition, sprite, cgram ? { cgram } : {});
  const source = sprite.def.palette;
  if (resolved.source === 'rom' && source && 'rom' in source) {
    const count = source.count ?? Math.min(1 << sprite.format.bpp, 256);
    const format = source.format ?? platformPaletteFormat(rom.platform);
    // Padded to the bit depth (fewer colours than indices) or a BGP byte's four shades: the colours themselves.
    const decodedCount = format === 'gb-bgp' ? 4 : count;
    if (resolved.palette.count === decodedCount) return { kind: 'rom', offset: resolveDefLocation(source.rom, rom), format, count };
  }
  const colors: number[] = new Array<number>(resolved.palette.count);
  const rgb = resolved.palette.rgb;
  for (let i = 0; i < colors.length; i++) colors[i] = (rgb[i * 3]! << 16) | (rgb[i * 3 + 1]! << 8) | rgb[i * 3 + 2]!;
  return { kind: 'colors', colors };
}

/** What `thumbnailRequestForCandidate` adds to a candidate's block. */
export interface CandidateThumbnailOptions {
  arrangement?: Arrangement;
  palette?: PaletteSpec;
  output?: OutputSpec;
}

/**
 * A scanner candidate as a thumbnail request: its block at its offset, in its best format, with
 * as many whole tiles as its unpacked bytes hold (at most `maximumTilesPerThumbnail`). `raw`
 * candidates have no codec. Throws ThumbnailRequestError when the block is less than one tile.
 */
export function thumbnailRequestForCandidate(candidate: Pick<ScanCandidate, 'offset' | 'codec' | 'format' | 'unpackedLength'>, rom: RomRef, options: CandidateThumbnailOptions = {}): ThumbnailRequest {
  const format = getTileFormat(candidate.format);
  const tiles = Math.min(maximumTilesPerThumbnail, Math.floor(candidate.unpackedLength / format.bytesPerTile));
  if (tiles < 1) throw new ThumbnailRequestError('block.tiles', `${candidate.unpackedLength} bytes is less than one ${format.name} tile`, { offset: candidate.offset });
  const codec = candidate.codec === 'raw' || candidate.codec === 'none' ? undefined : candidate.codec;
  const block: BlockSpec = { offset: candidate.offset, format: format.name, tiles, ...(codec !== undefined ? { codec } : {}), ...(options.arrangement ? { arrangement: options.arrangement } : {}) };
  return { rom, block, ...(options.palette ? { palette: options.palette } : {}), ...(options.output ? { output: options.output } : {}) };
}
