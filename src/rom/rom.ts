/**
 * A ROM: its bytes (mapped read-only or in memory), what console it is for, its header, its
 * address mapping and its checksums. This is the object every other part of romgfx reads from.
 */
import { AddressNotMappedError, HeaderError, InvalidArgumentError, RomChangedError, RomClosedError, RomTooSmallError, UnknownPlatformError, hex } from '../errors.js';
import { crc32, sha1Hex } from '../util/hash.js';
import { checkRange } from '../util/bytes.js';
import { parseBusAddress, parseLocation } from './address.js';
import { verifyChecksums, fixChecksumsInPlace, type ChecksumReport } from './checksum.js';
import { parseGbHeader, gbHeaderEndInBytes, type GbHeader } from './gb.js';
import { parseGbaHeader, gbaHeaderSizeInBytes, gbaRomBusBase, type GbaHeader } from './gba.js';
import { parseMdHeader, looksLikeSmd, deinterleaveSmd, type MdHeader } from './md.js';
import { hasInesMagic, parseNesHeader, nesBusToOffset, nesOffsetToBus, nesPpuToOffset, inesHeaderSizeInBytes, type NesHeader } from './nes.js';
import { busAddress, checkedRomOffset, romOffset, type BusAddress, type RomOffset } from './offsets.js';
import type { Platform } from './platform.js';
import {
  detectSnesHeader,
  formatSnesAddress,
  hasSnesCopierHeader,
  minimumSnesHeaderScore,
  snesBusToOffset,
  snesCopierHeaderSizeInBytes,
  snesHeaderSizeInBytes,
  snesOffsetToBus,
  type SnesHeader,
  type SnesMapping,
} from './snes.js';
import { bufferSource, openFileSource, type ByteSource, type RomOpenMode } from './source.js';

export type { Platform } from './platform.js';

/** Header evidence needed before a platform is taken without an explicit override. */
const minimumGbScore = 8;
// The fixed 0x96 plus the entry branch (two fixed bytes) is enough: a bad complement is what `checksum --fix` repairs.
const minimumGbaScore = 7;
const minimumMdScore = 6;
/** GB maps 16 KiB banks at $4000–$7FFF. */
const gbBankSizeInBytes = 0x4000;
/** The 68000 sees cartridge ROM at $000000–$3FFFFF. */
const mdRomWindowInBytes = 0x400000;

/** The parsed header of the ROM's platform, tagged by platform. */
export type PlatformHeader =
  | { platform: 'snes'; snes: SnesHeader }
  | { platform: 'gb' | 'gbc'; gb: GbHeader }
  | { platform: 'gba'; gba: GbaHeader }
  | { platform: 'nes'; nes: NesHeader }
  | { platform: 'md'; md: MdHeader }
  | { platform: 'unknown' };

/** Options of `openRom`: platform override, loose files, and whether to map or read the file. */
export interface OpenRomOptions {
  /** Skip identification and treat the file as this platform. */
  platform?: Platform;
  /** Open a file no header identifies as platform 'unknown' instead of failing (loose .bin files). */
  allowUnknown?: boolean;
  /** A name for messages when opening bytes. */
  name?: string;
  /**
   * `map` (a guarded read-only mapping) or `memory` (the file read whole); default `map` when the
   * SIGBUS guard is available, else `memory`. See `RomOpenMode`.
   */
  mode?: RomOpenMode;
}

/** A ROM's checksum as stored and as computed (both GB checksums for GB/GBC). */
export interface ChecksumInfo {
  stored: number;
  computed: number;
  valid: boolean;
  /** GB/GBC: both checksums. */
  header?: { stored: number; computed: number; valid: boolean };
  global?: { stored: number; computed: number; valid: boolean };
  /** SNES: the stored complement. */
  complement?: number;
}

/** What `romgfx info --json` prints. */
export interface RomInfo {
  name: string;
  platform: Platform;
  /** Size of the ROM data in bytes (after any copier header). */
  size: number;
  fileSize: number;
  /** Bytes of copier header skipped (SNES 512, .smd 512, else 0). */
  copierHeader: number;
  interleaved: boolean;
  title: string;
  mapping: SnesMapping | null;
  headerOffset: number | null;
  checksum: ChecksumInfo | null;
  crc32: string;
  sha1: string;
  /** Platform-specific header fields. */
  header: Record<string, unknown>;
}

