/**
 * Validation of what requests carry: query parameters and JSON bodies. Each check throws
 * ServeParameterError naming the parameter, or the engine's own typed error (an unknown format or
 * codec, an unmapped bus address), so the page shows the same message the CLI would.
 */
import { ServeParameterError } from '../errors.js';
import { getTileFormat } from '../gfx/formats.js';
import { getCodec } from '../codecs/registry.js';
import { maximumScaleFactor, maximumTilesPerRow, maximumTilesPerThumbnail, type PaletteSpec, type ThumbnailRequest, type RomRef } from '../thumbs/request.js';
import { parsePaletteSpec } from '../thumbs/sources.js';
import type { Rom } from '../rom/rom.js';
import { scanCodecNames, scanKinds, type ScanCandidate, type ScanCodec, type ScanOptions } from '../scan/types.js';

/** The longest query value accepted, in characters (a palette of 256 colours fits). */
export const maximumParameterLengthInCharacters = 2048;

/** A query value, checked for length; undefined when absent. */
export function optionalParameter(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new ServeParameterError(name, 'given more than once');
  const value = values[0]!;
  if (value.length > maximumParameterLengthInCharacters) throw new ServeParameterError(name, `longer than ${maximumParameterLengthInCharacters} characters`);
  return value;
}

/** A query value that must be present. */
export function requiredParameter(query: URLSearchParams, name: string): string {
  const value = optionalParameter(query, name);
  if (value === undefined || value === '') throw new ServeParameterError(name, 'is required');
  return value;
}

/** A whole number in [minimum, maximum], in decimal. */
export function wholeNumber(name: string, text: string, minimum: number, maximum: number): number {
  if (!/^\d{1,9}$/u.test(text) || Number(text) < minimum || Number(text) > maximum) {
    throw new ServeParameterError(name, `must be a whole number from ${minimum} to ${maximum} (got "${text}")`, { value: text });
  }
  return Number(text);
}

/** The thumbnail request a `/thumbnail` query describes, for this ROM. */
export function thumbnailRequestFromQuery(query: URLSearchParams, rom: Rom, ref: RomRef): ThumbnailRequest {
  const offset = rom.resolveLocation(requiredParameter(query, 'offset'));
  const format = getTileFormat(requiredParameter(query, 'format')).name;
  const tiles = wholeNumber('tiles', requiredParameter(query, 'tiles'), 1, maximumTilesPerThumbnail);
  const codecText = optionalParameter(query, 'codec');
  const codec = codecText === undefined || codecText === '' || codecText === 'none' || codecText === 'raw' ? undefined : getCodec(codecText).name;
  const paletteText = optionalParameter(query, 'palette');
  const palette: PaletteSpec = paletteText === undefined || paletteText === '' ? { kind: 'grayscale' } : parsePaletteSpec(paletteText, rom);
  const scaleText = optionalParameter(query, 'scale');
  const scale = scaleText === undefined ? 1 : wholeNumber('scale', scaleText, 1, maximumScaleFactor);
  const perRowText = optionalParameter(query, 'perRow');
  // No perRow: the thumbnail's own default (16 per row, never wider than the tiles).
  const tilesPerRow = perRowText === undefined ? undefined : wholeNumber('perRow', perRowText, 1, maximumTilesPerRow);
  return {
    rom: ref,
    block: { offset, format, tiles, ...(codec !== undefined ? { codec } : {}), arrangement: tilesPerRow === undefined ? { kind: 'sheet' } : { kind: 'sheet', tilesPerRow } },
    palette,
    output: { scale, format: 'png' },
  };
}

