/**
 * What Game Boy code passes to the routines it calls. Headerless codecs such as PB16 store no
 * length: the caller says how much to unpack. PinoBatch's `pb16_unpack_block` (libbet, and the
 * GB template it comes from) takes the source in DE, the destination in HL and a count of 16-byte
 * units (one 2bpp tile each) in B; a program loads them just before the `call`, as immediates
 * (`ld de,label` / `ld b,N`) or from the data itself (`ld a,[de]` / `inc de` / `ld b,a`: a count
 * byte before the stream). Such routines leave DE just past what they read, so a second call
 * without a new `ld de` unpacks the stream that follows (a border's tiles, then its map), and a
 * `push de` … `pop hl` hands that end to a plain copy (the border's palette after its map).
 *
 * The SM83's instruction lengths are fixed by the opcode (Pan Docs, CPU instruction set), so the
 * code after each `ld de,nn` is followed instruction by instruction, straight-line, for a short
 * window: registers B, C, A, DE, HL and the stack hold known values or "unknown"; a forward
 * conditional `jr` also carries its state to its target (a choice between two sources, e.g.
 * libbet's DMG or SGB floor border, both reaching one call), a backward one (a loop) falls
 * through; `ret`, `jp` and unconditional jumps end the walk. At every `call`/`jp nn`:
 *
 * - DE pointing into ROM with B known is a possible unpack call ({@link GbUnpackCall}); whether a
 *   stream is really there is the codec's to say (`streamEnd`), which also gives DE after the call;
 * - HL (or DE) in ROM, the other in VRAM ($8000–$9FFF) and BC known is a copy ({@link GbCopyCall}).
 *
 * Nothing here knows a routine by its address or its code: only register contents at the call.
 */

/** A call passing a ROM source in DE and a count in B. */
export interface GbUnpackCall {
  /** ROM offset DE points at. */
  start: number;
  /** B at the call (1–255). */
  units: number;
  /** Offset of the `call`/`jp` instruction. */
  site: number;
  /** The CPU address called. */
  callee: number;
  /** HL at the call (the destination, by `pb16_unpack_block`'s convention), or -1 when unknown. */
  destination: number;
  /** The stream before this one in a chain (DE left by the previous unpack call), or -1. */
  previous: number;
}

/** A copy with a ROM source, a VRAM destination and a byte count in BC, from a chain's end. */
export interface GbCopyCall {
  source: number;
  destination: number;
  bytes: number;
  site: number;
}

/** Instructions followed after an `ld de,nn` before giving up without a call. */
export const maximumGbInstructionsBeforeCall = 24;
/** Calls followed in one walk (a chain: tiles, map, palette). */
export const maximumGbCallsPerWalk = 6;
/** Instructions followed in one walk in all (loops between chained calls included). */
export const maximumGbInstructionsPerWalk = 96;
/** Possible DE values kept at once (one per forward branch merged). */
const maximumDeValues = 4;
/** A GB ROM bank: bank 0 is fixed at $0000–$3FFF, the switchable bank at $4000–$7FFF. */
const bankSizeInBytes = 0x4000;

/** SM83 instruction lengths in bytes by opcode (Pan Docs, CPU instruction set); CB-prefixed ones are 2. */
const instructionLength = new Uint8Array(256).fill(1);
for (const op of [0x06, 0x0e, 0x16, 0x1e, 0x26, 0x2e, 0x36, 0x3e, 0x18, 0x20, 0x28, 0x30, 0x38, 0xc6, 0xce, 0xd6, 0xde, 0xe6, 0xee, 0xf6, 0xfe, 0xe0, 0xf0, 0xe8, 0xf8, 0xcb, 0x10]) instructionLength[op] = 2;
for (const op of [0x01, 0x11, 0x21, 0x31, 0x08, 0xc2, 0xc3, 0xca, 0xd2, 0xda, 0xc4, 0xcc, 0xcd, 0xd4, 0xdc, 0xea, 0xfa]) instructionLength[op] = 3;

