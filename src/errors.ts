/**
 * The one error vocabulary of romgfx.
 *
 * Every failure the engine reports is a `RomgfxError` with a stable string `code` (what went
 * wrong, for programs) and a `category` (what kind of failure, which the CLI maps to an exit
 * code in exactly one place: `src/cli/exit-codes.ts`). `details` carries the where: offsets,
 * pixels, fields. Messages say what was wrong and where, in one line.
 *
 * Domains add their classes in their own section below; codes are never renamed once shipped.
 */
import { closestName, didYouMean } from './util/suggest.js';
// This module's own classes, to rebuild an error as its class in `RomgfxError.fromJSON` (an ES
// module may import itself; the namespace is complete once the module has run).
import * as errorClasses from './errors.js';

/** What kind of failure this is; decides the CLI exit code. */
export type ErrorCategory =
  /** The caller asked for something malformed (bad flag, bad address syntax). */
  | 'usage'
  /** The input data is bad: corrupt stream, wrong header, off-palette pixel. */
  | 'data'
  /** A named file or directory does not exist. */
  | 'missing'
  /** The operating system failed a read or write, or refused to overwrite. */
  | 'io'
  /** A bug or an unexpected state inside romgfx. */
  | 'internal';

/**
 * Free-form details: what a thrower with a message-and-details constructor adds (offsets,
 * sizes, names). Codes whose constructors fix their fields have a precise type instead, in
 * {@link RomgfxErrorDetailsByCode}.
 */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/**
 * What `details` holds for each error code: the registry of every `ERR_…` code romgfx throws.
 *
 * Each section of this file adds its own codes by re-opening this interface (declaration
 * merging) next to its classes; a class then extends `RomgfxError<'ERR_ITS_CODE'>`. A code
 * missing here does not compile, so the union below is always complete.
 */
export interface RomgfxErrorDetailsByCode {}

/** Every error code romgfx throws, as a string-literal union (`'ERR_USAGE' | 'ERR_IO' | …`). */
export type RomgfxErrorCode = keyof RomgfxErrorDetailsByCode;

/** The `details` type of one code (or of a union of codes). */
export type RomgfxErrorDetails<C extends RomgfxErrorCode = RomgfxErrorCode> = RomgfxErrorDetailsByCode[C];

/** The JSON object a RomgfxError prints with `--json` and crosses worker boundaries as. */
export interface RomgfxErrorJson<C extends RomgfxErrorCode = RomgfxErrorCode> {
  name: string;
  code: C;
  category: ErrorCategory;
  message: string;
  details: RomgfxErrorDetails<C>;
}

/**
 * The base of every error romgfx throws. `code` says what went wrong (stable, for programs),
 * `category` what kind of failure (the CLI's exit code), `details` where, typed per code.
 * Narrow with {@link isRomgfxError} and `switch (error.code)`.
 */
export class RomgfxError<C extends RomgfxErrorCode = RomgfxErrorCode> extends Error {
  /** What went wrong; stable across versions. */
  readonly code: C;
  /** What kind of failure this is; decides the CLI exit code. */
  readonly category: ErrorCategory;
  /** Where it went wrong: offsets, pixels, fields (see {@link RomgfxErrorDetailsByCode}). */
  readonly details: RomgfxErrorDetails<C>;

  constructor(code: C, category: ErrorCategory, message: string, details: RomgfxErrorDetails<C>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.category = category;
    this.details = details;
  }

  /**
   * Rebuilds an error from its JSON form (a worker's reply, a saved report), keeping the
   * original `name`. The code is trusted as one of ours: use it only on JSON romgfx wrote.
   */
  static fromJSON(json: { name?: string; code: string; category: ErrorCategory; message: string; details?: ErrorDetails }, options?: { cause?: unknown }): AnyRomgfxError {
    const error = new RomgfxError(json.code as RomgfxErrorCode, json.category, json.message, (json.details ?? {}) as RomgfxErrorDetails, options);
    if (json.name !== undefined) {
      error.name = json.name;
      // The named class's prototype, so `instanceof TileCountMismatchError` holds for an error
      // that crossed a thread. Constructors cannot be rerun (each takes its own arguments); the
      // two classes with fields of their own keep them in `details` too.
      const errorClass = romgfxErrorClassNamed(json.name);
      if (errorClass !== undefined) {
        Object.setPrototypeOf(error, errorClass.prototype);
        const details = error.details as Record<string, unknown>;
        for (const field of revivedFieldNames) if (typeof details[field] === 'string') Object.defineProperty(error, field, { value: details[field], enumerable: true });
      }
    }
    return error as AnyRomgfxError;
  }

  /** The JSON error object the CLI prints with `--json`. */
  toJSON(): { error: RomgfxErrorJson<C> } {
    return { error: { name: this.name, code: this.code, category: this.category, message: this.message, details: this.details } };
  }
}

/** Fields some classes keep beside `details` (DefinitionError.field, BpsChecksumError.which), restored by `fromJSON`. */
const revivedFieldNames = ['field', 'which'] as const;
let romgfxErrorClassesByName: Map<string, { prototype: RomgfxError }> | undefined;
function romgfxErrorClassNamed(name: string): { prototype: RomgfxError } | undefined {
  if (romgfxErrorClassesByName === undefined) {
    romgfxErrorClassesByName = new Map();
    for (const value of Object.values(errorClasses)) {
      if (typeof value === 'function' && value.prototype instanceof RomgfxError) romgfxErrorClassesByName.set(value.name, value as { prototype: RomgfxError });
    }
  }
  return romgfxErrorClassesByName.get(name);
}

/**
 * Any romgfx error, as a union discriminated by `code`: after `switch (error.code)` each
 * branch sees that code's `details` type.
 */
export type AnyRomgfxError = { [C in RomgfxErrorCode]: RomgfxError<C> }[RomgfxErrorCode];

/** True for errors romgfx threw (any subclass of {@link RomgfxError}); narrows to {@link AnyRomgfxError}. */
export function isRomgfxError(value: unknown): value is AnyRomgfxError {
  return value instanceof RomgfxError;
}

/** Hex with a `0x` prefix, for messages: offsets read better in hex. */
export function hex(value: number, width = 0): string {
  return '0x' + value.toString(16).toUpperCase().padStart(width, '0');
}

// ---------------------------------------------------------------------------------------------
// General
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_USAGE: ErrorDetails;
  ERR_INTERNAL: ErrorDetails;
  ERR_INVALID_ARGUMENT: ErrorDetails;
  ERR_ABORTED: ErrorDetails;
}

/** The caller asked for something malformed: a bad flag, a bad combination of options. */
export class UsageError extends RomgfxError<'ERR_USAGE'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_USAGE', 'usage', message, details);
  }
}

/** A bug or an unexpected state inside romgfx; please report it. */
export class InternalError extends RomgfxError<'ERR_INTERNAL'> {
  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super('ERR_INTERNAL', 'internal', message, details, options);
  }
}

