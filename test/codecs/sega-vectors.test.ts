import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getCodec } from '../../src/codecs/registry.js';
import type { DecodeLimits } from '../../src/codecs/types.js';
import { CodecInputSizeError, CodecInputTooLargeError, CodecOptionError, CodecOutputLimitError, CodecStreamCorruptError, CodecStreamTruncatedError, InvalidArgumentError } from '../../src/errors.js';

// Golden vectors from the shared set (fixtures/codecs/<folder>/README.md names the tool that
// made each file): every file decodes to its .bin whichever tool made it.
const root = join(import.meta.dirname, '../../fixtures/codecs');
const read = (folder: string, name: string): Uint8Array => new Uint8Array(readFileSync(join(root, folder, name)));
const compressedFiles = (folder: string, extension: string): string[] => readdirSync(join(root, folder)).filter((name) => name.endsWith(extension)).sort();
const stem = (file: string): string => file.split('.')[0]!;
const tool = (file: string): string => file.split('.')[1]!;
/** Byte equality without vitest's element-by-element diffing (slow on 40 KiB arrays). */
const same = (actual: Uint8Array, expected: Uint8Array): void => {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.from(actual.buffer, actual.byteOffset, actual.length).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.length))).toBe(true);
};
const allZero = (bytes: Uint8Array): boolean => bytes.every((b) => b === 0);

interface Folder {
  codec: string;
  folder: string;
  extension: string;
  limits?: DecodeLimits;
  /** Bytes after the stream a tool may add: Sega's spare byte, 16-byte or even padding. */
  trailing: (tool: string) => number;
}

const folders: Folder[] = [
  // Sega's compressor (accurate) always adds one byte; when no bits were pending it is a spare 0x00.
  { codec: 'nemesis', folder: 'nemesis', extension: '.nem', trailing: (t) => (t === 'accurate' ? 1 : 0) },
  { codec: 'kosinski', folder: 'kosinski', extension: '.kos', trailing: (t) => (t === 'accurate' ? 15 : t === 'mdcomp' ? 1 : 0) },
  // The last module's padding is not part of the stream; mdcomp's empty file carries a spare empty stream.
  { codec: 'kosinski-moduled', folder: 'kosm', extension: '.kosm', trailing: (t) => (t === 'accurate' || t === 'patched' ? 15 : 6) },
  { codec: 'enigma', folder: 'enigma', extension: '.eni', trailing: () => 0 },
];

describe('Sega codecs on the golden vectors', () => {
  for (const { codec: name, folder, extension, limits, trailing } of folders) {
    const codec = getCodec(name);
    for (const file of compressedFiles(folder, extension)) {
      it(`${name}: ${file} decodes to ${stem(file)}.bin; packed length is the stream; probe agrees; trailing bytes are ignored`, () => {
        const packed = read(folder, file);
        const expected = read(folder, `${stem(file)}.bin`);
        const result = codec.decompress(packed, 0, limits);
        same(result.data, expected);
        const extra = packed.length - result.packedLength;
        expect(extra).toBeGreaterThanOrEqual(0);
        expect(extra).toBeLessThanOrEqual(trailing(tool(file)));
        // Padding is zeros; mdcomp's empty KosM file carries an empty Kosinski stream instead.
        if (file !== 'empty.mdcomp.kosm') expect(allZero(packed.subarray(result.packedLength))).toBe(true);
        expect(codec.probe(packed, 0, limits)).toEqual({ packedLength: result.packedLength, unpackedLength: expected.length });
        // Inside a ROM: at an offset, followed by unrelated bytes.
        const rom = new Uint8Array(7 + packed.length + 64).fill(0xa5);
        rom.set(packed.subarray(0, result.packedLength), 7);
        const inRom = codec.decompress(rom, 7, limits);
        same(inRom.data, expected);
        // Enigma counts the pad byte to an even length only when the input has one.
        if (name !== 'enigma') expect(inRom.packedLength).toBe(result.packedLength);
      });
    }
  }

  it('exact packed lengths where the README spells them out', () => {
    // Sega's spare 0x00 after a byte-aligned bitstream is not counted; the padded last byte is.
    expect(getCodec('nemesis').decompress(read('nemesis', 'tiles_repeat_4k.accurate.nem')).packedLength).toBe(2387);
    expect(getCodec('nemesis').decompress(read('nemesis', 'zeros_1k.accurate.nem')).packedLength).toBe(38);
    expect(getCodec('nemesis').decompress(read('nemesis', 'random_4k.accurate.nem')).packedLength).toBe(4401);
    expect(getCodec('nemesis').decompress(read('nemesis', 'empty.clownnemesis.nem')).packedLength).toBe(3);
    // Kosinski: up to and including the terminator's third byte, not the padding.
    expect(getCodec('kosinski').decompress(read('kosinski', 'example_abc.mdcomp.kos')).packedLength).toBe(11);
    expect(getCodec('kosinski').decompress(read('kosinski', 'example_inline.handmade.kos')).packedLength).toBe(9);
    expect(getCodec('kosinski').decompress(read('kosinski', 'zeros_43008.accurate.kos')).data.length).toBe(43008);
    // KosM: module 0 padded to 16 (counted), module 1 to its terminator.
    const two = getCodec('kosinski-moduled').decompress(read('kosm', 'two_modules_4097.accurate.kosm'));
    expect(two.packedLength).toBe(360);
    expect(getCodec('kosinski-moduled').decompress(read('kosm', 'empty.mdcomp.kosm')).packedLength).toBe(2);
    // The 0xA000 header reads as 0x8000, as S3K's loader does.
    expect(getCodec('kosinski-moduled').decompress(read('kosm', 'a000_header_quirk.patched.kosm')).data.length).toBe(0x8000);
    // Enigma: the worked example (sega.md §4.7) ends on a byte boundary at an even length.
    expect(getCodec('enigma').decompress(read('enigma', 'example_modes.mdcomp.eni')).packedLength).toBe(22);
  });
});

