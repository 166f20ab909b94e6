/**
 * Kosinski Moduled (sega.md §3): a big-endian 16-bit total size, then one independent Kosinski
 * stream per 0x1000 bytes of output, each padded with zeros to a multiple of 16 bytes from its
 * start (the last module's padding is optional). S3K's loader reads a size of 0xA000 as 0x8000,
 * and so does this decoder.
 */
import { CodecInputSizeError, CodecInputTooLargeError, CodecOptionError } from '../../errors.js';
import type { Codec, CompressOptions, DecodeLimits, DecodeResult, ProbeResult } from '../types.js';
import { GrowableOutput, KernelSlot, checkStart, fail, isValidStart, outputLimitInBytes, throwWalkFailure, walkCorrupt, walkFailure, walkOutputLimit, walkTruncated, type DecodeKernels } from './common.js';
import { kosinskiWalkResult, walkKosinski } from './kosinski.js';
import { encodeKosinskiAccurate, encodeKosinskiMax, kosinskiLevels } from './kosinski-encode.js';

/** Output bytes per module: every module but the last decodes to exactly this many. */
export const kosinskiModuleSizeInBytes = 0x1000;
/** The header's 16-bit total size. */
export const maximumKosinskiModuledSizeInBytes = 0xffff;
/** Modules start on 16-byte boundaries counted from the first module. */
const modulePaddingInBytes = 16;
/** The size S3K's loader misreads (as 0x8000), so no stream can describe it. */
const segaMisreadSize = 0xa000;
const segaMisreadAs = 0x8000;

/** Where a Kosinski Moduled stream ends before its size header is complete. */
export const kosinskiModuledHeaderTruncatedText = 'input ends inside the 2-byte size header';

/** The message of an input that ends before module `m` of `modules`. */
export function kosinskiModuleMissingText(m: number, modules: number): string {
  return `input ends before module ${m} of ${modules}`;
}

/** The message of a module that decodes to more than its share of the output. */
export function kosinskiModuleTooLongText(m: number, expected: number): string {
  return `module size mismatch: module ${m} decodes to more than ${expected} bytes`;
}

/** The message of a module that decodes to another size than its share of the output. */
export function kosinskiModuleSizeText(m: number, size: number, expected: number): string {
  return `module size mismatch: module ${m} decodes to ${size} bytes, not ${expected}`;
}

let walkEnd = 0;
let walkSize = 0;

function walkKosinskiModuled(bytes: Uint8Array, offset: number, limit: number, out: GrowableOutput | null): boolean {
  const end = bytes.length;
  if (end - offset < 2) return fail(walkTruncated, offset, kosinskiModuledHeaderTruncatedText);
  let size = (bytes[offset]! << 8) | bytes[offset + 1]!;
  if (size === segaMisreadSize) size = segaMisreadAs;
  if (size > limit) return fail(walkOutputLimit, offset, '', size, limit);
  const modules = Math.ceil(size / kosinskiModuleSizeInBytes);
  let p = offset + 2;
  for (let m = 0; m < modules; m++) {
    const expected = m === modules - 1 ? size - m * kosinskiModuleSizeInBytes : kosinskiModuleSizeInBytes;
    if (p >= end) return fail(walkTruncated, p, kosinskiModuleMissingText(m, modules));
    // Each module is its own stream: its window starts empty at its first output byte.
    if (!walkKosinski(bytes, p, expected, out, m * kosinskiModuleSizeInBytes)) {
      if (walkFailure.kind === walkOutputLimit) return fail(walkCorrupt, walkFailure.offset, kosinskiModuleTooLongText(m, expected));
      return false;
    }
    if (kosinskiWalkResult.size !== expected) return fail(walkCorrupt, p, kosinskiModuleSizeText(m, kosinskiWalkResult.size, expected));
    const used = kosinskiWalkResult.end - p;
    p = m === modules - 1 ? kosinskiWalkResult.end : p + Math.ceil(used / modulePaddingInBytes) * modulePaddingInBytes;
  }
  walkEnd = p;
  walkSize = size;
  return true;
}

/**
 * Decodes the Kosinski Moduled stream at `offset`. `packedLength` runs to the last module's
 * terminator: padding between modules counts, padding after the last one does not.
 */
