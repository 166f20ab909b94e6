import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHal, probeHal } from '../../src/codecs/hal/decode.js';
import { encodeHal } from '../../src/codecs/hal/encode.js';
import { getCodec } from '../../src/codecs/registry.js';
import {
  CodecInputTooLargeError,
  HalBackwardCopyBeforeStartError,
  HalCopyOutOfRangeError,
  HalOutputTooLargeError,
  HalPackedTooLargeError,
  HalStreamTruncatedError,
  InvalidArgumentError,
} from '../../src/errors.js';

const dir = join(import.meta.dirname, '../../fixtures/hal');
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)));
const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const names = ['single', 'abc', 'zeros4k', 'random4k', 'varied16k', 'tiles4bpp_32k', 'max64k'];

describe('HAL decoder on the inhal vectors', () => {
  for (const name of names) {
    it(`${name}: every level decodes to the input, packed length = file size, probe agrees`, () => {
      const input = read(`${name}.bin`);
      for (const level of [1, 2, 3, 4]) {
        const packed = read(`${name}.L${level}.hal`);
        const result = decodeHal(packed);
        expect(result.data).toEqual(input);
        expect(result.packedLength).toBe(packed.length);
        expect(probeHal(packed)).toEqual({ packedLength: packed.length, unpackedLength: input.length });
      }
    });
  }
});

describe('HAL malformed streams (fixtures/hal/malformed)', () => {
  it('truncated.hal: no 0xFF terminator', () => {
    expect(() => decodeHal(read('malformed/truncated.hal'))).toThrow(HalStreamTruncatedError);
    expect(probeHal(read('malformed/truncated.hal'))).toBeNull();
  });
  it('empty-input.hal: truncated at offset 0', () => {
    const error = catchError(() => decodeHal(read('malformed/empty-input.hal')));
    expect(error).toBeInstanceOf(HalStreamTruncatedError);
    expect((error as HalStreamTruncatedError).code).toBe('ERR_HAL_TRUNCATED');
    expect((error as HalStreamTruncatedError).message).toContain('0x0');
  });
  it('bomb-over-64k.hal: output over 64 KiB refused', () => {
    const error = catchError(() => decodeHal(read('malformed/bomb-over-64k.hal')));
    expect(error).toBeInstanceOf(HalOutputTooLargeError);
    expect((error as HalOutputTooLargeError).code).toBe('ERR_HAL_OUTPUT_TOO_LARGE');
    expect(probeHal(read('malformed/bomb-over-64k.hal'))).toBeNull();
  });
  it('copy-past-64k.hal: copy reading past 0xFFFF refused', () => {
    const error = catchError(() => decodeHal(read('malformed/copy-past-64k.hal')));
    expect(error).toBeInstanceOf(HalCopyOutOfRangeError);
    expect((error as HalCopyOutOfRangeError).details).toMatchObject({ offset: 2, source: 0xffff, count: 32 });
  });
  it('backward-before-start.hal: backward copy before 0 refused', () => {
    const error = catchError(() => decodeHal(read('malformed/backward-before-start.hal')));
    expect(error).toBeInstanceOf(HalBackwardCopyBeforeStartError);
    expect((error as HalBackwardCopyBeforeStartError).details).toMatchObject({ offset: 3, source: 1, count: 5 });
  });
  it('trailing-garbage.hal: decodes, packed length exactly 6,897 (that of tiles4bpp_32k.L2.hal)', () => {
    const packed = read('malformed/trailing-garbage.hal');
    const result = decodeHal(packed);
    expect(result.packedLength).toBe(6897);
    expect(result.packedLength).toBe(read('tiles4bpp_32k.L2.hal').length);
    expect(result.data).toEqual(read('tiles4bpp_32k.bin'));
    expect(probeHal(packed)?.packedLength).toBe(6897);
  });
  it('the scratch buffer is clean after a failed decode (a later copy of unwritten output reads 0)', () => {
    expect(() => decodeHal(read('malformed/bomb-over-64k.hal'))).toThrow(HalOutputTooLargeError);
    // Literal 'A', then a forward copy of 4 bytes from position 5, not yet written: zeros (exhal).
    expect(decodeHal(bytes(0x00, 0x41, 0x83, 0x00, 0x05, 0xff)).data).toEqual(bytes(0x41, 0, 0, 0, 0));
  });
});

