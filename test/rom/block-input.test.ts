/**
 * plainBlockInput (src/rom/block-input.ts): `romgfx decompress` skips ROM identification where
 * it cannot change the bytes or the offset. Whenever it answers, it answers what openRom +
 * resolveLocation give; where identification matters (iNES, .smd, copier header, --platform,
 * bus and PPU addresses) it declines; and its errors are openRom's and resolveLocation's.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { plainBlockInput } from '../../src/rom/block-input.js';
import { openRom } from '../../src/rom/rom.js';
import { oneShotRomOpenMode } from '../../src/rom/source.js';
import { buildGbaRom, buildGbRom, buildMdRom, buildNesRom, buildSnesRom } from '../../src/rom/build.js';
import { AddressNotMappedError, RomgfxError } from '../../src/errors.js';
import { tempDir } from '../helpers/cli.js';

const work = tempDir('romgfx-block-input-');
afterAll(() => work.cleanup());

let fileCount = 0;
function file(bytes: Uint8Array): string {
  const path = join(work.path, `input-${fileCount++}.bin`);
  writeFileSync(path, bytes);
  return path;
}

/** What decompress read before: openRom (platform detection, unknown allowed) and resolveLocation. */
function identified(path: string, location: string): { data: Uint8Array; offset: number } | { error: string } {
  try {
    const rom = openRom(path, { allowUnknown: true, mode: oneShotRomOpenMode(path) });
    return { data: rom.data, offset: rom.resolveLocation(location) };
  } catch (error) {
    return { error: `${(error as RomgfxError).code}: ${(error as Error).message}` };
  }
}

function plain(path: string, location: string, platformGiven = false): { data: Uint8Array; offset: number } | { error: string } | undefined {
  try {
    return plainBlockInput(path, location, platformGiven);
  } catch (error) {
    return { error: `${(error as RomgfxError).code}: ${(error as Error).message}` };
  }
}

describe('plainBlockInput', () => {
  it('plain files of tile-like bytes at plain offsets: the same bytes and offset as identification gives, or the same error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 255 }), fc.nat(6000), fc.constantFrom('', '0x', '$'), (size, fill, offset, prefix) => {
        // Runs of one byte, as tile data has; sizes around the copier-header and .smd rules too.
        const bytes = new Uint8Array(size).map((_, i) => (fill + (i >> 4)) & 0xff);
        const path = file(bytes);
        const location = prefix === '$' ? `$00:${(offset & 0xffff).toString(16)}` : prefix === '0x' ? `0x${offset.toString(16)}` : String(offset);
        const answer = plain(path, location);
        const before = identified(path, location);
        if (answer === undefined) {
          // Declined: a bus address, or a file identification would change (a copier-header size).
          expect(prefix === '$' || size % 1024 === 512).toBe(true);
          return;
        }
        expect(answer).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  it('answers for GBA, Game Boy, plain Mega Drive and headerless SNES ROMs, with their own bytes', () => {
    for (const rom of [buildGbaRom({ size: 0x10000 }), buildGbRom({ size: 0x8000 }), buildMdRom({ size: 0x10000 }), buildSnesRom({ mapping: 'lorom' }), buildSnesRom({ mapping: 'hirom' })]) {
      const path = file(rom);
      const answer = plainBlockInput(path, '0x100', false);
      const before = identified(path, '0x100');
      if (answer === undefined || !('data' in before)) throw new Error(`no answer for a ${rom.length}-byte ROM`);
      expect(answer.offset).toBe(before.offset);
      expect(Buffer.from(answer.data).equals(Buffer.from(before.data))).toBe(true);
      expect(Buffer.from(answer.data).equals(Buffer.from(rom))).toBe(true);
    }
  });

  it('declines where identification changes the bytes or the offset: iNES, .smd, a SNES copier header, --platform, bus and PPU addresses', () => {
    const snes = buildSnesRom({ mapping: 'lorom' });
    const headered = new Uint8Array(512 + snes.length);
    headered.set(snes, 512);
    const cases: [Uint8Array, string, boolean][] = [
      [buildNesRom(), '0x10', false],
      [buildMdRom({ smd: true }), '0x200', false],
      [headered, '0x100', false],
      [snes, '0x100', true],
      [snes, '$00:8000', false],
      [buildNesRom(), 'ppu:$0000', false],
    ];
    for (const [bytes, location, platformGiven] of cases) expect(plain(file(bytes), location, platformGiven), location).toBeUndefined();
    // Identification does change them there: the copier header is dropped, the .smd de-interleaved.
    const headeredRom = identified(file(headered), '0');
    expect('data' in headeredRom && headeredRom.data.length).toBe(snes.length);
  });

  it('errors are the ones identification gave: a missing file, an empty file, an offset past the end', () => {
    const missing = join(work.path, 'missing.bin');
    expect(plain(missing, '0')).toEqual(identified(missing, '0'));
    const empty = file(new Uint8Array(0));
    expect(plain(empty, '0')).toEqual(identified(empty, '0'));
    const small = file(new Uint8Array(64));
    expect(() => plainBlockInput(small, '0x40', false)).toThrow(AddressNotMappedError);
    expect(plain(small, '0x40')).toEqual(identified(small, '0x40'));
    // A malformed offset is left to resolveLocation, after the file is opened.
    expect(plain(missing, 'zz')).toBeUndefined();
  });
});
