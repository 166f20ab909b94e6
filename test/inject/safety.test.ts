/**
 * Issue 14's silent-damage paths on the demo ROM, through the library: each one once wrote a
 * wrong ROM and reported success; each is now a typed refusal (nothing written) or a correct
 * result. The one rule behind them: a write never reaches a byte the ROM's data does not give it.
 */
import { describe, expect, it } from 'vitest';
import { buildDemoRom, demoDefinition } from '../../src/demo/demo-rom.js';
import { romFromBytes, type Rom } from '../../src/rom/rom.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import type { GameDefinition } from '../../src/defs/types.js';
import { encodeTiles, getTileFormat } from '../../src/gfx/formats.js';
import { getCodec } from '../../src/codecs/index.js';
import { checkDefinitionAgainstRom, definitionAfterInjection, injectIntoBytes, planInjection, resolveSprites, readSpriteBlock, imageToTiles, tilesToImage } from '../../src/inject/index.js';
import { DefinitionCheckFailedError, DefinitionNoMatchError, PaddingNotBlankError, StoredLengthError, isRomgfxError } from '../../src/errors.js';
import { noisyArt } from './fixtures.js';

const demo = buildDemoRom();
const rom: Rom = romFromBytes(demo.bytes);
const demoJson = demoDefinition(demo, rom.identity());

