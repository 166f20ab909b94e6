import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encode as fastPngEncode } from 'fast-png';
import { fixture, runCli, tempDir } from '../helpers/cli.js';
import { decodeBgr555, decodePng, decodeTiles, encodePlanarTiles, planarLayoutSnes4bpp, objTileAddress, unarrangeSheet } from '../../src/gfx/index.js';
import { equalBytes } from './helpers.js';

// Runs the compiled CLI (npm test builds dist/ first).
const work = tempDir('romgfx-gfx-cli-');
afterAll(() => work.cleanup());
const run = (...args: string[]) => runCli(args, { cwd: work.path });
const read = (name: string) => new Uint8Array(readFileSync(join(work.path, name)));

describe('romgfx formats', () => {
  it('lists every format with aliases', () => {
    const rows = JSON.parse(run('formats', '--json').stdout) as { name: string; aliases: string[] }[];
    expect(rows.map((r) => r.name)).toEqual(['1bpp', '1bpp-lsb', 'nes2bpp', 'gb2bpp', 'snes3bpp', 'snes4bpp', 'snes8bpp', 'sms4bpp', 'gba4bpp', 'md4bpp', 'wsc-packed4bpp', 'ngp2bpp', 'mode7']);
    expect(rows.find((r) => r.name === 'mode7')!.aliases).toEqual(['8bpp', 'gba8bpp']);
  });
});

describe('romgfx extract / import on real ROMs', () => {
  it('SNES_05: sprite.chr at 0x8120 with the palette read from ROM at 0x8100; import gives the bytes back', () => {
    const result = run('extract', fixture('roms/snes/SNES_05.sfc'), '--offset', '0x8120', '--format', 'snes4bpp', '--tiles', '256', '--palette', 'rom:0x8100', '-o', 'sprite.png', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ offset: 0x8120, tiles: 256, width: 128, height: 128, paletteColours: 16 });
    const png = decodePng(read('sprite.png'));
    if (png.kind !== 'indexed') throw new Error('expected an indexed PNG');
    expect(equalBytes(png.palette.rgb, decodeBgr555(new Uint8Array(readFileSync(fixture('roms/snes/sprite.pal')))).rgb)).toBe(true);
    expect(equalBytes(unarrangeSheet(png).indices, decodeTiles('snes4bpp', new Uint8Array(readFileSync(fixture('roms/snes/sprite.chr')))))).toBe(true);
    expect(run('import', 'sprite.png', '--format', 'snes4bpp', '-o', 'sprite.chr').code).toBe(0);
    expect(equalBytes(read('sprite.chr'), new Uint8Array(readFileSync(fixture('roms/snes/sprite.chr'))))).toBe(true);
  });

  it('SNES_05 by bus address $81:8120 (LoROM) is the same data', () => {
    expect(run('extract', fixture('roms/snes/SNES_05.sfc'), '--offset', '$81:8120', '--format', 'snes4bpp', '--length', '8192', '-o', 'bus.png').code).toBe(0);
    expect(run('import', 'bus.png', '--format', 'snes4bpp', '-o', 'bus.chr').code).toBe(0);
    expect(equalBytes(read('bus.chr'), new Uint8Array(readFileSync(fixture('roms/snes/sprite.chr'))))).toBe(true);
  });

  it('full_game.nes: CHR-ROM at 0x8010 round-trips to full_game.chr', () => {
    expect(run('extract', fixture('roms/nes/full_game.nes'), '--offset', '0x8010', '--format', 'nes2bpp', '--tiles', '512', '-o', 'chr.png').code).toBe(0);
    expect(run('import', 'chr.png', '--format', 'nes2bpp', '-o', 'chr.bin').code).toBe(0);
    expect(equalBytes(read('chr.bin'), new Uint8Array(readFileSync(fixture('roms/nes/full_game.chr'))))).toBe(true);
  });

  for (const [rom, offset] of [
    ['arm__arm.gba', '0x1F78'],
    ['ppu__hello.gba', '0x214'],
  ] as const) {
    it(`${rom}: 1bpp-lsb glyphs at ${offset}`, () => {
      const name = rom.replace('.gba', '');
      expect(run('extract', fixture('roms/gba', rom), '--offset', offset, '--format', '1bpp-lsb', '--tiles', '96', '-o', `${name}.png`).code).toBe(0);
      expect(run('import', `${name}.png`, '--format', '1bpp-lsb', '-o', `${name}.1bpp`).code).toBe(0);
      expect(equalBytes(read(`${name}.1bpp`), new Uint8Array(readFileSync(fixture('roms/gba/glyphs.1bpp'))))).toBe(true);
    });
  }

  it('extract --codec hal decodes a compressed block and reports its packed length', () => {
    const blob = new Uint8Array(256 + 7000);
    blob.set(readFileSync(fixture('hal/tiles4bpp_32k.L2.hal')), 256);
    writeFileSync(join(work.path, 'blob.bin'), blob);
    const result = run('extract', 'blob.bin', '--offset', '0x100', '--codec', 'hal', '--format', 'snes4bpp', '-o', 'hal.png', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ codec: 'hal', packedLength: 6897, unpackedLength: 32768, tiles: 1024 });
    expect(run('import', 'hal.png', '--format', 'snes4bpp', '-o', 'hal.bin').code).toBe(0);
    expect(equalBytes(read('hal.bin'), new Uint8Array(readFileSync(fixture('hal/tiles4bpp_32k.bin'))))).toBe(true);
  });

  it('usage errors exit 64; data errors exit 65; existing outputs are kept', () => {
    const noCount = run('extract', fixture('roms/nes/full_game.nes'), '--offset', '0x8010', '--format', 'nes2bpp', '-o', 'x.png');
    expect(noCount.code, noCount.stderr).toBe(64);
    expect(run('extract', fixture('roms/nes/full_game.nes'), '--offset', '0x8010', '--format', 'nes9bpp', '--tiles', '1', '-o', 'x.png').stderr).toContain('ERR_UNKNOWN_FORMAT');
    const tooMany = run('extract', fixture('roms/nes/full_game.nes'), '--offset', '0x9F00', '--format', 'nes2bpp', '--tiles', '512', '-o', 'x.png');
    expect(tooMany.code, tooMany.stderr).toBe(65);
    expect(tooMany.stderr).toContain('ERR_TILE_LENGTH');
    expect(run('extract', fixture('roms/nes/full_game.nes'), '--offset', '0x8010', '--format', 'nes2bpp', '--tiles', '1', '-o', 'chr.png').code).toBe(74);
  });
});

