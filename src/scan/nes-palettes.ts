/**
 * NES palettes in PRG-ROM, found from the code that loads them.
 *
 * The PPU's palette RAM is 32 bytes at PPU $3F00–$3F1F: eight sub-palettes of 4 entries (4 for the
 * background, 4 for sprites), each entry a 6-bit index into the PPU's master palette (NESdev wiki
 * "PPU palettes"). A game writes it through the PPU's address and data ports: `$3F` then the low
 * byte to PPUADDR ($2006), then the colours one by one to PPUDATA ($2007). A stored palette is
 * therefore a run of 4 to 32 bytes of $00–$3F — which almost any table of small numbers is too,
 * so the bytes alone are weak evidence and every palette reported here is named by code:
 *
 * - **the upload loop** (strongest): `LDA/LDX/LDY #$3F`, a store to $2006, a second store to $2006
 *   (the low byte), then a loop `LDA table,X` (or `,Y`) / `STA $2007` / `INX` / `CPX #n` /
 *   `BNE`|`BCC` back to the load. The table is `table` + the index's start value (`LDX #s` before
 *   the loop), `n − s` bytes long. This is how every assembly program loads a palette in forced
 *   blank (nrom-template's `load_main_palette`). The same loop may read through a zero-page
 *   pointer (`LDA (zp),Y`): then the table is the pointer's value, set from immediates
 *   (`LDA #<t` / `STA zp` / `LDA #>t` / `STA zp+1`) just before the loop or just before a `JSR` to
 *   the routine that opens with it. When the loop reads a RAM buffer (games keep the palette in
 *   RAM for fades and let the NMI upload it), the palette is the table a copy loop
 *   `LDA table,X` / `STA buffer,X` / `INX` / `CPX #n` fills that buffer from.
 * - **a palette loader's pointer argument** (cc65's fastcall convention: a pointer argument is
 *   passed in A (low) and X (high): `LDA #<table` / `LDX #>table` / `JSR routine`): when the routine
 *   opens by storing A and X to a zero-page pointer (`STA zp` / `STX zp+1`), loads a count of 16
 *   or 32 (one half or the whole palette RAM) right after, and reads through that pointer
 *   (`LDA (zp),Y`) nearby, it copies a palette: neslib's `pal_bg`, `pal_spr` and `pal_all`, which
 *   copy to a RAM buffer the NMI uploads to $3F00. A routine is taken as a palette loader only
 *   when every table passed to it reads as a palette (a general copy routine is passed data that
 *   does not).
 *
 * Every table named so must then read as a palette (the statistics, the weaker evidence): every
 * byte at most $3F (palette RAM holds 6 bits, and tools write the master palette's indices), no
 * $0D (the "blacker than black" colour games avoid because it upsets TV sync, NESdev "PPU
 * palettes"), a whole number of 4-entry sub-palettes, and at least 2 distinct values (a fill of
 * one colour is a clear, not a palette).
 */
import { hasInesMagic, nesBusToOffset, nesOffsetToBus, parseNesHeader, type NesHeader } from '../rom/nes.js';
import { hex } from '../errors.js';
import type { Platform } from '../rom/platform.js';
import type { ScanCandidate } from './types.js';

/** Palette RAM's size: PPU $3F00–$3F1F. */
export const nesPaletteRamSizeInBytes = 32;
/** Entries in one sub-palette: palettes are written and read in groups of 4. */
export const nesSubPaletteSizeInBytes = 4;
/** The largest index into the PPU's master palette (palette RAM holds 6 bits). */
export const maximumNesColourIndex = 0x3f;
/** The colour no game writes: $0D, "blacker than black", outside the TV's sync range. */
export const forbiddenNesColourIndex = 0x0d;
/** Distinct values a palette holds at least. */
export const minimumDistinctNesPaletteValues = 2;
/** Bytes after the `$3F` store to PPUADDR within which the low-byte store must follow. */
export const maximumPpuAddressLowStoreDistanceInBytes = 8;
/** Bytes after the low-byte store within which the copy loop must start. */
export const maximumPaletteLoopDistanceInBytes = 16;
/** Bytes after a pointer's stores within which the call to its upload loop (or the loop) must be. */
export const maximumPointerCallDistanceInBytes = 8;
/** Bytes after a loader's pointer stores within which its count load must be. */
export const maximumLoaderCountDistanceInBytes = 6;
/** Bytes either side of a loader's entry searched for its `LDA (zp),Y`. */
export const maximumLoaderCopyDistanceInBytes = 64;
/** The score given to a palette found by its upload loop (the code names it and its length). */
export const paletteUploadLoopScore = 1;
/** The score given to a palette passed to a palette loader (the length is the loader's). */
export const paletteLoaderPointerScore = 0.9;

