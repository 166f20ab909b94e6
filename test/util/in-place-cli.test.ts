/**
 * `romgfx inject --in-place` through the CLI with the file shapes of issue #14: the ROM is a
 * symlink to a 0600 file, and it is edited twice in a row. The file the link points
 * to is written, the link stays a link, the mode stays 0600, both runs succeed with distinct,
 * complete backups. And `-o <the ROM> --force` is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { runCli, tempDir } from '../helpers/cli.js';
import { buildGbaRom } from '../../src/rom/build.js';
import { encodeTiles } from '../../src/gfx/formats.js';
import { getCodec } from '../../src/codecs/index.js';
import { encodeIndexedPng } from '../../src/gfx/png.js';
import { grayscalePalette } from '../../src/gfx/palette.js';
import { spriteArt } from '../inject/fixtures.js';

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('romgfx-in-place-cli-');
});
afterAll(() => dir.cleanup());

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
const tiles = 16;

function sheet(indices: Uint8Array): Uint8Array {
  const pixels = new Uint8Array(128 * 8);
  for (let t = 0; t < tiles; t++) for (let p = 0; p < 64; p++) pixels[(p >> 3) * 128 + t * 8 + (p & 7)] = indices[t * 64 + p]!;
  return encodeIndexedPng({ width: 128, height: 8, pixels }, grayscalePalette(4));
}

describe('inject --in-place on a symlink to a 0600 ROM, twice in a row (same-second names: test/util/file-safety.test.ts)', () => {
  it('writes the target, keeps the link and the mode, and keeps two distinct complete backups', () => {
    const spriteAt = 0x8000;
    const rom = buildGbaRom({ title: 'SAFETYTEST', filler: 'random', payloads: [{ offset: spriteAt, bytes: getCodec('lz77').compress(encodeTiles('gba4bpp', spriteArt(tiles, 4, 1))) }] });
    const real = join(dir.path, 'real.gba');
    const link = join(dir.path, 'link.gba');
    writeFileSync(real, rom);
    chmodSync(real, 0o600);
    symlinkSync(real, link);
    const defs = join(dir.path, 'game.json');
    writeFileSync(
      defs,
      JSON.stringify({
        formatVersion: 1,
        id: 'safety',
        name: 'in-place safety',
        platform: 'gba',
        variants: [{ id: 'any', title: 'SAFETYTEST' }],
        sprites: [{ name: 'sprite', offset: '0x' + spriteAt.toString(16), codec: 'lz77', tileFormat: 'gba4bpp', tileCount: tiles }],
      }),
    );
    const editA = join(dir.path, 'a.png');
    const editB = join(dir.path, 'b.png');
    writeFileSync(editA, sheet(spriteArt(tiles, 4, 2)));
    writeFileSync(editB, sheet(spriteArt(tiles, 4, 3)));

    const versions = [sha1(rom)];
    for (const edit of [editA, editB]) {
      const run = runCli(['inject', link, edit, '--sprite', 'sprite', '--defs', defs, '--in-place', '--json']);
      expect(run.code, run.stderr).toBe(0);
      versions.push(sha1(readFileSync(real)));
    }
    expect(new Set(versions).size).toBe(3);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(statSync(real).mode & 0o777).toBe(0o600);
    const backups = readdirSync(dir.path).filter((n) => n.endsWith('.bak')).sort();
    expect(backups).toHaveLength(2);
    expect(backups.every((n) => n.startsWith('real.gba.'))).toBe(true);
    // Each backup is the version before its run, whole.
    expect(backups.map((n) => sha1(readFileSync(join(dir.path, n)))).sort()).toEqual([versions[0], versions[1]].sort());
    expect(readdirSync(dir.path).filter((n) => n.startsWith('.romgfx-'))).toEqual([]);

    // An output that is the ROM (here through its link) is refused, --force or not.
    const refused = runCli(['inject', real, editA, '--sprite', 'sprite', '--defs', defs, '-o', link, '--force', '--json']);
    expect(refused.code).toBe(64);
    expect(sha1(readFileSync(real))).toBe(versions[2]);
  });
});
