/**
 * What a candidate holds. The scan finds blocks by how they read as tiles, but a tilemap decoded
 * from a stream reads as tiles too (16-bit entries with small indices look like flat 8bpp art:
 * libSFX's LZ4 maps came out as `mode7`). A block is a tilemap when every entry fits the
 * platform's entry format and the entries index a tile block the scan found:
 *
 * - SNES and GBA text backgrounds: 16-bit little-endian entries, tile index in bits 0–9, flips,
 *   palette and priority in bits 10–15 (SNES vhopppcc cccccccc; GBA ppppvhcc cccccccc);
 * - Mega Drive: 16-bit big-endian, index in bits 0–10, priority/palette/flips in 11–15.
 *
 * A map uses few attribute combinations (a screen has a handful of palettes and flips: at most
 * maximumDistinctTilemapAttributes), and its largest index is below the tile count of a tile
 * block of the same ROM (the map was made for that set). Art read as entries has random low
 * bits, so its indices reach 1023 and its attribute bits take dozens of values.
 */
import { getCodec } from '../codecs/index.js';
import { getTileFormat } from '../gfx/index.js';
import type { Platform } from '../rom/platform.js';
import type { ScanCandidate } from './types.js';

/** Distinct attribute values (the bits above the tile index) a tilemap may use. */
export const maximumDistinctTilemapAttributes = 16;
/** Entries a block needs before its entries say anything (one 32-entry row). */
export const minimumTilemapEntries = 32;
/** Distinct tile indices a tilemap uses at least (fewer is a fill or a table of small numbers). */
export const minimumDistinctTilemapIndices = 4;
/** The largest output decoded again to classify a compressed candidate. */
const maximumClassifiedOutputInBytes = 512 * 1024;

/** A platform's 16-bit tilemap entry layout. */
interface EntryLayout {
  /** Name reported as the candidate's format. */
  format: string;
  littleEndian: boolean;
  indexBits: number;
}

/** Tilemap entry layouts per platform (16-bit maps only). */
export const tilemapLayoutByPlatform: Readonly<Partial<Record<Platform, EntryLayout>>> = {
  snes: { format: 'snes-tilemap', littleEndian: true, indexBits: 10 },
  gba: { format: 'gba-tilemap', littleEndian: true, indexBits: 10 },
  md: { format: 'md-tilemap', littleEndian: false, indexBits: 11 },
};

/** The bytes a candidate decodes to (null when it no longer decodes, which a found candidate always does). */
export function candidateBytes(data: Uint8Array, candidate: ScanCandidate): Uint8Array | null {
  if (candidate.codec === 'raw') return data.subarray(candidate.offset, candidate.offset + candidate.packedLength);
  try {
    const codec = getCodec(candidate.codec);
    const options = candidate.codec === 'pb16' ? { outputSizeInBytes: candidate.unpackedLength } : { maximumOutputSizeInBytes: maximumClassifiedOutputInBytes };
    return codec.decompress(data, candidate.offset, options).data;
  } catch {
    return null;
  }
}

/**
 * Whether `bytes` fit `layout` as a tilemap indexing at most `tileCount` tiles: every entry's
 * index below the count, few attribute values, several distinct indices.
 */
export function fitsTilemap(bytes: Uint8Array, layout: EntryLayout, tileCount: number): boolean {
  if (bytes.length % 2 !== 0 || bytes.length / 2 < minimumTilemapEntries) return false;
  const indexMask = (1 << layout.indexBits) - 1;
  const attributes = new Set<number>();
  const indices = new Set<number>();
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const entry = layout.littleEndian ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!;
    const index = entry & indexMask;
    if (index >= tileCount) return false;
    attributes.add(entry >>> layout.indexBits);
    if (attributes.size > maximumDistinctTilemapAttributes) return false;
    indices.add(index);
  }
  return indices.size >= minimumDistinctTilemapIndices;
}

/**
 * Sets `kind` (and, for maps, `format`) on every candidate: a candidate whose decoded bytes fit
 * the platform's tilemap layout and index one of the other candidates' tile blocks is a tilemap.
 */
export function classifyCandidateKinds(data: Uint8Array, platform: Platform, candidates: ScanCandidate[]): ScanCandidate[] {
  const layout = tilemapLayoutByPlatform[platform];
  if (layout === undefined) return candidates;
  const tileCounts = candidates.map((c) => (c.kind === 'tiles' ? Math.floor(c.unpackedLength / getTileFormat(c.format).bytesPerTile) : 0));
  return candidates.map((candidate, i) => {
    if (candidate.kind !== 'tiles') return candidate;
    // The largest other tile block bounds the indices (a map names tiles of one set).
    let tileCount = 0;
    for (let j = 0; j < candidates.length; j++) if (j !== i && tileCounts[j]! > tileCount && tileCounts[j]! <= 1 << layout.indexBits) tileCount = tileCounts[j]!;
    if (tileCount === 0) return candidate;
    const bytes = candidateBytes(data, candidate);
    if (bytes === null || !fitsTilemap(bytes, layout, tileCount)) return candidate;
    return { ...candidate, kind: 'tilemap', format: layout.format };
  });
}