function definitionWith(change: (json: { [key: string]: unknown; sprites: Record<string, unknown>[]; variants: Record<string, unknown>[]; pointers: Record<string, unknown>[]; freeSpace: Record<string, unknown>[] }) => void): GameDefinition {
  const json = structuredClone(demoJson) as Parameters<typeof change>[0];
  change(json);
  return parseGameDefinition(json, 'demo.game.json');
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

/** Bytes of a and b that differ, as [start, end) runs. */
function differences(a: Uint8Array, b: Uint8Array): { start: number; end: number }[] {
  const runs: { start: number; end: number }[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const last = runs[runs.length - 1];
    if (last && last.end === i) last.end = i + 1;
    else runs.push({ start: i, end: i + 1 });
  }
  return runs;
}

describe('2. a definition for another game', () => {
  const other = definitionWith((d) => {
    d.id = 'other-game';
    d.variants = [{ id: 'usa', crc32: '12345678', title: 'OTHER GAME' }];
  });
  const edit = [{ sprite: 'ball', indices: noisyArt(4, 4, 3) }];

  it('is refused with ERR_DEFINITION_NO_MATCH naming what was compared; nothing is planned', () => {
    const error = caught(() => injectIntoBytes(rom, other, edit));
    expect(error).toBeInstanceOf(DefinitionNoMatchError);
    const e = error as DefinitionNoMatchError;
    expect(e.code).toBe('ERR_DEFINITION_NO_MATCH');
    expect(e.message).toContain(rom.identity().crc32.toString(16).padStart(8, '0'));
    expect(e.message).toContain('"ROMGFX DEMO"');
    expect(e.message).toContain('usa (CRC-32 12345678, title "OTHER GAME")');
    expect(e.message).toContain('--variant');
    expect(e.message).toContain('--force-definition');
    expect(e.details).toMatchObject({ definition: 'other-game', compared: { rom: { title: 'ROMGFX DEMO' } } });
  });

  it('is used when the caller names its variant or forces it', () => {
    expect(planInjection(rom, other, edit, { variant: 'usa' }).variantChosenBy).toBe('named');
    const forced = planInjection(rom, other, edit, { forceDefinition: true });
    expect(forced.variantChosenBy).toBe('forced');
    expect(forced.variant).toBeUndefined();
    expect(() => planInjection(rom, other, edit, { variant: 'eur' })).toThrow(/no variant "eur"/u);
  });

  it('the demo definition still recognises an edited demo ROM (by its title)', () => {
    const own = parseGameDefinition(demoJson, 'demo.game.json');
    const once = injectIntoBytes(rom, own, edit);
    expect(once.plan.variantChosenBy).toBe('crc32');
    expect(planInjection(romFromBytes(once.output), own, [{ sprite: 'heart', indices: noisyArt(4, 4, 4) }]).variantChosenBy).toBe('title');
  });
});

describe('3. a storedLength larger than the block', () => {
  for (const storedLength of [120, 10_000_000]) {
    it(`storedLength ${storedLength} on the 75-byte HAL slot of "ball": refused at load, the neighbour untouched`, () => {
      const wrong = definitionWith((d) => (d.sprites[0]!.storedLength = storedLength));
      const ball = demo.sprites[0]!;
      expect(ball.packedLength).toBe(75);
      // An edit that packs into more than 75 (but at most 120) bytes: the old code wrote it over "heart".
      const error = caught(() => injectIntoBytes(rom, wrong, [{ sprite: 'ball', indices: noisyArt(4, 4, 11) }]));
      expect(error).toBeInstanceOf(StoredLengthError);
      expect((error as StoredLengthError).details).toMatchObject({ sprite: 'ball', storedLength, slotLength: 75, offset: 0x10000 });
      const report = checkDefinitionAgainstRom(rom, wrong);
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([expect.objectContaining({ kind: 'stored-length', sprite: 'ball' })]);
      // Extract holds the definition to the ROM too.
      const sprite = resolveSprites(rom, wrong).find((s) => s.name === 'ball')!;
      expect(() => readSpriteBlock(rom.data, sprite, 'demo.game.json')).toThrow(StoredLengthError);
    });
  }

  it('with the real storedLength the grown edit relocates: the neighbour is untouched', () => {
    const own = parseGameDefinition(demoJson, 'demo.game.json');
    const out = injectIntoBytes(rom, own, [{ sprite: 'ball', indices: noisyArt(4, 4, 11) }]);
    expect(out.plan.sprites[0]!.outcome).toBe('relocated');
    const heart = demo.sprites[1]!;
    expect(Buffer.compare(Buffer.from(out.data.subarray(heart.offset, heart.offset + heart.packedLength)), Buffer.from(rom.data.subarray(heart.offset, heart.offset + heart.packedLength)))).toBe(0);
  });
});

describe('4. overlaps are caught before anything is written', () => {
  it('two sprites that overlap: both named with offsets; inject refuses even an edit of a third', () => {
    const overlapping = definitionWith((d) => {
      d.pointers = d.pointers.filter((p) => p.target !== 'slime');
      d.sprites[5]!.offset = '0x101B0'; // slime declared 0x16 bytes into mushroom (0x10146-0x101C6)
    });
    const report = checkDefinitionAgainstRom(rom, overlapping);
    const overlap = report.problems.find((p) => p.kind === 'overlap')!;
    expect(overlap.message).toContain('sprite "mushroom" (0x10146-0x101C6)');
    expect(overlap.message).toContain('sprite "slime" (0x101B0-0x10230)');
    expect(overlap.message).toContain('overlap at 0x101B0-0x101C6');
    expect(report.problems).toHaveLength(1);
    expect(overlap.ranges).toEqual([
      { what: 'sprite "mushroom"', start: 0x10146, end: 0x101c6 },
      { what: 'sprite "slime"', start: 0x101b0, end: 0x10230 },
    ]);
    const error = caught(() => planInjection(rom, overlapping, [{ sprite: 'ball', indices: noisyArt(4, 4, 1) }]));
    expect(error).toBeInstanceOf(DefinitionCheckFailedError);
    expect((error as DefinitionCheckFailedError).details.problems).toEqual(report.problems);
  });

  it('free space over a pointer table, and free space over a sprite', () => {
    const overPointers = definitionWith((d) => d.freeSpace.push({ start: '0x8030', end: '0x8040' }));
    const kinds = checkDefinitionAgainstRom(rom, overPointers).problems.map((p) => p.kind);
    expect(kinds).toEqual(['free-overlaps-pointer', 'free-overlaps-pointer', 'free-overlaps-pointer']);
    const overSprite = definitionWith((d) => d.freeSpace.push({ start: '0x10200', end: '0x10400' }));
    const problems = checkDefinitionAgainstRom(rom, overSprite).problems;
    expect(problems.map((p) => p.sprite)).toEqual(['key', 'potion']);
    expect(problems[0]!.message).toContain('free range 0x10200-0x10400 overlaps sprite "key" (0x10246-0x102C6)');
    // "slime" (0x101C6-0x10246) starts before the range: its tail is held back, noted, not an error.
    expect(checkDefinitionAgainstRom(rom, overSprite).notes.some((n) => n.includes('sprite "slime"'))).toBe(true);
    for (const definition of [overPointers, overSprite]) {
      expect(() => injectIntoBytes(rom, definition, [{ sprite: 'ball', indices: noisyArt(4, 4, 2) }])).toThrow(DefinitionCheckFailedError);
    }
  });

  it('the demo definition checks clean; a relocated sprite in free space is no overlap', () => {
    const own = parseGameDefinition(demoJson, 'demo.game.json');
    expect(checkDefinitionAgainstRom(rom, own)).toMatchObject({ ok: true, problems: [], variant: 'demo', variantChosenBy: 'crc32' });
    const moved = injectIntoBytes(rom, own, [{ sprite: 'ball', indices: noisyArt(4, 4, 11) }]);
    const after = checkDefinitionAgainstRom(romFromBytes(moved.output), own);
    expect(after.ok).toBe(true);
    expect(after.sprites[0]).toMatchObject({ name: 'ball', from: 'pointers', offset: moved.plan.sprites[0]!.newOffset, definitionOffset: 0x10000 });
  });
});

describe('in-place slots: decoded length plus adjacent declared free space', () => {
  /** A raw 4-tile block followed by 64 free bytes, then a HAL block; no pointers (nothing can move). */
  function tightRom(declareFree: boolean): { rom: Rom; definition: GameDefinition } {
    const format = getTileFormat('snes4bpp');
    const raw = encodeTiles(format, noisyArt(4, 4, 1));
    const hal = getCodec('hal').compress(encodeTiles(format, noisyArt(2, 4, 2)), { level: '4' });
    const bytes = demo.bytes.slice();
    bytes.set(raw, 0x20000);
    bytes.fill(0xff, 0x20080, 0x200c0);
    bytes.set(hal, 0x200c0);
    const json = {
      formatVersion: 1,
      id: 'tight',
      name: 'tight',
      platform: 'snes',
      variants: [{ id: 'v', title: 'ROMGFX DEMO' }],
      sprites: [
        { name: 'raw', offset: '0x20000', codec: 'none', tileFormat: 'snes4bpp', tileCount: 4 },
        { name: 'packed', offset: '0x200C0', codec: 'hal', tileFormat: 'snes4bpp' },
      ],
      ...(declareFree ? { freeSpace: [{ start: '0x20080', end: '0x200C0' }] } : {}),
    };
    return { rom: romFromBytes(bytes), definition: parseGameDefinition(json, 'tight') };
  }

  it('a raw block grown by two tiles uses the 64 declared free bytes after it and nothing else', () => {
    const { rom: tight, definition } = tightRom(true);
    const out = injectIntoBytes(tight, definition, [{ sprite: 'raw', indices: noisyArt(6, 4, 5) }], { allowResize: true });
    expect(out.plan.sprites[0]).toMatchObject({ outcome: 'in-place', slotLength: 0xc0, newPackedLength: 0xc0 });
    expect(differences(tight.data, out.data).every((d) => (d.start >= 0x20000 && d.end <= 0x200c0) || d.start < 0x8000 || (d.start >= 0x7fc0 && d.end <= 0x8000))).toBe(true);
    // The definition of the output says the free range is used and the block has six tiles.
    const after = definitionAfterInjection(definition, out.plan, romFromBytes(out.output).identity());
    expect(after.sprites[0]!.tileCount).toBe(6);
    expect(after.freeSpace).toEqual([]);
    expect(checkDefinitionAgainstRom(romFromBytes(out.output), after, { variant: 'v' }).ok).toBe(true);
  });

  it('without the free range the same edit cannot grow: refused, nothing written', () => {
    const { rom: tight, definition } = tightRom(false);
    expect(() => injectIntoBytes(tight, definition, [{ sprite: 'raw', indices: noisyArt(6, 4, 5) }], { allowResize: true })).toThrow(/packs to 192 bytes but its slot holds 128/u);
  });
});

describe('1. padding tiles of an extracted image', () => {
  const definition = parseGameDefinition(
    { formatVersion: 1, id: 'p', name: 'p', platform: 'snes', variants: [{ id: 'v', title: 'ROMGFX DEMO' }], sprites: [{ name: 'mushroom', offset: '0x10146', codec: 'none', tileFormat: 'snes4bpp', tileCount: 4 }] },
    'p',
  );
  const sprite = resolveSprites(rom, definition)[0]!;
  const indices = noisyArt(4, 4, 6);
  const image = tilesToImage(indices, 4, undefined);

  it('a 4-tile block is a 128x8 sheet (4 tiles, 12 blank padding tiles); the padding is dropped', () => {
    expect([image.width, image.height]).toEqual([128, 8]);
    const back = imageToTiles(image, sprite, 4, false);
    expect(back.tileCount).toBe(4);
    expect(back.indices).toEqual(indices);
    const out = injectIntoBytes(rom, definition, [{ sprite: 'mushroom', image }]);
    expect(differences(rom.data, out.data).every((d) => (d.start >= 0x10146 && d.end <= 0x101c6) || d.start < 0x8000 || (d.start >= 0x7fc0 && d.end <= 0x8000))).toBe(true);
  });

  it('drawing in a padding tile is an error naming the tiles; nothing is planned', () => {
    const drawn = { ...image, pixels: image.pixels.slice() };
    drawn.pixels[9 * 8 + 3] = 5; // tile 9, row 0
    drawn.pixels[7 * 128 + 15 * 8 + 7] = 1; // tile 15, row 7
    const error = caught(() => planInjection(rom, definition, [{ sprite: 'mushroom', image: drawn }]));
    expect(error).toBeInstanceOf(PaddingNotBlankError);
    expect(isRomgfxError(error) && error.details).toMatchObject({ sprite: 'mushroom', tileCount: 4, tiles: [9, 15] });
    expect((error as Error).message).toContain('padding tile(s) 9, 15');
    // With --allow-resize every tile of the image is the block's: it no longer fits in place.
    expect(() => planInjection(rom, definition, [{ sprite: 'mushroom', image: drawn }], { allowResize: true })).toThrow(/packs to 512 bytes but its slot holds 128/u);
  });
});
