/**
 * SNES palettes the program itself loads into CGRAM. Colour statistics alone cannot justify a
 * 16- or 32-byte palette (one 4bpp sub-palette: 8–16 words with bit 15 clear turn up by chance
 * beside any block), but the code says where every palette is and how long: CGRAM is written
 * only through CGDATA ($2122) after its address is set in CGADD ($2121), by DMA or by the CPU
 * (fullsnes, "SNES Palette"; "SNES DMA Transfers"). Three shapes are read, each fixed by the
 * hardware:
 *
 * 1. DMA straight from ROM: a channel whose B-bus address ($43n1) is $22 (CGDATA), written A to B
 *    (DMAP bit 7 clear) in mode 0 or 2 (one register), with its source in $43n2–$43n4 and its
 *    byte count in $43n5–$43n6; CGADD written nearby gives the first colour.
 * 2. A call to a CGRAM copy routine: CGADD written, then only immediate loads (and register-width
 *    and bank switches) up to a `jsr`/`jsl`. Setting CGADD is useless unless CGDATA is written
 *    next, so the ROM pointer loaded for that call is the palette's source; its byte count is the
 *    one small even immediate among the loads (libSFX's `CGRAM_memcpy`, lorom-template's DMA
 *    helper); its bank is an 8-bit immediate, else the code's own bank (data bank = program
 *    bank, `phk`/`plb`, as those routines read it).
 * 3. A block move (`mvn`, its count, source and destination loaded just before) from ROM into a
 *    RAM buffer that a DMA of shape 1 copies to CGDATA: a palette shadow, uploaded in vblank.
 *    The buffer's offset gives the first colour.
 * 4. A CPU loop: `lda source,x` (or `,y`, absolute or long), `sta $2122`, the index stepped and
 *    compared with an immediate byte count, a branch back to the load.
 *
 * What makes each load one palette or two: a load whose source contains the start of another
 * load holds two files (the code reaches the second on its own), and a load that crosses CGRAM
 * colour 128 holds a BG palette and an OBJ palette (sprites take their colours from 128–255
 * only; 2bpp and 4bpp backgrounds from 0–127), unless it is a full 256-colour load (an 8bpp
 * background's palette, one file). Every colour of a palette has bit 15 clear: the hardware
 * ignores it and assemblers and converters write 0 there, so a load over bytes with bit 15 set
 * is not a palette in ROM (a pointer read by chance) and is not reported.
 */
import { detectSnesHeader, snesBusToOffset, snesOffsetToBus, type SnesMapping } from '../rom/snes.js';
import type { Platform } from '../rom/platform.js';
import type { ScanCandidate } from './types.js';

/** CGRAM in bytes: 256 colours of 2 bytes. */
export const cgramSizeInBytes = 512;
/** The first OBJ colour: sprites use CGRAM colours 128–255, 2/4bpp backgrounds 0–127. */
export const firstObjColour = 128;
/** The smallest palette loaded: one 2bpp sub-palette of 4 colours, in bytes. */
export const minimumLoadedPaletteSizeInBytes = 8;
/** Distinct colours a loaded palette needs (fewer: a fill or a table of one value), capped by its colour count. */
const minimumDistinctLoadedColours = 4;
/** Bytes around a DMA channel's B-bus store in which its source, bank, count and CGADD are looked for. */
const dmaSetupWindowInBytes = 24;
/** Bytes after a CGADD store in which the call to a copy routine must come. */
const callSetupWindowInBytes = 24;
/** B-bus address of CGDATA ($2122). */
const cgdataBusAddress = 0x22;
const cgaddRegister = 0x2121;
const cgdataRegister = 0x2122;
/** Bytes after a `sta $2122` in which a CPU copy loop's compare and branch back must come, and before its load the branch may land. */
const cpuLoopWindowInBytes = 8;
/** WRAM: $7E:0000–$7F:FFFF, its first 8 KiB mirrored at $0000–$1FFF of banks $00–$3F and $80–$BF. */
const wramMirrorEndAddress = 0x2000;

/** One load into CGRAM from ROM: where, how many bytes, and the first colour (-1 when not known). */
export interface CgramLoad {
  offset: number;
  length: number;
  colour: number;
  /** Where the code that loads it is. */
  source: number;
}

/** A RAM buffer the code DMAs to CGDATA. */
interface CgramShadow {
  wram: number;
  length: number;
  colour: number;
}

