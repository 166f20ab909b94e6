/**
 * One vocabulary: a definition's sprites become thumbnail requests whose pictures are the PNGs
 * `extract-all` writes (same size, indices and colours; arrangement and palette included), on
 * the fixture definitions, the demo ROM, and a demo definition rewritten to use every
 * arrangement kind and every palette source. The deprecated request spellings still draw the
 * same picture and share its cache key.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getCodec } from '../../src/codecs/index.js';
import { buildDemoRom, demoDefinition } from '../../src/demo/demo-rom.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import type { GameDefinition } from '../../src/defs/types.js';
import { decodePng } from '../../src/gfx/png.js';
import { extractAll } from '../../src/inject/extract.js';
import { openGame } from '../../src/game/index.js';
import { fileStemFor } from '../../src/inject/sidecar.js';
import { openRom } from '../../src/rom/rom.js';
import { renderThumbnail, type Decompressor } from '../../src/thumbs/render.js';
import { cacheKey, normalizeRequest, type ThumbnailRequest } from '../../src/thumbs/request.js';
import { thumbnailRequestForCandidate, thumbnailRequestsForDefinition } from '../../src/thumbs/requests-from.js';
import { itemsFromDefinition } from '../../src/thumbs/sources.js';
import { crc32, sha1Hex } from '../../src/util/hash.js';
import { arrangementFromText, arrangementToText, type Arrangement } from '../../src/vocabulary.js';
import { fixture, tempDir } from '../helpers/cli.js';

const temps: { cleanup: () => void }[] = [];
afterEach(() => {
  while (temps.length > 0) temps.pop()!.cleanup();
});

const decompress: Decompressor = (codec, bytes, offset, limits) => getCodec(codec).decompress(bytes, offset, limits);

/** A decoded indexed PNG as RGB per pixel (what a viewer shows, transparency aside). */
function rgbOf(png: Uint8Array): { width: number; height: number; rgb: Uint8Array; indices: Uint8Array } {
  const image = decodePng(png);
  if (image.kind !== 'indexed') throw new Error('expected an indexed PNG');
  const rgb = new Uint8Array(image.width * image.height * 3);
  for (let i = 0; i < image.pixels.length; i++) rgb.set(image.palette.rgb.subarray(image.pixels[i]! * 3, image.pixels[i]! * 3 + 3), i * 3);
  return { width: image.width, height: image.height, rgb, indices: image.pixels };
}

/**
 * Extracts every sprite with `extractAll` and renders every request the definition gives,
 * expecting one request per sprite and equal pictures. Returns the requests.
 */
async function expectThumbnailsEqualExtract(romPath: string, definition: GameDefinition): Promise<ThumbnailRequest[]> {
  const out = tempDir();
  temps.push(out);
  const extracted = await extractAll(romPath, definition, out.path, { threads: 0 });
  expect(extracted.failed).toBe(0);
  using rom = openRom(romPath);
  const converted = thumbnailRequestsForDefinition(rom, definition);
  expect(converted.problems).toEqual([]);
  expect(converted.requests.map((r) => r.sprite)).toEqual(definition.sprites.map((s) => s.name));
  for (const { sprite, request, transparentIndex0 } of converted.requests) {
    const thumbnail = renderThumbnail(rom.data, normalizeRequest(request), 'png', decompress, null);
    const fromThumbnail = rgbOf(thumbnail.bytes);
    const fromExtract = rgbOf(readFileSync(join(out.path, `${fileStemFor(sprite)}.png`)));
    expect({ sprite, width: fromThumbnail.width, height: fromThumbnail.height }).toEqual({ sprite, width: fromExtract.width, height: fromExtract.height });
    expect(Buffer.from(fromThumbnail.indices).equals(Buffer.from(fromExtract.indices)), `${sprite}: indices`).toBe(true);
    expect(Buffer.from(fromThumbnail.rgb).equals(Buffer.from(fromExtract.rgb)), `${sprite}: colours`).toBe(true);
    expect(transparentIndex0).toBe(definition.sprites.find((s) => s.name === sprite)!.kind === 'sprite');
  }
  expect(readdirSync(out.path).filter((f) => f.endsWith('.png'))).toHaveLength(definition.sprites.length);
  return converted.requests.map((r) => r.request);
}

