/**
 * Parsing the addresses and offsets people type.
 *
 * - A bus address is written with a `$` or a bank separator: `$C0:1234`, `C0:1234`, `$C01234`.
 *   `parseBusAddress` also takes bare hex (`C01234`) and `0xC01234`, for places where only a
 *   bus address makes sense (pointers, `addr --bus`).
 * - A ROM offset is a number: `0x8120`, `8120h`, or decimal `33056`.
 */
import { AddressSyntaxError } from '../errors.js';

/** The largest offset or address anyone types: 32 bits. */
const maximumTypedValue = 0xffffffff;

/** A location the user typed: a bus address (`$C0:8000`, `C0:8000`) or a ROM offset (`0x8120`, `8120h`, `33056`). */
export type Location = { kind: 'bus'; value: number } | { kind: 'offset'; value: number };

function parseHexDigits(text: string, original: string): number {
  if (!/^[0-9a-f]+$/iu.test(text)) throw new AddressSyntaxError(original, 'expected hexadecimal digits');
  if (text.length > 8) throw new AddressSyntaxError(original, 'more than 32 bits');
  return Number.parseInt(text, 16);
}

/** `$C0:1234`, `C0:1234`, `$C01234`, `C01234`, `0xC01234` → 0xC01234. */
export function parseBusAddress(text: string): number {
  const original = text;
  let t = text.trim();
  if (t.length === 0) throw new AddressSyntaxError(original, 'empty');
  if (t.startsWith('$')) t = t.slice(1);
  else if (/^0x/iu.test(t)) t = t.slice(2);
  const colon = t.indexOf(':');
  if (colon >= 0) {
    const bank = t.slice(0, colon);
    const addr = t.slice(colon + 1);
    if (bank.length === 0 || bank.length > 2) throw new AddressSyntaxError(original, 'the bank before ":" must be 1–2 hex digits');
    if (addr.length === 0 || addr.length > 4) throw new AddressSyntaxError(original, 'the address after ":" must be 1–4 hex digits');
    return (parseHexDigits(bank, original) << 16) | parseHexDigits(addr, original);
  }
  return parseHexDigits(t, original);
}

/** `0x8120`, `8120h`, `33056` → a number. */
export function parseOffset(text: string): number {
  const original = text;
  const t = text.trim();
  let value: number;
  if (/^0x[0-9a-f]+$/iu.test(t)) value = parseHexDigits(t.slice(2), original);
  else if (/^[0-9a-f]+h$/iu.test(t)) value = parseHexDigits(t.slice(0, -1), original);
  else if (/^[0-9]+$/u.test(t)) value = Number.parseInt(t, 10);
  else throw new AddressSyntaxError(original, 'expected 0x-prefixed hex, hex ending in h, or decimal');
  if (!Number.isSafeInteger(value) || value > maximumTypedValue) throw new AddressSyntaxError(original, 'more than 32 bits');
  return value;
}

/** A bus address when the text says so (`$` or `:`), else an offset. */
export function parseLocation(text: string): Location {
  const t = text.trim();
  if (t.startsWith('$') || t.includes(':')) return { kind: 'bus', value: parseBusAddress(t) };
  return { kind: 'offset', value: parseOffset(t) };
}
