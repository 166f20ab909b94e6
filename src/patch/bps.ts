/**
 * BPS patches (byuu's format, as Floating IPS and beat write it): create and apply.
 *
 * Layout: "BPS1", varint source size, varint target size, varint metadata size, metadata, then
 * actions until the last 12 bytes, then CRC32 (LE) of the source, of the target, and of the
 * patch itself (every byte before those last 4). An action is a varint `((length - 1) << 2) |
 * kind`:
 *   0 SourceRead  — copy `length` bytes from the source at the current output offset;
 *   1 TargetRead  — `length` literal bytes follow in the patch;
 *   2 SourceCopy  — a signed varint moves the source cursor, then `length` bytes are copied from it;
 *   3 TargetCopy  — same, from the output written so far (may overlap: byte by byte).
 * Signed offsets are `(abs << 1) | sign`. Varints are little-endian groups of 7 bits where the
 * top bit ends the number and every continuation adds one (so each value has one encoding).
 */
import {
  BpsActionRangeError,
  BpsChecksumError,
  BpsSourceSizeError,
  BpsVarintOverflowError,
  PatchLimitError,
  PatchMagicError,
  PatchTruncatedError,
  hex,
} from '../errors.js';
import { crc32 } from '../util/crc32.js';
import { describeMagic } from './ips.js';
import { ByteWriter } from './writer.js';

/** The largest source a BPS patch may name (the largest ROM romgfx opens). */
export const maximumPatchSourceSizeInBytes = 64 * 1024 * 1024;
/** The largest target romgfx builds from a patch: bounds the one allocation `applyBps` makes. */
export const maximumPatchTargetSizeInBytes = 64 * 1024 * 1024;
/** Metadata is a short XML/text note in practice. */
export const maximumBpsMetadataSizeInBytes = 1024 * 1024;

const bpsMagic = [0x42, 0x50, 0x53, 0x31]; // "BPS1"
const bpsMagicSizeInBytes = 4;
const bpsFooterSizeInBytes = 12;

const sourceRead = 0;
const targetRead = 1;
const sourceCopy = 2;
const targetCopy = 3;

/** The three CRC32s of a BPS patch: of the source ROM, of the target, of the patch itself. */
export type BpsChecksumName = 'source' | 'target' | 'patch';

/** Options of `applyBps`. */
export interface BpsApplyOptions {
  /**
   * Apply even when the source size or a CRC32 does not match; mismatches are then reported in
   * the result's `mismatches` instead of thrown.
   */
  ignoreChecksum?: boolean;
}

/** The patched ROM and what the patch said: sizes, metadata, actions and its CRC32s. */
export interface BpsApplyResult {
  format: 'bps';
  target: Uint8Array;
  sourceSize: number;
  targetSize: number;
  metadata: string;
  actions: number;
  sourceCrc32: number;
  targetCrc32: number;
  patchCrc32: number;
  /** Checksums that did not match (only non-empty with `ignoreChecksum`). */
  mismatches: BpsChecksumName[];
}

/** The fields of a BPS patch read without applying it: sizes, metadata, where its actions are and its CRC32s. */
export interface BpsHeader {
  sourceSize: number;
  targetSize: number;
  metadata: string;
  /** Where the actions start in the patch. */
  actionsOffset: number;
  /** Where they end (the footer starts). */
  actionsEnd: number;
  sourceCrc32: number;
  targetCrc32: number;
  patchCrc32: number;
}

/** True when the bytes start with the BPS magic `BPS1`. */
export function isBpsPatch(patch: Uint8Array): boolean {
  if (patch.length < bpsMagicSizeInBytes) return false;
  for (let i = 0; i < bpsMagicSizeInBytes; i++) if (patch[i] !== bpsMagic[i]) return false;
  return true;
}

