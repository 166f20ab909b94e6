import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { encodePointer, readPointer, writePointer, type PointerSlot } from '../../src/defs/index.js';
import { buildSnesRom } from '../../src/rom/build.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { RomgfxError } from '../../src/errors.js';

const lorom = romFromBytes(buildSnesRom({ mapping: 'lorom', size: 0x80000, title: 'POINTER TEST' }), { name: 'lorom' });
const hirom = romFromBytes(buildSnesRom({ mapping: 'hirom', size: 0x80000, title: 'POINTER TEST' }), { name: 'hirom' });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RomgfxError);
    return (error as RomgfxError).code;
  }
  throw new Error('nothing was thrown');
}

describe('encode and read back, every form', () => {
  test('snes24 (and its alias snes-lorom24): 3-byte little-endian bus address', () => {
    const rom = new Uint8Array(lorom.data);
    const slot: PointerSlot = { form: 'snes24', at: 0x100 };
    // The bank is the ROM API's choice of mirror ($02 or $82); the low 16 bits are fixed by LoROM.
    const bus = lorom.toBusAddress(0x12345);
    expect(bus & 0x7fffff).toBe(0x02a345);
    expect(encodePointer(slot, 0x12345, lorom)).toEqual([{ at: 0x100, bytes: new Uint8Array([0x45, 0xa3, bus >>> 16]) }]);
    writePointer(rom, slot, 0x12345, lorom);
    expect(readPointer(rom, slot, lorom)).toEqual({ stored: bus, offset: 0x12345 });
    rom.set([0x45, 0xa3, 0x02], 0x100); // the other mirror reads the same
    expect(readPointer(rom, slot, lorom).offset).toBe(0x12345);
    expect(readPointer(rom, { form: 'snes-lorom24', at: 0x100 }, lorom).offset).toBe(0x12345);
  });

  test('snes24 under HiROM', () => {
    const rom = new Uint8Array(hirom.data);
    writePointer(rom, { form: 'snes24', at: 0x40 }, 0x45678, hirom);
    expect(Array.from(rom.subarray(0x40, 0x43))).toEqual([0x78, 0x56, 0xc4]); // $C4:5678
    expect(readPointer(rom, { form: 'snes24', at: 0x40 }, hirom).offset).toBe(0x45678);
  });

  test('snes16+bank: address and bank byte in separate places', () => {
    const rom = new Uint8Array(lorom.data);
    const slot: PointerSlot = { form: 'snes16+bank', at: 0x200, bankAt: 0x280 };
    const bus = lorom.toBusAddress(0x12345);
    const writes = encodePointer(slot, 0x12345, lorom);
    expect(writes).toEqual([
      { at: 0x200, bytes: new Uint8Array([0x45, 0xa3]) },
      { at: 0x280, bytes: new Uint8Array([bus >>> 16]) },
    ]);
    writePointer(rom, slot, 0x12345, lorom);
    expect(readPointer(rom, slot, lorom)).toEqual({ stored: bus, offset: 0x12345 });
  });

  test('gba32: 0x08000000 + offset, mirrors read back', () => {
    const rom = new Uint8Array(0x1000);
    writePointer(rom, { form: 'gba32', at: 8 }, 0x0abc);
    expect(Array.from(rom.subarray(8, 12))).toEqual([0xbc, 0x0a, 0x00, 0x08]);
    expect(readPointer(rom, { form: 'gba32', at: 8 })).toEqual({ stored: 0x08000abc, offset: 0xabc });
    rom.set([0xbc, 0x0a, 0x00, 0x0a], 8); // wait-state 1 mirror
    expect(readPointer(rom, { form: 'gba32', at: 8 }).offset).toBe(0xabc);
  });

  test('offset24le and offset32le: plain offsets', () => {
    const rom = new Uint8Array(0x20000);
    writePointer(rom, { form: 'offset24le', at: 0 }, 0x1fffe);
    expect(Array.from(rom.subarray(0, 3))).toEqual([0xfe, 0xff, 0x01]);
    expect(readPointer(rom, { form: 'offset24le', at: 0 }).offset).toBe(0x1fffe);
    writePointer(rom, { form: 'offset32le', at: 4 }, 0x10203);
    expect(Array.from(rom.subarray(4, 8))).toEqual([0x03, 0x02, 0x01, 0x00]);
    expect(readPointer(rom, { form: 'offset32le', at: 4 }).offset).toBe(0x10203);
  });

  test('property: every form round-trips any target in the ROM', () => {
    const forms = ['snes24', 'snes-lorom24', 'snes16+bank', 'offset24le', 'offset32le'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...forms, 'gba32' as const), fc.integer({ min: 0, max: lorom.size - 1 }), fc.integer({ min: 0, max: lorom.size - 8 }), (form, target, at) => {
        const rom = new Uint8Array(lorom.size);
        const slot: PointerSlot = form === 'snes16+bank' ? { form, at, bankAt: at + 2 } : { form, at };
        writePointer(rom, slot, target, lorom);
        expect(readPointer(rom, slot, lorom).offset).toBe(target);
      }),
      { numRuns: 500 },
    );
  });
});

