import { describe, expect, it } from 'vitest';
import { buildDemoRom, demoDefinition } from '../../src/demo/demo-rom.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { parseGameDefinition } from '../../src/defs/index.js';
import { locateSprite } from '../../src/defs/locate.js';

describe('locateSprite follows declared pointers', () => {
  const demo = buildDemoRom();
  const definition = parseGameDefinition(demoDefinition(demo, romFromBytes(demo.bytes).identity()), 'demo.game.json');
  const ball = definition.sprites.find((s) => s.name === 'ball')!;
  const ballBlock = demo.sprites.find((s) => s.name === 'ball')!;

  it('agrees with the definition offset in the original ROM', () => {
    const found = locateSprite(romFromBytes(demo.bytes), definition, ball, 'demo');
    expect(found).toMatchObject({ offset: ballBlock.offset, from: 'pointers', definitionOffset: ballBlock.offset });
    expect(found.pointers).toEqual([{ slot: { form: 'snes24', at: ballBlock.pointerAt }, offset: ballBlock.offset }]);
  });

  it('finds a relocated block through its rewritten pointer', () => {
    const edited = demo.bytes.slice();
    edited.copyWithin(0x60000, ballBlock.offset, ballBlock.offset + ballBlock.packedLength);
    edited.set([0x00, 0x80, 0x8c], ballBlock.pointerAt); // $8C:8000 = ROM offset 0x60000 (LoROM)
    const found = locateSprite(romFromBytes(edited), definition, ball, undefined);
    expect(found.offset).toBe(0x60000);
    expect(found.definitionOffset).toBe(ballBlock.offset);
  });

  it('refuses pointers that disagree, and unreadable pointers', () => {
    const json = demoDefinition(demo, romFromBytes(demo.bytes).identity()) as { pointers: unknown[] };
    json.pointers.push({ name: 'second', target: 'ball', form: 'snes24', at: '0x8023' }); // the heart's slot
    const twoPointers = parseGameDefinition(json, 'two.json');
    expect(() => locateSprite(romFromBytes(demo.bytes), twoPointers, ball, undefined)).toThrow(expect.objectContaining({ code: 'ERR_POINTERS_DISAGREE' }));
    const broken = demo.bytes.slice();
    broken.set([0x00, 0x00, 0x7e], ballBlock.pointerAt); // work RAM, not ROM
    expect(() => locateSprite(romFromBytes(broken), definition, ball, undefined)).toThrow(expect.objectContaining({ category: 'data' }));
  });
});