/** A value in the caller's request (not in a file) is outside what the operation accepts. */
export class InvalidArgumentError extends RomgfxError<'ERR_INVALID_ARGUMENT'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_INVALID_ARGUMENT', 'usage', message, details);
  }
}

/** The operation was cancelled through its `AbortSignal`. */
export class AbortedError extends RomgfxError<'ERR_ABORTED'> {
  constructor(message = 'the operation was cancelled', details: ErrorDetails = {}) {
    super('ERR_ABORTED', 'internal', message, details);
  }
}

// ---------------------------------------------------------------------------------------------
// Files and I/O
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_FILE_NOT_FOUND: Readonly<{ path: string }>;
  ERR_NOT_A_FILE: Readonly<{ path: string; what: string }>;
  ERR_OUTPUT_EXISTS: Readonly<{ path: string }>;
  ERR_IO: ErrorDetails;
}

/** A file named by the caller does not exist. */
export class FileNotFoundError extends RomgfxError<'ERR_FILE_NOT_FOUND'> {
  constructor(path: string, options?: { cause?: unknown }) {
    super('ERR_FILE_NOT_FOUND', 'missing', `no such file: ${path}`, { path }, options);
  }
}

/** A path names something other than a regular file (a directory, a device). */
export class NotAFileError extends RomgfxError<'ERR_NOT_A_FILE'> {
  constructor(path: string, what: string) {
    super('ERR_NOT_A_FILE', 'data', `${path} is ${what}, not a regular file`, { path, what });
  }
}

/** The output file exists and `--force` (or `force: true`) was not given; nothing was written. */
export class OutputExistsError extends RomgfxError<'ERR_OUTPUT_EXISTS'> {
  constructor(path: string) {
    super('ERR_OUTPUT_EXISTS', 'io', `${path} already exists; pass --force to overwrite it`, { path });
  }
}

/** The operating system failed a read or a write; `cause` holds its error. */
export class IoError extends RomgfxError<'ERR_IO'> {
  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super('ERR_IO', 'io', message, details, options);
  }
}

// ---------------------------------------------------------------------------------------------
// ROM access, headers, addresses
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  /** `change` says what changed (RomChangedError), or `expected` and `actual` are the SHA-1s named and found (RomIdentityMismatchError). */
  ERR_ROM_CHANGED: (Readonly<{ path: string; change: string }> & ErrorDetails) | Readonly<{ path: string; expected: string; actual: string }>;
  ERR_ROM_CLOSED: Readonly<{ name: string }>;
  ERR_ROM_EMPTY: Readonly<{ source: string }>;
  ERR_ROM_TOO_LARGE: Readonly<{ source: string; size: number; maximum: number }>;
  ERR_ROM_TOO_SMALL: Readonly<{ source: string; size: number; needed: number; what: string }>;
  ERR_UNKNOWN_PLATFORM: Readonly<{ source: string; size: number }>;
  ERR_BAD_HEADER: ErrorDetails;
  ERR_OUT_OF_RANGE: Readonly<{ what: string; offset: number; length: number; size: number }>;
  ERR_ADDRESS_NOT_MAPPED: ErrorDetails;
  ERR_ADDRESS_SYNTAX: Readonly<{ text: string }>;
  ERR_NO_CHECKSUM: Readonly<{ platform: string }>;
}

/**
 * The ROM file changed (size, modification time or inode; or pages vanished under its mapping)
 * since romgfx opened it: what was read from it cannot be trusted, so nothing is written from it.
 */
export class RomChangedError extends RomgfxError<'ERR_ROM_CHANGED'> {
  constructor(path: string, change: string, details: ErrorDetails = {}) {
    super('ERR_ROM_CHANGED', 'io', `${path} changed while romgfx was using it (${change}); nothing was written from it: run again on the file as it is now`, { path, change, ...details });
  }
}

/** A ROM handle was used after `close()`. */
export class RomClosedError extends RomgfxError<'ERR_ROM_CLOSED'> {
  constructor(name: string) {
    super('ERR_ROM_CLOSED', 'usage', `${name}: the ROM was closed; open it again`, { name });
  }
}

/** The ROM file is empty. */
export class RomEmptyError extends RomgfxError<'ERR_ROM_EMPTY'> {
  constructor(source: string) {
    super('ERR_ROM_EMPTY', 'data', `${source} is empty (0 bytes)`, { source });
  }
}

/** The ROM file is larger than romgfx opens (`maximumRomSizeInBytes`). */
export class RomTooLargeError extends RomgfxError<'ERR_ROM_TOO_LARGE'> {
  constructor(source: string, size: number, maximum: number) {
    super('ERR_ROM_TOO_LARGE', 'data', `${source} is ${size} bytes; romgfx opens ROMs up to ${maximum} bytes`, { source, size, maximum });
  }
}

/** The ROM file is too small to hold what was looked for (a header, a declared size). */
export class RomTooSmallError extends RomgfxError<'ERR_ROM_TOO_SMALL'> {
  constructor(source: string, size: number, needed: number, what: string) {
    super('ERR_ROM_TOO_SMALL', 'data', `${source} is ${size} bytes, too small for ${what} (needs ${needed})`, { source, size, needed, what });
  }
}

/** No platform header was found in the ROM; pass `platform` (or `--platform`) to say which it is. */
export class UnknownPlatformError extends RomgfxError<'ERR_UNKNOWN_PLATFORM'> {
  constructor(source: string, size: number) {
    super(
      'ERR_UNKNOWN_PLATFORM',
      'data',
      `${source} (${size} bytes) has no SNES, Game Boy, GBA, NES or Mega Drive header; pass --platform to say which it is`,
      { source, size },
    );
  }
}

/** A platform header is present but holds a value romgfx cannot use. */
export class HeaderError extends RomgfxError<'ERR_BAD_HEADER'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_BAD_HEADER', 'data', message, details);
  }
}

/** A read (offset, length) falls outside the data it reads from. */
export class OutOfRangeError extends RomgfxError<'ERR_OUT_OF_RANGE'> {
  constructor(what: string, offset: number, length: number, size: number) {
    super(
      'ERR_OUT_OF_RANGE',
      'data',
      `${what}: ${length} byte(s) at ${hex(offset)} run past the end (size ${hex(size)})`,
      { what, offset, length, size },
    );
  }
}

/** A bus address does not map to ROM under the cartridge's mapping, or an offset has no bus address. */
export class AddressNotMappedError extends RomgfxError<'ERR_ADDRESS_NOT_MAPPED'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_ADDRESS_NOT_MAPPED', 'data', message, details);
  }
}

/** An address or offset string the user typed does not parse. */
export class AddressSyntaxError extends RomgfxError<'ERR_ADDRESS_SYNTAX'> {
  constructor(text: string, why: string) {
    super('ERR_ADDRESS_SYNTAX', 'usage', `cannot read "${text}" as an address or offset: ${why}`, { text });
  }
}

