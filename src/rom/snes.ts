/**
 * SNES internal header, mapping detection and address conversion.
 * Spec: shared formats/platforms.md, "SNES".
 */
import { AddressNotMappedError, hex } from '../errors.js';
import { printableRatio, readAsciiField, readU16LE } from '../util/bytes.js';
import { busAddress, romOffset, type BusAddress, type RomOffset } from './offsets.js';

/** The SNES cartridge mappings romgfx translates addresses for. */
export type SnesMapping = 'lorom' | 'hirom' | 'exhirom' | 'sa1';

/** A copier (SWC/SMC/FIG) header is 512 bytes in front of the ROM. */
export { hasSnesCopierHeader, snesCopierHeaderSizeInBytes } from './signatures.js';
/** The internal header is 64 bytes (title through interrupt vectors). */
export const snesHeaderSizeInBytes = 64;

/** Where each mapping keeps its header (ROM offsets). SA-1 cartridges use the LoROM location. */
const headerLocations: readonly { mapping: SnesMapping; offset: number }[] = [
  { mapping: 'lorom', offset: 0x7fc0 },
  { mapping: 'hirom', offset: 0xffc0 },
  { mapping: 'exhirom', offset: 0x40ffc0 },
];

/** The SNES internal header, as read, with the mapping it implies and how confidently it was found. */
export interface SnesHeader {
  headerOffset: RomOffset;
  mapping: SnesMapping;
  title: string;
  mapMode: number;
  fastRom: boolean;
  cartridgeType: number;
  chipset: string;
  romSizeCode: number;
  /** 1 KiB << code, as the header claims (the file may differ). */
  declaredRomSize: number;
  ramSizeCode: number;
  declaredRamSize: number;
  region: number;
  developerId: number;
  extendedHeader: boolean;
  version: number;
  checksumComplement: number;
  checksum: number;
  resetVector: number;
  nmiVector: number;
  /** How strongly the header evidence supports this location (higher is better). */
  score: number;
}


function mappingFromMapMode(mapMode: number): SnesMapping | undefined {
  switch (mapMode & 0xef) {
    case 0x20:
    case 0x22: // ExLoROM / S-DD1 banks behave as LoROM for graphics offsets.
      return 'lorom';
    case 0x21:
      return 'hirom';
    case 0x23:
      return 'sa1';
    case 0x25:
      return 'exhirom';
    default:
      return undefined;
  }
}

function chipsetName(type: number): string {
  if (type === 0x00) return 'ROM';
  if (type === 0x01) return 'ROM+RAM';
  if (type === 0x02) return 'ROM+RAM+battery';
  if (type >= 0x03 && type <= 0x05) return 'DSP';
  if (type >= 0x13 && type <= 0x1a) return 'Super FX';
  if (type >= 0x33 && type <= 0x35) return 'SA-1';
  if (type >= 0x43 && type <= 0x45) return 'S-DD1';
  if (type >= 0x55 && type <= 0x56) return 'S-RTC';
  if ((type & 0xf0) === 0xe0 || (type & 0xf0) === 0xf0) return 'custom coprocessor';
  return 'unknown';
}

