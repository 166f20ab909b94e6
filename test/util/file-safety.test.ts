/**
 * The file promises of docs/file-safety.md at the library level (src/util/files.ts): outputs
 * are never inputs, in-place writes keep whole, distinct backups under a lock, follow symlinks
 * and keep permission bits, long names work, and leftovers are cleaned by the next write.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, linkSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.js';
import {
  acquireFileLock,
  assertWritable,
  fittedStem,
  lockPathFor,
  maximumFileNameLengthInBytes,
  runWithProtectedInputs,
  withFileLock,
  writeFileAtomic,
  writeFilesAtomic,
} from '../../src/util/files.js';

let dir: { path: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir('romgfx-file-safety-');
});
afterEach(() => dir.cleanup());

const bytes = (text: string) => new TextEncoder().encode(text);
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('an output is never an input', () => {
  it('the same path, a symlink to it and a hard link are all refused, --force or not', () => {
    const input = join(dir.path, 'rom.sfc');
    writeFileSync(input, 'original');
    symlinkSync(input, join(dir.path, 'link.sfc'));
    linkSync(input, join(dir.path, 'hard.sfc'));
    runWithProtectedInputs([input], () => {
      for (const name of ['rom.sfc', 'link.sfc', 'hard.sfc']) {
        const output = join(dir.path, name);
        expect(() => writeFileAtomic(output, bytes('x'), { force: true })).toThrow(expect.objectContaining({ code: 'ERR_OUTPUT_IS_INPUT', category: 'usage' }));
        expect(() => assertWritable(output, true)).toThrow(expect.objectContaining({ code: 'ERR_OUTPUT_IS_INPUT' }));
        expect(() => writeFilesAtomic([{ path: output, data: bytes('x') }], { force: true })).toThrow(expect.objectContaining({ code: 'ERR_OUTPUT_IS_INPUT' }));
      }
      // Another file is fine.
      writeFileAtomic(join(dir.path, 'out.sfc'), bytes('new'));
    });
    expect(readFileSync(input, 'utf8')).toBe('original');
    // Outside the protected scope, an explicit `inputs` list does the same.
    expect(() => writeFileAtomic(join(dir.path, 'hard.sfc'), bytes('x'), { force: true, inputs: [input] })).toThrow(expect.objectContaining({ code: 'ERR_OUTPUT_IS_INPUT' }));
    writeFileAtomic(join(dir.path, 'hard.sfc'), bytes('x'), { force: true }); // unprotected: a plain --force overwrite
  });

  it('the refusal message suggests --in-place', () => {
    const input = join(dir.path, 'rom.sfc');
    writeFileSync(input, 'original');
    runWithProtectedInputs([input], () => {
      expect(() => writeFileAtomic(input, bytes('x'), { force: true })).toThrow(/--in-place/u);
    });
  });
});

describe('in-place writes', () => {
  it('two in-place writes in the same second both succeed, each with its own whole backup', () => {
    const rom = join(dir.path, 'rom.sfc');
    writeFileSync(rom, 'v1');
    const first = writeFileAtomic(rom, bytes('v2'), { backup: true });
    const second = writeFileAtomic(rom, bytes('v3'), { backup: true });
    expect(first.backupPath).not.toBe(second.backupPath);
    expect(readFileSync(first.backupPath!, 'utf8')).toBe('v1');
    expect(readFileSync(second.backupPath!, 'utf8')).toBe('v2');
    expect(readFileSync(rom, 'utf8')).toBe('v3');
    expect(readdirSync(dir.path).filter((n) => n.startsWith('.romgfx-'))).toEqual([]);
  });

  it('on a symlink, writes the file the link points to (the link stays a link)', () => {
    const real = join(dir.path, 'real.sfc');
    const link = join(dir.path, 'link.sfc');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    const result = writeFileAtomic(link, bytes('new'), { backup: true });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(readFileSync(result.backupPath!, 'utf8')).toBe('old');
  });

  it('keeps permission bits: a 0600 ROM stays 0600, in place and through -o --force', () => {
    const rom = join(dir.path, 'rom.sfc');
    writeFileSync(rom, 'old');
    chmodSync(rom, 0o600);
    writeFileAtomic(rom, bytes('new'), { backup: true });
    expect(statSync(rom).mode & 0o777).toBe(0o600);
    const out = join(dir.path, 'out.sfc');
    writeFileSync(out, 'x');
    chmodSync(out, 0o640);
    writeFileAtomic(out, bytes('y'), { force: true });
    expect(statSync(out).mode & 0o777).toBe(0o640);
  });

  it('a file changed since it was read is not replaced (no edit is lost)', () => {
    const rom = join(dir.path, 'rom.sfc');
    writeFileSync(rom, 'v1');
    const snapshot = statSync(rom);
    writeFileAtomic(rom, bytes('someone else'), { backup: true });
    expect(() => writeFileAtomic(rom, bytes('mine'), { backup: true, unchangedSince: snapshot })).toThrow(expect.objectContaining({ code: 'ERR_FILE_CHANGED' }));
    expect(readFileSync(rom, 'utf8')).toBe('someone else');
    // Protected inputs carry their snapshot: the CLI needs no extra option.
    writeFileSync(rom, 'v1');
    expect(() =>
      runWithProtectedInputs([rom], () => {
        writeFileSync(rom, 'changed under us!');
        writeFileAtomic(rom, bytes('mine'), { backup: true });
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_FILE_CHANGED' }));
    expect(readFileSync(rom, 'utf8')).toBe('changed under us!');
  });
});

describe('the in-place lock', () => {
  it('a lock held by a live process refuses the write; a dead owner\'s lock is taken over', async () => {
    const rom = join(dir.path, 'rom.sfc');
    writeFileSync(rom, 'v1');
    const lock = lockPathFor(rom);
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lock, `${sleeper.pid}\n`);
      expect(() => writeFileAtomic(rom, bytes('v2'), { backup: true })).toThrow(expect.objectContaining({ code: 'ERR_FILE_LOCKED', category: 'io' }));
      expect(readFileSync(rom, 'utf8')).toBe('v1');
      expect(readFileSync(lock, 'utf8')).toBe(`${sleeper.pid}\n`); // never stolen from a live owner
    } finally {
      sleeper.kill('SIGKILL');
    }
    writeFileSync(lock, `${deadPid()}\n`);
    writeFileAtomic(rom, bytes('v2'), { backup: true });
    expect(readFileSync(rom, 'utf8')).toBe('v2');
    expect(existsSync(lock)).toBe(false);
  });

  it('is re-entrant in one process and released however the work ends', () => {
    const rom = join(dir.path, 'rom.sfc');
    writeFileSync(rom, 'v1');
    withFileLock(rom, () => writeFileAtomic(rom, bytes('v2'), { backup: true }));
    expect(() => withFileLock(rom, () => { throw new Error('boom'); })).toThrow('boom');
    expect(existsSync(lockPathFor(rom))).toBe(false);
    const release = acquireFileLock(rom);
    expect(readFileSync(lockPathFor(rom), 'utf8')).toBe(`${process.pid}\n`);
    release();
  });
});

describe('names up to NAME_MAX', () => {
  it('a 255-byte output name is written (its temporary name is shortened, not the target)', () => {
    const name = 'é'.repeat(120) + 'x'.repeat(maximumFileNameLengthInBytes - 240 - 4) + '.sfc';
    expect(Buffer.byteLength(name)).toBe(maximumFileNameLengthInBytes);
    const path = join(dir.path, name);
    writeFileAtomic(path, bytes('one'));
    writeFileAtomic(path, bytes('two'), { backup: true });
    writeFilesAtomic([{ path, data: bytes('three') }], { force: true });
    expect(readFileSync(path, 'utf8')).toBe('three');
    expect(readdirSync(dir.path).filter((n) => n.startsWith('.romgfx-'))).toEqual([]);
    const stem = fittedStem(name, 32);
    expect(Buffer.byteLength(stem)).toBeLessThanOrEqual(maximumFileNameLengthInBytes - 32);
    expect(fittedStem(name + 'y', 32)).not.toBe(stem);
  });

  it('a killed writer\'s shortened temporary file is found and removed by the next write', () => {
    const name = 'a'.repeat(250) + '.gba';
    const stale = `.romgfx-tmp-${fittedStem(name, 32)}-${deadPid()}-0123abcd`;
    writeFileSync(join(dir.path, stale), 'partial');
    writeFileAtomic(join(dir.path, name), bytes('whole'));
    expect(readdirSync(dir.path)).toEqual([name]);
  });
});

describe('stale temporary files of every kind of output', () => {
  it('writeFilesAtomic (extract folders) removes its targets\' leftovers, not others\'', () => {
    const dead = deadPid();
    writeFileSync(join(dir.path, `.romgfx-tmp-a.png-${dead}-0123abcd`), 'x');
    writeFileSync(join(dir.path, `.romgfx-tmp-z.png-${dead}-0123abcd`), 'x');
    writeFilesAtomic([{ path: join(dir.path, 'a.png'), data: bytes('a') }]);
    expect(readdirSync(dir.path).sort()).toEqual([`.romgfx-tmp-z.png-${dead}-0123abcd`, 'a.png']);
  });
});
