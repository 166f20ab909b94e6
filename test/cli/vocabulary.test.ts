/**
 * The command line's one vocabulary and its output (issue #18), run as a user runs it (dist/):
 * batch inputs, --threads/--tiles/--image-format, one --palette syntax, --palette-out,
 * suggestions, the GB default ramp, hex offsets and human sizes, scan's empty-result hint,
 * NES and LoROM-mirror addresses.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { buildNesRom, buildSnesRom } from '../../src/rom/build.js';
import { encodeIndexedPng } from '../../src/gfx/png.js';
import { encodeBgr555, grayscalePalette, parsePaletteFile } from '../../src/gfx/palette.js';
import { getCodec } from '../../src/codecs/registry.js';
import { decodeTiles, encodeTiles } from '../../src/gfx/formats.js';

const work = tempDir('romgfx-vocabulary-');
const at = (name: string): string => join(work.path, name);
const run = (...args: string[]) => runCli(args, { cwd: work.path });

/** A 16-colour palette of distinct colours (not a gray ramp), as BGR555. */
const colours = { rgb: new Uint8Array(48).map((_, i) => (i * 37 + 11) & 0xf8), count: 16 };

beforeAll(() => {
  // Two small sheets of tile-like art (runs of one index) and a ROM holding tiles + palette.
  for (const [name, seed] of [['a.png', 1], ['b.png', 2]] as const) {
    const pixels = new Uint8Array(16 * 16).map((_, i) => ((i >> 2) + seed) & 15);
    writeFileSync(at(name), encodeIndexedPng({ width: 16, height: 16, pixels }, colours));
  }
  const tiles = encodeTiles('snes4bpp', new Uint8Array(64 * 4).map((_, i) => (i >> 3) & 15));
  writeFileSync(at('game.sfc'), buildSnesRom({ mapping: 'lorom', payloads: [{ offset: 0x8000, bytes: tiles }, { offset: 0x9000, bytes: encodeBgr555(colours) }] }));
  writeFileSync(at('x.bin'), tiles);
  writeFileSync(at('y.bin'), tiles.subarray(0, 64));
});
afterAll(() => work.cleanup());

describe('batch inputs', () => {
  it('import: several PNGs into a folder, or through a {stem} pattern; one bad input fails alone with exit 1', () => {
    const folder = run('import', 'a.png', 'b.png', '--format', 'snes4bpp', '-o', 'tiles/');
    expect(folder.code, folder.stderr).toBe(0);
    expect(readFileSync(at('tiles/a.bin')).length).toBe(4 * 32);
    expect(existsSync(at('tiles/b.bin'))).toBe(true);
    const partly = run('import', 'a.png', 'missing.png', 'b.png', '--format', 'snes4bpp', '-o', '{stem}.4bpp', '--json');
    expect(partly.code).toBe(1);
    expect(partly.stderr).toContain('missing.png: error ERR_FILE_NOT_FOUND');
    const report = JSON.parse(partly.stdout) as { failed: number; results: { input: string; ok: boolean; error?: { code: string } }[] };
    expect(report.failed).toBe(1);
    expect(report.results.map((r) => [r.input, r.ok])).toEqual([['a.png', true], ['missing.png', false], ['b.png', true]]);
    expect(existsSync(at('a.4bpp')) && existsSync(at('b.4bpp'))).toBe(true);
    // Two inputs cannot share one output file.
    const clash = run('import', 'a.png', './a.png', '--format', 'snes4bpp', '-o', 'same/{stem}.bin');
    expect(clash.code).toBe(64);
    expect(clash.stderr).toContain('would both write');
  });

  it('compress and decompress: several files each, {name} keeps the extension; extract: several ROMs', () => {
    const packed = run('compress', 'x.bin', 'y.bin', '--codec', 'lz77', '-o', 'packed/');
    expect(packed.code, packed.stderr).toBe(0);
    expect(existsSync(at('packed/x.bin.lz77'))).toBe(true);
    const unpacked = run('decompress', 'packed/x.bin.lz77', 'packed/y.bin.lz77', '--codec', 'lz77', '-o', 'out/{name}.raw');
    expect(unpacked.code, unpacked.stderr).toBe(0);
    expect(readFileSync(at('out/x.bin.lz77.raw'))).toEqual(readFileSync(at('x.bin')));
    expect(readFileSync(at('out/y.bin.lz77.raw'))).toEqual(readFileSync(at('y.bin')));
    const extracted = run('extract', 'x.bin', 'y.bin', '--offset', '0', '--format', 'snes4bpp', '--tiles', '1', '-o', 'png/');
    expect(extracted.code, extracted.stderr).toBe(0);
    expect(existsSync(at('png/x.png')) && existsSync(at('png/y.png'))).toBe(true);
    // One palette per PNG: --palette-out takes a pattern too (a single file name is refused for a batch).
    const withPalettes = run('extract', 'x.bin', 'y.bin', '--offset', '0', '--format', 'snes4bpp', '--tiles', '1', '-o', 'png2/{stem}.png', '--palette-out', 'pal/{stem}.pal');
    expect(withPalettes.code, withPalettes.stderr).toBe(0);
    expect(existsSync(at('pal/x.pal')) && existsSync(at('pal/y.pal'))).toBe(true);
    expect(run('extract', 'x.bin', 'y.bin', '--offset', '0', '--format', 'snes4bpp', '--tiles', '1', '-o', 'png3/', '--palette-out', 'one.pal').code).toBe(64);
  });
});

