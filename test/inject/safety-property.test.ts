/**
 * The injection rule as a property: for random sets of non-overlapping sprite extents (raw and
 * HAL) in a synthetic LoROM, with pointers to some of them, declared free space (a far range and
 * gaps right after blocks) and random edits (same art, same size, fewer tiles, more tiles),
 * inject's output differs from its input only inside the edited sprites' slots, the declared
 * free space, the pointers of edited sprites and the checksum bytes. A refusal is a typed error.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildSnesRom, type Payload } from '../../src/rom/build.js';
import { snesOffsetToBus } from '../../src/rom/snes.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { encodeTiles, getTileFormat } from '../../src/gfx/formats.js';
import { getCodec } from '../../src/codecs/index.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import { injectIntoBytes } from '../../src/inject/index.js';
import { isRomgfxError } from '../../src/errors.js';
import { noisyArt, spriteArt } from './fixtures.js';

const romSize = 0x40000;
const spriteBase = 0x10000;
const pointerBase = 0x8000;
const farFree = 0x30000;
/** LoROM header checksum and complement (the only bytes outside the plan a checksum fix may change). */
const checksumBytes = { start: 0x7fdc, end: 0x7fe0 };
const format = getTileFormat('snes4bpp');

const spriteArb = fc.record({
  codec: fc.constantFrom('none', 'hal'),
  tiles: fc.integer({ min: 1, max: 6 }),
  noisy: fc.boolean(),
  gap: fc.integer({ min: 0, max: 48 }),
  /** Declare the gap after the block as free space. */
  gapFree: fc.boolean(),
  pointer: fc.boolean(),
  edit: fc.oneof({ arbitrary: fc.constant('none' as const), weight: 3 }, fc.constantFrom('same' as const, 'same-size' as const, 'smaller' as const, 'larger' as const)),
  seed: fc.integer({ min: 1, max: 1000 }),
  /** Declare storedLength: the real length (0), or one past it by this many bytes (the old way to overwrite a neighbour). */
  storedExtra: fc.oneof({ arbitrary: fc.constant(undefined), weight: 10 }, { arbitrary: fc.constant(0), weight: 1 }, { arbitrary: fc.integer({ min: 1, max: 40 }), weight: 2 }),
});

describe('injection writes only where the ROM gives it room', () => {
  const outcomes = { written: 0, refused: 0 };
  it('differences lie inside edited slots, declared free space, edited sprites\u2019 pointers and the checksum', () => {
    fc.assert(
      fc.property(fc.array(spriteArb, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 0x1000 }), (specs, farFreeSize) => {
        const payloads: Payload[] = [];
        const sprites: { name: string; offset: number; length: number; pointerAt?: number; spec: (typeof specs)[number] }[] = [];
        const free: { start: number; end: number }[] = [];
        let cursor = spriteBase;
        specs.forEach((spec, i) => {
          const art = spec.noisy ? noisyArt(spec.tiles, 4, spec.seed) : spriteArt(spec.tiles, 4, spec.seed);
          const raw = encodeTiles(format, art);
          const bytes = spec.codec === 'none' ? raw : getCodec('hal').compress(raw, { level: '4' });
          payloads.push({ offset: cursor, bytes });
          const sprite: (typeof sprites)[number] = { name: `s${i}`, offset: cursor, length: bytes.length, spec };
          if (spec.pointer) {
            sprite.pointerAt = pointerBase + i * 3;
            const bus = snesOffsetToBus(cursor, 'lorom', romSize);
            payloads.push({ offset: sprite.pointerAt, bytes: Uint8Array.of(bus & 0xff, (bus >> 8) & 0xff, bus >>> 16) });
          }
          sprites.push(sprite);
          cursor += bytes.length;
          if (spec.gap > 0 && spec.gapFree) free.push({ start: cursor, end: cursor + spec.gap });
          cursor += spec.gap;
        });
        if (farFreeSize > 0) free.push({ start: farFree, end: farFree + farFreeSize });
        const input = buildSnesRom({ mapping: 'lorom', size: romSize, filler: 'random', payloads });
        const definition = parseGameDefinition(
          {
            formatVersion: 1,
            id: 'property',
            name: 'property',
            platform: 'snes',
            variants: [{ id: 'v', title: 'ROMGFX TEST' }],
            sprites: sprites.map((s) => ({
              name: s.name,
              offset: s.offset,
              codec: s.spec.codec,
              tileFormat: 'snes4bpp',
              tileCount: s.spec.tiles,
              ...(s.spec.storedExtra !== undefined ? { storedLength: s.length + s.spec.storedExtra } : {}),
            })),
            pointers: sprites.filter((s) => s.pointerAt !== undefined).map((s) => ({ target: s.name, form: 'snes24', at: s.pointerAt })),
            freeSpace: free,
          },
          'property',
        );
        const edits = sprites
          .filter((s) => s.spec.edit !== 'none')
          .map((s) => {
            const tiles = s.spec.edit === 'smaller' ? Math.max(1, s.spec.tiles - 1) : s.spec.edit === 'larger' ? s.spec.tiles + 1 : s.spec.tiles;
            const same = s.spec.noisy ? noisyArt(tiles, 4, s.spec.seed) : spriteArt(tiles, 4, s.spec.seed);
            return { sprite: s.name, indices: s.spec.edit === 'same' ? same : noisyArt(tiles, 4, s.spec.seed + 7) };
          });
        const rom = romFromBytes(input);
        let output: Uint8Array;
        try {
          output = injectIntoBytes(rom, definition, edits, { allowResize: true }).data;
        } catch (error) {
          // Refused (does not fit, cannot move): typed, and nothing was produced to write.
          expect(isRomgfxError(error), String(error)).toBe(true);
          outcomes.refused++;
          return;
        }
        outcomes.written++;
        const allowed: { start: number; end: number }[] = [checksumBytes, ...free];
        for (const s of sprites) {
          if (s.spec.edit === 'none') continue;
          allowed.push({ start: s.offset, end: s.offset + s.length });
          if (s.pointerAt !== undefined) allowed.push({ start: s.pointerAt, end: s.pointerAt + 3 });
        }
        for (let i = 0; i < input.length; i++) {
          if (input[i] === output[i]) continue;
          if (!allowed.some((r) => i >= r.start && i < r.end)) expect.fail(`byte ${i.toString(16)} changed outside every slot, free range, pointer and the checksum`);
        }
      }),
      { numRuns: 60, seed: 14 },
    );
    // Both halves of the property were exercised.
    expect(outcomes.written).toBeGreaterThan(15);
    expect(outcomes.refused).toBeGreaterThan(5);
  });
});
