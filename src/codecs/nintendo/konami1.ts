/**
 * konami_comp_1 / LC_LZ12 (Gradius III, Contra III, Axelay): nintendo-lz.md §5.
 *
 * A 2-byte little-endian total stream size (header included), no terminator, and a 1 KiB ring
 * buffer that starts zeroed with output byte i written to slot (i + 0x3DF) & 0x3FF. Every
 * copy's read slot trails its write slot by a fixed distance (1-1,024; slot equality means
 * 1,024: the ring is read before it is written), so the ring is never needed: a copy reads
 * out[i − distance], or 0 for the 0x21 zeroed slots "before" the first output byte. Reaching
 * further back than that (never-written slots) is refused.
 *
 * The encoder's `max` level is an optimal parse (cost[i] over every literal length 1-31, every
 * run/zero-run/zero-interleave/copy length), with the longest copy at each position over all
 * distances 1-1,024 (one running match length per distance); `fast` is a greedy parse over
 * bounded hash-chain searches. sfc-comp uses distance 1,024
 * (read slot = write slot) too, so the ring is read before it is written in its model as here.
 */
import { CodecInputTooLargeError, CodecOptionError, CodecOutputLimitError, CodecPackedTooLargeError, CodecStreamCorruptError, CodecStreamTruncatedError, InvalidArgumentError } from '../../errors.js';
import type { Codec, CompressOptions, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { ChainedCopySearch } from './copy-matches.js';
import { checkStreamStart, isStreamStart } from './lc-lz-common.js';

const codecName = 'konami1';
const headerSizeInBytes = 2;
/** The header is a 16-bit stream size. */
export const maximumKonami1PackedSizeInBytes = 0xffff;
/** No size is stored; games decode into fixed RAM. Default cap on output, the caller may set another. */
export const defaultKonami1OutputLimitInBytes = 65536;
/** sfc-comp's konami_comp_1 accepts at most 64 KiB; so does this encoder. */
export const maximumKonami1InputSizeInBytes = 65536;
const ringSizeInBytes = 1024;
/** Ring slot of output byte 0. */
const ringStartSlot = 0x3df;
/** Zeroed ring slots a copy may read before the first output byte (1,024 − 0x3DF). */
const zeroSlotsBeforeStart = 0x21;
const copyMinimumLength = 2;
/** Non-overlapping copies this long or longer are one native move. */
const blockCopyMinimumInBytes = 16;
const copyMaximumLength = 33;
const literalMaximumLength = 31;
const interleaveMinimumPairs = 2;
const interleaveMaximumPairs = 33;
const runMinimumLength = 2;
const runMaximumLength = 33;
/** `fast`: sources a greedy query looks at. */
const fastChainLimit = 32;
/** Distance 1,024 reads the slot about to be written (its old byte): sfc-comp emits it, tileset data needs it. */
const encoderMaximumDistance = ringSizeInBytes;

const statusOk = 0;
const statusTruncated = 1;
const statusCorrupt = 2;
const statusOutputLimit = 3;
let failureStatus = statusOk;
let failureOffset = 0;
let failureWhat = '';
let failureValue = 0;
let walkOutputLength = 0;

function fail(status: number, offset: number, what: string, value = 0): boolean {
  failureStatus = status;
  failureOffset = offset;
  failureWhat = what;
  failureValue = value;
  return false;
}

/**
 * Walks the commands between `start` + 2 and the stated end. With `out` (at least `limit`
 * bytes, or exactly the output size a validating walk found) it writes; without, it only
 * validates and measures.
 */
function walkKonami1(bytes: Uint8Array, start: number, limit: number, out: Uint8Array | null): boolean {
  if (bytes.length - start < headerSizeInBytes) return fail(statusTruncated, start, 'input ends inside the 2-byte size header');
  const stated = bytes[start]! | (bytes[start + 1]! << 8);
  if (stated < headerSizeInBytes) return fail(statusCorrupt, start, `stated stream size ${stated} is smaller than the 2-byte header`);
  if (stated > bytes.length - start) return fail(statusTruncated, start, `header states ${stated} bytes, only ${bytes.length - start} present`);
  const end = start + stated;
  let inPos = start + headerSizeInBytes;
  let outPos = 0;
  while (inPos < end) {
    const commandOffset = inPos;
    const b = bytes[inPos++]!;
    if (b < 0x80) {
      if (inPos >= end) return fail(statusCorrupt, commandOffset, 'copy command needs a second byte past the stated end');
      const word = (b << 8) | bytes[inPos++]!;
      const length = (word >> 10) + copyMinimumLength;
      const slot = word & 0x3ff;
      const distance = ((outPos + ringStartSlot - slot) & 0x3ff) || ringSizeInBytes;
      if (distance > outPos + zeroSlotsBeforeStart) {
        return fail(statusCorrupt, commandOffset, `copy from ring slot ${slot} reaches ${distance} bytes back, but only ${outPos} bytes (+${zeroSlotsBeforeStart} zeroed slots) exist`);
      }
      if (length > limit - outPos) return fail(statusOutputLimit, commandOffset, '', outPos + length);
      if (out !== null) {
        // The zeroed slots before the first byte first, then byte at a time (copies may overlap).
        if (distance >= length && outPos >= distance && length >= blockCopyMinimumInBytes) {
          out.copyWithin(outPos, outPos - distance, outPos - distance + length);
        } else {
          let k = 0;
          for (; k < length && outPos + k < distance; k++) out[outPos + k] = 0;
          for (; k < length; k++) out[outPos + k] = out[outPos + k - distance]!;
        }
      }
      outPos += length;
    } else if (b === 0x80) {
      return fail(statusCorrupt, commandOffset, 'command 0x80 (a literal of length 0) is not defined');
    } else if (b < 0xa0) {
      const length = b - 0x80;
      if (end - inPos < length) return fail(statusCorrupt, commandOffset, `literal of ${length} bytes runs past the stated end`);
      if (length > limit - outPos) return fail(statusOutputLimit, commandOffset, '', outPos + length);
      if (out !== null) for (let k = 0; k < length; k++) out[outPos + k] = bytes[inPos + k]!;
      inPos += length;
      outPos += length;
    } else if (b < 0xc0) {
      const pairs = b - 0xa0 + interleaveMinimumPairs;
      if (end - inPos < pairs) return fail(statusCorrupt, commandOffset, `zero-interleave of ${pairs} bytes runs past the stated end`);
      if (2 * pairs > limit - outPos) return fail(statusOutputLimit, commandOffset, '', outPos + 2 * pairs);
      if (out !== null) {
        for (let k = 0; k < pairs; k++) {
          out[outPos + 2 * k] = 0;
          out[outPos + 2 * k + 1] = bytes[inPos + k]!;
        }
      }
      inPos += pairs;
      outPos += 2 * pairs;
    } else if (b < 0xe0) {
      const length = b - 0xc0 + runMinimumLength;
      if (inPos >= end) return fail(statusCorrupt, commandOffset, 'byte run needs its value past the stated end');
      if (length > limit - outPos) return fail(statusOutputLimit, commandOffset, '', outPos + length);
      if (out !== null) out.fill(bytes[inPos]!, outPos, outPos + length);
      inPos++;
      outPos += length;
    } else {
      const length = b - 0xe0 + runMinimumLength;
      if (length > limit - outPos) return fail(statusOutputLimit, commandOffset, '', outPos + length);
      if (out !== null) out.fill(0, outPos, outPos + length);
      outPos += length;
    }
  }
  walkOutputLength = outPos;
  failureStatus = statusOk;
  return true;
}

/** The caller's output limit in bytes (default `defaultKonami1OutputLimitInBytes`); throws on a bad one. */
export function konami1OutputLimit(limits: DecodeLimits | undefined): number {
  const requested = limits?.maximumOutputSizeInBytes;
  if (requested === undefined) return defaultKonami1OutputLimitInBytes;
  if (!Number.isSafeInteger(requested) || requested < 0) throw new InvalidArgumentError(`maximumOutputSizeInBytes must be a non-negative integer, not ${requested}`);
  return requested;
}

/** Reused output buffer for decodes under the default limit. */
const scratch = new Uint8Array(defaultKonami1OutputLimitInBytes);

/**
 * Decodes the konami1 stream at `offset`. The one allocation is exactly the output (at most 66
 * bytes per stream byte, and under the limit).
 */
export function decodeKonami1(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  checkStreamStart(bytes, offset);
  const limit = konami1OutputLimit(limits);
  // Up to 64 KiB: one pass into a reused buffer, then an exact copy. Above: measure, then decode.
  const single = limit <= scratch.length;
  if (!walkKonami1(bytes, offset, limit, single ? scratch : null)) {
    if (failureStatus === statusTruncated) throw new CodecStreamTruncatedError(codecName, failureOffset, failureWhat);
    if (failureStatus === statusOutputLimit) throw new CodecOutputLimitError(codecName, failureOffset, failureValue, limit);
    throw new CodecStreamCorruptError(codecName, failureOffset, failureWhat);
  }
  let out: Uint8Array;
  if (single) out = scratch.slice(0, walkOutputLength);
  else {
    out = new Uint8Array(walkOutputLength);
    walkKonami1(bytes, offset, limit, out);
  }
  return { data: out, packedLength: bytes[offset]! | (bytes[offset + 1]! << 8) };
}

/** Validates the konami1 stream at `offset` without building output; null when it is not valid. */
export function probeKonami1(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  if (!isStreamStart(bytes, offset)) return null;
  const requested = limits?.maximumOutputSizeInBytes;
  if (requested !== undefined && (!Number.isSafeInteger(requested) || requested < 0)) return null;
  if (!walkKonami1(bytes, offset, konami1OutputLimit(limits), null)) return null;
  return { packedLength: bytes[offset]! | (bytes[offset + 1]! << 8), unpackedLength: walkOutputLength };
}

/** Level names, best last: `fast` greedy, `max` optimal. */
export const konami1Levels = ['fast', 'max'] as const;

const choiceLiteral = 0;
const choiceZeroRun = 1;
const choiceByteRun = 2;
const choiceInterleave = 3;
const choiceCopy = 4;

/** Encodes `data` (≤ 64 KiB) as a konami1 stream. */
export function encodeKonami1(data: Uint8Array, level: string = 'max'): Uint8Array {
  if (level !== 'fast' && level !== 'max') throw new CodecOptionError(codecName, `unknown level "${level}"; levels: ${konami1Levels.join(', ')}`, { level });
  const n = data.length;
  if (n > maximumKonami1InputSizeInBytes) throw new CodecInputTooLargeError(codecName, n, maximumKonami1InputSizeInBytes);

  // Run lengths from each position (capped at what one command holds).
  const byteRun = new Int32Array(n + 1);
  const interleavePairs = new Int32Array(n + 2);
  for (let i = n - 1; i >= 0; i--) {
    byteRun[i] = i + 1 < n && data[i + 1] === data[i] ? Math.min(byteRun[i + 1]! + 1, runMaximumLength) : 1;
    interleavePairs[i] = i + 1 < n && data[i] === 0 ? Math.min(interleavePairs[i + 2]! + 1, interleaveMaximumPairs) : 0;
  }
  // Longest copy at each position over distances 1…1,024; sources before 0 read the zeroed
  // slots. `max`: every position, every distance. `fast`: a hash-chain search over the data
  // behind its 0x21 zeroed slots, only where the greedy parse lands.
  const copyLength = new Int32Array(n);
  const copyDistance = new Int32Array(n);
  let search: ChainedCopySearch | null = null;
  if (level === 'fast') {
    const padded = new Uint8Array(zeroSlotsBeforeStart + n);
    padded.set(data, zeroSlotsBeforeStart);
    search = new ChainedCopySearch(padded, [{ transform: null, backward: false }], encoderMaximumDistance, copyMaximumLength, fastChainLimit);
  } else {
    const run = new Int32Array(encoderMaximumDistance + 1);
    for (let i = n - 1; i >= 0; i--) {
      const value = data[i]!;
      const ceiling = Math.min(copyMaximumLength, n - i);
      const reach = Math.min(encoderMaximumDistance, i + zeroSlotsBeforeStart);
      let best = 0;
      let bestDistance = 0;
      for (let d = 1; d <= reach; d++) {
        const from = i - d;
        const current = (from < 0 ? 0 : data[from]!) === value ? Math.min(run[d]! + 1, ceiling) : 0;
        run[d] = current;
        if (current > best) {
          best = current;
          bestDistance = d;
        }
      }
      copyLength[i] = best;
      copyDistance[i] = bestDistance;
    }
  }

  const choice = new Uint8Array(n);
  const choiceLength = new Int32Array(n);
  let size: number;
  if (level === 'max') {
    const cost = new Int32Array(n + 1);
    for (let i = n - 1; i >= 0; i--) {
      let best = 0x7fffffff;
      let kind = choiceLiteral;
      let length = 1;
      const literalLimit = Math.min(literalMaximumLength, n - i);
      for (let k = 1; k <= literalLimit; k++) {
        const c = 1 + k + cost[i + k]!;
        if (c < best) {
          best = c;
          length = k;
        }
      }
      const runLength = byteRun[i]!;
      if (runLength >= runMinimumLength) {
        const runCost = data[i] === 0 ? 1 : 2;
        const runKind = data[i] === 0 ? choiceZeroRun : choiceByteRun;
        for (let k = runMinimumLength; k <= runLength; k++) {
          const c = runCost + cost[i + k]!;
          if (c < best) {
            best = c;
            kind = runKind;
            length = k;
          }
        }
      }
      const pairs = interleavePairs[i]!;
      for (let k = interleaveMinimumPairs; k <= pairs; k++) {
        const c = 1 + k + cost[i + 2 * k]!;
        if (c < best) {
          best = c;
          kind = choiceInterleave;
          length = 2 * k;
        }
      }
      const longest = copyLength[i]!;
      for (let k = copyMinimumLength; k <= longest; k++) {
        const c = 2 + cost[i + k]!;
        if (c < best) {
          best = c;
          kind = choiceCopy;
          length = k;
        }
      }
      cost[i] = best;
      choice[i] = kind;
      choiceLength[i] = length;
    }
    size = headerSizeInBytes + cost[0]!;
  } else {
    // Greedy: the command saving most over literals, else gather literals.
    size = headerSizeInBytes;
    let literalStart = -1;
    const closeLiterals = (end: number): void => {
      if (literalStart < 0) return;
      for (let s = literalStart; s < end; s += literalMaximumLength) {
        choice[s] = choiceLiteral;
        choiceLength[s] = Math.min(literalMaximumLength, end - s);
        size += 1 + choiceLength[s]!;
      }
      literalStart = -1;
    };
    for (let i = 0; i < n; ) {
      if (search !== null) {
        const at = i + zeroSlotsBeforeStart;
        search.searchAt(at);
        copyLength[i] = search.matches.length[at]!;
        copyDistance[i] = at - search.matches.source[at]!;
      }
      let kind = -1;
      let length = 0;
      let saving = 0;
      const consider = (k: number, l: number, c: number): void => {
        if (l - c > saving) {
          saving = l - c;
          kind = k;
          length = l;
        }
      };
      if (byteRun[i]! >= runMinimumLength) consider(data[i] === 0 ? choiceZeroRun : choiceByteRun, byteRun[i]!, data[i] === 0 ? 1 : 2);
      if (interleavePairs[i]! >= interleaveMinimumPairs) consider(choiceInterleave, 2 * interleavePairs[i]!, 1 + interleavePairs[i]!);
      if (copyLength[i]! >= copyMinimumLength) consider(choiceCopy, copyLength[i]!, 2);
      if (kind < 0) {
        if (literalStart < 0) literalStart = i;
        i++;
        continue;
      }
      closeLiterals(i);
      choice[i] = kind;
      choiceLength[i] = length;
      size += kind === choiceZeroRun ? 1 : kind === choiceInterleave ? 1 + length / 2 : 2;
      i += length;
    }
    closeLiterals(n);
  }
  if (size > maximumKonami1PackedSizeInBytes) throw new CodecPackedTooLargeError(codecName, size, maximumKonami1PackedSizeInBytes);

  const out = new Uint8Array(size);
  out[0] = size & 0xff;
  out[1] = size >> 8;
  let position = headerSizeInBytes;
  for (let i = 0; i < n; ) {
    const length = choiceLength[i]!;
    switch (choice[i]) {
      case choiceLiteral:
        out[position++] = 0x80 + length;
        out.set(data.subarray(i, i + length), position);
        position += length;
        break;
      case choiceZeroRun:
        out[position++] = 0xe0 + length - runMinimumLength;
        break;
      case choiceByteRun:
        out[position++] = 0xc0 + length - runMinimumLength;
        out[position++] = data[i]!;
        break;
      case choiceInterleave:
        out[position++] = 0xa0 + length / 2 - interleaveMinimumPairs;
        for (let k = 1; k < length; k += 2) out[position++] = data[i + k]!;
        break;
      default: {
        const slot = (i - copyDistance[i]! + ringStartSlot) & 0x3ff;
        const word = ((length - copyMinimumLength) << 10) | slot;
        out[position++] = word >> 8;
        out[position++] = word & 0xff;
        break;
      }
    }
    i += length;
  }
  return out;
}

/**
 * The konami1 decode and probe kernels the codec calls, behind one object so that `src/native/`
 * can swap in the C++ N-API versions (same results, same typed errors) and a parity test can
 * run both. The TypeScript functions above stay the reference and the fallback.
 */
export interface Konami1Kernels {
  /** Which implementation this is ('typescript' or 'native'), for diagnostics and benchmarks. */
  readonly implementation: string;
  /** As `decodeKonami1`. */
  decode(bytes: Uint8Array, offset?: number, limits?: DecodeLimits): DecodeResult;
  /** As `probeKonami1`. */
  probe(bytes: Uint8Array, offset?: number, limits?: DecodeLimits): ProbeResult | null;
}

/** The TypeScript reference kernels. */
export const typescriptKonami1Kernels: Konami1Kernels = { implementation: 'typescript', decode: decodeKonami1, probe: probeKonami1 };

let activeKonami1Kernels: Konami1Kernels = typescriptKonami1Kernels;

/** The konami1 kernels in use now. */
export function konami1Kernels(): Konami1Kernels {
  return activeKonami1Kernels;
}

/** Installs other konami1 kernels (the native loader does this); returns the previous ones. */
export function setKonami1Kernels(kernels: Konami1Kernels): Konami1Kernels {
  const previous = activeKonami1Kernels;
  activeKonami1Kernels = kernels;
  return previous;
}

/** konami_comp_1 / Lunar Compress LC_LZ12. */
export const konami1Codec: Codec = {
  name: codecName,
  description: 'konami_comp_1 / LC_LZ12 (Gradius III, Contra III, Axelay): 1 KiB ring LZ, runs, zero-interleave; levels fast, max = optimal parse',
  levels: konami1Levels,
  defaultLevel: 'max',
  platforms: ['snes'],
  canCompress: true,
  decompress: (bytes, offset, limits) => activeKonami1Kernels.decode(bytes, offset, limits),
  probe: (bytes, offset, limits) => activeKonami1Kernels.probe(bytes, offset, limits),
  compress: (data: Uint8Array, options: CompressOptions = {}) => encodeKonami1(data, String(options.level ?? 'max')),
};
