/**
 * Shared facts of the LC_LZ container (Lunar Compress numbering) used by LC_LZ1, LC_LZ2,
 * LC_LZ3 and LC_LZ5: no header, 0xFF terminator at a command position, short (1-byte, 1-32)
 * and long (2-byte, 1-1,024) command headers. Spec: nintendo-lz.md §0.
 */
import { InvalidArgumentError } from '../../errors.js';
import type { DecodeLimits } from '../types.js';

/** Which command set a stream uses (the n of LC_LZn). */
export type LcLzVariant = 1 | 2 | 3 | 5;

/** The codec name of each variant, as the registry knows it. */
export function lcLzCodecName(variant: LcLzVariant): string {
  return `lc-lz${variant}`;
}

/**
 * Copy addresses are 16-bit indexes into the output (LZ1/LZ2/LZ5) and the games decode into
 * fixed RAM buffers, so 64 KiB is both the hard maximum and the default decode limit.
 * LZ3 has no 16-bit address limit for relative copies, but GSC's buffers are far smaller; the
 * same cap is a generous default (nintendo-lz.md §3 "Limits").
 */
export const maximumLcLzOutputSizeInBytes = 65536;
/** LZ3's absolute source is 15 bits: the encoder refuses larger inputs (as sfc-comp does). */
export const maximumLcLz3InputSizeInBytes = 32768;
/** A command header of FF ends the stream (only at a command position). */
export const lcLzEndOfStream = 0xff;
/** A 1-byte command header holds lengths 1-32. */
export const lcLzShortLengthLimit = 32;
/** A 2-byte command header holds lengths 1-1,024. */
export const lcLzLongLengthLimit = 1024;
/** A long command numbered 7 has first bytes FC-FE only (FF ends the stream): lengths 1-768. */
export const lcLzLongCommand7LengthLimit = 768;

/** Writes a command header for `command` (0-7) and length 1-1,024; returns the new position. */
export function writeLcLzHeader(out: Uint8Array, position: number, command: number, length: number, forceLong: boolean): number {
  const stored = length - 1;
  if (stored < lcLzShortLengthLimit && !forceLong) {
    out[position] = (command << 5) | stored;
    return position + 1;
  }
  out[position] = 0xe0 | (command << 2) | (stored >> 8);
  out[position + 1] = stored & 0xff;
  return position + 2;
}

/** The caller's output cap, never above 64 KiB. */
export function lcLzOutputLimit(limits: DecodeLimits | undefined, hardMaximum: number): number {
  const requested = limits?.maximumOutputSizeInBytes;
  if (requested === undefined) return hardMaximum;
  if (!Number.isSafeInteger(requested) || requested < 0) {
    throw new InvalidArgumentError(`maximumOutputSizeInBytes must be a non-negative integer, not ${requested}`);
  }
  return Math.min(requested, hardMaximum);
}

/** Refuses a start offset outside the input. */
export function checkStreamStart(bytes: Uint8Array, offset: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new InvalidArgumentError(`offset ${offset} is outside the ${bytes.length}-byte input`, { offset, size: bytes.length });
  }
}

/** True when `offset` is a usable start offset (probe's non-throwing check). */
export function isStreamStart(bytes: Uint8Array, offset: number): boolean {
  return Number.isSafeInteger(offset) && offset >= 0 && offset <= bytes.length;
}