const ppuAddressLow = 0x06;
const ppuDataLow = 0x07;
const ppuRegisterHigh = 0x20;
/** Immediate loads (LDA, LDX, LDY #imm). */
const loadImmediateOpcodes: ReadonlySet<number> = new Set([0xa9, 0xa2, 0xa0]);
/** Absolute stores (STA, STX, STY abs). */
const storeAbsoluteOpcodes: ReadonlySet<number> = new Set([0x8d, 0x8e, 0x8c]);
const ldaAbsoluteX = 0xbd;
const ldaAbsoluteY = 0xb9;
const ldaImmediate = 0xa9;
const ldxImmediate = 0xa2;
const ldyImmediate = 0xa0;
const staAbsoluteX = 0x9d;
const staAbsoluteY = 0x99;
const inx = 0xe8;
const iny = 0xc8;
const cpxImmediate = 0xe0;
const cpyImmediate = 0xc0;
const bne = 0xd0;
const bcc = 0x90;
const jsr = 0x20;
const staZeroPage = 0x85;
const stxZeroPage = 0x86;
const ldaIndirectY = 0xb1;

/** One palette named by code: its ROM offset, length, and how it was found. */
interface NamedPalette {
  offset: number;
  length: number;
  score: number;
  /** The code that names it, in words (for `--explain`). */
  evidence: string;
}

/** PRG-ROM of an iNES file and its header, or null (shared with nes-nametables.ts). */
export function prgOf(data: Uint8Array): { header: NesHeader; start: number; end: number } | null {
  if (!hasInesMagic(data)) return null;
  try {
    const header = parseNesHeader(data, 'scan');
    if (header.prgRomSize === 0) return null;
    return { header, start: header.prgRomOffset, end: header.prgRomOffset + header.prgRomSize };
  } catch {
    return null;
  }
}

/**
 * The ROM offset a CPU address in PRG names, read by code at ROM offset `from`, or -1. Up to 32 KiB
 * of PRG is seen whole at $8000 (16 KiB mirrored at $C000). With more, the mapper decides
 * (rom/nes.ts): an address in a fixed window ($C000–$FFFF on UxROM, MMC1's power-on mode and
 * MMC3, all in the last 16 KiB) maps to its fixed bank; an address in the switchable window the
 * code itself runs from maps to the code's own bank (code reads its own bank's data); any other
 * address names a bank the code does not show, and is not resolved.
 */
export function prgOffsetOf(address: number, from: number, prg: { header: NesHeader; start: number; end: number }): number {
  if (address < 0x8000 || address > 0xffff) return -1;
  const size = prg.end - prg.start;
  if (size <= 0x8000) return prg.start + ((address - 0x8000) % size);
  try {
    const fixedWindowsStart = 0xc000;
    const fixed = nesBusToOffset(address, prg.header);
    if (address >= fixedWindowsStart && fixed >= prg.end - 0x4000) return fixed;
    const codeBus = nesOffsetToBus(from, prg.header);
    const offset = from + (address - (codeBus & 0xffff));
    if (offset < prg.start || offset >= prg.end) return -1;
    return nesOffsetToBus(offset, prg.header) === ((codeBus & ~0xffff) | address) ? offset : -1;
  } catch {
    // A mapper whose windows romgfx does not know: the bank is not known.
    return -1;
  }
}

