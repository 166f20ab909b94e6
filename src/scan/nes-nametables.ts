/**
 * NES nametables packed with neslib's RLE (`rle-neslib`), found through the code that unpacks
 * them. RLE decodes almost any bytes, so a stream counts only when code names it:
 *
 * - **the call**: cc65 passes a `__fastcall__` pointer argument in A/X, so neslib's
 *   `vram_unrle(title)` compiles to `LDA #<title` / `LDX #>title` / `JSR _vram_unrle`
 *   (the reader is nes-palettes.ts's `cc65PointerCalls`, shared with palette loaders);
 * - **the routine**: within its first bytes, a tag-RLE unpacker to the PPU, as neslib's
 *   `_vram_unrle` is written: `LDA (zp),Y` / `STA tag` (the first byte kept as the tag), later
 *   `CMP tag` / `BEQ` (a byte equal to the tag starts a run) and `STA $2007` (PPUDATA);
 * - **the output**: the stream decodes to a whole number of nametables, 1024 bytes each (960
 *   tile indices + 64 attribute bytes, the PPU's nametable layout), as vram_unrle is given a
 *   full screen after `vram_adr(NAMETABLE_A)`.
 *
 * Every table passed to such a routine is reported (kind `tilemap`, format `nes-nametable`) when
 * it decodes that way; nothing else is probed.
 */
import { probeNeslibRle } from '../codecs/nes/rle-neslib.js';
import { hex } from '../errors.js';
import type { Platform } from '../rom/platform.js';
import { cc65PointerCalls, prgOf } from './nes-palettes.js';
import type { ScanCandidate } from './types.js';

/** A nametable (32×30 tile indices) with its attribute table (64 bytes), as the PPU lays it out. */
export const nesNametableSizeInBytes = 1024;
/** The PPU has four nametable slots ($2000–$2FFF): a stream larger than that is not one screen set. */
export const maximumNesRleNametablesPerStream = 4;
/** How far into a routine its tag-RLE shape is looked for (neslib's is 27 bytes to `STA $2007`). */
export const maximumUnrleShapeDistanceInBytes = 48;
/** The score of a nametable named by an unpacker call and decoding to whole nametables. */
export const nesRleNametableScore = 0.9;

const ldaIndirectY = 0xb1;
const staZeroPage = 0x85;
const cmpZeroPage = 0xc5;
const beq = 0xf0;
const staAbsolute = 0x8d;

/** Whether the routine at `entry` is shaped as a tag-RLE unpacker to PPUDATA (see the module comment). */
export function isNesRleUnpacker(data: Uint8Array, entry: number, end: number): boolean {
  const limit = Math.min(end, data.length, entry + maximumUnrleShapeDistanceInBytes);
  let tag = -1;
  let comparesTag = false;
  let storesPpuData = false;
  for (let p = entry; p + 2 < limit; p++) {
    if (tag < 0 && data[p] === ldaIndirectY && data[p + 2] === staZeroPage && p + 3 < limit) {
      tag = data[p + 3]!;
      p += 3;
      continue;
    }
    if (tag >= 0 && data[p] === cmpZeroPage && data[p + 1] === tag && data[p + 2] === beq) comparesTag = true;
    if (comparesTag && data[p] === staAbsolute && data[p + 1] === 0x07 && data[p + 2] === 0x20) storesPpuData = true;
  }
  return storesPpuData;
}

/** One nametable stream named by an unpacker call. */
interface NamedNametable {
  offset: number;
  packedLength: number;
  unpackedLength: number;
  evidence: string;
}

/** Every neslib RLE nametable named by code (see the module comment), by offset. */
function namedNametables(data: Uint8Array, platform: Platform): NamedNametable[] {
  if (platform !== 'nes') return [];
  const prg = prgOf(data);
  if (prg === null) return [];
  const unpackers = new Map<number, boolean>();
  const found = new Map<number, NamedNametable>();
  for (const { call, entry, table } of cc65PointerCalls(data, prg)) {
    if (table < 0 || found.has(table)) continue;
    let isUnpacker = unpackers.get(entry);
    if (isUnpacker === undefined) {
      isUnpacker = isNesRleUnpacker(data, entry, prg.end);
      unpackers.set(entry, isUnpacker);
    }
    if (!isUnpacker) continue;
    const probe = probeNeslibRle(data.subarray(0, prg.end), table, { maximumOutputSizeInBytes: nesNametableSizeInBytes * maximumNesRleNametablesPerStream });
    if (probe === null || probe.unpackedLength === 0 || probe.unpackedLength % nesNametableSizeInBytes !== 0) continue;
    found.set(table, {
      offset: table,
      packedLength: probe.packedLength,
      unpackedLength: probe.unpackedLength,
      evidence: `passed by the call at ${hex(call)} to the RLE unpacker at ${hex(entry)} (neslib vram_unrle shape); decodes to ${probe.unpackedLength / nesNametableSizeInBytes} nametable(s)`,
    });
  }
  return [...found.values()].sort((a, b) => a.offset - b.offset);
}

/**
 * neslib RLE nametables named by code, as `tilemap` candidates (`rle-neslib`, `nes-nametable`)
 * starting within [start, end); a candidate already found over the same bytes is replaced, since
 * the code's reading says what the bytes are.
 */
export function findNesRleNametables(data: Uint8Array, platform: Platform, start = 0, end = data.length): ScanCandidate[] {
  return namedNametables(data, platform)
    .filter((n) => n.offset >= start && n.offset < end)
    .map((n) => ({ offset: n.offset, packedLength: n.packedLength, unpackedLength: n.unpackedLength, codec: 'rle-neslib', kind: 'tilemap', format: 'nes-nametable', score: nesRleNametableScore }));
}

/** What names the neslib RLE nametable at `offset` (for `--explain`), or null. */
export function nesRleNametableEvidence(data: Uint8Array, platform: Platform, offset: number): string | null {
  return namedNametables(data, platform).find((n) => n.offset === offset)?.evidence ?? null;
}