/** What identifies a ROM's contents: CRC32 and SHA-1 of its data, without any copier header. */
export interface RomIdentity {
  crc32: number;
  sha1: string;
}

/**
 * An opened ROM: its bytes (mapped or read), platform, header and identity. Get one from `openRom` or
 * `romFromBytes`; `close()` it (or `using`) when done with a mapped file.
 */
export class Rom {
  readonly source: ByteSource;
  readonly name: string;
  readonly platform: Platform;
  readonly copierHeaderSize: number;
  /** True for a de-interleaved .smd dump (data is a converted copy). */
  readonly interleaved: boolean;
  readonly header: PlatformHeader;
  #data: Uint8Array | null;
  readonly #size: number;
  #identity: RomIdentity | undefined;

  constructor(source: ByteSource, platform: Platform, copierHeaderSize: number, interleaved: boolean, data: Uint8Array, header: PlatformHeader) {
    this.source = source;
    this.name = source.name;
    this.platform = platform;
    this.copierHeaderSize = copierHeaderSize;
    this.interleaved = interleaved;
    this.#data = data;
    this.#size = data.length;
    this.header = header;
  }

  /**
   * The ROM data. A read-only view when the file is mapped: never write into it. Throws
   * `RomClosedError` after `close()`.
   */
  get data(): Uint8Array {
    if (this.#data === null) throw new RomClosedError(this.name);
    return this.#data;
  }

  get size(): number {
    return this.#size;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#data === null;
  }

  /**
   * Lets go of the ROM's bytes: `data` and every read method throw `RomClosedError` from now on.
   * A mapping is unmapped when the last view of it (this handle's or one a caller kept) is
   * garbage-collected; views already taken stay readable until then. Closing twice is harmless.
   */
  close(): void {
    this.#data = null;
  }

  /** `using rom = openRom(path)` closes the ROM at the end of the block. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * What changed in the file since it was opened (resized, rewritten, replaced, or truncated
   * under the mapping), or null. For `memory` mode the bytes here cannot change, but the file
   * can: an in-place write must not overwrite someone else's newer file.
   */
  changed(): string | null {
    return this.source.changed();
  }

  /**
   * Throws `RomChangedError` when the file changed since it was opened. Long-running work
   * (scan, extract-all, inject) calls it before trusting or writing what it read.
   */
  assertUnchanged(): void {
    const change = this.source.changed();
    if (change !== null) throw new RomChangedError(this.name, change);
  }

  get mapping(): SnesMapping | null {
    return this.header.platform === 'snes' ? this.header.snes.mapping : null;
  }

  /** A bounds-checked, zero-copy view of ROM data. Read-only when mapped. */
  read(offset: number, length: number): Uint8Array {
    checkRange(`${this.name} (ROM data)`, offset, length, this.data.length);
    return this.data.subarray(offset, offset + length);
  }

  /** A writable copy of the whole ROM data (for building an output ROM). */
  copyData(): Uint8Array {
    return Uint8Array.prototype.slice.call(this.data) as Uint8Array;
  }

  /** CRC-32 and SHA-1 of the ROM data: the identity game definitions and caches use. Computed once. */
  identity(): RomIdentity {
    this.#identity ??= { crc32: crc32(this.data), sha1: sha1Hex(this.data) };
    return this.#identity;
  }

  /** Bus address → ROM offset under this ROM's mapping. */
  fromBusAddress(address: number): RomOffset {
    switch (this.header.platform) {
      case 'snes':
        return snesBusToOffset(address, this.header.snes.mapping, this.size);
      case 'gba': {
        const region = address >>> 24;
        if (region < 0x08 || region > 0x0d) {
          throw new AddressNotMappedError(`${hex(address, 8)} is not in GBA cartridge space (0x08000000–0x0DFFFFFF)`, { address });
        }
        return this.#checkedOffset(address & 0x01ffffff, address);
      }
      case 'gb':
      case 'gbc': {
        const bank = address >>> 16;
        const addr = address & 0xffff;
        if (addr >= 0x8000) throw new AddressNotMappedError(`$${hex(addr, 4).slice(2)} is not ROM on the Game Boy ($0000–$7FFF)`, { address });
        if (addr < gbBankSizeInBytes) {
          if (bank !== 0) throw new AddressNotMappedError(`$0000–$3FFF is always bank 0, not bank ${hex(bank, 2)}`, { address });
          return this.#checkedOffset(addr, address);
        }
        return this.#checkedOffset(Math.max(bank, 1) * gbBankSizeInBytes + (addr - gbBankSizeInBytes), address);
      }
      case 'md':
        if (address >= mdRomWindowInBytes) throw new AddressNotMappedError(`${hex(address, 6)} is outside Mega Drive ROM space ($000000–$3FFFFF)`, { address });
        return this.#checkedOffset(address, address);
      case 'nes':
        return this.#checkedOffset(nesBusToOffset(address, this.header.nes), address);
      case 'unknown':
        throw new AddressNotMappedError(`${this.name} has no known platform, so bus addresses mean nothing; give a ROM offset`, { address });
    }
  }

  /** ROM offset → the canonical bus address. */
  toBusAddress(offset: number): BusAddress {
    checkRange(`${this.name} (ROM data)`, offset, 1, this.size);
    switch (this.header.platform) {
      case 'snes':
        return snesOffsetToBus(offset, this.header.snes.mapping, this.size);
      case 'gba':
        return busAddress(gbaRomBusBase + offset);
      case 'gb':
      case 'gbc': {
        const bank = Math.floor(offset / gbBankSizeInBytes);
        return busAddress(bank === 0 ? offset : (bank << 16) | (gbBankSizeInBytes + (offset % gbBankSizeInBytes)));
      }
      case 'md':
        if (offset >= mdRomWindowInBytes) throw new AddressNotMappedError(`ROM offset ${hex(offset)} is beyond the 4 MiB Mega Drive ROM window`, { offset });
        return busAddress(offset);
      case 'nes':
        return busAddress(nesOffsetToBus(offset, this.header.nes));
      case 'unknown':
        throw new AddressNotMappedError('unidentified ROMs have no fixed bus mapping', { offset });
    }
  }

  /** Formats a bus address the way this platform writes them (`$C0:8000`, `0x08001234`, `$01:4000`). */
  formatBusAddress(address: number): string {
    switch (this.platform) {
      case 'snes':
      case 'gb':
      case 'gbc':
        return formatSnesAddress(address);
      case 'gba':
        return hex(address, 8);
      case 'nes':
        // A bank only when the mapper switches one in: `$C000`, `$03:8000`.
        return address >>> 16 === 0 ? `$${(address & 0xffff).toString(16).toUpperCase().padStart(4, '0')}` : formatSnesAddress(address);
      default:
        return hex(address, 6);
    }
  }

  /**
   * Text → ROM offset: `$C0:1234` / `C0:1234` / `$C01234` are bus addresses, mapped through this
   * ROM's mapping; plain numbers (`0x8120`, `8120h`, `33056`) are ROM offsets.
   */
  resolveLocation(text: string): RomOffset {
    if (/^ppu:/iu.test(text.trim())) return this.fromPpuAddress(text.trim().slice(4));
    const location = parseLocation(text);
    if (location.kind === 'bus') return this.fromBusAddress(location.value);
    return this.#checkedOffset(location.value, location.value);
  }

  /**
   * NES CHR as the PPU sees it: `$1000` (bank 0) or `$03:1000` (CHR bank 3, in the mapper's CHR
   * bank size) → the ROM offset of that CHR-ROM byte.
   */
  fromPpuAddress(text: string): RomOffset {
    if (this.header.platform !== 'nes') throw new AddressNotMappedError(`ppu:${text}: PPU pattern-table addresses are for NES ROMs; ${this.name} is ${this.platform}`, { text });
    const value = parseBusAddress(text);
    return this.#checkedOffset(nesPpuToOffset(value >>> 16, value & 0xffff, this.header.nes), value);
  }

  /** Text that must be a bus address (`C01234` and `0xC01234` included) → ROM offset. */
  resolveBusAddress(text: string): RomOffset {
    return this.fromBusAddress(parseBusAddress(text));
  }

  #checkedOffset(offset: number, asked: number): RomOffset {
    return checkedRomOffset(offset, asked, this.size);
  }