const cache = new WeakMap<Uint8Array, CgramLoad[]>();

/** Every CGRAM load from ROM the code of `data` (a SNES ROM) makes, in the three shapes above. */
export function snesCgramLoads(data: Uint8Array): CgramLoad[] {
  let loads = cache.get(data);
  if (loads === undefined) {
    loads = computeLoads(data);
    cache.set(data, loads);
  }
  return loads;
}

function computeLoads(data: Uint8Array): CgramLoad[] {
  const header = detectSnesHeader(data);
  if (header === undefined) return [];
  const mapping = header.mapping;
  const n = data.length;
  const loads: CgramLoad[] = [];
  const shadows: CgramShadow[] = [];
  const romOffset = (bank: number, address: number): number => {
    try {
      return snesBusToOffset((bank << 16) | address, mapping, n);
    } catch {
      return -1;
    }
  };
  for (const i of registerStores(data)) {
    const op = data[i]!;
    const register = data[i + 1]! | (data[i + 2]! << 8);
    // $4300–$437F: DMA channels 0–7.
    if ((register & 0xff8e) === 0x4300) dmaToCgdata(i, register);
    else if (register === cgaddRegister) callAfterCgadd(i);
    else if (register === cgdataRegister && op === 0x8d) cpuLoop(i);
  }
  // Block moves into a shadow (after every shadow is known).
  for (const q of shadows.length === 0 ? [] : blockMoves(data)) {
    const move = blockMoveAt(data, q);
    if (move === null) continue;
    const destination = wramAddress(move.destinationBank, move.destination);
    if (destination < 0) continue;
    const offset = romOffset(move.sourceBank, move.source);
    if (offset < 0 || offset + move.length > n) continue;
    for (const shadow of shadows) {
      const into = destination - shadow.wram;
      if (into < 0 || into + move.length > shadow.length || into % 2 !== 0) continue;
      loads.push({ offset, length: move.length, colour: shadow.colour < 0 ? -1 : shadow.colour + into / 2, source: q });
      break;
    }
  }
  return loads;

  /** Shape 1, from the store to $43n0 (DMAP and BBAD in one 16-bit write) or $43n1 (BBAD). */
  function dmaToCgdata(i: number, register: number): void {
    const channel = register & 0x00f0;
    if ((register & 0x0f) === 0) {
      const control = immediateBefore(data, i, 16);
      if (control < 0 || control >>> 8 !== cgdataBusAddress || !isCgdataTransferMode(control & 0xff)) return;
    } else {
      if (immediateBefore(data, i, 8) !== cgdataBusAddress) return;
      // DMAP written apart: it must be a one-register mode, A to B.
      const control = storedNear(data, i, 0x4300 | channel, 8, dmaSetupWindowInBytes);
      if (control >= 0 && !isCgdataTransferMode(control)) return;
    }
    const address = storedNear(data, i, 0x4302 | channel, 16, dmaSetupWindowInBytes);
    const bank = storedNear(data, i, 0x4304 | channel, 8, dmaSetupWindowInBytes);
    const length = storedNear(data, i, 0x4305 | channel, 16, dmaSetupWindowInBytes);
    if (address < 0 || bank < 0 || length <= 0 || length > cgramSizeInBytes) return;
    const colour = storedNear(data, i, cgaddRegister, 8, dmaSetupWindowInBytes);
    const wram = wramAddress(bank, address);
    if (wram >= 0) {
      shadows.push({ wram, length, colour });
      return;
    }
    const offset = romOffset(bank, address);
    if (offset >= 0 && offset + length <= n) loads.push({ offset, length, colour, source: i });
  }

  /**
   * Shape 4, from `sta $2122` at `i`: `lda source,x` (or `,y`; absolute or long) right before it,
   * then the index stepped and compared with an immediate count (`cpx/cpy #n`) and a branch back
   * to the load, within a few bytes. CGDATA takes a colour a byte at a time (A is 8-bit: a 16-bit
   * store would write $2123 too), so the count is in bytes.
   */
  function cpuLoop(i: number): void {
    let loadAt = -1;
    let bank = -1;
    let index = '';
    if (i >= 4 && data[i - 4] === 0xbf) {
      loadAt = i - 4;
      bank = data[i - 1]!;
      index = 'x';
    } else if (i >= 3 && (data[i - 3] === 0xbd || data[i - 3] === 0xb9)) {
      loadAt = i - 3;
      index = data[i - 3] === 0xbd ? 'x' : 'y';
      bank = programBank(i, mapping, n);
    }
    if (loadAt < 0 || bank < 0) return;
    const address = data[loadAt + 1]! | (data[loadAt + 2]! << 8);
    const compare = index === 'x' ? 0xe0 : 0xc0;
    for (let p = i + 3; p < i + 3 + cpuLoopWindowInBytes && p + 3 < n; p++) {
      if (data[p] !== compare) continue;
      // The compare's width is told by where the branch back (bne/bcc) is.
      for (const width of [2, 1]) {
        const branch = p + 1 + width;
        if (data[branch] !== 0xd0 && data[branch] !== 0x90) continue;
        const target = branch + 2 + ((data[branch + 1]! << 24) >> 24);
        if (target > loadAt || target < loadAt - cpuLoopWindowInBytes) continue;
        const count = width === 2 ? data[p + 1]! | (data[p + 2]! << 8) : data[p + 1]!;
        // The index starts at 0 (`ldx #0` / `ldy #0` before the loop), so the count is the byte count.
        if (!zeroedBefore(data, target, index === 'x' ? 0xa2 : 0xa0)) return;
        const offset = romOffset(bank, address);
        if (count > 0 && offset >= 0 && offset + count <= n) loads.push({ offset, length: count, colour: storedNear(data, loadAt, cgaddRegister, 8, dmaSetupWindowInBytes), source: i });
        return;
      }
    }
  }

  /** Shape 2, from the CGADD store at `i`. */
  function callAfterCgadd(i: number): void {
    const colour = data[i] === 0x9c ? 0 : immediateBefore(data, i, 8);
    const after = i + (data[i] === 0x8f ? 4 : 3);
    const readings = new Set<string>();
    const found: { pointer: number; bank: number; count: number }[] = [];
    walkToCall(data, after, after + callSetupWindowInBytes, -1, -1, [], (immediates) => {
      const pointers = immediates.filter((v) => v.width === 16 && v.value >= 0x8000);
      const counts = immediates.filter((v) => v.width === 16 && v.value >= minimumLoadedPaletteSizeInBytes && v.value <= cgramSizeInBytes && v.value % 2 === 0);
      const banks = immediates.filter((v) => v.width === 8);
      if (pointers.length !== 1 || counts.length !== 1 || banks.length > 1) return;
      const reading = { pointer: pointers[0]!.value, bank: banks.length === 1 ? banks[0]!.value : -1, count: counts[0]!.value };
      const key = `${reading.pointer}:${reading.bank}:${reading.count}`;
      if (!readings.has(key)) {
        readings.add(key);
        found.push(reading);
      }
    });
    // Two readings of the same bytes (an immediate's width unknown) that disagree: say nothing.
    if (found.length !== 1) return;
    const { pointer, count } = found[0]!;
    const bank = found[0]!.bank >= 0 ? found[0]!.bank : programBank(i, mapping, n);
    if (bank < 0) return;
    const offset = romOffset(bank, pointer);
    if (offset >= 0 && offset + count <= n) loads.push({ offset, length: count, colour, source: i });
  }
}