/** The platform has no ROM checksum to verify or fix (NES). */
export class ChecksumNotSupportedError extends RomgfxError<'ERR_NO_CHECKSUM'> {
  constructor(platform: string) {
    super('ERR_NO_CHECKSUM', 'data', `${platform} ROMs have no checksum to verify or fix`, { platform });
  }
}

// ---------------------------------------------------------------------------------------------
// Patches (IPS, BPS)
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_PATCH_TRUNCATED: Readonly<{ format: string; what: string; offset: number; needed: number; size: number }>;
  ERR_PATCH_BAD_MAGIC: Readonly<{ expected: string; found: string }>;
  ERR_PATCH_LIMIT: ErrorDetails;
  ERR_IPS_RECORD: ErrorDetails;
  /** `expected` and `actual` are CRC32s as 0x-prefixed hex. */
  ERR_BPS_SOURCE_CRC: BpsChecksumDetails<'source'>;
  ERR_BPS_TARGET_CRC: BpsChecksumDetails<'target'>;
  ERR_BPS_PATCH_CRC: BpsChecksumDetails<'patch'>;
  ERR_BPS_SOURCE_SIZE: Readonly<{ expected: number; actual: number }>;
  ERR_BPS_VARINT_OVERFLOW: Readonly<{ offset: number }>;
  ERR_BPS_ACTION_RANGE: ErrorDetails;
}

/** `details` of the three BPS checksum codes: which checksum failed, and both CRC32s as 0x-prefixed hex. */
export type BpsChecksumDetails<W extends 'source' | 'target' | 'patch' = 'source' | 'target' | 'patch'> = Readonly<{ which: W; expected: string; actual: string }>;

/** The patch ends in the middle of a field: `needed` more byte(s) were expected at `offset`. */
export class PatchTruncatedError extends RomgfxError<'ERR_PATCH_TRUNCATED'> {
  constructor(format: string, what: string, offset: number, needed: number, size: number) {
    super(
      'ERR_PATCH_TRUNCATED',
      'data',
      `${format} patch is truncated: ${what} needs ${needed} byte(s) at ${hex(offset)} but the patch is ${size} bytes`,
      { format, what, offset, needed, size },
    );
  }
}

/** The patch does not start with a magic this format (or any supported format) has. */
export class PatchMagicError extends RomgfxError<'ERR_PATCH_BAD_MAGIC'> {
  constructor(expected: string, found: string) {
    super('ERR_PATCH_BAD_MAGIC', 'data', `expected ${expected}, but the file starts with ${found}`, { expected, found });
  }
}

/** A record, size or offset in a patch (or a file to make a patch from) is past a limit of the format or of romgfx. */
export class PatchLimitError extends RomgfxError<'ERR_PATCH_LIMIT'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_PATCH_LIMIT', 'data', message, details);
  }
}

/** An IPS record that no tool writes: an empty RLE run, a truncation that would grow the file, bytes after the end. */
export class IpsRecordError extends RomgfxError<'ERR_IPS_RECORD'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_IPS_RECORD', 'data', message, details);
  }
}

/** The code of each BPS checksum failure. */
const bpsChecksumCodes = { source: 'ERR_BPS_SOURCE_CRC', target: 'ERR_BPS_TARGET_CRC', patch: 'ERR_BPS_PATCH_CRC' } as const;

/**
 * A BPS CRC32 does not match. `which` is the checksum that failed: `source` (the patch is for a
 * different ROM), `target` (the result is not what the author made) or `patch` (the patch file
 * itself is damaged). Codes: ERR_BPS_SOURCE_CRC, ERR_BPS_TARGET_CRC, ERR_BPS_PATCH_CRC.
 */
export class BpsChecksumError extends RomgfxError<'ERR_BPS_SOURCE_CRC' | 'ERR_BPS_TARGET_CRC' | 'ERR_BPS_PATCH_CRC'> {
  readonly which: 'source' | 'target' | 'patch';
  constructor(which: 'source' | 'target' | 'patch', expected: number, actual: number) {
    const why =
      which === 'source'
        ? 'the patch was made for a different ROM (pass --ignore-checksum to apply it anyway)'
        : which === 'target'
          ? 'the patched result is not what the patch author produced'
          : 'the patch file is damaged';
    super(
      bpsChecksumCodes[which],
      'data',
      `BPS ${which} CRC32 mismatch: expected ${hex(expected >>> 0, 8)}, got ${hex(actual >>> 0, 8)}; ${why}`,
      { which, expected: hex(expected >>> 0, 8), actual: hex(actual >>> 0, 8) },
    );
    this.which = which;
  }
}

/** The ROM given to a BPS patch is not the size the patch was made from. */
export class BpsSourceSizeError extends RomgfxError<'ERR_BPS_SOURCE_SIZE'> {
  constructor(expected: number, actual: number) {
    super(
      'ERR_BPS_SOURCE_SIZE',
      'data',
      `BPS patch expects a ${expected}-byte source but the ROM is ${actual} bytes (pass --ignore-checksum to apply it anyway)`,
      { expected, actual },
    );
  }
}

/** A BPS variable-length number does not fit in a safe integer (or runs on past any sane length). */
export class BpsVarintOverflowError extends RomgfxError<'ERR_BPS_VARINT_OVERFLOW'> {
  constructor(offset: number) {
    super('ERR_BPS_VARINT_OVERFLOW', 'data', `BPS number at ${hex(offset)} overflows`, { offset });
  }
}

/** A BPS action reads outside the source or target, or writes past the target size. */
export class BpsActionRangeError extends RomgfxError<'ERR_BPS_ACTION_RANGE'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_BPS_ACTION_RANGE', 'data', message, details);
  }
}

// ---------------------------------------------------------------------------------------------
// Game definitions
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_DEFINITION: Readonly<{ source: string; field: string; problem: string }>;
  ERR_DEFINITION_NO_MATCH: Readonly<{ rom: string; definitionsChecked: number }> & ErrorDetails;
  ERR_POINTER: ErrorDetails;
  ERR_POINTERS_DISAGREE: ErrorDetails;
}

/**
 * A game definition (or a file to import one from) is malformed. `field` is a JSON-pointer-like
 * path to the offending value (`/sprites/3/offset`; empty for the whole document).
 */
export class DefinitionError extends RomgfxError<'ERR_DEFINITION'> {
  readonly field: string;
  constructor(source: string, field: string, problem: string, extraDetails: ErrorDetails = {}) {
    super('ERR_DEFINITION', 'data', `${source}: ${field === '' ? '(document)' : field}: ${problem}`, { source, field, problem, ...extraDetails });
    this.field = field;
  }
}

