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

export type ErrorDetails = Readonly<Record<string, unknown>>;

export class RomgfxError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  readonly details: ErrorDetails;

  constructor(code: string, category: ErrorCategory, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.category = category;
    this.details = details;
  }

  /** The JSON error object the CLI prints with `--json`. */
  toJSON(): { error: { name: string; code: string; category: ErrorCategory; message: string; details: ErrorDetails } } {
    return { error: { name: this.name, code: this.code, category: this.category, message: this.message, details: this.details } };
  }
}

export function isRomgfxError(value: unknown): value is RomgfxError {
  return value instanceof RomgfxError;
}

/** Hex with a `0x` prefix, for messages: offsets read better in hex. */
export function hex(value: number, width = 0): string {
  return '0x' + value.toString(16).toUpperCase().padStart(width, '0');
}

// ---------------------------------------------------------------------------------------------
// General
// ---------------------------------------------------------------------------------------------

export class UsageError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_USAGE', 'usage', message, details);
  }
}

export class InternalError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super('ERR_INTERNAL', 'internal', message, details, options);
  }
}

/** A value in the caller's request (not in a file) is outside what the operation accepts. */
export class InvalidArgumentError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_INVALID_ARGUMENT', 'usage', message, details);
  }
}

/** The operation was cancelled through its `AbortSignal`. */
export class AbortedError extends RomgfxError {
  constructor(message = 'the operation was cancelled', details: ErrorDetails = {}) {
    super('ERR_ABORTED', 'internal', message, details);
  }
}

// ---------------------------------------------------------------------------------------------
// Files and I/O
// ---------------------------------------------------------------------------------------------

export class FileNotFoundError extends RomgfxError {
  constructor(path: string, options?: { cause?: unknown }) {
    super('ERR_FILE_NOT_FOUND', 'missing', `no such file: ${path}`, { path }, options);
  }
}

export class NotAFileError extends RomgfxError {
  constructor(path: string, what: string) {
    super('ERR_NOT_A_FILE', 'data', `${path} is ${what}, not a regular file`, { path, what });
  }
}

export class OutputExistsError extends RomgfxError {
  constructor(path: string) {
    super('ERR_OUTPUT_EXISTS', 'io', `${path} already exists; pass --force to overwrite it`, { path });
  }
}

export class IoError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super('ERR_IO', 'io', message, details, options);
  }
}

// ---------------------------------------------------------------------------------------------
// ROM access, headers, addresses
// ---------------------------------------------------------------------------------------------

export class RomEmptyError extends RomgfxError {
  constructor(source: string) {
    super('ERR_ROM_EMPTY', 'data', `${source} is empty (0 bytes)`, { source });
  }
}

export class RomTooLargeError extends RomgfxError {
  constructor(source: string, size: number, maximum: number) {
    super('ERR_ROM_TOO_LARGE', 'data', `${source} is ${size} bytes; romgfx opens ROMs up to ${maximum} bytes`, { source, size, maximum });
  }
}

export class RomTooSmallError extends RomgfxError {
  constructor(source: string, size: number, needed: number, what: string) {
    super('ERR_ROM_TOO_SMALL', 'data', `${source} is ${size} bytes, too small for ${what} (needs ${needed})`, { source, size, needed, what });
  }
}

export class UnknownPlatformError extends RomgfxError {
  constructor(source: string, size: number) {
    super(
      'ERR_UNKNOWN_PLATFORM',
      'data',
      `${source} (${size} bytes) has no SNES, Game Boy, GBA, NES or Mega Drive header; pass --platform to say which it is`,
      { source, size },
    );
  }
}

export class HeaderError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_BAD_HEADER', 'data', message, details);
  }
}

/** A read (offset, length) falls outside the data it reads from. */
export class OutOfRangeError extends RomgfxError {
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
export class AddressNotMappedError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_ADDRESS_NOT_MAPPED', 'data', message, details);
  }
}

/** An address or offset string the user typed does not parse. */
export class AddressSyntaxError extends RomgfxError {
  constructor(text: string, why: string) {
    super('ERR_ADDRESS_SYNTAX', 'usage', `cannot read "${text}" as an address or offset: ${why}`, { text });
  }
}

export class ChecksumNotSupportedError extends RomgfxError {
  constructor(platform: string) {
    super('ERR_NO_CHECKSUM', 'data', `${platform} ROMs have no checksum to verify or fix`, { platform });
  }
}
