/**
 * Nintendo-family codecs (lc-lz1/2/3/5, konami1, gen1-pic) on the golden vectors' tile-like
 * inputs (fixtures/codecs/): decode MB/s of uncompressed data beside zlib inflate of the same
 * data in the same run (goal ≥ 200 MB/s), and the `max` encoder's size and time per vector
 * beside the smallest reference output (sfc-comp / pokecrystal / pokered), and `fast` beside
 * them. Medians of runs. The codecs run with the engine's kernels (the native konami1 decoder
 * when the addon loads); a second table puts the TypeScript and native konami1 decoders side by
 * side with inflate, in wall and CPU time.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { header, mbPerSecond, measure, table, wallAndCpuRate } from '../harness.js';
import { getCodec } from '../../src/codecs/registry.js';
import { typescriptKonami1Kernels } from '../../src/codecs/nintendo/konami1.js';
import { nativeKonami1Kernels } from '../../src/native/index.js';

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

const native = nativeKonami1Kernels();
header(`konami1 decode: TypeScript vs native (${native ? 'addon loaded' : 'addon NOT loaded'}) beside zlib inflate, MB/s of output (median; wall / per CPU-second)`);
const konamiRows: (string | number)[][] = [['input', 'bytes', 'packed', 'inflate wall', 'ts wall', 'native wall', 'inflate cpu', 'ts cpu', 'native cpu', 'ts / inflate', 'native / inflate', 'native / ts']];
for (const file of readdirSync(join(root, 'konami1')).filter((f) => f.endsWith('.lz12')).sort()) {
  const packed = read(join('konami1', file));
  const data = typescriptKonami1Kernels.decode(packed).data;
  if (data.length < 1024) continue;
  const deflated = deflateSync(data, { level: 6 });
  const inflate = await wallAndCpuRate(minimumSampleMs, () => inflateSync(deflated), data.length, 9);
  const ts = await wallAndCpuRate(minimumSampleMs, () => typescriptKonami1Kernels.decode(packed), data.length, 9);
  const nat = native ? await wallAndCpuRate(minimumSampleMs, () => native.decode(packed), data.length, 9) : { wall: Number.NaN, cpu: Number.NaN };
  konamiRows.push([file, data.length, packed.length, inflate.wall, ts.wall, nat.wall, inflate.cpu, ts.cpu, nat.cpu, ts.wall / inflate.wall, nat.wall / inflate.wall, nat.wall / ts.wall]);
}
table(konamiRows);
