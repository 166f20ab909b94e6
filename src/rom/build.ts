/**
 * Synthetic ROM builders: small, valid-by-construction ROM images for every platform and SNES
 * mapping. Tests use them instead of third-party ROMs, and `romgfx demo` builds its demo ROM with
 * them. Everything is deterministic.
 */
import { InvalidArgumentError, hex } from '../errors.js';
import { writeU16LE } from '../util/bytes.js';
import { fixChecksumsInPlace } from './checksum.js';
import { gbaComplementOffset, gbaHeaderComplement } from './gba.js';
import type { SnesMapping } from './snes.js';

/** Bytes to place in a built test ROM. */
export interface Payload {
  /** ROM offset (after any copier header). */
  offset: number;
  bytes: Uint8Array;
}

function place(rom: Uint8Array, payloads: readonly Payload[] | undefined): void {
  for (const p of payloads ?? []) {
    if (p.offset < 0 || p.offset + p.bytes.length > rom.length) {
      throw new InvalidArgumentError(`payload of ${p.bytes.length} bytes at ${hex(p.offset)} does not fit a ${hex(rom.length)}-byte ROM`);
    }
    rom.set(p.bytes, p.offset);
  }
}

function writeAscii(rom: Uint8Array, offset: number, text: string, length: number, pad = 0x20): void {
  for (let i = 0; i < length; i++) {
    if (i >= text.length) {
      rom[offset + i] = pad;
      continue;
    }
    const c = text.charCodeAt(i);
    rom[offset + i] = c >= 0x20 && c <= 0x7e ? c : 0x3f;
  }
}

/** Deterministic filler that looks like code, not like tiles: an xorshift stream. */
export function fillPseudoRandom(bytes: Uint8Array, seed = 0x2545f491, start = 0, end = bytes.length): void {
  let x = seed >>> 0 || 1;
  for (let i = start; i < end; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    bytes[i] = x & 0xff;
  }
}

const snesHeaderOffsets: Readonly<Record<SnesMapping, number>> = { lorom: 0x7fc0, hirom: 0xffc0, exhirom: 0x40ffc0, sa1: 0x7fc0 };
const snesMapModes: Readonly<Record<SnesMapping, number>> = { lorom: 0x20, hirom: 0x21, exhirom: 0x25, sa1: 0x23 };

/** What `buildSnesRom` makes: mapping, size, title, speed, copier header, checksum, contents. */
export interface SnesRomOptions {
  mapping?: SnesMapping;
  /** ROM data size in bytes (default: the smallest that holds the header, at least 256 KiB). */
  size?: number;
  title?: string;
  fastRom?: boolean;
  /** Put a 512-byte copier header in front. */
  copierHeader?: boolean;
  /** Write a correct checksum (default true); false leaves checksum and complement 0000/0000. */
  validChecksum?: boolean;
  /** Fill unused space with pseudo-random bytes instead of zeros. */
  filler?: 'zero' | 'random';
  payloads?: Payload[];
}

/**
 * Builds a SNES ROM with a valid internal header (LoROM, HiROM, ExHiROM or SA-1) and the given
 * payloads: for tests, examples and `romgfx demo`, never from a commercial ROM.
 */
export function buildSnesRom(options: SnesRomOptions = {}): Uint8Array {
  const mapping = options.mapping ?? 'lorom';
  const headerOffset = snesHeaderOffsets[mapping];
  const minimum = Math.max(256 * 1024, headerOffset + 0x40);
  const size = options.size ?? (mapping === 'exhirom' ? 0x410000 : minimum);
  if (size < headerOffset + 0x40) throw new InvalidArgumentError(`an SNES ${mapping} ROM needs at least ${hex(headerOffset + 0x40)} bytes`);
  const rom = new Uint8Array(size);
  if (options.filler === 'random') fillPseudoRandom(rom);
  place(rom, options.payloads);
  const h = headerOffset;
  writeAscii(rom, h, options.title ?? 'ROMGFX TEST', 21);
  rom[h + 0x15] = snesMapModes[mapping] | (options.fastRom ? 0x10 : 0);
  rom[h + 0x16] = mapping === 'sa1' ? 0x34 : 0x00;
  let sizeCode = 0;
  while (1024 << sizeCode < size) sizeCode++;
  rom[h + 0x17] = sizeCode;
  rom[h + 0x18] = 0;
  rom[h + 0x19] = 0x01;
  rom[h + 0x1a] = 0x00;
  rom[h + 0x1b] = 0x00;
  writeU16LE(rom, h + 0x1c, 0);
  writeU16LE(rom, h + 0x1e, 0);
  for (let v = 0x20; v < 0x40; v += 2) writeU16LE(rom, h + v, 0x8000);
  if (options.validChecksum !== false) fixChecksumsInPlace(rom, { platform: 'snes', snesHeaderOffset: h });
  if (!options.copierHeader) return rom;
  const withHeader = new Uint8Array(size + 512);
  withHeader[0] = (size / 8192) & 0xff; // SWC: size in 8 KiB units
  withHeader[8] = 0xaa;
  withHeader[9] = 0xbb;
  withHeader.set(rom, 512);
  return withHeader;
}

