/**
 * SGDK's resource structures and the LZ4W streams they declare (Mega Drive).
 *
 * SGDK's resource compiler, rescomp, turns each `.res` entry into a small structure in the ROM's
 * data plus the binary block it points at (rescomp `Tileset.java`, `Tilemap.java`, `Bin.java`;
 * the C types are in SGDK's `inc/vdp_tile.h`, the compression numbers in `inc/tools.h`):
 *
 * - `TileSet { u16 compression; u16 numTile; u32 *tiles; }` (8 bytes, `dc.w, dc.w, dc.l`);
 * - `TileMap { u16 compression; u16 w; u16 h; u16 *tilemap; }` (10 bytes), w × h 16-bit entries;
 * - compression is the packing rescomp actually applied (`doneCompression`): 0 none, 1 aPLib,
 *   2 LZ4W (`COMPRESSION_LZ4W`). rescomp falls back to 0 when packing does not pay, so a 2 in the
 *   structure means the block at the pointer *is* an LZ4W stream.
 *
 * An LZ4W stream stores neither its length nor a magic number, so nothing in its bytes says where
 * it starts or that it is one; the structure says both, and how long its output is. A structure is
 * believed when the stream at its pointer decodes, to its end block, to exactly the output the
 * structure declares (numTile × 32 bytes, or w × h × 2): words spelling `0002 nnnn 000xxxxx` by
 * chance rarely point at bytes that decode to that exact length. Such a stream is reported
 * whatever its size and score (a 7-tile border piece of 3 distinct tiles scores under any
 * statistical bar), with the kind the structure names (scanner.ts).
 *
 * A ROM holding such structures was built by SGDK, and in an SGDK build only rescomp writes LZ4W:
 * every stream is a resource, and the game reaches it through its label (the structure's pointer,
 * or for a `BIN` resource a 32-bit operand in code, `unpack(COMPRESSION_LZ4W, label, dest)`).
 * codec-streams.ts therefore asks an LZ4W reading no structure declares in such a ROM for a
 * pointer to its first byte.
 */
import { getCodec } from '../codecs/index.js';
import type { Platform } from '../rom/platform.js';
import { blockReference, codeReferences, dataReference, hasReference } from './references.js';
import type { ScanCandidate } from './types.js';

/** SGDK's `COMPRESSION_LZ4W` (inc/tools.h): the `compression` field of a TileSet or TileMap packed with LZ4W. */
export const sgdkCompressionLz4w = 2;
/** The Mega Drive header ends here: vectors and header words are not resource pointers. */
const mdHeaderEndInBytes = 0x200;
/** A Mega Drive 4bpp tile in bytes. */
const mdTileSizeInBytes = 32;
/**
 * The largest output a declared stream may have: SGDK unpacks a TileSet or TileMap into a RAM
 * buffer before the VRAM upload (`unpackTileSet`, `unpackTileMap`), and the Mega Drive has 64 KiB
 * of work RAM (the LZ4W codec's own decode cap); 2,048 tiles, all of VRAM.
 */
export const maximumSgdkDeclaredOutputInBytes = 0x10000;

/** An LZ4W stream an SGDK structure declares, checked by decoding it. */
export interface SgdkDeclaredStream {
  /** Where the TileSet or TileMap structure starts. */
  structureOffset: number;
  /** Where the stream starts (the structure's pointer). */
  offset: number;
  packedLength: number;
  /** numTile × 32 (TileSet) or w × h × 2 (TileMap). */
  unpackedLength: number;
  kind: 'tiles' | 'tilemap';
  /** `md4bpp` for tile sets, `md-tilemap` for maps. */
  format: string;
}

const cache = new WeakMap<Uint8Array, readonly SgdkDeclaredStream[]>();

/**
 * The LZ4W streams SGDK TileSet and TileMap structures in `data` declare, sorted by stream offset
 * (one per stream: two structures naming one stream, as rescomp shares identical blocks, give
 * one). Empty for other platforms. Computed once per buffer.
 */
export function sgdkDeclaredStreams(data: Uint8Array, platform: Platform): readonly SgdkDeclaredStream[] {
  if (platform !== 'md') return [];
  let streams = cache.get(data);
  if (streams === undefined) {
    streams = findDeclaredStreams(data);
    cache.set(data, streams);
  }
  return streams;
}

const runCache = new WeakMap<Uint8Array, ReadonlySet<number>>();