/** Whether the `length` bytes at `offset` read as a palette (see the module comment). */
export function readsAsNesPalette(data: Uint8Array, offset: number, length: number): boolean {
  if (length < nesSubPaletteSizeInBytes || length > nesPaletteRamSizeInBytes || length % nesSubPaletteSizeInBytes !== 0) return false;
  if (offset < 0 || offset + length > data.length) return false;
  let first = -1;
  let distinct = 1;
  for (let p = offset; p < offset + length; p++) {
    const v = data[p]!;
    if (v > maximumNesColourIndex || v === forbiddenNesColourIndex) return false;
    if (first < 0) first = v;
    else if (v !== first) distinct = 2;
  }
  return distinct >= minimumDistinctNesPaletteValues;
}

/** Whether the bytes at `p` are an absolute store (STA/STX/STY) to PPU register `low` ($20xx). */
function storesToPpu(data: Uint8Array, p: number, low: number): boolean {
  return p + 2 < data.length && storeAbsoluteOpcodes.has(data[p]!) && data[p + 1] === low && data[p + 2] === ppuRegisterHigh;
}

/** An upload loop through a zero-page pointer (`LDA (zp),Y`): where its `$3F` store is, the pointer, and the bytes it copies from it. */
interface PointerUploadLoop {
  at: number;
  pointer: number;
  start: number;
  length: number;
}

/**
 * Upload loops: `#$3F` → $2006, low byte → $2006, then `LDA table,X|Y` (or `LDA (zp),Y`) /
 * `STA $2007` / `INX|INY` / `CPX|CPY #n` / `BNE|BCC` back to the load. Loops from a table are
 * palettes at once; loops through a pointer are returned for pointerUploadPalettes.
 */
function uploadLoopPalettes(data: Uint8Array, prg: { header: NesHeader; start: number; end: number }, out: NamedPalette[]): { pointerLoops: PointerUploadLoop[]; buffers: PaletteBuffer[] } {
  const pointerLoops: PointerUploadLoop[] = [];
  const buffers: PaletteBuffer[] = [];
  for (let p = prg.start; p + 4 < prg.end; p++) {
    if (!loadImmediateOpcodes.has(data[p]!) || data[p + 1] !== 0x3f || !storesToPpu(data, p + 2, ppuAddressLow)) continue;
    // The low byte's store to $2006.
    let low = -1;
    for (let q = p + 5; q < Math.min(prg.end, p + 5 + maximumPpuAddressLowStoreDistanceInBytes); q++) {
      if (storesToPpu(data, q, ppuAddressLow)) {
        low = q + 3;
        break;
      }
    }
    if (low < 0) continue;
    for (let q = low; q + 11 < Math.min(prg.end, low + maximumPaletteLoopDistanceInBytes + 12); q++) {
      const load = data[q]!;
      // The load's operand: 2 bytes (absolute) or 1 (a zero-page pointer).
      const operand = load === ldaAbsoluteX || load === ldaAbsoluteY ? 2 : load === ldaIndirectY ? 1 : 0;
      if (operand === 0) continue;
      const store = q + 1 + operand;
      if (data[store] !== 0x8d || !storesToPpu(data, store, ppuDataLow)) continue;
      const byX = load === ldaAbsoluteX;
      if (data[store + 3] !== (byX ? inx : iny) || data[store + 4] !== (byX ? cpxImmediate : cpyImmediate)) continue;
      const branch = data[store + 6]!;
      if (branch !== bne && branch !== bcc) continue;
      // The branch goes back to the load (rel is from the byte after the branch).
      const rel = data[store + 7]! >= 0x80 ? data[store + 7]! - 0x100 : data[store + 7]!;
      if (store + 8 + rel !== q) continue;
      // The index's start value: the last `LDX/LDY #s` between the $3F store and the loop.
      const start = indexStart(data, p + 5, q, byX ? ldxImmediate : ldyImmediate);
      if (start < 0) continue;
      const length = data[store + 5]! - start;
      if (operand === 1) {
        pointerLoops.push({ at: p, pointer: data[q + 1]!, start, length });
        break;
      }
      const address = data[q + 1]! | (data[q + 2]! << 8);
      if (address + start < cpuRamEnd) {
        // A buffer in RAM: the palette gets there by another loop (ramCopyPalettes).
        if (length > 0 && length <= nesPaletteRamSizeInBytes) buffers.push({ start: address + start, end: address + start + length, at: q });
        break;
      }
      const offset = prgOffsetOf(address + start, q, prg);
      if (offset < 0 || !readsAsNesPalette(data, offset, length)) continue;
      out.push({ offset, length, score: paletteUploadLoopScore, evidence: `copied to $3F00 by the upload loop at ${hex(q)} ($3F stored to $2006 at ${hex(p + 2)})` });
      break;
    }
  }
  return { pointerLoops, buffers };
}

