/**
 * The addon's small-file reader against Node's fs, through the disk cache's readEntry with and
 * without it: the same bytes and mtime for files of every size (empty, small, larger than the
 * reader's first buffer, larger than its largest), the same answer for missing entries, a
 * failure with its errno name for a directory, and refusal of bad arguments.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEntry } from '../../src/thumbs/disk-cache.js';
import { createNativeSmallFileReader, maximumSmallFileSizeInBytes, nativeSmallFileReader } from '../../src/native/index.js';
import { CacheCorruptError } from '../../src/errors.js';
import { requireNative, seededBytes } from './helpers.js';

const addon = requireNative();
const scratch = mkdtempSync(join(tmpdir(), 'romgfx-file-read-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('native small-file reader', () => {
  it('is what the disk cache uses', () => {
    expect(nativeSmallFileReader()).not.toBeNull();
  });

  it('reads what fs reads, with the same mtime, for every size up to and past its buffer', () => {
    const reader = createNativeSmallFileReader(addon);
    for (const size of [0, 1, 33, 1_300, 65_536, 65_537, 300_000, maximumSmallFileSizeInBytes, maximumSmallFileSizeInBytes + 1]) {
      const path = join(scratch, `f${size}`);
      const bytes = seededBytes(size, size + 7);
      writeFileSync(path, bytes);
      const native = readEntry(path, reader)!;
      const plain = readEntry(path, null)!;
      expect(Buffer.from(native.bytes).equals(Buffer.from(bytes)), `${size} bytes`).toBe(true);
      expect(Buffer.from(plain.bytes).equals(Buffer.from(bytes)), `${size} bytes`).toBe(true);
      expect(native.mtimeMs).toBeCloseTo(statSync(path).mtimeMs, 3);
      expect(plain.mtimeMs).toBe(statSync(path).mtimeMs);
      // Over the reader's largest buffer, readEntry reads the file itself.
      expect(native.borrowed, `${size} bytes`).toBe(size <= maximumSmallFileSizeInBytes);
    }
  });

  it('reports a missing entry as null both ways, and a directory as corrupt (not a regular file), never read', () => {
    const reader = createNativeSmallFileReader(addon);
    const file = join(scratch, 'plain');
    writeFileSync(file, 'x');
    for (const missing of [join(scratch, 'absent'), join(file, 'under-a-file'), join(scratch, 'no-dir', 'x')]) {
      expect(readEntry(missing, reader)).toBeNull();
      expect(readEntry(missing, null)).toBeNull();
    }
    const directory = join(scratch, 'dir');
    mkdirSync(directory);
    // Until the special-file fix a directory was an IoError (EISDIR) and a FIFO blocked the open.
    expect(() => readEntry(directory, reader)).toThrow(CacheCorruptError);
    expect(() => readEntry(directory, reader)).toThrow(/not a regular file/u);
    expect(() => readEntry(directory, null)).toThrow(CacheCorruptError);
    expect(reader(directory)).toEqual({ kind: 'notRegular' });
  });

  it('refuses bad arguments with a TypeError/RangeError, never a crash', () => {
    const buffer = new Uint8Array(16);
    const info = new Float64Array(3);
    expect(() => addon.readSmallFile('', buffer, info)).toThrow(RangeError);
    expect(() => addon.readSmallFile(join(scratch, 'a\0b'), buffer, info)).toThrow(RangeError);
    expect(() => addon.readSmallFile(`/${'x'.repeat(5000)}`, buffer, info)).toThrow(RangeError);
    expect(() => addon.readSmallFile(42 as unknown as string, buffer, info)).toThrow(TypeError);
    expect(() => addon.readSmallFile(join(scratch, 'plain'), buffer, new Float64Array(2))).toThrow(TypeError);
    // A buffer too small is an answer, not an error: the size comes back.
    writeFileSync(join(scratch, 'seventeen'), new Uint8Array(17));
    expect(addon.readSmallFile(join(scratch, 'seventeen'), buffer, info)).toBe(2);
    expect(info[0]).toBe(17);
  });
});