/**
 * Where the blocks of rescomp's resource data start, followed from the declared ones: rescomp
 * writes a `.res` file's binary blocks back to back (`Bin.out`: align the output to the block's
 * alignment, 2 by default, then append the packed bytes), so the block after a declared stream
 * or a declared raw tile set (an uncompressed TileSet, references.ts) starts at the next even
 * offset. A stream there whose structure is lost or that a `BIN` resource holds (found by code
 * with no structure) is still rescomp's. The run is followed while an LZ4W stream that ends as
 * the packer ends streams (lz4wFinalWordRule), or a declared raw block, starts at the next block
 * position. Includes the declared streams' own starts.
 */
export function sgdkResourceRunStarts(data: Uint8Array, platform: Platform): ReadonlySet<number> {
  const declared = sgdkDeclaredStreams(data, platform);
  if (declared.length === 0) return new Set();
  let starts = runCache.get(data);
  if (starts === undefined) {
    starts = followResourceRun(data, platform, declared);
    runCache.set(data, starts);
  }
  return starts;
}

function followResourceRun(data: Uint8Array, platform: Platform, declared: readonly SgdkDeclaredStream[]): Set<number> {
  const lz4w = getCodec('lz4w');
  const references = codeReferences(data, platform);
  // Raw blocks whose length a reference gives (uncompressed SGDK TileSets), by start.
  const rawEnds = new Map<number, number>();
  for (let i = 0; i < references.targets.length; i++) if ((references.kinds[i]! & blockReference) !== 0 && references.lengths[i]! > 0) rawEnds.set(references.targets[i]!, references.targets[i]! + references.lengths[i]!);
  const starts = new Set<number>();
  const pending: number[] = [];
  for (const stream of declared) {
    starts.add(stream.offset);
    pending.push(stream.offset + stream.packedLength);
  }
  while (pending.length > 0) {
    const next = (pending.pop()! + 1) & ~1;
    if (next + 4 > data.length || starts.has(next)) continue;
    const raw = rawEnds.get(next);
    if (raw !== undefined) {
      starts.add(next);
      pending.push(raw);
      continue;
    }
    const probe = lz4w.probe(data, next, { maximumOutputSizeInBytes: maximumSgdkDeclaredOutputInBytes });
    if (probe === null || probe.unpackedLength < 2 || lz4wFinalWordRule(data, next, probe.packedLength) !== '') continue;
    starts.add(next);
    pending.push(next + probe.packedLength);
  }
  return starts;
}

/** Why the word after an LZ4W end block at the end of [p, p + packedLength) is not one SGDK's packer writes, or ''. */
export function lz4wFinalWordRule(data: Uint8Array, p: number, packedLength: number): string {
  const end = p + packedLength;
  if (packedLength < 4 || end > data.length) return 'no end block';
  const last = high(data, end - 2);
  if (last !== 0 && (last & 0xff00) !== 0x8000) return `its final word ${last.toString(16).padStart(4, '0')} is not one SGDK's packer writes (0000, or 80xx for a last odd byte)`;
  return '';
}

