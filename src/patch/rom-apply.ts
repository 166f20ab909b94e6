/**
 * Applying a patch to a ROM file as a user has it: possibly with a copier header in front
 * (512 bytes: SNES SMC/SWC, Mega Drive SMD; such files are 512 bytes past a multiple of 1 KiB),
 * possibly the wrong ROM. BPS names its source by CRC-32, so a header is detected when the file
 * without it is the patch's source. IPS names nothing: the caller may give the CRC-32 it expects
 * (`expectCrc32`), checked against the file as it will be patched.
 */
import { BpsChecksumError, BpsSourceSizeError, CopierHeaderPatchError, InvalidArgumentError, SourceCrcMismatchError } from '../errors.js';
import { crc32 } from '../util/crc32.js';
import { readBpsHeader } from './bps.js';
import { applyPatch, detectPatchFormat, type PatchApplyResult } from './index.js';

/** A copier header is this long (SMC/SWC/FIG for SNES, SMD for Mega Drive). */
export const copierHeaderSizeInBytes = 512;
/** Dumps are whole KiB; a file this many bytes past a multiple of it carries a copier header. */
const dumpGranuleInBytes = 1024;

/** 512 when `file` looks like a ROM with a copier header in front (size ≡ 512 mod 1024), else 0. */
export function copierHeaderSizeOf(file: Uint8Array): number {
  return file.length > copierHeaderSizeInBytes && file.length % dumpGranuleInBytes === copierHeaderSizeInBytes ? copierHeaderSizeInBytes : 0;
}

/** What to do with a copier header: patch the whole file, drop the header, or patch the data and keep the header. */
export type CopierHeaderHandling = 'file' | 'strip' | 'keep';

/** Options of applyPatchToRom. */
export interface RomPatchOptions {
  /** The ROM file's name, for messages. */
  romName?: string;
  /** Default 'file': patch the file as it is (a BPS made for the data without the header is then refused with a CopierHeaderPatchError). */
  header?: CopierHeaderHandling;
  /** BPS: apply even when a checksum does not match. */
  ignoreChecksum?: boolean;
  /** The CRC-32 the patched source must have (the file, or its data without the header when stripping or keeping). */
  expectCrc32?: number;
}

/** What applyPatchToRom made, and what it did with a copier header. */
export interface RomPatchResult {
  result: PatchApplyResult;
  /** The bytes to write: the patched data, with the header in front when it is kept. */
  output: Uint8Array;
  /** The copier header's size in the input file (0 when there is none). */
  headerSize: number;
  header: CopierHeaderHandling;
  /** The CRC-32 of the bytes the patch was applied to. */
  sourceCrc32: number;
}

/**
 * Applies `patch` to a ROM file. Throws CopierHeaderPatchError when the patch's source is the file
 * without its copier header and the caller did not say whether to strip or keep the header;
 * SourceCrcMismatchError when `expectCrc32` is given and does not match.
 */
export function applyPatchToRom(patch: Uint8Array, file: Uint8Array, options: RomPatchOptions = {}): RomPatchResult {
  const romName = options.romName ?? 'the ROM';
  const handling = options.header ?? 'file';
  const headerSize = copierHeaderSizeOf(file);
  if (handling !== 'file' && headerSize === 0) {
    throw new InvalidArgumentError(`${romName} has no copier header (its size, ${file.length} bytes, is a whole number of KiB): drop --strip-header/--keep-header`, { size: file.length });
  }
  const source = handling === 'file' ? file : file.subarray(headerSize);
  const sourceCrc32 = crc32(source);
  const withoutHeaderMatches = (expected: number) => headerSize > 0 && handling === 'file' && crc32(file.subarray(headerSize)) === expected >>> 0;
  if (options.expectCrc32 !== undefined && sourceCrc32 !== options.expectCrc32 >>> 0) {
    if (withoutHeaderMatches(options.expectCrc32)) throw new CopierHeaderPatchError(romName, headerSize);
    throw new SourceCrcMismatchError(romName, options.expectCrc32, sourceCrc32);
  }
  let result: PatchApplyResult;
  try {
    result = applyPatch(patch, source, { ignoreChecksum: options.ignoreChecksum === true });
  } catch (error) {
    // A BPS for this ROM without its header: say so, instead of "another ROM".
    if ((error instanceof BpsChecksumError && error.which === 'source') || error instanceof BpsSourceSizeError) {
      if (detectPatchFormat(patch) === 'bps' && withoutHeaderMatches(readBpsHeader(patch).sourceCrc32)) throw new CopierHeaderPatchError(romName, headerSize);
    }
    throw error;
  }
  let output = result.target;
  if (handling === 'keep') {
    output = new Uint8Array(headerSize + result.target.length);
    output.set(file.subarray(0, headerSize));
    output.set(result.target, headerSize);
  }
  return { result, output, headerSize, header: handling, sourceCrc32 };
}
