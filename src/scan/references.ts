/**
 * Where the ROM's own code and tables say data starts. A program finds a graphics block by its
 * address: it loads the block's label into a register, stores it into a DMA source register, or
 * keeps it in a resource table. Those addresses are in the ROM as operands, and they mark the
 * first byte of each block that the program uses on its own — so two converted images placed
 * back to back (no fill between them, nothing in their bytes to tell where one ends) are told
 * apart by the second one's address, and a block that begins with blank tiles begins where its
 * label points, not at the roundest offset of the blank stretch.
 *
 * Only operand shapes whose meaning is fixed by the hardware or the toolchain are read, so that
 * a reference is rarely chance:
 *
 * - Game Boy (SM83): `ld de/hl, nn` (opcodes $11/$21: the source and destination pointers of
 *   every copy loop; `ld bc` is the loop's byte count, not an address) and `call`/`jp nn`
 *   ($CD/$C3: where code starts).
 *   Bank 0 ($0000–$3FFF) is always mapped; $4000–$7FFF is the switchable bank, resolved to the
 *   bank the instruction is in (banked code and its data share an RGBDS section's bank), or to
 *   bank 1 from bank 0 in a 32 KiB ROM without a mapper;
 * - SNES: a 16-bit immediate load (`lda/ldx/ldy #nnnn`) stored into a DMA channel's source
 *   address register ($43n2) with the bank byte stored into $43n4 next to it (how every program
 *   uploads tiles to VRAM), mapped through the header's LoROM/HiROM mapping;
 * - Mega Drive: a big-endian 32-bit word at an even offset whose value is an even offset inside
 *   the ROM past the header (`lea`/`move.l #` operands and resource tables such as SGDK's
 *   TileSet {compression, numTile, tiles*} hold absolute ROM addresses); only a TileSet entry
 *   (compression 0, a tile count) says a block starts there, and how long it is;
 * - GBA: a little-endian 32-bit word at a 4-aligned offset holding $08000000 + offset (the ROM's
 *   address in the CPU's map; ARM literal pools and data tables).
 *
 * NES PRG code loads addresses as two 8-bit halves, which cannot be paired reliably, and its
 * tiles are in CHR-ROM (raw.ts), so NES has none.
 */
import { detectSnesHeader, snesBusToOffset } from '../rom/snes.js';
import type { Platform } from '../rom/platform.js';

/** Kinds of reference: dataReference (a pointer loaded or stored) and codeReference (a call or jump target). */
export const dataReference = 1;
/** A call or jump goes there: code starts there. */
export const codeReference = 2;
/**
 * A pointer that comes with the length of what it points at: a DMA source with its byte count,
 * a GB copy to VRAM (source, destination, count), a resource-table entry with a tile count. Such a
 * pair says a block is there, from where to where. Bare pointers often point inside a block (a
 * glyph of a font, a frame of a sheet, the second half of a tile set copied apart), so they only
 * place a start, never cut a run.
 */
export const blockReference = 4;
/**
 * With blockReference: the length is a count of tiles of the block's format, not of bytes. GB
 * loops that expand or convert tiles keep an 8-bit tile counter in B (`dec b` / `jr nz`) and use
 * C for something else; `ld bc,nn` then loads both at once (libbet's 1bpp digits: `ld bc,$2AFF`,
 * 42 tiles and a $FF mask).
 */
export const tileCountReference = 8;
/** With blockReference: the block is copied to a GB background map ($9800–$9FFF): it is a tilemap. */
export const mapReference = 16;

/**
 * Every reference found, sorted by target: where it points, where its operand is, and its kind.
 * Where the operand is matters: tile bytes that happen to spell an operand point anywhere, so a
 * block's own bytes never count as a reference into it (hasReference's `outside` range).
 */
export interface ReferenceIndex {
  targets: Int32Array;
  sources: Int32Array;
  kinds: Uint8Array;
  /** The block's length in bytes where the reference gives it (a resource table's tile count), else 0. */
  lengths: Int32Array;
}

