/**
 * Native addon versus the TypeScript reference, kernel by kernel, in the same run:
 * - HAL compression time per level (1–4, max) for every fixtures/hal input, in-process medians,
 *   TypeScript and native side by side with the speed-up;
 * - tiles4bpp_32k.bin in a fresh process (process start included, as the C `inhal` figures
 *   quoted in issue 7 are): a lean process loading only the codec and native glue
 *   (compress-once.ts), and the whole CLI (`romgfx compress`);
 * - HAL decode and probe, MB/s of output;
 * - tile decode/encode for the planar and packed formats, MB/s of tile bytes, for a large batch
 *   and for a 16-tile call (where the N-API call overhead shows).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { header, mbPerSecond, measure, median, table, pseudoRandomBytes } from '../harness.js';
import { typescriptHalKernels, type HalKernels } from '../../src/codecs/hal/kernels.js';
import { tileFormats } from '../../src/gfx/formats.js';
import { nativeHalKernels, nativeStatus, nativeTileKernels, typescriptTileKernels, type TileKernels } from '../../src/native/index.js';
import { PACKAGE_ROOT } from '../../src/version.js';

const status = nativeStatus();
if (!status.loaded) {
  console.error(`native addon not loaded: ${status.reason}`);
  process.exit(1);
}
const native: HalKernels = nativeHalKernels()!;
const nativeTiles: TileKernels = nativeTileKernels()!;
const halDir = join(PACKAGE_ROOT, 'fixtures', 'hal');
const inputs = readdirSync(halDir)
  .filter((name) => name.endsWith('.bin') && !name.startsWith('oversize'))
  .sort()
  .map((name) => ({ name, data: new Uint8Array(readFileSync(join(halDir, name))) }));
const levels = ['1', '2', '3', '4', 'max'] as const;
type Level = (typeof levels)[number];

/** inhal (C) on tiles4bpp_32k.bin, process start included (issue 7). `max` has no inhal level: the goal is < 1 s. */
const inhalMs: Record<Level, number | undefined> = { '1': 12, '2': 38, '3': 235, '4': 1000, max: undefined };

function compress(kernels: HalKernels, data: Uint8Array, level: Level): Uint8Array {
  return level === 'max' ? kernels.encodeOptimal(data) : kernels.encode(data, Number(level) as 1 | 2 | 3 | 4);
}

/** Fewer runs where the TypeScript side takes long (whole 64 KiB at level 4/max). */
function runsFor(size: number, level: Level): number {
  if (size < 8192) return 15;
  return level === '3' || level === '4' || level === 'max' ? 5 : 9;
}

header('native vs TypeScript: HAL compression, ms per call (median), every fixtures/hal input');
const compressRows: (string | number)[][] = [['input', 'bytes', 'level', 'packed', 'TypeScript ms', 'native ms', 'speed-up']];
for (const { name, data } of inputs) {
  for (const level of levels) {
    const expected = compress(typescriptHalKernels, data, level);
    const actual = compress(native, data, level);
    if (Buffer.compare(expected, actual) !== 0) throw new Error(`${name} level ${level}: native and TypeScript bytes differ`);
    const runs = runsFor(data.length, level);
    const ts = await measure(() => compress(typescriptHalKernels, data, level), runs);
    const nat = await measure(() => compress(native, data, level), runs);
    compressRows.push([name, data.length, level, actual.length, ts.medianMs, nat.medianMs, `${(ts.medianMs / nat.medianMs).toFixed(1)}x`]);
  }
}
table(compressRows);

header('tiles4bpp_32k.bin in a fresh process, wall ms with process start (median of 5), beside the C inhal figures of issue 7');
{
  const scratch = mkdtempSync(join(tmpdir(), 'romgfx-bench-native-'));
  const cli = join(PACKAGE_ROOT, 'bin', 'romgfx.js');
  const once = join(PACKAGE_ROOT, 'dist', 'bench', 'native', 'compress-once.js');
  const input = join(halDir, 'tiles4bpp_32k.bin');
  // NaN when the command fails (printed as such, with the reason below the table).
  const failures: string[] = [];
  const timed = (args: string[], nativeOn: boolean): number => {
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      const result = spawnSync(process.execPath, args, {
        env: { ...process.env, ROMGFX_NATIVE: nativeOn ? '1' : '0' },
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      });
      times.push(performance.now() - start);
      if (result.status !== 0) {
        failures.push(`${args.slice(0, 2).join(' ')} … exited ${result.status}: ${(result.stderr ?? '').trim().split('\n')[0]}`);
        return Number.NaN;
      }
    }
    return median(times);
  };
  const bareNode = timed(['-e', '0'], true);
  const bareCli = timed([cli, 'version', '--json'], true);
  const rows: (string | number)[][] = [['level', 'inhal ms (reference)', 'node + HAL glue, native', 'same, TypeScript', 'romgfx compress CLI, native', 'CLI, TypeScript', 'glue native vs inhal']];
  for (const level of levels) {
    const output = join(scratch, `out-${level}.hal`);
    const onceNative = timed([once, input, level, output], true);
    const onceTs = timed([once, input, level, output], false);
    const cliNative = timed([cli, 'compress', input, '--codec', 'hal', '--level', level, '-o', output, '--force'], true);
    const cliTs = timed([cli, 'compress', input, '--codec', 'hal', '--level', level, '-o', output, '--force'], false);
    const reference = inhalMs[level];
    const verdict = reference ? `${(reference / onceNative).toFixed(2)}x` : onceNative < 1000 ? 'goal < 1000 ms met' : 'goal < 1000 ms MISSED';
    rows.push([level, reference ?? 'goal < 1000', onceNative, onceTs, cliNative, cliTs, verdict]);
  }
  table(rows);
  for (const failure of failures) console.log(`FAILED: ${failure}`);
  console.log(`process start alone: bare \`node -e 0\` ${bareNode.toFixed(0)} ms, \`romgfx version --json\` ${bareCli.toFixed(0)} ms`);
  rmSync(scratch, { recursive: true, force: true });
}

