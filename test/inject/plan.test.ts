import { describe, expect, it } from 'vitest';
import { romFromBytes } from '../../src/rom/rom.js';
import { decodeTiles } from '../../src/gfx/formats.js';
import { readPointer } from '../../src/defs/pointers.js';
import { getCodec, registerCodec, unregisterCodec, type Codec } from '../../src/codecs/index.js';
import { extractSprite } from '../../src/inject/extract.js';
import { applyPlan, injectIntoBytes, planInjection, verifyPlan, type SpriteEdit } from '../../src/inject/plan.js';
import { readSpriteBlock, resolveEachSprite, resolveSprites } from '../../src/inject/sprites.js';
import {
  CodecCannotCompressError,
  InjectionConflictError,
  InjectionDoesNotFitError,
  BatchFailedError,
  SpriteNotFoundError,
  TileCountMismatchError,
  OffPaletteColourError,
  IndexOutOfRangeError,
  VerifyFailedError,
  PointerError,
} from '../../src/errors.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import { encode as encodePng } from 'fast-png';
import { buildInjectFixture, fixturePlatforms, noisyArt, spriteArt } from './fixtures.js';

function extractPngs(bytes: Uint8Array, fixture: ReturnType<typeof buildInjectFixture>): SpriteEdit[] {
  const rom = romFromBytes(bytes);
  const sprites = resolveSprites(rom, fixture.definition);
  return sprites.map((s) => ({ sprite: s.name, png: extractSprite(rom, fixture.definition, s, { variant: undefined, identity: rom.identity(), imageName: `${s.name}.png` }).png }));
}

describe('round trip on fixture ROMs of every platform', () => {
  for (const platform of fixturePlatforms) {
    it(`${platform}: extract → inject unchanged → byte-identical ROM`, () => {
      const fixture = buildInjectFixture(platform);
      const rom = romFromBytes(fixture.bytes);
      // The planted blocks decode to the planted tiles (the fixture and the reader agree).
      for (const s of resolveSprites(rom, fixture.definition)) {
        const planted = fixture.sprites.find((p) => p.name === s.name)!;
        expect(s.offset).toBe(planted.offset);
        const block = readSpriteBlock(rom.data, s);
        // GBA BIOS streams are padded to a word by the encoder; the decoder reports the stream, the slot counts the padding.
        expect(block.slotLength).toBe(planted.packedLength);
        expect(planted.packedLength - block.packedLength).toBeLessThan(4);
        expect(decodeTiles(s.format, block.data)).toEqual(planted.indices);
      }
      const edits = extractPngs(fixture.bytes, fixture);
      const result = injectIntoBytes(rom, fixture.definition, edits);
      expect(result.plan.changes).toBe(false);
      expect(result.plan.sprites.every((s) => s.outcome === 'unchanged')).toBe(true);
      expect(Buffer.from(result.output).equals(Buffer.from(fixture.bytes))).toBe(true);
    });

    it(`${platform}: an edit that fits is written in place, decodes right, checksum valid`, () => {
      const fixture = buildInjectFixture(platform);
      const rom = romFromBytes(fixture.bytes);
      const target = fixture.sprites[0]!;
      const bpp = platform === 'gb' || platform === 'nes' ? 2 : 4;
      // Same art with one pixel changed: packs to about the same size, fits the slot (HAL level 4 vs max gives slack).
      const edited = spriteArt(target.tileCount, bpp, 1);
      edited[5] = (edited[5]! + 1) & ((1 << bpp) - 1);
      const result = injectIntoBytes(rom, fixture.definition, [{ sprite: target.name, indices: edited }]);
      const planned = result.plan.sprites[0]!;
      expect(['in-place', 'relocated']).toContain(planned.outcome);
      const out = romFromBytes(result.output);
      const s = resolveSprites(out, fixture.definition).find((x) => x.name === target.name)!;
      expect(decodeTiles(s.format, readSpriteBlock(out.data, s).data)).toEqual(edited);
      const checks = out.checksums();
      if (checks) expect(checks.valid).toBe(true);
      // Other sprites untouched.
      for (const other of fixture.sprites.slice(1)) {
        const o = resolveSprites(out, fixture.definition).find((x) => x.name === other.name)!;
        expect(decodeTiles(o.format, readSpriteBlock(out.data, o).data)).toEqual(other.indices);
      }
    });

    it(`${platform}: a compressed sprite that grows past its slot is relocated and repointed`, () => {
      const fixture = buildInjectFixture(platform);
      const rom = romFromBytes(fixture.bytes);
      const target = fixture.sprites[0]!;
      const bpp = platform === 'gb' || platform === 'nes' ? 2 : 4;
      const edited = noisyArt(target.tileCount, bpp, 99);
      const result = injectIntoBytes(rom, fixture.definition, [{ sprite: target.name, indices: edited }]);
      const planned = result.plan.sprites[0]!;
      expect(planned.outcome).toBe('relocated');
      expect(planned.newPackedLength).toBeGreaterThan(planned.slotLength);
      expect(planned.newOffset).toBeGreaterThanOrEqual(fixture.freeSpace.start);
      expect(planned.newOffset + planned.newPackedLength).toBeLessThanOrEqual(fixture.freeSpace.end);
      expect(planned.freed).toEqual({ start: target.offset, end: target.offset + planned.slotLength });
      expect(planned.slotLength).toBe(target.packedLength);
      expect(planned.pointersRewritten).toHaveLength(1);
      const out = romFromBytes(result.output);
      // The pointer, read as the game reads it, leads to the new block, which decodes to the edit.
      const slot = target.bankAt === undefined ? { form: fixture.definition.pointers[0]!.form, at: target.pointerAt } : { form: fixture.definition.pointers[0]!.form, at: target.pointerAt, bankAt: target.bankAt };
      expect(readPointer(out.data, slot, out).offset).toBe(planned.newOffset);
      const s = resolveSprites(out, fixture.definition).find((x) => x.name === target.name)!;
      expect(s.offset).toBe(planned.newOffset);
      expect(decodeTiles(s.format, readSpriteBlock(out.data, s).data)).toEqual(edited);
      const checks = out.checksums();
      if (checks) expect(checks.valid).toBe(true);
      if (platform === 'gba') expect(planned.newOffset % 4).toBe(0);
      // Extract → inject unchanged on the relocated ROM is byte-identical too (found through the pointer).
      const again = injectIntoBytes(out, fixture.definition, extractPngs(result.output, fixture), { variant: 'test' });
      expect(again.plan.changes).toBe(false);
    });
  }
});