/** Whether `ldx #0` or `ldy #0` (the `load` opcode, 8- or 16-bit) is within cpuLoopWindowInBytes before `at`. */
function zeroedBefore(data: Uint8Array, at: number, load: number): boolean {
  for (let p = Math.max(0, at - cpuLoopWindowInBytes); p < at; p++) {
    if (data[p] !== load || data[p + 1] !== 0) continue;
    if (p + 2 === at || (p + 3 <= at && data[p + 2] === 0)) return true;
  }
  return false;
}

/**
 * Offsets of every store to a register page this module reads ($21xx, $43xx): one pass over the
 * ROM with the operand's high byte tested first (1 byte in 128 passes it), kept apart from the
 * per-store work so that the loop stays tight.
 */
function registerStores(data: Uint8Array): number[] {
  const out: number[] = [];
  const end = data.length - 3;
  for (let i = 0; i <= end; i++) {
    const page = data[i + 2]!;
    if (page !== 0x21 && page !== 0x43) continue;
    const op = data[i]!;
    if (op === 0x8d || op === 0x8e || op === 0x8c || op === 0x9c || (op === 0x8f && i + 3 < data.length && isRegisterBank(data[i + 3]))) out.push(i);
  }
  return out;
}

/** Offsets of `mvn` opcodes with room for the three loads before them. */
function blockMoves(data: Uint8Array): number[] {
  const out: number[] = [];
  for (let q = 9; q + 3 <= data.length; q++) if (data[q] === 0x54) out.push(q);
  return out;
}

