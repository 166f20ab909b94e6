/**
 * The addon's digests (crc32: zlib's crc32_z; sha1: Node's OpenSSL through weak symbols;
 * byteSum) against the references they replace on `romgfx info`'s path: node:zlib's crc32,
 * node:crypto's SHA-1 and the TypeScript byteSum of src/util/bytes.ts. Equal on the fixture
 * ROMs, empty input, unaligned views and tile-like bytes; a direct caller's bad arguments are
 * refused with a TypeError/RangeError; and `romgfx info` prints the same with and without the addon.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGbRom, buildMdRom, buildSnesRom } from '../../src/rom/build.js';
import { byteSum as typescriptByteSum } from '../../src/util/bytes.js';
import { crc32 as pureCrc32 } from '../../src/util/crc32.js';
import { byteSum, crc32, sha1Hex } from '../../src/util/hash.js';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';
import { requireNative, seededBytes } from './helpers.js';

const addon = requireNative();

const referenceCrc32 = (bytes: Uint8Array, initial = 0): number => zlibCrc32(bytes, initial) >>> 0;
const referenceSha1 = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex');

function nativeSha1(bytes: Uint8Array): string {
  const out = new Uint8Array(20);
  expect(addon.sha1(bytes, out)).toBe(true);
  return Buffer.from(out).toString('hex');
}

const romDir = join(repoRoot, 'fixtures', 'roms');
const romFixtures = readdirSync(romDir).flatMap((platform) =>
  readdirSync(join(romDir, platform))
    .filter((name) => /\.(sfc|gba|nes|chr)$/u.test(name))
    .map((name) => ({ name: `${platform}/${name}`, bytes: new Uint8Array(readFileSync(join(romDir, platform, name))) })),
);

/** Tile-like bytes: 32-byte 4bpp tiles made of blank, solid, striped, repeated and noisy rows. */
const tileBytes = fc
  .array(
    fc.oneof(
      fc.constant(new Uint8Array(32)),
      fc.constant(new Uint8Array(32).fill(0xff)),
      fc.constantFrom(0x55, 0xaa, 0x0f, 0x81).map((row) => new Uint8Array(32).fill(row)),
      fc.uint8Array({ minLength: 2, maxLength: 2 }).map((pair) => Uint8Array.from({ length: 32 }, (_, i) => pair[i & 1]!)),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
    ),
    { maxLength: 80 },
  )
  .map((tiles) => {
    const out = new Uint8Array(tiles.length * 32);
    tiles.forEach((tile, i) => out.set(tile, i * 32));
    return out;
  });

/** Tile-like bytes seen through an unaligned view (1–7 bytes into a larger buffer), with a range in it. */
const viewAndRange = fc
  .record({ bytes: tileBytes, skip: fc.integer({ min: 0, max: 7 }), trim: fc.integer({ min: 0, max: 7 }), a: fc.nat(), b: fc.nat() })
  .map(({ bytes, skip, trim, a, b }) => {
    const view = bytes.subarray(Math.min(skip, bytes.length), Math.max(Math.min(skip, bytes.length), bytes.length - trim));
    const x = view.length === 0 ? 0 : a % (view.length + 1);
    const y = view.length === 0 ? 0 : b % (view.length + 1);
    return { view, start: Math.min(x, y), end: Math.max(x, y) };
  });

