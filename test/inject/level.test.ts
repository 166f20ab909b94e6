import { describe, expect, it } from 'vitest';
import { buildMdRom } from '../../src/rom/build.js';
import { encodeTiles, getTileFormat } from '../../src/gfx/formats.js';
import { getCodec } from '../../src/codecs/index.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { injectIntoBytes } from '../../src/inject/plan.js';
import { DefinitionError } from '../../src/errors.js';
import { noisyArt, spriteArt } from './fixtures.js';

const spriteOffset = 0x1000;
const tileCount = 16;
const format = getTileFormat('md4bpp');

/** A Mega Drive ROM with one Kosinski block (packed by Sega's compressor), a pointer to it and free space. */
function kosinskiRom(level: string | undefined): { bytes: Uint8Array; definitionJson: Record<string, any> } {
  const packed = getCodec('kosinski').compress(encodeTiles(format, spriteArt(tileCount, 4, 7)), { level: 'accurate' });
  const bytes = buildMdRom({
    size: 0x20000,
    filler: 'random',
    title: 'LEVEL TEST',
    payloads: [
      { offset: spriteOffset, bytes: packed },
      { offset: 0x300, bytes: Uint8Array.of(spriteOffset & 0xff, spriteOffset >> 8, 0, 0) },
    ],
  });
  const rom = romFromBytes(bytes);
  const definitionJson: Record<string, any> = {
    formatVersion: 1,
    id: 'level-test',
    name: 'Level test',
    platform: 'md',
    variants: [{ id: 'test', crc32: rom.identity().crc32.toString(16).padStart(8, '0'), title: rom.title() }],
    sprites: [{ name: 'art', offset: '0x1000', codec: 'kosinski', tileFormat: 'md4bpp', tileCount, ...(level !== undefined ? { level } : {}) }],
    pointers: [{ target: 'art', form: 'offset32le', at: '0x300' }],
    freeSpace: [{ start: '0x18000', end: '0x1c000' }],
  };
  return { bytes, definitionJson };
}

describe('a definition may pin the level injection re-packs at (issue #15)', () => {
  // Kosinski `max` output is smaller than `accurate`'s (Sega's compressor pads to 16 bytes): without the pin, injection keeps `max`.
  const edited = spriteArt(tileCount, 4, 7);
  edited.set(noisyArt(2, 4, 99), 5 * 64);
  const raw = encodeTiles(format, edited);
  const accurate = getCodec('kosinski').compress(raw, { level: 'accurate' });
  const max = getCodec('kosinski').compress(raw, { level: 'max' });

  it('the chosen art tells the levels apart (precondition)', () => {
    expect(max.length).toBeLessThan(accurate.length);
  });

  it('level "accurate": the block is exactly what Sega\'s compressor gives', () => {
    const { bytes, definitionJson } = kosinskiRom('accurate');
    const definition = parseGameDefinition(definitionJson, 'level.json');
    expect(definition.sprites[0]!.level).toBe('accurate');
    const result = injectIntoBytes(romFromBytes(bytes), definition, [{ sprite: 'art', indices: edited }]);
    const planned = result.plan.sprites[0]!;
    expect(planned.level).toBe('accurate');
    expect(planned.levelsTried.map((t) => t.level)).toEqual(['accurate']);
    // Sega's compressor pads its output with zeros to 16 bytes; injection writes the stream (as for
    // every codec: the slot is the stream, padding past it could be a neighbour's bytes).
    const stream = planned.packed;
    expect(stream.length).toBeGreaterThan(accurate.length - 16);
    expect(Buffer.from(stream).equals(Buffer.from(accurate.subarray(0, stream.length)))).toBe(true);
    expect(accurate.subarray(stream.length).every((b) => b === 0)).toBe(true);
    const at = planned.newOffset;
    expect(Buffer.from(result.data.subarray(at, at + stream.length)).equals(Buffer.from(stream))).toBe(true);
    expect(getCodec('kosinski').decompress(result.data, at).data).toEqual(raw);
  });

  it('without a level the smallest output is kept (max here)', () => {
    const { bytes, definitionJson } = kosinskiRom(undefined);
    const result = injectIntoBytes(romFromBytes(bytes), parseGameDefinition(definitionJson, 'level.json'), [{ sprite: 'art', indices: edited }]);
    const planned = result.plan.sprites[0]!;
    expect(planned.level).toBe('max');
    expect(Buffer.from(planned.packed).equals(Buffer.from(max.subarray(0, planned.packed.length)))).toBe(true);
  });

  it('an unknown level, or a level on a raw block, is a definition error naming the field', () => {
    const { definitionJson } = kosinskiRom('fastest');
    let error: unknown;
    try {
      parseGameDefinition(definitionJson, 'level.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as DefinitionError).field).toBe('/sprites/0/level');
    expect((error as Error).message).toMatch(/no level "fastest" \(levels: accurate, max\)/u);
    definitionJson.sprites[0].codec = 'none';
    definitionJson.sprites[0].level = 'accurate';
    expect(() => parseGameDefinition(definitionJson, 'level.json')).toThrow(/\/sprites\/0\/level: codec "none" has no compression levels/u);
  });
});
