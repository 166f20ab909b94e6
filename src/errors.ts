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

/**
 * The ROM file changed (size, modification time or inode; or pages vanished under its mapping)
 * since romgfx opened it: what was read from it cannot be trusted, so nothing is written from it.
 */
export class RomChangedError extends RomgfxError {
  constructor(path: string, change: string, details: ErrorDetails = {}) {
    super('ERR_ROM_CHANGED', 'io', `${path} changed while romgfx was using it (${change}); nothing was written from it: run again on the file as it is now`, { path, change, ...details });
  }
}

/** A ROM handle was used after `close()`. */
export class RomClosedError extends RomgfxError {
  constructor(name: string) {
    super('ERR_ROM_CLOSED', 'usage', `${name}: the ROM was closed; open it again`, { name });
  }
}

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

// ---------------------------------------------------------------------------------------------
// Patches (IPS, BPS)
// ---------------------------------------------------------------------------------------------

/** The patch ends in the middle of a field: `needed` more byte(s) were expected at `offset`. */
export class PatchTruncatedError extends RomgfxError {
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
export class PatchMagicError extends RomgfxError {
  constructor(expected: string, found: string) {
    super('ERR_PATCH_BAD_MAGIC', 'data', `expected ${expected}, but the file starts with ${found}`, { expected, found });
  }
}

/** A record, size or offset in a patch (or a file to make a patch from) is past a limit of the format or of romgfx. */
export class PatchLimitError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_PATCH_LIMIT', 'data', message, details);
  }
}

/** An IPS record that no tool writes: an empty RLE run, a truncation that would grow the file, bytes after the end. */
export class IpsRecordError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_IPS_RECORD', 'data', message, details);
  }
}

/**
 * A BPS CRC32 does not match. `which` is the checksum that failed: `source` (the patch is for a
 * different ROM), `target` (the result is not what the author made) or `patch` (the patch file
 * itself is damaged). Codes: ERR_BPS_SOURCE_CRC, ERR_BPS_TARGET_CRC, ERR_BPS_PATCH_CRC.
 */
export class BpsChecksumError extends RomgfxError {
  readonly which: 'source' | 'target' | 'patch';
  constructor(which: 'source' | 'target' | 'patch', expected: number, actual: number) {
    const why =
      which === 'source'
        ? 'the patch was made for a different ROM (pass --ignore-checksum to apply it anyway)'
        : which === 'target'
          ? 'the patched result is not what the patch author produced'
          : 'the patch file is damaged';
    super(
      `ERR_BPS_${which.toUpperCase()}_CRC`,
      'data',
      `BPS ${which} CRC32 mismatch: expected ${hex(expected >>> 0, 8)}, got ${hex(actual >>> 0, 8)}; ${why}`,
      { which, expected: hex(expected >>> 0, 8), actual: hex(actual >>> 0, 8) },
    );
    this.which = which;
  }
}

/** The ROM given to a BPS patch is not the size the patch was made from. */
export class BpsSourceSizeError extends RomgfxError {
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
export class BpsVarintOverflowError extends RomgfxError {
  constructor(offset: number) {
    super('ERR_BPS_VARINT_OVERFLOW', 'data', `BPS number at ${hex(offset)} overflows`, { offset });
  }
}

/** A BPS action reads outside the source or target, or writes past the target size. */
export class BpsActionRangeError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_BPS_ACTION_RANGE', 'data', message, details);
  }
}

// ---------------------------------------------------------------------------------------------
// Game definitions
// ---------------------------------------------------------------------------------------------

/**
 * A game definition (or a file to import one from) is malformed. `field` is a JSON-pointer-like
 * path to the offending value (`/sprites/3/offset`; empty for the whole document).
 */
export class DefinitionError extends RomgfxError {
  readonly field: string;
  constructor(source: string, field: string, problem: string) {
    super('ERR_DEFINITION', 'data', `${source}: ${field === '' ? '(document)' : field}: ${problem}`, { source, field, problem });
    this.field = field;
  }
}

/** No game definition recognises the ROM. */
export class DefinitionNoMatchError extends RomgfxError {
  constructor(rom: string, definitionsChecked: number) {
    super('ERR_DEFINITION_NO_MATCH', 'data', `none of ${definitionsChecked} game definition(s) recognises ${rom}`, { rom, definitionsChecked });
  }
}