describe('native digests = node:zlib, node:crypto and the TypeScript byte sum', () => {
  it('agree on every fixture ROM, whole and by range', () => {
    expect(romFixtures.length).toBeGreaterThanOrEqual(4);
    for (const { name, bytes } of romFixtures) {
      expect(addon.crc32(bytes, 0), name).toBe(referenceCrc32(bytes));
      expect(addon.crc32(bytes, 0xdeadbeef), name).toBe(referenceCrc32(bytes, 0xdeadbeef));
      // Continuing a CRC over two halves gives the whole one (how the disk cache chains it).
      const half = bytes.length >>> 1;
      expect(addon.crc32(bytes.subarray(half), addon.crc32(bytes.subarray(0, half), 0)), name).toBe(referenceCrc32(bytes));
      expect(nativeSha1(bytes), name).toBe(referenceSha1(bytes));
      expect(addon.byteSum(bytes, 0, bytes.length), name).toBe(typescriptByteSum(bytes, 0, bytes.length));
      for (const [start, end] of [[1, bytes.length - 3], [0x7fc0, 0x8000], [half, half], [3, 0x10001]].map(([a, b]) => [Math.min(a!, bytes.length), Math.min(b!, bytes.length)] as const)) {
        expect(addon.byteSum(bytes, start, end), `${name} [${start}, ${end})`).toBe(typescriptByteSum(bytes, start, end));
      }
    }
  });

  it('agree on empty input (a view with no backing store too)', () => {
    for (const empty of [new Uint8Array(0), new Uint8Array(new ArrayBuffer(0)), new Uint8Array(64).subarray(5, 5)]) {
      expect(addon.crc32(empty, 0)).toBe(0);
      // No bytes leave a CRC as it was, as the pure TypeScript CRC-32 says. node:zlib does too,
      // except when V8 gave the empty view no backing store: it then hands zlib a null pointer,
      // and zlib's crc32(crc, NULL, 0) means "the initial value", 0 (zlib.h), whatever crc was.
      expect(addon.crc32(empty, 0x1234abcd)).toBe(0x1234abcd);
      expect(pureCrc32(empty, 0x1234abcd)).toBe(0x1234abcd);
      expect(nativeSha1(empty)).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
      expect(addon.byteSum(empty, 0, 0)).toBe(0);
    }
  });

  it('agree on unaligned views and ranges of tile-like bytes', () => {
    fc.assert(
      fc.property(viewAndRange, fc.integer({ min: 0, max: 0xffffffff }), ({ view, start, end }, initial) => {
        // (No bytes: node:zlib may answer for a null pointer, see above.)
        expect(addon.crc32(view, initial)).toBe(view.length === 0 ? pureCrc32(view, initial) : referenceCrc32(view, initial));
        expect(nativeSha1(view)).toBe(referenceSha1(view));
        expect(addon.byteSum(view, start, end)).toBe(typescriptByteSum(view, start, end));
        expect(addon.byteSum(view, 0, view.length)).toBe(typescriptByteSum(view, 0, view.length));
      }),
      { numRuns: 300 },
    );
  });

  it('sum past a 32-bit lane exactly: 17 MiB of 0xFF, and 4 MiB of noise from an odd offset', () => {
    const full = new Uint8Array(17 * 1024 * 1024 + 3).fill(0xff);
    expect(addon.byteSum(full, 0, full.length)).toBe(255 * full.length);
    expect(addon.byteSum(full, 1, full.length)).toBe(typescriptByteSum(full, 1, full.length));
    const noise = seededBytes(4 * 1024 * 1024 + 5, 0x5eed);
    expect(addon.byteSum(noise, 3, noise.length)).toBe(typescriptByteSum(noise, 3, noise.length));
    expect(addon.crc32(noise, 0)).toBe(referenceCrc32(noise));
    expect(nativeSha1(noise.subarray(1))).toBe(referenceSha1(noise.subarray(1)));
  });

  it('src/util/hash.ts gives the reference results through the addon', () => {
    const rom = buildSnesRom({ mapping: 'hirom', size: 3 * 1024 * 1024 });
    expect(crc32(rom)).toBe(referenceCrc32(rom));
    expect(crc32(rom.subarray(7), 99)).toBe(referenceCrc32(rom.subarray(7), 99));
    expect(sha1Hex(rom)).toBe(referenceSha1(rom));
    expect(byteSum(rom, 5, rom.length - 1)).toBe(typescriptByteSum(rom, 5, rom.length - 1));
  });
});

