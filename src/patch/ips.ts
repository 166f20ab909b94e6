/**
 * IPS patches: create and apply.
 *
 * Format (see /work/shared/formats/platforms.md, "Patches"): the magic "PATCH", then records of
 * a 3-byte big-endian offset and a 2-byte big-endian size followed by `size` bytes; size 0 marks
 * an RLE record (2-byte big-endian run length, then the byte to repeat). The 3 bytes "EOF"
 * (0x454F46) end the record list, so no record can start at that offset. After "EOF" the
 * truncation extension (Lunar IPS, Floating IPS) may give the 3-byte big-endian size of the
 * result, for targets shorter than their source.
 */
import { IpsRecordError, PatchLimitError, PatchMagicError, PatchTruncatedError, hex } from '../errors.js';
import { ByteWriter } from './writer.js';

/** Record offsets are 24-bit: nothing at or past 16 MiB can be addressed. */
export const maximumIpsOffsetInBytes = 0x1000000;
/** The size field is 16-bit. */
export const maximumIpsRecordSizeInBytes = 0xffff;
/** The offset that reads as "EOF": a record may not start here. */
export const ipsEofOffset = 0x454f46;

const ipsMagic = [0x50, 0x41, 0x54, 0x43, 0x48]; // "PATCH"
const ipsMagicSizeInBytes = 5;
const ipsTruncationSizeInBytes = 3;
/** The truncation extension stores the new size in 24 bits. */
const maximumIpsTruncationSize = 0xffffff;

/**
 * The bytes a record header costs (offset + size). A run of equal bytes is worth its own RLE
 * record (8 bytes) when it is longer than what it replaces: `ipsRunBreaksRecordMinimumLength`
 * inside a literal record (the run's 8 bytes plus a new 5-byte header for the rest),
 * `ipsRunAtEdgeMinimumLength` at either end of one, `ipsRunAloneMinimumLength` when the run
 * is the whole changed stretch (8 bytes against 5 + run).
 */
const ipsRecordHeaderSizeInBytes = 5;
const ipsRleRecordSizeInBytes = 8;
const ipsRunBreaksRecordMinimumLength = ipsRleRecordSizeInBytes + ipsRecordHeaderSizeInBytes + 1;
const ipsRunAtEdgeMinimumLength = ipsRleRecordSizeInBytes + 1;
const ipsRunAloneMinimumLength = ipsRleRecordSizeInBytes - ipsRecordHeaderSizeInBytes + 1;

/** One IPS record: where it writes, how many bytes, and whether it is a run of one byte (RLE) or literal bytes. */
export interface IpsRecord {
  /** Where the record writes, in the output. */
  offset: number;
  /** How many bytes it writes. */
  length: number;
  /** Set for an RLE record: the byte it repeats. */
  fill?: number;
  /** For a literal record: where its bytes start in the patch. */
  dataOffset?: number;
}

/** An IPS patch read into its records, checked but not applied. */
export interface ParsedIps {
  records: IpsRecord[];
  /** The size the truncation extension gives, if the patch has one. */
  truncateTo?: number;
}

/** The patched ROM and the IPS patch's figures. */
export interface IpsApplyResult {
  format: 'ips';
  target: Uint8Array;
  records: number;
  rleRecords: number;
  truncateTo?: number;
}

/** True when the bytes start with the IPS magic `PATCH`. */
export function isIpsPatch(patch: Uint8Array): boolean {
  if (patch.length < ipsMagicSizeInBytes) return false;
  for (let i = 0; i < ipsMagicSizeInBytes; i++) if (patch[i] !== ipsMagic[i]) return false;
  return true;
}

/** Printable rendering of the first bytes of a file, for "bad magic" messages. */
export function describeMagic(bytes: Uint8Array, count: number): string {
  const head = bytes.subarray(0, count);
  if (head.length === 0) return 'nothing (the file is empty)';
  let text = '';
  for (const b of head) text += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.';
  return `"${text}" (${Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ')})`;
}

/**
 * Reads and checks every record of an IPS patch without applying it. Each offset and size is
 * checked against the patch length before it is used.
 */