describe('errors', () => {
  test('slots outside the ROM; nothing is written', () => {
    const rom = new Uint8Array(16);
    expect(codeOf(() => readPointer(rom, { form: 'offset32le', at: 13 }))).toBe('ERR_POINTER');
    expect(codeOf(() => writePointer(rom, { form: 'offset24le', at: -1 }, 0))).toBe('ERR_POINTER');
    expect(codeOf(() => writePointer(rom, { form: 'snes16+bank', at: 0, bankAt: 16 }, 0, lorom))).toBe('ERR_POINTER');
    expect(rom.every((b) => b === 0)).toBe(true);
  });

  test('stored values that do not point into the ROM', () => {
    const rom = new Uint8Array(0x100);
    rom.set([0x00, 0x00, 0x00, 0x02], 0); // 0x02000000: EWRAM, not ROM
    expect(codeOf(() => readPointer(rom, { form: 'gba32', at: 0 }))).toBe('ERR_POINTER');
    rom.set([0x00, 0x01, 0x00, 0x08], 0); // 0x08000100: past a 0x100-byte ROM
    expect(codeOf(() => readPointer(rom, { form: 'gba32', at: 0 }))).toBe('ERR_POINTER');
    rom.set([0xff, 0xff, 0x00], 8);
    expect(codeOf(() => readPointer(rom, { form: 'offset24le', at: 8 }))).toBe('ERR_POINTER');
  });

  test('SNES forms need a mapping; bus addresses outside ROM are mapping errors', () => {
    const rom = new Uint8Array(lorom.data);
    expect(codeOf(() => encodePointer({ form: 'snes24', at: 0 }, 0x100))).toBe('ERR_POINTER');
    rom.set([0x00, 0x10, 0x7e], 0x100); // $7E:1000 is WRAM
    expect(codeOf(() => readPointer(rom, { form: 'snes24', at: 0x100 }, lorom))).toBe('ERR_ADDRESS_NOT_MAPPED');
  });

  test('targets a form cannot express', () => {
    expect(codeOf(() => encodePointer({ form: 'offset24le', at: 0 }, 0x1000000))).toBe('ERR_POINTER');
    expect(codeOf(() => encodePointer({ form: 'gba32', at: 0 }, 0x2000000))).toBe('ERR_POINTER');
    expect(codeOf(() => encodePointer({ form: 'offset32le', at: 0 }, -4))).toBe('ERR_POINTER');
    expect(codeOf(() => encodePointer({ form: 'snes16+bank', at: 0 }, 0x100, lorom))).toBe('ERR_POINTER');
  });
});

describe('definition pointers to slots', () => {
  test('pointerSlot resolves variant locations and bus addresses, and the slot round-trips', async () => {
    const { parseGameDefinition, pointerSlot } = await import('../../src/defs/index.js');
    const definition = parseGameDefinition(
      {
        formatVersion: 1,
        id: 'p',
        name: 'p',
        platform: 'snes',
        variants: [{ id: 'a', title: 'POINTER TEST' }, { id: 'b', crc32: '00000000' }],
        sprites: [{ name: 's', offset: '0x20000', codec: 'hal' }],
        pointers: [{ target: 's', form: 'snes16+bank', at: '$00:9000', bankAt: '0x1100', variantAt: { b: { at: '0x1200', bankAt: '0x1210' } } }],
      },
      'p',
    );
    const pointer = definition.pointers[0]!;
    expect(pointerSlot(pointer, 'a', lorom)).toEqual({ form: 'snes16+bank', at: 0x1000, bankAt: 0x1100 });
    expect(pointerSlot(pointer, 'b', lorom)).toEqual({ form: 'snes16+bank', at: 0x1200, bankAt: 0x1210 });
    const rom = new Uint8Array(lorom.data);
    writePointer(rom, pointerSlot(pointer, 'a', lorom), 0x20000, lorom);
    expect(readPointer(rom, pointerSlot(pointer, 'a', lorom), lorom).offset).toBe(0x20000);
  });
});