describe('native digests refuse bad arguments from a direct caller', () => {
  const bytes = new Uint8Array(64);
  it('crc32: a non-Uint8Array, a missing, negative, fractional or 33-bit initial', () => {
    expect(() => addon.crc32([1, 2, 3] as unknown as Uint8Array, 0)).toThrow(TypeError);
    expect(() => addon.crc32(new Uint16Array(4) as unknown as Uint8Array, 0)).toThrow(TypeError);
    expect(() => addon.crc32('abc' as unknown as Uint8Array, 0)).toThrow(TypeError);
    // @ts-expect-error the initial CRC is missing on purpose: the addon must refuse, not crash
    expect(() => addon.crc32(bytes)).toThrow(TypeError);
    expect(() => addon.crc32(bytes, '0' as unknown as number)).toThrow(TypeError);
    expect(() => addon.crc32(bytes, -1)).toThrow(RangeError);
    expect(() => addon.crc32(bytes, 0.5)).toThrow(RangeError);
    expect(() => addon.crc32(bytes, 2 ** 32)).toThrow(RangeError);
    expect(addon.crc32(bytes, 2 ** 32 - 1)).toBe(referenceCrc32(bytes, 2 ** 32 - 1));
  });

  it('sha1: an output of 19 bytes or of another type, a non-Uint8Array input', () => {
    const out = new Uint8Array(20).fill(7);
    expect(() => addon.sha1(bytes, new Uint8Array(19))).toThrow(RangeError);
    expect(() => addon.sha1(bytes, new Uint8Array(40).subarray(21))).toThrow(RangeError);
    expect(() => addon.sha1(bytes, new Float64Array(20) as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => addon.sha1({ length: 3 } as unknown as Uint8Array, out)).toThrow(TypeError);
    // @ts-expect-error the output is missing on purpose
    expect(() => addon.sha1(bytes)).toThrow(TypeError);
    expect([...out]).toEqual(new Array(20).fill(7));
    // A larger output takes the digest in its first 20 bytes and leaves the rest.
    const wide = new Uint8Array(24).fill(7);
    expect(addon.sha1(bytes, wide)).toBe(true);
    expect(Buffer.from(wide.subarray(0, 20)).toString('hex')).toBe(referenceSha1(bytes));
    expect([...wide.subarray(20)]).toEqual([7, 7, 7, 7]);
  });

  it('byteSum: a range past the end, reversed, negative or fractional, a non-Uint8Array', () => {
    expect(() => addon.byteSum(bytes, 0, 65)).toThrow(RangeError);
    expect(() => addon.byteSum(bytes, 65, 65)).toThrow(RangeError);
    expect(() => addon.byteSum(bytes.subarray(8), 0, 57)).toThrow(RangeError);
    expect(() => addon.byteSum(bytes, 10, 9)).toThrow(RangeError);
    expect(() => addon.byteSum(bytes, -1, 4)).toThrow(RangeError);
    expect(() => addon.byteSum(bytes, 0, 1.5)).toThrow(RangeError);
    expect(() => addon.byteSum(bytes, 0, Number.NaN)).toThrow(RangeError);
    expect(() => addon.byteSum(new Int8Array(4) as unknown as Uint8Array, 0, 4)).toThrow(TypeError);
    // @ts-expect-error the end is missing on purpose
    expect(() => addon.byteSum(bytes, 0)).toThrow(TypeError);
    expect(addon.byteSum(bytes, 64, 64)).toBe(0);
  });
});

describe('romgfx info with and without the addon', () => {
  const work = tempDir('romgfx-hashes-');
  const roms: string[] = [];
  beforeAll(() => {
    const built: [string, Uint8Array][] = [
      ['lorom.sfc', buildSnesRom({ mapping: 'lorom' })],
      // 3 MiB: the SNES checksum counts the last MiB twice (mirroredSum's ranges).
      ['hirom-3m.sfc', buildSnesRom({ mapping: 'hirom', size: 3 * 1024 * 1024 })],
      ['game.gb', buildGbRom({ filler: 'random', validChecksum: false })],
      ['game.md', buildMdRom({ filler: 'random' })],
    ];
    for (const [name, bytes] of built) {
      writeFileSync(join(work.path, name), bytes);
      roms.push(join(work.path, name));
    }
    for (const { name } of romFixtures.filter((fixture) => !fixture.name.endsWith('.chr'))) roms.push(join(romDir, name));
  });
  afterAll(() => work.cleanup());

  it('prints the same --json with ROMGFX_NATIVE=0 (node:zlib, node:crypto, the TypeScript sum)', () => {
    expect(roms.length).toBeGreaterThanOrEqual(7);
    for (const rom of roms) {
      const native = runCli(['info', rom, '--json']);
      const typescript = runCli(['info', rom, '--json'], { env: { ...process.env, ROMGFX_NATIVE: '0' } });
      expect(native.code, native.stderr).toBe(0);
      expect(typescript.code, typescript.stderr).toBe(0);
      expect(native.stdout, rom).toBe(typescript.stdout);
      const printed = JSON.parse(native.stdout) as Record<string, unknown>;
      const bytes = new Uint8Array(readFileSync(rom));
      // The ROM's own digests (no copier header on these).
      expect(JSON.stringify(printed)).toContain(referenceSha1(bytes));
    }
  });
});