/** The end of the CPU's internal RAM ($0000–$07FF) on the NES. */
const cpuRamEnd = 0x0800;

/** A RAM buffer an upload loop copies to $3F00: its CPU address range and the loop's ROM offset. */
interface PaletteBuffer {
  start: number;
  end: number;
  at: number;
}

/**
 * Palettes copied into a RAM buffer that an upload loop copies to $3F00 (games keep the palette
 * in RAM so fades and the NMI can rewrite it): `LDA table,X` / `STA buffer,X` / `INX` / `CPX #n` /
 * `BNE|BCC` back (or through Y), with the index's start `s` from `LDX/LDY #s` just before it, and
 * `buffer + s … buffer + n` inside the buffer the upload loop reads.
 */
function ramCopyPalettes(data: Uint8Array, prg: { header: NesHeader; start: number; end: number }, buffers: readonly PaletteBuffer[], out: NamedPalette[]): void {
  if (buffers.length === 0) return;
  for (let q = prg.start; q + 11 <= prg.end; q++) {
    const load = data[q]!;
    if (load !== ldaAbsoluteX && load !== ldaAbsoluteY) continue;
    const byX = load === ldaAbsoluteX;
    if (data[q + 3] !== (byX ? staAbsoluteX : staAbsoluteY) || data[q + 6] !== (byX ? inx : iny) || data[q + 7] !== (byX ? cpxImmediate : cpyImmediate)) continue;
    const branch = data[q + 9]!;
    if (branch !== bne && branch !== bcc) continue;
    const rel = data[q + 10]! >= 0x80 ? data[q + 10]! - 0x100 : data[q + 10]!;
    if (q + 11 + rel !== q) continue;
    const start = indexStart(data, Math.max(prg.start, q - maximumPointerCallDistanceInBytes), q, byX ? ldxImmediate : ldyImmediate);
    if (start < 0) continue;
    const length = data[q + 8]! - start;
    const destination = (data[q + 4]! | (data[q + 5]! << 8)) + start;
    const buffer = buffers.find((b) => destination >= b.start && destination + length <= b.end);
    if (buffer === undefined) continue;
    const offset = prgOffsetOf((data[q + 1]! | (data[q + 2]! << 8)) + start, q, prg);
    if (offset < 0 || !readsAsNesPalette(data, offset, length)) continue;
    out.push({ offset, length, score: paletteUploadLoopScore, evidence: `copied by the loop at ${hex(q)} to the palette buffer $${destination.toString(16).padStart(4, '0')}, which the upload loop at ${hex(buffer.at)} copies to $3F00` });
  }
}

/** Store opcode (zero page) for each immediate load: LDA → STA, LDX → STX, LDY → STY. */
const zeroPageStoreFor: ReadonlyMap<number, number> = new Map([
  [ldaImmediate, staZeroPage],
  [ldxImmediate, stxZeroPage],
  [ldyImmediate, 0x84],
]);

/**
 * Palettes passed to a pointer upload loop: `LDA #<t` / `STA zp` / `LDA #>t` / `STA zp+1` (either
 * half first; LDX/STX and LDY/STY too), then within a few bytes either `JSR r` where `r` opens
 * with the loop's `$3F` store (within maximumPaletteLoopDistanceInBytes of its entry) or the loop
 * itself, through the same pointer. The table is `t` + the loop's start index.
 */
