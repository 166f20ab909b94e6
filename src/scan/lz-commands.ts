/**
 * Commands no encoder writes, in LC_LZ and konami1 streams (nintendo-lz.md §0, §5): the sign of
 * bytes read as a stream. Every encoder of these formats, greedy or optimal (Lunar Compress,
 * sfc-comp, pret's lzcomp, ours), writes the cheaper of two encodings of the same output, so a
 * stream that spends bytes for nothing was not written by one:
 *
 * - two literal commands in a row whose merged literal would be shorter (LC_LZ: together at most
 *   32 bytes, one short header instead of two; konami1: together at most 31);
 * - an LC_LZ long (2-byte) header for a count that fits the short form (commands 0–6);
 * - a fill or copy that costs more bytes than a literal of its output (a 1-byte copy).
 *
 * Code and tile data read as LC_LZ are full of these (a byte below 0x20 is a short literal, and
 * runs of them follow each other); a stream from an encoder has none. The scanner rejects a
 * reading with more than nonEncoderLzCommandsTolerated of them.
 */
import type { LcLzVariant } from '../codecs/nintendo/lc-lz-common.js';

/** Non-encoder commands a reading may have and still be taken for a stream. */
export const nonEncoderLzCommandsTolerated = 1;

/**
 * Commands of the LC_LZ`variant` stream from `start` to `end` that no encoder writes (see the
 * module comment); the count stops early once it exceeds `stopAbove` (the scanner only needs to
 * know that).
 */
export function nonEncoderLcLzCommands(variant: LcLzVariant, data: Uint8Array, start: number, end: number, stopAbove = Number.POSITIVE_INFINITY): number {
  let p = start;
  let found = 0;
  let previousLiteral = 0;
  // Each command consumes its header byte at least, so the walk advances.
  while (p < end && found <= stopAbove) {
    const h = data[p++]!;
    if (h === 0xff) break;
    let command: number;
    let count: number;
    let header = 1;
    if ((h & 0xe0) === 0xe0) {
      if (p >= end) break;
      command = (h >> 2) & 7;
      count = (((h & 3) << 8) | data[p++]!) + 1;
      header = 2;
      if (count <= 32 && command !== 7) found++;
    } else {
      command = h >> 5;
      count = (h & 0x1f) + 1;
    }
    let operands: number;
    switch (command) {
      case 0:
        operands = count;
        break;
      case 1:
        operands = 1;
        break;
      case 2:
        operands = 2;
        break;
      case 3:
        operands = variant === 3 ? 0 : 1;
        break;
      default:
        // LZ3: a relative source is 1 byte (bit 7 set), an absolute one 2; LZ5 6–7 are relative; others absolute.
        operands = variant === 3 ? (p < end && (data[p]! & 0x80) !== 0 ? 1 : 2) : variant === 5 && command >= 6 ? 1 : 2;
    }
    if (command === 0) {
      if (previousLiteral > 0) {
        const separate = (previousLiteral <= 32 ? 1 : 2) + header;
        const merged = previousLiteral + count <= 32 ? 1 : previousLiteral + count <= 1024 ? 2 : separate;
        if (merged < separate) found++;
      }
      previousLiteral = count;
    } else {
      previousLiteral = 0;
      if (header + operands > (count <= 32 ? 1 : 2) + count) found++;
    }
    p += operands;
  }
  return found;
}

/** Commands of the konami1 stream at `start` (its size word included) that no encoder writes (stopping once over `stopAbove`). */
export function nonEncoderKonami1Commands(data: Uint8Array, start: number, stopAbove = Number.POSITIVE_INFINITY): number {
  const end = Math.min(data.length, start + (data[start]! | (data[start + 1]! << 8)));
  let p = start + 2;
  let found = 0;
  let previousLiteral = 0;
  while (p < end && found <= stopAbove) {
    const b = data[p]!;
    if (b >= 0x81 && b <= 0x9f) {
      const count = b - 0x80;
      if (previousLiteral > 0 && previousLiteral + count <= 31) found++;
      previousLiteral = count;
      p += 1 + count;
      continue;
    }
    previousLiteral = 0;
    if (b < 0x80) p += 2;
    else if (b < 0xc0) p += 1 + (b - 0xa0 + 2);
    else if (b < 0xe0) p += 2;
    else p += 1;
  }
  return found;
}