export function parseIps(patch: Uint8Array): ParsedIps {
  if (!isIpsPatch(patch)) throw new PatchMagicError('an IPS patch ("PATCH")', describeMagic(patch, ipsMagicSizeInBytes));
  const records: IpsRecord[] = [];
  let position = ipsMagicSizeInBytes;
  const need = (what: string, count: number): void => {
    if (patch.length - position < count) throw new PatchTruncatedError('IPS', what, position, count, patch.length);
  };
  // Each pass consumes at least 3 bytes, so the loop ends within patch.length / 3 passes.
  for (;;) {
    need('a record offset or the "EOF" marker', 3);
    const offset = (patch[position]! << 16) | (patch[position + 1]! << 8) | patch[position + 2]!;
    if (offset === ipsEofOffset) {
      position += 3;
      break;
    }
    const recordStart = position;
    position += 3;
    need(`the size of the record at ${hex(recordStart)}`, 2);
    const size = (patch[position]! << 8) | patch[position + 1]!;
    position += 2;
    if (size > 0) {
      need(`the ${size} data byte(s) of the record at ${hex(recordStart)}`, size);
      records.push({ offset, length: size, dataOffset: position });
      position += size;
    } else {
      need(`the run length and value of the RLE record at ${hex(recordStart)}`, 3);
      const runLength = (patch[position]! << 8) | patch[position + 1]!;
      if (runLength === 0) {
        throw new IpsRecordError(`IPS RLE record at ${hex(recordStart)} (output offset ${hex(offset)}) has run length 0`, {
          patchOffset: recordStart,
          offset,
        });
      }
      records.push({ offset, length: runLength, fill: patch[position + 2]! });
      position += 3;
    }
  }
  const remaining = patch.length - position;
  if (remaining === 0) return { records };
  if (remaining === ipsTruncationSizeInBytes) {
    const truncateTo = (patch[position]! << 16) | (patch[position + 1]! << 8) | patch[position + 2]!;
    // A size of 0 would empty the file: no tool means that, and applying it would turn a ROM
    // into nothing. It is what three stray zero bytes after "EOF" read as.
    if (truncateTo === 0) {
      throw new IpsRecordError(`IPS truncation size at ${hex(position)} is 0: it would empty the file; refusing the patch`, { patchOffset: position, truncateTo });
    }
    return { records, truncateTo };
  }
  // Typically a record at 0x454F46 that a careless tool wrote: it read as "EOF".
  throw new IpsRecordError(
    `IPS patch has ${remaining} byte(s) after the "EOF" marker at ${hex(position - 3)}; only a 3-byte truncation size may follow it` +
      ' (a record at offset 0x454F46 reads as "EOF" and cannot be expressed)',
    { eofAt: position - 3, trailingBytes: remaining },
  );
}

/**
 * Applies an IPS patch to `source` and returns the result (a new buffer; `source` is not
 * changed). Records past the end of the source grow the output; the gap, if any, is zero-filled.
 */
export function applyIps(patch: Uint8Array, source: Uint8Array): IpsApplyResult {
  const parsed = parseIps(patch);
  let outputSize = source.length;
  let rleRecords = 0;
  for (const record of parsed.records) {
    // IPS addresses 16 MiB: a record running past that describes a file no IPS tool can make.
    if (record.offset + record.length > maximumIpsOffsetInBytes) {
      throw new PatchLimitError(
        `IPS record at output offset ${hex(record.offset)} writes ${record.length} byte(s), past the 16 MiB (${hex(maximumIpsOffsetInBytes)}) an IPS patch can address`,
        { offset: record.offset, length: record.length, maximum: maximumIpsOffsetInBytes },
      );
    }
    outputSize = Math.max(outputSize, record.offset + record.length);
    if (record.fill !== undefined) rleRecords++;
  }
  if (parsed.truncateTo !== undefined && parsed.truncateTo > outputSize) {
    throw new IpsRecordError(
      `IPS truncation size ${hex(parsed.truncateTo)} is larger than the patched file (${hex(outputSize)}); the extension only shortens files`,
      { truncateTo: parsed.truncateTo, size: outputSize },
    );
  }
  const output = new Uint8Array(outputSize);
  output.set(source);
  for (const record of parsed.records) {
    if (record.fill !== undefined) output.fill(record.fill, record.offset, record.offset + record.length);
    else output.set(patch.subarray(record.dataOffset!, record.dataOffset! + record.length), record.offset);
  }
  const target = parsed.truncateTo === undefined ? output : output.subarray(0, parsed.truncateTo);
  const result: IpsApplyResult = { format: 'ips', target, records: parsed.records.length, rleRecords };
  if (parsed.truncateTo !== undefined) result.truncateTo = parsed.truncateTo;
  return result;
}

/** Length of the run of equal bytes in `bytes` starting at `start`, not past `end`. */
function runLengthAt(bytes: Uint8Array, start: number, end: number): number {
  const value = bytes[start];
  let i = start + 1;
  while (i < end && bytes[i] === value) i++;
  return i - start;
}

class IpsWriter {
  readonly #out = new ByteWriter();
  readonly #target: Uint8Array;
  records = 0;
  rleRecords = 0;

  constructor(target: Uint8Array) {
    this.#target = target;
    for (const b of ipsMagic) this.#out.byte(b);
  }

  /** Writes target[offset, offset + length) as literal records of at most 64 KiB - 1 each. */
  literal(offset: number, length: number): void {
    let start = offset;
    const end = offset + length;
    while (start < end) {
      // The "EOF" offset: begin one byte earlier (rewriting a byte with its own target value).
      if (start === ipsEofOffset) start--;
      const size = Math.min(maximumIpsRecordSizeInBytes, end - start);
      this.#out.u24be(start);
      this.#out.u16be(size);
      this.#out.bytes(this.#target.subarray(start, start + size));
      this.records++;
      start += size;
    }
  }