function pointerUploadPalettes(data: Uint8Array, prg: { header: NesHeader; start: number; end: number }, loops: readonly PointerUploadLoop[], out: NamedPalette[]): void {
  if (loops.length === 0) return;
  for (let p = prg.start; p + 8 <= prg.end; p++) {
    const firstStore = zeroPageStoreFor.get(data[p]!);
    const secondStore = zeroPageStoreFor.get(data[p + 4]!);
    if (firstStore === undefined || secondStore === undefined || data[p + 2] !== firstStore || data[p + 6] !== secondStore) continue;
    const firstZp = data[p + 3]!;
    const secondZp = data[p + 7]!;
    let pointer: number;
    let address: number;
    if (secondZp === ((firstZp + 1) & 0xff)) {
      pointer = firstZp;
      address = data[p + 1]! | (data[p + 5]! << 8);
    } else if (firstZp === ((secondZp + 1) & 0xff)) {
      pointer = secondZp;
      address = data[p + 5]! | (data[p + 1]! << 8);
    } else continue;
    const after = p + 8;
    const loop = loops.find((l) => {
      if (l.pointer !== pointer) return false;
      // Inline: the loop's $3F store follows the pointer stores.
      if (l.at >= after && l.at - after <= maximumPointerCallDistanceInBytes) return true;
      // Called: a JSR right after the stores, to a routine that opens with the loop.
      for (let q = after; q + 2 < Math.min(prg.end, after + maximumPointerCallDistanceInBytes + 3); q++) {
        if (data[q] !== jsr) continue;
        const entry = prgOffsetOf(data[q + 1]! | (data[q + 2]! << 8), q, prg);
        if (entry >= 0 && l.at >= entry && l.at - entry <= maximumPaletteLoopDistanceInBytes) return true;
      }
      return false;
    });
    if (loop === undefined) continue;
    const offset = prgOffsetOf(address + loop.start, p, prg);
    if (offset < 0 || !readsAsNesPalette(data, offset, loop.length)) continue;
    out.push({ offset, length: loop.length, score: paletteUploadLoopScore, evidence: `its address is stored to the pointer $${pointer.toString(16).padStart(2, '0')} at ${hex(p)} for the $3F00 upload loop at ${hex(loop.at)}` });
  }
}

/** The immediate of the last `opcode #s` in [from, to), or -1. */
function indexStart(data: Uint8Array, from: number, to: number, opcode: number): number {
  for (let p = to - 2; p >= from; p--) if (data[p] === opcode) return data[p + 1]!;
  return -1;
}

/**
 * The count a palette loader at ROM offset `entry` copies (16 or 32), or 0 when the routine is not
 * shaped as one: `STA zp` / `STX zp+1`, an immediate load of 16 or 32 within a few bytes, and
 * `LDA (zp),Y` near the entry.
 */
function loaderCount(data: Uint8Array, entry: number, prg: { start: number; end: number }): number {
  if (entry < prg.start || entry + 4 > prg.end) return 0;
  if (data[entry] !== staZeroPage || data[entry + 2] !== stxZeroPage || data[entry + 3] !== ((data[entry + 1]! + 1) & 0xff)) return 0;
  const pointer = data[entry + 1]!;
  let count = 0;
  for (let p = entry + 4; p + 1 < Math.min(prg.end, entry + 4 + maximumLoaderCountDistanceInBytes); p++) {
    if (loadImmediateOpcodes.has(data[p]!) && (data[p + 1] === nesPaletteRamSizeInBytes || data[p + 1] === nesPaletteRamSizeInBytes / 2)) {
      count = data[p + 1]!;
      break;
    }
  }
  if (count === 0) return 0;
  const from = Math.max(prg.start, entry - maximumLoaderCopyDistanceInBytes);
  const to = Math.min(prg.end - 1, entry + maximumLoaderCopyDistanceInBytes);
  for (let p = from; p < to; p++) if (data[p] === ldaIndirectY && data[p + 1] === pointer) return count;
  return 0;
}

/** One cc65 fastcall with a pointer argument: `LDA #<table` / `LDX #>table` / `JSR routine`. */
export interface Cc65PointerCall {
  /** ROM offset of the `LDA #<table`. */
  call: number;
  /** ROM offset of the routine called (resolved as the calling code's bank sees it). */
  entry: number;
  /** ROM offset of the table passed, or -1 when it is not in PRG the code can see. */
  table: number;
}

