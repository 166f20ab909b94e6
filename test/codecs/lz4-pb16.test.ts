import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCodec } from '../../src/codecs/registry.js';
import { decodeLz4Block, encodeLz4Block } from '../../src/codecs/lz4/lz4.js';
import { xxhash32 } from '../../src/codecs/lz4/xxhash32.js';
import { decodePb16, encodePb16 } from '../../src/codecs/pb16.js';
import { CodecOptionError, CodecStreamCorruptError, CodecStreamTruncatedError, Lz4ChecksumError, Lz4FrameError, CodecOutputLimitError } from '../../src/errors.js';

const hal = join(import.meta.dirname, '../../fixtures/hal');
const vectors = join(import.meta.dirname, 'vectors/lz4');
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

describe('xxHash32', () => {
  it('matches the reference values', () => {
    expect(xxhash32(new Uint8Array(0))).toBe(0x02cc5d05);
    // The content checksum lz4 wrote for the empty file.
    const empty = read(join(vectors, 'empty.lz4'));
    expect(xxhash32(new Uint8Array(0))).toBe(Buffer.from(empty).readUInt32LE(empty.length - 4));
  });
});

describe('LZ4 frames made by the lz4 tool', () => {
  const cases: [string, Uint8Array][] = [
    ['varied16k.default.lz4', read(join(hal, 'varied16k.bin'))],
    ['tiles4bpp_32k.hc9.lz4', read(join(hal, 'tiles4bpp_32k.bin'))],
    ['tiles_max96k.linked-b4-blockcrc-size.lz4', concat(read(join(hal, 'tiles4bpp_32k.bin')), read(join(hal, 'max64k.bin')))],
    ['random4k.nocrc.lz4', read(join(hal, 'random4k.bin'))],
    ['empty.lz4', new Uint8Array(0)],
  ];
  for (const [file, expected] of cases) {
    it(`${file} decodes to its input, packed length = file size, probe agrees`, () => {
      const frame = read(join(vectors, file));
      const result = getCodec('lz4').decompress(frame);
      expect(result.data).toEqual(expected);
      expect(result.packedLength).toBe(frame.length);
      expect(getCodec('lz4').probe(frame)).toEqual({ packedLength: frame.length, unpackedLength: expected.length });
    });
  }
  it('detects corrupted checksums and headers', () => {
    const frame = read(join(vectors, 'varied16k.default.lz4'));
    const badContent = frame.slice();
    badContent[badContent.length - 1] = badContent[badContent.length - 1]! ^ 1;
    expect(() => getCodec('lz4').decompress(badContent)).toThrow(Lz4ChecksumError);
    const badHeader = frame.slice();
    badHeader[6] = badHeader[6]! ^ 1; // header checksum byte
    expect(() => getCodec('lz4').decompress(badHeader)).toThrow(Lz4ChecksumError);
    const linked = read(join(vectors, 'tiles_max96k.linked-b4-blockcrc-size.lz4'));
    const badBlock = linked.slice();
    badBlock[40] = badBlock[40]! ^ 0x20;
    expect(() => getCodec('lz4').decompress(badBlock)).toThrow(Lz4ChecksumError);
    expect(() => getCodec('lz4').decompress(frame.subarray(0, 100))).toThrow(CodecStreamTruncatedError);
    const version = frame.slice();
    version[4] = 0x80;
    expect(() => getCodec('lz4').decompress(version)).toThrow(Lz4FrameError);
    expect(() => getCodec('lz4').decompress(linked, 0, { maximumOutputSizeInBytes: 50_000 })).toThrow(CodecOutputLimitError);
    expect(() => getCodec('lz4').decompress(frame, 0, { maximumOutputSizeInBytes: 10_000 })).toThrow(CodecOutputLimitError);
  });
});

describe('LZ4 encoder', () => {
  it('frames round-trip through our decoder at both levels; high beats fast', () => {
    const input = read(join(hal, 'tiles4bpp_32k.bin'));
    const fast = getCodec('lz4').compress(input, { level: 'fast' });
    const high = getCodec('lz4').compress(input, { level: 'high' });
    expect(getCodec('lz4').decompress(fast).data).toEqual(input);
    expect(getCodec('lz4').decompress(high).data).toEqual(input);
    expect(high.length).toBeLessThanOrEqual(fast.length);
  });
  it('raw blocks need the output size and follow the end-of-block rules', () => {
    const input = read(join(hal, 'varied16k.bin'));
    const block = encodeLz4Block(input);
    expect(() => getCodec('lz4').decompress(block)).toThrow(Lz4FrameError);
    const result = getCodec('lz4').decompress(concat(block, new Uint8Array([1, 2, 3])), 0, { outputSizeInBytes: input.length });
    expect(result.data).toEqual(input);
    expect(result.packedLength).toBe(block.length);
    expect(() => decodeLz4Block(new Uint8Array([0x00, 0x01, 0x00]), 0, 8)).toThrow(CodecStreamCorruptError);
  });
  it('round-trip property, frame and block', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 3000 }).map((a) => new Uint8Array(a))), (input) => {
        expect(getCodec('lz4').decompress(getCodec('lz4').compress(input)).data).toEqual(input);
        const block = getCodec('lz4').compress(input, { variant: 'block', level: 'fast' });
        expect(getCodec('lz4').decompress(block, 0, { outputSizeInBytes: input.length }).data).toEqual(input);
      }),
      { numRuns: 150, seed: 5 },
    );
  });
});

describe('PB16', () => {
  it('decodes a hand-checked packet', () => {
    // Flags 0b00110000: literals 11 22, then 2 repeats (11 22), then 4 literals.
    const stream = new Uint8Array([0x30, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);
    expect(decodePb16(stream, 0, { outputSizeInBytes: 8 })).toEqual({ data: new Uint8Array([0x11, 0x22, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]), packedLength: 7 });
    // Before the start the "two back" bytes are 0.
    expect(decodePb16(new Uint8Array([0xc0, 0x09]), 0, { outputSizeInBytes: 3 }).data).toEqual(new Uint8Array([0, 0, 9]));
  });
  it('encodes exactly: a repeat bit wherever a byte equals the one two back', () => {
    expect(encodePb16(new Uint8Array([0x11, 0x22, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]))).toEqual(new Uint8Array([0x30, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]));
    expect(encodePb16(new Uint8Array(16))).toEqual(new Uint8Array([0xff, 0xff]));
  });
  it('needs the output size; reports truncation', () => {
    expect(() => getCodec('pb16').decompress(new Uint8Array([0]))).toThrow(CodecOptionError);
    expect(() => getCodec('pb16').decompress(new Uint8Array([0x00, 1, 2]), 0, { outputSizeInBytes: 8 })).toThrow(CodecStreamTruncatedError);
  });
  it('round-trip property', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (input) => {
        const packed = encodePb16(input);
        const result = decodePb16(packed, 0, { outputSizeInBytes: input.length });
        expect(result.data).toEqual(input);
        expect(result.packedLength).toBe(packed.length);
      }),
      { numRuns: 200, seed: 16 },
    );
  });
});
