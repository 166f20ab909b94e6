/**
 * Scan results as the seed of a game definition (docs/game-definitions.md): one variant that
 * recognises the scanned ROM by CRC-32, SHA-1 and size, and one `graphics` entry per candidate
 * (offset, codec, tile format, tile count, stored length). A person then names and arranges them.
 */
import { ScanOptionError } from '../errors.js';
import type { Rom } from '../rom/rom.js';
import { getTileFormat } from '../gfx/index.js';
import type { ScanCandidate } from './types.js';

/** Options of `scanCandidatesToDefinition`: the id, name and which candidates become sprites. */
export interface ScanDefinitionOptions {
  /** Definition id (lowercase letters, digits, `.`, `_`, `-`); default from the ROM's title or name. */
  id?: string;
  /** Display name; default the ROM's title or file name. */
  name?: string;
}

const identifierPattern = /^[a-z0-9][a-z0-9._-]*$/u;

function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/gu, '-')
    .replace(/^[-._]+|[-._]+$/gu, '');
  return s.length > 0 ? s.slice(0, 64) : 'scanned-rom';
}

/** The game-definition JSON document (as `JSON.stringify` would write it) for `candidates` of `rom`. */
export function scanCandidatesToDefinition(rom: Rom, candidates: readonly ScanCandidate[], options: ScanDefinitionOptions = {}): Record<string, unknown> {
  if (rom.platform === 'unknown') {
    throw new ScanOptionError('defs-out', `${rom.name} has no known platform; a game definition needs one (pass --platform)`);
  }
  const title = rom.title().trim();
  const baseName = rom.name.split(/[\\/]/u).pop() ?? rom.name;
  const id = options.id ?? slug(title || baseName);
  if (!identifierPattern.test(id)) throw new ScanOptionError('id', `"${id}" is not an identifier (lowercase letters, digits, ".", "_", "-")`);
  const identity = rom.identity();
  const variant: Record<string, unknown> = { id: 'scanned', crc32: identity.crc32.toString(16).padStart(8, '0'), sha1: identity.sha1, size: rom.size };
  if (title) variant.title = title;
  // Definitions describe tile graphics; tilemaps and palettes the scan found are left for a person to wire up.
  const sprites = candidates
    .filter((c) => c.kind === 'tiles')
    .sort((a, b) => a.offset - b.offset)
    .map((c) => {
      const bytesPerTile = getTileFormat(c.format).bytesPerTile;
      const tileCount = Math.floor(c.unpackedLength / bytesPerTile);
      const sprite: Record<string, unknown> = {
        name: `${c.codec}-${c.offset.toString(16).padStart(6, '0')}`,
        kind: 'graphics',
        offset: '0x' + c.offset.toString(16).toUpperCase(),
        codec: c.codec === 'raw' ? 'none' : c.codec,
        tileFormat: c.format,
      };
      if (tileCount > 0) sprite.tileCount = tileCount;
      if (tileCount === 0 || tileCount * bytesPerTile === c.unpackedLength) sprite.byteLength = c.unpackedLength;
      sprite.storedLength = c.packedLength;
      sprite.notes = `found by romgfx scan: score ${c.score}, ${c.unpackedLength} bytes unpacked`;
      return sprite;
    });
  return {
    formatVersion: 1,
    id,
    name: options.name ?? (title || baseName),
    platform: rom.platform,
    notes: `Seeded by romgfx scan from ${baseName}; names, arrangements and palettes still to be filled in.`,
    variants: [variant],
    sprites,
  };
}
