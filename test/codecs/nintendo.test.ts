/**
 * The Nintendo family (lc-lz1, lc-lz2, lc-lz3, lc-lz5, konami1, gen1-pic) against the golden
 * vectors in fixtures/codecs/: every reference stream decodes to its input with its exact
 * packed length, every malformed stream gets its typed error, and `max` is never larger than
 * the smallest reference output on any vector.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCodec } from '../../src/codecs/index.js';
import { isRomgfxError } from '../../src/errors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/codecs');
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(join(root, path)));

const folders: { folder: string; codec: string }[] = [
  { folder: 'lz1', codec: 'lc-lz1' },
  { folder: 'lz2', codec: 'lc-lz2' },
  { folder: 'lz3', codec: 'lc-lz3' },
  { folder: 'lz5', codec: 'lc-lz5' },
  { folder: 'konami1', codec: 'konami1' },
  { folder: 'pic', codec: 'gen1-pic' },
];

/** Each input with its reference streams (several for lz3: sfc-comp and pokecrystal). */
function vectors(folder: string, sub = ''): { name: string; input: Uint8Array; references: { file: string; bytes: Uint8Array }[] }[] {
  const directory = sub ? `${folder}/${sub}` : folder;
  const files = readdirSync(join(root, directory));
  return files
    .filter((file) => file.endsWith('.bin'))
    .map((file) => {
      const stem = file.slice(0, -4);
      const references = files
        .filter((other) => other !== file && other.startsWith(`${stem}.`) && !other.endsWith('.md'))
        .map((other) => ({ file: other, bytes: read(`${directory}/${other}`) }));
      return { name: stem, input: read(`${directory}/${file}`), references };
    });
}

/** What each malformed stream must give (the folder READMEs' "expected result" column). */
const malformed: Record<string, Record<string, string>> = {
  lz1: { 'copy_ahead.lz1': 'ERR_CODEC_CORRUPT', 'no_terminator.lz1': 'ERR_CODEC_TRUNCATED', 'overlong_output.lz1': 'ERR_CODEC_OUTPUT_LIMIT', 'truncated_literal.lz1': 'ERR_CODEC_TRUNCATED', 'unused_cmd5.lz1': 'ERR_CODEC_CORRUPT' },
  lz2: { 'copy_ahead.lz2': 'ERR_CODEC_CORRUPT', 'no_terminator.lz2': 'ERR_CODEC_TRUNCATED', 'overlong_output.lz2': 'ERR_CODEC_OUTPUT_LIMIT', 'truncated_literal.lz2': 'ERR_CODEC_TRUNCATED', 'unused_cmd5.lz2': 'ERR_CODEC_CORRUPT' },
  lz3: {
    'abs_ahead.lz3': 'ERR_CODEC_CORRUPT',
    'long_inner_cmd7.lz3': 'ERR_CODEC_CORRUPT',
    'no_terminator.lz3': 'ERR_CODEC_TRUNCATED',
    'overlong_output.lz3': 'ERR_CODEC_OUTPUT_LIMIT',
    'rel_before_start.lz3': 'ERR_CODEC_CORRUPT',
    'reverse_before_start.lz3': 'ERR_CODEC_CORRUPT',
    'truncated_literal.lz3': 'ERR_CODEC_TRUNCATED',
  },
  lz5: {
    'abs_ahead.lz5': 'ERR_CODEC_CORRUPT',
    'no_terminator.lz5': 'ERR_CODEC_TRUNCATED',
    'overlong_output.lz5': 'ERR_CODEC_OUTPUT_LIMIT',
    'rel_before_start.lz5': 'ERR_CODEC_CORRUPT',
    'rel_distance_zero.lz5': 'ERR_CODEC_CORRUPT',
    'truncated_literal.lz5': 'ERR_CODEC_TRUNCATED',
  },
  konami1: {
    'cmd_past_header_end.lz12': 'ERR_CODEC_CORRUPT',
    'header_past_end.lz12': 'ERR_CODEC_TRUNCATED',
    'header_too_small.lz12': 'ERR_CODEC_CORRUPT',
    'literal_len0.lz12': 'ERR_CODEC_CORRUPT',
    'lz_before_start.lz12': 'ERR_CODEC_CORRUPT',
  },
  pic: { 'not_square.pic': 'ERR_CODEC_CORRUPT', 'rle_prefix_overflow.pic': 'ERR_CODEC_CORRUPT', 'truncated.pic': 'ERR_CODEC_TRUNCATED', 'zero_size_header.pic': 'ERR_CODEC_CORRUPT' },
};

/** Byte equality without vitest's element-by-element diff machinery (slow on 64 KiB arrays). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

function errorCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return isRomgfxError(error) ? error.code : `untyped ${String(error)}`;
  }
  return 'no error';
}

describe('Nintendo-family codecs: golden vectors', () => {
  for (const { folder, codec: name } of folders) {
    const codec = getCodec(name);
    const all = [...vectors(folder), ...(folder === 'pic' ? [] : vectors(folder, 'examples'))];

    it(`${name}: every reference stream decodes to its input with its exact packed length; probe agrees; trailing bytes are not counted`, () => {
      let streams = 0;
      for (const { name: vector, input, references } of all) {
        expect(references.length, vector).toBeGreaterThan(0);
        for (const { file, bytes } of references) {
          const result = codec.decompress(bytes);
          expect(same(result.data, input), file).toBe(true);
          expect(result.packedLength, file).toBe(bytes.length);
          expect(codec.probe(bytes), file).toEqual({ packedLength: bytes.length, unpackedLength: input.length });
          // In a ROM the stream is followed by other data, and may start anywhere.
          const inRom = new Uint8Array(bytes.length + 40).fill(0x5a);
          inRom.set(bytes, 7);
          expect(codec.decompress(inRom, 7).packedLength, file).toBe(bytes.length);
          streams++;
        }
      }
      expect(streams).toBeGreaterThanOrEqual(all.length);
    });

    it(`${name}: every malformed stream gets the typed error its README names; probe rejects it`, () => {
      const expected = malformed[folder]!;
      expect(readdirSync(join(root, folder, 'malformed')).sort()).toEqual(Object.keys(expected).sort());
      for (const [file, code] of Object.entries(expected)) {
        const bytes = read(`${folder}/malformed/${file}`);
        expect(errorCode(() => codec.decompress(bytes)), file).toBe(code);
        expect(codec.probe(bytes), file).toBeNull();
      }
    });

    it(`${name}: max is never larger than the smallest reference output, and decodes back`, () => {
      for (const { name: vector, input, references } of all) {
        const smallest = Math.min(...references.map((reference) => reference.bytes.length));
        const packed = codec.compress(input, { level: 'max' });
        expect(packed.length, `${vector}: ${packed.length} vs reference ${smallest}`).toBeLessThanOrEqual(smallest);
        expect(same(codec.decompress(packed).data, input), vector).toBe(true);
      }
    });
  }
});
