/**
 * The free-space allocator of one injection transaction. It only ever hands out bytes a game
 * definition declares free (never guessed from runs of 00/FF), minus everything known to be in
 * use (other sprites' blocks, pointer slots), honouring alignment and bank boundaries. Slots a
 * relocated block leaves behind come back within the same transaction.
 */
import { InvalidArgumentError } from '../errors.js';

/** `first-fit` (lowest free offset; keeps data together) or `best-fit` (the smallest range that holds it; keeps large ranges whole). */
export type FitStrategy = 'first-fit' | 'best-fit';

/** How the allocator places blocks: alignment, bank boundaries and the fit strategy. */
export interface AllocatorOptions {
  /** Start offsets are multiples of this (GBA BIOS decompressors need 4; 68000 word reads need 2). */
  alignment?: number;
  /**
   * Blocks must not cross a multiple of this (SNES LoROM 32 KiB, HiROM 64 KiB, GB 16 KiB): the
   * game maps one bank at a time and a pointer's bank byte names one bank. 0 = no banks.
   */
  bankSizeInBytes?: number;
  strategy?: FitStrategy;
}

/** The most ranges an allocator tracks; a definition holds at most 65,536 free ranges, and each allocation splits at most one. */
export const maximumFreeRangeCount = 1 << 18;

/** A free byte range `[start, end)` of ROM file offsets that the allocator can still hand out. */
export interface Range {
  start: number;
  end: number;
}

/**
 * Hands out space for relocated blocks from a definition's free ranges, honouring alignment and bank
 * boundaries, and takes back slots blocks leave.
 */
export class FreeSpaceAllocator {
  #ranges: Range[] = [];
  readonly alignment: number;
  readonly bankSizeInBytes: number;
  readonly strategy: FitStrategy;

  constructor(ranges: readonly { start: number; end: number }[], options: AllocatorOptions = {}) {
    this.alignment = options.alignment ?? 1;
    this.bankSizeInBytes = options.bankSizeInBytes ?? 0;
    this.strategy = options.strategy ?? 'best-fit';
    if (!Number.isSafeInteger(this.alignment) || this.alignment < 1 || (this.alignment & (this.alignment - 1)) !== 0) {
      throw new InvalidArgumentError(`alignment must be a power of two, got ${this.alignment}`, { alignment: this.alignment });
    }
    if (!Number.isSafeInteger(this.bankSizeInBytes) || this.bankSizeInBytes < 0) {
      throw new InvalidArgumentError(`bank size must be a non-negative integer, got ${this.bankSizeInBytes}`);
    }
    if (this.strategy !== 'first-fit' && this.strategy !== 'best-fit') throw new InvalidArgumentError(`strategy must be first-fit or best-fit, got ${String(this.strategy)}`);
    for (const r of ranges) this.release(r.start, r.end);
  }

  /** The free ranges now, sorted and merged. */
  ranges(): readonly Range[] {
    return this.#ranges.map((r) => ({ ...r }));
  }

  /** Total free bytes. */
  get freeBytes(): number {
    return this.#ranges.reduce((sum, r) => sum + (r.end - r.start), 0);
  }

  /** The largest block that `allocate` could place now (alignment and banks counted). */
  largestAllocatable(): number {
    let best = 0;
    for (const r of this.#ranges) {
      for (const piece of this.#pieces(r)) best = Math.max(best, piece.end - piece.start);
    }
    return best;
  }

  /** Marks [start, end) free (merging with neighbours). */
  release(start: number, end: number): void {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) return;
    const merged: Range[] = [];
    let next: Range = { start, end };
    let placed = false;
    for (const r of this.#ranges) {
      if (r.end < next.start) merged.push(r);
      else if (r.start > next.end) {
        if (!placed) {
          merged.push(next);
          placed = true;
        }
        merged.push(r);
      } else next = { start: Math.min(r.start, next.start), end: Math.max(r.end, next.end) };
    }
    if (!placed) merged.push(next);
    if (merged.length > maximumFreeRangeCount) throw new InvalidArgumentError(`more than ${maximumFreeRangeCount} free ranges`);
    this.#ranges = merged;
  }

  /** Removes [start, end) from the free space (it is in use). */
  reserve(start: number, end: number): void {
    if (end <= start) return;
    const out: Range[] = [];
    for (const r of this.#ranges) {
      if (r.end <= start || r.start >= end) {
        out.push(r);
        continue;
      }
      if (r.start < start) out.push({ start: r.start, end: start });
      if (r.end > end) out.push({ start: end, end: r.end });
    }
    this.#ranges = out;
  }

  /** The bank-contained pieces of a range, starts aligned. */
  *#pieces(r: Range): Generator<Range> {
    const bank = this.bankSizeInBytes;
    let start = r.start;
    // Each iteration moves `start` to the next bank boundary or past the range's end.
    while (start < r.end) {
      const aligned = Math.ceil(start / this.alignment) * this.alignment;
      const bankEnd = bank > 0 ? (Math.floor(start / bank) + 1) * bank : r.end;
      const end = Math.min(r.end, bankEnd);
      if (aligned < end) yield { start: aligned, end };
      start = end;
    }
  }

  /**
   * Finds and reserves `length` bytes; returns the start, or undefined when nothing fits.
   * Best-fit takes the smallest piece that holds the block (lowest offset on ties).
   */
  allocate(length: number): number | undefined {
    if (!Number.isSafeInteger(length) || length < 1) throw new InvalidArgumentError(`cannot allocate ${length} bytes`);
    let chosen: Range | undefined;
    outer: for (const r of this.#ranges) {
      for (const piece of this.#pieces(r)) {
        const size = piece.end - piece.start;
        if (size < length) continue;
        if (this.strategy === 'first-fit') {
          chosen = piece;
          break outer;
        }
        if (!chosen || size < chosen.end - chosen.start) chosen = piece;
      }
    }
    if (!chosen) return undefined;
    this.reserve(chosen.start, chosen.start + length);
    return chosen.start;
  }
}