function loadFixtureDefinition(name: string): GameDefinition {
  return parseGameDefinition(readFileSync(fixture('defs', name), 'utf8'), fixture('defs', name));
}

function demoFiles(rewrite?: (sprites: Record<string, unknown>[]) => void): { rom: string; definition: GameDefinition; dir: string } {
  const dir = tempDir();
  temps.push(dir);
  const demo = buildDemoRom();
  const rom = join(dir.path, 'demo.sfc');
  writeFileSync(rom, demo.bytes);
  const json = demoDefinition(demo, { crc32: crc32(demo.bytes), sha1: sha1Hex(demo.bytes) }) as { sprites: Record<string, unknown>[] };
  rewrite?.(json.sprites);
  const path = join(dir.path, 'demo.json');
  writeFileSync(path, JSON.stringify(json));
  return { rom, definition: parseGameDefinition(readFileSync(path, 'utf8'), path), dir: dir.path };
}

describe('thumbnailRequestsForDefinition', () => {
  it('gives the pictures extract-all writes for every sprite of the fixture definitions (their real ROMs)', async () => {
    const requests = await expectThumbnailsEqualExtract(fixture('roms', 'snes', 'SNES_05.sfc'), loadFixtureDefinition('snes05.json'));
    // A ROM palette whose colours cover every index stays a ROM palette, in the definition's words.
    expect(requests[0]!.palette).toEqual({ kind: 'rom', offset: 0x8100, format: 'bgr555', count: 16 });
    expect(requests[0]!.block.arrangement).toEqual({ kind: 'sheet', tilesPerRow: 16 });
    await expectThumbnailsEqualExtract(fixture('roms', 'gba', 'arm__arm.gba'), loadFixtureDefinition('gba-tests.json'));
    await expectThumbnailsEqualExtract(fixture('roms', 'gba', 'ppu__hello.gba'), loadFixtureDefinition('gba-tests.json'));
    await expectThumbnailsEqualExtract(fixture('roms', 'nes', 'full_game.nes'), loadFixtureDefinition('nes-full-game.json'));
  });

  it('the demo ROM: HAL and raw blocks behind pointers, 2x2 block arrangements, a ROM palette', async () => {
    const { rom, definition } = demoFiles();
    const requests = await expectThumbnailsEqualExtract(rom, definition);
    expect(requests.some((r) => r.block.codec === 'hal')).toBe(true);
    expect(requests.every((r) => r.block.arrangement?.kind === 'block')).toBe(true);
  });

  it('every arrangement kind and palette source: snes-obj, gb-8x16, column-major and narrow sheets, padded, file, CGRAM and missing palettes, a HAL block with no tile count', async () => {
    const { rom, definition, dir } = demoFiles((sprites) => {
      // A palette file next to the definition (JASC-PAL, 4 colours: padded to 16 as extract pads it).
      const arrangements: unknown[] = [
        { kind: 'snes-obj', size: 16 },
        { kind: 'gb-8x16' },
        { kind: 'sheet', tilesPerRow: 3, order: 'column-major' },
        { kind: 'sheet' },
        { kind: 'block', width: 1, height: 4 },
        { kind: 'snes-obj', size: 32 },
      ];
      const romPalette = sprites[0]!.palette as { rom: string };
      // 'keep': the demo's own 16-colour ROM palette; undefined: no palette (grayscale).
      const palettes: unknown[] = [{ file: 'four.pal' }, { cgram: 2 }, undefined, { rom: romPalette.rom, count: 4, format: 'bgr555' }, 'keep'];
      sprites.forEach((sprite, i) => {
        sprite.arrangement = arrangements[i % arrangements.length];
        const palette = palettes[i % palettes.length];
        if (palette === undefined) delete sprite.palette;
        else if (palette !== 'keep') sprite.palette = palette;
      });
      // A HAL block whose size only decoding tells.
      const hal = sprites.find((s) => s.codec === 'hal');
      if (hal) {
        delete hal.tileCount;
        delete hal.storedLength;
      }
      // A narrow sheet of fewer tiles than a row: extract pads it to 16 tiles wide; so must the thumbnail.
      sprites[3]!.tileCount = 3;
    });
    writeFileSync(join(dir, 'four.pal'), 'JASC-PAL\r\n0100\r\n4\r\n0 0 0\r\n255 0 0\r\n0 255 0\r\n0 0 255\r\n');
    const requests = await expectThumbnailsEqualExtract(rom, definition);
    const kinds = new Set(requests.map((r) => r.block.arrangement?.kind));
    expect([...kinds].sort()).toEqual(['block', 'gb-8x16', 'sheet', 'snes-obj']);
    expect(requests.some((r) => r.palette?.kind === 'colors')).toBe(true);
    expect(requests.some((r) => r.palette?.kind === 'rom')).toBe(true);
    expect(definition.sprites.some((s) => s.codec === 'hal' && s.tileCount === undefined)).toBe(true);
  });

  it('a sprite that cannot be read is a problem, not a throw; the rest still come (thumbs --defs lists it)', () => {
    const { rom: romPath, definition } = demoFiles((sprites) => {
      sprites[1]!.offset = '0x7FFFFF';
    });
    using rom = openRom(romPath);
    const converted = thumbnailRequestsForDefinition(rom, definition);
    expect(converted.problems.map((p) => p.sprite)).toEqual([definition.sprites[1]!.name]);
    expect(converted.problems[0]!.error.message).toMatch(/past the end/u);
    expect(converted.requests).toHaveLength(definition.sprites.length - 1);
    const ref = { path: romPath, sha1: rom.identity().sha1 };
    const items = itemsFromDefinition(definition, rom, ref, undefined);
    expect(items.items.map((i) => i.request)).toEqual(converted.requests.map((r) => ({ ...r.request, rom: ref })));
    expect(items.problems[0]!.name).toBe(definition.sprites[1]!.name);
  });

  it('--palette wins over the definition; the ROM reference and output are the caller\'s', () => {
    const { rom: romPath, definition } = demoFiles();
    using rom = openRom(romPath);
    const romRef = { path: '/elsewhere/demo.sfc', sha1: rom.identity().sha1 };
    const converted = thumbnailRequestsForDefinition(rom, definition, { romRef, palette: { kind: 'grayscale' }, output: { scale: 2 } });
    expect(converted.requests.every((r) => r.request.rom === romRef && r.request.palette?.kind === 'grayscale' && r.request.output?.scale === 2)).toBe(true);
  });
});

