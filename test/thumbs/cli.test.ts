/**
 * `romgfx thumbs` and `romgfx cache …` through the compiled CLI (run `npx tsc -p .` first).
 * Pixels are compared with what `romgfx extract` writes for the same block, scaled here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/version.js';
import { fixture, halOffset, rawOffset, writeFixtureRom } from './helpers/fixture-rom.js';

const bin = join(PACKAGE_ROOT, 'bin', 'romgfx.js');
let dir: string;
let romPath: string;

function romgfx(...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ROMGFX_CACHE_DIR: join(dir, 'default-cache') } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** RGB of every pixel of a PNG (indexed at any depth, or 8-bit RGB/RGBA). */
function rgbPixels(path: string): { width: number; height: number; rgb: number[] } {
  const png = decode(readFileSync(path));
  const data = png.data as Uint8Array;
  const rgb: number[] = [];
  const rowBytes = Math.ceil((png.width * png.depth * png.channels) / 8);
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      if (png.palette) {
        const bit = x * png.depth;
        const index = png.depth === 8 ? data[y * png.width + x]! : (data[y * rowBytes + (bit >> 3)]! >> (8 - png.depth - (bit & 7))) & ((1 << png.depth) - 1);
        const [r, g, b] = png.palette[index]!;
        rgb.push((r! << 16) | (g! << 8) | b!);
      } else {
        const o = (y * png.width + x) * png.channels;
        rgb.push((data[o]! << 16) | (data[o + 1]! << 8) | data[o + 2]!);
      }
    }
  }
  return { width: png.width, height: png.height, rgb };
}

function expectScaledCopy(thumbPath: string, extractPath: string, factor: number): void {
  const thumb = rgbPixels(thumbPath);
  const extracted = rgbPixels(extractPath);
  expect([thumb.width, thumb.height]).toEqual([extracted.width * factor, extracted.height * factor]);
  for (let y = 0; y < thumb.height; y++) {
    for (let x = 0; x < thumb.width; x++) {
      const want = extracted.rgb[Math.floor(y / factor) * extracted.width + Math.floor(x / factor)];
      if (thumb.rgb[y * thumb.width + x] !== want) throw new Error(`pixel (${x}, ${y}) differs from extract's (${Math.floor(x / factor)}, ${Math.floor(y / factor)})`);
    }
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'romgfx-thumbs-cli-'));
  romPath = join(dir, 'fixture.rom');
  writeFixtureRom(romPath);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('romgfx thumbs', () => {
  it('matches `romgfx extract` scaled ×2 for a game definition sprite (ROM palette) and a HAL block', () => {
    const sfc = fixture('roms', 'snes', 'SNES_05.sfc');
    const out = join(dir, 'defs');
    const run = romgfx('thumbs', sfc, '--defs', fixture('defs', 'snes05.json'), '-o', out, '--scale', '2', '--cache-dir', join(dir, 'c1'), '--json');
    // The definition's second entry (a palette) names no tile format: drawn in the platform's,
    // as extract-all draws it (thumbnailRequestsForDefinition gives extract-all's pictures).
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.variant).toBe('homebrew');
    expect(report.thumbnails.map((t: { name: string }) => t.name)).toEqual(['sprite-sheet', 'sprite-palette']);
    expect(report.failures).toEqual([]);
    const extracted = join(dir, 'extract-sprite.png');
    const ex = romgfx('extract', sfc, '--offset', '0x8120', '--format', 'snes4bpp', '--tiles', '256', '--palette', 'rom:0x8100', '-o', extracted);
    expect(ex.code, ex.stderr).toBe(0);
    expectScaledCopy(join(out, 'sprite-sheet.png'), extracted, 2);

    const halOut = join(dir, 'hal');
    const block = `0x${halOffset.toString(16)}:snes4bpp:1024:hal`;
    expect(romgfx('thumbs', romPath, '--block', block, '-o', halOut, '--scale', '2', '--tiles-per-row', '32', '--cache-dir', join(dir, 'c1')).code).toBe(0);
    const halExtract = join(dir, 'extract-hal.png');
    const ex2 = romgfx('extract', romPath, '--offset', `0x${halOffset.toString(16)}`, '--codec', 'hal', '--format', 'snes4bpp', '--tiles', '1024', '--tiles-per-row', '32', '-o', halExtract);
    expect(ex2.code, ex2.stderr).toBe(0);
    expectScaledCopy(join(halOut, readdirSync(halOut)[0]!), halExtract, 2);
  });

  it('previews Game Boy tiles with the ramp extract uses when given no palette (index 0 lightest)', () => {
    const out = join(dir, 'gb');
    const block = `0x${rawOffset.toString(16)}:gb2bpp:64`;
    const run = romgfx('thumbs', romPath, '--block', block, '-o', out, '--scale', '2', '--tiles-per-row', '16', '--cache-dir', join(dir, 'c-gb'));
    expect(run.code, run.stderr).toBe(0);
    const extracted = join(dir, 'extract-gb.png');
    const ex = romgfx('extract', romPath, '--offset', `0x${rawOffset.toString(16)}`, '--format', 'gb2bpp', '--tiles', '64', '--tiles-per-row', '16', '-o', extracted);
    expect(ex.code, ex.stderr).toBe(0);
    expect(decode(readFileSync(extracted)).palette![0]).toEqual([255, 255, 255]);
    expectScaledCopy(join(out, readdirSync(out)[0]!), extracted, 2);
  });

  it('renders --block items, refuses to overwrite without --force, and reports stats and metrics', () => {
    const out = join(dir, 'blocks');
    const cache = join(dir, 'c2');
    const metrics = join(dir, 'metrics.prom');
    const args = ['thumbs', romPath, '--block', `0x${rawOffset.toString(16)}:snes4bpp:64`, '--block', '0x1FFF0:snes4bpp:4', '-o', out, '--fit', '100x100', '--cache-dir', cache, '--json', '--stats', '--metrics-file', metrics];
    const first = romgfx(...args);
    expect(first.code).toBe(1);
    const report = JSON.parse(first.stdout);
    expect(report.thumbnails).toHaveLength(1);
    expect(report.thumbnails[0]).toMatchObject({ name: '001000-snes4bpp', width: 64, height: 16, source: 'render' });
    expect(report.failures[0]).toMatchObject({ name: '01FFF0-snes4bpp', code: 'ERR_OUT_OF_RANGE' });
    expect(report.stats).toMatchObject({ requests: 2, rendered: 1, memory: { misses: 2 }, disk: { misses: 2 } });
    expect(readFileSync(metrics, 'utf8')).toContain('romgfx_thumbnail_requests_total 2');

    const again = romgfx(...args);
    expect(again.code).toBe(74);
    expect(again.stderr).toContain('ERR_OUTPUT_EXISTS');

    const forced = romgfx(...args, '--force');
    expect(JSON.parse(forced.stdout).thumbnails[0].source).toBe('disk');
  });

  it('reads scanner results and writes WebP on request', () => {
    const scan = join(dir, 'scan.json');
    writeFileSync(scan, JSON.stringify([
      { offset: rawOffset, packedLength: 2048, unpackedLength: 2048, codec: 'none', format: 'snes4bpp', score: 0.9 },
      { offset: halOffset, packedLength: 6897, unpackedLength: 32768, codec: 'hal', format: 'snes4bpp', score: 0.8 },
      { offset: 'nowhere', format: 'snes4bpp' },
    ]));
    const out = join(dir, 'scan');
    const run = romgfx('thumbs', romPath, '--scan-results', scan, '-o', out, '--image-format', 'webp', '--no-cache', '--json');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.thumbnails.map((t: { file: string; tiles: number }) => [t.file.endsWith('.webp'), t.tiles])).toEqual([[true, 64], [true, 1024]]);
    expect(report.failures[0].message).toContain('offset');
    expect(readFileSync(join(out, '001000-snes4bpp.webp')).subarray(8, 12).toString()).toBe('WEBP');
  });

  it('rejects bad flags as usage errors', () => {
    expect(romgfx('thumbs', romPath, '-o', join(dir, 'x')).code).toBe(64);
    expect(romgfx('thumbs', romPath, '--block', '0x1000:snes4bpp', '-o', join(dir, 'x')).code).toBe(64);
    expect(romgfx('thumbs', romPath, '--block', '0x1000:snes4bpp:4', '--scale', '2', '--fit', '8x8', '-o', join(dir, 'x')).code).toBe(64);
    expect(romgfx('thumbs', romPath, '--block', '0x1000:snes4bpp:4', '--image-format', 'gif', '-o', join(dir, 'x')).code).toBe(64);
  });
});