interface RegisterState {
  /** CPU addresses DE may hold (empty: unknown). */
  de: number[];
  /** Which unpack call (index into the output) left DE, or -1. */
  deFrom: number;
  hl: number;
  b: number;
  c: number;
  a: number;
  /** Pushed register pairs: CPU values (-1 unknown), with the chain link for DE. */
  stack: { values: number[]; from: number }[];
}

const unknownState = (): RegisterState => ({ de: [], deFrom: -1, hl: -1, b: -1, c: -1, a: -1, stack: [] });
const copyState = (s: RegisterState): RegisterState => ({ de: [...s.de], deFrom: s.deFrom, hl: s.hl, b: s.b, c: s.c, a: s.a, stack: s.stack.map((e) => ({ values: [...e.values], from: e.from })) });

function mergeStates(into: RegisterState, other: RegisterState): void {
  for (const v of other.de) if (!into.de.includes(v)) into.de.push(v);
  if (into.de.length > maximumDeValues || into.de.length === 0 || other.de.length === 0) into.de = [];
  if (into.deFrom !== other.deFrom) into.deFrom = -1;
  if (into.hl !== other.hl) into.hl = -1;
  if (into.b !== other.b) into.b = -1;
  if (into.c !== other.c) into.c = -1;
  if (into.a !== other.a) into.a = -1;
  if (into.stack.length !== other.stack.length) into.stack = [];
}

/** Maps a CPU address read by code at ROM offset `site` to a ROM offset, or -1 (RAM, VRAM, or a bank it cannot know). */
export function gbRomOffset(address: number, site: number, romSize: number): number {
  let offset = -1;
  if (address < bankSizeInBytes) offset = address;
  else if (address < 2 * bankSizeInBytes) {
    // The switchable bank: the one the code is in (an RGBDS section keeps banked code and its
    // data together), or bank 1 from bank 0 in a 32 KiB ROM without a mapper.
    const bank = Math.floor(site / bankSizeInBytes);
    if (bank >= 1) offset = bank * bankSizeInBytes + (address - bankSizeInBytes);
    else if (romSize <= 2 * bankSizeInBytes) offset = address;
  }
  return offset >= 0 && offset < romSize ? offset : -1;
}

/** The CPU address of ROM offset `offset` as code at `site` sees it. */
function cpuAddress(offset: number, site: number): number {
  if (offset < bankSizeInBytes) return offset;
  const bank = Math.floor(offset / bankSizeInBytes);
  return bank === Math.floor(site / bankSizeInBytes) || site < bankSizeInBytes ? bankSizeInBytes + (offset - bank * bankSizeInBytes) : -1;
}

const isVram = (address: number) => address >= 0x8000 && address < 0xa000;

/**
 * Every unpack call and chained copy in `data` (see the module comment). `streamEnd(start, units)`
 * says where a stream of `units` read from `start` ends (ROM offset), or -1 when no stream is
 * there; it is asked once per call and gives DE after it.
 */