/** A pointer stored in a ROM cannot be read or written in the form its definition names. */
export class PointerError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_POINTER', 'data', message, details);
  }
}

/** The pointers a definition declares to one sprite hold different addresses in this ROM. */
export class PointersDisagreeError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_POINTERS_DISAGREE', 'data', message, details);
  }
}

// ---------------------------------------------------------------------------------------------
// Thumbnails (pool, caches)
// ---------------------------------------------------------------------------------------------

/** A thumbnail worker died or failed outside romgfx's own error handling; only its request fails. */
export class ThumbnailWorkerError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super('ERR_WORKER_FAILED', 'internal', message, details, options);
  }
}

/** The thumbnail pool's queue is full: the caller submitted more than it can hold; retry later. */
export class QueueFullError extends RomgfxError {
  constructor(limit: number) {
    super('ERR_QUEUE_FULL', 'internal', `the thumbnail queue is full (${limit} waiting requests); retry when some have finished`, { limit });
  }
}

/** A disk cache entry failed its check (bad magic, wrong length, checksum mismatch). Reads treat it as a miss. */
export class CacheCorruptError extends RomgfxError {
  constructor(path: string, why: string) {
    super('ERR_CACHE_CORRUPT', 'data', `cache entry ${path} is corrupt: ${why}`, { path, why });
  }
}

/** The ThumbnailService was used after close(). */
export class ServiceClosedError extends RomgfxError {
  constructor() {
    super('ERR_SERVICE_CLOSED', 'usage', 'the thumbnail service is closed');
  }
}

/** A thumbnail request is malformed or asks for more than the limits allow (field says which). */
export class ThumbnailRequestError extends RomgfxError {
  constructor(field: string, message: string, details: ErrorDetails = {}) {
    super('ERR_THUMBNAIL_REQUEST', 'usage', `${field}: ${message}`, { field, ...details });
  }
}

/** The ROM a request names by identity is not the file found at its path (it changed or was replaced). */
export class RomIdentityMismatchError extends RomgfxError {
  constructor(path: string, expected: string, actual: string) {
    super('ERR_ROM_CHANGED', 'data', `${path} is no longer the ROM the request named (sha1 ${expected}, found ${actual})`, { path, expected, actual });
  }
}

// ---------------------------------------------------------------------------------------------
// Codecs (HAL, GBA BIOS family, LZ4, PB16): src/codecs/
// ---------------------------------------------------------------------------------------------

/** A HAL stream ends before its 0xFF terminator (or before a command's operand). */
export class HalStreamTruncatedError extends RomgfxError {
  constructor(offset: number, what: string, details: ErrorDetails = {}) {
    super('ERR_HAL_TRUNCATED', 'data', `HAL stream truncated at ${hex(offset)}: ${what}`, { offset, ...details });
  }
}

/** A HAL command would write output past the format's 65,536-byte limit (or the caller's smaller limit). */
export class HalOutputTooLargeError extends RomgfxError {
  constructor(offset: number, outputSize: number, limit: number) {
    super('ERR_HAL_OUTPUT_TOO_LARGE', 'data', `HAL command at ${hex(offset)} would grow the output to ${outputSize} bytes, over the limit of ${limit}`, {
      offset,
      outputSize,
      limit,
    });
  }
}

/** A HAL forward or bit-reversed copy reads past output position 65,535. */
export class HalCopyOutOfRangeError extends RomgfxError {
  constructor(offset: number, source: number, count: number) {
    super('ERR_HAL_COPY_PAST_END', 'data', `HAL copy at ${hex(offset)} reads ${count} bytes from ${hex(source)}, past output position 0xFFFF`, {
      offset,
      source,
      count,
    });
  }
}

/** A HAL backward copy reads before output position 0. */
export class HalBackwardCopyBeforeStartError extends RomgfxError {
  constructor(offset: number, source: number, count: number) {
    super('ERR_HAL_BACKWARD_BEFORE_START', 'data', `HAL backward copy at ${hex(offset)} reads ${count} bytes down from ${hex(source)}, before position 0`, {
      offset,
      source,
      count,
    });
  }
}

