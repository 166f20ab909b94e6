/**
 * Nintendo-family codecs (lc-lz1/2/3/5, konami1, gen1-pic) on the golden vectors' tile-like
 * inputs (fixtures/codecs/): decode MB/s of uncompressed data beside zlib inflate of the same
 * data in the same run (goal ≥ 200 MB/s), and the `max` encoder's size and time per vector
 * beside the smallest reference output (sfc-comp / pokecrystal / pokered), and `fast` beside
 * them. Medians of runs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { header, mbPerSecond, measure, table } from '../harness.js';
import { getCodec } from '../../src/codecs/registry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/codecs');
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(join(root, path)));

const folders: [string, string][] = [
  ['lz1', 'lc-lz1'],
  ['lz2', 'lc-lz2'],
  ['lz3', 'lc-lz3'],
  ['lz5', 'lc-lz5'],
  ['konami1', 'konami1'],
  ['pic', 'gen1-pic'],
];
/** The tile-like inputs (noise and the trivial ones are left to the tests). */
const tileLike = new Set(['tiles_2bpp_4k', 'tiles_4bpp_8k', 'tileset_4bpp_24k', 'mixed_64k', 'mixed_32k', 'runs', 'blob_7x7', 'checker_15x15', 'stripes_4x4']);

/** Samples at least `minimumSampleMs` long: short calls are repeated inside one sample. */
const minimumSampleMs = 20;
async function rate(fn: () => unknown, bytes: number, runs: number): Promise<number> {
  for (let k = 0; k < 3; k++) fn();
  const start = performance.now();
  fn();
  const once = Math.max(0.001, performance.now() - start);
  const repeats = Math.max(1, Math.ceil(minimumSampleMs / once));
  const sample = await measure(() => {
    for (let k = 0; k < repeats; k++) fn();
  }, runs);
  return mbPerSecond(bytes * repeats, sample.medianMs);
}

header('codecs-nintendo: decode MB/s of uncompressed data (median) beside zlib inflate; max size/time beside the smallest reference');
const decodeRows: (string | number)[][] = [['codec', 'input', 'bytes', 'reference packed', 'decode MB/s', 'zlib inflate MB/s', 'decode / inflate']];
const encodeRows: (string | number)[][] = [['codec', 'input', 'bytes', 'smallest reference', 'max size', 'max - reference', 'max ms (median)', 'fast size', 'fast ms (median)']];
for (const [folder, name] of folders) {
  const codec = getCodec(name);
  const files = readdirSync(join(root, folder));
  for (const file of files.filter((f) => f.endsWith('.bin')).sort()) {
    const stem = file.slice(0, -4);
    if (!tileLike.has(stem)) continue;
    const data = read(`${folder}/${file}`);
    const references = files.filter((f) => f !== file && f.startsWith(`${stem}.`)).map((f) => read(`${folder}/${f}`));
    const smallest = references.reduce((a, b) => (b.length < a.length ? b : a));
    const decodeRate = await rate(() => codec.decompress(smallest), data.length, 9);
    const deflated = deflateSync(data, { level: 6 });
    const inflateRate = await rate(() => inflateSync(deflated), data.length, 9);
    decodeRows.push([name, stem, data.length, smallest.length, decodeRate, inflateRate, decodeRate / inflateRate]);
    const packed = codec.compress(data, { level: 'max' });
    const time = await measure(() => codec.compress(data, { level: 'max' }), 5);
    const row: (string | number)[] = [name, stem, data.length, smallest.length, packed.length, packed.length - smallest.length, time.medianMs];
    if (codec.levels.includes('fast')) {
      const fast = codec.compress(data, { level: 'fast' });
      const fastTime = await measure(() => codec.compress(data, { level: 'fast' }), 5);
      row.push(fast.length, fastTime.medianMs);
    } else {
      row.push('-', '-');
    }
    encodeRows.push(row);
  }
}
table(decodeRows);
console.log('');
table(encodeRows);
