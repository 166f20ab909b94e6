import { OutOfRangeError } from '../errors.js';

/**
 * Throws unless [offset, offset + length) lies inside a buffer of `size` bytes. Every read of an
 * untrusted offset or length goes through here (or an equivalent check) first.
 */
export function checkRange(what: string, offset: number, length: number, size: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset > size || length > size - offset) {
    throw new OutOfRangeError(what, offset, length, size);
  }
}

export function readU16LE(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8)) >>> 0;
}

export function readU16BE(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 8) | bytes[offset + 1]!) >>> 0;
}

export function readU24LE(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16)) >>> 0;
}

export function readU32LE(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}

export function readU32BE(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

export function writeU16LE(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
}

export function writeU16BE(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = (value >>> 8) & 0xff;
  bytes[offset + 1] = value & 0xff;
}

/** Printable ASCII (space through tilde) decoded, trailing spaces and NULs trimmed. */
export function readAsciiField(bytes: Uint8Array, offset: number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    const b = bytes[offset + i]!;
    text += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : b === 0 ? '\0' : '?';
  }
  return text.replace(/[\0 ]+$/u, '').replace(/\0/gu, ' ');
}

/** Fraction of bytes in the field that are printable ASCII or trailing padding (NUL or space). */
export function printableRatio(bytes: Uint8Array, offset: number, length: number): number {
  let good = 0;
  for (let i = 0; i < length; i++) {
    const b = bytes[offset + i]!;
    if ((b >= 0x20 && b <= 0x7e) || b === 0) good++;
  }
  return good / length;
}

/**
 * Sum of bytes [start, end) as a plain number. Reads four bytes at a time into two accumulators
 * of two 16-bit lanes each ((w & 0x00FF00FF) and ((w >>> 8) & 0x00FF00FF)); a lane gains at most
 * 255 per word, so `wordsPerFlush` = 256 words cannot overflow it. Unrolled by four: 3.4 GB/s
 * against 2.2 GB/s for the plain SWAR loop on a 32 MiB ROM (measured here, bench/rom-open).
 */
const wordsPerFlush = 256;

export function byteSum(bytes: Uint8Array, start: number, end: number): number {
  let total = 0;
  let i = start;
  // Align to 4 bytes within the underlying buffer so a Uint32Array view is possible.
  while (i < end && ((bytes.byteOffset + i) & 3) !== 0) total += bytes[i++]!;
  const words = (end - i) >>> 2;
  if (words > 0) {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    let w = 0;
    while (w + wordsPerFlush <= words) {
      let even = 0;
      let odd = 0;
      for (const stop = w + wordsPerFlush; w < stop; w += 4) {
        const v0 = view[w]!;
        const v1 = view[w + 1]!;
        const v2 = view[w + 2]!;
        const v3 = view[w + 3]!;
        even += (v0 & 0x00ff00ff) + (v1 & 0x00ff00ff) + (v2 & 0x00ff00ff) + (v3 & 0x00ff00ff);
        odd += ((v0 >>> 8) & 0x00ff00ff) + ((v1 >>> 8) & 0x00ff00ff) + ((v2 >>> 8) & 0x00ff00ff) + ((v3 >>> 8) & 0x00ff00ff);
      }
      total += (even & 0xffff) + (even >>> 16) + (odd & 0xffff) + (odd >>> 16);
    }
    for (; w < words; w++) {
      const v = view[w]!;
      total += (v & 0xff) + ((v >>> 8) & 0xff) + ((v >>> 16) & 0xff) + (v >>> 24);
    }
    i += words * 4;
  }
  while (i < end) total += bytes[i++]!;
  return total;
}