/** No game definition recognises the ROM. */
export class DefinitionNoMatchError extends RomgfxError<'ERR_DEFINITION_NO_MATCH'> {
  /** `compared`, when given, says what was compared (the ROM's facts against each variant) and what to do. */
  constructor(rom: string, definitionsChecked: number, compared?: { text: string; details: ErrorDetails }) {
    super('ERR_DEFINITION_NO_MATCH', 'data', `none of ${definitionsChecked} game definition(s) recognises ${rom}${compared ? `: ${compared.text}` : ''}`, { rom, definitionsChecked, ...(compared?.details ?? {}) });
  }
}

/** A pointer stored in a ROM cannot be read or written in the form its definition names. */
export class PointerError extends RomgfxError<'ERR_POINTER'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_POINTER', 'data', message, details);
  }
}

/** The pointers a definition declares to one sprite hold different addresses in this ROM. */
export class PointersDisagreeError extends RomgfxError<'ERR_POINTERS_DISAGREE'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_POINTERS_DISAGREE', 'data', message, details);
  }
}

// ---------------------------------------------------------------------------------------------
// Thumbnails (pool, caches)
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_WORKER_FAILED: ErrorDetails;
  ERR_QUEUE_FULL: Readonly<{ limit: number }>;
  ERR_CACHE_CORRUPT: Readonly<{ path: string; why: string }>;
  ERR_SERVICE_CLOSED: Readonly<Record<string, never>>;
  ERR_THUMBNAIL_REQUEST: Readonly<{ field: string }> & ErrorDetails;
}

/** A thumbnail worker died or failed outside romgfx's own error handling; only its request fails. */
export class ThumbnailWorkerError extends RomgfxError<'ERR_WORKER_FAILED'> {
  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super('ERR_WORKER_FAILED', 'internal', message, details, options);
  }
}

/** The thumbnail pool's queue is full: the caller submitted more than it can hold; retry later. */
export class QueueFullError extends RomgfxError<'ERR_QUEUE_FULL'> {
  constructor(limit: number) {
    super('ERR_QUEUE_FULL', 'internal', `the thumbnail queue is full (${limit} waiting requests); retry when some have finished`, { limit });
  }
}

/** A disk cache entry failed its check (bad magic, wrong length, checksum mismatch). Reads treat it as a miss. */
export class CacheCorruptError extends RomgfxError<'ERR_CACHE_CORRUPT'> {
  constructor(path: string, why: string) {
    super('ERR_CACHE_CORRUPT', 'data', `cache entry ${path} is corrupt: ${why}`, { path, why });
  }
}

/** The ThumbnailService was used after close(). */
export class ServiceClosedError extends RomgfxError<'ERR_SERVICE_CLOSED'> {
  constructor() {
    super('ERR_SERVICE_CLOSED', 'usage', 'the thumbnail service is closed', {});
  }
}

/** A thumbnail request is malformed or asks for more than the limits allow (field says which). */
export class ThumbnailRequestError extends RomgfxError<'ERR_THUMBNAIL_REQUEST'> {
  constructor(field: string, message: string, details: ErrorDetails = {}) {
    super('ERR_THUMBNAIL_REQUEST', 'usage', `${field}: ${message}`, { field, ...details });
  }
}

/** The ROM a request names by identity is not the file found at its path (it changed or was replaced). */
export class RomIdentityMismatchError extends RomgfxError<'ERR_ROM_CHANGED'> {
  constructor(path: string, expected: string, actual: string) {
    super('ERR_ROM_CHANGED', 'data', `${path} is no longer the ROM the request named (sha1 ${expected}, found ${actual})`, { path, expected, actual });
  }
}

// ---------------------------------------------------------------------------------------------
// Codecs (HAL, GBA BIOS family, LZ4, PB16): src/codecs/
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_HAL_TRUNCATED: Readonly<{ offset: number }> & ErrorDetails;
  ERR_HAL_OUTPUT_TOO_LARGE: Readonly<{ offset: number; outputSize: number; limit: number }>;
  ERR_HAL_COPY_PAST_END: Readonly<{ offset: number; source: number; count: number }>;
  ERR_HAL_BACKWARD_BEFORE_START: Readonly<{ offset: number; source: number; count: number }>;
  ERR_HAL_PACKED_TOO_LARGE: Readonly<{ packedSize: number; limit: number }>;
  ERR_CODEC_INPUT_TOO_LARGE: Readonly<{ codec: string; size: number; maximum: number }>;
  ERR_CODEC_OUTPUT_LIMIT: Readonly<{ codec: string; offset: number; size: number; limit: number }>;
  ERR_CODEC_TRUNCATED: Readonly<{ codec: string; offset: number }>;
  ERR_CODEC_CORRUPT: Readonly<{ codec: string; offset: number }> & ErrorDetails;
  ERR_GBA_BIOS_HEADER: Readonly<{ offset: number }> & ErrorDetails;
  ERR_LZ4_FRAME: Readonly<{ offset: number }> & ErrorDetails;
  ERR_LZ4_CHECKSUM: Readonly<{ offset: number; what: string; expected: number; actual: number }>;
  ERR_UNKNOWN_CODEC: Readonly<{ name: string; known: readonly string[]; suggestion: string | null }>;
  ERR_CODEC_OPTION: Readonly<{ codec: string }> & ErrorDetails;
}

/** A HAL stream ends before its 0xFF terminator (or before a command's operand). */
export class HalStreamTruncatedError extends RomgfxError<'ERR_HAL_TRUNCATED'> {
  constructor(offset: number, what: string, details: ErrorDetails = {}) {
    super('ERR_HAL_TRUNCATED', 'data', `HAL stream truncated at ${hex(offset)}: ${what}`, { offset, ...details });
  }
}

/** A HAL command would write output past the format's 65,536-byte limit (or the caller's smaller limit). */
export class HalOutputTooLargeError extends RomgfxError<'ERR_HAL_OUTPUT_TOO_LARGE'> {
  constructor(offset: number, outputSize: number, limit: number) {
    super('ERR_HAL_OUTPUT_TOO_LARGE', 'data', `HAL command at ${hex(offset)} would grow the output to ${outputSize} bytes, over the limit of ${limit}`, {
      offset,
      outputSize,
      limit,
    });
  }
}

/** A HAL forward or bit-reversed copy reads past output position 65,535. */
export class HalCopyOutOfRangeError extends RomgfxError<'ERR_HAL_COPY_PAST_END'> {
  constructor(offset: number, source: number, count: number) {
    super('ERR_HAL_COPY_PAST_END', 'data', `HAL copy at ${hex(offset)} reads ${count} bytes from ${hex(source)}, past output position 0xFFFF`, {
      offset,
      source,
      count,
    });
  }
}

/** A HAL backward copy reads before output position 0. */
export class HalBackwardCopyBeforeStartError extends RomgfxError<'ERR_HAL_BACKWARD_BEFORE_START'> {
  constructor(offset: number, source: number, count: number) {
    super('ERR_HAL_BACKWARD_BEFORE_START', 'data', `HAL backward copy at ${hex(offset)} reads ${count} bytes down from ${hex(source)}, before position 0`, {
      offset,
      source,
      count,
    });
  }
}