describe('Game.thumbnailRequests', () => {
  it('an editor\'s game gives one request per sprite, drawing what game.sprite(name) decodes', async () => {
    const { rom: romPath, definition } = demoFiles();
    using game = await openGame(romPath, { definitions: definition });
    // The game lists each sprite's arrangement in the same words its thumbnail request uses.
    expect(game.sprites().map((s) => s.arrangement)).toEqual(definition.sprites.map((s) => s.arrangement ?? { kind: 'sheet' }));
    const converted = game.thumbnailRequests();
    expect(converted.variant).toBe(game.variant);
    expect(converted.requests).toHaveLength(game.sprites().length);
    for (const { sprite, request } of converted.requests) {
      const decoded = game.sprite(sprite);
      const thumbnail = rgbOf(renderThumbnail(game.rom.data, normalizeRequest(request), 'png', decompress, null).bytes);
      expect([thumbnail.width, thumbnail.height]).toEqual([decoded.width, decoded.height]);
      expect(request.block.arrangement).toEqual(game.sprites().find((s) => s.name === sprite)!.arrangement);
      expect(Buffer.from(thumbnail.indices).equals(Buffer.from(decoded.indices))).toBe(true);
    }
  });
});

describe('the shared arrangement vocabulary', () => {
  it('text and objects map both ways; non-square snes-obj and unknown names are refused', () => {
    const cases: [string, Arrangement][] = [
      ['sheet', { kind: 'sheet' }],
      ['snes-obj:32x32', { kind: 'snes-obj', size: 32 }],
      ['gb-8x16', { kind: 'gb-8x16' }],
      ['block:2x3', { kind: 'block', width: 2, height: 3 }],
    ];
    for (const [text, arrangement] of cases) {
      expect(arrangementFromText(text)).toEqual(arrangement);
      expect(arrangementToText(arrangement)).toBe(text);
    }
    expect(() => arrangementFromText('snes-obj:16x32')).toThrow(/16x16, 32x32 or 64x64/u);
    expect(() => arrangementFromText('block:0x2')).toThrow(/1 to 64 tiles/u);
    expect(() => arrangementFromText('spiral')).toThrow(/unknown arrangement/u);
  });

  it('a thumbnail request in the deprecated spelling (layout text, row/column, encoding) normalizes to the same request and cache key', () => {
    const rom = { path: '/x.sfc', sha1: 'a'.repeat(40) };
    const pairs: [ThumbnailRequest, ThumbnailRequest][] = [
      [
        { rom, block: { offset: 0, format: 'snes4bpp', tiles: 8, arrangement: { kind: 'block', width: 2, height: 2 } }, palette: { kind: 'rom', offset: 0x100, format: 'bgr555', count: 16 } },
        { rom, block: { offset: 0, format: 'snes4bpp', tiles: 8, arrangement: { kind: 'layout', layout: 'block:2x2' } }, palette: { kind: 'rom', offset: 0x100, encoding: 'bgr555', count: 16 } },
      ],
      [
        { rom, block: { offset: 0, format: 'snes4bpp', tiles: 8, arrangement: { kind: 'snes-obj', size: 16 } } },
        { rom, block: { offset: 0, format: 'snes4bpp', tiles: 8, arrangement: { kind: 'layout', layout: 'snes-obj:16x16' } } },
      ],
      [
        { rom, block: { offset: 0, format: 'snes4bpp', tiles: 8, arrangement: { kind: 'sheet', tilesPerRow: 4, order: 'column-major' } } },
        { rom, block: { offset: 0, format: 'snes4bpp', tiles: 8, arrangement: { kind: 'sheet', tilesPerRow: 4, order: 'column' } } },
      ],
    ];
    for (const [canonical, legacy] of pairs) {
      expect(normalizeRequest(legacy)).toEqual(normalizeRequest(canonical));
      expect(cacheKey(normalizeRequest(legacy))).toBe(cacheKey(normalizeRequest(canonical)));
    }
    expect(() => normalizeRequest({ rom, block: { offset: 0, format: 'snes4bpp', tiles: 8, arrangement: { kind: 'snes-obj', size: 24 as 16 } } })).toThrow(/block\.arrangement\.size/u);
    expect(() => normalizeRequest({ rom, block: { offset: 0, format: 'snes4bpp', tiles: 8, arrangement: { kind: 'block', width: 9, height: 1 } } })).toThrow(/block\.arrangement\.width/u);
    expect(() => normalizeRequest({ rom, block: { offset: 0, format: 'snes4bpp', tiles: 8 }, palette: { kind: 'rom', offset: 0, format: 'rgb' as 'md9', count: 4 } })).toThrow(/palette\.format/u);
  });

  it('a scanner candidate becomes a request with whole tiles and no codec for raw blocks', () => {
    const rom = { path: '/x.sfc', sha1: 'b'.repeat(40) };
    expect(thumbnailRequestForCandidate({ offset: 0x400, codec: 'raw', format: 'snes4bpp', unpackedLength: 100 }, rom)).toEqual({ rom, block: { offset: 0x400, format: 'snes4bpp', tiles: 3 } });
    expect(thumbnailRequestForCandidate({ offset: 0x400, codec: 'hal', format: 'gb2bpp', unpackedLength: 64 }, rom, { arrangement: { kind: 'gb-8x16' } }).block).toEqual({ offset: 0x400, format: 'gb2bpp', tiles: 4, codec: 'hal', arrangement: { kind: 'gb-8x16' } });
    expect(() => thumbnailRequestForCandidate({ offset: 0, codec: 'raw', format: 'snes4bpp', unpackedLength: 31 }, rom)).toThrow(/less than one snes4bpp tile/u);
  });
});
