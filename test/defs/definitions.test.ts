import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import {
  freeSpaceFor,
  gameDefinitionToJson,
  loadGameDefinition,
  matchDefinition,
  parseGameDefinition,
  resolveDefLocation,
  romFacts,
  spriteLocation,
  pointerLocation,
  type GameDefinition,
  type RomFacts,
} from '../../src/defs/index.js';
import { DefinitionError, RomgfxError } from '../../src/errors.js';
import { openRom } from '../../src/rom/rom.js';

const repo = (path: string): string => new URL(`../../${path}`, import.meta.url).pathname;
const schema = JSON.parse(readFileSync(repo('docs/game-definition.schema.json'), 'utf8')) as object;
const ajv = new Ajv2020.default({ allErrors: true, strict: false });
const schemaValid = ajv.compile(schema);

const fixtureNames = ['snes05.json', 'gba-tests.json', 'nes-full-game.json'];
const readFixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(repo(`fixtures/defs/${name}`), 'utf8')) as Record<string, unknown>;

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as RomgfxError).code).toBe('ERR_DEFINITION');
    return (error as DefinitionError).field;
  }
  throw new Error('expected a DefinitionError, nothing was thrown');
}

/** A minimal valid definition to mutate. */
function base(): Record<string, any> {
  return {
    formatVersion: 1,
    id: 'test-game',
    name: 'Test Game',
    platform: 'snes',
    variants: [
      { id: 'usa', crc32: '12345678', title: 'TEST GAME' },
      { id: 'jpn', headerChecksum: '0xBEEF', title: 'TEST GAME' },
    ],
    sprites: [
      { name: 'a', offset: '0x8000', tileFormat: 'snes4bpp', tileCount: 4 },
      { name: 'b', offset: 4096, codec: 'hal', variantOffsets: { jpn: '$02:8000' } },
      { name: 'c', offset: '$C0:1234', byteLength: 64, arrangement: { kind: 'snes-obj', size: 32 }, palette: { cgram: 3 } },
      { name: 'd', offset: '0x10000', codec: 'lz4', arrangement: { kind: 'block', width: 2, height: 2 }, palette: { rom: '0x9000', count: 16 } },
    ],
    pointers: [
      { target: 'b', form: 'snes24', at: '0x100' },
      { target: 'd', form: 'snes16+bank', at: '0x200', bankAt: '0x210', variantAt: { jpn: { at: '0x300', bankAt: '0x310' } } },
    ],
    freeSpace: [
      { start: '0x70000', end: '0x78000' },
      { start: '0x78000', end: '0x80000', variants: ['usa'] },
    ],
  };
}

