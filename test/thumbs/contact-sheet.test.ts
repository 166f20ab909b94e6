import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeContactSheet } from '../../src/thumbs/contact-sheet.js';
import { ThumbnailService } from '../../src/thumbs/service.js';
import { ThumbnailRequestError } from '../../src/errors.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { rawOffset, writeFixtureRom } from './helpers/fixture-rom.js';

let dir: string;
let romPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'romgfx-sheet-'));
  romPath = join(dir, 'fixture.rom');
  writeFixtureRom(romPath);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function solid(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  return encode({ width, height, data: new Uint8Array(width * height).fill(1), depth: 8, channels: 1, palette: [[0, 0, 0], rgb] });
}

function pixel(png: ReturnType<typeof decode>, x: number, y: number): number[] {
  const o = (y * png.width + x) * png.channels;
  return [...(png.data as Uint8Array).subarray(o, o + 3)];
}

describe('composeContactSheet', () => {
  it('places each thumbnail in its grid cell on the background, leaving failed cells empty', () => {
    const sheet = composeContactSheet([solid(8, 4, [255, 0, 0]), null, solid(4, 8, [0, 0, 255])], { columns: 2, gap: 2, background: 0x102030 });
    // Cells are 8×8 (the largest width and height); 2 columns, 2 rows, 2-pixel gaps.
    expect([sheet.width, sheet.height]).toEqual([2 + 2 * 10, 2 + 2 * 10]);
    expect(sheet.cells).toEqual([
      { index: 0, x: 2, y: 2, width: 8, height: 4 },
      { index: 2, x: 2, y: 12, width: 4, height: 8 },
    ]);
    const png = decode(sheet.png);
    expect(pixel(png, 2, 2)).toEqual([255, 0, 0]);
    expect(pixel(png, 9, 5)).toEqual([255, 0, 0]);
    expect(pixel(png, 2, 6)).toEqual([0x10, 0x20, 0x30]); // below the 8×4 thumbnail
    expect(pixel(png, 12, 2)).toEqual([0x10, 0x20, 0x30]); // the failed cell
    expect(pixel(png, 5, 19)).toEqual([0, 0, 255]);
    expect(pixel(png, 0, 0)).toEqual([0x10, 0x20, 0x30]);
  });

  it('refuses an empty list and bad options', () => {
    expect(() => composeContactSheet([])).toThrow(ThumbnailRequestError);
    expect(() => composeContactSheet([solid(1, 1, [1, 2, 3])], { gap: -1 })).toThrow(/gap/u);
    expect(() => composeContactSheet([solid(1, 1, [1, 2, 3])], { background: 0x1000000 })).toThrow(/background/u);
  });

  it('ThumbnailService.contactSheet renders the blocks and composes them', async () => {
    const service = new ThumbnailService({ threads: 2, diskCache: false });
    try {
      const rom = service.rom(romPath);
      const requests = [0, 1, 2, 3].map((i) => ({ rom, block: { offset: rawOffset + i * 512, format: 'snes4bpp', tiles: 16 }, output: { format: 'webp' as const } }));
      const sheet = await service.contactSheet([...requests, { rom, block: { offset: 0x1fff0, format: 'snes4bpp', tiles: 4 } }], { columns: 5, gap: 0 });
      expect([sheet.width, sheet.height]).toEqual([5 * 128, 8]);
      expect(sheet.outcomes.map((o) => o.ok)).toEqual([true, true, true, true, false]);
      expect(sheet.cells).toHaveLength(4);
    } finally {
      await service.close();
    }
  });
});

describe('worker logging', () => {
  it('loses no worker log line when the pool closes right after the work', () => {
    const script = join(PACKAGE_ROOT, 'dist', 'test', 'helpers', 'thumbs', 'log-run.js');
    const result = spawnSync(process.execPath, [script, romPath, '60'], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('60');
    const lines = result.stderr.split('\n').filter((line) => line.includes('"msg":"rendered"'));
    expect(lines, result.stderr.slice(0, 2000)).toHaveLength(60);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ level: 20, name: 'romgfx-thumbnail-worker' });
  });
});
