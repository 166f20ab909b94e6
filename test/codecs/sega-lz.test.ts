import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCodec } from '../../src/codecs/registry.js';
import { decodeSaxman, encodeSaxman } from '../../src/codecs/sega/saxman.js';
import { decodeComper } from '../../src/codecs/sega/comper.js';
import { decodeLz4w } from '../../src/codecs/sega/lz4w.js';
import { copyMatch } from '../../src/codecs/sega/copy.js';
import { isRomgfxError } from '../../src/errors.js';
import { codecInputs, tileSheet } from '../helpers/tile-inputs.js';

const fixtures = join(import.meta.dirname, '../../fixtures/codecs');

/** The per-tool size table of a vector folder's README: input name → smallest reference size. */
function smallestReferenceSizes(folder: string): Map<string, number> {
  const text = readFileSync(join(fixtures, folder, 'README.md'), 'utf8');
  const section = text.split(/^## /m).find((part) => part.startsWith('Output sizes'))!;
  const sizes = new Map<string, number>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 5 || !/^\d+$/.test(cells[2]!)) continue;
    const tools = cells.slice(3, -1).filter((cell) => /^\d+$/.test(cell)).map(Number);
    sizes.set(cells[1]!, Math.min(...tools));
  }
  return sizes;
}

const families = [
  { codec: 'saxman', extension: '.sax' },
  { codec: 'comper', extension: '.comp' },
  { codec: 'lz4w', extension: '.lz4w' },
] as const;

/** Expected error code per malformed file, as each folder's README names them. */
const malformedErrors: Record<string, string> = {
  'saxman/truncated.sax': 'ERR_CODEC_TRUNCATED',
  'comper/truncated.comp': 'ERR_CODEC_TRUNCATED',
  'comper/backref_before_start.comp': 'ERR_CODEC_CORRUPT',
  'lz4w/truncated.lz4w': 'ERR_CODEC_TRUNCATED',
  'lz4w/backref_before_start.lz4w': 'ERR_CODEC_CORRUPT',
  'lz4w/rom_source_long_match.lz4w': 'ERR_CODEC_UNSUPPORTED',
};

const read = (folder: string, name: string): Uint8Array => new Uint8Array(readFileSync(join(fixtures, folder, name)));
const bytes = (text: string): Uint8Array => new Uint8Array(text.split(/\s+/).filter(Boolean).map((h) => parseInt(h, 16)));
const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

describe.each(families)('$codec vectors', ({ codec, extension }) => {
  const files = readdirSync(join(fixtures, codec)).filter((name) => name.endsWith(extension));
  const sizes = smallestReferenceSizes(codec);

  it('has a size table row for every vector', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) expect(sizes.has(file.split('.')[0]!)).toBe(true);
  });

  it.each(files)('%s decodes to its .bin with the exact stream length, and probe agrees', (file) => {
    const packed = read(codec, file);
    const expected = read(codec, `${file.split('.')[0]}.bin`);
    const result = getCodec(codec).decompress(packed);
    expect(Buffer.from(result.data).equals(Buffer.from(expected))).toBe(true);
    // mdcomp pads a Saxman file to an even length with one 0x00 outside the counted bytes (sega.md §5.1).
    const padding = packed.length - result.packedLength;
    expect(padding === 0 || (codec === 'saxman' && padding === 1 && packed[packed.length - 1] === 0 && packed.length % 2 === 0)).toBe(true);
    expect(getCodec(codec).probe(packed)).toEqual({ packedLength: result.packedLength, unpackedLength: expected.length });
    // Placed mid-ROM behind other bytes, with more bytes after it: same result.
    const rom = new Uint8Array(packed.length + 64).fill(0xa5);
    rom.set(packed, 16);
    const inRom = getCodec(codec).decompress(rom, 16);
    expect(inRom.packedLength).toBe(result.packedLength);
    expect(Buffer.from(inRom.data).equals(Buffer.from(expected))).toBe(true);
  });

  it.each(files)('%s: max is never larger than the smallest reference output, and both levels round-trip', (file) => {
    const input = read(codec, `${file.split('.')[0]}.bin`);
    const reference = sizes.get(file.split('.')[0]!)!;
    const best = getCodec(codec).compress(input, { level: 'max' });
    expect(best.length).toBeLessThanOrEqual(reference);
    for (const level of ['fast', 'max']) {
      const packed = level === 'max' ? best : getCodec(codec).compress(input, { level });
      const back = getCodec(codec).decompress(packed, 0, { maximumOutputSizeInBytes: 1 << 20 });
      expect(back.packedLength).toBe(packed.length);
      expect(Buffer.from(back.data).equals(Buffer.from(input))).toBe(true);
    }
  });
});