/** Reads one varint at `cursor.position` (advancing it), not past `end`. */
function readVarint(patch: Uint8Array, cursor: { position: number }, end: number, what: string): number {
  const start = cursor.position;
  let data = 0;
  let shift = 1;
  // `data` is at least `shift`, which grows by 128 per byte: past 2^53 within 8 bytes, so the loop is bounded.
  for (;;) {
    if (cursor.position >= end) throw new PatchTruncatedError('BPS', what, cursor.position, 1, patch.length);
    const x = patch[cursor.position++]!;
    data += (x & 0x7f) * shift;
    if (data > Number.MAX_SAFE_INTEGER) throw new BpsVarintOverflowError(start);
    if (x & 0x80) return data;
    shift *= 128;
    data += shift;
    if (data > Number.MAX_SAFE_INTEGER) throw new BpsVarintOverflowError(start);
  }
}

function writeVarint(out: ByteWriter, value: number): void {
  let data = value;
  for (;;) {
    const x = data % 128;
    data = Math.floor(data / 128);
    if (data === 0) {
      out.byte(0x80 | x);
      return;
    }
    out.byte(x);
    data--;
  }
}

/** Bytes `writeVarint` takes for `value`. */
function varintSize(value: number): number {
  let data = value;
  let size = 1;
  while (data >= 128) {
    data = Math.floor(data / 128) - 1;
    size++;
  }
  return size;
}

function readU32LE(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}

/** Reads and checks the header and footer of a BPS patch (sizes against the limits, no CRC checks). */
export function readBpsHeader(patch: Uint8Array): BpsHeader {
  if (!isBpsPatch(patch)) throw new PatchMagicError('a BPS patch ("BPS1")', describeMagic(patch, bpsMagicSizeInBytes));
  if (patch.length < bpsMagicSizeInBytes + 3 + bpsFooterSizeInBytes) {
    throw new PatchTruncatedError('BPS', 'the header and the 12-byte checksum footer', 0, bpsMagicSizeInBytes + 3 + bpsFooterSizeInBytes, patch.length);
  }
  const actionsEnd = patch.length - bpsFooterSizeInBytes;
  const cursor = { position: bpsMagicSizeInBytes };
  const sourceSize = readVarint(patch, cursor, actionsEnd, 'the source size');
  const targetSize = readVarint(patch, cursor, actionsEnd, 'the target size');
  const metadataSize = readVarint(patch, cursor, actionsEnd, 'the metadata size');
  if (sourceSize > maximumPatchSourceSizeInBytes) {
    throw new PatchLimitError(`BPS patch names a ${sourceSize}-byte source; romgfx accepts up to ${maximumPatchSourceSizeInBytes}`, {
      sourceSize,
      maximum: maximumPatchSourceSizeInBytes,
    });
  }
  if (targetSize > maximumPatchTargetSizeInBytes) {
    throw new PatchLimitError(`BPS patch would make a ${targetSize}-byte target; romgfx builds up to ${maximumPatchTargetSizeInBytes}`, {
      targetSize,
      maximum: maximumPatchTargetSizeInBytes,
    });
  }
  if (metadataSize > maximumBpsMetadataSizeInBytes) {
    throw new PatchLimitError(`BPS metadata is ${metadataSize} bytes; romgfx accepts up to ${maximumBpsMetadataSizeInBytes}`, {
      metadataSize,
      maximum: maximumBpsMetadataSizeInBytes,
    });
  }
  if (actionsEnd - cursor.position < metadataSize) {
    throw new PatchTruncatedError('BPS', 'the metadata', cursor.position, metadataSize, patch.length);
  }
  const metadata = new TextDecoder('utf-8', { fatal: false }).decode(patch.subarray(cursor.position, cursor.position + metadataSize));
  const actionsOffset = cursor.position + metadataSize;
  return {
    sourceSize,
    targetSize,
    metadata,
    actionsOffset,
    actionsEnd,
    sourceCrc32: readU32LE(patch, actionsEnd),
    targetCrc32: readU32LE(patch, actionsEnd + 4),
    patchCrc32: readU32LE(patch, actionsEnd + 8),
  };
}