class ReferenceCollector {
  targets: number[] = [];
  sources: number[] = [];
  kinds: number[] = [];
  lengths: number[] = [];
  add(target: number, source: number, kind: number, length = 0): void {
    this.targets.push(target);
    this.sources.push(source);
    this.kinds.push(kind);
    this.lengths.push(length);
  }
  index(): ReferenceIndex {
    const order = this.targets.map((_, i) => i).sort((x, y) => this.targets[x]! - this.targets[y]! || this.sources[x]! - this.sources[y]!);
    return { targets: Int32Array.from(order, (i) => this.targets[i]!), sources: Int32Array.from(order, (i) => this.sources[i]!), kinds: Uint8Array.from(order, (i) => this.kinds[i]!), lengths: Int32Array.from(order, (i) => this.lengths[i]!) };
  }
}

/** Bytes after a DMA source store in which the bank store ($43n4) is looked for. */
const snesDmaBankSearchWindowInBytes = 16;
/** The Mega Drive header ends here: vectors and header words are not references to data. */
const mdHeaderEndInBytes = 0x200;
/** GBA ROM's address in the ARM7's map (wait state 0). */
const gbaRomBaseAddress = 0x08000000;
/** A Mega Drive 4bpp tile in bytes. */
const mdTileSizeInBytes = 32;
/** A GB bank in bytes (MBC ROM banks; bank 0 is fixed at $0000). */
const gbBankSizeInBytes = 0x4000;

const cache = new WeakMap<Uint8Array, Map<Platform, ReferenceIndex>>();

/** The references of `data` read as a `platform` ROM (computed once per buffer and platform). */
export function codeReferences(data: Uint8Array, platform: Platform): ReferenceIndex {
  let byPlatform = cache.get(data);
  if (byPlatform === undefined) {
    byPlatform = new Map();
    cache.set(data, byPlatform);
  }
  let index = byPlatform.get(platform);
  if (index === undefined) {
    index = computeReferences(data, platform);
    byPlatform.set(platform, index);
  }
  return index;
}

/**
 * Whether a reference of a kind in `kinds` points at `target` from an operand that lies outside
 * [outsideStart, outsideEnd) (the block in question: its own bytes are not its references).
 */
export function hasReference(index: ReferenceIndex, target: number, kinds: number, outsideStart: number, outsideEnd: number): boolean {
  return referenceAt(index, target, kinds, outsideStart, outsideEnd) >= 0;
}

