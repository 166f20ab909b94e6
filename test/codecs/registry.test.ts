import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codecNames, getCodec, hasCodec, listCodecs, registerCodec, unregisterCodec, type Codec } from '../../src/codecs/index.js';
import { parseGameDefinition } from '../../src/defs/index.js';
import * as api from '../../src/index.js';
import { CodecOptionError, UnknownCodecError } from '../../src/errors.js';

/**
 * The part of an input a codec can hold: Nemesis stores whole 32-byte tiles and Enigma whole
 * 16-bit words (both refuse other sizes with CodecInputSizeError); gen1-pic only square pictures
 * of N×N 2bpp tiles (16·N² bytes, N = 1-15): the input cut to the largest such size, or
 * zero-padded to one tile when shorter. Every other codec takes any bytes.
 */
function holdable(codec: string, input: Uint8Array): Uint8Array {
  if (codec === 'gen1-pic') {
    const side = Math.min(15, Math.max(1, Math.floor(Math.sqrt(input.length / 16))));
    const picture = new Uint8Array(side * side * 16);
    picture.set(input.subarray(0, picture.length));
    return picture;
  }
  const unit = codec === 'nemesis' ? 32 : codec === 'enigma' ? 2 : 1;
  return input.subarray(0, input.length - (input.length % unit));
}

/**
 * Bytes an encoder may write after the stream: GBA pads to a word; Sega's own compressors (the
 * `accurate` levels) add a spare byte (Nemesis) or pad to 16 bytes (Kosinski, KosM).
 */
function trailingBytes(codec: string, level: string | undefined): number {
  if (['lz77', 'lz11', 'rle', 'diff', 'huffman'].includes(codec)) return 3;
  if (level === 'accurate') return codec === 'nemesis' ? 1 : 15;
  return 0;
}

/** Output size for formats that do not record it. */
function limitsFor(codec: string, level: string, size: number): { outputSizeInBytes?: number } {
  return codec === 'pb16' || (codec === 'lz4' && level === 'block') ? { outputSizeInBytes: size } : {};
}

describe('codec registry', () => {
  it('names every codec the issue lists; the public API exports it', () => {
    expect(codecNames()).toEqual(['hal', 'lz77', 'lz11', 'rle', 'huffman', 'diff', 'lz4', 'pb16', 'lc-lz1', 'lc-lz2', 'lc-lz3', 'lc-lz5', 'konami1', 'gen1-pic', 'nemesis', 'kosinski', 'kosinski-moduled', 'enigma', 'saxman', 'comper', 'lz4w', 'rle-neslib']);
    expect(api.getCodec('HAL').name).toBe('hal');
    expect(api.listCodecs()).toBe(listCodecs());
    expect(() => getCodec('zip')).toThrow(UnknownCodecError);
    expect(() => getCodec('hal').compress(new Uint8Array(4), { level: 'fastest' })).toThrow(CodecOptionError);
    expect(() => getCodec('huffman').compress(new Uint8Array(4), { variant: '7' })).toThrow(CodecOptionError);
  });

  it('registerCodec adds a plug-in codec that lookups and definitions accept; bad names, duplicates and built-ins are refused', () => {
    // A toy codec: a length byte, then the bytes (enough to show the registry treats it as its own).
    const stored: Codec = {
      name: 'test-stored',
      description: 'length byte + bytes',
      platforms: [],
      levels: ['1'],
      defaultLevel: '1',
      canCompress: true,
      decompress: (bytes, offset = 0) => ({ data: bytes.slice(offset + 1, offset + 1 + bytes[offset]!), packedLength: 1 + bytes[offset]! }),
      compress: (data) => Uint8Array.of(data.length, ...data),
      probe: (bytes, offset = 0) => (offset < bytes.length ? { packedLength: 1 + bytes[offset]!, unpackedLength: bytes[offset]! } : null),
    };
    expect(hasCodec('test-stored')).toBe(false);
    registerCodec(stored);
    try {
      expect(getCodec('TEST-STORED')).toBe(stored);
      expect(codecNames()).toContain('test-stored');
      const definition = parseGameDefinition({ formatVersion: 1, id: 'plug-in', name: 'x', platform: 'snes', variants: [{ id: 'us', title: 'X' }], sprites: [{ name: 'a', offset: 16, codec: 'test-stored', tileFormat: 'snes4bpp', tileCount: 1 }] }, 'plug-in.json');
      expect(definition.sprites[0]!.codec).toBe('test-stored');
      expect(() => registerCodec(stored)).toThrow(CodecOptionError);
      expect(() => registerCodec({ ...stored, name: 'none' })).toThrow(CodecOptionError);
      expect(() => registerCodec({ ...stored, name: 'Bad Name' })).toThrow(CodecOptionError);
      expect(unregisterCodec('hal')).toBe(false);
    } finally {
      expect(unregisterCodec('test-stored')).toBe(true);
    }
    expect(() => getCodec('test-stored')).toThrow(UnknownCodecError);
  });

  it('decompress(compress(x)) == x for every codec at every level, packed length = stream size', () => {
    const inputs = fc.oneof(
      fc.uint8Array({ maxLength: 1500 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 90 })), { maxLength: 30 }).map((runs) => new Uint8Array(runs.flatMap(([v, n]) => Array(n).fill(v)))),
      fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 1500 }).map((values) => new Uint8Array(values)),
    );
    const plans: [string, { level?: string; variant?: string; vramSafe?: boolean }][] = [];
    for (const codec of listCodecs().filter((c) => c.canCompress)) for (const level of codec.levels) plans.push([codec.name, { level }]);
    plans.push(['lz4', { variant: 'block' }], ['lz77', { vramSafe: true }], ['lz11', { vramSafe: true }], ['huffman', { variant: '4' }], ['huffman', { variant: '8' }]);
    fc.assert(
      fc.property(inputs, (anyInput) => {
        for (const [name, options] of plans) {
          const codec = getCodec(name);
          const data = holdable(name, anyInput);
          // Word formats refuse an odd byte count rather than pad it.
          if ((name === 'comper' || (name === 'diff' && options.variant === '16')) && data.length % 2 === 1) {
            expect(() => codec.compress(data, options)).toThrow(expect.objectContaining({ code: 'ERR_CODEC_INPUT_SHAPE' }));
            continue;
          }
          const packed = codec.compress(data, options);
          const result = codec.decompress(packed, 0, limitsFor(name, options.variant ?? '', data.length));
          expect(result.data).toEqual(data);
          // Only padding may follow the stream (none for most formats).
          expect(packed.length - result.packedLength).toBeGreaterThanOrEqual(0);
          expect(packed.length - result.packedLength).toBeLessThanOrEqual(trailingBytes(name, options.level));
          expect(codec.probe(packed, 0, limitsFor(name, options.variant ?? '', data.length))).toEqual({ packedLength: result.packedLength, unpackedLength: data.length });
        }
      }),
      { numRuns: 60, seed: 2024 },
    );
  });
});