describe('romgfx import colour matching', () => {
  it('an RGB PNG with off-palette colours fails naming colours and pixels; --nearest accepts it', () => {
    // 8×8 RGB: the Game Boy gray ramp (index 0 lightest: 255, 170, 85, 0) plus two stray colours
    const rgb = new Uint8Array(8 * 8 * 3).fill(85);
    rgb.set([200, 10, 10], (2 * 8 + 5) * 3);
    rgb.set([1, 1, 1], (7 * 8 + 0) * 3);
    writeFileSync(join(work.path, 'rgb.png'), fastPngEncode({ width: 8, height: 8, data: rgb, channels: 3, depth: 8 }));
    const failed = run('import', 'rgb.png', '--format', 'gb2bpp', '-o', 'rgb.bin', '--json');
    expect(failed.code, failed.stderr).toBe(65);
    const error = JSON.parse(failed.stdout) as { error: { code: string; details: { colours: { colour: string; x: number; y: number }[] } } };
    expect(error.error.code).toBe('ERR_OFF_PALETTE');
    expect(error.error.details.colours).toEqual([
      { colour: '#c80a0a', x: 5, y: 2, pixels: 1 },
      { colour: '#010101', x: 0, y: 7, pixels: 1 },
    ]);
    expect(failed.stderr).toContain('#c80a0a first at (5, 2)');
    expect(existsSync(join(work.path, 'rgb.bin'))).toBe(false);
    expect(run('import', 'rgb.png', '--format', 'gb2bpp', '--nearest', '-o', 'rgb.bin').code).toBe(0);
    const indices = decodeTiles('gb2bpp', read('rgb.bin'));
    expect(indices[0]).toBe(2); // 85 is the second-darkest shade: index 2 when 0 is white
    expect(indices[56]).toBe(3); // #010101 is nearest to black: index 3
  });

  it('an indexed PNG whose indices exceed the format names the pixel', () => {
    // tiles16.png has 16 colours; as 2bpp the first index over 3 is reported
    const result = run('import', fixture('tiles/tiles16.png'), '--format', 'gb2bpp', '-o', 'bad.bin');
    expect(result.code, result.stderr).toBe(65);
    expect(result.stderr).toMatch(/ERR_INDEX_TOO_LARGE: pixel \(\d+, \d+\) has index \d+, which does not fit in 2 bpp/u);
  });

  it('indices are checked against the format whatever the PNG palette size: a small palette needs no second pass, a large one is checked pixel by pixel', () => {
    const pixels = new Uint8Array(16 * 8).map((_, i) => (i * 7) & 3);
    const palette = (count: number) => Array.from({ length: count }, (_, i) => [i, i, i] as [number, number, number]);
    // An indexed PNG with 4 PLTE entries as snes4bpp: every index fits by the PLTE alone.
    writeFileSync(join(work.path, 'small-plte.png'), fastPngEncode({ width: 16, height: 8, data: Uint8Array.from(pixels), depth: 8, channels: 1, palette: palette(4) }));
    // 256 PLTE entries, indices 0-3 only: the check runs and passes; one index 16 fails it.
    writeFileSync(join(work.path, 'big-plte.png'), fastPngEncode({ width: 16, height: 8, data: Uint8Array.from(pixels), depth: 8, channels: 1, palette: palette(256) }));
    const over = Uint8Array.from(pixels);
    over[8 * 16 - 1] = 16;
    writeFileSync(join(work.path, 'big-plte-over.png'), fastPngEncode({ width: 16, height: 8, data: over, depth: 8, channels: 1, palette: palette(256) }));
    const expected = new Uint8Array(2 * 32);
    encodePlanarTiles(unarrangeSheet({ width: 16, height: 8, pixels }).indices, expected, 2, planarLayoutSnes4bpp);
    for (const name of ['small-plte', 'big-plte']) {
      const result = run('import', `${name}.png`, '--format', 'snes4bpp', '-o', `${name}.bin`, '--force');
      expect(result.code, result.stderr).toBe(0);
      expect(equalBytes(read(`${name}.bin`), expected), name).toBe(true);
    }
    const failed = run('import', 'big-plte-over.png', '--format', 'snes4bpp', '-o', 'big-plte-over.bin');
    expect(failed.code).toBe(65);
    expect(failed.stderr).toContain('ERR_INDEX_TOO_LARGE: pixel (15, 7) has index 16, which does not fit in 4 bpp');
  });
});