/** The HAL encoder's output would not fit the 65,535 bytes exhal (and the games) can read. */
export class HalPackedTooLargeError extends RomgfxError<'ERR_HAL_PACKED_TOO_LARGE'> {
  constructor(packedSize: number, limit: number) {
    super('ERR_HAL_PACKED_TOO_LARGE', 'data', `HAL output would be ${packedSize} bytes; the format's readers take at most ${limit}`, { packedSize, limit });
  }
}

/** Data handed to a compressor is larger than the format can hold. */
export class CodecInputTooLargeError extends RomgfxError<'ERR_CODEC_INPUT_TOO_LARGE'> {
  constructor(codec: string, size: number, maximum: number) {
    super('ERR_CODEC_INPUT_TOO_LARGE', 'data', `${codec}: input is ${size} bytes; the format holds at most ${maximum}`, { codec, size, maximum });
  }
}

/** A stream declares (or would produce) more output than the caller's limit; refused before allocating. */
export class CodecOutputLimitError extends RomgfxError<'ERR_CODEC_OUTPUT_LIMIT'> {
  constructor(codec: string, offset: number, size: number, limit: number) {
    super('ERR_CODEC_OUTPUT_LIMIT', 'data', `${codec} stream at ${hex(offset)} declares ${size} bytes of output, over the limit of ${limit}`, {
      codec,
      offset,
      size,
      limit,
    });
  }
}

/** A compressed stream (other than HAL) ends before it is complete. */
export class CodecStreamTruncatedError extends RomgfxError<'ERR_CODEC_TRUNCATED'> {
  constructor(codec: string, offset: number, what: string) {
    super('ERR_CODEC_TRUNCATED', 'data', `${codec} stream truncated at ${hex(offset)}: ${what}`, { codec, offset });
  }
}

/** A compressed stream (other than HAL) holds a value the format does not allow. */
export class CodecStreamCorruptError extends RomgfxError<'ERR_CODEC_CORRUPT'> {
  constructor(codec: string, offset: number, what: string, details: ErrorDetails = {}) {
    super('ERR_CODEC_CORRUPT', 'data', `${codec} stream corrupt at ${hex(offset)}: ${what}`, { codec, offset, ...details });
  }
}

/** The GBA BIOS header (type byte, 24-bit size) is not one the named codec decodes. */
export class GbaBiosHeaderError extends RomgfxError<'ERR_GBA_BIOS_HEADER'> {
  constructor(offset: number, what: string, details: ErrorDetails = {}) {
    super('ERR_GBA_BIOS_HEADER', 'data', `GBA BIOS header at ${hex(offset)}: ${what}`, { offset, ...details });
  }
}

/** An LZ4 frame's magic, descriptor or block sizes are invalid. */
export class Lz4FrameError extends RomgfxError<'ERR_LZ4_FRAME'> {
  constructor(offset: number, what: string, details: ErrorDetails = {}) {
    super('ERR_LZ4_FRAME', 'data', `LZ4 frame at ${hex(offset)}: ${what}`, { offset, ...details });
  }
}

/** An LZ4 frame's header, block or content checksum does not match. */
export class Lz4ChecksumError extends RomgfxError<'ERR_LZ4_CHECKSUM'> {
  constructor(offset: number, what: string, expected: number, actual: number) {
    super('ERR_LZ4_CHECKSUM', 'data', `LZ4 ${what} checksum at ${hex(offset)} is ${hex(expected, 8)}, data gives ${hex(actual, 8)}`, {
      offset,
      what,
      expected,
      actual,
    });
  }
}

/** No codec has the name the caller asked for. */
export class UnknownCodecError extends RomgfxError<'ERR_UNKNOWN_CODEC'> {
  constructor(name: string, known: readonly string[]) {
    super('ERR_UNKNOWN_CODEC', 'usage', `unknown codec "${name}"${didYouMean(name, known)}; known: ${known.join(', ')}`, { name, known, suggestion: closestName(name, known) ?? null });
  }
}

/** A codec option (level, variant, output size) is not one the codec accepts. */
export class CodecOptionError extends RomgfxError<'ERR_CODEC_OPTION'> {
  constructor(codec: string, message: string, details: ErrorDetails = {}) {
    super('ERR_CODEC_OPTION', 'usage', `${codec}: ${message}`, { codec, ...details });
  }
}

// ---------------------------------------------------------------------------------------------
// Graphics: tile formats, palettes, PNG images, arrangements, tilemaps, VRAM/CGRAM/OAM dumps
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_UNKNOWN_FORMAT: Readonly<{ name: string; known: readonly string[]; suggestion: string | null }>;
  ERR_TILE_LENGTH: ErrorDetails;
  ERR_INDEX_TOO_LARGE: ErrorDetails;
  ERR_OFF_PALETTE: ErrorDetails;
  ERR_BAD_PALETTE: ErrorDetails;
  ERR_BAD_PNG: ErrorDetails;
  ERR_IMAGE_SIZE: ErrorDetails;
  ERR_BAD_TILEMAP: ErrorDetails;
  ERR_DUMP_SIZE: Readonly<{ what: string; size: number; expected: string }>;
}

/** A tile format name that is not in the format table. */
export class UnknownTileFormatError extends RomgfxError<'ERR_UNKNOWN_FORMAT'> {
  constructor(name: string, known: readonly string[]) {
    super('ERR_UNKNOWN_FORMAT', 'usage', `unknown tile format "${name}"${didYouMean(name, known)}; known formats: ${known.join(', ')}`, { name, known, suggestion: closestName(name, known) ?? null });
  }
}

/** Tile bytes whose length is not a whole number of tiles, or a tile count that does not fit. */
export class TileDataLengthError extends RomgfxError<'ERR_TILE_LENGTH'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_TILE_LENGTH', 'data', message, details);
  }
}

/**
 * A palette index that does not fit where it must go: more than the bit depth holds, or past the
 * end of the palette. `details` names the pixel: image (x, y) and/or tile and (x, y) inside it.
 */
export class IndexOutOfRangeError extends RomgfxError<'ERR_INDEX_TOO_LARGE'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_INDEX_TOO_LARGE', 'data', message, details);
  }
}

/** RGB(A) image colours that are not in the target palette; each listed with its first pixel. */
export class OffPaletteColourError extends RomgfxError<'ERR_OFF_PALETTE'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_OFF_PALETTE', 'data', message, details);
  }
}

/** A palette file or palette bytes that do not parse. */
export class PaletteFormatError extends RomgfxError<'ERR_BAD_PALETTE'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_BAD_PALETTE', 'data', message, details);
  }
}

/** A PNG that does not decode, or that romgfx does not accept (size, colour type). */
export class PngFormatError extends RomgfxError<'ERR_BAD_PNG'> {
  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super('ERR_BAD_PNG', 'data', message, details, options);
  }
}

/** Image dimensions that do not fit the operation (not whole tiles, too large, wrong layout). */
export class ImageSizeError extends RomgfxError<'ERR_IMAGE_SIZE'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_IMAGE_SIZE', 'data', message, details);
  }
}