  checksums(): ChecksumReport | null {
    return verifyChecksums(this.data, { platform: this.platform, snesHeaderOffset: this.header.platform === 'snes' ? this.header.snes.headerOffset : undefined });
  }

  /**
   * A copy of the ROM data with corrected checksums (the copier header is not included: romgfx
   * writes headerless ROMs unless asked to keep it). Never touches the mapping.
   */
  withFixedChecksums(data: Uint8Array = this.copyData()): { data: Uint8Array; report: ChecksumReport } {
    const report = fixChecksumsInPlace(data, { platform: this.platform, snesHeaderOffset: this.header.platform === 'snes' ? this.header.snes.headerOffset : undefined });
    return { data, report };
  }

  /** The copier header bytes (empty when there is none), to put back in front of an output ROM. */
  copierHeader(): Uint8Array {
    return this.copierHeaderSize > 0 && !this.interleaved ? this.source.copy(0, this.copierHeaderSize) : new Uint8Array(0);
  }

  title(): string {
    switch (this.header.platform) {
      case 'snes':
        return this.header.snes.title;
      case 'gb':
      case 'gbc':
        return this.header.gb.title;
      case 'gba':
        return this.header.gba.title;
      case 'md':
        return this.header.md.overseasTitle || this.header.md.domesticTitle;
      default:
        return '';
    }
  }