/**
 * Every cc65 fastcall passing a pointer in A (low) and X (high) to a routine in PRG: cc65 passes
 * the last argument of a `__fastcall__` C function in A/X, so `f(table)` compiles to
 * `LDA #<table` / `LDX #>table` / `JSR _f` (cc65 calling conventions). Calls whose routine is
 * not in visible PRG are skipped.
 */
export function cc65PointerCalls(data: Uint8Array, prg: { header: NesHeader; start: number; end: number }): Cc65PointerCall[] {
  const calls: Cc65PointerCall[] = [];
  for (let p = prg.start; p + 7 <= prg.end; p++) {
    if (data[p] !== ldaImmediate || data[p + 2] !== ldxImmediate || data[p + 4] !== jsr) continue;
    const entry = prgOffsetOf(data[p + 5]! | (data[p + 6]! << 8), p, prg);
    if (entry < 0) continue;
    calls.push({ call: p, entry, table: prgOffsetOf(data[p + 1]! | (data[p + 3]! << 8), p, prg) });
  }
  return calls;
}

/** Palettes passed to palette loaders as cc65 pointer arguments (`LDA #<t` / `LDX #>t` / `JSR loader`). */
function loaderPointerPalettes(data: Uint8Array, prg: { header: NesHeader; start: number; end: number }, out: NamedPalette[]): void {
  const byLoader = new Map<number, { count: number; tables: { table: number; call: number }[]; allPalettes: boolean }>();
  for (const { call: p, entry, table } of cc65PointerCalls(data, prg)) {
    let loader = byLoader.get(entry);
    if (loader === undefined) {
      loader = { count: loaderCount(data, entry, prg), tables: [], allPalettes: true };
      byLoader.set(entry, loader);
    }
    if (loader.count === 0 || !loader.allPalettes) continue;
    if (table < 0 || !readsAsNesPalette(data, table, loader.count)) {
      loader.allPalettes = false;
      continue;
    }
    loader.tables.push({ table, call: p });
  }
  for (const [entry, loader] of byLoader) {
    if (loader.count === 0 || !loader.allPalettes) continue;
    for (const { table, call } of loader.tables) {
      out.push({ offset: table, length: loader.count, score: paletteLoaderPointerScore, evidence: `passed by the call at ${hex(call)} to the palette loader at ${hex(entry)} (pointer in A/X, ${loader.count} bytes copied)` });
    }
  }
}

/**
 * NES palettes named by code in PRG-ROM (see the module comment), as `palette` candidates in the
 * `nes-index` format, within [start, end) and not overlapping `candidates`.
 */
export function findNesPalettes(data: Uint8Array, platform: Platform, candidates: readonly ScanCandidate[], start = 0, end = data.length): ScanCandidate[] {
  const named = namedPalettes(data, platform);
  const found: ScanCandidate[] = [];
  for (const palette of named) {
    if (palette.offset < start || palette.offset >= end) continue;
    const palEnd = palette.offset + palette.length;
    if ([...candidates, ...found].some((c) => c.offset < palEnd && palette.offset < c.offset + c.packedLength)) continue;
    found.push({ offset: palette.offset, packedLength: palette.length, unpackedLength: palette.length, codec: 'raw', kind: 'palette', format: 'nes-index', score: palette.score });
  }
  return found;
}

/** Every palette named by code, best evidence first at each offset. */
function namedPalettes(data: Uint8Array, platform: Platform): NamedPalette[] {
  if (platform !== 'nes') return [];
  const prg = prgOf(data);
  if (prg === null) return [];
  const named: NamedPalette[] = [];
  const { pointerLoops, buffers } = uploadLoopPalettes(data, prg, named);
  pointerUploadPalettes(data, prg, pointerLoops, named);
  ramCopyPalettes(data, prg, buffers, named);
  loaderPointerPalettes(data, prg, named);
  return named.sort((a, b) => a.offset - b.offset || b.score - a.score || b.length - a.length);
}

/** What names the NES palette at `offset` (for `--explain`), or null when no code names one there. */
export function nesPaletteEvidence(data: Uint8Array, platform: Platform, offset: number): string | null {
  return namedPalettes(data, platform).find((p) => p.offset === offset)?.evidence ?? null;
}