/** The HAL encoder's output would not fit the 65,535 bytes exhal (and the games) can read. */
export class HalPackedTooLargeError extends RomgfxError {
  constructor(packedSize: number, limit: number) {
    super('ERR_HAL_PACKED_TOO_LARGE', 'data', `HAL output would be ${packedSize} bytes; the format's readers take at most ${limit}`, { packedSize, limit });
  }
}

/** Data handed to a compressor is larger than the format can hold. */
export class CodecInputTooLargeError extends RomgfxError {
  constructor(codec: string, size: number, maximum: number) {
    super('ERR_CODEC_INPUT_TOO_LARGE', 'data', `${codec}: input is ${size} bytes; the format holds at most ${maximum}`, { codec, size, maximum });
  }
}

/** A stream declares (or would produce) more output than the caller's limit; refused before allocating. */
export class CodecOutputLimitError extends RomgfxError {
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
export class CodecStreamTruncatedError extends RomgfxError {
  constructor(codec: string, offset: number, what: string) {
    super('ERR_CODEC_TRUNCATED', 'data', `${codec} stream truncated at ${hex(offset)}: ${what}`, { codec, offset });
  }
}

/** A compressed stream (other than HAL) holds a value the format does not allow. */
export class CodecStreamCorruptError extends RomgfxError {
  constructor(codec: string, offset: number, what: string, details: ErrorDetails = {}) {
    super('ERR_CODEC_CORRUPT', 'data', `${codec} stream corrupt at ${hex(offset)}: ${what}`, { codec, offset, ...details });
  }
}

/** The GBA BIOS header (type byte, 24-bit size) is not one the named codec decodes. */
export class GbaBiosHeaderError extends RomgfxError {
  constructor(offset: number, what: string, details: ErrorDetails = {}) {
    super('ERR_GBA_BIOS_HEADER', 'data', `GBA BIOS header at ${hex(offset)}: ${what}`, { offset, ...details });
  }
}

/** An LZ4 frame's magic, descriptor or block sizes are invalid. */
export class Lz4FrameError extends RomgfxError {
  constructor(offset: number, what: string, details: ErrorDetails = {}) {
    super('ERR_LZ4_FRAME', 'data', `LZ4 frame at ${hex(offset)}: ${what}`, { offset, ...details });
  }
}

/** An LZ4 frame's header, block or content checksum does not match. */
export class Lz4ChecksumError extends RomgfxError {
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
export class UnknownCodecError extends RomgfxError {
  constructor(name: string, known: readonly string[]) {
    super('ERR_UNKNOWN_CODEC', 'usage', `unknown codec "${name}"; known: ${known.join(', ')}`, { name, known });
  }
}

/** A codec option (level, variant, output size) is not one the codec accepts. */
export class CodecOptionError extends RomgfxError {
  constructor(codec: string, message: string, details: ErrorDetails = {}) {
    super('ERR_CODEC_OPTION', 'usage', `${codec}: ${message}`, { codec, ...details });
  }
}

// ---------------------------------------------------------------------------------------------
// Graphics: tile formats, palettes, PNG images, arrangements, tilemaps, VRAM/CGRAM/OAM dumps
// ---------------------------------------------------------------------------------------------

/** A tile format name that is not in the format table. */
export class UnknownTileFormatError extends RomgfxError {
  constructor(name: string, known: readonly string[]) {
    super('ERR_UNKNOWN_FORMAT', 'usage', `unknown tile format "${name}"; known formats: ${known.join(', ')}`, { name, known });
  }
}

/** Tile bytes whose length is not a whole number of tiles, or a tile count that does not fit. */
export class TileDataLengthError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_TILE_LENGTH', 'data', message, details);
  }
}

/**
 * A palette index that does not fit where it must go: more than the bit depth holds, or past the
 * end of the palette. `details` names the pixel: image (x, y) and/or tile and (x, y) inside it.
 */
export class IndexOutOfRangeError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_INDEX_TOO_LARGE', 'data', message, details);
  }
}

/** RGB(A) image colours that are not in the target palette; each listed with its first pixel. */
export class OffPaletteColourError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_OFF_PALETTE', 'data', message, details);
  }
}

/** A palette file or palette bytes that do not parse. */
export class PaletteFormatError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_BAD_PALETTE', 'data', message, details);
  }
}

