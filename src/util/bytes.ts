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
