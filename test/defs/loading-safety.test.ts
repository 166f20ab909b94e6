/**
 * Loading definitions the way users keep them (#14 "Files and paths", #18): a palette `file`
 * only from inside the definition's folder; a folder of definitions with junk in it; a JSON
 * syntax error that says where (line, column).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, runCli, tempDir } from '../helpers/cli.js';
import { loadGameDefinition, loadGameDefinitions, parseGameDefinition, resolveDefinitionFile } from '../../src/defs/index.js';
import { findJsonSyntaxError } from '../../src/util/json-syntax.js';
import { buildSnesRom } from '../../src/rom/build.js';

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('romgfx-defs-safety-');
});
afterAll(() => dir.cleanup());

const snes05 = fixture('roms', 'snes', 'SNES_05.sfc');
const snes05Definition = () => JSON.parse(readFileSync(fixture('defs', 'snes05.json'), 'utf8')) as { sprites: Record<string, unknown>[]; $schema?: string };
const jascPal = 'JASC-PAL\n0100\n16\n' + Array.from({ length: 16 }, (_, i) => `${i * 16} ${i * 16} ${i * 16}`).join('\n') + '\n';

describe('a palette file is read only from inside the definition\'s folder', () => {
  it('absolute paths and ".." are refused when the definition is read, naming the field', () => {
    for (const file of ['/etc/hostname', '../secret.pal', 'pals/../../secret.pal', 'C:\\Windows\\win.ini', '..\\up.pal']) {
      const definition = snes05Definition();
      definition.sprites[0]!.palette = { file };
      expect(() => parseGameDefinition(JSON.stringify(definition), 'game.json')).toThrow(
        expect.objectContaining({ code: 'ERR_DEFINITION_PATH', category: 'data', details: expect.objectContaining({ field: '/sprites/0/palette/file', path: file }) }),
      );
    }
  });

  it('a symlink that leaves the folder is refused on read; one that stays inside is followed', () => {
    const outside = join(dir.path, 'outside');
    const folder = join(dir.path, 'game');
    mkdirSync(outside);
    mkdirSync(join(folder, 'pals'), { recursive: true });
    writeFileSync(join(outside, 'private.pal'), jascPal);
    writeFileSync(join(folder, 'pals', 'real.pal'), jascPal);
    symlinkSync(join(outside, 'private.pal'), join(folder, 'escape.pal'));
    symlinkSync(join(folder, 'pals', 'real.pal'), join(folder, 'inside.pal'));
    const definition = snes05Definition();
    definition.sprites[0]!.palette = { file: 'escape.pal' };
    definition.sprites[1]!.palette = { file: 'inside.pal' };
    const path = join(folder, 'game.json');
    writeFileSync(path, JSON.stringify(definition));
    const loaded = loadGameDefinition(path);
    expect(() => resolveDefinitionFile(loaded, 'escape.pal')).toThrow(expect.objectContaining({ code: 'ERR_DEFINITION_PATH', details: expect.objectContaining({ field: '/sprites/0/palette/file' }) }));
    expect(resolveDefinitionFile(loaded, 'inside.pal')).toMatch(/pals[\\/]real\.pal$/u);
    expect(resolveDefinitionFile(loaded, 'pals/real.pal')).toMatch(/pals[\\/]real\.pal$/u);

    // As a user meets it: extract-all reports the sprite's failure and never reads the file.
    const out = join(dir.path, 'escape-out');
    const run = runCli(['extract-all', snes05, '--defs', path, '-o', out, '--sprite', 'sprite-sheet', '--threads', '0', '--json']);
    const report = JSON.parse(run.stdout);
    expect(run.code).not.toBe(0);
    const failure = JSON.stringify(report);
    expect(failure).toContain('ERR_DEFINITION_PATH');
  });
});

describe('a folder of definitions', () => {
  it('defs match and extract-all pick the matching definition and skip non-definitions, saying so', () => {
    const folder = join(dir.path, 'defs-folder');
    mkdirSync(folder);
    for (const name of ['snes05.json', 'gba-tests.json', 'nes-full-game.json']) copyFileSync(fixture('defs', name), join(folder, name));
    writeFileSync(join(folder, 'README.md'), 'my definitions\n');
    writeFileSync(join(folder, 'broken.json'), '{ "formatVersion": 1,\n  "id": "x"\n  "name": "y" }\n');
    writeFileSync(join(folder, 'schema.json'), JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' }));

    const text = runCli(['defs', 'match', snes05, '--defs', folder]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('nesdoug-snes-05');
    const skippedLines = text.stderr.split('\n').filter((l) => l.includes('skipped'));
    expect(skippedLines).toHaveLength(3);
    expect(text.stderr).toMatch(/skipped .*broken\.json: .*line 3, column 3/u);
    expect(text.stderr).toMatch(/skipped .*README\.md: not a \.json file/u);

    const json = JSON.parse(runCli(['defs', 'match', snes05, '--defs', folder, '--json']).stdout);
    expect(json.match.definition).toBe('nesdoug-snes-05');
    expect(json.skipped.map((s: { file: string }) => s.file.split(/[\\/]/u).pop()).sort()).toEqual(['README.md', 'broken.json', 'schema.json']);
    expect(json.skipped.find((s: { file: string }) => s.file.endsWith('broken.json')).code).toBe('ERR_DEFINITION');

    const out = join(dir.path, 'folder-out');
    const extract = runCli(['extract-all', snes05, '--defs', folder, '-o', out, '--threads', '0', '--json']);
    expect(extract.code).toBe(0);
    const result = JSON.parse(extract.stdout);
    expect(result.succeeded).toBe(2);
    expect(result.skipped).toHaveLength(3);
    expect(extract.stderr.split('\n').filter((l) => l.includes('skipped'))).toHaveLength(3);

    // No definition in the folder recognises the ROM: ERR_DEFINITION_NO_MATCH, nothing written.
    const stranger = join(dir.path, 'stranger.sfc');
    writeFileSync(stranger, buildSnesRom({ mapping: 'lorom', filler: 'random' }));
    const none = runCli(['extract-all', stranger, '--defs', folder, '-o', join(dir.path, 'none-out'), '--json']);
    expect(none.code).toBe(65);
    expect(JSON.parse(none.stdout).error.code).toBe('ERR_DEFINITION_NO_MATCH');
    expect(existsSync(join(dir.path, 'none-out'))).toBe(false);
  });

  it('loadGameDefinitions: a single bad file still throws; a folder lists what it skipped', () => {
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, '[1, 2');
    expect(() => loadGameDefinitions(bad)).toThrow(expect.objectContaining({ code: 'ERR_DEFINITION' }));
    const loaded = loadGameDefinitions(fixture('defs'));
    expect(loaded.folder).toBe(true);
    expect(loaded.definitions.map((d) => d.id).sort()).toEqual(['jsmolka-gba-tests', 'nesdoug-full-game', 'nesdoug-snes-05']);
    expect(loaded.skipped.map((s) => s.code)).toEqual(['ERR_NOT_JSON']); // the spritepal/ sub-folder
  });
});

describe('a JSON syntax error in a definition gives line and column', () => {
  it('a missing comma before line 4', () => {
    const path = join(dir.path, 'comma.json');
    writeFileSync(path, '{\n  "formatVersion": 1,\n  "id": "x"\n  "name": "y"\n}\n');
    expect(() => loadGameDefinition(path)).toThrow(
      expect.objectContaining({
        code: 'ERR_DEFINITION',
        message: expect.stringMatching(/line 4, column 3: expected "," or "\}"/u),
        details: expect.objectContaining({ file: path, line: 4, column: 3 }),
      }),
    );
    const run = runCli(['defs', 'validate', path, '--json']);
    expect(run.code).toBe(65);
    expect(JSON.parse(run.stdout).error.details).toMatchObject({ line: 4, column: 3, file: path });
  });

  it('findJsonSyntaxError agrees with JSON.parse on valid JSON and on one-character damage to it', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 3 }), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\n', '{', '['), (text, at, damage) => {
        const position = text.length === 0 ? 0 : at % (text.length + 1);
        const damaged = text.slice(0, position) + damage + text.slice(position + (damage === '' ? 1 : 0));
        let valid = true;
        try {
          JSON.parse(damaged);
        } catch {
          valid = false;
        }
        const found = findJsonSyntaxError(damaged);
        expect(found === undefined).toBe(valid);
        if (found) {
          expect(found.offset).toBeGreaterThanOrEqual(0);
          expect(found.offset).toBeLessThanOrEqual(damaged.length);
          expect(found.line).toBe(damaged.slice(0, found.offset).split('\n').length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
