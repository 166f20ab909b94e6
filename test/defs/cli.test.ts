import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, runCli, tempDir } from '../helpers/cli.js';

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

describe('romgfx defs', () => {
  it('validate: a good file, --json summary', () => {
    const run = runCli(['defs', 'validate', fixture('defs', 'snes05.json'), '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ valid: true, id: 'nesdoug-snes-05', platform: 'snes', variants: ['homebrew'], sprites: 2, freeRanges: 2 });
  });

  it('validate: a bad file names the field and exits 65', () => {
    const bad = JSON.parse(readFileSync(fixture('defs', 'snes05.json'), 'utf8'));
    bad.sprites[0].tileFormat = 'snes5bpp';
    const path = join(dir.path, 'bad.json');
    writeFileSync(path, JSON.stringify(bad));
    const run = runCli(['defs', 'validate', path]);
    expect(run.code).toBe(65);
    expect(run.stderr).toContain('ERR_DEFINITION');
    expect(run.stderr).toContain('/sprites/0/tileFormat');
    const batch = runCli(['defs', 'validate', path, fixture('defs', 'gba-tests.json'), '--json']);
    expect(batch.code).toBe(1);
    const report = JSON.parse(batch.stdout);
    expect(report.invalid).toBe(1);
    expect(report.files[0].error.details.field).toBe('/sprites/0/tileFormat');
  });

  it('match: every fixture ROM against the fixture folder', () => {
    const cases: [string, string, string][] = [
      [fixture('roms', 'snes', 'SNES_05.sfc'), 'nesdoug-snes-05', 'homebrew'],
      [fixture('roms', 'gba', 'arm__arm.gba'), 'jsmolka-gba-tests', 'arm'],
      [fixture('roms', 'gba', 'ppu__hello.gba'), 'jsmolka-gba-tests', 'ppu-hello'],
      [fixture('roms', 'nes', 'full_game.nes'), 'nesdoug-full-game', 'homebrew'],
    ];
    for (const [rom, id, variant] of cases) {
      const run = runCli(['defs', 'match', rom, '--defs', fixture('defs'), '--json']);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).match).toMatchObject({ definition: id, variant, matchedBy: 'crc32' });
    }
    const snes = JSON.parse(runCli(['defs', 'match', fixture('roms', 'snes', 'SNES_05.sfc'), '--defs', fixture('defs'), '--json']).stdout);
    expect(snes.sprites).toContainEqual({ name: 'sprite-sheet', location: '$01:8120', offset: 0x8120, definitionOffset: 0x8120, from: 'definition', relocated: false });
    const hello = JSON.parse(runCli(['defs', 'match', fixture('roms', 'gba', 'ppu__hello.gba'), '--defs', fixture('defs'), '--json']).stdout);
    expect(hello.sprites).toEqual([{ name: 'glyphs', location: '0x214', offset: 0x214, definitionOffset: 0x214, from: 'definition', relocated: false }]);
    const text = runCli(['defs', 'match', fixture('roms', 'snes', 'SNES_05.sfc'), '--defs', fixture('defs', 'snes05.json')]);
    expect(text.stdout).toContain('variant homebrew');
  });

  it('match: no definition recognises the ROM → exit 65 ERR_DEFINITION_NO_MATCH', () => {
    const run = runCli(['defs', 'match', fixture('patches', 'clean.sfc'), '--defs', fixture('defs'), '--json']);
    expect(run.code).toBe(65);
    expect(JSON.parse(run.stdout).error.code).toBe('ERR_DEFINITION_NO_MATCH');
  });

  it('import-spritepal writes valid definitions that validate and match', () => {
    const out = join(dir.path, 'imported');
    const run = runCli(['defs', 'import-spritepal', fixture('defs', 'spritepal', 'sprite_locations.json'), '-o', out, '--json']);
    expect(run.code).toBe(0);
    const imported = JSON.parse(run.stdout).imported;
    expect(imported.map((i: { id: string }) => i.id)).toEqual(['kirby-super-star', 'kirby-s-fun-pak']);
    expect(runCli(['defs', 'validate', join(out, 'kirby-super-star.json'), join(out, 'kirby-s-fun-pak.json')]).code).toBe(0);
    // Refuses to overwrite without --force, and writes nothing then.
    const again = runCli(['defs', 'import-spritepal', fixture('defs', 'spritepal', 'sprite_locations.json'), '-o', out]);
    expect(again.code).toBe(74);
    expect(runCli(['defs', 'import-spritepal', fixture('defs', 'spritepal', 'sprite_locations.json'), '-o', out, '--force']).code).toBe(0);
  });

  it('a folder with a broken definition fails loudly, naming the file', () => {
    const folder = join(dir.path, 'broken');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.json'), '{"formatVersion": 1}');
    const run = runCli(['defs', 'match', fixture('roms', 'snes', 'SNES_05.sfc'), '--defs', folder]);
    expect(run.code).toBe(65);
    expect(run.stderr).toContain('a.json');
  });
});