describe('one vocabulary', () => {
  it('--codec is case-insensitive; a misspelt codec, format or platform gets "did you mean"', () => {
    expect(run('compress', 'x.bin', '--codec', 'LZ77', '-o', 'upper.lz77').code).toBe(0);
    const codec = run('decompress', 'x.bin', '--codec', 'lz7');
    expect(codec.code).toBe(64);
    expect(codec.stderr).toContain('did you mean "lz77"?');
    const format = run('extract', 'game.sfc', '--offset', '0x8000', '--format', 'snes4pp', '--tiles', '1', '-o', 'f.png');
    expect(format.stderr).toContain('did you mean "snes4bpp"?');
    expect(run('info', 'game.sfc', '--platform', 'snse').stderr).toContain('did you mean "snes"?');
  });

  it('--tiles everywhere, --tile-count still read; thumbs --image-format, its old --format refused with a pointer', () => {
    expect(run('import', 'a.png', '--format', 'snes4bpp', '--tile-count', '2', '-o', 'two.bin').code).toBe(0);
    expect(readFileSync(at('two.bin')).length).toBe(64);
    expect(run('import', 'a.png', '--format', 'snes4bpp', '--tiles', '2', '--tile-count', '2', '-o', 'both.bin').code).toBe(64);
    const old = run('thumbs', 'game.sfc', '--block', '0x8000:snes4bpp:4', '--format', 'webp', '-o', 'thumbs');
    expect(old.code).toBe(64);
    expect(old.stderr).toContain('--image-format webp');
  });

  it('scan takes --threads; --workers still works (hidden); an empty scan says why and what to try', () => {
    const blank = run('scan', 'x.bin', '--codec', 'hal', '--threads', '0', '--no-cache', '--platform', 'unknown');
    expect(blank.code, blank.stderr).toBe(0);
    expect(blank.stderr).toMatch(/nothing found: .*--range.*--min-size/u);
    expect(run('scan', 'x.bin', '--codec', 'hal', '--workers', '0', '--no-cache', '--platform', 'unknown').code).toBe(0);
    expect(run('scan', '--help').stdout).not.toContain('--workers');
  });

  it('--palette takes an indexed PNG (its PLTE), rom:<loc>:<count> (import too, with --rom), and extract writes --palette-out', () => {
    const fromPng = run('extract', 'game.sfc', '--offset', '0x8000', '--format', 'snes4bpp', '--tiles', '4', '--palette', 'a.png', '--palette-out', 'used.gpl', '-o', 'p.png');
    expect(fromPng.code, fromPng.stderr).toBe(0);
    const written = parsePaletteFile(readFileSync(at('used.gpl')), 'used.gpl');
    expect(written.rgb).toEqual(colours.rgb);
    const fromRom = run('extract', 'game.sfc', '--offset', '$80:8000', '--format', 'snes4bpp', '--tiles', '4', '--palette', 'rom:$81:9000:16', '-o', 'r.png', '--json');
    expect(JSON.parse(fromRom.stdout)).toMatchObject({ paletteColours: 16 });
    // An RGB render of those tiles imports back through the ROM palette.
    const imported = run('import', 'r.png', '--format', 'snes4bpp', '--rom', 'game.sfc', '--palette', 'rom:0x9000', '-o', 'r.bin');
    expect(imported.code, imported.stderr).toBe(0);
    expect(run('import', 'r.png', '--format', 'snes4bpp', '--palette', 'rom:0x9000', '-o', 'r2.bin').stderr).toContain('--rom <file>');
    expect(run('extract', 'game.sfc', '--offset', '0x8000', '--format', 'snes4bpp', '--tiles', '1', '--palette-out', 'x.pall', '-o', 'q.png').stderr).toContain('did you mean ".pal"?');
  });

  it('extract --codec pb16 takes --size as decompress does', () => {
    writeFileSync(at('tiny.pb16'), new Uint8Array([0x30, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]));
    const result = run('extract', 'tiny.pb16', '--offset', '0', '--codec', 'pb16', '--size', '8', '--format', '1bpp', '-o', 'pb.png', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ tiles: 1, unpackedLength: 8 });
    expect(run('extract', 'tiny.pb16', '--offset', '0', '--size', '8', '--format', '1bpp', '-o', 'pb2.png').stderr).toContain('--size is the decompressed size');
  });
});