describe('romgfx render', () => {
  it('tiles + SNES map + CGRAM render the map', () => {
    const tiles = new Uint8Array(readFileSync(fixture('tiles/small16.snes4bpp.bin'))); // 32 tiles
    writeFileSync(join(work.path, 't.bin'), tiles);
    const map = Uint8Array.of(3, 0, 5, 0x44, 31, 0x80, 0, 0); // tile 3; tile 5 pal 1 h-flip; tile 31 v-flip; tile 0
    writeFileSync(join(work.path, 'm.bin'), map);
    const cgram = new Uint8Array(512);
    for (let i = 0; i < 256; i++) cgram[i * 2] = i & 31;
    writeFileSync(join(work.path, 'cgram.bin'), cgram);
    const result = run('render', '--tiles', 't.bin', '--format', 'snes4bpp', '--map', 'm.bin', '--map-width', '2', '--palette', 'cgram.bin', '-o', 'map.png', '--json');
    expect(result.code, result.stderr).toBe(0);
    const png = decodePng(read('map.png'));
    if (png.kind !== 'indexed') throw new Error('expected an indexed PNG');
    expect(png.palette.count).toBe(256);
    const indices = decodeTiles('snes4bpp', tiles);
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++) {
        expect(png.pixels[y * 16 + x]).toBe(indices[3 * 64 + y * 8 + x]);
        expect(png.pixels[y * 16 + 8 + x]).toBe(16 + indices[5 * 64 + y * 8 + (7 - x)]!);
        expect(png.pixels[(8 + y) * 16 + x]).toBe(indices[31 * 64 + (7 - y) * 8 + x]);
      }
  });
});