describe('relocation rules', () => {
  it('no free space declared: DoesNotFit with both sizes and a suggestion', () => {
    const fixture = buildInjectFixture('snes-lorom', { noFreeSpace: true });
    const rom = romFromBytes(fixture.bytes);
    const target = fixture.sprites[0]!;
    const error = (() => {
      try {
        planInjection(rom, fixture.definition, [{ sprite: target.name, indices: noisyArt(16, 4, 5) }]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InjectionDoesNotFitError);
    const e = error as InjectionDoesNotFitError;
    expect(e.code).toBe('ERR_DOES_NOT_FIT');
    expect(e.details.slotSize).toBe(target.packedLength);
    expect(e.details.packedSize as number).toBeGreaterThan(target.packedLength);
    expect(e.message).toMatch(/free space/u);
  });

  it('no pointers declared: cannot move, error says to declare pointers', () => {
    const fixture = buildInjectFixture('gba', { noPointers: true });
    const rom = romFromBytes(fixture.bytes);
    expect(() => planInjection(rom, fixture.definition, [{ sprite: fixture.sprites[0]!.name, indices: noisyArt(16, 4, 5) }])).toThrow(/declare the pointers/u);
  });

  it('free range too small: DoesNotFit reports the largest usable range', () => {
    const fixture = buildInjectFixture('md', { freeSize: 64 });
    const rom = romFromBytes(fixture.bytes);
    try {
      planInjection(rom, fixture.definition, [{ sprite: fixture.sprites[0]!.name, indices: noisyArt(16, 4, 5) }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InjectionDoesNotFitError);
      expect((e as InjectionDoesNotFitError).details.largestFreeRange).toBe(64);
    }
  });

  it('a raw block keeps its length: resizing without --allow-resize is a TileCountMismatch', () => {
    const fixture = buildInjectFixture('nes');
    const rom = romFromBytes(fixture.bytes);
    const raw = fixture.sprites.find((s) => s.codec === 'none')!;
    expect(() => planInjection(rom, fixture.definition, [{ sprite: raw.name, indices: spriteArt(20, 2, 1) }])).toThrow(TileCountMismatchError);
  });

  it('a grown raw block with pointers and allow-resize is relocated, never written over its neighbour', () => {
    const fixture = buildInjectFixture('snes-lorom');
    const rom = romFromBytes(fixture.bytes);
    const raw = fixture.sprites.find((s) => s.codec === 'none' && s.name.endsWith('-0'))!;
    const plan = planInjection(rom, fixture.definition, [{ sprite: raw.name, indices: spriteArt(32, 4, 9) }], { allowResize: true });
    expect(plan.sprites[0]!.outcome).toBe('relocated');
    expect(plan.sprites[0]!.newPackedLength).toBe(32 * 32);
  });

  it('relocated blocks stay inside one LoROM bank unless allowed', () => {
    const fixture = buildInjectFixture('snes-lorom');
    // Free space that straddles the 0x38000 bank boundary: 0x37F00–0x38400.
    const json = { ...fixture.definitionJson, freeSpace: [{ start: '0x37F00', end: '0x38400' }] };
    const definition = parseGameDefinition(json, 'straddle');
    const rom = romFromBytes(fixture.bytes);
    const edit = [{ sprite: fixture.sprites[0]!.name, indices: noisyArt(16, 4, 5) }];
    const plan = planInjection(rom, definition, edit);
    const s = plan.sprites[0]!;
    expect(Math.floor(s.newOffset / 0x8000)).toBe(Math.floor((s.newOffset + s.newPackedLength - 1) / 0x8000));
    expect(s.newOffset).toBe(0x38000);
    const crossing = planInjection(rom, definition, edit, { allowBankCrossing: true, strategy: 'first-fit' });
    expect(crossing.sprites[0]!.newOffset).toBe(0x37f00);
  });

  it('two sprites in one transaction: the second moves into the slot the first vacated', () => {
    // The raw 16-tile sprite (512-byte slot) grows to 32 tiles and moves to the free range, which
    // it nearly fills; the HAL sprite then grows past its own slot but fits the 512 bytes vacated.
    const fixture = buildInjectFixture('snes-lorom', { freeSize: 1100 });
    const rom = romFromBytes(fixture.bytes);
    const raw = fixture.sprites.find((s) => s.name === 'none-sprite-0')!;
    const hal = fixture.sprites.find((s) => s.name === 'hal-sprite-0')!;
    const halArt = new Uint8Array(16 * 64);
    halArt.set(noisyArt(10, 4, 3));
    const edits = [
      { sprite: raw.name, indices: spriteArt(32, 4, 9) },
      { sprite: hal.name, indices: halArt },
    ];
    const result = injectIntoBytes(rom, fixture.definition, edits, { allowResize: true });
    const [movedRaw, movedHal] = result.plan.sprites;
    expect(movedRaw!.outcome).toBe('relocated');
    expect(movedRaw!.newOffset).toBe(fixture.freeSpace.start);
    expect(movedHal!.outcome).toBe('relocated');
    expect(movedHal!.newPackedLength).toBeGreaterThan(hal.packedLength);
    expect(movedHal!.newPackedLength).toBeLessThanOrEqual(512);
    expect(movedHal!.newOffset).toBe(raw.offset);
    expect(result.plan.freedRanges).toHaveLength(2);
    const out = romFromBytes(result.output);
    const sprites = resolveSprites(out, fixture.definition);
    const halSprite = sprites.find((s) => s.name === hal.name)!;
    expect(decodeTiles(halSprite.format, readSpriteBlock(out.data, halSprite).data)).toEqual(halArt);
  });

  it('a block relocated by an earlier run is never overwritten by a later one', () => {
    const fixture = buildInjectFixture('gba');
    const first = injectIntoBytes(romFromBytes(fixture.bytes), fixture.definition, [{ sprite: fixture.sprites[0]!.name, indices: noisyArt(16, 4, 1) }]);
    const moved = first.plan.sprites[0]!;
    const second = injectIntoBytes(romFromBytes(first.output), fixture.definition, [{ sprite: fixture.sprites[1]!.name, indices: noisyArt(16, 4, 2) }]);
    const placed = second.plan.sprites[0]!;
    expect(placed.outcome).toBe('relocated');
    const overlaps = placed.newOffset < moved.newOffset + moved.newPackedLength && moved.newOffset < placed.newOffset + placed.newPackedLength;
    expect(overlaps).toBe(false);
    const out = romFromBytes(second.output);
    const sprites = resolveSprites(out, fixture.definition);
    expect(decodeTiles(sprites[0]!.format, readSpriteBlock(out.data, sprites[0]!).data)).toEqual(noisyArt(16, 4, 1));
  });
});

describe('edit validation', () => {
  const fixture = buildInjectFixture('snes-lorom');
  const rom = romFromBytes(fixture.bytes);
  const name = fixture.sprites[0]!.name;

  it('an unknown sprite is SpriteNotFound; the same sprite twice is a conflict', () => {
    expect(() => planInjection(rom, fixture.definition, [{ sprite: 'nope', indices: new Uint8Array(64) }])).toThrow(SpriteNotFoundError);
    expect(() =>
      planInjection(rom, fixture.definition, [
        { sprite: name, indices: spriteArt(16, 4, 1) },
        { sprite: name, indices: spriteArt(16, 4, 1) },
      ]),
    ).toThrow(InjectionConflictError);
  });

  it('an index over the bit depth names the pixel', () => {
    const tooDeep = sheetPixels(spriteArt(16, 4, 1));
    tooDeep[3 * 128 + 17] = 16;
    try {
      planInjection(rom, fixture.definition, [{ sprite: name, image: { width: 128, height: 8, pixels: tooDeep } }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IndexOutOfRangeError);
      expect((e as IndexOutOfRangeError).details).toMatchObject({ x: 17, y: 3 });
    }
  });

  it('a wrong-size image is a TileCountMismatch giving both counts', () => {
    try {
      planInjection(rom, fixture.definition, [{ sprite: name, image: { width: 128, height: 16, pixels: new Uint8Array(128 * 16) } }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TileCountMismatchError);
      expect((e as TileCountMismatchError).details).toMatchObject({ expected: 16, actual: 32 });
    }
  });

  it('an RGB PNG is mapped exactly onto the palette; an off-palette colour fails with its pixel', () => {
    const indices = spriteArt(16, 4, 1);
    const pixels = sheetPixels(indices);
    // Grayscale ramp (the palette of a sprite without one): index i is gray i*17.
    const rgb = new Uint8Array(128 * 8 * 3);
    for (let i = 0; i < pixels.length; i++) rgb.fill(pixels[i]! * 17, i * 3, i * 3 + 3);
    const png = encodePng({ width: 128, height: 8, data: rgb, channels: 3, depth: 8 });
    const same = injectIntoBytes(rom, fixture.definition, [{ sprite: name, png }]);
    expect(same.plan.sprites[0]!.outcome).toBe('unchanged');
    rgb[(2 * 128 + 5) * 3] = 1;
    const off = encodePng({ width: 128, height: 8, data: rgb, channels: 3, depth: 8 });
    try {
      planInjection(rom, fixture.definition, [{ sprite: name, png: off }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OffPaletteColourError);
      expect(e as Error).toHaveProperty('message', expect.stringMatching(/\(5, 2\)/u));
    }
  });

  it('several failing edits: one BatchFailedError listing each', () => {
    try {
      planInjection(rom, fixture.definition, [
        { sprite: 'nope', indices: new Uint8Array(64) },
        { sprite: name, indices: spriteArt(3, 4, 1) },
      ]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BatchFailedError);
      expect((e as BatchFailedError).details.failures as unknown[]).toHaveLength(2);
    }
  });

  it('a decode-only codec (a plug-in that cannot compress) cannot be injected; unchanged art needs no encoding', () => {
    const raw = getCodec('lz77');
    const decodeOnly: Codec = { ...raw, name: 'test-decode-only', canCompress: false, compress: () => { throw new Error('decode only'); } };
    registerCodec(decodeOnly);
    try {
      const gba = buildInjectFixture('gba');
      const tiles = new Uint8Array(16 * 32).fill(0x11);
      const stream = raw.compress(tiles);
      const bytes = gba.bytes.slice();
      bytes.set(stream, 0x20000);
      const json = structuredClone(gba.definitionJson) as { sprites: unknown[]; pointers?: unknown };
      json.sprites.push({ name: 'filtered', offset: '0x20000', codec: 'test-decode-only', tileFormat: 'gba4bpp' });
      const definition = parseGameDefinition(json, 'decode-only');
      const rom2 = romFromBytes(bytes);
      expect(() => planInjection(rom2, definition, [{ sprite: 'filtered', indices: spriteArt(16, 4, 2) }], { forceDefinition: true })).toThrow(CodecCannotCompressError);
      const unchanged = decodeTiles('gba4bpp', raw.decompress(bytes, 0x20000).data);
      expect(planInjection(rom2, definition, [{ sprite: 'filtered', indices: unchanged }], { forceDefinition: true }).changes).toBe(false);
    } finally {
      unregisterCodec('test-decode-only');
    }
  });
});

/** Tile-major indices of 16 tiles → the pixels of a 128x8 sheet (16 tiles per row). */
function sheetPixels(indices: Uint8Array): Uint8Array {
  const pixels = new Uint8Array(128 * 8);
  for (let t = 0; t < 16; t++) for (let p = 0; p < 64; p++) pixels[(p >> 3) * 128 + t * 8 + (p & 7)] = indices[t * 64 + p]!;
  return pixels;
}

describe('verification', () => {
  const fixture = buildInjectFixture('gba');
  const rom = romFromBytes(fixture.bytes);
  const edits = [{ sprite: fixture.sprites[0]!.name, indices: noisyArt(16, 4, 21) }];

  it('a block that no longer decodes to the intended tiles fails verification', () => {
    const plan = planInjection(rom, fixture.definition, edits);
    const data = rom.copyData();
    applyPlan(plan, data);
    const s = plan.sprites[0]!;
    data[s.newOffset + 8] = data[s.newOffset + 8]! ^ 0x55;
    expect(() => verifyPlan(plan, data, rom, null)).toThrow(VerifyFailedError);
  });

  it('a pointer that does not lead to the new block fails verification', () => {
    const plan = planInjection(rom, fixture.definition, edits);
    expect(plan.sprites[0]!.outcome).toBe('relocated');
    const data = rom.copyData();
    applyPlan(plan, data);
    data[fixture.sprites[0]!.pointerAt] = data[fixture.sprites[0]!.pointerAt]! + 4;
    expect(() => verifyPlan(plan, data, rom, null)).toThrow(/pointer at 0x1000/u);
  });

  it('an invalid checksum after the fix fails verification', () => {
    const plan = planInjection(rom, fixture.definition, edits);
    const data = rom.copyData();
    applyPlan(plan, data);
    expect(() => verifyPlan(plan, data, rom, { stored: 1, computed: 2, valid: false, parts: [] })).toThrow(/checksum/u);
  });
});

describe('copier headers', () => {
  it('an SNES ROM with a 512-byte copier header keeps it; offsets are ROM data offsets', () => {
    const fixture = buildInjectFixture('snes-lorom');
    const withHeader = new Uint8Array(512 + fixture.bytes.length);
    withHeader[0] = (fixture.bytes.length / 8192) & 0xff;
    withHeader[8] = 0xaa;
    withHeader[9] = 0xbb;
    withHeader.set(fixture.bytes, 512);
    const rom = romFromBytes(withHeader);
    expect(rom.copierHeaderSize).toBe(512);
    const unchanged = injectIntoBytes(rom, fixture.definition, extractPngs(withHeader, fixture));
    expect(Buffer.from(unchanged.output).equals(Buffer.from(withHeader))).toBe(true);
    const edited = injectIntoBytes(rom, fixture.definition, [{ sprite: fixture.sprites[0]!.name, indices: noisyArt(16, 4, 3) }]);
    expect(edited.output.length).toBe(withHeader.length);
    expect(Buffer.from(edited.output.subarray(0, 512)).equals(Buffer.from(withHeader.subarray(0, 512)))).toBe(true);
    const out = romFromBytes(edited.output);
    expect(out.copierHeaderSize).toBe(512);
    expect(out.checksums()!.valid).toBe(true);
    const s = resolveSprites(out, fixture.definition)[0]!;
    expect(decodeTiles(s.format, readSpriteBlock(out.data, s).data)).toEqual(noisyArt(16, 4, 3));
  });
});

describe('a broken sprite does not stop the others', () => {
  it('a pointer outside the ROM fails only its own sprite', () => {
    const fixture = buildInjectFixture('gba');
    const json = structuredClone(fixture.definitionJson) as { pointers: Record<string, unknown>[] };
    json.pointers[1]!.at = '0x3FFFFFE'; // a 4-byte pointer past the end of the 256 KiB ROM
    const definition = parseGameDefinition(json, 'broken');
    const rom = romFromBytes(fixture.bytes);
    const resolutions = resolveEachSprite(rom, definition);
    expect(resolutions.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.name))).toEqual([fixture.sprites[1]!.name]);
    expect(() => planInjection(rom, definition, [{ sprite: fixture.sprites[1]!.name, indices: spriteArt(16, 4, 1) }])).toThrow(PointerError);
    const other = injectIntoBytes(rom, definition, [{ sprite: fixture.sprites[0]!.name, indices: noisyArt(16, 4, 8) }]);
    expect(other.plan.sprites[0]!.outcome).toBe('relocated');
  });
});
