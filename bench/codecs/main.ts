/**
 * Codec throughput: decompression and compression MB/s (of uncompressed bytes) per codec and
 * level on the vector inputs, medians of several runs, beside zlib (native deflate/inflate,
 * level 6) measured in the same run on the same input as the baseline.
 */
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { header, mbPerSecond, measure, table } from '../harness.js';
import { getCodec } from '../../src/codecs/registry.js';
import type { CompressOptions, DecodeLimits } from '../../src/codecs/types.js';
import { vectorTables } from './vectors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(join(root, 'fixtures', path)));

interface Case {
  codec: string;
  label: string;
  options: CompressOptions;
  input: string;
  data: Uint8Array;
  limits?: (data: Uint8Array) => DecodeLimits;
}

const hal = ['varied16k', 'tiles4bpp_32k', 'max64k'];
const cases: Case[] = [];
for (const name of hal) {
  for (const level of ['1', '2', '3', '4', 'max']) cases.push({ codec: 'hal', label: `hal ${level}`, options: { level }, input: name, data: read(`hal/${name}.bin`) });
}
for (const name of ['main_c', 'tiles4bpp_32k']) {
  const data = name === 'main_c' ? read('gba-bios/main_c.bin') : read('hal/tiles4bpp_32k.bin');
  cases.push({ codec: 'lz77', label: 'lz77', options: {}, input: name, data });
  cases.push({ codec: 'lz77', label: 'lz77 vram-safe', options: { vramSafe: true }, input: name, data });
  cases.push({ codec: 'lz11', label: 'lz11', options: {}, input: name, data });
  cases.push({ codec: 'rle', label: 'rle', options: {}, input: name, data });
}
for (const name of ['tiles4bpp_32k', 'max64k']) {
  const data = read(`hal/${name}.bin`);
  cases.push({ codec: 'lz4', label: 'lz4 fast', options: { level: 'fast' }, input: name, data });
  cases.push({ codec: 'lz4', label: 'lz4 high', options: { level: 'high' }, input: name, data });
  cases.push({ codec: 'pb16', label: 'pb16', options: {}, input: name, data, limits: (d) => ({ outputSizeInBytes: d.length }) });
}

const decodeOnly: [string, string][] = [
  ['huffman', 'gba-bios/main_c_huff_4.bin'],
  ['huffman', 'gba-bios/main_c_huff_8.bin'],
  ['diff', 'gba-bios/main_c_diff_8.bin'],
  ['diff', 'gba-bios/main_c_diff_16.bin'],
];

header('codecs: throughput in MB/s of uncompressed data (median of runs); baseline zlib level 6 on the same input');
/** Samples at least `minimumSampleMs` long: short calls are repeated inside one sample. */
const minimumSampleMs = 20;
async function rate(fn: () => unknown, bytes: number, runs: number): Promise<number> {
  for (let k = 0; k < 3; k++) fn(); // warm the JIT
  const start = performance.now();
  fn();
  const once = Math.max(0.001, performance.now() - start);
  const repeats = Math.max(1, Math.ceil(minimumSampleMs / once));
  const sample = await measure(() => {
    for (let k = 0; k < repeats; k++) fn();
  }, runs);
  return mbPerSecond(bytes * repeats, sample.medianMs);
}

const rows: (string | number)[][] = [['codec / level', 'input', 'bytes', 'packed', 'compress MB/s', 'decompress MB/s', 'zlib deflate', 'zlib inflate', 'decomp / inflate']];
const baselines = new Map<string, { deflate: number; inflate: number }>();
async function baseline(input: string, data: Uint8Array): Promise<{ deflate: number; inflate: number }> {
  let known = baselines.get(input);
  if (!known) {
    const deflated = deflateSync(data, { level: 6 });
    known = { deflate: await rate(() => deflateSync(data, { level: 6 }), data.length, 9), inflate: await rate(() => inflateSync(deflated), data.length, 9) };
    baselines.set(input, known);
  }
  return known;
}

for (const c of cases) {
  const codec = getCodec(c.codec);
  const packed = codec.compress(c.data, c.options);
  const limits = c.limits?.(c.data);
  const slow = c.label.startsWith('hal 3') || c.label.startsWith('hal 4') || c.label.startsWith('hal max');
  const compressRate = await rate(() => codec.compress(c.data, c.options), c.data.length, slow ? 5 : 9);
  const decompressRate = await rate(() => codec.decompress(packed, 0, limits), c.data.length, 9);
  const base = await baseline(c.input, c.data);
  rows.push([c.label, c.input, c.data.length, packed.length, compressRate, decompressRate, base.deflate, base.inflate, decompressRate / base.inflate]);
}
for (const [codecName, file] of decodeOnly) {
  const packed = read(file);
  const codec = getCodec(codecName);
  const size = codec.decompress(packed).data.length;
  const decompressRate = await rate(() => codec.decompress(packed), size, 9);
  const base = await baseline('main_c', read('gba-bios/main_c.bin'));
  rows.push([`${codecName} (${file.split('_').pop()!.replace('.bin', '')})`, 'main_c', size, packed.length, '-', decompressRate, base.deflate, base.inflate, decompressRate / base.inflate]);
}
table(rows);

header('codecs with golden vectors (fixtures/codecs): decode MB/s of each vector beside zlib inflate of the same data; max level size and median ms beside the smallest reference size ("—": no README size table)');
const vectors = await vectorTables(join(root, 'fixtures'), rate);
table(vectors.decode);
table(vectors.max);