header('native vs TypeScript: HAL decode and probe of the level-2 streams, MB/s of output (median)');
const decodeRows: (string | number)[][] = [['stream', 'out bytes', 'TS decode MB/s', 'native decode MB/s', 'speed-up', 'TS probe MB/s', 'native probe MB/s', 'speed-up']];
for (const { name, data } of inputs) {
  const packed = new Uint8Array(readFileSync(join(halDir, name.replace('.bin', '.L2.hal'))));
  const runs = 41;
  const tsDecode = await measure(() => typescriptHalKernels.decode(packed, 0), runs, 5);
  const natDecode = await measure(() => native.decode(packed, 0), runs, 5);
  const tsProbe = await measure(() => typescriptHalKernels.probe(packed, 0), runs, 5);
  const natProbe = await measure(() => native.probe(packed, 0), runs, 5);
  const out = data.length;
  decodeRows.push([
    name.replace('.bin', '.L2.hal'),
    out,
    mbPerSecond(out, tsDecode.medianMs),
    mbPerSecond(out, natDecode.medianMs),
    `${(tsDecode.medianMs / natDecode.medianMs).toFixed(1)}x`,
    mbPerSecond(out, tsProbe.medianMs),
    mbPerSecond(out, natProbe.medianMs),
    `${(tsProbe.medianMs / natProbe.medianMs).toFixed(1)}x`,
  ]);
}
table(decodeRows);


function tileDecode(kernels: TileKernels, format: (typeof tileFormats)[number], bytes: Uint8Array, indices: Uint8Array, tiles: number): void {
  if (format.family === 'planar') kernels.decodePlanarTiles(bytes, indices, tiles, format.planarLayout!);
  else kernels.decodePackedNibbleTiles(bytes, indices, tiles, format.lowNibbleLeft === true);
}

function tileEncode(kernels: TileKernels, format: (typeof tileFormats)[number], indices: Uint8Array, bytes: Uint8Array, tiles: number): void {
  if (format.family === 'planar') kernels.encodePlanarTiles(indices, bytes, tiles, format.planarLayout!);
  else kernels.encodePackedNibbleTiles(indices, bytes, tiles, format.lowNibbleLeft === true);
}

for (const [tiles, repeat] of [
  [32_768, 1],
  [16, 2048],
] as const) {
  header(`native vs TypeScript: tile kernels, ${tiles} tiles per call${repeat > 1 ? ` (${repeat} calls per sample)` : ''}, MB/s of tile bytes (median of 11)`);
  const rows: (string | number)[][] = [['format', 'TS decode', 'native decode', 'speed-up', 'TS encode', 'native encode', 'speed-up']];
  for (const format of tileFormats.filter((f) => f.family === 'planar' || f.family === 'packed-nibble')) {
    const bytes = pseudoRandomBytes(tiles * format.bytesPerTile, 0x2345 + format.bytesPerTile);
    const indices = new Uint8Array(tiles * 64);
    const out = new Uint8Array(bytes.length);
    const loop = (fn: () => void) => () => {
      for (let k = 0; k < repeat; k++) fn();
    };
    const tsDecode = await measure(loop(() => tileDecode(typescriptTileKernels, format, bytes, indices, tiles)), 11, 2);
    const natDecode = await measure(loop(() => tileDecode(nativeTiles, format, bytes, indices, tiles)), 11, 2);
    tileDecode(nativeTiles, format, bytes, indices, tiles);
    const tsEncode = await measure(loop(() => tileEncode(typescriptTileKernels, format, indices, out, tiles)), 11, 2);
    const natEncode = await measure(loop(() => tileEncode(nativeTiles, format, indices, out, tiles)), 11, 2);
    if (Buffer.compare(out, bytes) !== 0) throw new Error(`${format.name}: encode(decode(x)) != x`);
    const total = bytes.length * repeat;
    rows.push([
      format.name,
      mbPerSecond(total, tsDecode.medianMs),
      mbPerSecond(total, natDecode.medianMs),
      `${(tsDecode.medianMs / natDecode.medianMs).toFixed(1)}x`,
      mbPerSecond(total, tsEncode.medianMs),
      mbPerSecond(total, natEncode.medianMs),
      `${(tsEncode.medianMs / natEncode.medianMs).toFixed(1)}x`,
    ]);
  }
  table(rows);
}