/** A tilemap entry or tilemap shape that cannot be rendered (tile or palette out of range). */
export class TilemapError extends RomgfxError<'ERR_BAD_TILEMAP'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_BAD_TILEMAP', 'data', message, details);
  }
}

/** A VRAM, CGRAM or OAM dump of the wrong size. */
export class DumpSizeError extends RomgfxError<'ERR_DUMP_SIZE'> {
  constructor(what: string, size: number, expected: string) {
    super('ERR_DUMP_SIZE', 'data', `${what} dump is ${size} bytes; expected ${expected}`, { what, size, expected });
  }
}

// ---------------------------------------------------------------------------------------------
// Injection (fit, relocate, repoint, verify) and batch extraction: src/inject/
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_DOES_NOT_FIT: Readonly<{ sprite: string; packedSize: number; slotSize: number; largestFreeRange: number; suggestion: string }>;
  ERR_VERIFY_FAILED: ErrorDetails;
  ERR_TILE_COUNT: Readonly<{ sprite: string; expected: number; actual: number }>;
  ERR_SPRITE_NOT_FOUND: Readonly<{ sprite: string; where: string }>;
  ERR_CODEC_CANNOT_COMPRESS: Readonly<{ sprite: string; codec: string }>;
  ERR_INJECTION_CONFLICT: ErrorDetails;
  ERR_SIDECAR: Readonly<{ path: string; field: string; problem: string }>;
  /** `failures`: each item's own error, as JSON (`RomgfxError.fromJSON` rebuilds one). */
  ERR_BATCH_FAILED: Readonly<{ failures?: readonly RomgfxErrorJson[] }> & ErrorDetails;
}

/**
 * A re-packed block does not fit its slot and cannot be relocated (no pointers declared, no
 * free range large enough). `details` gives both sizes, the free space there is and what would help.
 */
export class InjectionDoesNotFitError extends RomgfxError<'ERR_DOES_NOT_FIT'> {
  constructor(sprite: string, packedSize: number, slotSize: number, largestFreeRange: number, suggestion: string) {
    super(
      'ERR_DOES_NOT_FIT',
      'data',
      `sprite "${sprite}" packs to ${packedSize} bytes but its slot holds ${slotSize} (largest usable free range: ${largestFreeRange} bytes); ${suggestion}`,
      { sprite, packedSize, slotSize, largestFreeRange, suggestion },
    );
  }
}

/** The output failed its check: a block does not decode to the intended tiles, or a pointer does not point at it. */
export class VerifyFailedError extends RomgfxError<'ERR_VERIFY_FAILED'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_VERIFY_FAILED', 'internal', `verification failed, nothing written: ${message}`, details);
  }
}

/** The edited image holds a different number of tiles than the block it replaces (pass --allow-resize to accept). */
export class TileCountMismatchError extends RomgfxError<'ERR_TILE_COUNT'> {
  constructor(sprite: string, expected: number, actual: number, detail: string) {
    super('ERR_TILE_COUNT', 'data', `sprite "${sprite}": the image ${detail} holds ${actual} tile(s), the ROM block ${expected}; pass --allow-resize to change the size`, {
      sprite,
      expected,
      actual,
    });
  }
}

/** A sprite name that the game definition (or the batch folder) does not have. */
export class SpriteNotFoundError extends RomgfxError<'ERR_SPRITE_NOT_FOUND'> {
  constructor(sprite: string, where: string) {
    super('ERR_SPRITE_NOT_FOUND', 'usage', `no sprite named "${sprite}" in ${where}`, { sprite, where });
  }
}

/** The sprite's block cannot be re-packed: its codec only decodes (GBA Huffman, diff filters). */
export class CodecCannotCompressError extends RomgfxError<'ERR_CODEC_CANNOT_COMPRESS'> {
  constructor(sprite: string, codec: string) {
    super('ERR_CODEC_CANNOT_COMPRESS', 'data', `sprite "${sprite}" is stored with ${codec}, which romgfx can decode but not encode; it cannot be injected`, { sprite, codec });
  }
}

/** Two edits (or an edit and another sprite's block) would write the same ROM bytes. */
export class InjectionConflictError extends RomgfxError<'ERR_INJECTION_CONFLICT'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_INJECTION_CONFLICT', 'data', message, details);
  }
}

/** A sidecar JSON written by extract-all is malformed (field says which). */
export class SidecarError extends RomgfxError<'ERR_SIDECAR'> {
  constructor(path: string, field: string, problem: string) {
    super('ERR_SIDECAR', 'data', `${path}: ${field}: ${problem}`, { path, field, problem });
  }
}

/** Some items of a batch failed; each failure is listed in `details.failures`. */
export class BatchFailedError extends RomgfxError<'ERR_BATCH_FAILED'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_BATCH_FAILED', 'data', message, details);
  }
}

// ---------------------------------------------------------------------------------------------
// Nintendo-family codecs: src/codecs/nintendo/
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_CODEC_PACKED_TOO_LARGE: Readonly<{ codec: string; size: number; maximum: number }>;
  ERR_PIC_DIMENSIONS: Readonly<{ size: number }>;
}

/** An encoder's stream would not fit the format's own size field (konami1: a 16-bit total size). */
export class CodecPackedTooLargeError extends RomgfxError<'ERR_CODEC_PACKED_TOO_LARGE'> {
  constructor(codec: string, size: number, maximum: number) {
    super('ERR_CODEC_PACKED_TOO_LARGE', 'data', `${codec}: the compressed stream would be ${size} bytes; the format's size field holds at most ${maximum}`, {
      codec,
      size,
      maximum,
    });
  }
}

/** gen1-pic encodes square pictures of 1-15 × 1-15 tiles (16 bytes of 2bpp each); the input is not one. */
export class PicDimensionsError extends RomgfxError<'ERR_PIC_DIMENSIONS'> {
  constructor(size: number) {
    super('ERR_PIC_DIMENSIONS', 'data', `gen1-pic: ${size} bytes is not a square picture of N×N 2bpp tiles (N = 1-15, 16·N² bytes)`, { size });
  }
}

// ---------------------------------------------------------------------------------------------
// Sega codecs (Nemesis, Kosinski, Kosinski Moduled, Enigma): src/codecs/sega/
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_CODEC_INPUT_SIZE: Readonly<{ codec: string; size: number; rule: string }>;
}

/**
 * Data handed to a Sega compressor has a size its format cannot describe: Nemesis holds whole
 * 32-byte tiles, Enigma whole 16-bit words, and a Kosinski Moduled header cannot say 0xA000.
 */
export class CodecInputSizeError extends RomgfxError<'ERR_CODEC_INPUT_SIZE'> {
  constructor(codec: string, size: number, rule: string) {
    super('ERR_CODEC_INPUT_SIZE', 'data', `${codec}: input is ${size} bytes; ${rule}`, { codec, size, rule });
  }
}