/** The index (into `index`'s arrays) of a reference as hasReference describes, or -1. */
export function referenceAt(index: ReferenceIndex, target: number, kinds: number, outsideStart: number, outsideEnd: number): number {
  const targets = index.targets;
  let lo = 0;
  let hi = targets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (targets[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < targets.length && targets[i] === target; i++) {
    const source = index.sources[i]!;
    if ((index.kinds[i]! & kinds) !== 0 && (source < outsideStart || source >= outsideEnd)) return i;
  }
  return -1;
}

function computeReferences(data: Uint8Array, platform: Platform): ReferenceIndex {
  const out = new ReferenceCollector();
  switch (platform) {
    case 'gb':
    case 'gbc':
      gbReferences(data, out);
      break;
    case 'snes':
      snesReferences(data, out);
      break;
    case 'md':
      mdReferences(data, out);
      break;
    case 'gba':
      gbaReferences(data, out);
      break;
    default:
      break;
  }
  return out.index();
}

function gbReferences(data: Uint8Array, out: ReferenceCollector): void {
  const n = data.length;
  const noMapper = n <= 2 * gbBankSizeInBytes;
  const romOffset = (address: number, i: number): number => {
    if (address < gbBankSizeInBytes) return address;
    if (address >= 2 * gbBankSizeInBytes) return -1;
    const bank = Math.floor(i / gbBankSizeInBytes);
    if (bank >= 1) return bank * gbBankSizeInBytes + (address - gbBankSizeInBytes);
    return noMapper ? address : -1;
  };
  for (let i = 0; i + 2 < n; i++) {
    const op = data[i]!;
    if (op !== 0x11 && op !== 0x21 && op !== 0xcd && op !== 0xc3) continue;
    const target = romOffset(data[i + 1]! | (data[i + 2]! << 8), i);
    if (target >= 0 && target < n) out.add(target, i, op === 0xcd || op === 0xc3 ? codeReference : dataReference);
  }
  // The copy to VRAM: three loads in a row, `ld hl`, `ld de` and `ld bc` in any order, one
  // pointer in ROM (the source), the other in VRAM's tile and map area $8000–$9FFF (the
  // destination) and bc the byte count, then the call to the copy routine. The source is where a
  // block starts, and the count is its length.
  for (let i = 0; i + 8 < n; i++) {
    if (!readGbLoadTriple(data, i)) continue;
    const hl = loadTriple[0]!;
    const de = loadTriple[1]!;
    const bc = loadTriple[2]!;
    const inVram = (v: number) => v >= gbVramStartAddress && v < gbVramEndAddress;
    const source = inVram(de) ? hl : inVram(hl) ? de : -1;
    if (source < 0 || source >= 2 * gbBankSizeInBytes || bc <= 0) continue;
    const target = romOffset(source, i);
    if (target < 0) continue;
    // A byte count of tile data is a whole number of 8-byte rows; a count that is not is B's
    // tile count with C holding something else (tileCountReference).
    const destination = inVram(de) ? de : hl;
    const toMap = destination >= gbMapStartAddress ? mapReference : 0;
    if ((bc & 7) !== 0) {
      if (bc >> 8 > 0) out.add(target, i, dataReference | blockReference | tileCountReference | toMap, bc >> 8);
    } else if (target + bc <= n) out.add(target, i, dataReference | blockReference | toMap, bc);
  }
}

/** hl, de and bc of the last triple readGbLoadTriple read. */
const loadTriple = new Int32Array(3);

/**
 * Whether the SM83 code at `i` is `ld hl,nn`, `ld de,nn` and `ld bc,nn` in some order, three
 * instructions in a row, as a copy to VRAM is set up; their values go to loadTriple (hl, de, bc).
 */
function readGbLoadTriple(data: Uint8Array, i: number): boolean {
  const a = data[i]!;
  const b = data[i + 3]!;
  const c = data[i + 6]!;
  if ((a | b | c) !== 0x31 || a === b || b === c || a === c || !isLoad16(a) || !isLoad16(b) || !isLoad16(c)) return false;
  for (let k = 0; k < 3; k++) {
    const value = data[i + 3 * k + 1]! | (data[i + 3 * k + 2]! << 8);
    const o = data[i + 3 * k]!;
    loadTriple[o === 0x21 ? 0 : o === 0x11 ? 1 : 2] = value;
  }
  return true;
}

/** GB VRAM tile slots: $8000–$97FF, 16 bytes each (Pan Docs, VRAM Tile Data). */
export const gbTileSlotCount = 384;

/**
 * Which of the 384 tile slots of GB VRAM ($8000–$97FF) the program's copies to VRAM fill (the same
 * `ld hl`/`ld de`/`ld bc` triples as the copy references: the destination, and BC bytes or B
 * tiles). A background map names tiles by slot, so its entries must name slots the program fills.
 */
export function gbLoadedTileSlots(data: Uint8Array): Uint8Array {
  const slots = new Uint8Array(gbTileSlotCount);
  const n = data.length;
  for (let i = 0; i + 8 < n; i++) {
    if (!readGbLoadTriple(data, i)) continue;
    const hl = loadTriple[0]!;
    const de = loadTriple[1]!;
    const bc = loadTriple[2]!;
    const destination = de >= gbVramStartAddress && de < gbMapStartAddress && hl < gbVramStartAddress ? de : hl >= gbVramStartAddress && hl < gbMapStartAddress && de < gbVramStartAddress ? hl : -1;
    if (destination < 0 || bc <= 0) continue;
    const bytes = (bc & 7) !== 0 ? (bc >> 8) * 16 : bc;
    const first = (destination - gbVramStartAddress) >> 4;
    const last = Math.min(gbTileSlotCount, (destination - gbVramStartAddress + bytes + 15) >> 4);
    for (let slot = first; slot < last; slot++) slots[slot] = 1;
  }
  return slots;
}

/** `ld bc/de/hl, nn`. */
function isLoad16(op: number): boolean {
  return op === 0x01 || op === 0x11 || op === 0x21;
}

/** GB VRAM: tile data $8000–$97FF, maps $9800–$9FFF. */
const gbVramStartAddress = 0x8000;
const gbVramEndAddress = 0xa000;
/** GB background maps: $9800–$9BFF and $9C00–$9FFF (Pan Docs, VRAM Tile Maps). */
export const gbMapStartAddress = 0x9800;

function snesReferences(data: Uint8Array, out: ReferenceCollector): void {
  const header = detectSnesHeader(data);
  if (header === undefined) return;
  const n = data.length;
  for (let i = 0; i + 5 < n; i++) {
    const op = data[i]!;
    // lda/ldx/ldy #imm16, then sta/stx/sty $43n2.
    if (op !== 0xa9 && op !== 0xa2 && op !== 0xa0) continue;
    const store = data[i + 3]!;
    if (store !== 0x8d && store !== 0x8e && store !== 0x8c) continue;
    if (data[i + 5] !== 0x43 || (data[i + 4]! & 0x0f) !== 0x02) continue;
    const channel = data[i + 4]! & 0xf0;
    const address = data[i + 1]! | (data[i + 2]! << 8);
    const bank = dmaBankNear(data, i, channel);
    if (bank < 0) continue;
    const length = dmaLengthNear(data, i, channel);
    try {
      out.add(snesBusToOffset((bank << 16) | address, header.mapping, n), i, length > 0 ? dataReference | blockReference : dataReference, Math.max(0, length));
    } catch {
      // Not ROM under this mapping (a RAM source): not a reference to ROM data.
    }
  }
}

/** The bank byte stored into $43n4 near a DMA source store at `i` (an 8-bit immediate load and a store), or -1. */
function dmaBankNear(data: Uint8Array, i: number, channel: number): number {
  const from = Math.max(0, i - snesDmaBankSearchWindowInBytes);
  const to = Math.min(data.length - 5, i + snesDmaBankSearchWindowInBytes);
  for (let p = from; p < to; p++) {
    const op = data[p]!;
    if (op !== 0xa9 && op !== 0xa2 && op !== 0xa0) continue;
    const store = data[p + 2]!;
    if ((store === 0x8d || store === 0x8e || store === 0x8c) && data[p + 3] === (channel | 0x04) && data[p + 4] === 0x43) return data[p + 1]!;
  }
  return -1;
}

/** The 16-bit byte count stored into $43n5 near a DMA source store at `i` (`ldx/lda/ldy #nnnn`, store), or -1 (0 means 64 KiB: not a tile block's count). */
function dmaLengthNear(data: Uint8Array, i: number, channel: number): number {
  const from = Math.max(0, i - snesDmaBankSearchWindowInBytes);
  const to = Math.min(data.length - 6, i + snesDmaBankSearchWindowInBytes);
  for (let p = from; p < to; p++) {
    const op = data[p]!;
    if (op !== 0xa9 && op !== 0xa2 && op !== 0xa0) continue;
    const store = data[p + 3]!;
    if ((store === 0x8d || store === 0x8e || store === 0x8c) && data[p + 4] === (channel | 0x05) && data[p + 5] === 0x43) return data[p + 1]! | (data[p + 2]! << 8);
  }
  return -1;
}

function mdReferences(data: Uint8Array, out: ReferenceCollector): void {
  const n = data.length;
  for (let i = 0; i + 3 < n; i += 2) {
    if (data[i] !== 0) continue;
    const value = (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!;
    if (value < mdHeaderEndInBytes || value >= n || (value & 1) !== 0) continue;
    // SGDK's TileSet {u16 compression, u16 numTile, u32 tiles}: uncompressed (0), its length is numTile tiles.
    const compression = i >= 4 ? (data[i - 4]! << 8) | data[i - 3]! : -1;
    const tiles = i >= 4 ? (data[i - 2]! << 8) | data[i - 1]! : 0;
    if (compression === 0 && tiles > 0 && value + tiles * mdTileSizeInBytes <= n) out.add(value, i, dataReference | blockReference, tiles * mdTileSizeInBytes);
    else out.add(value, i, dataReference);
  }
}

function gbaReferences(data: Uint8Array, out: ReferenceCollector): void {
  const n = data.length;
  for (let i = 0; i + 3 < n; i += 4) {
    const value = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
    const offset = value - gbaRomBaseAddress;
    if (offset >= 0 && offset < n) out.add(offset, i, dataReference);
  }
}