/** `sta`/`stx`/`sty`/`stz` absolute, or `sta` long into bank $00/$80 (the registers' banks). */
function isStoreOpcode(op: number): boolean {
  return op === 0x8d || op === 0x8e || op === 0x8c || op === 0x9c || op === 0x8f;
}

/** Banks whose $2000–$5FFF are the PPU and CPU registers a long store may name ($00 and its FastROM mirror $80). */
function isRegisterBank(bank: number | undefined): boolean {
  return bank === 0x00 || bank === 0x80;
}

/** The load opcode (`lda/ldx/ldy #`) whose register a store opcode writes, or -1 (`stz`). */
function loadFor(store: number): number {
  return store === 0x8e ? 0xa2 : store === 0x8c ? 0xa0 : store === 0x8d || store === 0x8f ? 0xa9 : -1;
}

/** The immediate loaded into the stored register right before the store at `i` (8- or 16-bit), or -1. */
function immediateBefore(data: Uint8Array, i: number, width: 8 | 16): number {
  const load = loadFor(data[i]!);
  if (load < 0) return data[i] === 0x9c ? 0 : -1;
  if (width === 16) return i >= 3 && data[i - 3] === load ? data[i - 2]! | (data[i - 1]! << 8) : -1;
  return i >= 2 && data[i - 2] === load ? data[i - 1]! : -1;
}

/** The immediate stored into `register` by a store within `window` bytes of `i`, nearest first, or -1. */
function storedNear(data: Uint8Array, i: number, register: number, width: 8 | 16, window: number): number {
  for (let d = 0; d <= window; d++) {
    for (const p of d === 0 ? [i] : [i - d, i + d]) {
      if (p < 0 || p + 3 > data.length || !isStoreOpcode(data[p]!)) continue;
      if (data[p] === 0x8f && !isRegisterBank(data[p + 3])) continue;
      if ((data[p + 1]! | (data[p + 2]! << 8)) !== register) continue;
      const value = immediateBefore(data, p, width);
      if (value >= 0) return value;
    }
  }
  return -1;
}

/** DMAP: A to B (bit 7 clear), address stepping (bit 3 clear), mode 0 or 2 (one B-bus register: CGDATA takes both bytes of a colour itself). */
function isCgdataTransferMode(control: number): boolean {
  const mode = control & 0x07;
  return (control & 0x88) === 0 && (mode === 0 || mode === 2);
}

/** The WRAM address a bus address reaches, or -1 when it is not WRAM. */
function wramAddress(bank: number, address: number): number {
  if (bank === 0x7e || bank === 0x7f) return ((bank - 0x7e) << 16) | address;
  if ((bank & 0x7f) < 0x40 && address < wramMirrorEndAddress) return address;
  return -1;
}

/** The bank the code at ROM offset `i` runs in (where its data bank points after `phk`/`plb`), or -1. */
function programBank(i: number, mapping: SnesMapping, romSize: number): number {
  try {
    return snesOffsetToBus(i, mapping, romSize) >>> 16;
  } catch {
    return -1;
  }
}

/** `mvn` at `q` after `lda #count-1`, `ldx #source`, `ldy #destination` (16-bit, any order), or null. */
function blockMoveAt(data: Uint8Array, q: number): { source: number; sourceBank: number; destination: number; destinationBank: number; length: number } | null {
  let a = -1;
  let x = -1;
  let y = -1;
  for (let k = 1; k <= 3; k++) {
    const p = q - 3 * k;
    const value = data[p + 1]! | (data[p + 2]! << 8);
    if (data[p] === 0xa9 && a < 0) a = value;
    else if (data[p] === 0xa2 && x < 0) x = value;
    else if (data[p] === 0xa0 && y < 0) y = value;
    else return null;
  }
  const length = a + 1;
  // The operand bytes are the destination bank, then the source bank.
  return length <= cgramSizeInBytes ? { source: x, sourceBank: data[q + 2]!, destination: y, destinationBank: data[q + 1]!, length } : null;
}

interface Immediate {
  value: number;
  width: 8 | 16;
}

