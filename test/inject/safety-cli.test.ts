/**
 * Issue 14's silent-damage paths and issue 18's injection items, as a user meets them on the demo
 * ROM through the compiled CLI (`npm test` builds first): each command once exited 0 after writing
 * a wrong ROM; each now refuses (exit 65 or 64, nothing written) or writes the right bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, repoRoot } from '../helpers/cli.js';
import { buildDemoRom, demoDefinition } from '../../src/demo/demo-rom.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { decodePng, encodeIndexedPng } from '../../src/gfx/png.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import { deflateSync } from 'node:zlib';
import { crc32 } from '../../src/util/hash.js';
import { noisyArt } from './fixtures.js';

/** A truecolour (RGB, 8-bit) PNG: what an editor saves when it drops the palette. */
function rgbPng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

let dir: { path: string; cleanup: () => void };
let romPath: string;
let defsPath: string;
let demoJson: Record<string, unknown> & { sprites: Record<string, unknown>[]; variants: Record<string, unknown>[] };
const demo = buildDemoRom();

beforeAll(() => {
  dir = tempDir('romgfx-safety-cli-');
  romPath = join(dir.path, 'demo.sfc');
  defsPath = join(dir.path, 'demo.game.json');
  writeFileSync(romPath, demo.bytes);
  demoJson = demoDefinition(demo, romFromBytes(demo.bytes).identity()) as typeof demoJson;
  writeFileSync(defsPath, JSON.stringify(demoJson));
});
afterAll(() => dir.cleanup());