describe('output a script can trust', () => {
  it('Game Boy tiles default to index 0 lightest (still one gray per index)', () => {
    writeFileSync(at('gb.bin'), encodeTiles('gb2bpp', new Uint8Array(64).map((_, i) => i & 3)));
    expect(run('extract', 'gb.bin', '--offset', '0', '--format', 'gb2bpp', '--tiles', '1', '-o', 'gb.png').code).toBe(0);
    const png = readFileSync(at('gb.png'));
    const plte = png.indexOf('PLTE');
    expect([...png.subarray(plte + 4, plte + 16)]).toEqual([255, 255, 255, 170, 170, 170, 85, 85, 85, 0, 0, 0]);
    // And the index comes back unchanged.
    expect(run('import', 'gb.png', '--format', 'gb2bpp', '-o', 'gb-back.bin').code).toBe(0);
    expect(decodeTiles('gb2bpp', readFileSync(at('gb-back.bin')).subarray(0, 16))).toEqual(decodeTiles('gb2bpp', readFileSync(at('gb.bin'))));
    // Other formats keep index 0 black.
    expect(grayscalePalette(2).rgb[0]).toBe(0);
  });

  it('offsets in messages are hex; sizes are human in text and raw in --json', () => {
    writeFileSync(at('blob.bin'), getCodec('hal').compress(new Uint8Array(3000).map((_, i) => i % 7)));
    const text = run('decompress', 'blob.bin', '--codec', 'hal').stdout;
    expect(text).toMatch(/^hal at 0x0: packed \d+ bytes \(ends at 0x[0-9A-F]+\), unpacked 2\.9 KiB \(3000 bytes\)/u);
    expect(JSON.parse(run('decompress', 'blob.bin', '--codec', 'hal', '--json').stdout)).toMatchObject({ unpackedLength: 3000 });
    expect(run('decompress', 'blob.bin', '--codec', 'hal', '--offset', '99999').stderr).toContain('0x1869F');
  });

  it('NES bus and PPU addresses and LoROM mirrors resolve on the command line', () => {
    writeFileSync(at('mmc1.nes'), buildNesRom({ mapper: 1, prgBanks: 8, chrBanks: 2 }));
    expect(run('addr', 'mmc1.nes', '$03:8000').stdout).toContain('ROM offset 0xC010');
    expect(run('addr', 'mmc1.nes', '$C000').stdout).toContain('ROM offset 0x1C010');
    expect(run('addr', 'mmc1.nes', 'ppu:$01:1000').stdout).toContain('ROM offset 0x21010');
    expect(run('addr', 'mmc1.nes', '0xC010').stdout).toContain('bus $03:8000');
    const chr = run('extract', 'mmc1.nes', '--offset', 'ppu:$0000', '--format', 'nes2bpp', '--tiles', '4', '-o', 'chr.png', '--json');
    expect(JSON.parse(chr.stdout)).toMatchObject({ offset: 0x20010 });
    expect(run('addr', 'game.sfc', '$C5:0100').stdout).toContain('ROM offset 0x28100');
    expect(run('addr', 'game.sfc', '$40:8000').stdout).toContain('ROM offset 0x0');
  });
});