// ---------------------------------------------------------------------------------------------
// Image conversion (PNG ⇄ deduplicated tiles + map + sub-palettes): src/convert/
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_CONVERT_OPTION: Readonly<{ field: string }> & ErrorDetails;
  ERR_TILE_COLOURS: ErrorDetails;
  ERR_TOO_MANY_PALETTES: ErrorDetails;
  ERR_TOO_MANY_TILES: ErrorDetails;
  ERR_COLOUR_NOT_REPRESENTABLE: ErrorDetails;
}

/** A convert option is malformed or does not apply to the target (bpp, counts, bases, map format); `field` names it. */
export class ConvertOptionError extends RomgfxError<'ERR_CONVERT_OPTION'> {
  constructor(field: string, message: string, details: ErrorDetails = {}) {
    super('ERR_CONVERT_OPTION', 'usage', `${field}: ${message}`, { field, ...details });
  }
}

/** One tile holds more colours than a sub-palette can; `details` names the tile (x, y in pixels) and its colours. */
export class TileColourCountError extends RomgfxError<'ERR_TILE_COLOURS'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_TILE_COLOURS', 'data', message, details);
  }
}

/** The tiles' colour sets need more sub-palettes than the target has; `details` names a tile that did not fit and its colours. */
export class PaletteCountError extends RomgfxError<'ERR_TOO_MANY_PALETTES'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_TOO_MANY_PALETTES', 'data', message, details);
  }
}

/** More distinct tiles than the map entry's tile index can address; `details` names the first tile past the limit. */
export class TileCountError extends RomgfxError<'ERR_TOO_MANY_TILES'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_TOO_MANY_TILES', 'data', message, details);
  }
}

/** A colour the target cannot show exactly (not in the NES master palette, not in a given palette); never quantised. */
export class ColourNotRepresentableError extends RomgfxError<'ERR_COLOUR_NOT_REPRESENTABLE'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_COLOUR_NOT_REPRESENTABLE', 'data', message, details);
  }
}

// ---------------------------------------------------------------------------------------------
// Mega Drive codecs: Saxman, Comper, SGDK LZ4W (src/codecs/sega/)
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_CODEC_INPUT_SHAPE: Readonly<{ codec: string; size: number }>;
  ERR_CODEC_UNSUPPORTED: Readonly<{ codec: string; offset: number }> & ErrorDetails;
}

/** Data handed to a compressor has a shape the format cannot hold (Comper or a 16-bit diff filter given an odd number of bytes). */
export class CodecInputShapeError extends RomgfxError<'ERR_CODEC_INPUT_SHAPE'> {
  constructor(codec: string, size: number, what: string) {
    super('ERR_CODEC_INPUT_SHAPE', 'data', `${codec}: input is ${size} bytes; ${what}`, { codec, size });
  }
}

/** A stream uses a feature of its format that romgfx does not decode (LZ4W's previous-data-block matches). */
export class CodecFeatureUnsupportedError extends RomgfxError<'ERR_CODEC_UNSUPPORTED'> {
  constructor(codec: string, offset: number, what: string, details: ErrorDetails = {}) {
    super('ERR_CODEC_UNSUPPORTED', 'data', `${codec} stream at ${hex(offset)} uses an unsupported feature: ${what}`, { codec, offset, ...details });
  }
}

// ---------------------------------------------------------------------------------------------
// File safety: outputs, in-place writes, locks, definition-relative files (src/util/files.ts)
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_OUTPUT_IS_INPUT: Readonly<{ output: string; input: string }>;
  ERR_FILE_LOCKED: Readonly<{ path: string; lockPath: string; pid: number | null }>;
  ERR_FILE_CHANGED: Readonly<{ path: string; what: string }>;
  ERR_DEFINITION_PATH: Readonly<{ source: string; field: string; path: string; problem: string }>;
  ERR_CHECKSUM_INVALID: Readonly<{ rom: string }> & ErrorDetails;
  ERR_SOURCE_CRC_MISMATCH: Readonly<{ rom: string; expected: string; actual: string }>;
  ERR_PATCH_COPIER_HEADER: Readonly<{ rom: string; headerSize: number }>;
}

/** An output path names one of the command's inputs (the same file, a link to it or a hard link). */
export class OutputIsInputError extends RomgfxError<'ERR_OUTPUT_IS_INPUT'> {
  constructor(output: string, input: string) {
    super(
      'ERR_OUTPUT_IS_INPUT',
      'usage',
      `${output} is the input ${input} (the same file): romgfx never overwrites an input, --force or not; write elsewhere, or use --in-place where the command has it (it keeps a backup)`,
      { output, input },
    );
  }
}

/** Another romgfx process holds the write lock of a file that is about to be replaced in place. */
export class FileLockedError extends RomgfxError<'ERR_FILE_LOCKED'> {
  constructor(path: string, lockPath: string, pid: number | null) {
    super(
      'ERR_FILE_LOCKED',
      'io',
      `${path} is being written by another romgfx process${pid === null ? '' : ` (pid ${pid})`}; nothing was written: try again when it has finished (lock ${lockPath})`,
      { path, lockPath, pid },
    );
  }
}

/** A file changed on disk between being read and being replaced in place: writing would lose that change. */
export class FileChangedError extends RomgfxError<'ERR_FILE_CHANGED'> {
  constructor(path: string, what: string) {
    super('ERR_FILE_CHANGED', 'io', `${path} changed since romgfx read it (${what}); nothing was written: run the command again on the new file`, { path, what });
  }
}

/** A path inside a definition (a palette `file`) leaves the definition's folder or is not a relative path. */
export class DefinitionPathError extends RomgfxError<'ERR_DEFINITION_PATH'> {
  constructor(source: string, field: string, path: string, problem: string) {
    super('ERR_DEFINITION_PATH', 'data', `${source}: ${field}: ${JSON.stringify(path)} ${problem}; a definition may only name files inside its own folder, by a relative path`, {
      source,
      field,
      path,
      problem,
    });
  }
}

/** A ROM's checksum is invalid (`romgfx checksum` reports it and exits 65 so scripts can test it). */
export class ChecksumInvalidError extends RomgfxError<'ERR_CHECKSUM_INVALID'> {
  constructor(rom: string, details: ErrorDetails = {}) {
    super('ERR_CHECKSUM_INVALID', 'data', `${rom}: the checksum is invalid (romgfx checksum --fix -o <out> writes a corrected copy)`, { rom, ...details });
  }
}

/** The ROM does not have the CRC-32 the caller expects (`patch apply --expect-crc32`). */
export class SourceCrcMismatchError extends RomgfxError<'ERR_SOURCE_CRC_MISMATCH'> {
  constructor(rom: string, expected: number, actual: number) {
    super('ERR_SOURCE_CRC_MISMATCH', 'data', `${rom} has CRC-32 ${hex(actual >>> 0, 8)}, not the expected ${hex(expected >>> 0, 8)}: it is not the ROM the patch was made for`, {
      rom,
      expected: hex(expected >>> 0, 8),
      actual: hex(actual >>> 0, 8),
    });
  }
}