export function decodeKosinskiModuled(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  checkStart(bytes, offset);
  const limit = outputLimitInBytes(limits, maximumKosinskiModuledSizeInBytes);
  const declared = bytes.length - offset >= 2 ? (bytes[offset]! << 8) | bytes[offset + 1]! : 0;
  // The header bounds the output: the buffer is allocated once, after the limit check.
  const out = new GrowableOutput(Math.min(declared === segaMisreadSize ? segaMisreadAs : declared, limit), limit);
  if (!walkKosinskiModuled(bytes, offset, limit, out)) throwWalkFailure('kosinski-moduled');
  return { data: out.bytes.length === walkSize ? out.bytes : out.bytes.slice(0, walkSize), packedLength: walkEnd - offset };
}

/** Validates the Kosinski Moduled stream at `offset` without building output; null when invalid. */
export function probeKosinskiModuled(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): ProbeResult | null {
  if (!isValidStart(bytes, offset)) return null;
  if (!walkKosinskiModuled(bytes, offset, outputLimitInBytes(limits, maximumKosinskiModuledSizeInBytes), null)) return null;
  return { packedLength: walkEnd - offset, unpackedLength: walkSize };
}

/**
 * Compresses to Kosinski Moduled: each 0x1000-byte piece as its own Kosinski stream, modules
 * padded to 16 bytes. `max` leaves the last module unpadded; `accurate` is Sega's compressor
 * (accurate-kosinski `kosinskim-compress`): every module padded, and `00 00` alone when empty.
 */
export function compressKosinskiModuled(data: Uint8Array, options: CompressOptions = {}): Uint8Array {
  const level = options.level === undefined ? 'max' : String(options.level);
  if (!kosinskiLevels.includes(level)) throw new CodecOptionError('kosinski-moduled', `unknown level "${level}"; levels: ${kosinskiLevels.join(', ')}`, { level });
  if (data.length > maximumKosinskiModuledSizeInBytes) throw new CodecInputTooLargeError('kosinski-moduled', data.length, maximumKosinskiModuledSizeInBytes);
  if (data.length === segaMisreadSize) {
    throw new CodecInputSizeError('kosinski-moduled', data.length, 'Sonic 3 & Knuckles reads a 0xA000 size header as 0x8000, so Kosinski Moduled cannot hold exactly 0xA000 bytes');
  }
  const accurate = level === 'accurate';
  const modules: Uint8Array[] = [];
  let total = 2;
  for (let start = 0; start < data.length; start += kosinskiModuleSizeInBytes) {
    const piece = data.subarray(start, Math.min(data.length, start + kosinskiModuleSizeInBytes));
    const last = start + kosinskiModuleSizeInBytes >= data.length;
    const stream = accurate ? encodeKosinskiAccurate(piece, true) : encodeKosinskiMax(piece);
    const padded = last && !accurate ? stream.length : Math.ceil(stream.length / modulePaddingInBytes) * modulePaddingInBytes;
    modules.push(stream);
    total += padded;
  }
  const out = new Uint8Array(total);
  out[0] = data.length >>> 8;
  out[1] = data.length & 0xff;
  let p = 2;
  for (const stream of modules) {
    out.set(stream, p);
    p += Math.ceil(stream.length / modulePaddingInBytes) * modulePaddingInBytes;
  }
  return out;
}

/** The TypeScript reference kernels. */
export const typescriptKosinskiModuledKernels: DecodeKernels = { implementation: 'typescript', decode: decodeKosinskiModuled, probe: probeKosinskiModuled };

const kosinskiModuledKernelSlot = new KernelSlot(typescriptKosinskiModuledKernels);

/** The Kosinski Moduled kernels in use now. */
export function kosinskiModuledKernels(): DecodeKernels {
  return kosinskiModuledKernelSlot.active;
}

/** Installs other Kosinski Moduled kernels (the native loader does this); returns the previous ones. */
export function setKosinskiModuledKernels(kernels: DecodeKernels): DecodeKernels {
  return kosinskiModuledKernelSlot.set(kernels);
}

/** Kosinski Moduled: Sonic 3 & Knuckles level and boss art, loaded a 4 KiB module at a time. */
export const kosinskiModuledCodec: Codec = {
  name: 'kosinski-moduled',
  description: 'Sega Kosinski Moduled (S3K): size header + one Kosinski stream per 4 KiB, padded to 16 bytes; level accurate = Sega\'s compressor byte for byte',
  platforms: ['md'],
  levels: kosinskiLevels,
  defaultLevel: 'max',
  canCompress: true,
  decompress: (bytes, offset, limits) => kosinskiModuledKernelSlot.active.decode(bytes, offset, limits),
  probe: (bytes, offset, limits) => kosinskiModuledKernelSlot.active.probe(bytes, offset, limits),
  compress: compressKosinskiModuled,
};
