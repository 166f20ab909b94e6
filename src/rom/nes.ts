/** iNES / NES 2.0 header. Spec: shared formats/platforms.md, "NES". */
import { HeaderError, hex } from '../errors.js';

export const inesHeaderSizeInBytes = 16;
export const inesTrainerSizeInBytes = 512;
const prgUnitInBytes = 16 * 1024;
const chrUnitInBytes = 8 * 1024;

/** The iNES / NES 2.0 header, as read: sizes, mapper, mirroring, and where PRG and CHR start. */
export interface NesHeader {
  format: 'ines' | 'nes2';
  prgRomSize: number;
  chrRomSize: number;
  mapper: number;
  mirroring: 'horizontal' | 'vertical' | 'four-screen';
  battery: boolean;
  trainer: boolean;
  prgRomOffset: number;
  /** Where CHR-ROM starts, or null for CHR-RAM (no tiles stored in the file). */
  chrRomOffset: number | null;
}

export function hasInesMagic(rom: Uint8Array): boolean {
  return rom.length >= 4 && rom[0] === 0x4e && rom[1] === 0x45 && rom[2] === 0x53 && rom[3] === 0x1a;
}

/** Parses the header; throws `HeaderError` when the sizes it declares do not fit in the file. */
export function parseNesHeader(rom: Uint8Array, name: string): NesHeader {
  if (rom.length < inesHeaderSizeInBytes) throw new HeaderError(`${name}: iNES header truncated (${rom.length} of 16 bytes)`, { source: name, size: rom.length });
  const flags6 = rom[6]!;
  const flags7 = rom[7]!;
  const nes2 = (flags7 & 0x0c) === 0x08;
  // NES 2.0 adds size MSBs in byte 9; exponent-multiplier sizes (nibble 0xF) are rare and refused below.
  const prgUnits = rom[4]! | (nes2 ? (rom[9]! & 0x0f) << 8 : 0);
  const chrUnits = rom[5]! | (nes2 ? (rom[9]! & 0xf0) << 4 : 0);
  if (nes2 && ((rom[9]! & 0x0f) === 0x0f || (rom[9]! & 0xf0) === 0xf0)) {
    throw new HeaderError(`${name}: NES 2.0 exponent-multiplier ROM sizes are not supported (byte 9 = ${hex(rom[9]!, 2)})`, { source: name, field: 'byte 9' });
  }
  const trainer = (flags6 & 0x04) !== 0;
  const prgRomOffset = inesHeaderSizeInBytes + (trainer ? inesTrainerSizeInBytes : 0);
  const prgRomSize = prgUnits * prgUnitInBytes;
  const chrRomSize = chrUnits * chrUnitInBytes;
  const end = prgRomOffset + prgRomSize + chrRomSize;
  if (end > rom.length) {
    throw new HeaderError(
      `${name}: header declares ${prgUnits}×16 KiB PRG + ${chrUnits}×8 KiB CHR ending at ${hex(end)}, but the file is ${hex(rom.length)} bytes`,
      { source: name, declaredEnd: end, size: rom.length },
    );
  }
  return {
    format: nes2 ? 'nes2' : 'ines',
    prgRomSize,
    chrRomSize,
    mapper: (flags6 >>> 4) | (flags7 & 0xf0) | (nes2 ? (rom[8]! & 0x0f) << 8 : 0),
    mirroring: flags6 & 0x08 ? 'four-screen' : flags6 & 0x01 ? 'vertical' : 'horizontal',
    battery: (flags6 & 0x02) !== 0,
    trainer,
    prgRomOffset,
    chrRomOffset: chrRomSize > 0 ? prgRomOffset + prgRomSize : null,
  };
}
