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
declare const fileOffsetBrand: unique symbol;
declare const romOffsetBrand: unique symbol;
declare const busAddressBrand: unique symbol;

export type FileOffset = number & { readonly [fileOffsetBrand]: true };
export type RomOffset = number & { readonly [romOffsetBrand]: true };
export type BusAddress = number & { readonly [busAddressBrand]: true };

export const fileOffset = (value: number): FileOffset => value as FileOffset;
export const romOffset = (value: number): RomOffset => value as RomOffset;
export const busAddress = (value: number): BusAddress => value as BusAddress;