describe('romgfx cache', () => {
  it('stats --json gives hits, misses, entries and bytes per level; verify finds corruption; clear empties', () => {
    const cache = join(dir, 'c3');
    const out = join(dir, 'c3-out');
    expect(romgfx('thumbs', romPath, '--block', '0x1000:snes4bpp:16', '--block', '0x1200:snes4bpp:16', '-o', out, '--cache-dir', cache).code).toBe(0);
    expect(romgfx('thumbs', romPath, '--block', '0x1000:snes4bpp:16', '-o', out, '--cache-dir', cache, '--force').code).toBe(0);
    const stats = JSON.parse(romgfx('cache', 'stats', '--cache-dir', cache, '--json').stdout);
    expect(stats).toMatchObject({ requests: 3, memory: { hits: 0, misses: 3, entries: 0, bytes: 0 }, disk: { hits: 1, misses: 2, entries: 2 } });
    expect(stats.disk.bytes).toBeGreaterThan(64);

    expect(romgfx('cache', 'verify', '--cache-dir', cache).code).toBe(0);
    const shard = readdirSync(join(cache, 'v1')).find((name) => /^[0-9a-f]{2}$/u.test(name))!;
    const entry = join(cache, 'v1', shard, readdirSync(join(cache, 'v1', shard))[0]!);
    truncateSync(entry, 40);
    const verify = romgfx('cache', 'verify', '--cache-dir', cache, '--json');
    expect(verify.code).toBe(1);
    expect(JSON.parse(verify.stdout)).toMatchObject({ entries: 2, valid: 1, removed: 0 });
    expect(romgfx('cache', 'verify', '--cache-dir', cache, '--remove-corrupt').code).toBe(1);
    expect(existsSync(entry)).toBe(false);
    expect(romgfx('cache', 'verify', '--cache-dir', cache).code).toBe(0);

    const cleared = JSON.parse(romgfx('cache', 'clear', '--cache-dir', cache, '--json').stdout);
    expect(cleared.removedEntries).toBe(1);
    expect(JSON.parse(romgfx('cache', 'stats', '--cache-dir', cache, '--json').stdout)).toMatchObject({ requests: 0, disk: { entries: 0, bytes: 0 } });
  });

  it('defaults to $ROMGFX_CACHE_DIR', () => {
    const stats = JSON.parse(romgfx('cache', 'stats', '--json').stdout);
    expect(stats.directory).toBe(join(dir, 'default-cache'));
  });
});
