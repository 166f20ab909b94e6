/**
 * A contact sheet of scan candidates: each candidate rendered by the thumbnail engine (its
 * worker pool decompresses and decodes the block), fitted into a cell, laid out in a grid with
 * a caption under each cell (offset, codec, format, score), as one PNG a person can take in at
 * a glance. Composition and captions are sharp's (the captions are SVG text).
 */
import { IoError, ScanOptionError, isRomgfxError } from '../errors.js';
import { getTileFormat } from '../gfx/index.js';
import { ThumbnailService } from '../thumbs/service.js';
import type { ThumbnailRequest } from '../thumbs/request.js';
import { thumbnailRequestForCandidate } from '../thumbs/requests-from.js';
import type { Platform } from '../rom/platform.js';
import type { ScanCandidate } from './types.js';

/** The most candidates one sheet shows. */
export const maximumSheetCandidates = 256;
export const defaultSheetCandidates = 24;
/** Cell size in pixels: 128×128 image area (16 tiles across at 1×) and a caption strip. */
const cellImageSideInPixels = 128;
const captionHeightInPixels = 14;
const cellGapInPixels = 6;
const sheetColumns = 6;

/** Options of the scanner's `renderContactSheet`. */
export interface ContactSheetOptions {
  /** How many of the (ranked) candidates to show (default 24). */
  count?: number;
  platform?: Platform;
  signal?: AbortSignal;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/gu, (c) => `&#${c.charCodeAt(0)};`);
}

/** Renders the first `count` candidates of the ROM at `romPath` into one PNG. */
export async function renderContactSheet(romPath: string, candidates: readonly ScanCandidate[], options: ContactSheetOptions = {}): Promise<Uint8Array> {
  const count = options.count ?? defaultSheetCandidates;
  if (!Number.isSafeInteger(count) || count < 1 || count > maximumSheetCandidates) {
    throw new ScanOptionError('sheet count', `must be an integer from 1 to ${maximumSheetCandidates} (got ${count})`);
  }
  // Tile blocks only: a tilemap or palette has no tile format to draw it with.
  const shown = candidates.filter((c) => c.kind === 'tiles').slice(0, count);
  if (shown.length === 0) throw new ScanOptionError('sheet', 'there are no candidates to show');
  const service = new ThumbnailService({ diskCache: false, instrumentation: false, threads: 2 });
  try {
    const rom = service.rom(romPath, options.platform === undefined ? {} : { platform: options.platform });
    // A candidate smaller than one tile (a scan with a tiny minimum size) still gets its cell: one tile.
    const requests: ThumbnailRequest[] = shown.map((c) =>
      thumbnailRequestForCandidate({ ...c, unpackedLength: Math.max(c.unpackedLength, getTileFormat(c.format).bytesPerTile) }, rom, { output: { fit: { width: cellImageSideInPixels, height: cellImageSideInPixels } } }),
    );
    const outcomes = await service.renderMany(requests, options.signal ? { signal: options.signal } : {});
    const sharp = (await import('sharp')).default;
    const columns = Math.min(sheetColumns, shown.length);
    const rows = Math.ceil(shown.length / columns);
    const cellWidth = cellImageSideInPixels + cellGapInPixels;
    const cellHeight = cellImageSideInPixels + captionHeightInPixels + cellGapInPixels;
    const width = columns * cellWidth + cellGapInPixels;
    const height = rows * cellHeight + cellGapInPixels;
    const layers: { input: Buffer; left: number; top: number }[] = [];
    const captions: string[] = [];
    outcomes.forEach((outcome, i) => {
      const c = shown[i]!;
      const left = cellGapInPixels + (i % columns) * cellWidth;
      const top = cellGapInPixels + Math.floor(i / columns) * cellHeight;
      if (outcome.ok) layers.push({ input: Buffer.from(outcome.thumbnail.bytes), left, top });
      const label = `${c.offset.toString(16).toUpperCase()} ${c.codec} ${c.format} ${c.score.toFixed(2).slice(1)}${outcome.ok ? '' : ' (failed)'}`;
      captions.push(`<text x="${left}" y="${top + cellImageSideInPixels + captionHeightInPixels - 3}">${escapeXml(label)}</text>`);
    });
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><style>text{font:9px monospace;fill:#e0e0e0}</style>${captions.join('')}</svg>`;
    layers.push({ input: Buffer.from(svg), left: 0, top: 0 });
    const png = await sharp({ create: { width, height, channels: 4, background: { r: 32, g: 32, b: 40, alpha: 1 } } })
      .composite(layers)
      .png()
      .toBuffer();
    return new Uint8Array(png.buffer, png.byteOffset, png.length);
  } catch (error) {
    if (isRomgfxError(error)) throw error;
    throw new IoError(`cannot compose the contact sheet: ${(error as Error).message}`, { rom: romPath }, { cause: error });
  } finally {
    await service.close();
  }
}