/** The Game Boy boot logo (the boot ROM refuses a cartridge without it; identification checks it). */
const gbLogo = Uint8Array.of(
  0xce, 0xed, 0x66, 0x66, 0xcc, 0x0d, 0x00, 0x0b, 0x03, 0x73, 0x00, 0x83, 0x00, 0x0c, 0x00, 0x0d,
  0x00, 0x08, 0x11, 0x1f, 0x88, 0x89, 0x00, 0x0e, 0xdc, 0xcc, 0x6e, 0xe6, 0xdd, 0xdd, 0xd9, 0x99,
  0xbb, 0xbb, 0x67, 0x63, 0x6e, 0x0e, 0xec, 0xcc, 0xdd, 0xdc, 0x99, 0x9f, 0xbb, 0xb9, 0x33, 0x3e,
);

/** What `buildGbRom` makes: colour flag, size, title, checksums, filler, contents. */
export interface GbRomOptions {
  colour?: boolean;
  size?: number;
  title?: string;
  validChecksum?: boolean;
  filler?: 'zero' | 'random';
  payloads?: Payload[];
}

/** Builds a Game Boy (or Color) ROM with a valid header, logo and checksums and the given payloads, for tests and examples. */
export function buildGbRom(options: GbRomOptions = {}): Uint8Array {
  const size = options.size ?? 64 * 1024;
  if (size < 0x8000 || size % 0x4000 !== 0) throw new InvalidArgumentError('a Game Boy ROM is a multiple of 16 KiB, at least 32 KiB');
  const rom = new Uint8Array(size);
  if (options.filler === 'random') fillPseudoRandom(rom, 0x1234567);
  place(rom, options.payloads);
  rom.set(Uint8Array.of(0x00, 0xc3, 0x50, 0x01), 0x100); // nop; jp $0150
  rom.set(gbLogo, 0x104);
  writeAscii(rom, 0x134, options.title ?? 'ROMGFX', options.colour ? 15 : 16, 0);
  rom[0x143] = options.colour ? 0x80 : 0x00;
  rom[0x146] = 0;
  rom[0x147] = 0x19; // MBC5
  let code = 0;
  while (32768 << code < size) code++;
  rom[0x148] = code;
  rom[0x149] = 0;
  rom[0x14a] = 1;
  rom[0x14b] = 0x33;
  rom[0x14c] = 0;
  if (options.validChecksum !== false) fixChecksumsInPlace(rom, { platform: options.colour ? 'gbc' : 'gb' });
  return rom;
}

/** What `buildGbaRom` makes: size, title, game code, header complement, filler, contents. */
export interface GbaRomOptions {
  size?: number;
  title?: string;
  gameCode?: string;
  validChecksum?: boolean;
  filler?: 'zero' | 'random';
  payloads?: Payload[];
}

/** Builds a GBA ROM with a valid header and complement and the given payloads, for tests and examples. */
export function buildGbaRom(options: GbaRomOptions = {}): Uint8Array {
  const size = options.size ?? 256 * 1024;
  if (size < 0xc0) throw new InvalidArgumentError('a GBA ROM needs at least its 192-byte header');
  const rom = new Uint8Array(size);
  if (options.filler === 'random') fillPseudoRandom(rom, 0x7654321);
  place(rom, options.payloads);
  rom.set(Uint8Array.of(0x2e, 0x00, 0x00, 0xea), 0); // b 0x080000C0
  rom.fill(0, 0x04, 0xc0);
  writeAscii(rom, 0xa0, options.title ?? 'ROMGFX', 12, 0);
  writeAscii(rom, 0xac, options.gameCode ?? 'RGFX', 4, 0);
  writeAscii(rom, 0xb0, '01', 2, 0);
  rom[0xb2] = 0x96;
  rom[gbaComplementOffset] = options.validChecksum === false ? (gbaHeaderComplement(rom) + 1) & 0xff : gbaHeaderComplement(rom);
  return rom;
}