  info(): RomInfo {
    const report = this.checksums();
    const identity = this.identity();
    let checksum: ChecksumInfo | null = null;
    if (report) {
      checksum = { stored: report.stored, computed: report.computed, valid: report.valid };
      for (const part of report.parts) {
        const entry = { stored: part.stored, computed: part.computed, valid: part.valid };
        if (part.kind === 'gb-header') checksum.header = entry;
        if (part.kind === 'gb-global') checksum.global = entry;
        if (part.storedComplement !== undefined) checksum.complement = part.storedComplement;
      }
    }
    const h = this.header;
    let headerOffset: number | null = null;
    let header: Record<string, unknown> = {};
    switch (h.platform) {
      case 'snes':
        headerOffset = h.snes.headerOffset;
        header = { ...h.snes };
        break;
      case 'gb':
      case 'gbc':
        headerOffset = 0x100;
        header = { ...h.gb };
        break;
      case 'gba':
        headerOffset = 0;
        header = { ...h.gba };
        break;
      case 'nes':
        headerOffset = 0;
        header = { ...h.nes };
        break;
      case 'md':
        headerOffset = 0x100;
        header = { ...h.md };
        break;
      case 'unknown':
        break;
    }
    return {
      name: this.name,
      platform: this.platform,
      size: this.size,
      fileSize: this.source.size,
      copierHeader: this.copierHeaderSize,
      interleaved: this.interleaved,
      title: this.title(),
      mapping: this.mapping,
      headerOffset,
      checksum,
      crc32: identity.crc32.toString(16).padStart(8, '0'),
      sha1: identity.sha1,
      header,
    };
  }
}

function requireSize(name: string, data: Uint8Array, needed: number, what: string): void {
  if (data.length < needed) throw new RomTooSmallError(name, data.length, needed, what);
}

function snesHeaderFor(name: string, data: Uint8Array): SnesHeader {
  requireSize(name, data, 0x7fc0 + snesHeaderSizeInBytes, 'an SNES header at 0x7FC0');
  const header = detectSnesHeader(data);
  if (!header) throw new HeaderError(`${name}: no SNES header location fits in ${data.length} bytes`, { source: name });
  return header;
}