/** A PNG that does not decode, or that romgfx does not accept (size, colour type). */
export class PngFormatError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super('ERR_BAD_PNG', 'data', message, details, options);
  }
}

/** Image dimensions that do not fit the operation (not whole tiles, too large, wrong layout). */
export class ImageSizeError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_IMAGE_SIZE', 'data', message, details);
  }
}

/** A tilemap entry or tilemap shape that cannot be rendered (tile or palette out of range). */
export class TilemapError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_BAD_TILEMAP', 'data', message, details);
  }
}

/** A VRAM, CGRAM or OAM dump of the wrong size. */
export class DumpSizeError extends RomgfxError {
  constructor(what: string, size: number, expected: string) {
    super('ERR_DUMP_SIZE', 'data', `${what} dump is ${size} bytes; expected ${expected}`, { what, size, expected });
  }
}

// ---------------------------------------------------------------------------------------------
// Injection (fit, relocate, repoint, verify) and batch extraction: src/inject/
// ---------------------------------------------------------------------------------------------

/**
 * A re-packed block does not fit its slot and cannot be relocated (no pointers declared, no
 * free range large enough). `details` gives both sizes, the free space there is and what would help.
 */
export class InjectionDoesNotFitError extends RomgfxError {
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
export class VerifyFailedError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_VERIFY_FAILED', 'internal', `verification failed, nothing written: ${message}`, details);
  }
}

/** The edited image holds a different number of tiles than the block it replaces (pass --allow-resize to accept). */
export class TileCountMismatchError extends RomgfxError {
  constructor(sprite: string, expected: number, actual: number, detail: string) {
    super('ERR_TILE_COUNT', 'data', `sprite "${sprite}": the image ${detail} holds ${actual} tile(s), the ROM block ${expected}; pass --allow-resize to change the size`, {
      sprite,
      expected,
      actual,
    });
  }
}

/** A sprite name that the game definition (or the batch folder) does not have. */
export class SpriteNotFoundError extends RomgfxError {
  constructor(sprite: string, where: string) {
    super('ERR_SPRITE_NOT_FOUND', 'usage', `no sprite named "${sprite}" in ${where}`, { sprite, where });
  }
}

/** The sprite's block cannot be re-packed: its codec only decodes (GBA Huffman, diff filters). */
export class CodecCannotCompressError extends RomgfxError {
  constructor(sprite: string, codec: string) {
    super('ERR_CODEC_CANNOT_COMPRESS', 'data', `sprite "${sprite}" is stored with ${codec}, which romgfx can decode but not encode; it cannot be injected`, { sprite, codec });
  }
}

/** Two edits (or an edit and another sprite's block) would write the same ROM bytes. */
export class InjectionConflictError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_INJECTION_CONFLICT', 'data', message, details);
  }
}

/** A sidecar JSON written by extract-all is malformed (field says which). */
export class SidecarError extends RomgfxError {
  constructor(path: string, field: string, problem: string) {
    super('ERR_SIDECAR', 'data', `${path}: ${field}: ${problem}`, { path, field, problem });
  }
}

/** Some items of a batch failed; each failure is listed in `details.failures`. */
export class BatchFailedError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_BATCH_FAILED', 'data', message, details);
  }
}

// ---------------------------------------------------------------------------------------------
// Nintendo-family codecs: src/codecs/nintendo/
// ---------------------------------------------------------------------------------------------

/** An encoder's stream would not fit the format's own size field (konami1: a 16-bit total size). */
export class CodecPackedTooLargeError extends RomgfxError {
  constructor(codec: string, size: number, maximum: number) {
    super('ERR_CODEC_PACKED_TOO_LARGE', 'data', `${codec}: the compressed stream would be ${size} bytes; the format's size field holds at most ${maximum}`, {
      codec,
      size,
      maximum,
    });
  }
}

/** gen1-pic encodes square pictures of 1-15 × 1-15 tiles (16 bytes of 2bpp each); the input is not one. */
export class PicDimensionsError extends RomgfxError {
  constructor(size: number) {
    super('ERR_PIC_DIMENSIONS', 'data', `gen1-pic: ${size} bytes is not a square picture of N×N 2bpp tiles (N = 1-15, 16·N² bytes)`, { size });
  }
}