/**
 * Applies a BPS patch to `source` and returns the result (a new buffer). The patch CRC is
 * checked first (a damaged patch), then the source size and CRC (the wrong ROM), then the
 * target CRC of the result; every action's length and offset is checked before it is used.
 */
export function applyBps(patch: Uint8Array, source: Uint8Array, options: BpsApplyOptions = {}): BpsApplyResult {
  const header = readBpsHeader(patch);
  const mismatches: BpsChecksumName[] = [];
  const check = (which: BpsChecksumName, expected: number, actual: number): void => {
    if (expected === actual) return;
    if (!options.ignoreChecksum) throw new BpsChecksumError(which, expected, actual);
    mismatches.push(which);
  };
  check('patch', header.patchCrc32, crc32(patch.subarray(0, patch.length - 4)));
  if (source.length !== header.sourceSize) {
    if (!options.ignoreChecksum) throw new BpsSourceSizeError(header.sourceSize, source.length);
    if (!mismatches.includes('source')) mismatches.push('source');
  } else {
    check('source', header.sourceCrc32, crc32(source));
  }

  const target = new Uint8Array(header.targetSize);
  const end = header.actionsEnd;
  const cursor = { position: header.actionsOffset };
  let outputOffset = 0;
  let sourceRelative = 0;
  let targetRelative = 0;
  let actions = 0;
  // Every action writes at least one byte and may not pass targetSize, so this loop ends.
  while (cursor.position < end) {
    const actionAt = cursor.position;
    const data = readVarint(patch, cursor, end, 'an action');
    const kind = data % 4;
    const length = Math.floor(data / 4) + 1;
    actions++;
    if (length > header.targetSize - outputOffset) {
      throw new BpsActionRangeError(
        `BPS action at ${hex(actionAt)} writes ${length} byte(s) at target offset ${hex(outputOffset)}, past the target size ${hex(header.targetSize)}`,
        { patchOffset: actionAt, outputOffset, length, targetSize: header.targetSize },
      );
    }
    if (kind === sourceRead) {
      if (outputOffset + length > source.length) {
        throw new BpsActionRangeError(
          `BPS SourceRead at ${hex(actionAt)} reads ${length} byte(s) at source offset ${hex(outputOffset)}, past the source size ${hex(source.length)}`,
          { patchOffset: actionAt, sourceOffset: outputOffset, length, sourceSize: source.length },
        );
      }
      target.set(source.subarray(outputOffset, outputOffset + length), outputOffset);
    } else if (kind === targetRead) {
      if (end - cursor.position < length) throw new PatchTruncatedError('BPS', `the ${length} literal byte(s) of the TargetRead at ${hex(actionAt)}`, cursor.position, length, patch.length);
      target.set(patch.subarray(cursor.position, cursor.position + length), outputOffset);
      cursor.position += length;
    } else {
      const encoded = readVarint(patch, cursor, end, 'a copy offset');
      const delta = encoded % 2 === 1 ? -Math.floor(encoded / 2) : Math.floor(encoded / 2);
      if (kind === sourceCopy) {
        sourceRelative += delta;
        if (sourceRelative < 0 || sourceRelative + length > source.length) {
          throw new BpsActionRangeError(
            `BPS SourceCopy at ${hex(actionAt)} reads ${length} byte(s) at source offset ${sourceRelative < 0 ? sourceRelative : hex(sourceRelative)}, outside the ${hex(source.length)}-byte source`,
            { patchOffset: actionAt, sourceOffset: sourceRelative, length, sourceSize: source.length },
          );
        }
        target.set(source.subarray(sourceRelative, sourceRelative + length), outputOffset);
        sourceRelative += length;
      } else {
        targetRelative += delta;
        if (targetRelative < 0 || targetRelative >= outputOffset) {
          throw new BpsActionRangeError(
            `BPS TargetCopy at ${hex(actionAt)} reads at target offset ${targetRelative < 0 ? targetRelative : hex(targetRelative)}, which is not written yet (output is at ${hex(outputOffset)})`,
            { patchOffset: actionAt, targetOffset: targetRelative, length, outputOffset },
          );
        }
        // Byte by byte: a copy that overlaps its own output repeats a pattern (RLE).
        for (let i = 0; i < length; i++) target[outputOffset + i] = target[targetRelative + i]!;
        targetRelative += length;
      }
    }
    outputOffset += length;
  }
  if (outputOffset !== header.targetSize) {
    throw new BpsActionRangeError(`BPS actions produce ${outputOffset} byte(s) but the header says the target is ${header.targetSize}`, {
      produced: outputOffset,
      targetSize: header.targetSize,
    });
  }
  const targetCrc32 = crc32(target);
  check('target', header.targetCrc32, targetCrc32);
  return {
    format: 'bps',
    target,
    sourceSize: header.sourceSize,
    targetSize: header.targetSize,
    metadata: header.metadata,
    actions,
    sourceCrc32: header.sourceCrc32,
    targetCrc32: header.targetCrc32,
    patchCrc32: header.patchCrc32,
    mismatches,
  };
}