function writeDefinition(name: string, change: (json: typeof demoJson) => void): string {
  const json = structuredClone(demoJson);
  change(json);
  const path = join(dir.path, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
}

/** An indexed PNG of `width`x`height` whose pixels are noise of 4 bpp, with the palette of `like`. */
function noisePng(like: string, width: number, height: number, seed: number): Uint8Array {
  const decoded = decodePng(readFileSync(like));
  if (decoded.kind !== 'indexed') throw new Error('expected an indexed PNG');
  const art = noisyArt((width * height) / 64, 4, seed);
  return encodeIndexedPng({ width, height, pixels: art.subarray(0, width * height) }, decoded.palette, { transparentIndex0: true });
}

describe('issue 14 on the demo ROM', () => {
  it('1. raw round trip: extract --tiles 4 then inject --at gives the same ROM; drawn padding is refused', () => {
    const png = join(dir.path, 'e.png');
    expect(runCli(['extract', romPath, '--offset', '0x10146', '--format', 'snes4bpp', '--tiles', '4', '-o', png]).code).toBe(0);
    // Without a length a raw block cannot be placed: usage error, nothing written.
    const noLength = runCli(['inject', romPath, png, '--at', '0x10146', '--codec', 'none', '--format', 'snes4bpp', '-o', join(dir.path, 'x.sfc')]);
    expect(noLength.code).toBe(64);
    expect(noLength.stderr).toContain('--tiles');
    expect(existsSync(join(dir.path, 'x.sfc'))).toBe(false);
    const out = join(dir.path, 'same.sfc');
    const same = runCli(['inject', romPath, png, '--at', '0x10146', '--codec', 'none', '--format', 'snes4bpp', '--tiles', '4', '-o', out]);
    expect(same.code, same.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(out), Buffer.from(demo.bytes))).toBe(0);
    // Paint tile 6 of the 12 padding tiles: refused, naming it.
    const decoded = decodePng(readFileSync(png));
    if (decoded.kind !== 'indexed') throw new Error('indexed');
    const pixels = decoded.pixels.slice();
    pixels[6 * 8 + 2] = 3;
    writeFileSync(png, encodeIndexedPng({ width: decoded.width, height: decoded.height, pixels }, decoded.palette));
    const drawn = runCli(['inject', romPath, png, '--at', '0x10146', '--codec', 'none', '--format', 'snes4bpp', '--tiles', '4', '-o', join(dir.path, 'y.sfc'), '--json']);
    expect(drawn.code).toBe(65);
    expect(JSON.parse(drawn.stdout).error).toMatchObject({ code: 'ERR_PADDING_NOT_BLANK', details: { tiles: [6], tileCount: 4 } });
    expect(existsSync(join(dir.path, 'y.sfc'))).toBe(false);
  }, 120_000);

  it('2. another game\u2019s definition: extract-all and inject-all refuse, write nothing; --variant / --force-definition opt in', () => {
    const other = writeDefinition('other.json', (d) => {
      d.id = 'other-game';
      d.variants = [{ id: 'usa', crc32: '12345678', title: 'OTHER GAME' }];
    });
    const sprites = join(dir.path, 'other-sprites');
    const extract = runCli(['extract-all', romPath, '--defs', other, '-o', sprites, '--json']);
    expect(extract.code).toBe(65);
    expect(JSON.parse(extract.stdout).error).toMatchObject({ code: 'ERR_DEFINITION_NO_MATCH', details: { definition: 'other-game' } });
    expect(extract.stderr).toContain('title "OTHER GAME"');
    expect(existsSync(sprites)).toBe(false);
    const forced = runCli(['extract-all', romPath, '--defs', other, '-o', sprites, '--force-definition', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    const out = join(dir.path, 'other.sfc');
    const inject = runCli(['inject-all', romPath, sprites, '--defs', other, '-o', out]);
    expect(inject.code).toBe(65);
    expect(inject.stderr).toContain('ERR_DEFINITION_NO_MATCH');
    expect(existsSync(out)).toBe(false);
    const named = runCli(['inject-all', romPath, sprites, '--defs', other, '--variant', 'usa', '-o', out, '--json']);
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(named.stdout)).toMatchObject({ variant: 'usa', variantChosenBy: 'named', changed: false });
  }, 120_000);

  it('3 and 4. defs check: the demo definition is clean; a wrong storedLength and overlaps are reported with offsets (exit 65), and inject-all refuses them', () => {
    const clean = runCli(['defs', 'check', romPath, '--defs', defsPath]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/ok: 8 sprite\(s\), 8 pointer\(s\), 1 free range\(s\)/u);
    const wrong = writeDefinition('wrong.json', (d) => {
      d.sprites[0]!.storedLength = 120;
      (d as unknown as { freeSpace: unknown[] }).freeSpace = [{ start: '0x8030', end: '0x8040' }, { start: '0x60000', end: '0x80000' }];
    });
    const checked = runCli(['defs', 'check', romPath, '--defs', wrong, '--json']);
    expect(checked.code).toBe(65);
    const report = JSON.parse(checked.stdout);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p: { kind: string }) => p.kind)).toEqual(['stored-length', 'free-overlaps-pointer', 'free-overlaps-pointer', 'free-overlaps-pointer']);
    expect(report.sprites[0]).toMatchObject({ name: 'ball', packedLength: 75, slotLength: 75, storedLength: 120 });
    const text = runCli(['defs', 'check', romPath, '--defs', wrong]);
    expect(text.code).toBe(65);
    expect(text.stdout).toContain('stored-length: sprite "ball" at 0x10000: storedLength 120 bytes, but decoding the block says it occupies 75 (0x10000-0x1004B)');
    expect(text.stdout).toContain('free range 0x8030-0x8040 overlaps pointer to "slime" at 0x802F (0x802F-0x8032)');
    // Extract the demo, grow "ball" to 118-ish bytes of HAL: the old storedLength 120 let it overwrite "heart".
    const sprites = join(dir.path, 'demo-sprites');
    expect(runCli(['extract-all', romPath, '--defs', defsPath, '-o', sprites]).code).toBe(0);
    writeFileSync(join(sprites, 'ball.png'), noisePng(join(sprites, 'ball.png'), 16, 16, 11));
    const out = join(dir.path, 'wrong.sfc');
    const refused = runCli(['inject-all', romPath, sprites, '--defs', wrong, '-o', out, '--json']);
    expect(refused.code).toBe(65);
    expect(JSON.parse(refused.stdout).error.code).toBe('ERR_DEFINITION_CHECK');
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});

