/**
 * Sega codecs part A (nemesis, kosinski, kosinski-moduled, enigma) on the golden vectors'
 * inputs (fixtures/codecs): decode MB/s of uncompressed output beside zlib inflate of the same
 * data in the same run (goal: at least 200 MB/s), and the `max` encoder's size and time per
 * vector beside the smallest reference tool's output from the folder's README table. The codecs
 * run with the engine's kernels (the native Nemesis decoder when the addon loads); a second table
 * puts the TypeScript and native Nemesis decoders side by side with inflate, in wall and CPU time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { header, mbPerSecond, measure, table, wallAndCpuRate } from '../harness.js';
import { getCodec } from '../../src/codecs/registry.js';
import { typescriptNemesisKernels } from '../../src/codecs/sega/nemesis.js';
import { nativeNemesisKernels } from '../../src/native/index.js';

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

const native = nativeNemesisKernels();
header(`Nemesis decode: TypeScript vs native (${native ? 'addon loaded' : 'addon NOT loaded'}) beside zlib inflate, MB/s of output (median; wall / per CPU-second)`);
const nemesisRows: (string | number)[][] = [['input', 'bytes', 'packed', 'inflate wall', 'ts wall', 'native wall', 'inflate cpu', 'ts cpu', 'native cpu', 'ts / inflate', 'native / inflate', 'native / ts']];
const nemesisFiles = readdirSync(folderPath('nemesis')).filter((f) => f.endsWith('.nem')).sort();
for (const file of nemesisFiles) {
  const packed = new Uint8Array(readFileSync(join(folderPath('nemesis'), file)));
  const data = typescriptNemesisKernels.decode(packed).data;
  if (data.length < minimumInputForThroughputInBytes) continue;
  const deflated = deflateSync(data, { level: 6 });
  const inflate = await wallAndCpuRate(minimumSampleMs, () => inflateSync(deflated), data.length, 9);
  const ts = await wallAndCpuRate(minimumSampleMs, () => typescriptNemesisKernels.decode(packed), data.length, 9);
  const nat = native ? await wallAndCpuRate(minimumSampleMs, () => native.decode(packed), data.length, 9) : { wall: Number.NaN, cpu: Number.NaN };
  nemesisRows.push([file, data.length, packed.length, inflate.wall, ts.wall, nat.wall, inflate.cpu, ts.cpu, nat.cpu, ts.wall / inflate.wall, nat.wall / inflate.wall, nat.wall / ts.wall]);
}
table(nemesisRows);
