import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encode as encodePng } from 'fast-png';
import { buildSnesRom } from '../../src/rom/build.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import { convertImage, reconvertScreen } from '../../src/convert/index.js';
import { decodePng } from '../../src/gfx/png.js';
import { injectScreen } from '../../src/inject/screen.js';
import { DefinitionError, ImageSizeError, InvalidArgumentError, SpriteNotFoundError } from '../../src/errors.js';
import { injectIntoBytes } from '../../src/inject/plan.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'romgfx-screen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const side = 64; // 8×8 cells: the map is 64 entries, 128 bytes (4 snes4bpp tiles' worth)
const colours = [
  [0, 0, 0],
  [248, 0, 0],
  [0, 248, 0],
  [0, 0, 248],
  [248, 248, 0],
];

/** A screen of stripes and checks in five colours: some cells repeat, some are unique. */
function screenRgba(edit: boolean): Uint8Array {
  const rgba = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let c = ((x >> 3) + (y >> 3)) % 3 === 0 ? ((x ^ y) & 1) + 1 : ((y >> 1) & 1) * 3;
      if (x >= 56 && y < 8) c = ((x + y) >> 1) % 5; // one unique corner cell
      if (edit && x >= 8 && x < 16 && y >= 16 && y < 24) c = (x * y) % 5; // the edit: a new cell
      const [r, g, b] = colours[c]!;
      rgba.set([r!, g!, b!, 255], (y * side + x) * 4);
    }
  }
  return rgba;
}
const pngOf = (rgba: Uint8Array, width = side, height = side): Uint8Array => encodePng({ width, height, data: rgba, channels: 4, depth: 8 });

const tilesAt = 0x10000;
const mapAt = 0x12000;
const paletteAt = 0x12800;
const spareTiles = 2;

function screenRom(): { romPath: string; definitionJson: Record<string, any>; original: { tiles: Uint8Array; map: Uint8Array; palette: Uint8Array } } {
  const converted = convertImage(decodePng(pngOf(screenRgba(false))), { target: 'snes' });
  // Two spare (unused) tiles after the screen's: the edit's new tile takes one of their numbers.
  const tiles = new Uint8Array(converted.tiles.length + spareTiles * 32).fill(0x5a);
  tiles.set(converted.tiles);
  const palette = new Uint8Array(64).fill(0x33);
  palette.set(converted.palette);
  const bytes = buildSnesRom({
    mapping: 'lorom',
    size: 0x40000,
    filler: 'random',
    title: 'SCREEN TEST',
    payloads: [
      { offset: tilesAt, bytes: tiles },
      { offset: mapAt, bytes: converted.map },
      { offset: paletteAt, bytes: palette },
    ],
  });
  const romPath = join(dir, `screen-${Math.random().toString(36).slice(2)}.sfc`);
  writeFileSync(romPath, bytes);
  const rom = romFromBytes(bytes);
  const definitionJson = {
    formatVersion: 1,
    id: 'screen-test',
    name: 'Screen test',
    platform: 'snes',
    variants: [{ id: 'test', crc32: rom.identity().crc32.toString(16).padStart(8, '0'), title: rom.title() }],
    sprites: [
      { name: 'title-tiles', kind: 'graphics', offset: '0x' + tilesAt.toString(16), tileFormat: 'snes4bpp', byteLength: tiles.length },
      { name: 'title-map', kind: 'graphics', offset: '0x' + mapAt.toString(16), tileFormat: 'snes4bpp', byteLength: converted.map.length },
      { name: 'title-palette', kind: 'graphics', offset: '0x' + paletteAt.toString(16), tileFormat: 'snes4bpp', byteLength: palette.length },
    ],
    screens: [{ name: 'title', target: 'snes', tiles: 'title-tiles', map: 'title-map', palette: 'title-palette' }],
  };
  return { romPath, definitionJson, original: { tiles, map: converted.map, palette } };
}

