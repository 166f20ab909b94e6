/**
 * The file signatures that make a ROM's bytes differ from the file's: an iNES header (NES), an
 * .smd dump's interleaving and 512-byte header (Mega Drive), a 512-byte SNES copier header.
 * Kept apart from the header parsers (nes.ts, md.ts, snes.ts, which re-export them) so that
 * `romgfx decompress` of a plain file can tell, without loading ROM identification, that
 * identifying it could not change the bytes or the offset it reads (issue #18, start-up).
 * Spec: shared formats/platforms.md.
 */

/** The .smd header before the interleaved blocks. */
export const smdHeaderSizeInBytes = 512;
/** An .smd block: 16 KiB, odd bytes in its first half, even bytes in its second. */
export const smdBlockSizeInBytes = 16 * 1024;
/** A SNES copier header (SMC/SWC/FIG), in front of the ROM. */
export const snesCopierHeaderSizeInBytes = 512;

/** True when the file starts with the iNES magic "NES\x1A". */
export function hasInesMagic(rom: Uint8Array): boolean {
  return rom.length >= 4 && rom[0] === 0x4e && rom[1] === 0x45 && rom[2] === 0x53 && rom[3] === 0x1a;
}

/** True when "SEGA" is at `offset` (the Mega Drive header's system type). */
export function hasSegaAt(rom: Uint8Array, offset: number): boolean {
  return rom.length >= offset + 4 && rom[offset] === 0x53 && rom[offset + 1] === 0x45 && rom[offset + 2] === 0x47 && rom[offset + 3] === 0x41;
}

/**
 * An .smd dump: a 512-byte header (byte 8 = 0xAA, byte 9 = 0xBB) and 16 KiB blocks, each holding
 * the odd bytes of its half-block first, then the even bytes.
 */
export function looksLikeSmd(file: Uint8Array): boolean {
  return (
    file.length > smdHeaderSizeInBytes &&
    (file.length - smdHeaderSizeInBytes) % smdBlockSizeInBytes === 0 &&
    file[8] === 0xaa &&
    file[9] === 0xbb &&
    !hasSegaAt(file, 0x100)
  );
}

/** True when a file of `fileSize` bytes starts with a 512-byte copier header (size ≡ 512 mod 1 KiB). */
export function hasSnesCopierHeader(fileSize: number): boolean {
  return fileSize % 1024 === snesCopierHeaderSizeInBytes;
}
