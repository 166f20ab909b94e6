/**
 * Shared by the Sega decoders (sega.md §1–§5): each format has one walker that both decodes
 * (output buffer given) and validates for `probe` (no output). A walker reports failure through
 * the module-level `walkFailure` record (../walk-failure.ts) instead of throwing, so a scanner
 * probing every offset pays for no exception; `decompress` turns the record into a typed error.
 */
import { InvalidArgumentError } from '../../errors.js';
import type { DecodeLimits, DecodeResult, ProbeResult } from '../types.js';

// The walk-failure record is shared with the GBA LZ family: it lives in ../walk-failure.ts.
import { throwWalkFailure } from '../walk-failure.js';
export { copyBeforeStartText, fail, throwWalkFailure, walkCorrupt, walkFailure, walkFailureError, walkOutputLimit, walkTruncated, walkUnsupported } from '../walk-failure.js';

/**
 * A codec's decode and probe kernels behind one object, so that `src/native/` can swap in the
 * C++ N-API versions (same results, same typed errors) and a parity test can run both; the
 * TypeScript functions stay the reference and the fallback.
 */
export interface DecodeKernels {
  /** Which implementation this is ('typescript' or 'native'), for diagnostics and benchmarks. */
  readonly implementation: string;
  /** As the codec's `decompress`. */
  decode(bytes: Uint8Array, offset?: number, limits?: DecodeLimits): DecodeResult;
  /** As the codec's `probe`. */
  probe(bytes: Uint8Array, offset?: number, limits?: DecodeLimits): ProbeResult | null;
}

/** Where a codec keeps the kernels it runs now: the reference until something installs others. */
export class KernelSlot {
  /** The kernels the codec calls now. */
  active: DecodeKernels;
  constructor(readonly reference: DecodeKernels) {
    this.active = reference;
  }
  /** Installs other kernels; returns the previous ones. */
  set(kernels: DecodeKernels): DecodeKernels {
    const previous = this.active;
    this.active = kernels;
    return previous;
  }
}

/** Where a terminated-stream walker records a successful walk, as `walkFailure` records a failed one. */
export const walkSuccess = { outputLengthInBytes: 0, endOffset: 0 };

/** Records a successful walk (bytes of output, input offset after the stream) and returns true. */
export function succeedWalk(outputLengthInBytes: number, endOffset: number): true {
  walkSuccess.outputLengthInBytes = outputLengthInBytes;
  walkSuccess.endOffset = endOffset;
  return true;
}

/**
 * A walker of a stream that ends on its own terminator (Comper, LZ4W): decodes into `out`, or
 * only validates when `out` is null, from `start` under `limit`; records `walkSuccess` or
 * `walkFailure`.
 */
export type TerminatedStreamWalker = (bytes: Uint8Array, start: number, limit: number, out: Uint8Array | null) => boolean;

/**
 * `decompress` over a terminated-stream walker: under the default limit (the size of `scratch`)
 * one walk into the scratch and an exact copy out; above it a validating walk sizes the output
 * before anything is allocated, then a second walk fills it.
 */
export function decodeByWalk(codec: string, walk: TerminatedStreamWalker, scratch: Uint8Array, bytes: Uint8Array, offset: number, limits: DecodeLimits | undefined): DecodeResult {
  checkStart(bytes, offset);
  const limit = strictOutputLimitInBytes(limits, scratch.length);
  if (limit <= scratch.length) {
    if (!walk(bytes, offset, limit, scratch)) throwWalkFailure(codec);
    return { data: scratch.slice(0, walkSuccess.outputLengthInBytes), packedLength: walkSuccess.endOffset - offset };
  }
  if (!walk(bytes, offset, limit, null)) throwWalkFailure(codec);
  const out = new Uint8Array(walkSuccess.outputLengthInBytes);
  walk(bytes, offset, limit, out);
  return { data: out, packedLength: walkSuccess.endOffset - offset };
}

/** `probe` over a terminated-stream walker (default limit: `defaultLimitInBytes`); null when it is not a stream. */
export function probeByWalk(walk: TerminatedStreamWalker, bytes: Uint8Array, offset: number, limits: DecodeLimits | undefined, defaultLimitInBytes: number): ProbeResult | null {
  if (!isValidStart(bytes, offset)) return null;
  const limit = strictOutputLimitOrNull(limits, defaultLimitInBytes);
  if (limit === null || !walk(bytes, offset, limit, null)) return null;
  return { packedLength: walkSuccess.endOffset - offset, unpackedLength: walkSuccess.outputLengthInBytes };
}

