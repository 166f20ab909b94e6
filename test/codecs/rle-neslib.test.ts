import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeNeslibRle, encodeNeslibRle, probeNeslibRle } from '../../src/codecs/nes/rle-neslib.js';
import { getCodec } from '../../src/codecs/registry.js';
import { CodecInputShapeError, CodecOutputLimitError, CodecStreamCorruptError, CodecStreamTruncatedError } from '../../src/errors.js';

const corpus = join(import.meta.dirname, '../../fixtures/corpus');
const bin = join(import.meta.dirname, '../../bin/romgfx.js');
const work = mkdtempSync(join(tmpdir(), 'romgfx-rle-neslib-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Nametable-like data: runs of a few tile indices (blank areas, borders, text). */
const nametableLike = fc
  .record({
    tiles: fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
    runs: fc.array(fc.record({ pick: fc.nat(), length: fc.integer({ min: 1, max: 600 }) }), { maxLength: 24 }),
  })
  .map(({ tiles, runs }) => {
    const bytes: number[] = [];
    for (const run of runs) for (let i = 0; i < run.length; i++) bytes.push(tiles[run.pick % tiles.length]!);
    return Uint8Array.from(bytes);
  });

describe('rle-neslib (neslib vram_unrle)', () => {
  it('decodes the title nametable of full_game.nes (147 bytes → 1024) and NES Screen Tool\'s output is byte-exact at level accurate', () => {
    const rom = new Uint8Array(readFileSync(join(corpus, 'full_game.nes')));
    const decoded = decodeNeslibRle(rom, 10668);
    expect(decoded.packedLength).toBe(147);
    expect(decoded.data.length).toBe(1024);
    expect(probeNeslibRle(rom, 10668)).toEqual({ packedLength: 147, unpackedLength: 1024 });
    expect(encodeNeslibRle(decoded.data, 'accurate')).toEqual(rom.subarray(10668, 10668 + 147));
    // max continues the first 255+ run with a second tag + count: never longer.
    expect(encodeNeslibRle(decoded.data, 'max').length).toBeLessThanOrEqual(147);
    expect(decodeNeslibRle(encodeNeslibRle(decoded.data, 'max')).data).toEqual(decoded.data);
  });

  it('round-trips nametable-like data at both levels; max is never longer than accurate', () => {
    fc.assert(
      fc.property(nametableLike, (data) => {
        const max = encodeNeslibRle(data, 'max');
        const accurate = encodeNeslibRle(data, 'accurate');
        expect(decodeNeslibRle(max)).toEqual({ data, packedLength: max.length });
        expect(decodeNeslibRle(accurate)).toEqual({ data, packedLength: accurate.length });
        expect(max.length).toBeLessThanOrEqual(accurate.length);
      }),
      { numRuns: 200 },
    );
  });

  it('reads a literal 0 as a literal and the tag + 0 as the end; packedLength stops there', () => {
    const stream = Uint8Array.of(0x05, 0x00, 0x05, 0x03, 0x07, 0x07, 0x05, 0x00, 0xaa, 0xbb);
    expect(decodeNeslibRle(stream)).toEqual({ data: Uint8Array.of(0, 0, 0, 0, 7, 7), packedLength: 8 });
    expect(getCodec('rle-neslib').decompress(Uint8Array.of(0xff, 0xee, ...stream), 2).packedLength).toBe(8);
  });

  it('refuses malformed streams with typed errors: no end marker, a run before any literal, over the limit', () => {
    expect(() => decodeNeslibRle(Uint8Array.of(0x01, 0x20, 0x21))).toThrow(CodecStreamTruncatedError);
    expect(() => decodeNeslibRle(Uint8Array.of(0x01, 0x20, 0x01))).toThrow(CodecStreamTruncatedError);
    expect(() => decodeNeslibRle(new Uint8Array(0))).toThrow(CodecStreamTruncatedError);
    expect(() => decodeNeslibRle(Uint8Array.of(0x01, 0x01, 0x05, 0x01, 0x00))).toThrow(CodecStreamCorruptError);
    const long = Uint8Array.of(0x01, 0x20, 0x01, 0xff, 0x01, 0xff, 0x01, 0x00);
    expect(decodeNeslibRle(long).data.length).toBe(511);
    expect(() => decodeNeslibRle(long, 0, { maximumOutputSizeInBytes: 510 })).toThrow(CodecOutputLimitError);
    // The error says how far the stream had got: 256 bytes before the second run of 255.
    expect(() => decodeNeslibRle(long, 0, { maximumOutputSizeInBytes: 300 })).toThrow(/declares 511 bytes of output, over the limit of 300/);
    expect(probeNeslibRle(long, 0, { maximumOutputSizeInBytes: 510 })).toBeNull();
    expect(probeNeslibRle(Uint8Array.of(0x01, 0x01, 0x05, 0x01, 0x00))).toBeNull();
  });

  it('refuses to encode data that uses all 256 byte values (no tag left), and unknown levels', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(() => encodeNeslibRle(all)).toThrow(CodecInputShapeError);
    expect(() => getCodec('rle-neslib').compress(all.subarray(1), { level: 'fast' })).toThrow(/unknown level/);
    // The lowest unused value is the tag, as NES Screen Tool picks it.
    expect(encodeNeslibRle(all.subarray(1))[0]).toBe(0);
    expect(encodeNeslibRle(Uint8Array.of(0, 1, 3))[0]).toBe(2);
  });

  it('romgfx codecs lists it for the NES; compress and decompress --codec rle-neslib round-trip a nametable', () => {
    const listed = JSON.parse(run('codecs', '--json').stdout) as { name: string; platforms: string[]; levels: string[] }[];
    expect(listed.find((codec) => codec.name === 'rle-neslib')).toMatchObject({ platforms: ['nes'], levels: ['accurate', 'max'] });
    const rom = new Uint8Array(readFileSync(join(corpus, 'full_game.nes')));
    writeFileSync(join(work, 'title.nam'), decodeNeslibRle(rom, 10668).data);
    const packed = run('compress', 'title.nam', '--codec', 'rle-neslib', '--level', 'accurate', '-o', 'title.rle', '--json');
    expect(packed.code).toBe(0);
    expect(readFileSync(join(work, 'title.rle'))).toEqual(Buffer.from(rom.subarray(10668, 10668 + 147)));
    const unpacked = run('decompress', join(corpus, 'full_game.nes'), '--codec', 'rle-neslib', '--offset', '10668', '-o', 'out.nam', '--json');
    expect(unpacked.code).toBe(0);
    expect(JSON.parse(unpacked.stdout)).toMatchObject({ packedLength: 147, unpackedLength: 1024 });
    expect(readFileSync(join(work, 'out.nam'))).toEqual(readFileSync(join(work, 'title.nam')));
    writeFileSync(join(work, 'bad.rle'), Uint8Array.of(0x01, 0x20, 0x21));
    const bad = run('decompress', 'bad.rle', '--codec', 'rle-neslib', '-o', 'bad.bin');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('ERR_CODEC_TRUNCATED');
  });
});
