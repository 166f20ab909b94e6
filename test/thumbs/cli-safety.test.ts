/**
 * `romgfx thumbs` and `romgfx cache verify` with the inputs of issue #14 "Files and paths":
 * two blocks whose names used to collide (one was lost), and cache entries replaced by FIFOs
 * (which used to hang both commands). Runs the compiled CLI (`npx tsc -p .` first).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/version.js';
import { rawOffset, writeFixtureRom } from './helpers/fixture-rom.js';
import { withUniqueNames } from '../../src/cli/commands/thumbs.js';

const bin = join(PACKAGE_ROOT, 'bin', 'romgfx.js');
let dir: string;
let romPath: string;

function romgfx(...args: string[]): { code: number; stdout: string; stderr: string; timedOut: boolean } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, ROMGFX_CACHE_DIR: join(dir, 'default-cache') } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, timedOut: result.signal === 'SIGTERM' };
}

function cacheEntries(cache: string): string[] {
  const found: string[] = [];
  for (const shard of readdirSync(join(cache, 'v1')).filter((s) => /^[0-9a-f]{2}$/u.test(s))) for (const name of readdirSync(join(cache, 'v1', shard))) if (name.endsWith('.thm')) found.push(join(cache, 'v1', shard, name));
  return found;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'romgfx-thumbs-safety-'));
  romPath = join(dir, 'fixture.rom');
  writeFixtureRom(romPath);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('every requested thumbnail gets its own file', () => {
  it('two --blocks at one offset and format with different tile counts write two thumbnails', () => {
    const out = join(dir, 'two');
    const at = `0x${rawOffset.toString(16)}`;
    const run = romgfx('thumbs', romPath, '--block', `${at}:snes4bpp:4`, '--block', `${at}:snes4bpp:8`, '--block', `${at}:snes4bpp:8`, '-o', out, '--no-cache', '--threads', '1', '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.thumbnails.map((t: { tiles: number }) => t.tiles)).toEqual([4, 8, 8]);
    const files = report.thumbnails.map((t: { file: string }) => t.file);
    expect(new Set(files).size).toBe(3);
    expect(readdirSync(out)).toHaveLength(3);
  });

  it('withUniqueNames: the first keeps its name, a different tile count is named by it, a true repeat is counted', () => {
    const item = (name: string, tiles: number) => ({ name, request: { block: { tiles } } });
    expect(withUniqueNames([item('a', 4), item('a', 8), item('a', 4), item('a', 8), item('b', 1)]).map((i) => i.name)).toEqual(['a', 'a-8t', 'a-2', 'a-8t-2', 'b']);
  });
});

describe('cache entries that are FIFOs', () => {
  it('thumbs re-renders them and cache verify reports them, neither hangs', () => {
    const cache = join(dir, 'cache');
    const at = `0x${rawOffset.toString(16)}`;
    const args = ['thumbs', romPath, '--block', `${at}:snes4bpp:16`, '--block', `${at}:snes4bpp:32`, '--cache-dir', cache, '--threads', '1', '--json'];
    expect(romgfx(...args, '-o', join(dir, 'first')).code).toBe(0);
    const entries = cacheEntries(cache);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      unlinkSync(entry);
      expect(spawnSync('mkfifo', [entry]).status).toBe(0);
    }
    const again = romgfx(...args, '-o', join(dir, 'second'));
    expect(again.timedOut).toBe(false);
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(JSON.parse(again.stdout).thumbnails).toHaveLength(2);
    for (const entry of cacheEntries(cache)) unlinkSync(entry);
    for (const entry of entries) spawnSync('mkfifo', [entry]);
    const verify = romgfx('cache', 'verify', '--cache-dir', cache, '--remove-corrupt', '--json');
    expect(verify.timedOut).toBe(false);
    expect(verify.code).toBe(1); // 'exits 1 when any is corrupt'
    const report = JSON.parse(verify.stdout);
    expect(report.corrupt).toHaveLength(entries.length);
    expect(report.corrupt[0].why).toMatch(/not a regular file/u);
    expect(report.removed).toBe(entries.length);
  });
});