describe('published schema and hand-written validation agree', () => {
  test.each(fixtureNames)('fixture %s is valid for both', (name) => {
    const json = readFixture(name);
    expect(schemaValid(json), JSON.stringify(schemaValid.errors)).toBe(true);
    const definition = loadGameDefinition(repo(`fixtures/defs/${name}`));
    expect(definition.variants.length).toBeGreaterThan(0);
  });

  test('the base document is valid for both', () => {
    expect(schemaValid(base()), JSON.stringify(schemaValid.errors)).toBe(true);
    expect(parseGameDefinition(base(), 'base').sprites).toHaveLength(4);
  });

  // Each mutation breaks one schema rule; the validator must name the field.
  const mutations: [string, (d: Record<string, any>) => void, string][] = [
    ['wrong format version', (d) => (d.formatVersion = 2), '/formatVersion'],
    ['id with capitals', (d) => (d.id = 'Test'), '/id'],
    ['unknown platform', (d) => (d.platform = 'n64'), '/platform'],
    ['unknown top-level property', (d) => (d.sprite = []), '/sprite'],
    ['no variants', (d) => (d.variants = []), '/variants'],
    ['variant without any identification', (d) => (d.variants[1] = { id: 'jpn' }), '/variants/1'],
    ['bad crc32', (d) => (d.variants[0].crc32 = '1234'), '/variants/0/crc32'],
    ['bad sha1', (d) => (d.variants[0].sha1 = 'abc'), '/variants/0/sha1'],
    ['header checksum too big', (d) => (d.variants[1].headerChecksum = 70000), '/variants/1/headerChecksum'],
    ['variant size 0', (d) => (d.variants[0].size = 0), '/variants/0/size'],
    ['sprite offset not a location', (d) => (d.sprites[3].offset = 'somewhere'), '/sprites/3/offset'],
    ['sprite offset negative', (d) => (d.sprites[3].offset = -1), '/sprites/3/offset'],
    ['sprite offset fractional', (d) => (d.sprites[0].offset = 1.5), '/sprites/0/offset'],
    ['codec name not a codec name', (d) => (d.sprites[1].codec = 'HAL LZ'), '/sprites/1/codec'],
    ['unknown tile format', (d) => (d.sprites[0].tileFormat = 'snes5bpp'), '/sprites/0/tileFormat'],
    ['raw block without a length', (d) => delete d.sprites[0].tileCount, '/sprites/0'],
    ['tile count 0', (d) => (d.sprites[0].tileCount = 0), '/sprites/0/tileCount'],
    ['snes-obj size 24', (d) => (d.sprites[2].arrangement.size = 24), '/sprites/2/arrangement/size'],
    ['unknown arrangement kind', (d) => (d.sprites[2].arrangement = { kind: 'spiral' }), '/sprites/2/arrangement/kind'],
    ['block too wide', (d) => (d.sprites[3].arrangement.width = 65), '/sprites/3/arrangement/width'],
    ['cgram row 16', (d) => (d.sprites[2].palette = { cgram: 16 }), '/sprites/2/palette/cgram'],
    ['palette of no known kind', (d) => (d.sprites[2].palette = { colours: 4 }), '/sprites/2/palette'],
    ['palette count 0', (d) => (d.sprites[3].palette.count = 0), '/sprites/3/palette/count'],
    ['unknown sprite property', (d) => (d.sprites[0].compressed = true), '/sprites/0/compressed'],
    ['level not a level name', (d) => (d.sprites[1].level = 'Best Please'), '/sprites/1/level'],
    ['unknown pointer form', (d) => (d.pointers[0].form = 'snes32'), '/pointers/0/form'],
    ['snes16+bank without bankAt', (d) => delete d.pointers[1].bankAt, '/pointers/1/bankAt'],
    ['bankAt on a 24-bit pointer', (d) => (d.pointers[0].bankAt = '0x120'), '/pointers/0/bankAt'],
    ['variant pointer without bankAt', (d) => delete d.pointers[1].variantAt.jpn.bankAt, '/pointers/1/variantAt/jpn/bankAt'],
    ['free range as bus address', (d) => (d.freeSpace[0].start = '$0E:8000'), '/freeSpace/0/start'],
    ['free range variants empty', (d) => (d.freeSpace[1].variants = []), '/freeSpace/1/variants'],
    ['screen for an unknown target', (d) => (d.screens = [{ name: 's', target: 'n64', tiles: 'a', map: 'c' }]), '/screens/0/target'],
    ['screen without a map', (d) => (d.screens = [{ name: 's', target: 'snes', tiles: 'a' }]), '/screens/0/map'],
    ['screen bpp 5', (d) => (d.screens = [{ name: 's', target: 'snes', bpp: 5, tiles: 'a', map: 'c' }]), '/screens/0/bpp'],
  ];
  test.each(mutations)('%s → %s', (_name, mutate, field) => {
    const document = base();
    mutate(document);
    expect(schemaValid(document)).toBe(false);
    expect(fieldOf(() => parseGameDefinition(document, 'mutated.json'))).toBe(field);
  });

  // Rules the schema cannot state (references, uniqueness, overlaps, sizes): romgfx checks them.
  const semantic: [string, (d: Record<string, any>) => void, string][] = [
    // The schema admits any codec-shaped name (plug-ins register their own); romgfx checks the registry.
    ['codec not registered', (d) => (d.sprites[1].codec = 'zip'), '/sprites/1/codec'],
    // Levels are the codec's own (the registry's), so the schema cannot list them.
    ['level the codec does not have', (d) => (d.sprites[1].level = 'accurate'), '/sprites/1/level'],
    ['level on a raw block', (d) => (d.sprites[0].level = 'max'), '/sprites/0/level'],
    ['duplicate variant id', (d) => (d.variants[1].id = 'usa'), '/variants/1/id'],
    ['duplicate sprite name', (d) => (d.sprites[3].name = 'a'), '/sprites/3/name'],
    ['variant offset for an unknown variant', (d) => (d.sprites[1].variantOffsets = { eur: '0x10' }), '/sprites/1/variantOffsets/eur'],
    ['pointer to an unknown sprite', (d) => (d.pointers[0].target = 'z'), '/pointers/0/target'],
    ['GBA pointer in a SNES game', (d) => (d.pointers[0].form = 'gba32'), '/pointers/0/form'],
    ['tileCount and byteLength disagree', (d) => (d.sprites[0].byteLength = 100), '/sprites/0/byteLength'],
    ['free range end before start', (d) => (d.freeSpace[0].end = '0x60000'), '/freeSpace/0/end'],
    ['overlapping free ranges', (d) => (d.freeSpace[1].start = '0x77000'), '/freeSpace/1'],
    ['free range for an unknown variant', (d) => (d.freeSpace[1].variants = ['eur']), '/freeSpace/1/variants/0'],
    ['screen map naming no sprite', (d) => (d.screens = [{ name: 's', target: 'snes', tiles: 'a', map: 'z' }]), '/screens/0/map'],
  ];
  test.each(semantic)('%s → %s', (_name, mutate, field) => {
    const document = base();
    mutate(document);
    expect(fieldOf(() => parseGameDefinition(document, 'mutated.json'))).toBe(field);
  });

  test('messages say the source, the field and what was expected', () => {
    const document = base();
    document.sprites[3].offset = 'somewhere';
    try {
      parseGameDefinition(document, 'games/test.json');
      throw new Error('not thrown');
    } catch (error) {
      expect((error as Error).message).toMatch(/^games\/test\.json: \/sprites\/3\/offset: expected a ROM offset/u);
      expect((error as RomgfxError).category).toBe('data');
    }
  });

  test('not JSON, not an object, field names with "/" are escaped', () => {
    expect(fieldOf(() => parseGameDefinition('{ nope', 'x.json'))).toBe('');
    expect(fieldOf(() => parseGameDefinition([], 'x.json'))).toBe('');
    const document = base();
    document.sprites[1].variantOffsets = { 'a/b': '0x10' };
    expect(fieldOf(() => parseGameDefinition(document, 'x.json'))).toBe('/sprites/1/variantOffsets/a~1b');
  });

  test('comments ("_" keys) are allowed by both', () => {
    const document = base();
    document._comment = 'hello';
    document.sprites[0]._why = 'because';
    expect(schemaValid(document)).toBe(true);
    expect(() => parseGameDefinition(document, 'x.json')).not.toThrow();
  });

  test('gameDefinitionToJson writes what parse reads back', () => {
    for (const name of fixtureNames) {
      const definition = loadGameDefinition(repo(`fixtures/defs/${name}`));
      const json = gameDefinitionToJson(definition);
      expect(schemaValid(json), JSON.stringify(schemaValid.errors)).toBe(true);
      expect(parseGameDefinition(json, definition.source)).toEqual(definition);
    }
    const definition = parseGameDefinition(base(), 'base');
    expect(parseGameDefinition(gameDefinitionToJson(definition), 'base')).toEqual(definition);
    const pinned = base();
    pinned.sprites[1].level = 'max';
    pinned.screens = [{ name: 'title', target: 'snes', bpp: 4, tiles: 'a', map: 'c', palette: 'd', notes: 'n' }];
    const withLevel = parseGameDefinition(pinned, 'base');
    expect(withLevel.sprites[1]!.level).toBe('max');
    expect(withLevel.screens).toEqual(pinned.screens);
    expect(schemaValid(gameDefinitionToJson(withLevel)), JSON.stringify(schemaValid.errors)).toBe(true);
    expect(parseGameDefinition(gameDefinitionToJson(withLevel), 'base')).toEqual(withLevel);
  });
});