/** A JSON body as an object. */
export function parseJsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new ServeParameterError(what, `is not JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ServeParameterError(what, 'must be a JSON object');
  return value as Record<string, unknown>;
}

/** Scan options from a JSON body: `codecs`, `minimumScore`, `minimumUnpackedSize`, `range: {start, end}` (locations as text). */
export function scanOptionsFromBody(body: Record<string, unknown>, rom: Rom): ScanOptions {
  const options: ScanOptions = {};
  if (body.codecs !== undefined) {
    if (!Array.isArray(body.codecs) || body.codecs.length === 0 || body.codecs.some((c) => typeof c !== 'string' || !(scanCodecNames as readonly string[]).includes(c))) {
      throw new ServeParameterError('codecs', `must be a list of ${scanCodecNames.join(', ')}`);
    }
    options.codecs = body.codecs as ScanCodec[];
  }
  if (body.minimumScore !== undefined) {
    if (typeof body.minimumScore !== 'number' || !(body.minimumScore >= 0 && body.minimumScore <= 1)) throw new ServeParameterError('minimumScore', 'must be a number from 0 to 1');
    options.minimumScore = body.minimumScore;
  }
  if (body.minimumUnpackedSize !== undefined) {
    if (typeof body.minimumUnpackedSize !== 'number' || !Number.isSafeInteger(body.minimumUnpackedSize)) throw new ServeParameterError('minimumUnpackedSize', 'must be a whole number of bytes');
    options.minimumUnpackedSize = body.minimumUnpackedSize;
  }
  if (body.range !== undefined) {
    const range = body.range as { start?: unknown; end?: unknown };
    if (range === null || typeof range !== 'object' || typeof range.start !== 'string' || typeof range.end !== 'string') throw new ServeParameterError('range', 'must be {"start": "<location>", "end": "<location>"}');
    const start = rom.resolveLocation(range.start);
    // The end is exclusive and may be the ROM's size, which resolveLocation would refuse.
    const end = /^\d+$|^0x[0-9a-f]+$/iu.test(range.end) && Number(range.end) === rom.size ? rom.size : rom.resolveLocation(range.end);
    options.range = { start, end };
  }
  if (body.workers !== undefined) {
    if (typeof body.workers !== 'number' || !Number.isSafeInteger(body.workers) || body.workers < 0 || body.workers > 4) throw new ServeParameterError('workers', 'must be a whole number from 0 to 4');
    options.workers = body.workers;
  }
  return options;
}

/** Scan candidates from a JSON body (`candidates`: the objects `/api/scans/{id}` lists), each checked against the ROM. */
export function candidatesFromBody(body: Record<string, unknown>, rom: Rom, maximum: number): ScanCandidate[] {
  const list = body.candidates;
  if (!Array.isArray(list) || list.length === 0) throw new ServeParameterError('candidates', 'must be a non-empty list');
  if (list.length > maximum) throw new ServeParameterError('candidates', `at most ${maximum} (got ${list.length})`);
  return list.map((item: unknown, i): ScanCandidate => {
    const c = item as Partial<ScanCandidate> | null;
    const field = `candidates[${i}]`;
    if (c === null || typeof c !== 'object') throw new ServeParameterError(field, 'must be an object');
    const integer = (name: string, value: unknown, max: number): number => {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) throw new ServeParameterError(`${field}.${name}`, `must be a whole number from 0 to ${max}`);
      return value;
    };
    const offset = integer('offset', c.offset, rom.size - 1);
    const packedLength = integer('packedLength', c.packedLength, rom.size - offset);
    const unpackedLength = integer('unpackedLength', c.unpackedLength, 16 * 1024 * 1024);
    if (typeof c.codec !== 'string' || !(scanCodecNames as readonly string[]).includes(c.codec)) throw new ServeParameterError(`${field}.codec`, `must be one of ${scanCodecNames.join(', ')}`);
    if (typeof c.format !== 'string') throw new ServeParameterError(`${field}.format`, 'must be a tile format name');
    const format = getTileFormat(c.format).name;
    if (typeof c.score !== 'number' || !(c.score >= 0 && c.score <= 1)) throw new ServeParameterError(`${field}.score`, 'must be a number from 0 to 1');
    const kind = c.kind === undefined ? 'tiles' : c.kind;
    if (!(scanKinds as readonly string[]).includes(kind)) throw new ServeParameterError(`${field}.kind`, `must be one of ${scanKinds.join(', ')}`);
    return { offset, packedLength, unpackedLength, codec: c.codec as ScanCodec, format, score: c.score, kind };
  });
}
