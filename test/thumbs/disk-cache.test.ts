import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskCache, decodeEntry, defaultCacheDirectory } from '../../src/thumbs/disk-cache.js';
import { CacheCorruptError } from '../../src/errors.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { sha256Hex } from '../../src/util/hash.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'romgfx-disk-cache-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const key = (n: number): string => sha256Hex(`key ${n}`);
const entry = (size: number, seed = 1) => ({ bytes: Uint8Array.from({ length: size }, (_, i) => (i * seed + 11) & 0xff), width: 8, height: 4, format: 'png' as const });
function entryPath(dir: string, k: string): string {
  return join(dir, 'v1', k.slice(0, 2), `${k}.thm`);
}

describe('DiskCache', () => {
  it('round-trips an entry and survives a new instance (a process restart)', () => {
    const dir = tempDir();
    new DiskCache({ directory: dir }).write(key(1), entry(100));
    const again = new DiskCache({ directory: dir }).read(key(1));
    expect(again.kind).toBe('hit');
    if (again.kind !== 'hit') return;
    expect(again.value).toMatchObject({ width: 8, height: 4, format: 'png' });
    expect([...again.value.bytes]).toEqual([...entry(100).bytes]);
    expect(new DiskCache({ directory: dir }).read(key(2))).toEqual({ kind: 'miss' });
  });

  it('answers hits, misses, vanished and truncated entries the same whichever way it looks first (after a hit or after a miss)', () => {
    const dir = tempDir();
    const cache = new DiskCache({ directory: dir });
    for (let n = 1; n <= 4; n++) cache.write(key(n), entry(64, n));
    // miss (stat first) → hit → miss right after a hit (open first) → hit → truncated after a hit → hit → truncated after a miss.
    expect(cache.read(key(9)).kind).toBe('miss');
    expect(cache.read(key(1)).kind).toBe('hit');
    expect(cache.read(key(8)).kind).toBe('miss');
    const second = cache.read(key(2));
    expect(second.kind === 'hit' && [...second.value.bytes]).toEqual([...entry(64, 2).bytes]);
    truncateSync(entryPath(dir, key(3)), 40);
    expect(cache.read(key(3)).kind).toBe('corrupt');
    expect(cache.read(key(4)).kind).toBe('hit');
    expect(cache.read(key(7)).kind).toBe('miss');
    cache.write(key(5), entry(64, 5));
    truncateSync(entryPath(dir, key(5)), 10);
    expect(cache.read(key(5)).kind).toBe('corrupt');
    // Removed as corrupt: now a plain miss, after a hit and after a miss.
    expect(cache.read(key(3)).kind).toBe('miss');
    expect(cache.read(key(1)).kind).toBe('hit');
    expect(cache.read(key(5)).kind).toBe('miss');
  });

  it('writes in the background and flush() waits for it; background touches keep LRU order', async () => {
    const dir = tempDir();
    const cache = new DiskCache({ directory: dir });
    let done: unknown = 'pending';
    cache.writeInBackground(key(1), entry(100), (error) => (done = error));
    await cache.flush();
    expect(done).toBeUndefined();
    const old = Date.now() / 1000 - 1000;
    utimesSync(entryPath(dir, key(1)), old, old);
    expect(cache.read(key(1), { touch: 'background' }).kind).toBe('hit');
    await cache.flush();
    expect(statSync(entryPath(dir, key(1))).mtimeMs).toBeGreaterThan(old * 1000 + 500_000);
  });

  it('treats a truncated entry as corrupt, removes it, and accepts a rewrite', () => {
    const dir = tempDir();
    const cache = new DiskCache({ directory: dir });
    cache.write(key(1), entry(300));
    truncateSync(entryPath(dir, key(1)), 200);
    const read = cache.read(key(1));
    expect(read.kind).toBe('corrupt');
    expect(read.kind === 'corrupt' && read.why).toMatch(/truncated/u);
    expect(cache.read(key(1))).toEqual({ kind: 'miss' });
    cache.write(key(1), entry(300));
    expect(cache.read(key(1)).kind).toBe('hit');
    expect(cache.corruptEntriesRemoved).toBe(1);
  });

  it('detects every single flipped byte (header or payload)', () => {
    const dir = tempDir();
    const cache = new DiskCache({ directory: dir });
    cache.write(key(3), entry(64));
    const good = readFileSync(entryPath(dir, key(3)));
    for (let i = 0; i < good.length; i++) {
      const bad = Uint8Array.from(good);
      bad[i] = bad[i]! ^ 0x10;
      expect(() => decodeEntry('x', key(3), bad), `byte ${i}`).toThrow(CacheCorruptError);
    }
    expect(() => decodeEntry('x', key(4), good)).toThrow(/another key/u);
    expect(() => decodeEntry('x', key(3), new Uint8Array(0))).toThrow(/shorter than/u);
  });

  it('replaces garbage written in place of an entry', () => {
    const dir = tempDir();
    const cache = new DiskCache({ directory: dir });
    cache.write(key(5), entry(50));
    writeFileSync(entryPath(dir, key(5)), 'not a thumbnail at all, just text that is long enough');
    expect(cache.read(key(5)).kind).toBe('corrupt');
  });

  it('evicts least-recently-used entries at the byte bound', () => {
    const dir = tempDir();
    // Each entry is 32 + 1000 bytes; the bound holds 5 of them.
    const cache = new DiskCache({ directory: dir, maximumBytes: 5 * 1032 });
    const old = Date.now() / 1000 - 1000;
    for (let i = 0; i < 5; i++) {
      cache.write(key(i), entry(1000, i + 1));
      // Distinct, ordered mtimes without sleeping: entry i was used at old + i.
      utimesSync(entryPath(dir, key(i)), old + i, old + i);
    }
    expect(cache.scan()).toEqual({ entries: 5, bytes: 5 * 1032 });
    // Reading entry 0 makes it the most recently used.
    expect(cache.read(key(0)).kind).toBe('hit');
    cache.write(key(9), entry(1000, 9));
    const scan = cache.scan();
    expect(scan.bytes).toBeLessThanOrEqual(5 * 1032);
    // Over the bound → down to 90 % (4 entries): the two least recently used (1 and 2) are gone.
    expect(scan.entries).toBe(4);
    expect(cache.read(key(1)).kind).toBe('miss');
    expect(cache.read(key(2)).kind).toBe('miss');
    for (const k of [0, 3, 4, 9]) expect(cache.read(key(k)).kind, `entry ${k}`).toBe('hit');
  });

  it('verify reports corrupt entries and removes them when asked; clear empties the cache', () => {
    const dir = tempDir();
    const cache = new DiskCache({ directory: dir });
    for (let i = 0; i < 4; i++) cache.write(key(i), entry(40 + i));
    truncateSync(entryPath(dir, key(2)), 10);
    const report = cache.verify();
    expect(report).toMatchObject({ entries: 4, valid: 3, removed: 0 });
    expect(report.corrupt.map((c) => c.path)).toEqual([entryPath(dir, key(2))]);
    expect(cache.verify({ remove: true })).toMatchObject({ entries: 4, valid: 3, removed: 1 });
    expect(cache.verify()).toMatchObject({ entries: 3, valid: 3, corrupt: [] });
    expect(cache.clear().entries).toBe(3);
    expect(cache.scan()).toEqual({ entries: 0, bytes: 0 });
    cache.write(key(7), entry(10));
    expect(cache.read(key(7)).kind).toBe('hit');
  });

  it('sums counters recorded by several processes and skips torn lines', () => {
    const dir = tempDir();
    const cache = new DiskCache({ directory: dir });
    cache.recordCounters({ requests: 3, memoryHits: 1, memoryMisses: 2, diskHits: 1, diskMisses: 1 });
    new DiskCache({ directory: dir }).recordCounters({ requests: 2, memoryHits: 0, memoryMisses: 2, diskHits: 2, diskMisses: 0 });
    writeFileSync(join(dir, 'v1', 'counters.jsonl'), '{"requests": 1', { flag: 'a' });
    expect(cache.readCounters()).toEqual({ requests: 5, memoryHits: 1, memoryMisses: 4, diskHits: 3, diskMisses: 1 });
  });

  it('refuses a malformed key', () => {
    expect(() => new DiskCache({ directory: tempDir() }).read('../../etc/passwd')).toThrow(/64 lowercase hex/u);
  });

  it('follows ROMGFX_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheDirectory({ ROMGFX_CACHE_DIR: '/a', XDG_CACHE_HOME: '/b' })).toBe('/a');
    expect(defaultCacheDirectory({ XDG_CACHE_HOME: '/b' })).toBe('/b/romgfx');
    expect(defaultCacheDirectory({})).toMatch(/\.cache\/romgfx$/u);
  });

  it('two processes writing the same key never leave a torn entry for a reader', async () => {
    const dir = tempDir();
    const writer = join(PACKAGE_ROOT, 'dist', 'test', 'helpers', 'thumbs', 'disk-writer.js');
    const k = key(42);
    const run = () =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, [writer, dir, k, '300', '20000'], { stdio: ['ignore', 'pipe', 'inherit'] });
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('error', reject);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve(code ?? -1);
        });
      });
    const children = Promise.all([run(), run()]);
    let finished = false;
    void children.then(() => (finished = true));
    const reader = new DiskCache({ directory: dir });
    let hits = 0;
    let corrupt = 0;
    while (!finished) {
      const read = reader.read(k);
      if (read.kind === 'hit') hits++;
      if (read.kind === 'corrupt') corrupt++;
      await new Promise((r) => setImmediate(r));
    }
    expect(await children).toEqual([0, 0]);
    expect(corrupt).toBe(0);
    const final = reader.read(k);
    expect(final.kind).toBe('hit');
    expect(final.kind === 'hit' && final.value.bytes.length).toBe(20000);
    // No temporary files left behind.
    expect(readdirSync(join(dir, 'v1', k.slice(0, 2)))).toEqual([`${k}.thm`]);
    expect(hits).toBeGreaterThan(0);
  });
});