/** What `buildNesRom` makes: PRG and CHR banks, mapper, trainer, CHR contents. */
export interface NesRomOptions {
  prgBanks?: number;
  chrBanks?: number;
  mapper?: number;
  trainer?: boolean;
  /** CHR-ROM contents (placed right after PRG). */
  chr?: Uint8Array;
  payloads?: Payload[];
}

/** Builds an iNES ROM (header, optional trainer, PRG, CHR) with the given payloads, for tests and examples. */
export function buildNesRom(options: NesRomOptions = {}): Uint8Array {
  const prg = options.prgBanks ?? 2;
  const chr = options.chrBanks ?? 1;
  const trainer = options.trainer ? 512 : 0;
  const rom = new Uint8Array(16 + trainer + prg * 16384 + chr * 8192);
  rom.set(Uint8Array.of(0x4e, 0x45, 0x53, 0x1a, prg, chr, ((options.mapper ?? 0) & 0x0f) << 4 | (options.trainer ? 0x04 : 0) | 0x01, (options.mapper ?? 0) & 0xf0), 0);
  if (options.chr) {
    if (options.chr.length > chr * 8192) throw new InvalidArgumentError('CHR data larger than the CHR-ROM banks');
    rom.set(options.chr, 16 + trainer + prg * 16384);
  }
  place(rom, options.payloads);
  return rom;
}

/** What `buildMdRom` makes: size, title, checksum, filler, .smd interleaving, contents. */
export interface MdRomOptions {
  size?: number;
  title?: string;
  validChecksum?: boolean;
  filler?: 'zero' | 'random';
  /** Return an interleaved .smd dump instead of plain binary. */
  smd?: boolean;
  payloads?: Payload[];
}

/** Builds a Mega Drive ROM with a valid header and checksum (plain or .smd interleaved) and the given payloads, for tests and examples. */
export function buildMdRom(options: MdRomOptions = {}): Uint8Array {
  const size = options.size ?? 128 * 1024;
  if (size < 0x200 || size % 2 !== 0) throw new InvalidArgumentError('a Mega Drive ROM is an even number of bytes, at least 512');
  const rom = new Uint8Array(size);
  if (options.filler === 'random') fillPseudoRandom(rom, 0x5eed5, 0x200);
  place(rom, options.payloads);
  writeAscii(rom, 0x100, 'SEGA MEGA DRIVE', 16);
  writeAscii(rom, 0x110, '(C)RGFX 2026.NOV', 16);
  writeAscii(rom, 0x120, options.title ?? 'ROMGFX TEST', 48);
  writeAscii(rom, 0x150, options.title ?? 'ROMGFX TEST', 48);
  writeAscii(rom, 0x180, 'GM 00000000-00', 14);
  rom.set(Uint8Array.of(0, 0, 0, 0, (size - 1) >>> 24, ((size - 1) >>> 16) & 0xff, ((size - 1) >>> 8) & 0xff, (size - 1) & 0xff), 0x1a0);
  writeAscii(rom, 0x1f0, 'JUE', 3);
  if (options.validChecksum !== false) fixChecksumsInPlace(rom, { platform: 'md' });
  if (!options.smd) return rom;
  if (size % 16384 !== 0) throw new InvalidArgumentError('.smd dumps are made of 16 KiB blocks');
  const smd = new Uint8Array(512 + size);
  smd[0] = size / 16384;
  smd[1] = 0x03;
  smd[8] = 0xaa;
  smd[9] = 0xbb;
  const half = 8192;
  for (let b = 0; b < size / 16384; b++) {
    for (let i = 0; i < half; i++) {
      smd[512 + b * 16384 + i] = rom[b * 16384 + i * 2 + 1]!;
      smd[512 + b * 16384 + half + i] = rom[b * 16384 + i * 2]!;
    }
  }
  return smd;
}
