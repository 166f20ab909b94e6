/**
 * Checksums for every platform: compute, verify, and patch into a copy.
 * Spec: shared formats/platforms.md. NES has no checksum.
 */
import { ChecksumNotSupportedError } from '../errors.js';
import { writeU16BE, writeU16LE } from '../util/bytes.js';
import { byteSum } from '../util/hash.js';
import { gbChecksumOffsets, gbGlobalChecksum, gbHeaderChecksum } from './gb.js';
import { gbaComplementOffset, gbaHeaderComplement } from './gba.js';
import { mdChecksum, mdChecksumOffset } from './md.js';
import type { Platform } from './platform.js';

function largestPowerOfTwoAtMost(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/**
 * The SNES checksum sum with mirroring: when the size is not a power of two, the part past the
 * largest power of two is repeated until it is that large (a 3 MiB ROM counts its last MiB
 * twice). `adjust(start, end)` corrects the sum of a range (used to count the checksum fields as
 * FFFF/0000 wherever they fall, as many times as they are mirrored).
 */
function mirroredSum(rom: Uint8Array, start: number, length: number, adjust: (start: number, end: number) => number): number {
  const p = largestPowerOfTwoAtMost(length);
  const head = byteSum(rom, start, start + p) + adjust(start, start + p);
  if (p === length) return head;
  const rest = length - p;
  const restExpanded = mirroredSum(rom, start + p, rest, adjust);
  const restSpan = largestPowerOfTwoAtMost(rest) === rest ? rest : largestPowerOfTwoAtMost(rest) * 2;
  return head + restExpanded * (p / restSpan);
}

/** What the SNES checksum should be, counting the checksum and complement fields as FFFF/0000 (the fix convention). */
export function snesComputedChecksum(rom: Uint8Array, headerOffset: number): number {
  const fieldStart = headerOffset + 0x1c;
  const storedFieldSum = rom[fieldStart]! + rom[fieldStart + 1]! + rom[fieldStart + 2]! + rom[fieldStart + 3]!;
  const correction = 0xff + 0xff - storedFieldSum;
  const adjust = (start: number, end: number): number => (fieldStart >= start && fieldStart + 4 <= end ? correction : 0);
  return mirroredSum(rom, 0, rom.length, adjust) & 0xffff;
}

/** One of a platform's checksums: stored, computed and whether they agree. */
export interface ChecksumPart {
  /** Which checksum: 'snes', 'gb-header', 'gb-global', 'gba-complement', 'md'. */
  kind: string;
  stored: number;
  computed: number;
  valid: boolean;
  /** SNES only: the stored complement. */
  storedComplement?: number;
}

/** A ROM's checksums: the main one first, then every part the platform has. */
export interface ChecksumReport {
  /** The main checksum (SNES sum, GB global, GBA complement, MD sum). */
  stored: number;
  computed: number;
  valid: boolean;
  /** Every checksum the platform has (GB has two). */
  parts: ChecksumPart[];
}

/** What checksum code needs to know about a ROM besides its bytes. */
export interface ChecksumContext {
  platform: Platform;
  /** SNES: where the internal header is. */
  snesHeaderOffset?: number;
}

/** Computes and compares every checksum of the ROM data. Returns null for platforms without one (NES, unknown). */
export function verifyChecksums(rom: Uint8Array, context: ChecksumContext): ChecksumReport | null {
  const parts: ChecksumPart[] = [];
  switch (context.platform) {
    case 'snes': {
      const h = context.snesHeaderOffset ?? 0x7fc0;
      const storedComplement = rom[h + 0x1c]! | (rom[h + 0x1d]! << 8);
      const stored = rom[h + 0x1e]! | (rom[h + 0x1f]! << 8);
      const computed = snesComputedChecksum(rom, h);
      parts.push({ kind: 'snes', stored, computed, valid: stored === computed && storedComplement === (computed ^ 0xffff), storedComplement });
      break;
    }
    case 'gb':
    case 'gbc': {
      const headerStored = rom[gbChecksumOffsets.header]!;
      const headerComputed = gbHeaderChecksum(rom);
      const globalStored = (rom[gbChecksumOffsets.global]! << 8) | rom[gbChecksumOffsets.global + 1]!;
      const globalComputed = gbGlobalChecksum(rom);
      parts.push({ kind: 'gb-global', stored: globalStored, computed: globalComputed, valid: globalStored === globalComputed });
      parts.push({ kind: 'gb-header', stored: headerStored, computed: headerComputed, valid: headerStored === headerComputed });
      break;
    }
    case 'gba': {
      const stored = rom[gbaComplementOffset]!;
      const computed = gbaHeaderComplement(rom);
      parts.push({ kind: 'gba-complement', stored, computed, valid: stored === computed });
      break;
    }
    case 'md': {
      const stored = (rom[mdChecksumOffset]! << 8) | rom[mdChecksumOffset + 1]!;
      const computed = mdChecksum(rom);
      parts.push({ kind: 'md', stored, computed, valid: stored === computed });
      break;
    }
    case 'nes':
    case 'unknown':
      return null;
  }
  const main = parts[0]!;
  return { stored: main.stored, computed: main.computed, valid: parts.every((p) => p.valid), parts };
}

/**
 * Writes correct checksums into `rom` (a writable copy, never a mapping). GB: header checksum
 * first, because the global checksum covers it.
 */
export function fixChecksumsInPlace(rom: Uint8Array, context: ChecksumContext): ChecksumReport {
  switch (context.platform) {
    case 'snes': {
      const h = context.snesHeaderOffset ?? 0x7fc0;
      writeU16LE(rom, h + 0x1c, 0xffff);
      writeU16LE(rom, h + 0x1e, 0x0000);
      const sum = snesComputedChecksum(rom, h);
      writeU16LE(rom, h + 0x1c, sum ^ 0xffff);
      writeU16LE(rom, h + 0x1e, sum);
      break;
    }
    case 'gb':
    case 'gbc':
      rom[gbChecksumOffsets.header] = gbHeaderChecksum(rom);
      writeU16BE(rom, gbChecksumOffsets.global, gbGlobalChecksum(rom));
      break;
    case 'gba':
      rom[gbaComplementOffset] = gbaHeaderComplement(rom);
      break;
    case 'md':
      writeU16BE(rom, mdChecksumOffset, mdChecksum(rom));
      break;
    case 'nes':
    case 'unknown':
      throw new ChecksumNotSupportedError(context.platform === 'nes' ? 'NES' : 'Unidentified');
  }
  return verifyChecksums(rom, context)!;
}