function parseAt(rom: Uint8Array, location: { mapping: SnesMapping; offset: number }): SnesHeader | undefined {
  const base = location.offset;
  if (base + snesHeaderSizeInBytes > rom.length) return undefined;
  const mapMode = rom[base + 0x15]!;
  const cartridgeType = rom[base + 0x16]!;
  const romSizeCode = rom[base + 0x17]!;
  const ramSizeCode = rom[base + 0x18]!;
  const region = rom[base + 0x19]!;
  const developerId = rom[base + 0x1a]!;
  const checksumComplement = readU16LE(rom, base + 0x1c);
  const checksum = readU16LE(rom, base + 0x1e);
  const resetVector = readU16LE(rom, base + 0x3c);
  const nmiVector = readU16LE(rom, base + 0x2a);

  // Score the evidence (platforms.md: complement, map mode vs location, reset vector, title, size codes).
  let score = 0;
  if ((checksum ^ checksumComplement) === 0xffff) score += 4;
  const claimed = mappingFromMapMode(mapMode);
  const locationAgrees =
    claimed === location.mapping || (claimed === 'sa1' && location.mapping === 'lorom');
  if (locationAgrees) score += 4;
  else if (claimed !== undefined) score += 1;
  if (resetVector >= 0x8000 && resetVector !== 0xffff) score += 2;
  const printable = printableRatio(rom, base, 21);
  if (printable === 1) score += 2;
  else if (printable >= 0.8) score += 1;
  if (romSizeCode >= 0x07 && romSizeCode <= 0x0d) score += 1;
  if (ramSizeCode <= 0x08) score += 1;
  if (region <= 0x14) score += 1;

  const mapping: SnesMapping = claimed === 'sa1' && location.mapping === 'lorom' ? 'sa1' : location.mapping;
  return {
    headerOffset: romOffset(base),
    mapping,
    title: readAsciiField(rom, base, 21),
    mapMode,
    fastRom: (mapMode & 0x10) !== 0,
    cartridgeType,
    chipset: chipsetName(cartridgeType),
    romSizeCode,
    declaredRomSize: romSizeCode <= 0x0f ? 1024 << romSizeCode : 0,
    ramSizeCode,
    declaredRamSize: ramSizeCode === 0 ? 0 : ramSizeCode <= 0x0f ? 1024 << ramSizeCode : 0,
    region,
    developerId,
    extendedHeader: developerId === 0x33,
    version: rom[base + 0x1b]!,
    checksumComplement,
    checksum,
    resetVector,
    nmiVector,
    score,
  };
}

/** Every header location that fits in the ROM, each parsed and scored. */
export function snesHeaderCandidates(rom: Uint8Array): SnesHeader[] {
  const found: SnesHeader[] = [];
  for (const location of headerLocations) {
    const header = parseAt(rom, location);
    if (header) found.push(header);
  }
  return found;
}

/** The least score that counts as an SNES header when nothing else claims the file. */
export const minimumSnesHeaderScore = 9;

/**
 * The best-scoring header. Ties go to the earlier location (LoROM, then HiROM), which is what a
 * homebrew ROM with an all-zero header most likely is.
 */
