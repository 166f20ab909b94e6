/** iNES / NES 2.0 header. Spec: shared formats/platforms.md, "NES". */
import { AddressNotMappedError, HeaderError, hex } from '../errors.js';
import { hasInesMagic } from './signatures.js';

export { hasInesMagic };

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

// ---- CPU and PPU bus addresses ----------------------------------------------------------------
// PRG is seen by the CPU at $8000–$FFFF through the mapper's windows; CHR by the PPU at
// $0000–$1FFF (the two pattern tables). Windows per mapper follow the NESdev wiki's mapper pages:
// NROM (0) and CNROM (3) do not bank PRG (16 KiB is mirrored at $C000); UxROM (2) switches 16 KiB
// at $8000 and fixes the last 16 KiB at $C000; MMC1 (1), in its power-on PRG mode 3, does the
// same; MMC3 (4), in PRG mode 0, switches two 8 KiB windows at $8000 and $A000 and fixes the
// second-to-last and last 8 KiB banks at $C000 and $E000.

/** One CPU window of a mapper: where it starts, its size, and the bank fixed in it (from the end: 1 = last), if any. */
interface PrgWindow {
  start: number;
  size: number;
  fixedFromEnd?: number;
}

/** How a mapper presents PRG and CHR. */
interface NesMapperLayout {
  name: string;
  prgWindows: readonly PrgWindow[];
  /** CHR bank size in bytes (the unit a `ppu:$bank:addr` bank number counts). */
  chrBankSize: number;
}

const kib = 1024;
const nesPrgWindowBase = 0x8000;
const nesPpuPatternEnd = 0x2000;

const unbankedPrg: readonly PrgWindow[] = [{ start: 0x8000, size: 32 * kib }];
const mapperLayouts: ReadonlyMap<number, NesMapperLayout> = new Map([
  [0, { name: 'NROM', prgWindows: unbankedPrg, chrBankSize: 8 * kib }],
  [1, { name: 'MMC1', prgWindows: [{ start: 0x8000, size: 16 * kib }, { start: 0xc000, size: 16 * kib, fixedFromEnd: 1 }], chrBankSize: 4 * kib }],
  [2, { name: 'UxROM', prgWindows: [{ start: 0x8000, size: 16 * kib }, { start: 0xc000, size: 16 * kib, fixedFromEnd: 1 }], chrBankSize: 8 * kib }],
  [3, { name: 'CNROM', prgWindows: unbankedPrg, chrBankSize: 8 * kib }],
  [
    4,
    {
      name: 'MMC3',
      prgWindows: [
        { start: 0x8000, size: 8 * kib },
        { start: 0xa000, size: 8 * kib },
        { start: 0xc000, size: 8 * kib, fixedFromEnd: 2 },
        { start: 0xe000, size: 8 * kib, fixedFromEnd: 1 },
      ],
      chrBankSize: kib,
    },
  ],
]);

/** The mappers whose bus addresses romgfx resolves (number → name). */
export const nesMappersWithBusAddresses: readonly string[] = [...mapperLayouts].map(([n, l]) => `${n} (${l.name})`);

function layoutFor(header: NesHeader): NesMapperLayout {
  const layout = mapperLayouts.get(header.mapper);
  if (!layout) {
    throw new AddressNotMappedError(`NES mapper ${header.mapper} has no bus-address support here (supported: ${nesMappersWithBusAddresses.join(', ')}); give a ROM offset instead`, { mapper: header.mapper });
  }
  return layout;
}