describe('Sega codecs refuse every malformed vector with the typed error its README names', () => {
  const cases: [string, string, string, new (...args: never[]) => Error, RegExp, DecodeLimits?][] = [
    ['nemesis', 'nemesis', 'truncated_bitstream.nem', CodecStreamTruncatedError, /bitstream ends/],
    ['nemesis', 'nemesis', 'truncated_code_table.nem', CodecStreamTruncatedError, /code table/],
    ['nemesis', 'nemesis', 'bad_code_length.nem', CodecStreamCorruptError, /bad code table entry: code length 9/],
    ['nemesis', 'nemesis', 'unknown_code.nem', CodecStreamCorruptError, /invalid code/],
    ['nemesis', 'nemesis', 'run_overruns_size.nem', CodecStreamCorruptError, /overruns the declared size/],
    ['nemesis', 'nemesis', 'huge_tile_count.nem', CodecOutputLimitError, /1048544 bytes/],
    ['kosinski', 'kosinski', 'truncated.kos', CodecStreamTruncatedError, /truncated/],
    ['kosinski', 'kosinski', 'descriptor_only.kos', CodecStreamTruncatedError, /truncated/],
    ['kosinski', 'kosinski', 'backref_before_start.kos', CodecStreamCorruptError, /reference before start of output/],
    ['kosinski', 'kosinski', 'overlong_128k.kos', CodecOutputLimitError, /limit of 65536/],
    ['kosinski-moduled', 'kosm', 'header_only_truncated.kosm', CodecStreamTruncatedError, /size header/],
    ['kosinski-moduled', 'kosm', 'truncated_modules.kosm', CodecStreamTruncatedError, /before module 1 of 3/],
    ['kosinski-moduled', 'kosm', 'module_too_long.kosm', CodecStreamCorruptError, /module size mismatch/],
    ['enigma', 'enigma', 'truncated.eni', CodecStreamTruncatedError, /before the terminator/],
    ['enigma', 'enigma', 'bad_packet_length.eni', CodecStreamCorruptError, /bad packet length 0/],
    ['enigma', 'enigma', 'bad_flag_mask.eni', CodecStreamCorruptError, /bad flag mask 0xff/],
    // A 40x28 map is 2,240 bytes: the caller says so, and the 64 KiB stream is refused.
    ['enigma', 'enigma', 'overlong_64k.eni', CodecOutputLimitError, /limit of 2240/, { outputSizeInBytes: 2240 }],
  ];
  for (const [name, folder, file, errorClass, message, limits] of cases) {
    it(`${name}: malformed/${file}`, () => {
      const codec = getCodec(name);
      const bytes = read(folder, `malformed/${file}`);
      let caught: unknown;
      try {
        codec.decompress(bytes, 0, limits);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(errorClass);
      expect((caught as Error).message).toMatch(message);
      expect(codec.probe(bytes, 0, limits)).toBeNull();
    });
  }

  it('huge_tile_count decodes with a raised limit only as far as its bytes go (truncated), never allocating past the limit first', () => {
    const bytes = read('nemesis', 'malformed/huge_tile_count.nem');
    expect(() => getCodec('nemesis').decompress(bytes, 0, { maximumOutputSizeInBytes: 0x7fff * 32 })).toThrow(CodecStreamTruncatedError);
  });

  it('overlong_64k decodes under the default 64 KiB limit (it is exactly 64 KiB) and not under 64 KiB - 2', () => {
    const bytes = read('enigma', 'malformed/overlong_64k.eni');
    expect(getCodec('enigma').decompress(bytes).data.length).toBe(0x10000);
    expect(() => getCodec('enigma').decompress(bytes, 0, { maximumOutputSizeInBytes: 0xfffe })).toThrow(CodecOutputLimitError);
  });

  it('a Nemesis table whose codes are not prefix-free or collide with the 111111 escape is refused', () => {
    const nemesis = getCodec('nemesis');
    // 0 (1 bit) and 01 (2 bits) overlap.
    expect(() => nemesis.decompress(Uint8Array.of(0x00, 0x01, 0x80, 0x01, 0x00, 0x02, 0x01, 0xff, 0, 0, 0, 0))).toThrow(/not prefix-free/);
    // 11111 (5 bits) is a prefix of the escape.
    expect(() => nemesis.decompress(Uint8Array.of(0x00, 0x01, 0x80, 0x05, 0x1f, 0xff, 0, 0, 0, 0))).toThrow(/collides with the 111111 escape/);
    // 1111110 (7 bits) starts with the escape.
    expect(() => nemesis.decompress(Uint8Array.of(0x00, 0x01, 0x80, 0x07, 0x7e, 0xff, 0, 0, 0, 0))).toThrow(/collides/);
    // A code value wider than its length.
    expect(() => nemesis.decompress(Uint8Array.of(0x00, 0x01, 0x80, 0x02, 0x04, 0xff, 0, 0, 0, 0))).toThrow(/does not fit in 2 bits/);
    // An exact repeat is accepted (last entry wins): nybble 5 then nybble 3 for code 0.
    const repeated = nemesis.decompress(Uint8Array.of(0x00, 0x01, 0x85, 0x71, 0x00, 0x83, 0x71, 0x00, 0xff, 0x00));
    expect(repeated.data).toEqual(new Uint8Array(32).fill(0x33));
  });

  it('a start offset outside the input is a caller error; probe says null', () => {
    for (const name of ['nemesis', 'kosinski', 'kosinski-moduled', 'enigma']) {
      expect(() => getCodec(name).decompress(new Uint8Array(4), 5)).toThrow(InvalidArgumentError);
      expect(() => getCodec(name).decompress(new Uint8Array(4), -1)).toThrow(InvalidArgumentError);
      expect(getCodec(name).probe(new Uint8Array(4), 9)).toBeNull();
    }
  });

  it('Kosinski honours a caller limit below the default and Sega\'s no-op marker is not an error', () => {
    const packed = read('kosinski', 'zeros_1k.mdcomp.kos');
    expect(() => getCodec('kosinski').decompress(packed, 0, { maximumOutputSizeInBytes: 1023 })).toThrow(CodecOutputLimitError);
    expect(getCodec('kosinski').decompress(packed, 0, { maximumOutputSizeInBytes: 1024 }).data.length).toBe(1024);
    // literal 'A', no-op (00 F0 01), terminator: descriptor bits 1, 01, 01.
    expect(getCodec('kosinski').decompress(Uint8Array.of(0x15, 0x00, 0x41, 0x00, 0xf0, 0x01, 0x00, 0xf0, 0x00)).data).toEqual(Uint8Array.of(0x41));
  });
});

describe('Sega encoders against the reference tools', () => {
  const accurate: [string, string, string][] = [
    ['nemesis', 'nemesis', '.nem'],
    ['kosinski', 'kosinski', '.kos'],
    ['kosinski-moduled', 'kosm', '.kosm'],
  ];
  for (const [name, folder, extension] of accurate) {
    for (const file of compressedFiles(folder, extension).filter((f) => tool(f) === 'accurate')) {
      it(`${name} accurate reproduces ${file} byte for byte`, () => {
        const input = read(folder, `${stem(file)}.bin`);
        same(getCodec(name).compress(input, { level: 'accurate' }), read(folder, file));
      });
    }
  }

  for (const { codec: name, folder, extension } of folders) {
    const stems = [...new Set(compressedFiles(folder, extension).map(stem))];
    for (const input of stems) {
      it(`${name} max on ${input}: no larger than the smallest reference output, decodes back`, () => {
        const data = read(folder, `${input}.bin`);
        const smallest = Math.min(...compressedFiles(folder, extension).filter((f) => stem(f) === input).map((f) => read(folder, f).length));
        const packed = getCodec(name).compress(data, { level: 'max' });
        expect(packed.length).toBeLessThanOrEqual(smallest);
        const back = getCodec(name).decompress(packed, 0, { maximumOutputSizeInBytes: 0x10000 });
        same(back.data, data);
        expect(back.packedLength).toBe(packed.length);
      });
    }
  }

  it('input sizes a format cannot hold are refused with typed errors; unknown levels too', () => {
    expect(() => getCodec('nemesis').compress(new Uint8Array(33))).toThrow(CodecInputSizeError);
    expect(() => getCodec('nemesis').compress(new Uint8Array(0x8000 * 32))).toThrow(CodecInputTooLargeError);
    expect(() => getCodec('enigma').compress(new Uint8Array(3))).toThrow(CodecInputSizeError);
    expect(() => getCodec('kosinski-moduled').compress(new Uint8Array(0xa000))).toThrow(CodecInputSizeError);
    expect(() => getCodec('kosinski-moduled').compress(new Uint8Array(0x10000))).toThrow(CodecInputTooLargeError);
    expect(() => getCodec('enigma').compress(new Uint8Array(4), { level: 'accurate' })).toThrow(CodecOptionError);
    expect(() => getCodec('kosinski').compress(new Uint8Array(4), { level: 'fast' })).toThrow(CodecOptionError);
    expect(getCodec('nemesis').levels).toEqual(['accurate', 'max']);
    for (const name of ['nemesis', 'kosinski', 'kosinski-moduled', 'enigma']) expect(getCodec(name).platforms).toEqual(['md']);
  });
});
