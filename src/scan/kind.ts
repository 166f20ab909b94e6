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

/**
 * Platforms whose palettes are BGR555 words (bit 15 clear) stored beside their tiles: SNES CGRAM
 * and GBA palette RAM loads. A DMG game's palettes are single shade bytes (BGP, OBP0/1); GBC and
 * SGB colour palettes exist, but SM83 code and GB data are full of words with bit 15 clear (on
 * libbet and dmg-acid2 every word run found next to tiles was code or tables), so GB ROMs are not
 * searched.
 */
const bgr555Platforms: ReadonlySet<Platform> = new Set<Platform>(['snes', 'gba']);
/** Colours a palette holds at most (a full 8bpp CGRAM load). */
export const maximumPaletteColours = 256;
/** Colours a palette holds at least: fewer is as likely a few code words with bit 15 clear (1 in 256 at 8). */
export const minimumPaletteColours = 8;
/** Colours per sub-palette: 4bpp tiles use rows of 16 colours, and palettes are made and loaded in whole rows. */
export const subPaletteColours = 16;

/** Of consecutive nonzero words, the share that must rise for a run to be a table of addresses (see risingWords). */
export const pointerTableRisingShare = 0.9;

/**
 * Whether the nonzero little-endian words of `data[start, end)` rise from one to the next almost
 * throughout: a table of addresses or offsets, not colours. An assembler lays out the items a
 * pointer table names in the order it lists them, so the table rises (with null entries between);
 * a palette's colours do not keep rising past a row, since each 16-colour row is a palette of its
 * own (the SPC700 driver's tables in libSFX's audio RAM image read as 25- and 256-colour
 * "palettes").
 */
export function risingWords(data: Uint8Array, start: number, end: number): boolean {
  let previous = -1;
  let pairs = 0;
  let rising = 0;
  for (let p = start; p + 1 < end; p += 2) {
    const w = data[p]! | (data[p + 1]! << 8);
    if (w === 0) continue;
    if (previous >= 0) {
      pairs++;
      if (w > previous) rising++;
    }
    previous = w;
  }
  return pairs >= subPaletteColours && rising >= pointerTableRisingShare * pairs;
}

/**
 * BGR555 palettes next to tile blocks. Image converters write a tile file and its palette file
 * from one image, and projects include the two together, so a palette sits right before or right
 * after its tiles. From the block's edge, 16-bit words with bit 15 clear (BGR555 leaves it unused)
 * are colours; the first word with it set (code, `$FF` fill) ends the palette. Unused colours at a
 * palette's end are black (zero words) and the palette is a whole number of 16-colour rows, so
 * trailing zeros are kept up to the end of the last row that has a colour in it. A palette of
 * fewer than minimumPaletteColours, or with fewer than 4 distinct colours, is not reported, nor
 * one shorter than a row unless `$FF` fill follows it, nor a run of more than one row whose
 * nonzero words rise almost throughout (risingWords: a table of addresses).
 */
export function findAdjacentPalettes(data: Uint8Array, platform: Platform, candidates: readonly ScanCandidate[]): ScanCandidate[] {
  if (!bgr555Platforms.has(platform)) return [];
  const found: ScanCandidate[] = [];
  const taken = (start: number, end: number) => [...candidates, ...found].some((c) => c.offset < end && start < c.offset + c.packedLength);
  const word = (p: number) => data[p]! | (data[p + 1]! << 8);
  for (const block of candidates) {
    if (block.kind !== 'tiles') continue;
    // After the block.
    const after = block.offset + block.packedLength;
    let end = after;
    while (end + 1 < data.length && (end - after) / 2 < maximumPaletteColours && (word(end) & 0x8000) === 0) end += 2;
    addPalette(after, end, 'after');
    // Before the block.
    let start = block.offset;
    while (start - 2 >= 0 && (block.offset - start) / 2 < maximumPaletteColours && (word(start - 2) & 0x8000) === 0) start -= 2;
    addPalette(start, block.offset, 'before');
  }
  return found;

  function addPalette(start: number, end: number, side: 'before' | 'after'): void {
    let lastColour = -1;
    const distinct = new Set<number>();
    for (let p = start; p < end; p += 2) {
      const w = data[p]! | (data[p + 1]! << 8);
      if (w !== 0) lastColour = (p - start) / 2;
      distinct.add(w);
    }
    const scanned = (end - start) / 2;
    let colours = scanned;
    if (lastColour + 1 < scanned) colours = Math.min(scanned, Math.ceil((lastColour + 1) / subPaletteColours) * subPaletteColours);
    if (colours < minimumPaletteColours || distinct.size < 4) return;
    if (colours > subPaletteColours && risingWords(data, start, start + colours * 2)) return;
    // Fewer colours than one 16-colour row: a short palette file of its own, which the linker
    // follows with `$FF` fill; without that fill, 8–15 words with bit 15 clear are as likely
    // chance (1 in 256 at 8 words beside any block edge in code or random data).
    if (colours < subPaletteColours) {
      const next = start + colours * 2;
      if (side !== 'after' || next + 1 >= data.length || data[next] !== 0xff || data[next + 1] !== 0xff) return;
    }
    // Before a block the palette ends at the block (its start is where the colours began); after
    // a block it starts there and ends with its last row.
    const offset = start;
    const length = side === 'after' ? colours * 2 : end - start;
    if (taken(offset, offset + length)) return;
    found.push({ offset, packedLength: length, unpackedLength: length, codec: 'raw', kind: 'palette', format: 'bgr555', score: Math.round((distinct.size / Math.max(1, scanned)) * 10000) / 10000 });
  }
}
