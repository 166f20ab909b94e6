/**
 * A cache entry that is a directory, FIFO, socket or symlink is corrupt: reported, removed and
 * rewritten; never opened for reading (a FIFO used to hang `thumbs` and `cache verify`). Both
 * readers: the addon's (native/src/file_read.cc) and the fs fallback.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskCache, readEntry } from '../../src/thumbs/disk-cache.js';
import { nativeSmallFileReader } from '../../src/native/index.js';
import { sha256Hex } from '../../src/util/hash.js';

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const key = (n: number): string => sha256Hex(`special ${n}`);
const entry = { bytes: Uint8Array.of(1, 2, 3, 4), width: 2, height: 2, format: 'png' as const };
const entryPath = (dir: string, k: string) => join(dir, 'v1', k.slice(0, 2), `${k}.thm`);

/** Puts a special file where entry `k` belongs; returns false when this system cannot make it. */
async function plant(dir: string, k: string, kind: 'directory' | 'fifo' | 'socket' | 'symlink'): Promise<boolean> {
  const path = entryPath(dir, k);
  mkdirSync(join(dir, 'v1', k.slice(0, 2)), { recursive: true });
  if (kind === 'directory') mkdirSync(join(path, 'inner'), { recursive: true });
  if (kind === 'fifo') return spawnSync('mkfifo', [path]).status === 0;
  if (kind === 'symlink') {
    writeFileSync(join(dir, 'elsewhere'), 'not an entry');
    symlinkSync(join(dir, 'elsewhere'), path);
  }
  if (kind === 'socket') {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
  }
  return true;
}

const kinds = ['directory', 'fifo', 'socket', 'symlink'] as const;

describe('special files where a cache entry belongs', () => {
  it('read() reports corrupt, removes it, and the entry is rewritten — with each reader', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'romgfx-cache-special-'));
    dirs.push(dir);
    const cache = new DiskCache({ directory: dir });
    for (const [n, kind] of kinds.entries()) {
      const k = key(n);
      if (!(await plant(dir, k, kind))) continue;
      const result = cache.read(k);
      expect(result.kind, kind).toBe('corrupt');
      expect(existsSync(entryPath(dir, k)), kind).toBe(false);
      cache.write(k, entry);
      expect(cache.read(k).kind, kind).toBe('hit');
    }
    // The fs fallback path directly (no addon) refuses the same files.
    for (const [n, kind] of kinds.entries()) {
      const k = key(10 + n);
      if (!(await plant(dir, k, kind))) continue;
      expect(() => readEntry(entryPath(dir, k), null), kind).toThrow(expect.objectContaining({ code: 'ERR_CACHE_CORRUPT' }));
    }
  });

  it('the addon reports a FIFO and a directory as not regular, without blocking', async () => {
    const reader = nativeSmallFileReader();
    if (reader === null) return expect(reader).toBeNull(); // no addon on this platform: the fs path above covers it
    const dir = mkdtempSync(join(tmpdir(), 'romgfx-cache-special-'));
    dirs.push(dir);
    expect(reader(dir)).toEqual({ kind: 'notRegular' });
    if (await plant(dir, key(20), 'fifo')) expect(reader(entryPath(dir, key(20)))).toEqual({ kind: 'notRegular' });
    writeFileSync(join(dir, 'plain'), 'ok');
    expect(reader(join(dir, 'plain')).kind).toBe('read');
  });

  it('verify() lists them as corrupt and removes them (it used to hang on a FIFO)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'romgfx-cache-special-'));
    dirs.push(dir);
    const cache = new DiskCache({ directory: dir });
    cache.write(key(30), entry);
    let planted = 0;
    for (const [n, kind] of kinds.entries()) if (await plant(dir, key(40 + n), kind)) planted++;
    const report = cache.verify({ remove: true });
    expect(report.valid).toBe(1);
    // A directory is not listed as an entry by the scan only if stat says so; every planted special file is corrupt.
    expect(report.corrupt.length).toBe(planted);
    expect(report.removed).toBe(planted);
  });
});