// ---------------------------------------------------------------------------------------------
// Delta encoder
// ---------------------------------------------------------------------------------------------

/** Matches are found through 4-byte hashes: the shortest copy worth an action plus an offset. */
const bpsHashedBytes = 4;
/**
 * The hash table has about one bucket per input byte, within these bounds: every chain entry
 * tried is a cache miss on large inputs, so short chains matter more than table memory
 * (2^22 buckets = 16 MiB of Int32).
 */
const bpsMinimumHashBits = 16;
const bpsMaximumHashBits = 22;
/** How many earlier positions with the same hash are tried per position (bounds the search on runs). */
const bpsMaximumChainCandidates = 32;
/**
 * In a long stretch with no match (new or unrelated data), probe only every `step`th position,
 * with step = 1 + literal run length / this, at most `bpsMaximumProbeStep`: a match is then found
 * at most step - 1 bytes late, and incompressible input stops costing a full search per byte.
 */
const bpsLiteralRunPerProbeStep = 128;
/**
 * A match this long is good enough: the chains are not searched further (as zlib's nice_length).
 * Without it, long runs (zero fill) would extend every chain candidate to the end of the run.
 */
const bpsGoodEnoughMatchLength = 4096;
const bpsMaximumProbeStep = 8;

function hashAt(bytes: Uint8Array, at: number, shift: number): number {
  const word = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
  return Math.imul(word, 0x9e3779b1) >>> shift;
}

/** Length of the common run of `a` from `ai` and `b` from `bi` (b bounded by `bEnd`). */
function matchLength(a: Uint8Array, ai: number, aEnd: number, b: Uint8Array, bi: number, bEnd: number): number {
  const limit = Math.min(aEnd - ai, bEnd - bi);
  let n = 0;
  while (n < limit && a[ai + n] === b[bi + n]) n++;
  return n;
}

function signedOffsetCode(delta: number): number {
  return delta < 0 ? -delta * 2 + 1 : delta * 2;
}

/** Options of `createBps`: metadata and progress. */
export interface BpsCreateOptions {
  /** Written into the patch's metadata field (UTF-8), e.g. an XML note about the hack. */
  metadata?: string;
  /** Called with (target bytes encoded, target size) about every `bpsProgressIntervalInBytes`. */
  onProgress?: (done: number, total: number) => void;
}

/** How often `createBps` reports progress. */
export const bpsProgressIntervalInBytes = 1024 * 1024;

/** A BPS patch and what it holds: the number of actions and its CRC32s. */
export interface BpsCreateResult {
  patch: Uint8Array;
  actions: number;
  sourceCrc32: number;
  targetCrc32: number;
  patchCrc32: number;
}