/** The declared stream starting at `offset`, if any. */
export function sgdkDeclaredStreamAt(data: Uint8Array, platform: Platform, offset: number): SgdkDeclaredStream | undefined {
  const streams = sgdkDeclaredStreams(data, platform);
  let lo = 0;
  let hi = streams.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (streams[mid]!.offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < streams.length && streams[lo]!.offset === offset ? streams[lo] : undefined;
}

/** Whether `candidate` is a stream an SGDK structure declares (same codec, start and packed length). */
export function isSgdkDeclared(data: Uint8Array, platform: Platform, candidate: ScanCandidate): boolean {
  if (candidate.codec !== 'lz4w') return false;
  const declared = sgdkDeclaredStreamAt(data, platform, candidate.offset);
  return declared !== undefined && declared.packedLength === candidate.packedLength;
}

/**
 * The structure's kind and format on every candidate it declares: the scan's tilemap test reads
 * entries statistically (kind.ts), the structure says what the block is.
 */
export function applySgdkDeclarations(data: Uint8Array, platform: Platform, candidates: ScanCandidate[]): ScanCandidate[] {
  if (sgdkDeclaredStreams(data, platform).length === 0) return candidates;
  return candidates.map((c) => {
    if (!isSgdkDeclared(data, platform, c)) return c;
    const declared = sgdkDeclaredStreamAt(data, platform, c.offset)!;
    return declared.kind === c.kind && declared.format === c.format ? c : { ...c, kind: declared.kind, format: declared.format };
  });
}

const high = (data: Uint8Array, p: number): number => (data[p]! << 8) | data[p + 1]!;

function findDeclaredStreams(data: Uint8Array): SgdkDeclaredStream[] {
  const n = data.length;
  const lz4w = getCodec('lz4w');
  const byOffset = new Map<number, SgdkDeclaredStream>();
  const declare = (structureOffset: number, target: number, unpackedLength: number, kind: 'tiles' | 'tilemap'): boolean => {
    if (unpackedLength <= 0 || unpackedLength > maximumSgdkDeclaredOutputInBytes || byOffset.has(target)) return byOffset.has(target);
    // The declared output and no more: a longer stream fails at the limit, a shorter one differs.
    const probe = lz4w.probe(data, target, { maximumOutputSizeInBytes: unpackedLength });
    if (probe === null || probe.unpackedLength !== unpackedLength) return false;
    byOffset.set(target, { structureOffset, offset: target, packedLength: probe.packedLength, unpackedLength, kind, format: kind === 'tiles' ? 'md4bpp' : 'md-tilemap' });
    return true;
  };
  // Structures are word-aligned (the 68000 reads their fields as words; rescomp aligns them to 2),
  // and the pointer is the structure's last field: a 32-bit ROM address, even (a word array).
  for (let i = mdHeaderEndInBytes; i + 3 < n; i += 2) {
    if (data[i] !== 0) continue;
    const target = (data[i + 1]! << 16) | high(data, i + 2);
    if (target < mdHeaderEndInBytes || target >= n || (target & 1) !== 0) continue;
    // TileSet: compression, numTile, pointer.
    if (i >= 4 && high(data, i - 4) === sgdkCompressionLz4w && declare(i - 4, target, high(data, i - 2) * mdTileSizeInBytes, 'tiles')) continue;
    // TileMap: compression, w, h, pointer.
    if (i >= 6 && high(data, i - 6) === sgdkCompressionLz4w) declare(i - 6, target, high(data, i - 4) * high(data, i - 2) * 2, 'tilemap');
  }
  return [...byOffset.values()].sort((a, b) => a.offset - b.offset);
}

/**
 * Why an LZ4W reading at `p` (packed length `packedLength`, already probed) that no SGDK
 * structure declares is not a stream, or '' when nothing rules it out. The rules follow from
 * SGDK's packer (`tools/lz4w/src/sgdk/lz4w/LZ4W.java`, which rescomp runs):
 *
 * 1. The end block is followed by `00 00`, or by `80 xx` with a last odd byte xx: the packer
 *    writes nothing else there (the decoder only tests bit 15, so other words decode too, and a
 *    table of small numbers read as LZ4W ends on any of them).
 * 2. A long copy whose word has bit 15 set reads the ROM bytes before the stream: the packer
 *    writes one only when packing a resource against the resource data rescomp emitted before
 *    it (`Bin.out` packs against its output so far), so the stream is a rescomp resource: it
 *    lies in rescomp's run of resource blocks (sgdkResourceRunStarts), or the game reaches it by
 *    its label, a 32-bit pointer to its first byte.
 * 3. In a ROM where SGDK structures declare LZ4W streams (sgdkDeclaredStreams), the same holds
 *    for every LZ4W stream: only rescomp writes LZ4W in an SGDK build. (A table of small signed
 *    numbers in the game's own data reads as LZ4W blocks of 15 literals and a 16-word copy.)
 *
 * The pointers are the reference index's (references.ts: big-endian 32-bit words holding an
 * even ROM offset), from outside the stream itself.
 */
export function lz4wReadingRule(data: Uint8Array, platform: Platform, p: number, packedLength: number): string {
  const end = p + packedLength;
  const framing = lz4wFinalWordRule(data, p, packedLength);
  if (framing !== '') return framing;
  const romSource = lz4wCopiesFromRom(data, p, end);
  const sgdkRom = sgdkDeclaredStreams(data, platform).length > 0;
  if ((romSource || sgdkRom) && !sgdkResourceRunStarts(data, platform).has(p) && !hasReference(codeReferences(data, platform), p, dataReference, p, end)) {
    return romSource ? 'it copies from the ROM bytes before it (a rescomp resource) but no pointer names its start' : 'SGDK structures declare this ROM\'s LZ4W streams, and no structure or pointer names this start';
  }
  return '';
}

/** Whether the LZ4W blocks in [p, end) include a long copy from the ROM bytes before the stream (its distance word's bit 15). */
export function lz4wCopiesFromRom(data: Uint8Array, p: number, end: number): boolean {
  let q = p;
  while (q + 2 <= end) {
    const header = high(data, q);
    q += 2;
    if (header === 0) return false;
    q += (header >> 12) * 2;
    if ((header & 0x0f00) === 0 && (header & 0xff) !== 0) {
      if (q + 2 > end) return false;
      if ((data[q]! & 0x80) !== 0) return true;
      q += 2;
    }
  }
  return false;
}
