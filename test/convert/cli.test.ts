/** `romgfx convert` and `convert --reverse` as a user runs them (compiled CLI in a child process). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli, tempDir } from '../helpers/cli.js';
import { convertImage, decodedToRgba } from '../../src/convert/index.js';
import { decodePng } from '../../src/gfx/png.js';

const dir = tempDir('romgfx-convert-');
afterAll(() => dir.cleanup());
const input = fixture('convert', 'inputs', 'snes4_2pal.png');

describe('romgfx convert', () => {
  it('writes tiles, map and palette into a folder, then refuses to overwrite without --force', () => {
    // A prefix in a folder that does not exist: nothing is written.
    expect(runCli(['convert', input, '--target', 'snes', '-o', join(dir.path, 'missing', 'screen')]).code).toBe(66);
    // A prefix whose folder exists works:
    const first = runCli(['convert', input, '--target', 'snes', '-o', join(dir.path, 'screen'), '--report', join(dir.path, 'report.json'), '--tileset-png', join(dir.path, 'tileset.png')]);
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(join(dir.path, 'screen.tiles.bin'))).toBe(true);
    const library = convertImage(decodePng(new Uint8Array(readFileSync(input))), { target: 'snes' });
    expect(Buffer.from(readFileSync(join(dir.path, 'screen.tiles.bin'))).equals(Buffer.from(library.tiles))).toBe(true);
    expect(Buffer.from(readFileSync(join(dir.path, 'screen.map.bin'))).equals(Buffer.from(library.map))).toBe(true);
    expect(readFileSync(join(dir.path, 'screen.palette.bin')).length).toBe(library.paletteCount * 32);
    const reportJson = JSON.parse(readFileSync(join(dir.path, 'report.json'), 'utf8')) as { tileCount: number; flippedCells: unknown[] };
    expect(reportJson.tileCount).toBe(library.tileCount);
    expect(decodePng(new Uint8Array(readFileSync(join(dir.path, 'tileset.png')))).width).toBe(128);
    const again = runCli(['convert', input, '--target', 'snes', '-o', join(dir.path, 'screen')]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/exist/u);
    expect(runCli(['convert', input, '--target', 'snes', '-o', join(dir.path, 'screen'), '--force']).code).toBe(0);
  });

  it('--reverse renders the files back to the same pixels, and a wrong turn (no --target) is a usage error', () => {
    const p = (name: string): string => join(dir.path, `screen.${name}`);
    const back = join(dir.path, 'back.png');
    expect(runCli(['convert', '--reverse', '--tiles', p('tiles.bin'), '--map', p('map.bin'), '--palette', p('palette.bin'), '-o', back]).code).toBe(64);
    const run = runCli(['convert', '--reverse', '--target', 'snes', '--tiles', p('tiles.bin'), '--map', p('map.bin'), '--palette', p('palette.bin'), '--width', '8', '-o', back]);
    expect(run.code, run.stderr).toBe(0);
    const original = decodedToRgba(decodePng(new Uint8Array(readFileSync(input))));
    const reversed = decodedToRgba(decodePng(new Uint8Array(readFileSync(back))));
    expect(reversed.width).toBe(original.width);
    // Same colours after 5-bit reduction (the PNG carries the hardware's colours).
    const reduce = (v: Uint8Array): number[] => Array.from(v, (c, i) => (i % 4 === 3 ? c : c >> 3));
    expect(reduce(reversed.rgba)).toEqual(reduce(original.rgba));
  });

  it('--like rgbgfx writes the attribute and palette maps, and an image that cannot fit exits with a data error', () => {
    const out = join(dir.path, 'gbc');
    const run = runCli(['convert', fixture('convert', 'inputs', 'gbc_8pal.png'), '--target', 'gbc', '--like', 'rgbgfx', '-o', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(`${out}.attrmap.bin`) && existsSync(`${out}.palmap.bin`)).toBe(true);
    const bad = runCli(['convert', fixture('convert', 'inputs', 'err_9pal.png'), '--target', 'gbc', '-o', join(dir.path, 'bad')]);
    expect(bad.code).toBe(65);
    expect(bad.stderr).toMatch(/sub-palettes/u);
    writeFileSync(join(dir.path, 'not.png'), 'hello');
    expect(runCli(['convert', join(dir.path, 'not.png'), '--target', 'snes', '-o', join(dir.path, 'x')]).code).toBe(65);
  });
});