describe('parsed values', () => {
  const definition = parseGameDefinition(base(), 'base');
  test('locations keep their kind and text', () => {
    expect(definition.sprites[0]!.offset).toEqual({ kind: 'offset', value: 0x8000, text: '0x8000' });
    expect(definition.sprites[2]!.offset).toEqual({ kind: 'bus', value: 0xc01234, text: '$C0:1234' });
    expect(definition.variants[0]!.crc32).toBe(0x12345678);
    expect(definition.variants[1]!.headerChecksum).toBe(0xbeef);
    expect(definition.sprites[0]!.codec).toBe('none');
  });
  test('variant overrides and free space per variant', () => {
    expect(spriteLocation(definition.sprites[1]!, 'jpn').text).toBe('$02:8000');
    expect(spriteLocation(definition.sprites[1]!, 'usa').value).toBe(4096);
    expect(pointerLocation(definition.pointers[1]!, 'jpn').at.value).toBe(0x300);
    expect(pointerLocation(definition.pointers[1]!, 'usa').bankAt!.value).toBe(0x210);
    expect(freeSpaceFor(definition, 'usa')).toHaveLength(2);
    expect(freeSpaceFor(definition, 'jpn')).toHaveLength(1);
  });
});

describe('matching', () => {
  const facts = (overrides: Partial<RomFacts>): RomFacts => ({ crc32: 0, sha1: '0'.repeat(40), ...overrides });
  const def = (id: string, variants: Record<string, unknown>[], platform = 'snes'): GameDefinition =>
    parseGameDefinition({ formatVersion: 1, id, name: id, platform, variants, sprites: [] }, id);
  const one = def('one', [
    { id: 'v-title', title: 'SAME TITLE' },
    { id: 'v-sum', headerChecksum: 0x1111, title: 'SAME TITLE' },
  ]);
  const two = def('two', [
    { id: 'v-crc', crc32: 'cafef00d' },
    { id: 'v-sha', sha1: 'ab'.repeat(20) },
  ]);
  const three = def('three', [{ id: 'v-sum-other-title', headerChecksum: 0x1111, title: 'OTHER GAME' }]);
  const all = [one, two, three];

  test('CRC-32 beats SHA-1 beats header checksum beats title, whatever the definition order', () => {
    const everything = facts({ crc32: 0xcafef00d, sha1: 'ab'.repeat(20), headerChecksum: 0x1111, title: 'SAME TITLE' });
    expect(matchDefinition(all, everything)).toMatchObject({ variant: { id: 'v-crc' }, matchedBy: 'crc32' });
    expect(matchDefinition(all, { ...everything, crc32: 1 })).toMatchObject({ variant: { id: 'v-sha' }, matchedBy: 'sha1' });
    expect(matchDefinition(all, { ...everything, crc32: 1, sha1: 'cd'.repeat(20) })).toMatchObject({ variant: { id: 'v-sum' }, matchedBy: 'headerChecksum' });
    expect(matchDefinition(all, { ...everything, crc32: 1, sha1: 'cd'.repeat(20), headerChecksum: 2 })).toMatchObject({ variant: { id: 'v-title' }, matchedBy: 'title' });
    expect(matchDefinition(all, facts({ title: 'NOBODY' }))).toBeUndefined();
  });

  test('a shared header checksum needs the title to agree', () => {
    const m = matchDefinition(all, facts({ headerChecksum: 0x1111, title: 'other game ' }));
    expect(m).toMatchObject({ definition: { id: 'three' }, matchedBy: 'headerChecksum', alsoMatched: [] });
  });

  test('SHA-1 is compared case-insensitively; titles trimmed and case-insensitively', () => {
    expect(matchDefinition(all, facts({ sha1: 'AB'.repeat(20) }))?.variant.id).toBe('v-sha');
    expect(matchDefinition(all, facts({ title: '  same   title' }))?.variant.id).toBe('v-title');
  });

  test('definitions for another platform are skipped; gb and gbc agree', () => {
    const gb = def('gb-game', [{ id: 'x', crc32: '00000001' }], 'gb');
    expect(matchDefinition([gb], facts({ crc32: 1, platform: 'snes' }))).toBeUndefined();
    expect(matchDefinition([gb], facts({ crc32: 1, platform: 'gbc' }))?.definition.id).toBe('gb-game');
  });

  test('later matches at the same level are reported', () => {
    const dup = def('dup', [{ id: 'again', title: 'SAME TITLE' }]);
    expect(matchDefinition([one, dup], facts({ title: 'SAME TITLE' }))?.alsoMatched).toEqual([
      { definition: 'one', variant: 'v-sum' },
      { definition: 'dup', variant: 'again' },
    ]);
  });

  test('real ROMs: each fixture definition recognises its ROM and the right variant', () => {
    const definitions = fixtureNames.map((n) => loadGameDefinition(repo(`fixtures/defs/${n}`)));
    const cases: [string, string, string][] = [
      ['fixtures/roms/snes/SNES_05.sfc', 'nesdoug-snes-05', 'homebrew'],
      ['fixtures/roms/gba/arm__arm.gba', 'jsmolka-gba-tests', 'arm'],
      ['fixtures/roms/gba/ppu__hello.gba', 'jsmolka-gba-tests', 'ppu-hello'],
      ['fixtures/roms/nes/full_game.nes', 'nesdoug-full-game', 'homebrew'],
    ];
    for (const [path, id, variant] of cases) {
      const match = matchDefinition(definitions, romFacts(openRom(repo(path))));
      expect(match).toMatchObject({ definition: { id }, variant: { id: variant }, matchedBy: 'crc32' });
    }
  });

  test('real ROMs: definition locations resolve to the documented data', () => {
    const snes = openRom(repo('fixtures/roms/snes/SNES_05.sfc'));
    const definition = loadGameDefinition(repo('fixtures/defs/snes05.json'));
    const sheet = definition.sprites.find((s) => s.name === 'sprite-sheet')!;
    const offset = resolveDefLocation(spriteLocation(sheet, 'homebrew'), snes);
    expect(offset).toBe(0x8120);
    expect(Buffer.compare(Buffer.from(snes.read(offset, sheet.byteLength!)), readFileSync(repo('fixtures/roms/snes/sprite.chr')))).toBe(0);
    const gbaDefinition = loadGameDefinition(repo('fixtures/defs/gba-tests.json'));
    const glyphs = gbaDefinition.sprites[0]!;
    const expected = readFileSync(repo('fixtures/roms/gba/glyphs.1bpp'));
    for (const [path, variant] of [['fixtures/roms/gba/arm__arm.gba', 'arm'], ['fixtures/roms/gba/ppu__hello.gba', 'ppu-hello']] as const) {
      const rom = openRom(repo(path));
      const at = resolveDefLocation(spriteLocation(glyphs, variant), rom);
      expect(Buffer.compare(Buffer.from(rom.read(at, glyphs.byteLength!)), expected)).toBe(0);
    }
  });
});

