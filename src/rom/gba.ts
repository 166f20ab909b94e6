/** Game Boy Advance cartridge header. Spec: shared formats/platforms.md, "Game Boy Advance". */
import { readAsciiField } from '../util/bytes.js';

export const gbaHeaderSizeInBytes = 0xc0;
export const gbaComplementOffset = 0xbd;
/** Cartridge ROM appears on the bus at 0x08000000 (and mirrors at 0x0A…/0x0C… for other wait states). */
export const gbaRomBusBase = 0x08000000;
export const gbaMaximumRomSizeInBytes = 32 * 1024 * 1024;

/** The GBA cartridge header (0x00-0xBF), as read, with how confidently it was recognised. */
export interface GbaHeader {
  title: string;
  gameCode: string;
  makerCode: string;
  fixedValue: number;
  unitCode: number;
  version: number;
  complement: number;
  entryBranch: number;
  score: number;
}

/** complement = −(sum of 0xA0…0xBC) − 0x19 (mod 256). */
export function gbaHeaderComplement(rom: Uint8Array): number {
  let sum = 0;
  for (let i = 0xa0; i <= 0xbc; i++) sum += rom[i]!;
  return (-(sum + 0x19)) & 0xff;
}

export function parseGbaHeader(rom: Uint8Array): GbaHeader | undefined {
  if (rom.length < gbaHeaderSizeInBytes) return undefined;
  const complement = rom[gbaComplementOffset]!;
  const fixedValue = rom[0xb2]!;
  let score = 0;
  if (fixedValue === 0x96) score += 4;
  if (gbaHeaderComplement(rom) === complement) score += 4;
  // An ARM `B` instruction (condition AL, opcode 0b1010) jumps over the header.
  if (rom[3] === 0xea) score += 3;
  return {
    title: readAsciiField(rom, 0xa0, 12),
    gameCode: readAsciiField(rom, 0xac, 4),
    makerCode: readAsciiField(rom, 0xb0, 2),
    fixedValue,
    unitCode: rom[0xb3]!,
    version: rom[0xbc]!,
    complement,
    entryBranch: (rom[0]! | (rom[1]! << 8) | (rom[2]! << 16) | (rom[3]! << 24)) >>> 0,
    score,
  };
}
