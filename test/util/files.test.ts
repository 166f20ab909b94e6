import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { spawnSync } from 'node:child_process';
import { removeStaleTempFiles, writeFileAtomic, writeFilesAtomic } from '../../src/util/files.js';

let dir: { path: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

const bytes = (text: string) => new TextEncoder().encode(text);
const leftovers = () => readdirSync(dir.path).filter((n) => n.startsWith('.romgfx-tmp-'));

describe('writeFileAtomic', () => {
  it('writes, refuses to overwrite without force, keeps a backup when asked', () => {
    const path = join(dir.path, 'a.bin');
    expect(writeFileAtomic(path, bytes('one')).bytes).toBe(3);
    expect(() => writeFileAtomic(path, bytes('two'))).toThrow(expect.objectContaining({ code: 'ERR_OUTPUT_EXISTS' }));
    expect(readFileSync(path, 'utf8')).toBe('one');
    const result = writeFileAtomic(path, bytes('two'), { backup: true });
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readFileSync(result.backupPath!, 'utf8')).toBe('one');
    expect(leftovers()).toEqual([]);
  });

  it('a missing folder is ERR_FILE_NOT_FOUND and writes nothing', () => {
    expect(() => writeFileAtomic(join(dir.path, 'no', 'x.bin'), bytes('x'))).toThrow(expect.objectContaining({ code: 'ERR_FILE_NOT_FOUND' }));
  });
});

describe('writeFilesAtomic', () => {
  it('writes every file whole and leaves no temporary files', () => {
    const files = Array.from({ length: 50 }, (_, i) => ({ path: join(dir.path, `f${i}.txt`), data: bytes(`file ${i}`) }));
    expect(writeFilesAtomic(files).map((r) => r.bytes)).toEqual(files.map((f) => f.data.length));
    for (const [i, f] of files.entries()) expect(readFileSync(f.path, 'utf8')).toBe(`file ${i}`);
    expect(leftovers()).toEqual([]);
  });

  it('refuses the whole batch up front when one target exists, unless force', () => {
    writeFileSync(join(dir.path, 'b.txt'), 'keep');
    const files = [{ path: join(dir.path, 'a.txt'), data: bytes('a') }, { path: join(dir.path, 'b.txt'), data: bytes('b') }];
    expect(() => writeFilesAtomic(files)).toThrow(expect.objectContaining({ code: 'ERR_OUTPUT_EXISTS' }));
    expect(readdirSync(dir.path).sort()).toEqual(['b.txt']);
    writeFilesAtomic(files, { force: true });
    expect(readFileSync(join(dir.path, 'b.txt'), 'utf8')).toBe('b');
  });

  it('a failure while writing temporaries leaves every target untouched', () => {
    const locked = join(dir.path, 'locked');
    mkdirSync(locked);
    writeFileSync(join(dir.path, 'a.txt'), 'old a');
    chmodSync(locked, 0o500);
    const files = [{ path: join(dir.path, 'a.txt'), data: bytes('new a') }, { path: join(locked, 'b.txt'), data: bytes('b') }];
    try {
      if (process.getuid?.() === 0) {
        // root ignores directory permissions; a path through a file fails for everyone.
        writeFileSync(join(dir.path, 'plain'), '');
        files[1] = { path: join(dir.path, 'plain', 'b.txt'), data: bytes('b') };
      }
      expect(() => writeFilesAtomic(files, { force: true })).toThrow(expect.objectContaining({ category: expect.stringMatching(/io|missing/) }));
      expect(readFileSync(join(dir.path, 'a.txt'), 'utf8')).toBe('old a');
      expect(leftovers()).toEqual([]);
    } finally {
      chmodSync(locked, 0o700);
    }
  });
});

describe('removeStaleTempFiles', () => {
  it('removes a dead writer\'s leftovers for that target only, and keeps live writers\' files', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const target = join(dir.path, 'rom.sfc');
    const stale = `.romgfx-tmp-rom.sfc-${dead}-0123abcd`;
    const live = `.romgfx-tmp-rom.sfc-${process.pid}-89abcdef`;
    const other = `.romgfx-tmp-other.sfc-${dead}-0123abcd`;
    for (const name of [stale, live, other, 'rom.sfc']) writeFileSync(join(dir.path, name), 'x');
    expect(removeStaleTempFiles(target)).toEqual([join(dir.path, stale)]);
    expect(readdirSync(dir.path).sort()).toEqual([live, other, 'rom.sfc'].sort());
  });

});
