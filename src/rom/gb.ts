/** Game Boy / Game Boy Color header and checksums. Spec: shared formats/platforms.md, "Game Boy". */
import { readAsciiField, readU16BE } from '../util/bytes.js';
import { byteSum } from '../util/hash.js';

export const gbHeaderEndInBytes = 0x150;
const headerChecksumOffset = 0x14d;
const globalChecksumOffset = 0x14e;

/** The first 24 bytes of the boot logo at 0x104; every licensed cartridge carries it (the boot ROM checks it). */
const logoPrefix = Uint8Array.of(0xce, 0xed, 0x66, 0x66, 0xcc, 0x0d, 0x00, 0x0b, 0x03, 0x73, 0x00, 0x83, 0x00, 0x0c, 0x00, 0x0d, 0x00, 0x08, 0x11, 0x1f, 0x88, 0x89, 0x00, 0x0e);
/** The first 24 bytes of the boot logo a cartridge header carries at 0x104 (the boot ROM checks it): where they are, a header is. */
export const gbBootLogoPrefix: Readonly<Uint8Array> = logoPrefix;
/** Where the boot logo sits in a cartridge header. */
export const gbBootLogoOffsetInHeader = 0x104;

/** The Game Boy cartridge header (0x100-0x14F), as read. */
export interface GbHeader {
  title: string;
  cgbFlag: number;
  /** 'gbc' when the CGB flag marks colour support (0x80 compatible, 0xC0 colour only). */
  colour: boolean;
  sgbFlag: number;
  cartridgeType: number;
  romSizeCode: number;
  declaredRomSize: number;
  ramSizeCode: number;
  licensee: number;
  version: number;
  headerChecksum: number;
  globalChecksum: number;
  logoValid: boolean;
  score: number;
}

/** The header checksum: x = x − byte − 1 over 0x134…0x14C (mod 256). */
export function gbHeaderChecksum(rom: Uint8Array): number {
  let x = 0;
  for (let i = 0x134; i <= 0x14c; i++) x = (x - rom[i]! - 1) & 0xff;
  return x;
}

/** The global checksum: every byte except 0x14E–0x14F, mod 65536. */
export function gbGlobalChecksum(rom: Uint8Array): number {
  const sum = byteSum(rom, 0, rom.length) - rom[globalChecksumOffset]! - rom[globalChecksumOffset + 1]!;
  return sum & 0xffff;
}

export function parseGbHeader(rom: Uint8Array): GbHeader | undefined {
  if (rom.length < gbHeaderEndInBytes) return undefined;
  let logoValid = true;
  for (let i = 0; i < logoPrefix.length; i++) if (rom[0x104 + i] !== logoPrefix[i]) logoValid = false;
  const cgbFlag = rom[0x143]!;
  const colour = cgbFlag === 0x80 || cgbFlag === 0xc0;
  const romSizeCode = rom[0x148]!;
  const headerChecksum = rom[headerChecksumOffset]!;
  let score = 0;
  if (logoValid) score += 8;
  if (gbHeaderChecksum(rom) === headerChecksum) score += 4;
  if (romSizeCode <= 0x08) score += 1;
  if (rom[0x149]! <= 0x05) score += 1;
  return {
    title: readAsciiField(rom, 0x134, colour ? 15 : 16),
    cgbFlag,
    colour,
    sgbFlag: rom[0x146]!,
    cartridgeType: rom[0x147]!,
    romSizeCode,
    declaredRomSize: romSizeCode <= 0x08 ? 32768 << romSizeCode : 0,
    ramSizeCode: rom[0x149]!,
    licensee: rom[0x14b]!,
    version: rom[0x14c]!,
    headerChecksum,
    globalChecksum: readU16BE(rom, globalChecksumOffset),
    logoValid,
    score,
  };
}

export const gbChecksumOffsets = { header: headerChecksumOffset, global: globalChecksumOffset } as const;
