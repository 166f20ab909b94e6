/**
 * The editor API as an editor uses it: open a ROM with its definitions, list sprites, decode one
 * to RGBA, edit pixels (indices, RGBA, PNG), undo through the edit list, save to a new file with
 * a patch. Wrong turns: another game's definition, pixels of the wrong size or colours, a save
 * with nowhere to write.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDemoRom, demoDefinition } from '../../src/demo/demo-rom.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import { openGame } from '../../src/game/index.js';
import { applyBps } from '../../src/patch/bps.js';
import { crc32, sha1Hex } from '../../src/util/hash.js';
import { encodeIndexedPng } from '../../src/gfx/png.js';
import { fixture, tempDir } from '../helpers/cli.js';

const temps: { cleanup: () => void }[] = [];
afterEach(() => {
  while (temps.length > 0) temps.pop()!.cleanup();
});

function demoFiles(): { dir: string; rom: string; defs: string } {
  const dir = tempDir();
  temps.push(dir);
  const demo = buildDemoRom();
  const rom = join(dir.path, 'demo.sfc');
  writeFileSync(rom, demo.bytes);
  const defs = join(dir.path, 'demo.json');
  writeFileSync(defs, JSON.stringify(demoDefinition(demo, { crc32: crc32(demo.bytes), sha1: sha1Hex(demo.bytes) })));
  return { dir: dir.path, rom, defs };
}

describe('openGame', () => {
  it('picks the definition that recognises the ROM, lists its sprites and decodes one to indices, palette and RGBA (colour 0 transparent for sprites)', async () => {
    const { rom, defs } = demoFiles();
    const other = parseGameDefinition(readFileSync(fixture('defs', 'snes05.json'), 'utf8'), 'snes05.json');
    using game = await openGame(rom, { definitions: [other, defs] });
    expect(game.definition.source).toBe(defs);
    const sprites = game.sprites();
    expect(sprites.length).toBeGreaterThanOrEqual(8);
    expect(sprites.every((s) => s.error === undefined && s.offset > 0 && !s.edited)).toBe(true);
    const first = game.sprite(sprites[0]!.name);
    expect(first.width * first.height).toBe(first.indices.length);
    expect(first.rgba.length).toBe(first.indices.length * 4);
    expect(first.source).toBe('rom');
    const zero = first.indices.indexOf(0);
    const opaque = first.indices.findIndex((v) => v !== 0);
    expect(first.transparentIndex0).toBe(true);
    expect(first.rgba[zero * 4 + 3]).toBe(0);
    expect(first.rgba[opaque * 4 + 3]).toBe(255);
    const colour = first.indices[opaque]!;
    expect(Array.from(first.rgba.subarray(opaque * 4, opaque * 4 + 3))).toEqual(Array.from(first.palette.rgb.subarray(colour * 3, colour * 3 + 3)));
  });

  it('graphics blocks keep colour 0 opaque (the real SNES_05 ROM and its definition)', async () => {
    using game = await openGame(fixture('roms', 'snes', 'SNES_05.sfc'), { definitions: fixture('defs', 'snes05.json') });
    const sheet = game.sprite('sprite-sheet');
    expect(sheet.width).toBe(128);
    expect(sheet.height).toBe(128);
    // The sheet is a sprite: its index 0 is see-through.
    expect(sheet.transparentIndex0).toBe(true);
    const palette = game.sprite('sprite-palette');
    expect(palette.transparentIndex0).toBe(false);
    expect(palette.rgba[3]).toBe(255);
  });

  it('refuses a definition that recognises nothing in the ROM (ERR_DEFINITION_NO_MATCH) and closes what it opened', async () => {
    const { rom } = demoFiles();
    await expect(openGame(rom, { definitions: fixture('defs', 'snes05.json') })).rejects.toMatchObject({ code: 'ERR_DEFINITION_NO_MATCH' });
    await expect(openGame(rom, { definitions: [] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('edits pile up as values: set, read back, undo with setEdits, revert; wrong sizes and off-palette colours are refused', async () => {
    const { rom, defs } = demoFiles();
    using game = await openGame(rom, { definitions: defs });
    const name = game.sprites()[1]!.name;
    const before = game.sprite(name);
    const indices = Uint8Array.from(before.indices, (v) => (v === 0 ? 0 : ((v % 15) + 1)));
    const edit = game.setPixels(name, { width: before.width, height: before.height, indices });
    expect(Object.isFrozen(edit)).toBe(true);
    expect(game.sprite(name).source).toBe('edit');
    expect(Array.from(game.sprite(name).indices)).toEqual(Array.from(indices));
    expect(game.sprites().find((s) => s.name === name)!.edited).toBe(true);
    const history = [game.edits()];
    game.setEdits([]);
    expect(game.sprite(name).source).toBe('rom');
    game.setEdits(history[0]!);
    expect(game.sprite(name).source).toBe('edit');
    game.revert(name);
    expect(game.edits()).toEqual([]);

    expect(() => game.setPixels(name, { width: 8, height: 8, indices: new Uint8Array(64) })).toThrow(expect.objectContaining({ code: 'ERR_TILE_COUNT' }));
    expect(() => game.setPixels(name, { width: before.width, height: before.height, indices: new Uint8Array(3) })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    // RGBA in a colour the sprite's palette does not have.
    const rgba = new Uint8Array(before.rgba);
    rgba[0] = 1;
    rgba[1] = 2;
    rgba[2] = 3;
    rgba[3] = 255;
    expect(() => game.setPixels(name, { width: before.width, height: before.height, rgba })).toThrow(expect.objectContaining({ code: 'ERR_OFF_PALETTE' }));
    expect(() => game.sprite('no-such-sprite')).toThrow(expect.objectContaining({ code: 'ERR_SPRITE_NOT_FOUND' }));
  });

  it('saves RGBA and PNG edits like inject-all: a new ROM that decodes to the edits, a BPS that makes it from the input, the input untouched; an unchanged save changes nothing', async () => {
    const { dir, rom, defs } = demoFiles();
    const input = readFileSync(rom);
    using game = await openGame(rom, { definitions: defs });
    await expect(game.save({})).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    const [a, b] = game.sprites().map((s) => s.name);
    const spriteA = game.sprite(a!);
    // Mirror sprite A through RGBA (same colours, other places).
    const mirrored = new Uint8Array(spriteA.rgba.length);
    for (let y = 0; y < spriteA.height; y++) for (let x = 0; x < spriteA.width; x++) mirrored.set(spriteA.rgba.subarray((y * spriteA.width + x) * 4, (y * spriteA.width + x) * 4 + 4), (y * spriteA.width + (spriteA.width - 1 - x)) * 4);
    game.setPixels(a!, { width: spriteA.width, height: spriteA.height, rgba: mirrored });
    const spriteB = game.sprite(b!);
    const png = encodeIndexedPng({ width: spriteB.width, height: spriteB.height, pixels: Uint8Array.from(spriteB.indices, (v) => (v + 1) & 15) }, spriteB.palette);
    game.setPixels(b!, { png });

    const output = join(dir, 'edited.sfc');
    const patch = join(dir, 'edited.bps');
    const definitionOut = join(dir, 'edited.json');
    const result = await game.save({ output, patch, definitionOutput: definitionOut });
    expect(result.output).toBe(output);
    expect(readFileSync(rom).equals(input)).toBe(true);
    const written = readFileSync(output);
    expect(Buffer.from(applyBps(readFileSync(patch), input).target).equals(written)).toBe(true);

    // The output's definition (new sizes and identity) comes from save's definitionOutput, as inject's --defs-out.
    using saved = await openGame(output, { definitions: definitionOut });
    expect(Array.from(saved.sprite(a!).indices)).toEqual(Array.from(game.sprite(a!).indices));
    expect(Array.from(saved.sprite(b!).indices)).toEqual(Array.from(game.sprite(b!).indices));

    // No edits: nothing changes in the written ROM.
    game.setEdits([]);
    const again = join(dir, 'unchanged.sfc');
    const unchanged = await game.save({ output: again });
    expect(unchanged.changed).toBe(false);
    expect(readFileSync(again).equals(input)).toBe(true);
  });
});
