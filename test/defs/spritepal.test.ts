import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import { gameDefinitionToJson, importSpritePalLocations, matchDefinition, parseGameDefinition, spriteLocation } from '../../src/defs/index.js';
import { DefinitionError } from '../../src/errors.js';

const repo = (path: string): string => new URL(`../../${path}`, import.meta.url).pathname;
const sampleText = readFileSync(repo('fixtures/defs/spritepal/sprite_locations.json'), 'utf8');
const sample = (): Record<string, any> => JSON.parse(sampleText) as Record<string, any>;
const schemaValid = new Ajv2020.default({ strict: false }).compile(JSON.parse(readFileSync(repo('docs/game-definition.schema.json'), 'utf8')) as object);

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as DefinitionError).field;
  }
  throw new Error('expected a DefinitionError');
}

describe('SpritePal sprite_locations.json', () => {
  const definitions = importSpritePalLocations(sampleText, 'sprite_locations.json');
  const [kss, funPak] = definitions;

  test('one definition per game, keyed by title, SNES', () => {
    expect(definitions.map((d) => d.id)).toEqual(['kirby-super-star', 'kirby-s-fun-pak']);
    expect(kss!.name).toBe('KIRBY SUPER STAR');
    expect(kss!.platform).toBe('snes');
    expect(kss!.notes).toContain('format_version 1.1');
  });

  test('checksums become variants: region → header checksum, with the title', () => {
    expect(kss!.variants.map((v) => [v.id, v.region, v.headerChecksum, v.title])).toEqual([
      ['usa', 'USA', 0x8a5c, 'KIRBY SUPER STAR'],
      ['japan', 'Japan', 0x7f4c, 'KIRBY SUPER STAR'],
      ['europe', 'Europe', 0x8b5c, 'KIRBY SUPER STAR'],
    ]);
    // A "crc32" key is a checksum of the whole game: the default variant.
    expect(funPak!.variants.map((v) => [v.id, v.crc32, v.headerChecksum])).toEqual([
      ['default', 0x5e8a7b10, undefined],
      ['europe-alt', undefined, 0xae40],
    ]);
  });

  test('sprites: offset, expected size → byteLength, compressed → hal / none, notes; "_" keys skipped', () => {
    expect(kss!.sprites.map((s) => s.name)).toEqual(['Kirby_Normal', 'Kirby_Abilities', 'Enemy_Set_A', 'Font_Raw']);
    expect(kss!.sprites[0]).toMatchObject({ offset: { kind: 'offset', value: 0x200000 }, byteLength: 7744, codec: 'hal', tileFormat: 'snes4bpp', notes: 'main character frames' });
    expect(kss!.sprites[2]!.codec).toBe('hal');
    expect(kss!.sprites[3]).toMatchObject({ codec: 'none', byteLength: 2048 });
  });

  test('offset_variants: positional lists per region become variant offsets', () => {
    expect(spriteLocation(kss!.sprites[0]!, 'europe').value).toBe(0x200400);
    expect(spriteLocation(kss!.sprites[1]!, 'europe').value).toBe(0x1c0400);
    expect(spriteLocation(kss!.sprites[2]!, 'europe').value).toBe(0x378000);
    expect(spriteLocation(kss!.sprites[0]!, 'usa').value).toBe(0x200000);
  });

  test('array sprites, bus addresses and per-sprite alternate offsets', () => {
    expect(funPak!.sprites[1]).toMatchObject({ name: 'Title_Logo', offset: { kind: 'bus', value: 0xf80000 } });
    expect(spriteLocation(funPak!.sprites[1]!, 'europe-alt').text).toBe('$F8:1000');
  });

  test('imported definitions are valid definition files (schema and validator) and round-trip', () => {
    for (const definition of definitions) {
      const json = gameDefinitionToJson(definition);
      expect(schemaValid(json), JSON.stringify(schemaValid.errors)).toBe(true);
      expect(parseGameDefinition(json, definition.source)).toEqual(definition);
    }
  });

  test('matching an imported definition by header checksum and title', () => {
    const match = matchDefinition(definitions, { crc32: 1, sha1: '0'.repeat(40), headerChecksum: 0x8b5c, title: 'KIRBY SUPER STAR', platform: 'snes' });
    expect(match).toMatchObject({ definition: { id: 'kirby-super-star' }, variant: { id: 'europe' }, matchedBy: 'headerChecksum' });
  });
});