export function detectSnesHeader(rom: Uint8Array): SnesHeader | undefined {
  let best: SnesHeader | undefined;
  for (const candidate of snesHeaderCandidates(rom)) {
    if (!best || candidate.score > best.score) best = candidate;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Address mapping (platforms.md, "Address mapping")
// ---------------------------------------------------------------------------------------------

const bankSizeLoRom = 0x8000;

function notMapped(address: number, mapping: SnesMapping, why: string): AddressNotMappedError {
  return new AddressNotMappedError(`bus address $${formatSnesBank(address)} is not ROM under ${mapping}: ${why}`, { address, mapping });
}

function formatSnesBank(address: number): string {
  return `${((address >>> 16) & 0xff).toString(16).toUpperCase().padStart(2, '0')}:${(address & 0xffff).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `$C0:1234` style text for a bus address. */
export function formatSnesAddress(address: BusAddress | number): string {
  return '$' + formatSnesBank(address);
}

function loRomToOffset(bank: number, addr: number, mapping: SnesMapping, address: number): number {
  if ((bank & 0xfe) === 0x7e) throw notMapped(address, mapping, 'banks $7E–$7F are work RAM');
  // Banks $40–$7D and $C0–$FF have no system area: the cartridge ignores A15 there, so
  // $0000–$7FFF shows the same 32 KiB as $8000–$FFFF ($C5:0100 = $C5:8100). Not on SA-1, whose
  // $40–$7F are BW-RAM (the caller refuses those first).
  if (addr < 0x8000 && (bank & 0x7f) < 0x40) throw notMapped(address, mapping, 'banks $00–$3F/$80–$BF map ROM only at $8000–$FFFF (below is RAM and registers)');
  return (bank & 0x7f) * bankSizeLoRom + (addr & 0x7fff);
}

/**
 * An offset past the end of a ROM, folded back the way the cartridge's address decoding folds
 * it: address lines above the ROM's size are not connected, so a power-of-two ROM repeats, and
 * a ROM of 2^n + m bytes shows its first 2^n bytes, then the last m bytes repeated over the next
 * 2^n (the rule platforms.md gives for the checksum of such ROMs). Each step clears one
 * address bit, so the loop ends within 32 steps.
 */
export function mirrorRomOffset(offset: number, romSize: number): number {
  if (romSize <= 0) return offset;
  let base = 0;
  let size = romSize;
  let rest = offset;
  let bit = 2 ** 31;
  while (rest >= size) {
    while (bit > 1 && rest < bit) bit /= 2;
    rest -= bit;
    if (size > bit) {
      size -= bit;
      base += bit;
    }
    bit /= 2;
  }
  return base + rest;
}

function hiRomToOffset(bank: number, addr: number, mapping: SnesMapping, address: number): number {
  if (bank >= 0xc0 || (bank >= 0x40 && bank <= 0x7d)) return ((bank & 0x3f) << 16) | addr;
  if ((bank & 0xfe) === 0x7e) throw notMapped(address, mapping, 'banks $7E–$7F are work RAM');
  if (addr < 0x8000) throw notMapped(address, mapping, 'banks $00–$3F/$80–$BF map ROM only at $8000–$FFFF');
  return ((bank & 0x3f) << 16) | addr;
}

/** Bus address → ROM offset. Throws `AddressNotMappedError` when the address is not ROM or lies past `romSize`. */
export function snesBusToOffset(address: BusAddress | number, mapping: SnesMapping, romSize: number): RomOffset {
  if (!Number.isInteger(address) || address < 0 || address > 0xffffff) {
    throw new AddressNotMappedError(`${hex(address)} is not a 24-bit SNES bus address`, { address });
  }
  const bank = address >>> 16;
  const addr = address & 0xffff;
  let offset: number;
  switch (mapping) {
    case 'lorom':
      offset = loRomToOffset(bank, addr, mapping, address);
      // Small LoROM carts leave the upper address lines unconnected: $40:8000 on a 1 MiB ROM is offset 0.
      if (offset >= romSize) offset = mirrorRomOffset(offset, romSize);
      break;
    case 'hirom':
      offset = hiRomToOffset(bank, addr, mapping, address);
      break;
    case 'exhirom':
      offset = hiRomToOffset(bank, addr, mapping, address);
      // Banks $40–$7D and $00–$3D reach the second 4 MiB; $C0–$FF and $80–$BF the first.
      if (bank < 0x80) offset += 0x400000;
      break;
    case 'sa1':
      if (bank >= 0xc0) offset = ((bank & 0x3f) << 16) | addr;
      else if ((bank & 0x7f) >= 0x40) throw notMapped(address, mapping, 'banks $40–$7F are BW-RAM or work RAM on SA-1');
      else offset = loRomToOffset(bank, addr, mapping, address);
      break;
  }
  if (offset >= romSize) {
    throw new AddressNotMappedError(
      `bus address ${formatSnesAddress(address)} is ROM offset ${hex(offset)}, past the end of a ${hex(romSize)}-byte ROM`,
      { address, offset, romSize, mapping },
    );
  }
  return romOffset(offset);
}

/**
 * ROM offset → the canonical bus address: LoROM in banks $80+ (FastROM mirror, where SlowROM
 * code also reads), HiROM/SA-1 in banks $C0+, ExHiROM's upper 4 MiB in banks $40+.
 */
export function snesOffsetToBus(offset: RomOffset | number, mapping: SnesMapping, romSize: number): BusAddress {
  if (!Number.isInteger(offset) || offset < 0 || offset >= romSize) {
    throw new AddressNotMappedError(`ROM offset ${hex(offset)} is outside the ${hex(romSize)}-byte ROM`, { offset, romSize });
  }
  switch (mapping) {
    case 'lorom': {
      const bank = Math.floor(offset / bankSizeLoRom);
      if (bank > 0x7f) throw new AddressNotMappedError(`ROM offset ${hex(offset)} is beyond what LoROM can address (4 MiB)`, { offset });
      return busAddress(((0x80 + bank) << 16) | (0x8000 + (offset % bankSizeLoRom)));
    }
    case 'hirom':
    case 'sa1':
      if (offset >= 0x400000) throw new AddressNotMappedError(`ROM offset ${hex(offset)} is beyond what ${mapping} can address (4 MiB)`, { offset });
      return busAddress(0xc00000 | offset);
    case 'exhirom':
      if (offset < 0x400000) return busAddress(0xc00000 | offset);
      if (offset >= 0x7e0000) throw new AddressNotMappedError(`ROM offset ${hex(offset)} is beyond what ExHiROM can address`, { offset });
      return busAddress(((0x40 + ((offset - 0x400000) >>> 16)) << 16) | (offset & 0xffff));
  }
}
