/**
 * GB LC_LZ3 start choice and embedded cartridge headers (issue #19, docs/scanner.md "GB LC_LZ3
 * starts"): the user's path (scanRomReport) on the GB real-art fixture and on synthetic ROMs of
 * another layout, the commands no encoder writes on our encoders and pret's vectors, and the
 * false readings removed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { getCodec } from '../../src/codecs/index.js';
import { buildGbRom } from '../../src/rom/build.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { scanRomReport } from '../../src/scan/index.js';
import { lcLzCommandPairsACopyWrites, nonEncoderLcLzCommands, onLcLzCommandChain } from '../../src/scan/lz-commands.js';
import { embeddedGbHeaderRanges } from '../../src/scan/raw.js';
import { realArtCodecRom } from './helpers/real-planted.js';
import { spriteTiles } from './helpers/sprite-art.js';

const lz3 = getCodec('lc-lz3');
const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const overlaps = (a: { offset: number; packedLength: number }, b: { offset: number; packedLength: number }) => a.offset < b.offset + b.packedLength && b.offset < a.offset + a.packedLength;

describe('commands no encoder writes (LC_LZ fills and copies)', () => {
  test('our encoders write no fill pair at any level, and no command pair a relative copy would write at `max` (an optimal parse); `fast` (greedy, short hash chains) may', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 30 }), fc.integer({ min: 4, max: 40 }), fc.constantFrom('gb2bpp', 'snes4bpp'), (seed, tiles, format) => {
        const data = spriteTiles(format, tiles, seed);
        for (const variant of [3, 5] as const) {
          const codec = getCodec(`lc-lz${variant}`);
          for (const level of codec.levels) {
            const packed = codec.compress(data, { level });
            expect(nonEncoderLcLzCommands(variant, packed, 0, packed.length)).toBe(0);
            // `fast` may write such pairs (hence codec-streams.ts judges only what a prefix adds).
            if (level === 'max') expect(lcLzCommandPairsACopyWrites(variant, packed, 0, data, data.length), `lz${variant} ${level}`).toBe(0);
          }
        }
      }),
      { numRuns: 30 },
    );
  });

  test("pret's and Lunar Compress's LZ3 vectors have none", () => {
    const directory = join('fixtures', 'codecs', 'lz3');
    let checked = 0;
    for (const name of readdirSync(directory)) {
      if (!name.endsWith('.lz3')) continue;
      const bytes = new Uint8Array(readFileSync(join(directory, name)));
      const decoded = lz3.decompress(bytes, 0);
      expect(lcLzCommandPairsACopyWrites(3, bytes, 0, decoded.data, decoded.data.length), name).toBe(0);
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });

  test('text read as LZ3 splits zero and byte fills an encoder would write as one', () => {
    // "bb" is two zero fills of 3 (one of 6 is a byte shorter); "  " two 1-byte fills of 't'... of the same byte.
    expect(nonEncoderLcLzCommands(3, ascii('bbet\xff'), 0, 5)).toBeGreaterThanOrEqual(1);
    // A byte fill of 0x41 twice (one fill of 6: 2 bytes instead of 4), then the end.
    expect(nonEncoderLcLzCommands(3, Uint8Array.of(0x22, 0x41, 0x22, 0x41, 0xff), 0, 5)).toBe(1);
    // Different bytes: an encoder writes two fills.
    expect(nonEncoderLcLzCommands(3, Uint8Array.of(0x22, 0x41, 0x22, 0x42, 0xff), 0, 5)).toBe(0);
    // LZ2's command 3 is an increasing fill, not a zero fill: `62 00 62 00` is two fills from 0.
    expect(nonEncoderLcLzCommands(2, Uint8Array.of(0x62, 0x00, 0x62, 0x00, 0xff), 0, 5)).toBe(0);
  });

  test('a table of short records read as LZ3 repeats itself without copies', () => {
    // Records `79 22 78 22 C1` (SM83: ld a,c; ld (hl+),a; ld a,b; ld (hl+),a; pop bc) read as a
    // zero fill of 26 and two 3-byte fills: every record after the first decodes to the 32 bytes
    // before it, which one relative copy writes in 2 bytes.
    const record = [0x79, 0x22, 0x78, 0x22, 0xc1];
    const bytes = Uint8Array.from([...record, ...record, ...record, ...record, 0xff]);
    const output = lz3.decompress(bytes, 0).data;
    expect(output.length).toBe(128);
    expect(lcLzCommandPairsACopyWrites(3, bytes, 0, output, output.length)).toBeGreaterThanOrEqual(3);
    expect(nonEncoderLcLzCommands(3, bytes, 0, bytes.length)).toBe(0);
    // LZ1 and LZ2 have no 1-byte relative copy, and LZ5's is not claimed: nothing is counted for them.
    expect(lcLzCommandPairsACopyWrites(2, bytes, 0, output, output.length)).toBe(0);
    expect(lcLzCommandPairsACopyWrites(5, bytes, 0, output, output.length)).toBe(0);
  });

  test('the command chain', () => {
    // Literal 2 (3 bytes), zero fill (1 byte), end.
    const bytes = Uint8Array.of(0x01, 0x41, 0x42, 0x62, 0xff);
    expect(onLcLzCommandChain(3, bytes, 0, 3)).toBe(true);
    expect(onLcLzCommandChain(3, bytes, 0, 4)).toBe(true);
    expect(onLcLzCommandChain(3, bytes, 0, 1)).toBe(false);
    expect(onLcLzCommandChain(3, bytes, 0, 2)).toBe(false);
  });
});

describe('GB LC_LZ3 streams after text (the user path, a synthetic ROM)', () => {
  test('a stream right after an ASCII story is reported at its own start, not at a start in the text', async () => {
    const text = ascii('Once upon a time, a little robot was rearranging her basement when she discovered a passage to a hall.\n'.repeat(3));
    const found: number[] = [];
    for (const seed of [3, 5, 8]) {
      const art = spriteTiles('gb2bpp', 24, seed);
      const packed = lz3.compress(art, { level: 'max' });
      const at = 0x4000 + 0x123 + seed * 16;
      const rom = buildGbRom({ size: 0x10000, filler: 'random', payloads: [{ offset: at - text.length, bytes: text }, { offset: at, bytes: packed }] });
      const report = await scanRomReport(romFromBytes(rom, { name: `lz3-after-text-${seed}`, platform: 'gb' }), { codecs: ['lc-lz3'], cache: false, workers: 0 });
      const near = report.candidates.filter((c) => overlaps(c, { offset: at, packedLength: packed.length }));
      // No reading starting in the text.
      for (const c of near) expect(c.offset, `seed ${seed}`).toBeGreaterThanOrEqual(at);
      if (near.some((c) => c.offset === at && c.packedLength === packed.length)) found.push(seed);
    }
    expect(found.length).toBeGreaterThanOrEqual(2);
  }, 60000);
});

describe('the GB real-art fixture', () => {
  test('no LC_LZ3 candidate starts early in the code before a planted stream, and embedded cartridge headers are not tiles', async () => {
    const fixture = realArtCodecRom('gb', 1);
    const report = await scanRomReport(romFromBytes(fixture.bytes, { name: 'real-gb', platform: 'gb' }), { cache: false, workers: 0 });
    for (const c of report.candidates) {
      if (c.codec !== 'lc-lz3') continue;
      for (const p of fixture.planted) if (overlaps(c, p)) expect(c.offset, `lc-lz3 at ${c.offset}`).toBeGreaterThanOrEqual(p.offset);
    }
    // The corpus ROMs' own vectors and headers, copied into the filler.
    const headers = embeddedGbHeaderRanges(fixture.bytes, 'gb');
    expect(headers.length).toBeGreaterThanOrEqual(2);
    for (const [a, b] of headers) for (const c of report.candidates) expect(overlaps(c, { offset: a, packedLength: b - a }), `${c.codec}@${c.offset}`).toBe(false);
  }, 120000);
});

describe('embedded GB cartridge headers (a multicart-like synthetic ROM)', () => {
  test('a second game image in bank 2 has its vectors and header cut from raw runs; the control without the logo keeps them', async () => {
    const guest = buildGbRom({ size: 0x8000, title: 'GUEST' });
    // A few RST vectors of `ret` and solid rows, as vector areas hold: read as tiles they are drawn rows.
    guest.set(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 0);
    guest[0x38] = 0xe9;
    const host = buildGbRom({ size: 0x10000, payloads: [{ offset: 0x8000, bytes: guest.subarray(0, 0x200) }] });
    expect(embeddedGbHeaderRanges(host, 'gb')).toEqual([[0x8000, 0x8150]]);
    const report = await scanRomReport(romFromBytes(host, { name: 'multicart', platform: 'gb' }), { codecs: ['raw'], cache: false, workers: 0 });
    for (const c of report.candidates) expect(overlaps(c, { offset: 0x8000, packedLength: 0x150 }), `${c.format}@${c.offset}`).toBe(false);
    // The own header at $104 is a fixed range already, not an embedded one.
    expect(embeddedGbHeaderRanges(buildGbRom({ size: 0x8000 }), 'gb')).toEqual([]);
    // Another platform's ROM is not searched.
    expect(embeddedGbHeaderRanges(host, 'snes')).toEqual([]);
  }, 60000);
});