/** A patch was made for the ROM without its copier header: the user must say whether to strip or keep the header. */
export class CopierHeaderPatchError extends RomgfxError<'ERR_PATCH_COPIER_HEADER'> {
  constructor(rom: string, headerSize: number) {
    super(
      'ERR_PATCH_COPIER_HEADER',
      'data',
      `${rom} has a ${headerSize}-byte copier header, and the patch was made for the ROM without it: pass --strip-header (write the patched ROM without the header) or --keep-header (patch the data, keep the header in front)`,
      { rom, headerSize },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Injection safety (a write reaches only bytes the ROM's own data gives it): src/inject/check.ts
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_STORED_LENGTH: Readonly<{ source: string; sprite: string; offset: number; storedLength: number; slotLength: number }>;
  ERR_DEFINITION_CHECK: Readonly<{ source: string; problems: readonly { kind: string; message: string }[] }>;
  ERR_PADDING_NOT_BLANK: Readonly<{ sprite: string; tileCount: number; tiles: readonly number[] }>;
  ERR_WRITE_OUTSIDE_SLOT: ErrorDetails;
}

/** A sprite's declared `storedLength` is larger than the slot decoding its block says it occupies. */
export class StoredLengthError extends RomgfxError<'ERR_STORED_LENGTH'> {
  constructor(source: string, sprite: string, offset: number, storedLength: number, slotLength: number) {
    super(
      'ERR_STORED_LENGTH',
      'data',
      `${source}: sprite "${sprite}": storedLength ${storedLength} bytes, but the block at ${hex(offset)} occupies ${slotLength}; a larger slot would overwrite what follows it — give the real length, and declare any spare bytes after it as freeSpace`,
      { source, sprite, offset, storedLength, slotLength },
    );
  }
}

/**
 * A game definition contradicts the ROM it is used with: sprites or pointers that overlap, free
 * space over a sprite or a pointer, a declared length the block does not have. `details.problems`
 * lists each with its offsets (what `romgfx defs check` prints).
 */
export class DefinitionCheckFailedError extends RomgfxError<'ERR_DEFINITION_CHECK'> {
  constructor(source: string, problems: readonly { kind: string; message: string }[]) {
    super('ERR_DEFINITION_CHECK', 'data', `${source}: ${problems.length} problem(s) against this ROM; nothing was written:\n${problems.map((p) => `  ${p.message}`).join('\n')}`, {
      source,
      problems,
    });
  }
}

/** Padding tiles of an image (cells past the block's tile count) are not blank: they would be lost. */
export class PaddingNotBlankError extends RomgfxError<'ERR_PADDING_NOT_BLANK'> {
  constructor(sprite: string, tileCount: number, tiles: readonly number[]) {
    super(
      'ERR_PADDING_NOT_BLANK',
      'data',
      `sprite "${sprite}": the block holds ${tileCount} tile(s), but padding tile(s) ${tiles.slice(0, 16).join(', ')}${tiles.length > 16 ? ', …' : ''} of the image are drawn on; draw inside the first ${tileCount}, or pass --allow-resize to make every tile of the image part of the block`,
      { sprite, tileCount, tiles },
    );
  }
}

/** A planned write reaches a byte the ROM's data does not give it (a bug in the planner: nothing is written). */
export class WriteOutsideSlotError extends RomgfxError<'ERR_WRITE_OUTSIDE_SLOT'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_WRITE_OUTSIDE_SLOT', 'internal', message, details);
  }
}

// ---------------------------------------------------------------------------------------------
// Web server (`romgfx serve`): src/serve/
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_SERVE_PARAMETER: Readonly<{ field: string }> & ErrorDetails;
  ERR_SERVE_NOT_FOUND: ErrorDetails;
  ERR_SERVE_FORBIDDEN: ErrorDetails;
  ERR_SERVE_BODY_TOO_LARGE: Readonly<{ limitInBytes: number }> & ErrorDetails;
  ERR_SERVE_METHOD: Readonly<{ method: string; path: string; allowed: readonly string[] }>;
}

/** An HTTP request parameter is missing or malformed; `field` names it. Answered 400. */
export class ServeParameterError extends RomgfxError<'ERR_SERVE_PARAMETER'> {
  constructor(field: string, message: string, details: ErrorDetails = {}) {
    super('ERR_SERVE_PARAMETER', 'usage', `${field}: ${message}`, { field, ...details });
  }
}

/** The request names a ROM, definition, sprite, scan or file the server does not serve. Answered 404. */
export class ServeNotFoundError extends RomgfxError<'ERR_SERVE_NOT_FOUND'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_SERVE_NOT_FOUND', 'missing', message, details);
  }
}

/** A state-changing request without the server's token, or from another origin. Answered 403. */
export class ServeForbiddenError extends RomgfxError<'ERR_SERVE_FORBIDDEN'> {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_SERVE_FORBIDDEN', 'usage', message, details);
  }
}

/** A request body longer than the server accepts. Answered 413. */
export class ServeBodyTooLargeError extends RomgfxError<'ERR_SERVE_BODY_TOO_LARGE'> {
  constructor(limitInBytes: number, details: ErrorDetails = {}) {
    super('ERR_SERVE_BODY_TOO_LARGE', 'usage', `the request body is larger than ${limitInBytes} bytes`, { limitInBytes, ...details });
  }
}

/** The method is not one the route answers. Answered 405. */
export class ServeMethodError extends RomgfxError<'ERR_SERVE_METHOD'> {
  constructor(method: string, path: string, allowed: readonly string[]) {
    super('ERR_SERVE_METHOD', 'usage', `${method} is not allowed on ${path} (allowed: ${allowed.join(', ')})`, { method, path, allowed });
  }
}

// ---------------------------------------------------------------------------------------------
// Scanner: src/scan/
// ---------------------------------------------------------------------------------------------

// This section's codes and what their `details` hold (merged into the registry above).
export interface RomgfxErrorDetailsByCode {
  ERR_SCAN_OPTION: Readonly<{ field: string }> & ErrorDetails;
  ERR_SCAN_WORKER_FAILED: ErrorDetails;
}

/** A scan option is malformed (bad range, unknown codec, out-of-range size or score); `field` names it. */
export class ScanOptionError extends RomgfxError<'ERR_SCAN_OPTION'> {
  constructor(field: string, message: string, details: ErrorDetails = {}) {
    super('ERR_SCAN_OPTION', 'usage', `${field}: ${message}`, { field, ...details });
  }
}

/** A scan worker died or failed outside romgfx's own error handling. */
export class ScanWorkerError extends RomgfxError<'ERR_SCAN_WORKER_FAILED'> {
  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super('ERR_SCAN_WORKER_FAILED', 'internal', message, details, options);
  }
}