export function gbCalls(data: Uint8Array, streamEnd: (start: number, units: number) => number): { unpacks: GbUnpackCall[]; copies: GbCopyCall[] } {
  const unpacks: GbUnpackCall[] = [];
  const copies: GbCopyCall[] = [];
  const unpackIndex = new Map<string, number>();
  const seenCopies = new Set<string>();
  const ends = new Map<string, number>();
  const endOf = (start: number, units: number): number => {
    const key = `${start}:${units}`;
    let end = ends.get(key);
    if (end === undefined) {
      end = streamEnd(start, units);
      ends.set(key, end);
    }
    return end;
  };
  const n = data.length;
  for (let i = 0; i + 2 < n; i++) {
    if (data[i] !== 0x11) continue;
    const source = gbRomOffset(data[i + 1]! | (data[i + 2]! << 8), i, n);
    if (source < 0) continue;
    walk(i);
  }
  return { unpacks, copies };

  function walk(from: number): void {
    let state = unknownState();
    const pending = new Map<number, RegisterState>();
    let pc = from;
    let sinceCall = 0;
    let calls = 0;
    for (let steps = 0; steps < maximumGbInstructionsPerWalk && sinceCall < maximumGbInstructionsBeforeCall && pc < n; steps++, sinceCall++) {
      const waiting = pending.get(pc);
      if (waiting !== undefined) {
        mergeStates(state, waiting);
        pending.delete(pc);
      }
      const op = data[pc]!;
      const length = instructionLength[op]!;
      if (pc + length > n) return;
      const lo = data[pc + 1] ?? 0;
      const word = lo | ((data[pc + 2] ?? 0) << 8);
      const next = pc + length;
      switch (op) {
        case 0x01:
          state.b = word >> 8;
          state.c = word & 0xff;
          break;
        case 0x11:
          state.de = [word];
          state.deFrom = -1;
          break;
        case 0x21:
          state.hl = word;
          break;
        case 0x06:
          state.b = lo;
          break;
        case 0x0e:
          state.c = lo;
          break;
        case 0x3e:
          state.a = lo;
          break;
        case 0x1a: {
          // ld a,[de]: a count byte before the stream.
          const at = state.de.length === 1 ? gbRomOffset(state.de[0]!, pc, n) : -1;
          state.a = at >= 0 ? data[at]! : -1;
          break;
        }
        case 0x13:
          state.de = state.de.map((v) => (v + 1) & 0xffff);
          break;
        case 0x1b:
          state.de = state.de.map((v) => (v - 1) & 0xffff);
          break;
        case 0x47:
          state.b = state.a;
          break;
        case 0x4f:
          state.c = state.a;
          break;
        case 0xc5:
          state.stack.push({ values: [state.b >= 0 && state.c >= 0 ? (state.b << 8) | state.c : -1], from: -1 });
          break;
        case 0xd5:
          state.stack.push({ values: state.de.length > 0 ? [...state.de] : [-1], from: state.deFrom });
          break;
        case 0xe5:
          state.stack.push({ values: [state.hl], from: -1 });
          break;
        case 0xf5:
          state.stack.push({ values: [-1], from: -1 });
          break;
        case 0xc1:
        case 0xd1:
        case 0xe1:
        case 0xf1: {
          const top = state.stack.pop();
          const single = top !== undefined && top.values.length === 1 ? top.values[0]! : -1;
          if (op === 0xc1) {
            state.b = single >= 0 ? single >> 8 : -1;
            state.c = single >= 0 ? single & 0xff : -1;
          } else if (op === 0xd1) {
            state.de = top !== undefined && !top.values.includes(-1) ? [...top.values] : [];
            state.deFrom = top?.from ?? -1;
          } else if (op === 0xe1) {
            state.hl = single;
          } else state.a = -1;
          break;
        }
        case 0xcd:
        case 0xc3: {
          onCall(pc, state);
          calls++;
          sinceCall = 0;
          if (op === 0xc3 || calls >= maximumGbCallsPerWalk) return;
          break;
        }
        case 0x20:
        case 0x28:
        case 0x30:
        case 0x38: {
          const displacement = lo >= 0x80 ? lo - 0x100 : lo;
          const target = next + displacement;
          if (displacement > 0) {
            const known = pending.get(target);
            if (known === undefined) pending.set(target, copyState(state));
            else mergeStates(known, state);
          }
          break;
        }
        case 0x18:
        case 0xc9:
        case 0xd9:
        case 0xe9:
        case 0x76:
        case 0x10:
        case 0xc2:
        case 0xca:
        case 0xd2:
        case 0xda:
        case 0xc4:
        case 0xcc:
        case 0xd4:
        case 0xdc:
        case 0x31:
        case 0xf9:
        case 0xc0:
        case 0xc8:
        case 0xd0:
        case 0xd8:
          // Control leaves the straight line (or the stack is replaced): the walk ends.
          return;
        case 0xcb: {
          // CB-prefixed: BIT (0x40–0x7F) only reads; the others write their register.
          if (lo < 0x40 || lo >= 0x80) clobber(state, lo & 7);
          break;
        }
        default:
          clobberByOpcode(state, op);
          break;
      }
      pc = next;
    }
  }

  function onCall(site: number, state: RegisterState): void {
    const callState = copyState(state);
    // A copy to VRAM from a ROM address the chain gave (hl from a popped DE, say).
    const bc = callState.b >= 0 && callState.c >= 0 ? (callState.b << 8) | callState.c : -1;
    if (bc > 0 && callState.hl >= 0 && callState.de.length === 1 && isVram(callState.de[0]!)) {
      const source = gbRomOffset(callState.hl, site, n);
      const key = `${source}:${bc}`;
      if (source >= 0 && source + bc <= n && !seenCopies.has(key)) {
        seenCopies.add(key);
        copies.push({ source, destination: callState.de[0]!, bytes: bc, site });
      }
    }
    // An unpack call: DE into ROM, B a count. DE after it is where the stream ended.
    const ends: number[] = [];
    let from = -1;
    if (callState.b > 0 && callState.de.length > 0) {
      for (const address of callState.de) {
        const start = gbRomOffset(address, site, n);
        if (start < 0) continue;
        const end = endOf(start, callState.b);
        if (end < 0) continue;
        const key = `${start}:${callState.b}`;
        if (!unpackIndex.has(key)) {
          unpackIndex.set(key, unpacks.length);
          unpacks.push({ start, units: callState.b, site, callee: data[site + 1]! | (data[site + 2]! << 8), destination: callState.hl, previous: callState.deFrom });
        }
        from = unpackIndex.get(key)!;
        const address2 = cpuAddress(end, site);
        if (address2 >= 0) ends.push(address2);
      }
    }
    // Registers after a call: DE where the unpacker left it (the stream's end) when the call
    // read a stream, otherwise unknown; the stack is the caller's (calls return balanced).
    state.de = ends.length > 0 && ends.length === callState.de.length ? ends : [];
    state.deFrom = state.de.length === 1 ? from : -1;
    state.hl = -1;
    state.b = -1;
    state.c = -1;
    state.a = -1;
  }
}

