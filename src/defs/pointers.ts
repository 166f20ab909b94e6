/**
 * Reading and encoding the pointers a game stores to its graphics, in the forms a definition
 * names (see `PointerForm`). Pure: bytes and numbers in, numbers and bytes out. The injection
 * engine uses these to repoint a relocated block.
 */
import { PointerError, hex } from '../errors.js';
import { pointerLocation, resolveDefLocation } from './match.js';
import type { PointerDef, PointerForm } from './types.js';

/** Converts between ROM offsets and bus addresses; an open `Rom` is one. Needed by the SNES forms only. */
export interface AddressMapping {
  toBusAddress(offset: number): number;
  fromBusAddress(address: number): number;
}

/** A pointer slot with its positions resolved to ROM offsets. */
export interface PointerSlot {
  form: PointerForm;
  /** ROM offset of the pointer's first byte. */
  at: number;
  /** `snes16+bank` only: ROM offset of the bank byte. */
  bankAt?: number;
}

/** A write that stores a pointer: `bytes` at ROM offset `at`. */
export interface PointerWrite {
  at: number;
  bytes: Uint8Array;
}

/** A pointer read from a ROM: the number stored and the ROM offset it means. */
export interface PointerValue {
  /** The number stored (bus address for SNES/GBA forms, the offset itself for offset forms). */
  stored: number;
  /** The ROM offset it points at. */
  offset: number;
}

/** GBA cartridge ROM is mapped at 0x08000000 (with wait-state mirrors at 0x0A000000 and 0x0C000000). */
const gbaRomBusBase = 0x08000000;
const gbaRomBusEnd = 0x0e000000;
const gbaMaximumRomSizeInBytes = 32 * 1024 * 1024;

/** Bytes the main part of a pointer takes at `at`. */
export function pointerWidthInBytes(form: PointerForm): number {
  switch (form) {
    case 'snes-lorom24':
    case 'snes24':
    case 'offset24le':
      return 3;
    case 'snes16+bank':
      return 2;
    case 'gba32':
    case 'offset32le':
      return 4;
  }
}

function checkSlot(romSize: number, slot: PointerSlot): void {
  const width = pointerWidthInBytes(slot.form);
  if (!Number.isSafeInteger(slot.at) || slot.at < 0 || slot.at + width > romSize) {
    throw new PointerError(`${slot.form} pointer at ${hex(slot.at)} (${width} bytes) is outside the ${hex(romSize)}-byte ROM`, { at: slot.at, form: slot.form, romSize });
  }
  if (slot.form === 'snes16+bank') {
    if (slot.bankAt === undefined) throw new PointerError(`snes16+bank pointer at ${hex(slot.at)} has no bank byte position (bankAt)`, { at: slot.at });
    if (!Number.isSafeInteger(slot.bankAt) || slot.bankAt < 0 || slot.bankAt >= romSize) {
      throw new PointerError(`bank byte of the pointer at ${hex(slot.at)} is at ${hex(slot.bankAt)}, outside the ${hex(romSize)}-byte ROM`, { at: slot.at, bankAt: slot.bankAt, romSize });
    }
  }
}

function needMapping(mapping: AddressMapping | undefined, form: PointerForm): AddressMapping {
  if (!mapping) throw new PointerError(`${form} pointers hold bus addresses: an address mapping (the open ROM) is needed to convert them`, { form });
  return mapping;
}

/**
 * Reads the pointer stored in `slot` and converts it to a ROM offset. Throws `PointerError` when
 * the slot is outside the ROM or the stored value does not point into it.
 */
export function readPointer(rom: Uint8Array, slot: PointerSlot, mapping?: AddressMapping): PointerValue {
  checkSlot(rom.length, slot);
  const at = slot.at;
  let stored: number;
  let offset: number;
  switch (slot.form) {
    case 'snes-lorom24':
    case 'snes24':
      stored = rom[at]! | (rom[at + 1]! << 8) | (rom[at + 2]! << 16);
      offset = needMapping(mapping, slot.form).fromBusAddress(stored);
      break;
    case 'snes16+bank':
      stored = (rom[slot.bankAt!]! << 16) | rom[at]! | (rom[at + 1]! << 8);
      offset = needMapping(mapping, slot.form).fromBusAddress(stored);
      break;
    case 'gba32':
      stored = (rom[at]! | (rom[at + 1]! << 8) | (rom[at + 2]! << 16) | (rom[at + 3]! << 24)) >>> 0;
      if (stored < gbaRomBusBase || stored >= gbaRomBusEnd) {
        throw new PointerError(`gba32 pointer at ${hex(at)} holds ${hex(stored, 8)}, which is not in cartridge ROM (0x08000000–0x0DFFFFFF)`, { at, stored });
      }
      offset = (stored - gbaRomBusBase) % gbaMaximumRomSizeInBytes;
      break;
    case 'offset24le':
      stored = rom[at]! | (rom[at + 1]! << 8) | (rom[at + 2]! << 16);
      offset = stored;
      break;
    case 'offset32le':
      stored = (rom[at]! | (rom[at + 1]! << 8) | (rom[at + 2]! << 16) | (rom[at + 3]! << 24)) >>> 0;
      offset = stored;
      break;
  }
  if (offset >= rom.length) {
    throw new PointerError(`${slot.form} pointer at ${hex(at)} holds ${hex(stored)}, ROM offset ${hex(offset)}, past the end of the ${hex(rom.length)}-byte ROM`, {
      at,
      stored,
      offset,
      romSize: rom.length,
    });
  }
  return { stored, offset };
}