describe('issue 18: injection on the command line', () => {
  it('inject reads the sidecar beside an extracted PNG: no --sprite, no --defs', () => {
    const sprites = join(dir.path, 'sidecar-sprites');
    expect(runCli(['extract-all', romPath, '--defs', defsPath, '-o', sprites]).code).toBe(0);
    const out = join(dir.path, 'sidecar.sfc');
    const run = runCli(['inject', romPath, join(sprites, 'slime.png'), '-o', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ changed: false, sprites: [{ sprite: 'block@0x101C6', outcome: 'unchanged' }] });
    // --defs alone: the sidecar names the sprite.
    const byDefs = runCli(['inject', romPath, join(sprites, 'slime.png'), '--defs', defsPath, '-o', out, '--force', '--json']);
    expect(byDefs.code, byDefs.stderr).toBe(0);
    expect(JSON.parse(byDefs.stdout).sprites[0].sprite).toBe('slime');
    // --at with --layout as extract takes it: a 2x2 block extracted with --layout block:2x2 goes back.
    const png = join(dir.path, 'slime-block.png');
    expect(runCli(['extract', romPath, '--offset', '0x101C6', '--format', 'snes4bpp', '--tiles', '4', '--layout', 'block:2x2', '-o', png]).code).toBe(0);
    const at = runCli(['inject', romPath, png, '--at', '0x101C6', '--codec', 'none', '--format', 'snes4bpp', '--tiles', '4', '--layout', 'block:2x2', '-o', out, '--force', '--json']);
    expect(at.code, at.stderr).toBe(0);
    expect(JSON.parse(at.stdout).changed).toBe(false);
  }, 120_000);

  it('inject-all --palette/--nearest; every batch failure on its own line naming sprite and file; JSON details carry them', () => {
    const sprites = join(dir.path, 'batch-sprites');
    expect(runCli(['extract-all', romPath, '--defs', defsPath, '-o', sprites]).code).toBe(0);
    // Two RGB PNGs (an editor dropped the palette) with one pixel of a colour that is in no palette.
    for (const name of ['gem', 'key']) {
      const decoded = decodePng(readFileSync(join(sprites, `${name}.png`)));
      if (decoded.kind !== 'indexed') throw new Error('indexed');
      const rgb = new Uint8Array(decoded.width * decoded.height * 3);
      for (let i = 0; i < decoded.pixels.length; i++) rgb.set(decoded.palette.rgb.subarray(decoded.pixels[i]! * 3, decoded.pixels[i]! * 3 + 3), i * 3);
      rgb.set([1, 2, 3], 0);
      writeFileSync(join(sprites, `${name}.png`), rgbPng(decoded.width, decoded.height, rgb));
    }
    const out = join(dir.path, 'batch.sfc');
    const failed = runCli(['inject-all', romPath, sprites, '--defs', defsPath, '-o', out, '--json']);
    expect(failed.code).toBe(65);
    const lines = failed.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/ERR_BATCH_FAILED: 2 of 8 sprite edit\(s\) cannot be injected; nothing was written:$/u);
    expect(lines[1]).toContain(`sprite "gem" (${join(sprites, 'gem.png')}): ERR_`);
    expect(lines[2]).toContain(`sprite "key" (${join(sprites, 'key.png')}): ERR_`);
    const failures = JSON.parse(failed.stdout).error.details.failures;
    expect(failures.map((f: { sprite: string; file: string }) => [f.sprite, f.file])).toEqual([
      ['gem', join(sprites, 'gem.png')],
      ['key', join(sprites, 'key.png')],
    ]);
    // The hint is --nearest, which inject-all now takes.
    expect(failed.stderr).toContain('--nearest');
    const nearest = runCli(['inject-all', romPath, sprites, '--defs', defsPath, '-o', out, '--nearest', '--json']);
    expect(nearest.code, nearest.stderr).toBe(0);
    const palettePath = join(dir.path, 'demo.pal');
    const decoded = decodePng(readFileSync(join(sprites, 'ball.png')));
    if (decoded.kind !== 'indexed') throw new Error('indexed');
    const jasc = ['JASC-PAL', '0100', String(decoded.palette.count), ...Array.from({ length: decoded.palette.count }, (_, i) => `${decoded.palette.rgb[i * 3]} ${decoded.palette.rgb[i * 3 + 1]} ${decoded.palette.rgb[i * 3 + 2]}`)];
    writeFileSync(palettePath, jasc.join('\r\n') + '\r\n');
    const withPalette = runCli(['inject-all', romPath, sprites, '--defs', defsPath, '-o', out, '--force', '--palette', palettePath, '--nearest', '--json']);
    expect(withPalette.code, withPalette.stderr).toBe(0);
  }, 120_000);

  it('--allow-resize for a 2x2 block sprite: 32x32, 16x32 and 32x16 work; --defs-out makes the next extract-all read the new size; a broken layout is 65', () => {
    const sprites = join(dir.path, 'resize');
    expect(runCli(['extract-all', romPath, '--defs', defsPath, '-o', sprites]).code).toBe(0);
    const coinPng = readFileSync(join(sprites, 'coin.png'));
    for (const [width, height, tiles] of [
      [32, 32, 16],
      [16, 32, 8],
      [32, 16, 8],
    ] as const) {
      writeFileSync(join(sprites, 'coin.png'), noisePng(join(sprites, 'coin.png'), width, height, width + height));
      const out = join(dir.path, `resize-${width}x${height}.sfc`);
      const defsOut = join(dir.path, `resize-${width}x${height}.json`);
      const run = runCli(['inject-all', romPath, sprites, '--defs', defsPath, '-o', out, '--allow-resize', '--defs-out', defsOut, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const coin = JSON.parse(run.stdout).sprites.find((s: { sprite: string }) => s.sprite === 'coin');
      expect(coin).toMatchObject({ outcome: 'relocated', oldTileCount: 4, tileCount: tiles });
      const written = parseGameDefinition(JSON.parse(readFileSync(defsOut, 'utf8')), defsOut);
      expect(written.sprites.find((s) => s.name === 'coin')).toMatchObject({ tileCount: tiles, storedLength: coin.newPackedLength, offset: { value: coin.newOffset } });
      if (width === 32 && height === 32) {
        const again = join(dir.path, 'again');
        const extract = runCli(['extract-all', out, '--defs', defsOut, '-o', again, '--json']);
        expect(extract.code, extract.stderr).toBe(0);
        expect(JSON.parse(readFileSync(join(again, 'coin.json'), 'utf8')).tileCount).toBe(tiles);
        expect(runCli(['defs', 'check', out, '--defs', defsOut]).code).toBe(0);
        // defs match --json says where coin is now, through its pointer.
        const match = JSON.parse(runCli(['defs', 'match', out, '--defs', defsPath, '--json']).stdout);
        expect(match.sprites.find((s: { name: string }) => s.name === 'coin')).toMatchObject({ offset: coin.newOffset, definitionOffset: 0x100fe, from: 'pointers', relocated: true });
      }
      writeFileSync(join(sprites, 'coin.png'), coinPng);
    }
    writeFileSync(join(sprites, 'coin.png'), noisePng(join(sprites, 'coin.png'), 24, 16, 5));
    const broken = runCli(['inject-all', romPath, sprites, '--defs', defsPath, '-o', join(dir.path, 'broken.sfc'), '--allow-resize', '--json']);
    expect(broken.code).toBe(65);
    expect(JSON.parse(broken.stdout).error.code).toBe('ERR_IMAGE_SIZE');
    expect(readdirSync(dir.path)).not.toContain('broken.sfc');
  }, 180_000);

  it('every flag a hint in src/inject or the inject commands suggests is one inject, inject-all or extract-all accepts', () => {
    const sources = [...readdirSync(join(repoRoot, 'src', 'inject')).map((f) => join(repoRoot, 'src', 'inject', f)), join(repoRoot, 'src', 'cli', 'commands', 'inject.ts')];
    const accepted = new Set<string>();
    for (const command of ['inject', 'inject-all', 'extract-all']) for (const m of runCli([command, '--help']).stdout.matchAll(/--[a-z][a-z-]*/gu)) accepted.add(m[0]);
    const suggested = new Set<string>();
    for (const path of sources) {
      const text = readFileSync(path, 'utf8');
      // Flags inside message strings (template or quoted), not in comments or option definitions
      // (hidden old names included), nor the flag a value check names (the one the user typed).
      for (const line of text.split('\n')) {
        if (/^\s*(\*|\/\/|\.option|\.requiredOption|\.addOption)/u.test(line)) continue;
        if (/integerFlag\('--/u.test(line)) continue;
        for (const m of line.matchAll(/[`'"][^`'"]*?(--[a-z][a-z-]*)/gu)) suggested.add(m[1]!);
      }
    }
    expect(suggested.size).toBeGreaterThan(3);
    expect([...suggested].filter((flag) => !accepted.has(flag))).toEqual([]);
  }, 60_000);
});