describe('names agree with the engine', () => {
  test('tile formats: the same names and tile sizes as src/gfx', async () => {
    const { tileFormatNames, tileFormatBytesPerTile } = await import('../../src/defs/index.js');
    const gfx = await import('../../src/gfx/formats.js');
    expect([...tileFormatNames].sort()).toEqual([...gfx.tileFormatNames()].sort());
    for (const name of tileFormatNames) expect(gfx.getTileFormat(name).bytesPerTile).toBe(tileFormatBytesPerTile[name]);
    const schemaNames = (schema as any).$defs.sprite.properties.tileFormat.enum as string[];
    expect([...schemaNames].sort()).toEqual([...tileFormatNames].sort());
  });

  test('codecs: a definition accepts "none" and every registered codec, the schema pattern admits each, and a plug-in codec once registered', async () => {
    const { definitionCodecNames } = await import('../../src/defs/index.js');
    const registry = await import('../../src/codecs/registry.js');
    expect(definitionCodecNames()).toEqual(['none', ...registry.codecNames()]);
    const pattern = new RegExp((schema as any).$defs.sprite.properties.codec.pattern as string);
    for (const name of definitionCodecNames()) expect(pattern.test(name)).toBe(true);
    expect(pattern.test('HAL')).toBe(false);
  });
});

