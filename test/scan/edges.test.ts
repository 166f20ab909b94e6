/**
 * Two checks the scanner uses to tell a stream or block from a misreading of it: copy maximality
 * for HAL starts (hal-commands.ts) and the tile grid for raw blocks (raw.ts tileSeamsAligned).
 */
import { describe, expect, test } from 'vitest';
import { getCodec } from '../../src/codecs/index.js';
import { encodeTiles, getTileFormat } from '../../src/gfx/index.js';
import { nonEncoderHalCommands } from '../../src/scan/hal-commands.js';
import { tileSeamsAligned } from '../../src/scan/seams.js';
import { spriteTiles, spriteTileIndices } from './helpers/sprite-art.js';

describe('nonEncoderHalCommands', () => {
  test('inhal levels 1–4 never leave a forward copy that could be a byte longer', () => {
    const hal = getCodec('hal');
    for (const level of ['1', '2', '3', '4']) {
      for (const seed of [1, 2, 3]) {
        const art = spriteTiles('snes4bpp', 64, seed);
        const packed = hal.compress(art, { level });
        expect(nonEncoderHalCommands(packed, 0, art), `level ${level}, seed ${seed}`).toBe(0);
      }
    }
  });

  test('counts a copy whose next source byte equals the next output byte, but not one at the cap or the end', () => {
    // "ABCDX", copy 4 from 0 ("ABCD"), literal "X": the copy could have taken the X too.
    const extendable = Uint8Array.of(0x04, 0x41, 0x42, 0x43, 0x44, 0x58, 0x83, 0x00, 0x00, 0x00, 0x58, 0xff);
    const out = getCodec('hal').decompress(extendable, 0).data;
    expect(Buffer.from(out).toString('latin1')).toBe('ABCDXABCDX');
    expect(nonEncoderHalCommands(extendable, 0, out)).toBe(1);
    // The same copy ending the output: nothing follows it, so it is maximal.
    const atEnd = Uint8Array.of(0x04, 0x41, 0x42, 0x43, 0x44, 0x58, 0x83, 0x00, 0x00, 0xff);
    expect(nonEncoderHalCommands(atEnd, 0, getCodec('hal').decompress(atEnd, 0).data)).toBe(0);
    // A 1,024-byte copy (the longest a command holds) of zeros followed by more zeros.
    const capped = Uint8Array.of(0x23, 0x00, 0xf3, 0xff, 0x00, 0x00, 0x20, 0x00, 0xff);
    const cappedOut = getCodec('hal').decompress(capped, 0).data;
    expect(cappedOut.length).toBe(4 + 1024 + 1);
    expect(nonEncoderHalCommands(capped, 0, cappedOut)).toBe(0);
  });

  test('counts a literal right after a literal short of the cap: zero padding read as "literal: one 00" again and again', () => {
    const hal = getCodec('hal');
    const art = spriteTiles('snes4bpp', 8, 4);
    const stream = hal.compress(art, { level: '2' });
    const padded = new Uint8Array(8 + stream.length);
    padded.set(stream, 8);
    expect(nonEncoderHalCommands(padded, 8, art)).toBe(0);
    const early = hal.decompress(padded, 0);
    expect(early.packedLength).toBe(padded.length);
    expect(Buffer.from(early.data.subarray(0, 4)).equals(Buffer.alloc(4))).toBe(true);
    // Four "00 00" pairs: four one-byte literals, three of them right after another literal.
    expect(nonEncoderHalCommands(padded, 0, early.data)).toBeGreaterThanOrEqual(3);
    // A literal of 1,024 bytes (the most one command holds) may be followed by another.
    const long = new Uint8Array(1025 + 3 + 1);
    long[0] = 0xe3;
    long[1] = 0xff; // literal, 1,024 bytes (zeros)
    long[1026] = 0x00;
    long[1027] = 0x07; // literal, 1 byte
    long[1028] = 0xff;
    expect(nonEncoderHalCommands(long, 0, hal.decompress(long, 0).data)).toBe(0);
  });

  test('a start a few bytes late that decodes to the same end shifts the copies, and some become extendable', () => {
    const hal = getCodec('hal');
    const art = spriteTiles('gb2bpp', 96, 7);
    const packed = hal.compress(art, { level: '2' });
    let shiftedReadings = 0;
    for (let late = 1; late < 24; late++) {
      let result;
      try {
        result = hal.decompress(packed, late);
      } catch {
        continue;
      }
      if (result.packedLength !== packed.length - late || result.data.length === art.length) continue;
      shiftedReadings++;
      expect(nonEncoderHalCommands(packed, late, result.data), `${late} late`).toBeGreaterThan(0);
    }
    expect(shiftedReadings).toBeGreaterThan(0);
  });
});

describe('tileSeamsAligned', () => {
  test('packed 4bpp sprite tiles on their grid are aligned; read 16 bytes (4 rows) late they are not', () => {
    for (const name of ['gba4bpp', 'md4bpp']) {
      const format = getTileFormat(name);
      for (let seed = 1; seed <= 20; seed++) {
        const bytes = encodeTiles(format, spriteTileIndices(48, 4, seed));
        expect(tileSeamsAligned(format, bytes), `${name} seed ${seed}`).toBe(true);
        expect(tileSeamsAligned(format, bytes.subarray(16, bytes.length - 16)), `${name} seed ${seed}, 16 late`).toBe(false);
      }
    }
  });
});
