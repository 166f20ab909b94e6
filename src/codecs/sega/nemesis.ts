/**
 * Nemesis (sega.md §1): Sega's run/colour prefix coder for Mega Drive 4bpp tiles. A 2-byte
 * header (bit 15 XOR mode, bits 14..0 the tile count), a code table ending in 0xFF, then an
 * MSB-first bitstream of codes, each a run of 1–8 equal nybbles; `111111` escapes an inline
 * run (3-bit length − 1, 4-bit nybble).
 *
 * The decoder is strict where the spec recommends it: a table with a code that collides with
 * the escape or is not prefix-free, a run past the declared size, and a tile count over the
 * caller's limit are all refused.
 */
import type { Codec, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { checkStart, fail, isValidStart, outputLimitInBytes, throwWalkFailure, walkCorrupt, walkOutputLimit, walkTruncated } from './common.js';
import { compressNemesis, nemesisLevels } from './nemesis-encode.js';

/** Bytes per 8x8 4bpp tile: the unit Nemesis counts in its header. */
export const nemesisTileSizeInBytes = 32;
/** The header's 15-bit tile count. */
export const maximumNemesisTileCount = 0x7fff;
/**
 * Default output limit: 0x800 tiles, all 64 KiB of VRAM (sega.md §1.8). The 68000 routine breaks
 * at 0x2000 tiles anyway; pass `maximumOutputSizeInBytes` for more.
 */
export const defaultNemesisOutputLimitInBytes = 0x800 * nemesisTileSizeInBytes;

/** The 8-bit peek values from 0xFC up start with `111111`: the inline-run escape (§1.4). */
const escapePeekStart = 0xfc;

// Decode tables indexed by the next 8 stream bits (§1.3), module scratch rebuilt per walk: the
// code's length (0 = no code) in bits 3..0 and its run length in bits 7..4, and the run as a
// right-aligned nybble pattern (its nybble repeated run-length times).
const codeByPeek = new Uint8Array(256);
const runPatternByPeek = new Uint32Array(256);

/** `v` repeated `r` times as a right-aligned nybble pattern, at index v * 9 + r (r = 0..8). */
const nybbleRuns = new Uint32Array(16 * 9);
for (let v = 0; v < 16; v++) for (let r = 1; r <= 8; r++) nybbleRuns[v * 9 + r] = ((nybbleRuns[v * 9 + r - 1]! << 4) | v) >>> 0;

let walkEnd = 0;
let walkSize = 0;

/** Decodes (out non-null, `walkSize` bytes) or validates the stream at `offset`. */
function walkNemesis(bytes: Uint8Array, offset: number, limit: number, allocate: boolean): Uint8Array | null | false {
  const end = bytes.length;
  if (end - offset < 2) return fail(walkTruncated, offset, 'input ends inside the 2-byte header');
  const header = (bytes[offset]! << 8) | bytes[offset + 1]!;
  const xorMode = (header & 0x8000) !== 0;
  const size = (header & 0x7fff) * nemesisTileSizeInBytes;
  if (size > limit) return fail(walkOutputLimit, offset, 'tile count over the limit', size, limit);

  codeByPeek.fill(0);
  let p = offset + 2;
  // A code entry before any nybble-select byte means nybble 0, as both reference decoders do.
  let nybble = 0;
  for (;;) {
    if (p >= end) return fail(walkTruncated, p, 'input ends inside the code table (no 0xFF terminator)');
    const b = bytes[p]!;
    if (b === 0xff) {
      p++;
      break;
    }
    if ((b & 0x80) !== 0) {
      nybble = b & 0x0f;
      p++;
      continue;
    }
    if (p + 1 >= end) return fail(walkTruncated, p, 'input ends inside a code table entry');
    const length = b & 0x0f;
    const code = bytes[p + 1]!;
    if (length === 0 || length > 8) return fail(walkCorrupt, p, `bad code table entry: code length ${length} (valid 1..8)`);
    if (code >= 1 << length) return fail(walkCorrupt, p, `bad code table entry: code ${code} does not fit in ${length} bits`);
    const first = code << (8 - length);
    const span = 1 << (8 - length);
    // Hardware tests the escape before the table, so a code in 111111xx (or an all-ones prefix
    // of it) could never be read the same way by every decoder: refused (§1.4).
    if (first + span > escapePeekStart) return fail(walkCorrupt, p, `bad code table entry: code ${code}/${length} collides with the 111111 escape`);
    const runLength = ((b >>> 4) & 7) + 1;
    for (let i = first; i < first + span; i++) {
      const existing = codeByPeek[i]! & 0x0f;
      // Same length overlapping means the same code: an exact repeat, last entry wins (§1.8).
      if (existing !== 0 && existing !== length) return fail(walkCorrupt, p, `bad code table entry: code ${code}/${length} is not prefix-free with an earlier code`);
      codeByPeek[i] = (runLength << 4) | length;
      runPatternByPeek[i] = nybbleRuns[nybble * 9 + runLength]!;
    }
    p += 2;
  }

  const out = allocate ? new Uint8Array(size) : null;
  const totalNybbles = size * 2;
  // Bits are taken from a 32-bit accumulator refilled a byte at a time (zeros past the end;
  // the position check after each code catches a stream that needed them).
  let accumulator = 0;
  let available = 0;
  let next = p;
  let produced = 0;
  let row = 0;
  let rowNybbles = 0;
  let previousRow = 0;
  let outPos = 0;
  while (produced < totalNybbles) {
    while (available <= 24) {
      accumulator = (accumulator << 8) | (next < end ? bytes[next]! : 0);
      next++;
      available += 8;
    }
    const peek = (accumulator >>> (available - 8)) & 0xff;
    let runLength: number;
    let pattern: number;
    if (peek >= escapePeekStart) {
      const inline = (accumulator >>> (available - 13)) & 0x1fff;
      runLength = ((inline >>> 4) & 7) + 1;
      pattern = nybbleRuns[(inline & 0x0f) * 9 + runLength]!;
      available -= 13;
    } else {
      const entry = codeByPeek[peek]!;
      if (entry === 0) return fail(walkCorrupt, next - ((available + 7) >>> 3), 'invalid code: no table code matches the next 8 bits');
      runLength = entry >>> 4;
      pattern = runPatternByPeek[peek]!;
      available -= entry & 0x0f;
    }
    if (next * 8 - available > end * 8) return fail(walkTruncated, end, `bitstream ends after ${produced} of ${totalNybbles} nybbles`);
    if (produced + runLength > totalNybbles) return fail(walkCorrupt, next - ((available + 7) >>> 3), `run of ${runLength} overruns the declared size (${totalNybbles - produced} nybbles left)`);
    produced += runLength;
    if (out === null) continue;
    // A run (at most 8) either stays inside the current row (a longword of 8 nybbles) or
    // completes it and leaves the rest (at most 7) at the start of the next.
    // A run's nybbles are all equal, so any k of them are the pattern's low 4k bits.
    const room = 8 - rowNybbles;
    if (runLength < room) {
      row = ((row << (runLength * 4)) | pattern) >>> 0;
      rowNybbles += runLength;
      continue;
    }
    row = room === 8 ? pattern : ((row << (room * 4)) | (pattern & ((1 << (room * 4)) - 1))) >>> 0;
    // XOR mode (§1.6): each row is XORed with the previous output row, across tiles.
    if (xorMode) row = (row ^ previousRow) >>> 0;
    out[outPos] = row >>> 24;
    out[outPos + 1] = (row >>> 16) & 0xff;
    out[outPos + 2] = (row >>> 8) & 0xff;
    out[outPos + 3] = row & 0xff;
    outPos += 4;
    previousRow = row;
    rowNybbles = runLength - room;
    row = rowNybbles === 0 ? 0 : pattern & ((1 << (rowNybbles * 4)) - 1);
  }
  const bit = next * 8 - available;
  walkEnd = (bit + 7) >>> 3;
  walkSize = size;
  return out;
}

/**
 * Decodes the Nemesis stream at `offset`. `packedLength` counts the bytes the stream uses (the
 * last, partly used byte included); the extra byte Sega's compressor appends is not counted.
 */
export function decodeNemesis(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  checkStart(bytes, offset);
  const out = walkNemesis(bytes, offset, outputLimitInBytes(limits, defaultNemesisOutputLimitInBytes), true);
  if (out === false || out === null) throwWalkFailure('nemesis');
  return { data: out, packedLength: walkEnd - offset };
}

/** Validates the Nemesis stream at `offset` without building output; null when invalid. */
export function probeNemesis(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  if (!isValidStart(bytes, offset)) return null;
  if (walkNemesis(bytes, offset, outputLimitInBytes(limits, defaultNemesisOutputLimitInBytes), false) === false) return null;
  return { packedLength: walkEnd - offset, unpackedLength: walkSize };
}

/**
 * The Nemesis decode and probe kernels the codec calls, behind one object so that `src/native/`
 * can swap in the C++ N-API versions (same results, same typed errors) and a parity test can
 * run both. The TypeScript functions above stay the reference and the fallback.
 */
export interface NemesisKernels {
  /** Which implementation this is ('typescript' or 'native'), for diagnostics and benchmarks. */
  readonly implementation: string;
  /** As `decodeNemesis`. */
  decode(bytes: Uint8Array, offset?: number, limits?: DecodeLimits): DecodeResult;
  /** As `probeNemesis`. */
  probe(bytes: Uint8Array, offset?: number, limits?: DecodeLimits): ProbeResult | null;
}

/** The TypeScript reference kernels. */
export const typescriptNemesisKernels: NemesisKernels = { implementation: 'typescript', decode: decodeNemesis, probe: probeNemesis };

let activeNemesisKernels: NemesisKernels = typescriptNemesisKernels;

/** The Nemesis kernels in use now. */
export function nemesisKernels(): NemesisKernels {
  return activeNemesisKernels;
}

/** Installs other Nemesis kernels (the native loader does this); returns the previous ones. */
export function setNemesisKernels(kernels: NemesisKernels): NemesisKernels {
  const previous = activeNemesisKernels;
  activeNemesisKernels = kernels;
  return previous;
}

/** Nemesis: Mega Drive tile art (Sonic 1–3, Golden Axe, Streets of Rage, ...). */
export const nemesisCodec: Codec = {
  name: 'nemesis',
  description: 'Sega Nemesis (Mega Drive tile art): run/colour prefix codes, optional XOR rows; input in whole 32-byte tiles; level accurate = Sega\'s compressor byte for byte',
  platforms: ['md'],
  levels: nemesisLevels,
  defaultLevel: 'max',
  canCompress: true,
  decompress: (bytes, offset, limits) => activeNemesisKernels.decode(bytes, offset, limits),
  probe: (bytes, offset, limits) => activeNemesisKernels.probe(bytes, offset, limits),
  compress: compressNemesis,
};
