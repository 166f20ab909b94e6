import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codecNames, getCodec, hasCodec, listCodecs, registerCodec, unregisterCodec, type Codec } from '../../src/codecs/index.js';
import { parseGameDefinition } from '../../src/defs/index.js';
import * as api from '../../src/index.js';
import { CodecOptionError, UnknownCodecError } from '../../src/errors.js';

/** Output size for formats that do not record it. */
function limitsFor(codec: string, level: string, size: number): { outputSizeInBytes?: number } {
  return codec === 'pb16' || (codec === 'lz4' && level === 'block') ? { outputSizeInBytes: size } : {};
}

describe('codec registry', () => {
  it('names every codec the issue lists; the public API exports it', () => {
    expect(codecNames()).toEqual(['hal', 'lz77', 'lz11', 'rle', 'huffman', 'diff', 'lz4', 'pb16', 'saxman', 'comper', 'lz4w']);
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
      fc.property(inputs, (input) => {
        for (const [name, options] of plans) {
          const codec = getCodec(name);
          // Word formats refuse an odd byte count rather than pad it.
          if ((name === 'comper' || (name === 'diff' && options.variant === '16')) && input.length % 2 === 1) {
            expect(() => codec.compress(input, options)).toThrow(expect.objectContaining({ code: 'ERR_CODEC_INPUT_SHAPE' }));
            continue;
          }
          const packed = codec.compress(input, options);
          const result = codec.decompress(packed, 0, limitsFor(name, options.variant ?? '', input.length));
          expect(result.data).toEqual(input);
          // GBA streams are padded to a word; every other format's stream is exactly its bytes.
          if (['lz77', 'lz11', 'rle', 'diff'].includes(name)) expect(packed.length - result.packedLength).toBeLessThan(4);
          else expect(result.packedLength).toBe(packed.length);
          expect(codec.probe(packed, 0, limitsFor(name, options.variant ?? '', input.length))).toEqual({ packedLength: result.packedLength, unpackedLength: input.length });
        }
      }),
      { numRuns: 60, seed: 2024 },
    );
  });
});
