import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { snesBusToOffset, snesOffsetToBus } from '../../src/rom/snes.js';
import { parseBusAddress, parseLocation, parseOffset } from '../../src/rom/address.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { buildSnesRom } from '../../src/rom/build.js';

describe('SNES address mapping (platforms.md)', () => {
  const size = 8 * 1024 * 1024;
  it('LoROM: (bank & 0x7F) * 0x8000 + (addr − 0x8000)', () => {
    expect(snesBusToOffset(0x808000, 'lorom', size)).toBe(0);
    expect(snesBusToOffset(0x008000, 'lorom', size)).toBe(0);
    expect(snesBusToOffset(0x01ffff, 'lorom', size)).toBe(0xffff);
    expect(snesBusToOffset(0x818120, 'lorom', size)).toBe(0x8120);
    expect(() => snesBusToOffset(0x007fff, 'lorom', size)).toThrow(expect.objectContaining({ code: 'ERR_ADDRESS_NOT_MAPPED' }));
    expect(() => snesBusToOffset(0x7e8000, 'lorom', size)).toThrow(expect.objectContaining({ code: 'ERR_ADDRESS_NOT_MAPPED' }));
  });
  it('HiROM: ((bank & 0x3F) << 16) | addr; low banks only the upper half', () => {
    expect(snesBusToOffset(0xc01234, 'hirom', size)).toBe(0x1234);
    expect(snesBusToOffset(0x401234, 'hirom', size)).toBe(0x1234);
    expect(snesBusToOffset(0x018000, 'hirom', size)).toBe(0x18000);
    expect(() => snesBusToOffset(0x011234, 'hirom', size)).toThrow(expect.objectContaining({ code: 'ERR_ADDRESS_NOT_MAPPED' }));
  });
  it('ExHiROM: banks $40–$7D add 4 MiB', () => {
    expect(snesBusToOffset(0xc00000, 'exhirom', size)).toBe(0);
    expect(snesBusToOffset(0x400000, 'exhirom', size)).toBe(0x400000);
    expect(snesBusToOffset(0x40ffc0, 'exhirom', size)).toBe(0x40ffc0);
  });
  it('SA-1: LoROM-style low banks, HiROM-style $C0+', () => {
    expect(snesBusToOffset(0x008000, 'sa1', size)).toBe(0);
    expect(snesBusToOffset(0xc12345, 'sa1', size)).toBe(0x12345);
    expect(() => snesBusToOffset(0x408000, 'sa1', size)).toThrow(expect.objectContaining({ code: 'ERR_ADDRESS_NOT_MAPPED' }));
  });
  it('an address past the end of the ROM is refused', () => {
    expect(() => snesBusToOffset(0xc40000, 'hirom', 0x40000)).toThrow(expect.objectContaining({ code: 'ERR_ADDRESS_NOT_MAPPED' }));
  });
  for (const mapping of ['lorom', 'hirom', 'exhirom', 'sa1'] as const) {
    it(`${mapping}: offset → bus → offset is the identity`, () => {
      const limit = mapping === 'exhirom' ? 0x7e0000 : 0x400000;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: limit - 1 }), (offset) => {
          expect(snesBusToOffset(snesOffsetToBus(offset, mapping, size), mapping, size)).toBe(offset);
        }),
        { numRuns: 2000 },
      );
    });
  }
});

describe('address syntax', () => {
  it('accepts $C0:1234, C0:1234, $C01234, C01234 and 0xC01234 as bus addresses', () => {
    for (const t of ['$C0:1234', 'C0:1234', '$C01234', 'C01234', '0xC01234', 'c0:1234']) expect(parseBusAddress(t)).toBe(0xc01234);
  });
  it('plain numbers are offsets; $ or : make a bus address', () => {
    expect(parseLocation('0x8120')).toEqual({ kind: 'offset', value: 0x8120 });
    expect(parseLocation('33056')).toEqual({ kind: 'offset', value: 33056 });
    expect(parseLocation('8120h')).toEqual({ kind: 'offset', value: 0x8120 });
    expect(parseLocation('$81:8120')).toEqual({ kind: 'bus', value: 0x818120 });
  });
  it('rejects junk with ERR_ADDRESS_SYNTAX', () => {
    for (const t of ['', 'zz', '0x', '$C0:', ':1234', '$C0:12345', '0x1FFFFFFFF', '12.5']) {
      expect(() => (t.includes(':') || t.startsWith('$') ? parseBusAddress(t) : parseOffset(t)), t).toThrow(expect.objectContaining({ code: 'ERR_ADDRESS_SYNTAX' }));
    }
  });
  it('Rom.resolveLocation goes through the ROM mapping', () => {
    const rom = romFromBytes(buildSnesRom({ mapping: 'hirom' }));
    expect(rom.resolveLocation('$C0:1234')).toBe(0x1234);
    expect(rom.resolveLocation('0x1234')).toBe(0x1234);
    expect(() => rom.resolveLocation('0x999999')).toThrow(expect.objectContaining({ code: 'ERR_ADDRESS_NOT_MAPPED' }));
  });
  it('GBA pointers 0x08xxxxxx are file offsets xxxxxx', () => {
    const rom = romFromBytes(new Uint8Array(0x1000).fill(0), { platform: 'gba' });
    expect(rom.fromBusAddress(0x08000123)).toBe(0x123);
    expect(rom.toBusAddress(0x123)).toBe(0x08000123);
    expect(() => rom.fromBusAddress(0x03000000)).toThrow(expect.objectContaining({ code: 'ERR_ADDRESS_NOT_MAPPED' }));
  });
});