/** Register numbers in SM83 encodings: B C D E H L [HL] A. */
function clobber(state: RegisterState, register: number): void {
  switch (register) {
    case 0:
      state.b = -1;
      break;
    case 1:
      state.c = -1;
      break;
    case 2:
    case 3:
      state.de = [];
      state.deFrom = -1;
      break;
    case 4:
    case 5:
      state.hl = -1;
      break;
    case 7:
      state.a = -1;
      break;
    default:
      break;
  }
}

/** Forgets whatever the (non-special-cased) instruction `op` writes. */
function clobberByOpcode(state: RegisterState, op: number): void {
  if (op >= 0x40 && op < 0x80) {
    // ld r,r': the destination is bits 3–5.
    clobber(state, (op >> 3) & 7);
    return;
  }
  if (op >= 0x80 && op < 0xc0) {
    // ALU ops write A.
    state.a = -1;
    return;
  }
  if (op < 0x40) {
    const low = op & 7;
    const register = (op >> 3) & 7;
    // inc r / dec r / ld r,n.
    if (low === 4 || low === 5 || low === 6) {
      clobber(state, register);
      return;
    }
    switch (op) {
      case 0x03:
      case 0x0b:
        state.b = -1;
        state.c = -1;
        return;
      case 0x23:
      case 0x2b:
      case 0x09:
      case 0x19:
      case 0x29:
      case 0x39:
      case 0x22:
      case 0x2a:
      case 0x32:
      case 0x3a:
        state.hl = -1;
        if (op === 0x2a || op === 0x3a) state.a = -1;
        return;
      case 0x0a:
      case 0x07:
      case 0x0f:
      case 0x17:
      case 0x1f:
      case 0x27:
      case 0x2f:
        state.a = -1;
        return;
      default:
        return;
    }
  }
  // 0xC0–0xFF not special-cased: ALU immediates and loads into A write A; add sp / ld hl,sp+e write HL.
  if (op === 0xf8) state.hl = -1;
  else state.a = -1;
}