  /** Writes a run of target[offset] repeated `length` times as RLE records. */
  run(offset: number, length: number): void {
    let start = offset;
    const end = offset + length;
    const value = this.#target[offset]!;
    while (start < end) {
      if (start === ipsEofOffset) {
        if (this.#target[start - 1] === value) {
          start--;
        } else {
          // Two literal bytes starting one early cover the "EOF" offset; the run resumes after.
          const size = Math.min(2, end - start + 1);
          this.literal(start - 1, size);
          start += size - 1;
          continue;
        }
      }
      const size = Math.min(maximumIpsRecordSizeInBytes, end - start);
      this.#out.u24be(start);
      this.#out.u16be(0);
      this.#out.u16be(size);
      this.#out.byte(value);
      this.records++;
      this.rleRecords++;
      start += size;
    }
  }

  finish(truncateTo: number | undefined): Uint8Array {
    this.#out.u24be(ipsEofOffset);
    if (truncateTo !== undefined) this.#out.u24be(truncateTo);
    return this.#out.finish();
  }
}

/**
 * Writes one stretch of changed bytes [start, end) as literal and RLE records, using RLE for
 * runs long enough to pay for their record (thresholds above).
 */
function writeChangedStretch(writer: IpsWriter, target: Uint8Array, start: number, end: number): void {
  let literalStart = start;
  let i = start;
  while (i < end) {
    const run = runLengthAt(target, i, end);
    const atStart = i === literalStart;
    const atEnd = i + run === end;
    const minimum = atStart && atEnd ? ipsRunAloneMinimumLength : atStart || atEnd ? ipsRunAtEdgeMinimumLength : ipsRunBreaksRecordMinimumLength;
    if (run >= minimum) {
      if (i > literalStart) writer.literal(literalStart, i - literalStart);
      writer.run(i, run);
      literalStart = i + run;
    }
    i += run;
  }
  if (literalStart < end) writer.literal(literalStart, end - literalStart);
}

/** An IPS patch and its figures: records, how many are RLE, the truncation size if any. */
export interface IpsCreateResult {
  patch: Uint8Array;
  records: number;
  rleRecords: number;
  truncateTo?: number;
}

/**
 * Makes an IPS patch that turns `source` into `target`. Unchanged gaps shorter than a record
 * header are folded into the surrounding record; a target longer than the source is written out
 * to its last byte; a shorter one ends with the truncation extension.
 */
export function createIpsWithStats(source: Uint8Array, target: Uint8Array): IpsCreateResult {
  if (target.length > maximumIpsOffsetInBytes) {
    throw new PatchLimitError(`IPS cannot describe a ${target.length}-byte target: offsets stop at ${hex(maximumIpsOffsetInBytes)} (16 MiB); use BPS`, {
      targetSize: target.length,
      maximum: maximumIpsOffsetInBytes,
    });
  }
  if (target.length < source.length && target.length > maximumIpsTruncationSize) {
    throw new PatchLimitError(`IPS cannot shorten a file to ${target.length} bytes: the truncation size is 24-bit (at most ${hex(maximumIpsTruncationSize)}); use BPS`, {
      targetSize: target.length,
      maximum: maximumIpsTruncationSize,
    });
  }
  const writer = new IpsWriter(target);
  const common = Math.min(source.length, target.length);
  let i = 0;
  while (i < target.length) {
    // Skip unchanged bytes.
    while (i < common && source[i] === target[i]) i++;
    if (i >= target.length) break;
    const start = i;
    // Extend the changed stretch, absorbing unchanged gaps too short to pay for a new header.
    let end = i;
    for (;;) {
      while (end < target.length && (end >= common || source[end] !== target[end])) end++;
      let gapEnd = end;
      while (gapEnd < common && source[gapEnd] === target[gapEnd] && gapEnd - end < ipsRecordHeaderSizeInBytes) gapEnd++;
      if (gapEnd - end < ipsRecordHeaderSizeInBytes && gapEnd < target.length && gapEnd > end) {
        end = gapEnd;
        continue;
      }
      break;
    }
    writeChangedStretch(writer, target, start, end);
    i = end;
  }
  const truncateTo = target.length < source.length ? target.length : undefined;
  // parseIps refuses a truncation to 0 bytes, so no patch romgfx writes may hold one.
  if (truncateTo === 0) throw new PatchLimitError('IPS cannot turn a file into an empty one (a truncation size of 0 is refused on apply)', { sourceSize: source.length });
  const patch = writer.finish(truncateTo);
  const result: IpsCreateResult = { patch, records: writer.records, rleRecords: writer.rleRecords };
  if (truncateTo !== undefined) result.truncateTo = truncateTo;
  return result;
}

/** Makes an IPS patch that turns `source` into `target` (see `createIpsWithStats`). */
export function createIps(source: Uint8Array, target: Uint8Array): Uint8Array {
  return createIpsWithStats(source, target).patch;
}