describe('SpritePal shape variations', () => {
  test('games at the top level (no "games" wrapper), per-region checksum objects, offset variants by name', () => {
    const [game] = importSpritePalLocations({
      'SUPER GAME': {
        checksums: { USA: { crc32: '0x89ABCDEF', checksum: '0x1234' }, Japan: 'aa'.repeat(20) },
        sprites: { Hero: { rom_offset: 4096, size: 512, compressed: false } },
        offset_variants: { Japan: { Hero: '0x2000' } },
      },
      scanning_hints: { hints: [] },
    });
    expect(game!.variants).toMatchObject([
      { id: 'usa', crc32: 0x89abcdef, headerChecksum: 0x1234 },
      { id: 'japan', sha1: 'aa'.repeat(20) },
    ]);
    expect(game!.sprites[0]).toMatchObject({ codec: 'none', byteLength: 512, offset: { value: 4096 } });
    expect(spriteLocation(game!.sprites[0]!, 'japan').value).toBe(0x2000);
  });

  test('a game with no checksums gets a title-only variant; alternate offsets without regions become notes', () => {
    const [game] = importSpritePalLocations({ games: { 'NO SUMS': { sprites: [{ name: 'x', offset: '0x10', alternate_offsets: ['0x20', '0x30'] }] } } });
    expect(game!.variants).toEqual([{ id: 'default', title: 'NO SUMS' }]);
    expect(game!.sprites[0]!.notes).toContain('0x20, 0x30');
  });

  const bad: [string, (d: Record<string, any>) => void, string][] = [
    ['sprite without offset', (d) => delete d.games['KIRBY SUPER STAR'].sprites.Kirby_Normal.offset, '/games/KIRBY SUPER STAR/sprites/Kirby_Normal/offset'],
    ['offset that is no location', (d) => (d.games['KIRBY SUPER STAR'].sprites.Kirby_Normal.offset = 'near the end'), '/games/KIRBY SUPER STAR/sprites/Kirby_Normal/offset'],
    ['size that is not a positive integer', (d) => (d.games['KIRBY SUPER STAR'].sprites.Kirby_Abilities.expected_size = -5), '/games/KIRBY SUPER STAR/sprites/Kirby_Abilities/expected_size'],
    ['compressed flag that is not a boolean', (d) => (d.games['KIRBY SUPER STAR'].sprites.Enemy_Set_A.compressed = 'yes'), '/games/KIRBY SUPER STAR/sprites/Enemy_Set_A/compressed'],
    ['uncompressed sprite without a size', (d) => delete d.games['KIRBY SUPER STAR'].sprites.Font_Raw.expected_size, '/games/KIRBY SUPER STAR/sprites/Font_Raw/expected_size'],
    ['checksum of an odd length', (d) => (d.games['KIRBY SUPER STAR'].checksums.USA = '0x8A5C1'), '/games/KIRBY SUPER STAR/checksums/USA'],
    ['checksum that is not hex', (d) => (d.games['KIRBY SUPER STAR'].checksums.USA = 'none'), '/games/KIRBY SUPER STAR/checksums/USA'],
    ['more variant offsets than sprites', (d) => (d.games['KIRBY SUPER STAR'].offset_variants.Europe = ['0x1', '0x2', '0x3', '0x4', '0x5']), '/games/KIRBY SUPER STAR/offset_variants/Europe/4'],
    ['game that is not an object', (d) => (d.games["KIRBY'S FUN PAK"] = 7), "/games/KIRBY'S FUN PAK"],
    ['game without sprites', (d) => delete d.games["KIRBY'S FUN PAK"].sprites, "/games/KIRBY'S FUN PAK/sprites"],
    ['no games', (d) => (d.games = {}), '/games'],
  ];
  test.each(bad)('%s → %s', (_name, mutate, field) => {
    const document = sample();
    mutate(document);
    expect(fieldOf(() => importSpritePalLocations(document))).toBe(field);
  });

  test('not JSON', () => {
    expect(fieldOf(() => importSpritePalLocations('{'))).toBe('');
  });
});