/**
 * Makes a BPS delta patch that turns `source` into `target`.
 *
 * Greedy with cost: at each target position the encoder weighs a SourceRead (same offset, no
 * operand), SourceCopy / TargetCopy continuing from where the last copy ended (a 1-byte operand),
 * and matches found through hash chains over the source and the target written so far (operand
 * = relative offset varint); it takes the one that saves the most bytes over literals, and
 * looks one byte ahead so that a slightly better match starting next is not missed.
 */
export function createBpsWithStats(source: Uint8Array, target: Uint8Array, options: BpsCreateOptions = {}): BpsCreateResult {
  if (source.length > maximumPatchSourceSizeInBytes) {
    throw new PatchLimitError(`source is ${source.length} bytes; romgfx makes BPS patches for sources up to ${maximumPatchSourceSizeInBytes}`, {
      sourceSize: source.length,
    });
  }
  if (target.length > maximumPatchTargetSizeInBytes) {
    throw new PatchLimitError(`target is ${target.length} bytes; romgfx makes BPS patches for targets up to ${maximumPatchTargetSizeInBytes}`, {
      targetSize: target.length,
    });
  }
  const metadata = new TextEncoder().encode(options.metadata ?? '');
  if (metadata.length > maximumBpsMetadataSizeInBytes) {
    throw new PatchLimitError(`metadata is ${metadata.length} bytes; BPS metadata is limited to ${maximumBpsMetadataSizeInBytes}`, {
      metadataSize: metadata.length,
    });
  }

  const out = new ByteWriter(Math.max(4096, target.length >>> 6));
  for (const b of bpsMagic) out.byte(b);
  writeVarint(out, source.length);
  writeVarint(out, target.length);
  writeVarint(out, metadata.length);
  out.bytes(metadata);

  const largest = Math.max(source.length, target.length, 1);
  const hashBits = Math.min(bpsMaximumHashBits, Math.max(bpsMinimumHashBits, Math.ceil(Math.log2(largest))));
  const hashShift = 32 - hashBits;
  const hashSize = 1 << hashBits;
  const sourceHead = new Int32Array(hashSize).fill(-1);
  const sourcePrevious = new Int32Array(Math.max(1, source.length)).fill(-1);
  // Inserted highest-first so that chains run from low to high source offsets; the search
  // stops at the candidate limit either way.
  for (let p = source.length - bpsHashedBytes; p >= 0; p--) {
    const h = hashAt(source, p, hashShift);
    sourcePrevious[p] = sourceHead[h]!;
    sourceHead[h] = p;
  }
  const targetHead = new Int32Array(hashSize).fill(-1);
  const targetPrevious = new Int32Array(Math.max(1, target.length)).fill(-1);
  let targetIndexed = 0;
  const indexTargetBefore = (limit: number): void => {
    const last = Math.min(limit, target.length - bpsHashedBytes + 1);
    for (; targetIndexed < last; targetIndexed++) {
      const h = hashAt(target, targetIndexed, hashShift);
      targetPrevious[targetIndexed] = targetHead[h]!;
      targetHead[h] = targetIndexed;
    }
  };

  let sourceRelative = 0;
  let targetRelative = 0;
  let actions = 0;

  // The best action found by `findMatch` (module-scope-like scratch, no allocation per position).
  let bestKind = -1;
  let bestLength = 0;
  let bestFrom = 0;
  let bestSaving = 0;

  const consider = (kind: number, from: number, length: number, operandSize: number): void => {
    if (length === 0) return;
    const cost = varintSize((length - 1) * 4 + kind) + operandSize;
    const saving = length - cost;
    if (saving > bestSaving || (saving === bestSaving && length > bestLength)) {
      bestKind = kind;
      bestLength = length;
      bestFrom = from;
      bestSaving = saving;
    }
  };

  const findMatch = (t: number): void => {
    bestKind = -1;
    bestLength = 0;
    bestFrom = 0;
    bestSaving = 0;
    const n = target.length;
    if (t < source.length) consider(sourceRead, t, matchLength(source, t, source.length, target, t, n), 0);
    if (sourceRelative < source.length) consider(sourceCopy, sourceRelative, matchLength(source, sourceRelative, source.length, target, t, n), 1);
    if (targetRelative < t) consider(targetCopy, targetRelative, matchLength(target, targetRelative, n, target, t, n), 1);
    if (t + bpsHashedBytes > n || bestLength >= bpsGoodEnoughMatchLength) return;
    const h = hashAt(target, t, hashShift);
    let candidates = 0;
    for (let p = sourceHead[h]!; p >= 0 && candidates < bpsMaximumChainCandidates; p = sourcePrevious[p]!, candidates++) {
      if (p === sourceRelative || p === t) continue;
      const length = matchLength(source, p, source.length, target, t, n);
      if (length >= bpsHashedBytes) consider(sourceCopy, p, length, varintSize(signedOffsetCode(p - sourceRelative)));
      if (bestLength >= bpsGoodEnoughMatchLength) return;
    }
    indexTargetBefore(t);
    candidates = 0;
    for (let p = targetHead[h]!; p >= 0 && candidates < bpsMaximumChainCandidates; p = targetPrevious[p]!, candidates++) {
      if (p === targetRelative) continue;
      const length = matchLength(target, p, n, target, t, n);
      if (length >= bpsHashedBytes) consider(targetCopy, p, length, varintSize(signedOffsetCode(p - targetRelative)));
      if (bestLength >= bpsGoodEnoughMatchLength) return;
    }
  };

  let literalStart = 0;
  const flushLiteral = (end: number): void => {
    if (end <= literalStart) return;
    const length = end - literalStart;
    writeVarint(out, (length - 1) * 4 + targetRead);
    out.bytes(target.subarray(literalStart, end));
    actions++;
  };

  let t = 0;
  let nextProgressAt = bpsProgressIntervalInBytes;
  const onProgress = options.onProgress;
  // Every pass advances t by at least one byte.
  while (t < target.length) {
    if (onProgress && t >= nextProgressAt) {
      onProgress(t, target.length);
      nextProgressAt = t + bpsProgressIntervalInBytes;
    }
    findMatch(t);
    // A match must beat literals, including the TargetRead header a broken literal run costs again.
    if (bestKind < 0 || bestSaving < 1) {
      t += Math.min(bpsMaximumProbeStep, 1 + Math.floor((t - literalStart) / bpsLiteralRunPerProbeStep));
      continue;
    }
    // One byte of lookahead: if the match starting next saves clearly more, emit a literal first.
    const kind = bestKind;
    const length = bestLength;
    const from = bestFrom;
    const saving = bestSaving;
    if (t + 1 < target.length) {
      findMatch(t + 1);
      if (bestKind >= 0 && bestSaving > saving + 1) {
        t++;
        continue;
      }
    }
    flushLiteral(t);
    writeVarint(out, (length - 1) * 4 + kind);
    if (kind === sourceCopy) {
      writeVarint(out, signedOffsetCode(from - sourceRelative));
      sourceRelative = from + length;
    } else if (kind === targetCopy) {
      writeVarint(out, signedOffsetCode(from - targetRelative));
      targetRelative = from + length;
    }
    actions++;
    t += length;
    literalStart = t;
  }
  // The probe step may overshoot the end inside a literal run.
  flushLiteral(target.length);
  onProgress?.(target.length, target.length);

  const sourceCrc32 = crc32(source);
  const targetCrc32 = crc32(target);
  out.u32le(sourceCrc32);
  out.u32le(targetCrc32);
  const patchCrc32 = crc32(out.view());
  out.u32le(patchCrc32);
  return { patch: out.finish(), actions, sourceCrc32, targetCrc32, patchCrc32 };
}

/** Makes a BPS delta patch that turns `source` into `target` (see `createBpsWithStats`). */
export function createBps(source: Uint8Array, target: Uint8Array, options: BpsCreateOptions = {}): Uint8Array {
  return createBpsWithStats(source, target, options).patch;
}