/**
 * The bytes that make `slot` point at ROM offset `target`: one write, or two for `snes16+bank`
 * (address, then bank byte). Throws `PointerError` when the form cannot express the target.
 */
export function encodePointer(slot: PointerSlot, target: number, mapping?: AddressMapping): PointerWrite[] {
  if (!Number.isSafeInteger(target) || target < 0) throw new PointerError(`cannot point at ${target}: not a ROM offset`, { target });
  switch (slot.form) {
    case 'snes-lorom24':
    case 'snes24': {
      const address = needMapping(mapping, slot.form).toBusAddress(target);
      if (address > 0xffffff) throw new PointerError(`bus address ${hex(address)} of ${hex(target)} does not fit a 24-bit SNES pointer`, { target, address });
      return [{ at: slot.at, bytes: new Uint8Array([address & 0xff, (address >>> 8) & 0xff, (address >>> 16) & 0xff]) }];
    }
    case 'snes16+bank': {
      if (slot.bankAt === undefined) throw new PointerError(`snes16+bank pointer at ${hex(slot.at)} has no bank byte position (bankAt)`, { at: slot.at });
      const address = needMapping(mapping, slot.form).toBusAddress(target);
      if (address > 0xffffff) throw new PointerError(`bus address ${hex(address)} of ${hex(target)} does not fit a bank and a 16-bit address`, { target, address });
      return [
        { at: slot.at, bytes: new Uint8Array([address & 0xff, (address >>> 8) & 0xff]) },
        { at: slot.bankAt, bytes: new Uint8Array([(address >>> 16) & 0xff]) },
      ];
    }
    case 'gba32': {
      if (target >= gbaMaximumRomSizeInBytes) throw new PointerError(`ROM offset ${hex(target)} is past the 32 MiB GBA cartridge space`, { target });
      const address = (gbaRomBusBase + target) >>> 0;
      return [{ at: slot.at, bytes: new Uint8Array([address & 0xff, (address >>> 8) & 0xff, (address >>> 16) & 0xff, (address >>> 24) & 0xff]) }];
    }
    case 'offset24le':
      if (target > 0xffffff) throw new PointerError(`ROM offset ${hex(target)} does not fit a 24-bit pointer`, { target });
      return [{ at: slot.at, bytes: new Uint8Array([target & 0xff, (target >>> 8) & 0xff, (target >>> 16) & 0xff]) }];
    case 'offset32le':
      if (target > 0xffffffff) throw new PointerError(`ROM offset ${hex(target)} does not fit a 32-bit pointer`, { target });
      return [{ at: slot.at, bytes: new Uint8Array([target & 0xff, (target >>> 8) & 0xff, (target >>> 16) & 0xff, (target >>> 24) & 0xff]) }];
  }
}

/**
 * Stores a pointer to `target` in `rom` (a writable copy — never a mapped ROM view), checking
 * the slot first so nothing is written when any part is out of range.
 */
export function writePointer(rom: Uint8Array, slot: PointerSlot, target: number, mapping?: AddressMapping): void {
  checkSlot(rom.length, slot);
  const writes = encodePointer(slot, target, mapping);
  for (const write of writes) rom.set(write.bytes, write.at);
}

/**
 * The slot of a definition's pointer in a variant, with its locations resolved to ROM offsets
 * (bus addresses through `mapping`, the open ROM).
 */
export function pointerSlot(pointer: PointerDef, variantId: string | undefined, mapping: { fromBusAddress(address: number): number }): PointerSlot {
  const location = pointerLocation(pointer, variantId);
  const slot: PointerSlot = { form: pointer.form, at: resolveDefLocation(location.at, mapping) };
  if (location.bankAt) slot.bankAt = resolveDefLocation(location.bankAt, mapping);
  return slot;
}