function busText(bank: number, addr: number): string {
  return `$${bank.toString(16).toUpperCase().padStart(2, '0')}:${addr.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * CPU bus address → ROM offset (file offset, header included). The bank byte (`$03:8000`) picks
 * the PRG bank, in the mapper's window size, for a switchable window; `$8000` alone is bank 0.
 * In a fixed window the bank may be omitted (or must name the fixed bank). NROM/CNROM 16 KiB PRG
 * is mirrored at $C000.
 */
export function nesBusToOffset(address: number, header: NesHeader): number {
  const bank = address >>> 16;
  const addr = address & 0xffff;
  const layout = layoutFor(header);
  if (addr < nesPrgWindowBase) throw new AddressNotMappedError(`${busText(bank, addr)}: NES PRG-ROM is at $8000–$FFFF on the CPU bus (for CHR use ppu:$0000–$1FFF)`, { address });
  if (header.prgRomSize === 0) throw new AddressNotMappedError('this ROM has no PRG-ROM', { address });
  const window = layout.prgWindows.find((w) => addr >= w.start && addr < w.start + w.size)!;
  const within = addr - window.start;
  if (layout.prgWindows === unbankedPrg) {
    if (bank !== 0) throw new AddressNotMappedError(`${busText(bank, addr)}: ${layout.name} does not bank PRG; write the address without a bank`, { address, mapper: header.mapper });
    return header.prgRomOffset + (within % header.prgRomSize);
  }
  const bankCount = Math.floor(header.prgRomSize / window.size);
  if (bankCount < 1) throw new AddressNotMappedError(`${layout.name} PRG of ${header.prgRomSize} bytes is smaller than one ${window.size / kib} KiB bank`, { address });
  let effective = bank;
  if (window.fixedFromEnd !== undefined) {
    const fixed = bankCount - window.fixedFromEnd;
    if (bank !== 0 && bank !== fixed) {
      throw new AddressNotMappedError(`${busText(bank, addr)}: ${layout.name}'s $${window.start.toString(16).toUpperCase()}–$${(window.start + window.size - 1).toString(16).toUpperCase()} window is fixed to bank ${hex(fixed, 2)}`, { address, fixedBank: fixed });
    }
    effective = fixed;
  } else if (bank >= bankCount) {
    throw new AddressNotMappedError(`${busText(bank, addr)}: ${layout.name} has ${bankCount} PRG banks of ${window.size / kib} KiB ($00–${hex(bankCount - 1, 2).replace('0x', '$')})`, { address, bankCount });
  }
  return header.prgRomOffset + effective * window.size + within;
}

/** ROM offset of PRG → a CPU bus address (`$bank:addr` in the first switchable window, or the fixed window that shows it). */
export function nesOffsetToBus(offset: number, header: NesHeader): number {
  const layout = layoutFor(header);
  const prg = offset - header.prgRomOffset;
  if (prg < 0 || prg >= header.prgRomSize) {
    throw new AddressNotMappedError(`ROM offset ${hex(offset)} is not PRG-ROM (${hex(header.prgRomOffset)}–${hex(header.prgRomOffset + header.prgRomSize - 1)}); CHR is on the PPU bus (ppu:$bank:addr)`, { offset });
  }
  if (layout.prgWindows === unbankedPrg) return nesPrgWindowBase + prg;
  const bankSize = layout.prgWindows[0]!.size;
  const bank = Math.floor(prg / bankSize);
  const bankCount = Math.floor(header.prgRomSize / bankSize);
  const fixed = layout.prgWindows.find((w) => w.fixedFromEnd !== undefined && bankCount - w.fixedFromEnd === bank);
  if (fixed) return fixed.start + (prg % bankSize);
  return (bank << 16) | (nesPrgWindowBase + (prg % bankSize));
}

/**
 * PPU pattern-table address → ROM offset of CHR-ROM. `bank` counts the mapper's CHR bank size
 * (8 KiB for NROM/CNROM/UxROM, 4 KiB for MMC1, 1 KiB for MMC3); the address picks the byte in it
 * (a bank seen at $1000 is the same bytes as at $0000).
 */
export function nesPpuToOffset(bank: number, addr: number, header: NesHeader): number {
  const layout = layoutFor(header);
  if (addr < 0 || addr >= nesPpuPatternEnd) throw new AddressNotMappedError(`ppu:${busText(bank, addr)}: the pattern tables are at PPU $0000–$1FFF`, { bank, addr });
  if (header.chrRomOffset === null) throw new AddressNotMappedError('this ROM has CHR-RAM: its tiles are not stored in the file (the game copies them from PRG)', { bank, addr });
  const bankCount = Math.floor(header.chrRomSize / layout.chrBankSize);
  if (bank >= bankCount) throw new AddressNotMappedError(`ppu:${busText(bank, addr)}: ${layout.name} has ${bankCount} CHR banks of ${layout.chrBankSize / kib} KiB`, { bank, bankCount });
  return header.chrRomOffset + bank * layout.chrBankSize + (addr % layout.chrBankSize);
}
