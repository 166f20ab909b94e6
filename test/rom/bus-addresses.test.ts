/** NES CPU/PPU bus addresses per mapper, and LoROM mirrors (issue #18). */
import { describe, expect, it } from 'vitest';
import { romFromBytes } from '../../src/rom/rom.js';
import { buildNesRom, buildSnesRom } from '../../src/rom/build.js';
import { mirrorRomOffset, snesBusToOffset } from '../../src/rom/snes.js';

const header = 16;
const kib = 1024;

function nes(mapper: number, prgBanks: number, chrBanks: number) {
  return romFromBytes(buildNesRom({ mapper, prgBanks, chrBanks }), { name: `mapper${mapper}.nes` });
}

describe('NES CPU bus addresses', () => {
  it('NROM: 32 KiB maps $8000–$FFFF straight; 16 KiB is mirrored at $C000; a bank is refused', () => {
    const big = nes(0, 2, 1);
    expect(big.resolveLocation('$8000')).toBe(header);
    expect(big.resolveLocation('$FFFA')).toBe(header + 0x7ffa);
    const small = nes(0, 1, 1);
    expect(small.resolveLocation('$C010')).toBe(header + 0x10);
    expect(() => big.resolveLocation('$01:8000')).toThrow(/does not bank PRG/u);
    expect(() => big.resolveLocation('$6000')).toThrow(/\$8000–\$FFFF/u);
    expect(big.formatBusAddress(big.toBusAddress(header + 0x1234))).toBe('$9234');
  });

  it('UxROM and MMC1: 16 KiB banks at $8000 by bank:addr, the last bank fixed at $C000', () => {
    for (const mapper of [1, 2]) {
      const rom = nes(mapper, 8, 1);
      expect(rom.resolveLocation('$03:8000')).toBe(header + 3 * 16 * kib);
      expect(rom.resolveLocation('$8000')).toBe(header);
      expect(rom.resolveLocation('$C000')).toBe(header + 7 * 16 * kib);
      expect(rom.resolveLocation('$07:FFFC')).toBe(header + 8 * 16 * kib - 4);
      expect(() => rom.resolveLocation('$02:C000')).toThrow(/fixed to bank 0x07/u);
      expect(() => rom.resolveLocation('$08:8000')).toThrow(/8 PRG banks/u);
      // Offsets come back as the address a person would type.
      expect(rom.formatBusAddress(rom.toBusAddress(header + 3 * 16 * kib + 0x10))).toBe('$03:8010');
      expect(rom.formatBusAddress(rom.toBusAddress(header + 7 * 16 * kib))).toBe('$C000');
    }
  });

  it('CNROM: PRG unbanked; CHR in 8 KiB banks through ppu:', () => {
    const rom = nes(3, 2, 4);
    expect(rom.resolveLocation('$8000')).toBe(header);
    const chr = header + 2 * 16 * kib;
    expect(rom.resolveLocation('ppu:$0000')).toBe(chr);
    expect(rom.resolveLocation('ppu:$02:1000')).toBe(chr + 2 * 8 * kib + 0x1000);
    expect(() => rom.resolveLocation('ppu:$04:0000')).toThrow(/4 CHR banks/u);
  });

  it('MMC3: 8 KiB banks at $8000/$A000, second-to-last fixed at $C000 and last at $E000; CHR in 1 KiB banks', () => {
    const rom = nes(4, 8, 8); // 128 KiB PRG = 16 banks of 8 KiB; 64 KiB CHR = 64 banks of 1 KiB
    expect(rom.resolveLocation('$05:8000')).toBe(header + 5 * 8 * kib);
    expect(rom.resolveLocation('$05:A100')).toBe(header + 5 * 8 * kib + 0x100);
    expect(rom.resolveLocation('$C000')).toBe(header + 14 * 8 * kib);
    expect(rom.resolveLocation('$E000')).toBe(header + 15 * 8 * kib);
    const chr = header + 128 * kib;
    expect(rom.resolveLocation('ppu:$09:1C00')).toBe(chr + 9 * kib);
    expect(() => rom.resolveLocation('ppu:$2000')).toThrow(/\$0000–\$1FFF/u);
  });

  it('mappers without support and CHR-RAM say so', () => {
    expect(() => nes(5, 2, 1).resolveLocation('$8000')).toThrow(/mapper 5 has no bus-address support/u);
    expect(() => nes(2, 2, 0).resolveLocation('ppu:$0000')).toThrow(/CHR-RAM/u);
    const snes = romFromBytes(buildSnesRom({ mapping: 'lorom' }));
    expect(() => snes.resolveLocation('ppu:$0000')).toThrow(/for NES ROMs/u);
  });
});

describe('LoROM mirrors', () => {
  const size = 256 * kib;
  it('banks $40–$7D/$C0–$FF show the bank at $0000–$7FFF too', () => {
    expect(snesBusToOffset(0xc10100, 'lorom', size)).toBe(0x8000 + 0x100);
    expect(snesBusToOffset(0x418100, 'lorom', size)).toBe(0x8000 + 0x100);
    expect(() => snesBusToOffset(0x010100, 'lorom', size)).toThrow(/RAM and registers/u);
  });

  it('addresses past a small ROM fold back as the address lines do', () => {
    expect(snesBusToOffset(0x408000, 'lorom', size)).toBe(0);
    // $C5:0100 → bank $45 → 0x228100, folded into 256 KiB.
    expect(snesBusToOffset(0xc50100, 'lorom', size)).toBe(0x228100 % size);
    const rom = romFromBytes(buildSnesRom({ mapping: 'lorom', size }));
    expect(rom.resolveLocation('$C5:0100')).toBe(0x28100);
    expect(rom.resolveLocation('$40:8000')).toBe(0);
  });

  it('a 3 MiB ROM repeats its last 1 MiB over the upper 2 MiB', () => {
    const mib = 1024 * kib;
    expect(mirrorRomOffset(2 * mib + 5, 3 * mib)).toBe(2 * mib + 5);
    expect(mirrorRomOffset(3 * mib + 5, 3 * mib)).toBe(2 * mib + 5);
    expect(mirrorRomOffset(4 * mib + 5, 3 * mib)).toBe(5);
  });
});