/**
 * Walks the instructions from `at` to a `jsr abs`/`jsl long` before `end`, allowing only
 * immediate loads, `rep`/`sep` and the bank pushes and pulls; calls `done` with the immediates of
 * every way the bytes read so (an immediate's width depends on the M and X flags: known after a
 * `rep`/`sep`, otherwise both widths are tried).
 */
function walkToCall(data: Uint8Array, at: number, end: number, m8: number, x8: number, immediates: Immediate[], done: (immediates: Immediate[]) => void): void {
  if (at >= end || at >= data.length) return;
  const op = data[at]!;
  if (op === 0x20 || op === 0x22) {
    done(immediates);
    return;
  }
  if (op === 0xc2 || op === 0xe2) {
    if (at + 1 >= data.length) return;
    const flags = data[at + 1]!;
    const set = op === 0xe2;
    const m = flags & 0x20 ? (set ? 1 : 0) : m8;
    const x = flags & 0x10 ? (set ? 1 : 0) : x8;
    walkToCall(data, at + 2, end, m, x, immediates, done);
    return;
  }
  if (op === 0x8b || op === 0x4b || op === 0xab) {
    walkToCall(data, at + 1, end, m8, x8, immediates, done);
    return;
  }
  if (op !== 0xa9 && op !== 0xa2 && op !== 0xa0) return;
  const flag = op === 0xa9 ? m8 : x8;
  if (flag !== 1 && at + 2 < data.length) walkToCall(data, at + 3, end, m8, x8, [...immediates, { value: data[at + 1]! | (data[at + 2]! << 8), width: 16 }], done);
  if (flag !== 0 && at + 1 < data.length) walkToCall(data, at + 2, end, m8, x8, [...immediates, { value: data[at + 1]!, width: 8 }], done);
}

/**
 * The palettes the code loads into CGRAM (see above), as candidates, except where they overlap
 * one of `candidates` that is not a palette. Each load is cut at the starts of the other loads
 * inside it and, when it crosses colour 128 and is not a full 256-colour load, at that colour.
 */
export function findCgramLoadedPalettes(data: Uint8Array, platform: Platform, candidates: readonly ScanCandidate[]): ScanCandidate[] {
  if (platform !== 'snes') return [];
  const loads = snesCgramLoads(data).filter((l) => l.length >= minimumLoadedPaletteSizeInBytes && l.length % 2 === 0 && l.length <= cgramSizeInBytes && (l.colour < 0 || l.colour + l.length / 2 <= cgramSizeInBytes / 2));
  const starts = [...new Set(loads.map((l) => l.offset))];
  const parts = new Map<number, number>();
  for (const load of loads) {
    const end = load.offset + load.length;
    const cuts = starts.filter((s) => s > load.offset && s < end);
    const colours = load.length / 2;
    if (load.colour >= 0 && load.colour < firstObjColour && load.colour + colours > firstObjColour && !(load.colour === 0 && colours === cgramSizeInBytes / 2)) cuts.push(load.offset + (firstObjColour - load.colour) * 2);
    cuts.sort((a, b) => a - b);
    let from = load.offset;
    for (const cut of [...cuts, end]) {
      if (cut > from) parts.set(from, Math.max(parts.get(from) ?? 0, cut - from));
      from = cut;
    }
  }
  const found: ScanCandidate[] = [];
  for (const [offset, length] of [...parts].sort((a, b) => a[0] - b[0])) {
    if (length < minimumLoadedPaletteSizeInBytes) continue;
    const end = offset + length;
    if (found.some((c) => c.offset < end && offset < c.offset + c.packedLength)) continue;
    if (candidates.some((c) => c.kind !== 'palette' && c.offset < end && offset < c.offset + c.packedLength)) continue;
    const distinct = new Set<number>();
    let colours = true;
    for (let p = offset; p < end; p += 2) {
      const colour = data[p]! | (data[p + 1]! << 8);
      if ((colour & 0x8000) !== 0) {
        colours = false;
        break;
      }
      distinct.add(colour);
    }
    if (!colours || distinct.size < Math.min(minimumDistinctLoadedColours, length / 2)) continue;
    found.push({ offset, packedLength: length, unpackedLength: length, codec: 'raw', kind: 'palette', format: 'bgr555', score: Math.round((distinct.size / (length / 2)) * 10000) / 10000 });
  }
  return found;
}