describe('inject of an edited screen re-converts it (issue #20)', () => {
  it('writes exactly what reconvertScreen gives over the ROM\'s tiles, map and palette', () => {
    const { romPath, definitionJson, original } = screenRom();
    const definition = parseGameDefinition(definitionJson, 'screen.json');
    const edited = pngOf(screenRgba(true));
    const expected = reconvertScreen(decodePng(edited), original, { target: 'snes' });
    expect(expected.tiles.length).toBe(original.tiles.length); // the new tile took a spare number
    expect(Buffer.from(expected.map).equals(Buffer.from(original.map))).toBe(false);
    const output = join(dir, 'edited.sfc');
    const result = injectScreen(romPath, definition, 'title', edited, { output });
    expect(result.changed).toBe(true);
    const out = readFileSync(output);
    expect(Buffer.from(out.subarray(tilesAt, tilesAt + expected.tiles.length)).equals(Buffer.from(expected.tiles))).toBe(true);
    expect(Buffer.from(out.subarray(mapAt, mapAt + expected.map.length)).equals(Buffer.from(expected.map))).toBe(true);
    expect(Buffer.from(out.subarray(paletteAt, paletteAt + expected.palette.length)).equals(Buffer.from(expected.palette))).toBe(true);
    // Palette bytes past the screen's sub-palettes are kept.
    expect(Buffer.from(out.subarray(paletteAt + expected.palette.length, paletteAt + 64)).equals(Buffer.from(original.palette.subarray(expected.palette.length)))).toBe(true);
    // Re-injecting the unedited screen into the output changes nothing.
    const again = injectScreen(output, definition, 'title', edited, { output: join(dir, 'again.sfc'), forceDefinition: true });
    expect(again.changed).toBe(false);
  });

  it('romgfx inject --screen does the same from the command line; wrong turns are usage errors and write nothing', () => {
    const { romPath, definitionJson, original } = screenRom();
    const defsPath = join(dir, 'screen-cli.json');
    writeFileSync(defsPath, JSON.stringify(definitionJson));
    const pngPath = join(dir, 'title-edited.png');
    const edited = pngOf(screenRgba(true));
    writeFileSync(pngPath, edited);
    const output = join(dir, 'cli-edited.sfc');
    const run = runCli(['inject', romPath, pngPath, '--defs', defsPath, '--screen', 'title', '-o', output, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ screen: 'title', changed: true });
    const expected = reconvertScreen(decodePng(edited), original, { target: 'snes' });
    const out = readFileSync(output);
    expect(Buffer.from(out.subarray(mapAt, mapAt + expected.map.length)).equals(Buffer.from(expected.map))).toBe(true);
    expect(runCli(['inject', romPath, pngPath, '--screen', 'title', '-o', join(dir, 'x.sfc')]).code).toBe(64);
    expect(runCli(['inject', romPath, pngPath, '--defs', defsPath, '--screen', 'title', '--sprite', 'title-map', '-o', join(dir, 'x.sfc')]).code).toBe(64);
    const unknown = runCli(['inject', romPath, pngPath, '--defs', defsPath, '--screen', 'credits', '-o', join(dir, 'x.sfc')]);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('credits');
    expect(existsSync(join(dir, 'x.sfc'))).toBe(false);
  }, 120_000);

  it('a screen PNG of another size is refused and nothing is written', () => {
    const { romPath, definitionJson } = screenRom();
    const definition = parseGameDefinition(definitionJson, 'screen.json');
    const output = join(dir, 'wrong-size.sfc');
    const small = pngOf(screenRgba(false).subarray(0, side * 32 * 4), side, 32);
    expect(() => injectScreen(romPath, definition, 'title', small, { output })).toThrow(ImageSizeError);
    expect(existsSync(output)).toBe(false);
  });

  it('a tiles entry in another format than the target stores is refused', () => {
    const { romPath, definitionJson } = screenRom();
    definitionJson.sprites[0].tileFormat = 'gba4bpp';
    const definition = parseGameDefinition(definitionJson, 'screen.json');
    expect(() => injectScreen(romPath, definition, 'title', pngOf(screenRgba(true)), { output: join(dir, 'y.sfc') })).toThrow(/tiles entry "title-tiles" is gba4bpp, a snes screen at 4 bpp stores snes4bpp/u);
  });

  it('a bytes edit must be the block\'s whole size and the only content given', () => {
    const { romPath, definitionJson } = screenRom();
    const definition = parseGameDefinition(definitionJson, 'screen.json');
    const rom = romFromBytes(readFileSync(romPath));
    expect(() => injectIntoBytes(rom, definition, [{ sprite: 'title-map', bytes: new Uint8Array(127) }])).toThrow(/127 bytes given, the block decodes to 128/u);
    expect(() => injectIntoBytes(rom, definition, [{ sprite: 'title-map', bytes: new Uint8Array(128), indices: new Uint8Array(256) }])).toThrow(InvalidArgumentError);
    const result = injectIntoBytes(rom, definition, [{ sprite: 'title-map', bytes: new Uint8Array(128).fill(7) }]);
    expect(result.output.subarray(mapAt, mapAt + 128).every((b) => b === 7)).toBe(true);
  });

  it('an unknown screen name says which screens there are', () => {
    const { romPath, definitionJson } = screenRom();
    const definition = parseGameDefinition(definitionJson, 'screen.json');
    expect(() => injectScreen(romPath, definition, 'credits', pngOf(screenRgba(false)), { output: join(dir, 'x.sfc') })).toThrow(SpriteNotFoundError);
    expect(() => injectScreen(romPath, definition, 'credits', pngOf(screenRgba(false)), { output: join(dir, 'x.sfc') })).toThrow(/\(title\)/u);
  });

  it('a screens entry naming no sprite, or an unknown target, is a definition error naming the field', () => {
    const { definitionJson } = screenRom();
    const fieldOf = (mutate: (d: Record<string, any>) => void): string => {
      const d = structuredClone(definitionJson);
      mutate(d);
      try {
        parseGameDefinition(d, 'screen.json');
      } catch (error) {
        expect(error).toBeInstanceOf(DefinitionError);
        return (error as DefinitionError).field;
      }
      throw new Error('no error');
    };
    expect(fieldOf((d) => (d.screens[0].map = 'nope'))).toBe('/screens/0/map');
    expect(fieldOf((d) => (d.screens[0].palette = 'missing'))).toBe('/screens/0/palette');
    expect(fieldOf((d) => (d.screens[0].target = 'n64'))).toBe('/screens/0/target');
    expect(fieldOf((d) => (d.screens[0].bpp = 5))).toBe('/screens/0/bpp');
    expect(fieldOf((d) => (d.screens[0].map = 'title-tiles'))).toBe('/screens/0');
    expect(fieldOf((d) => d.screens.push({ ...d.screens[0] }))).toBe('/screens/1/name');
  });
});