describe('malformed vectors get the typed error their README names, and probe rejects them', () => {
  it.each(Object.entries(malformedErrors))('%s → %s', (path, code) => {
    const [folder, name] = path.split('/') as [string, string];
    const input = read(folder, `malformed/${name}`);
    let caught: unknown;
    try {
      getCodec(folder).decompress(input);
    } catch (error) {
      caught = error;
    }
    expect(isRomgfxError(caught) && caught.code).toBe(code);
    expect(getCodec(folder).probe(input)).toBeNull();
  });

  it('every malformed file has an expected error', () => {
    for (const { codec } of families) {
      for (const name of readdirSync(join(fixtures, codec, 'malformed'))) expect(malformedErrors[`${codec}/${name}`]).toBeDefined();
    }
  });
});

describe('worked examples of sega.md §5', () => {
  it('Saxman: a copy through the ring from position 0, and the padding byte outside the counted size', () => {
    const result = decodeSaxman(bytes('07 00 17 41 42 43 EE F5 44 00'));
    expect(new TextDecoder().decode(result.data)).toBe('ABCABCABCABD');
    expect(result.packedLength).toBe(9);
  });

  it('Comper: literal words, a 2-word copy 3 words back, the terminator', () => {
    const result = decodeComper(bytes('14 00 41 42 43 41 42 43 FD 01 42 44 00 00'));
    expect(new TextDecoder().decode(result.data)).toBe('ABCABCABCABD');
    expect(result.packedLength).toBe(14);
    expect(decodeComper(bytes('70 00 00 00 FF FE FF FF 00 00')).data).toEqual(new Uint8Array(1024));
  });

  it('LZ4W: a short copy after literals, an end block and a final word without an extra byte', () => {
    const result = decodeLz4w(bytes('31 02 41 42 43 41 42 43 10 00 42 44 00 00 00 00'));
    expect(new TextDecoder().decode(result.data)).toBe('ABCABCABCABD');
    expect(result.packedLength).toBe(16);
    expect(decodeLz4w(bytes('10 FF 00 00 00 00 00 FC 00 00 00 00 00 00')).data).toEqual(new Uint8Array(1024));
  });

  it('LZ4W: a long copy with the ROM-source bit reads the ROM bytes before the stream, as SGDK-built ROMs use it', () => {
    // Eight ROM bytes, then the stream at 8: a long copy of 3 words whose W = 0xFFFB doubles to
    // -10, from (8 + 4) - 2 - 10 = 0; then the end block and the final word.
    const rom = bytes('11 22 33 44 55 66 77 88 00 01 FF FB 00 00 00 00');
    const result = decodeLz4w(rom, 8);
    expect([...result.data]).toEqual([0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);
    expect(result.packedLength).toBe(8);
    expect(getCodec('lz4w').probe(rom, 8)).toEqual({ packedLength: 8, unpackedLength: 6 });
    // The same stream alone (no bytes before it), or a source running into the stream itself
    // (W = 0xFFFE: from 6, 6 bytes), is not one the packer makes: unsupported, and probe says no.
    for (const [input, offset] of [[rom.subarray(8), 0], [bytes('11 22 33 44 55 66 77 88 00 01 FF FE 00 00 00 00'), 8]] as const) {
      expect(() => decodeLz4w(input, offset)).toThrowError(expect.objectContaining({ code: 'ERR_CODEC_UNSUPPORTED' }));
      expect(getCodec('lz4w').probe(input, offset)).toBeNull();
    }
  });

  it('encoders reproduce the worked examples at least as small', () => {
    const text = ascii('ABCABCABCABD');
    expect(getCodec('saxman').compress(text).length).toBeLessThanOrEqual(9);
    expect(getCodec('comper').compress(text).length).toBeLessThanOrEqual(14);
    expect(getCodec('lz4w').compress(text).length).toBeLessThanOrEqual(16);
  });
});

describe('Saxman framings', () => {
  it('headerless streams decode to the output size the caller gives', () => {
    const input = ascii('ABCABCABCABD'.repeat(20));
    const headerless = encodeSaxman(input, { headerless: true });
    expect(headerless.length).toBe(encodeSaxman(input).length - 2);
    const result = decodeSaxman(headerless, 0, { outputSizeInBytes: input.length });
    expect(result.data).toEqual(input);
    expect(result.packedLength).toBe(headerless.length);
    expect(getCodec('saxman').compress(input, { variant: 'headerless' })).toEqual(headerless);
  });

  it('a headerless stream cut short, or asked for more than it holds, is truncated', () => {
    const input = ascii('hello, saxman world');
    const headerless = encodeSaxman(input, { headerless: true });
    expect(() => decodeSaxman(headerless.subarray(0, headerless.length - 3), 0, { outputSizeInBytes: input.length })).toThrow(
      expect.objectContaining({ code: 'ERR_CODEC_TRUNCATED' }),
    );
    expect(() => decodeSaxman(headerless, 0, { outputSizeInBytes: input.length + 5 })).toThrow(expect.objectContaining({ code: 'ERR_CODEC_TRUNCATED' }));
  });

  it('a copy that would pass the given output size is corrupt', () => {
    // Literal 'A' then a copy of 18: asking for 10 bytes cannot end inside the copy.
    expect(() => decodeSaxman(bytes('01 41 EE FF'), 0, { outputSizeInBytes: 10 })).toThrow(expect.objectContaining({ code: 'ERR_CODEC_CORRUPT' }));
  });

  it('zero runs at the start copy from the zero-filled ring, as mdcomp does', () => {
    const zeros = new Uint8Array(1024);
    const packed = encodeSaxman(zeros);
    expect(packed.length).toBe(124);
    expect(decodeSaxman(packed).data).toEqual(zeros);
  });

  it('refuses unknown levels and variants', () => {
    expect(() => getCodec('saxman').compress(new Uint8Array(4), { level: '9' })).toThrow(expect.objectContaining({ code: 'ERR_CODEC_OPTION' }));
    expect(() => getCodec('saxman').compress(new Uint8Array(4), { variant: 'sonic3' })).toThrow(expect.objectContaining({ code: 'ERR_CODEC_OPTION' }));
  });
});

describe('output limits are checked before anything is allocated', () => {
  it.each(['saxman', 'comper', 'lz4w'])('%s: the default limit, and a caller limit below the output', (codec) => {
    const input = new Uint8Array(4096).fill(7);
    const packed = getCodec(codec).compress(input);
    expect(() => getCodec(codec).decompress(packed, 0, { maximumOutputSizeInBytes: 4095 })).toThrow(expect.objectContaining({ code: 'ERR_CODEC_OUTPUT_LIMIT' }));
    expect(getCodec(codec).probe(packed, 0, { maximumOutputSizeInBytes: 4095 })).toBeNull();
    expect(getCodec(codec).decompress(packed, 0, { maximumOutputSizeInBytes: 4096 }).data).toEqual(input);
    // Past the 64 KiB default, a caller must raise the limit.
    const large = getCodec(codec).compress(new Uint8Array(0x10002));
    expect(() => getCodec(codec).decompress(large)).toThrow(expect.objectContaining({ code: 'ERR_CODEC_OUTPUT_LIMIT' }));
    expect(getCodec(codec).decompress(large, 0, { maximumOutputSizeInBytes: 0x20000 }).data.length).toBe(0x10002);
  });

  it('a Comper stream of long copies stops at the caller limit', () => {
    const endless = new Uint8Array(2 + 2 + 16 * 4);
    endless.set([0x7f, 0xff, 0x12, 0x34]);
    for (let k = 0; k < 15; k++) endless.set([0xff, 0xff], 4 + 2 * k);
    expect(() => decodeComper(endless, 0, { maximumOutputSizeInBytes: 4096 })).toThrow(expect.objectContaining({ code: 'ERR_CODEC_OUTPUT_LIMIT' }));
  });
});

describe('round trips over structured tile-like inputs', () => {
  it.each(['saxman', 'comper', 'lz4w'])('%s: max and fast decode back to the input; max is never larger than fast', (codec) => {
    fc.assert(
      fc.property(codecInputs(48, 1500), fc.constantFrom('fast', 'max'), (input, level) => {
        // Comper holds whole words: odd input is refused, not padded (the round trip must hold).
        if (codec === 'comper' && input.length % 2 === 1) {
          expect(() => getCodec(codec).compress(input, { level })).toThrow(expect.objectContaining({ code: 'ERR_CODEC_INPUT_SHAPE' }));
          return;
        }
        const packed = getCodec(codec).compress(input, { level });
        const back = getCodec(codec).decompress(packed, 0, { maximumOutputSizeInBytes: 1 << 20 });
        expect(back.packedLength).toBe(packed.length);
        expect(Buffer.from(back.data).equals(Buffer.from(input))).toBe(true);
        expect(getCodec(codec).probe(packed, 0, { maximumOutputSizeInBytes: 1 << 20 })).toEqual({ packedLength: packed.length, unpackedLength: input.length });
        // Saxman's parse is optimal in bits; the last descriptor byte's rounding may cost it one byte.
        if (level === 'max') expect(packed.length).toBeLessThanOrEqual(getCodec(codec).compress(input, { level: 'fast' }).length + (codec === 'saxman' ? 1 : 0));
      }),
      { numRuns: 60, seed: 0x5e6a },
    );
  });

  it('Saxman headerless round trips over tile sheets', () => {
    fc.assert(
      fc.property(tileSheet({ maxTiles: 64, oddTail: true }), (input) => {
        const packed = encodeSaxman(input, { headerless: true });
        expect(decodeSaxman(packed, 0, { outputSizeInBytes: input.length, maximumOutputSizeInBytes: 1 << 20 }).data).toEqual(input);
      }),
      { numRuns: 40, seed: 0x5a7 },
    );
  });
});

describe('copyMatch', () => {
  it('equals a byte-at-a-time copy for every distance and length, overlapping or not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 0, max: 600 }), (prefix, d, length) => {
        const distance = 1 + (d % prefix.length);
        const expected = new Uint8Array(prefix.length + length);
        expected.set(prefix);
        for (let k = 0; k < length; k++) expected[prefix.length + k] = expected[prefix.length - distance + k]!;
        const actual = new Uint8Array(prefix.length + length);
        actual.set(prefix);
        copyMatch(actual, prefix.length, distance, length);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300, seed: 0xc09 },
    );
  });
});