describe('romgfx render / import layouts', () => {
  it('snes-obj:16x16 metatile sheet and a column-major sheet round-trip through import', () => {
    const tiles = fixture('tiles/small16.snes4bpp.bin');
    const original = new Uint8Array(readFileSync(tiles));
    for (const layout of [['--layout', 'snes-obj:16x16', '--metatiles-per-row', '4'], ['--tiles-per-row', '4', '--column-major']]) {
      const name = layout[1]!.replace(/[^a-z0-9]/gu, '');
      expect(run('render', '--tiles', tiles, '--format', 'snes4bpp', ...layout, '-o', `${name}.png`).code).toBe(0);
      expect(run('import', `${name}.png`, '--format', 'snes4bpp', ...layout, '-o', `${name}.bin`).code).toBe(0);
      expect(equalBytes(read(`${name}.bin`), original), layout.join(' ')).toBe(true);
    }
  });

  it('a small block:2x2 extract (narrower than 128 pixels) imports back without --metatiles-per-row', () => {
    const tiles = fixture('tiles/small16.snes4bpp.bin');
    const result = run('extract', tiles, '--offset', '0', '--format', 'snes4bpp', '--tiles', '8', '--layout', 'block:2x2', '-o', 'block.png', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ width: 32, height: 16 });
    expect(run('import', 'block.png', '--format', 'snes4bpp', '--layout', 'block:2x2', '-o', 'block.bin').code).toBe(0);
    expect(equalBytes(read('block.bin'), new Uint8Array(readFileSync(tiles)).subarray(0, 256))).toBe(true);
  });

  it('layout flags that contradict each other are usage errors', () => {
    const result = run('render', '--tiles', fixture('tiles/small16.snes4bpp.bin'), '--format', 'snes4bpp', '--layout', 'gb-8x16', '--tiles-per-row', '4', '-o', 'bad.png');
    expect(result.code, result.stderr).toBe(64);
  });
});

describe('romgfx dump', () => {
  it('without OAM writes the VRAM as a 4bpp sheet in CGRAM palette 8', () => {
    const vram = new Uint8Array(0x10000);
    vram[0] = 0x80; // tile 0, row 0, plane 0, pixel 0 → colour 1
    writeFileSync(join(work.path, 'only_vram.bin'), vram);
    const cgram = new Uint8Array(512);
    cgram[(128 + 1) * 2 + 1] = 0x7c; // CGRAM 129 = pure blue
    writeFileSync(join(work.path, 'only_cgram.bin'), cgram);
    const result = run('dump', 'only_vram.bin', '--cgram', 'only_cgram.bin', '-o', 'vramsheet', '--json');
    expect(result.code, result.stderr).toBe(0);
    const sheet = decodePng(read('vramsheet/vram.png'));
    if (sheet.kind !== 'indexed') throw new Error('expected an indexed PNG');
    expect([sheet.width, sheet.height]).toEqual([128, 1024]);
    expect(sheet.pixels[0]).toBe(1);
    expect([...sheet.palette.rgb.subarray(3, 6)]).toEqual([0, 0, 255]);
  });


  it('finds CGRAM and OAM siblings by name and writes sprites and a composite', () => {
    const vram = new Uint8Array(0x10000);
    const tile = new Uint8Array(64).fill(7);
    const bytes = new Uint8Array(32);
    encodePlanarTiles(tile, bytes, 1, planarLayoutSnes4bpp);
    vram.set(bytes, objTileAddress(0, 4));
    const oam = new Uint8Array(544);
    for (let i = 0; i < 128; i++) oam[i * 4 + 1] = 240; // parked
    oam.set([20, 30, 4, 3 << 1], 0); // sprite 0 at (20, 30), tile 4, palette 3
    const cgram = new Uint8Array(512);
    cgram[(128 + 3 * 16 + 7) * 2] = 31; // pure red at CGRAM 183
    writeFileSync(join(work.path, 'game.VRAM.dmp'), vram);
    writeFileSync(join(work.path, 'game.CGRAM.dmp'), cgram);
    writeFileSync(join(work.path, 'game.OAM.dmp'), oam);
    const result = run('dump', 'game.VRAM.dmp', '-o', 'out', '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { files: { path: string; sprite?: number }[]; cgram: string };
    expect(report.cgram).toContain('game.CGRAM.dmp');
    expect(report.files.map((f) => f.path.split('/').pop())).toEqual(['sprite-000.png', 'composite.png']);
    const sprite = decodePng(read('out/sprite-000.png'));
    if (sprite.kind !== 'indexed') throw new Error('expected an indexed PNG');
    expect([sprite.width, sprite.height]).toEqual([8, 8]);
    expect(sprite.pixels.every((v) => v === 7)).toBe(true);
    expect([...sprite.palette.rgb.subarray(21, 24)]).toEqual([255, 0, 0]);
    const composite = decodePng(read('out/composite.png'));
    if (composite.kind !== 'indexed') throw new Error('expected an indexed PNG');
    expect(composite.pixels[30 * 256 + 20]).toBe(183);
    expect(composite.pixels[30 * 256 + 19]).toBe(0);
    expect(composite.alpha[0]).toBe(0);
    expect(run('dump', 'game.VRAM.dmp', '-o', 'out').code).toBe(74);
  });
});