/** The caller's output limit in bytes, or `fallback` (the format's documented default). */
export function outputLimitInBytes(limits: { maximumOutputSizeInBytes?: number } | undefined, fallback: number): number {
  const requested = limits?.maximumOutputSizeInBytes;
  return requested === undefined || !Number.isFinite(requested) || requested < 0 ? fallback : Math.floor(requested);
}

/**
 * The caller's output limit in bytes, or `fallback` when none is given; refuses a limit that is
 * not a non-negative safe integer (Saxman, Comper, LZ4W: a caller error, not bad data).
 */
export function strictOutputLimitInBytes(limits: DecodeLimits | undefined, fallback: number): number {
  const limit = limits?.maximumOutputSizeInBytes ?? fallback;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidArgumentError(`maximumOutputSizeInBytes must be a non-negative integer, not ${limit}`);
  return limit;
}

/** As `strictOutputLimitInBytes`, for a probe: null where the decode would refuse the limit. */
export function strictOutputLimitOrNull(limits: DecodeLimits | undefined, fallback: number): number | null {
  const limit = limits?.maximumOutputSizeInBytes ?? fallback;
  return Number.isSafeInteger(limit) && limit >= 0 ? limit : null;
}

/**
 * An output buffer for the walkers. Decoders size it exactly from a first, output-free walk
 * (the walk is a small fraction of a decode, and one exact allocation beats growing and
 * trimming); it still grows, doubling up to the limit, if a caller gives it less.
 */
export class GrowableOutput {
  /** The buffer; valid bytes are `[0, length)` of the walker's position. */
  bytes: Uint8Array;
  readonly #capacityLimitInBytes: number;
  constructor(initialSizeInBytes: number, limitInBytes: number) {
    this.#capacityLimitInBytes = limitInBytes;
    this.bytes = new Uint8Array(Math.max(0, Math.min(initialSizeInBytes, limitInBytes)));
  }
  /** Makes room for `size` bytes in total (size is already checked against the limit). */
  ensure(size: number): Uint8Array {
    if (size > this.bytes.length) {
      const next = Math.max(size, Math.min(this.#capacityLimitInBytes, Math.max(64, this.bytes.length * 2)));
      const grown = new Uint8Array(next);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    return this.bytes;
  }
}

/** True when `offset` is a whole number inside (or at the end of) the input. */
export function isValidStart(bytes: Uint8Array, offset: number): boolean {
  return Number.isSafeInteger(offset) && offset >= 0 && offset <= bytes.length;
}

/** Refuses a start offset outside the input (a caller error, not bad data). */
export function checkStart(bytes: Uint8Array, offset: number): void {
  if (!isValidStart(bytes, offset)) throw new InvalidArgumentError(`offset ${offset} is outside the ${bytes.length}-byte input`, { offset, size: bytes.length });
}

/** An MSB-first bit writer over a growing byte buffer (Nemesis and Enigma bitstreams). */
export class MsbBitWriter {
  #bytes: Uint8Array;
  #length = 0;
  #accumulator = 0;
  #pendingBits = 0;
  constructor(initialSizeInBytes: number) {
    this.#bytes = new Uint8Array(Math.max(16, initialSizeInBytes));
  }
  /** Appends a whole byte; only valid while no bits are pending (table bytes before the bitstream). */
  byte(value: number): void {
    this.#room(1);
    this.#bytes[this.#length++] = value & 0xff;
  }
  /** Appends the low `count` (0..24) bits of `value`, most significant first. */
  bits(value: number, count: number): void {
    this.#accumulator = ((this.#accumulator << count) | (value & ((1 << count) - 1))) >>> 0;
    this.#pendingBits += count;
    if (this.#pendingBits >= 8) {
      this.#room(4);
      while (this.#pendingBits >= 8) {
        this.#pendingBits -= 8;
        this.#bytes[this.#length++] = (this.#accumulator >>> this.#pendingBits) & 0xff;
      }
      this.#accumulator &= (1 << this.#pendingBits) - 1;
    }
  }
  /** True when bits are waiting for a byte. */
  get hasPendingBits(): boolean {
    return this.#pendingBits > 0;
  }
  /** Pads the pending bits with zeros to a whole byte. */
  flush(): void {
    if (this.#pendingBits > 0) this.bits(0, 8 - this.#pendingBits);
  }
  /** The bytes written so far (call `flush` first to include pending bits). */
  result(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }
  /** Whole bytes written so far. */
  get lengthInBytes(): number {
    return this.#length;
  }
  #room(extra: number): void {
    if (this.#length + extra <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + extra));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }
}
