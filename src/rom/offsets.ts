/**
 * Three kinds of position that ROM hackers mix up, kept apart by the type system:
 *
 * - `FileOffset`: a byte position in the file as it is on disk (copier header included).
 * - `RomOffset`: a byte position in the ROM data (after any copier header; after .smd
 *   de-interleaving). Game definitions, checksums and codecs speak in ROM offsets.
 * - `BusAddress`: an address on the console's bus (`$C0:1234` on SNES, `0x08001234` on GBA),
 *   which is what pointers stored inside the ROM hold.
 *
 * Each is a number at run time; the brands only exist for the compiler.
 */
import { AddressNotMappedError, hex } from '../errors.js';

declare const fileOffsetBrand: unique symbol;
declare const romOffsetBrand: unique symbol;
declare const busAddressBrand: unique symbol;

/** An offset in the file as it is on disk (copier header included). Branded so it is not mixed up with a ROM offset. */
export type FileOffset = number & { readonly [fileOffsetBrand]: true };
/** An offset in the ROM data (after any copier header): what definitions and codecs use. */
export type RomOffset = number & { readonly [romOffsetBrand]: true };
/** An address on the console's bus (e.g. SNES `$C0:8000`), which the cartridge mapping turns into a ROM offset. */
export type BusAddress = number & { readonly [busAddressBrand]: true };

/** Marks a number as a FileOffset (no check, no conversion). */
export const fileOffset = (value: number): FileOffset => value as FileOffset;
/** Marks a number as a RomOffset (no check, no conversion). */
export const romOffset = (value: number): RomOffset => value as RomOffset;
/** Marks a number as a BusAddress (no check, no conversion). */
export const busAddress = (value: number): BusAddress => value as BusAddress;

/**
 * `offset` as a RomOffset of a ROM of `size` bytes, or AddressNotMappedError when it is past the
 * end (`asked` is what the user gave: the offset itself, or the address it came from).
 */
export function checkedRomOffset(offset: number, asked: number, size: number): RomOffset {
  if (offset >= size) throw new AddressNotMappedError(`${hex(asked)} is ROM offset ${hex(offset)}, past the end of the ${hex(size)}-byte ROM`, { asked, offset, size });
  return romOffset(offset);
}
