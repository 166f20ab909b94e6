/**
 * The sidecar JSON extract-all writes beside each PNG: enough for inject-all to put the sprite
 * back (which sprite, where it was, how it is stored, its palette) and to tell which ROM it came from.
 */
import { SidecarError } from '../errors.js';
import type { Arrangement, CodecName } from '../defs/types.js';
import { maximumNameLengthInCharacters } from '../defs/parse.js';

/** Marks a JSON file as a romgfx sprite sidecar (and its layout version). */
export const sidecarFormat = 'romgfx-sprite/1';
/** A sidecar larger than this is not one romgfx wrote. */
export const maximumSidecarSizeInBytes = 1024 * 1024;

/** The JSON file beside an extracted PNG: which ROM and sprite it came from and how to put it back (`romgfx-sprite/1`). */
export interface SpriteSidecar {
  /** Always `romgfx-sprite/1`: what marks a JSON file as a sidecar. */
  schema: typeof sidecarFormat;
  sprite: string;
  /** The PNG beside it (a file name in the same folder). */
  image: string;
  /** ROM offset of the block, hex ("0x12345"). */
  offset: string;
  /** Canonical bus address, when the platform has one. */
  busAddress?: string;
  codec: CodecName;
  packedLength: number;
  unpackedLength: number;
  /** Tile format name (snes4bpp, gba4bpp, …). */
  format: string;
  tileCount: number;
  arrangement: Arrangement | { kind: 'sheet' };
  palette: { source: string; colours: string[]; transparentIndex0: boolean };
  rom: { crc32: string; sha1: string };
  definition: { id: string; variant: string | null };
  engineVersion: string;
}

function field(path: string, name: string, problem: string): never {
  throw new SidecarError(path, name, problem);
}

const colourPattern = /^#[0-9a-f]{6}$/u;

/** Checks a parsed sidecar (what inject-all reads): the fields it relies on, with types and bounds. */
export function parseSidecar(json: unknown, path: string): SpriteSidecar {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) field(path, '(document)', 'expected a JSON object');
  const o = json as Record<string, unknown>;
  if (o.schema !== sidecarFormat) field(path, 'schema', `expected "${sidecarFormat}", got ${JSON.stringify(o.schema)}`);
  const text = (name: string, maximum: number): string => {
    const v = o[name];
    if (typeof v !== 'string' || v.length === 0 || v.length > maximum) field(path, name, `expected a string of 1-${maximum} characters`);
    return v;
  };
  const integer = (name: string): number => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) field(path, name, `expected a non-negative integer, got ${JSON.stringify(v)}`);
    return v;
  };
  const sprite = text('sprite', maximumNameLengthInCharacters);
  const image = text('image', 255);
  if (image.includes('/') || image.includes('\\') || image === '.' || image === '..') field(path, 'image', 'expected a file name in the same folder, not a path');
  const palette = o.palette as Record<string, unknown> | undefined;
  if (!palette || typeof palette !== 'object' || !Array.isArray(palette.colours) || palette.colours.length < 1 || palette.colours.length > 256) {
    field(path, 'palette', 'expected { source, colours: ["#rrggbb", …] (1-256) }');
  }
  (palette.colours as unknown[]).forEach((c, i) => {
    if (typeof c !== 'string' || !colourPattern.test(c)) field(path, `palette/colours/${i}`, `expected "#rrggbb", got ${JSON.stringify(c)}`);
  });
  const rom = o.rom as Record<string, unknown> | undefined;
  if (!rom || typeof rom !== 'object' || typeof rom.crc32 !== 'string' || typeof rom.sha1 !== 'string') field(path, 'rom', 'expected { crc32, sha1 }');
  return {
    ...(o as unknown as SpriteSidecar),
    sprite,
    image,
    offset: text('offset', 20),
    codec: text('codec', 20) as CodecName,
    format: text('format', 40),
    packedLength: integer('packedLength'),
    unpackedLength: integer('unpackedLength'),
    tileCount: integer('tileCount'),
  };
}

/** The sidecar's palette as RGB bytes. */
export function sidecarPaletteRgb(sidecar: SpriteSidecar): Uint8Array {
  const rgb = new Uint8Array(sidecar.palette.colours.length * 3);
  sidecar.palette.colours.forEach((c, i) => {
    const v = Number.parseInt(c.slice(1), 16);
    rgb[i * 3] = v >> 16;
    rgb[i * 3 + 1] = (v >> 8) & 0xff;
    rgb[i * 3 + 2] = v & 0xff;
  });
  return rgb;
}

/** A file-name-safe stem for a sprite name (sidecars carry the real name). */
export function fileStemFor(name: string): string {
  const stem = name.replace(/[^A-Za-z0-9._-]+/gu, '_').replace(/^[.]+/u, '_').slice(0, 100);
  return stem.length > 0 ? stem : 'sprite';
}