describe('fuzz: the validator and the importer fail only with DefinitionError', () => {
  const paths = (value: unknown, prefix: string[] = []): string[][] => {
    if (value === null || typeof value !== 'object') return [prefix];
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as object);
    return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
  };
  const replaceAt = (document: any, path: string[], replacement: unknown): any => {
    if (path.length === 0) return replacement;
    let node = document;
    for (const key of path.slice(0, -1)) node = node[key];
    node[path[path.length - 1]!] = replacement;
    return document;
  };
  const expectOnlyDefinitionErrors = (fn: () => unknown): void => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(DefinitionError);
    }
  };

  test('random replacements anywhere in a definition; what the validator accepts, the schema accepts', () => {
    const all = paths(base());
    const interesting = fc.oneof(
      fc.anything({ maxDepth: 2 }),
      fc.constantFrom('0x10', '$C0:1234', 'C0:1234', '$08001234', '0x', '0xFFFFFFFFF', 'hal', 'snes4bpp', 'snes24', 'usa', 'a', 16, 32, 0, -1, 1.5, 70000),
    );
    fc.assert(
      fc.property(fc.nat(all.length - 1), interesting, (index, replacement) => {
        const document = replaceAt(base(), all[index]!, replacement);
        let accepted = false;
        expectOnlyDefinitionErrors(() => {
          parseGameDefinition(document, 'fuzz.json');
          accepted = true;
        });
        if (accepted) expect(schemaValid(JSON.parse(JSON.stringify(document))), JSON.stringify(schemaValid.errors)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test('random replacements anywhere in a SpritePal file', async () => {
    const { importSpritePalLocations } = await import('../../src/defs/index.js');
    const sample = JSON.parse(readFileSync(repo('fixtures/defs/spritepal/sprite_locations.json'), 'utf8'));
    const all = paths(sample);
    fc.assert(
      fc.property(fc.nat(all.length - 1), fc.anything({ maxDepth: 2 }), (index, replacement) => {
        const document = replaceAt(JSON.parse(JSON.stringify(sample)), all[index]!, replacement);
        expectOnlyDefinitionErrors(() => importSpritePalLocations(document, 'fuzz.json'));
      }),
      { numRuns: 1500 },
    );
  });

  test('random JSON text', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 3 }), (text) => {
        expectOnlyDefinitionErrors(() => parseGameDefinition(text, 'fuzz.json'));
      }),
      { numRuns: 500 },
    );
  });
});
