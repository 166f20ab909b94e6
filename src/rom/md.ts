/** Mega Drive / Genesis header, checksum and .smd de-interleaving. Spec: shared formats/platforms.md. */
import { readAsciiField, readU16BE, readU32BE } from '../util/bytes.js';
import { hasSegaAt, looksLikeSmd, smdBlockSizeInBytes, smdHeaderSizeInBytes } from './signatures.js';

export { looksLikeSmd };

export const mdChecksumOffset = 0x18e;
const checksumStart = 0x200;

/** The Mega Drive header (0x100-0x1FF), as read, with how confidently it was recognised. */
export interface MdHeader {
  systemType: string;
  copyright: string;
  domesticTitle: string;
  overseasTitle: string;
  serial: string;
  checksum: number;
  romStart: number;
  romEnd: number;
  region: string;
  score: number;
}


/** Sum of big-endian 16-bit words from 0x200 to the end (a trailing odd byte counts as a high byte). */
export function mdChecksum(rom: Uint8Array): number {
  let sum = 0;
  const end = rom.length & ~1;
  for (let i = checksumStart; i < end; i += 2) sum += (rom[i]! << 8) | rom[i + 1]!;
  if (rom.length & 1 && rom.length > checksumStart) sum += rom[rom.length - 1]! << 8;
  return sum & 0xffff;
}

export function parseMdHeader(rom: Uint8Array): MdHeader | undefined {
  if (rom.length < checksumStart) return undefined;
  let score = 0;
  if (hasSegaAt(rom, 0x100)) score += 8;
  else if (hasSegaAt(rom, 0x101)) score += 6; // " SEGA" with a leading space
  const romStart = readU32BE(rom, 0x1a0);
  const romEnd = readU32BE(rom, 0x1a4);
  if (romStart === 0 && romEnd > 0 && romEnd < 0x1000000) score += 2;
  return {
    systemType: readAsciiField(rom, 0x100, 16),
    copyright: readAsciiField(rom, 0x110, 16),
    domesticTitle: readAsciiField(rom, 0x120, 48),
    overseasTitle: readAsciiField(rom, 0x150, 48),
    serial: readAsciiField(rom, 0x180, 14),
    checksum: readU16BE(rom, mdChecksumOffset),
    romStart,
    romEnd,
    region: readAsciiField(rom, 0x1f0, 3),
    score,
  };
}


/** De-interleaves an .smd dump into plain binary ROM data (a new buffer). */
export function deinterleaveSmd(file: Uint8Array): Uint8Array {
  const blocks = (file.length - smdHeaderSizeInBytes) / smdBlockSizeInBytes;
  const out = new Uint8Array(blocks * smdBlockSizeInBytes);
  const half = smdBlockSizeInBytes / 2;
  for (let b = 0; b < blocks; b++) {
    const src = smdHeaderSizeInBytes + b * smdBlockSizeInBytes;
    const dst = b * smdBlockSizeInBytes;
    for (let i = 0; i < half; i++) {
      out[dst + i * 2 + 1] = file[src + i]!;
      out[dst + i * 2] = file[src + half + i]!;
    }
  }
  return out;
}