/** Identifies the platform and builds the Rom. */
function identify(source: ByteSource, options: OpenRomOptions): Rom {
  const file = source.view(0, source.size);
  const name = source.name;
  const forced = options.platform;

  if (forced === 'unknown') return new Rom(source, 'unknown', 0, false, file, { platform: 'unknown' });

  if (forced === 'nes' || (forced === undefined && hasInesMagic(file))) {
    if (!hasInesMagic(file)) throw new HeaderError(`${name}: no iNES header ("NES\\x1A" at offset 0)`, { source: name, offset: 0 });
    return new Rom(source, 'nes', 0, false, file, { platform: 'nes', nes: parseNesHeader(file, name) });
  }

  if ((forced === undefined || forced === 'md') && looksLikeSmd(file)) {
    const data = deinterleaveSmd(file);
    const md = parseMdHeader(data);
    if (md && (forced === 'md' || md.score >= minimumMdScore)) return new Rom(source, 'md', 512, true, data, { platform: 'md', md });
  }

  if (forced === 'gba') {
    requireSize(name, file, gbaHeaderSizeInBytes, 'a GBA header');
    return new Rom(source, 'gba', 0, false, file, { platform: 'gba', gba: parseGbaHeader(file)! });
  }
  if (forced === 'gb' || forced === 'gbc') {
    requireSize(name, file, gbHeaderEndInBytes, 'a Game Boy header');
    return new Rom(source, forced, 0, false, file, { platform: forced, gb: parseGbHeader(file)! });
  }
  if (forced === 'md') {
    const md = parseMdHeader(file);
    if (!md) throw new RomTooSmallError(name, file.length, 0x200, 'a Mega Drive header');
    return new Rom(source, 'md', 0, false, file, { platform: 'md', md });
  }
  if (forced === 'snes') {
    const copier = hasSnesCopierHeader(file.length) ? snesCopierHeaderSizeInBytes : 0;
    const data = file.subarray(copier);
    return new Rom(source, 'snes', copier, false, data, { platform: 'snes', snes: snesHeaderFor(name, data) });
  }

  // No override: take the platform whose header evidence is strong enough.
  const gba = parseGbaHeader(file);
  if (gba && gba.score >= minimumGbaScore) return new Rom(source, 'gba', 0, false, file, { platform: 'gba', gba });
  const gb = parseGbHeader(file);
  if (gb && gb.score >= minimumGbScore) {
    const platform = gb.colour ? 'gbc' : 'gb';
    return new Rom(source, platform, 0, false, file, { platform, gb });
  }
  const md = parseMdHeader(file);
  if (md && md.score >= minimumMdScore) return new Rom(source, 'md', 0, false, file, { platform: 'md', md });
  const copier = hasSnesCopierHeader(file.length) ? snesCopierHeaderSizeInBytes : 0;
  const snesData = file.subarray(copier);
  const snes = detectSnesHeader(snesData);
  if (snes && snes.score >= minimumSnesHeaderScore) return new Rom(source, 'snes', copier, false, snesData, { platform: 'snes', snes });

  if (options.allowUnknown) return new Rom(source, 'unknown', 0, false, file, { platform: 'unknown' });
  throw new UnknownPlatformError(name, file.length);
}

/**
 * Opens `path` read-only (a guarded mapping or a copy in memory: `options.mode`) and identifies
 * its platform. Close it with `close()` (or `using`) when done.
 */
export function openRom(path: string, options: OpenRomOptions = {}): Rom {
  if (options.mode !== undefined && options.mode !== 'map' && options.mode !== 'memory') throw new InvalidArgumentError(`mode must be "map" or "memory", got ${JSON.stringify(options.mode)}`, { mode: options.mode });
  return identify(openFileSource(path, options.mode), options);
}

/** The same over bytes the caller holds (the buffer is used as is, not copied: do not change it while the Rom is in use). */
export function romFromBytes(bytes: Uint8Array, options: OpenRomOptions = {}): Rom {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('romFromBytes needs a Uint8Array');
  return identify(bufferSource(bytes, options.name ?? '<buffer>'), options);
}

export { inesHeaderSizeInBytes };