describe('HAL command kinds', () => {
  it('decodes every kind, short and long form', () => {
    const stream = bytes(
      0x01, 0x12, 0x34, // literal 2
      0x22, 0xaa, // byte fill ×3
      0x41, 0x01, 0x02, // word fill ×2 words
      0x63, 0xfe, // counting fill ×4 from 0xFE: wraps (FE FF 00 01)
      0x81, 0x00, 0x00, // forward copy 2 from 0
      0xa1, 0x00, 0x00, // bit-reversed copy 2 from 0: rev(12)=48 rev(34)=2C
      0xc2, 0x00, 0x04, // backward copy 3 from 4: out[4], out[3], out[2]
      0xe4, 0x00, 0x55, // long byte fill ×1
      0xff,
    );
    const expected = bytes(0x12, 0x34, 0xaa, 0xaa, 0xaa, 0x01, 0x02, 0x01, 0x02, 0xfe, 0xff, 0x00, 0x01, 0x12, 0x34, 0x48, 0x2c, 0xaa, 0xaa, 0xaa, 0x55);
    expect(decodeHal(stream).data).toEqual(expected);
    expect(decodeHal(stream).packedLength).toBe(stream.length);
  });
  it('long-form kind 7 (0xFC-0xFE) behaves exactly like kind 4', () => {
    const kind7 = bytes(0x01, 0x41, 0x42, 0xfc, 0x05, 0x00, 0x00, 0xff);
    const kind4 = bytes(0x01, 0x41, 0x42, 0xf0, 0x05, 0x00, 0x00, 0xff);
    expect(decodeHal(kind7).data).toEqual(decodeHal(kind4).data);
    expect(decodeHal(kind7).data).toEqual(bytes(0x41, 0x42, 0x41, 0x42, 0x41, 0x42, 0x41, 0x42));
    expect(() => decodeHal(bytes(0x00, 0x41, 0xfe, 0x00, 0xff, 0xff))).toThrow(HalCopyOutOfRangeError);
  });
  it('a truncated operand is a truncation, located at the missing byte', () => {
    for (const stream of [bytes(0x03, 0x01), bytes(0x20), bytes(0x40, 0x01), bytes(0x80, 0x00), bytes(0xe0)]) {
      expect(() => decodeHal(stream)).toThrow(HalStreamTruncatedError);
      expect(probeHal(stream)).toBeNull();
    }
  });
  it('honours a smaller caller limit and the offset argument', () => {
    const stream = bytes(0x99, 0x99, 0x27, 0x00, 0xff); // garbage, then byte fill ×8 of 0
    expect(decodeHal(stream, 2).data).toEqual(new Uint8Array(8));
    expect(decodeHal(stream, 2).packedLength).toBe(3);
    expect(() => decodeHal(stream, 2, { maximumOutputSizeInBytes: 7 })).toThrow(HalOutputTooLargeError);
    expect(probeHal(stream, 2, { maximumOutputSizeInBytes: 7 })).toBeNull();
    expect(() => decodeHal(stream, 6)).toThrow(InvalidArgumentError);
  });
});

describe('HAL encoder golden vectors and limits (hal.md)', () => {
  const cases: [number[], number[], number[]][] = [
    [[0x41], [1, 2, 3, 4], [0x00, 0x41, 0xff]],
    [[0x41, 0x42, 0x43], [2], [0x62, 0x41, 0xff]],
    [Array(10).fill(0), [1, 2], [0x29, 0x00, 0xff]],
    [[0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78], [1, 2], [0x03, 0x12, 0x34, 0x56, 0x78, 0x83, 0x00, 0x00, 0xff]],
    [[0xab, 0xcd, 0xab, 0xcd, 0xab, 0xcd, 0xab, 0xcd, 0xab, 0xcd, 0xab, 0xcd], [1, 2], [0x45, 0xab, 0xcd, 0xff]],
  ];
  for (const [input, levels, packed] of cases) {
    it(`${Buffer.from(input).toString('hex')} → ${Buffer.from(packed).toString('hex')}`, () => {
      for (const level of levels) expect(encodeHal(new Uint8Array(input), level as 1 | 2 | 3 | 4)).toEqual(new Uint8Array(packed));
    });
  }
  it('empty input encodes to the terminator alone', () => {
    expect(encodeHal(new Uint8Array(0), 2)).toEqual(bytes(0xff));
    expect(getCodec('hal').compress(new Uint8Array(0), { level: 'max' })).toEqual(bytes(0xff));
  });
  it('refuses output that would not fit 65,535 bytes (incompressible 64 KiB) with HalPackedTooLargeError', () => {
    const input = new Uint8Array(65536);
    let x = 1;
    for (let i = 0; i < input.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      input[i] = x & 0xff;
    }
    for (const level of ['1', '2', '3', '4', 'max']) expect(() => getCodec('hal').compress(input, { level })).toThrow(HalPackedTooLargeError);
  });
  it('refuses oversize65537.bin (65,537 bytes) at every level with a clear error', () => {
    const input = read('oversize65537.bin');
    expect(input.length).toBe(65537);
    for (const level of ['1', '2', '3', '4', 'max']) {
      const error = catchError(() => getCodec('hal').compress(input, { level }));
      expect(error).toBeInstanceOf(CodecInputTooLargeError);
      expect((error as Error).message).toContain('65536');
    }
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