// ---------------------------------------------------------------------------------------------
// Sega codecs (Nemesis, Kosinski, Kosinski Moduled, Enigma): src/codecs/sega/
// ---------------------------------------------------------------------------------------------

/**
 * Data handed to a Sega compressor has a size its format cannot describe: Nemesis holds whole
 * 32-byte tiles, Enigma whole 16-bit words, and a Kosinski Moduled header cannot say 0xA000.
 */
export class CodecInputSizeError extends RomgfxError {
  constructor(codec: string, size: number, rule: string) {
    super('ERR_CODEC_INPUT_SIZE', 'data', `${codec}: input is ${size} bytes; ${rule}`, { codec, size, rule });
  }
}

// ---------------------------------------------------------------------------------------------
// Image conversion (PNG ⇄ deduplicated tiles + map + sub-palettes): src/convert/
// ---------------------------------------------------------------------------------------------

/** A convert option is malformed or does not apply to the target (bpp, counts, bases, map format); `field` names it. */
export class ConvertOptionError extends RomgfxError {
  constructor(field: string, message: string, details: ErrorDetails = {}) {
    super('ERR_CONVERT_OPTION', 'usage', `${field}: ${message}`, { field, ...details });
  }
}

/** One tile holds more colours than a sub-palette can; `details` names the tile (x, y in pixels) and its colours. */
export class TileColourCountError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_TILE_COLOURS', 'data', message, details);
  }
}

/** The tiles' colour sets need more sub-palettes than the target has; `details` names a tile that did not fit and its colours. */
export class PaletteCountError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_TOO_MANY_PALETTES', 'data', message, details);
  }
}

/** More distinct tiles than the map entry's tile index can address; `details` names the first tile past the limit. */
export class TileCountError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_TOO_MANY_TILES', 'data', message, details);
  }
}

/** A colour the target cannot show exactly (not in the NES master palette, not in a given palette); never quantised. */
export class ColourNotRepresentableError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_COLOUR_NOT_REPRESENTABLE', 'data', message, details);
  }
}

// ---------------------------------------------------------------------------------------------
// Web server (`romgfx serve`): src/serve/
// ---------------------------------------------------------------------------------------------

/** An HTTP request parameter is missing or malformed; `field` names it. Answered 400. */
export class ServeParameterError extends RomgfxError {
  constructor(field: string, message: string, details: ErrorDetails = {}) {
    super('ERR_SERVE_PARAMETER', 'usage', `${field}: ${message}`, { field, ...details });
  }
}

/** The request names a ROM, definition, sprite, scan or file the server does not serve. Answered 404. */
export class ServeNotFoundError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_SERVE_NOT_FOUND', 'missing', message, details);
  }
}

/** A state-changing request without the server's token, or from another origin. Answered 403. */
export class ServeForbiddenError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_SERVE_FORBIDDEN', 'usage', message, details);
  }
}

/** A request body longer than the server accepts. Answered 413. */
export class ServeBodyTooLargeError extends RomgfxError {
  constructor(limitInBytes: number, details: ErrorDetails = {}) {
    super('ERR_SERVE_BODY_TOO_LARGE', 'usage', `the request body is larger than ${limitInBytes} bytes`, { limitInBytes, ...details });
  }
}

/** The method is not one the route answers. Answered 405. */
export class ServeMethodError extends RomgfxError {
  constructor(method: string, path: string, allowed: readonly string[]) {
    super('ERR_SERVE_METHOD', 'usage', `${method} is not allowed on ${path} (allowed: ${allowed.join(', ')})`, { method, path, allowed });
  }
}

// ---------------------------------------------------------------------------------------------
// Scanner: src/scan/
// ---------------------------------------------------------------------------------------------

/** A scan option is malformed (bad range, unknown codec, out-of-range size or score); `field` names it. */
export class ScanOptionError extends RomgfxError {
  constructor(field: string, message: string, details: ErrorDetails = {}) {
    super('ERR_SCAN_OPTION', 'usage', `${field}: ${message}`, { field, ...details });
  }
}

/** A scan worker died or failed outside romgfx's own error handling. */
export class ScanWorkerError extends RomgfxError {
  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super('ERR_SCAN_WORKER_FAILED', 'internal', message, details, options);
  }
}
