/**
 * Sega codecs part A (nemesis, kosinski, kosinski-moduled, enigma) on the golden vectors'
 * inputs (fixtures/codecs): decode MB/s of uncompressed output beside zlib inflate of the same
 * data in the same run (goal: at least 200 MB/s), and the `max` encoder's size and time per
 * vector beside the smallest reference tool's output from the folder's README table. The codecs
 * run with the engine's kernels (the native decoders when the addon loads); a second table puts
 * the TypeScript and native decoders of every Sega codec with a native kernel (Nemesis, Kosinski,
 * Kosinski Moduled, Saxman, Comper, LZ4W) side by side with inflate, in wall and CPU time; the
 * ratios are of CPU time, which the other builds sharing the machine disturb least.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { header, mbPerSecond, measure, table, wallAndCpuRate } from '../harness.js';
import { getCodec } from '../../src/codecs/registry.js';
import { typescriptNemesisKernels } from '../../src/codecs/sega/nemesis.js';
import { typescriptKosinskiKernels } from '../../src/codecs/sega/kosinski.js';
import { typescriptKosinskiModuledKernels } from '../../src/codecs/sega/kosinski-moduled.js';
import { typescriptSaxmanKernels } from '../../src/codecs/sega/saxman.js';
import { typescriptComperKernels } from '../../src/codecs/sega/comper.js';
import { typescriptLz4wKernels } from '../../src/codecs/sega/lz4w.js';
import type { DecodeKernels } from '../../src/codecs/sega/common.js';
import { nativeComperKernels, nativeKosinskiKernels, nativeKosinskiModuledKernels, nativeLz4wKernels, nativeNemesisKernels, nativeSaxmanKernels } from '../../src/native/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const folderPath = (folder: string): string => join(root, 'fixtures/codecs', folder);

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

const codecs: [string, string, string][] = [
  ['nemesis', 'nemesis', '.nem'],
  ['kosinski', 'kosinski', '.kos'],
  ['kosinski-moduled', 'kosm', '.kosm'],
  ['enigma', 'enigma', '.eni'],
];
/** Inputs under 1 KiB time the call overhead, not the decoder. */
const minimumInputForThroughputInBytes = 1024;

header('Sega codecs part A: decode MB/s (uncompressed bytes, median) beside zlib inflate; max size and time vs the smallest reference');
const rows: (string | number)[][] = [['codec', 'input', 'bytes', 'smallest ref', 'max', 'max / ref', 'max ms', 'accurate', 'decode MB/s', 'inflate MB/s', 'decode / inflate']];
for (const [name, folder, extension] of codecs) {
  const codec = getCodec(name);
  const files = readdirSync(folderPath(folder)).filter((f) => f.endsWith(extension));
  const stems = [...new Set(files.map((f) => f.split('.')[0]!))].sort();
  for (const stem of stems) {
    const data = new Uint8Array(readFileSync(join(folderPath(folder), `${stem}.bin`)));
    const references = files.filter((f) => f.split('.')[0] === stem).map((f) => readFileSync(join(folderPath(folder), f)).length);
    const smallest = Math.min(...references);
    codec.compress(data, { level: 'max' });
    const t0 = performance.now();
    const packed = codec.compress(data, { level: 'max' });
    const maxMs = performance.now() - t0;
    const accurate = codec.levels.includes('accurate') ? codec.compress(data, { level: 'accurate' }).length : '-';
    let decodeRate: number | string = '-';
    let inflateRate: number | string = '-';
    let ratio: number | string = '-';
    if (data.length >= minimumInputForThroughputInBytes) {
      const deflated = deflateSync(data, { level: 6 });
      decodeRate = await rate(() => codec.decompress(packed), data.length, 9);
      inflateRate = await rate(() => inflateSync(deflated), data.length, 9);
      ratio = decodeRate / inflateRate;
    }
    rows.push([name, stem, data.length, smallest, packed.length, packed.length / smallest, maxMs, accurate, decodeRate, inflateRate, ratio]);
  }
}
table(rows);

/** Every Sega codec with a native kernel: the TypeScript reference and the native kernels, on each vector's inputs. */
const kernelCodecs: [string, string, string, DecodeKernels, DecodeKernels | null][] = [
  ['nemesis', 'nemesis', '.nem', typescriptNemesisKernels, nativeNemesisKernels()],
  ['kosinski', 'kosinski', '.kos', typescriptKosinskiKernels, nativeKosinskiKernels()],
  ['kosinski-moduled', 'kosm', '.kosm', typescriptKosinskiModuledKernels, nativeKosinskiModuledKernels()],
  ['saxman', 'saxman', '.sax', typescriptSaxmanKernels, nativeSaxmanKernels()],
  ['comper', 'comper', '.comp', typescriptComperKernels, nativeComperKernels()],
  ['lz4w', 'lz4w', '.lz4w', typescriptLz4wKernels, nativeLz4wKernels()],
];
header(
  `Sega decoders: TypeScript vs native (${nativeNemesisKernels() ? 'addon loaded' : 'addon NOT loaded'}) beside zlib inflate, MB/s of output (median; wall / per CPU-second); one stream per input (the smallest reference tool's)`,
);
const kernelRows: (string | number)[][] = [['codec', 'input', 'bytes', 'packed', 'inflate wall', 'ts wall', 'native wall', 'inflate cpu', 'ts cpu', 'native cpu', 'ts / inflate', 'native / inflate', 'native / ts']];
for (const [name, folder, extension, ts, nat] of kernelCodecs) {
  const files = readdirSync(folderPath(folder)).filter((f) => f.endsWith(extension));
  const stems = [...new Set(files.map((f) => f.split('.')[0]!))].sort();
  for (const stem of stems) {
    const streams = files.filter((f) => f.split('.')[0] === stem).map((f) => new Uint8Array(readFileSync(join(folderPath(folder), f))));
    const packed = streams.reduce((a, b) => (b.length < a.length ? b : a));
    const data = ts.decode(packed).data;
    if (data.length < minimumInputForThroughputInBytes) continue;
    const deflated = deflateSync(data, { level: 6 });
    const inflate = await wallAndCpuRate(minimumSampleMs, () => inflateSync(deflated), data.length, 9);
    const tsRate = await wallAndCpuRate(minimumSampleMs, () => ts.decode(packed), data.length, 9);
    const natRate = nat ? await wallAndCpuRate(minimumSampleMs, () => nat.decode(packed), data.length, 9) : { wall: Number.NaN, cpu: Number.NaN };
    kernelRows.push([name, stem, data.length, packed.length, inflate.wall, tsRate.wall, natRate.wall, inflate.cpu, tsRate.cpu, natRate.cpu, tsRate.cpu / inflate.cpu, natRate.cpu / inflate.cpu, natRate.cpu / tsRate.cpu]);
  }
}
table(kernelRows);
