/**
 * bench/scan: a full HAL scan (every offset) of a 4 MiB SNES ROM with planted HAL streams amid
 * code-like and random filler, on 2 workers, 1 worker and in-process. Medians over runs, ratios
 * against the 1-worker baseline measured in the same run, the machine load line, and the
 * scan's recall and precision on the planted streams (so a faster scan that finds less shows).
 * Scans reuse the process's shared pool (as an editor would); the first, unmeasured run of each
 * configuration starts its workers and warms their JIT. A cold one-shot scan is timed too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeScanPools, defaultScanCodecs, scanRomReport, type ScanReport } from '../../src/scan/index.js';
import { plantedSnesRom } from '../../test/scan/helpers/planted.js';
import { header, measure, table } from '../harness.js';

const mebibyte = 1024 * 1024;
const runs = 5;

header('scan: full HAL scan of a 4 MiB ROM (every offset)');
const dir = mkdtempSync(join(tmpdir(), 'romgfx-bench-scan-'));
try {
  const fixture = plantedSnesRom(11, 4 * mebibyte, 60, 0);
  const path = join(dir, 'planted-4mib.sfc');
  writeFileSync(path, fixture.bytes);
  const key = (c: { codec: string; offset: number; packedLength: number }) => `${c.codec}@${c.offset}+${c.packedLength}`;
  const planted = new Set(fixture.planted.map(key));
  let last: ScanReport | null = null;
  const scan = async (workers: number) => {
    last = await scanRomReport(path, { codecs: ['hal'], workers, cache: false });
  };
  const cold = performance.now();
  await scan(2);
  const coldMs = performance.now() - cold;
  await closeScanPools();
  const rows: (string | number)[][] = [['configuration', 'median ms', 'min ms', 'max ms', 'vs 1 worker', 'MB/s']];
  const one = await measure(() => scan(1), runs, 1);
  const two = await measure(() => scan(2), runs, 1);
  const inProcess = await measure(() => scan(0), runs, 1);
  for (const [name, sample] of [['2 workers', two], ['1 worker', one], ['in-process', inProcess]] as const) {
    rows.push([name, sample.medianMs, sample.minMs, sample.maxMs, `${(one.medianMs / sample.medianMs).toFixed(2)}x`, (4 * mebibyte) / 1e6 / (sample.medianMs / 1000)]);
  }
  table(rows);
  console.log(`cold one-shot scan on 2 workers (pool start-up and JIT warm-up included): ${coldMs.toFixed(0)} ms`);
  const report = last as ScanReport | null;
  if (report) {
    const found = report.candidates.filter((c) => planted.has(key(c))).length;
    const falseCount = report.candidates.length - found;
    console.log(
      `planted ${planted.size} HAL streams; found ${found} at exact offset and length; ${falseCount} other candidate(s) ` +
        `(${((100 * falseCount) / Math.max(1, report.candidates.length)).toFixed(1)}% of ${report.candidates.length}); ` +
        `${report.decodedCandidates} streams decoded of ${report.offsetsTried} offsets`,
    );
  }
  console.log(`goal: 2 workers under 2000 ms: ${two.medianMs < 2000 ? 'met' : 'NOT met'} (${two.medianMs.toFixed(0)} ms)`);

  // The same ROM with every default SNES codec (issue 19's goal: all of the platform's codecs),
  // and where that time goes: each codec's chunks in this thread, one run each.
  header('scan: the same 4 MiB with every default SNES codec');
  const codecs = defaultScanCodecs('snes');
  let full: ScanReport | null = null;
  const all = await measure(async () => {
    full = await scanRomReport(path, { workers: 2, cache: false });
  }, 3, 1);
  table([
    ['configuration', 'median ms', 'min ms', 'max ms'],
    [`2 workers, ${codecs.join(' ')}`, all.medianMs, all.minMs, all.maxMs],
  ]);
  const fullReport = full as ScanReport | null;
  if (fullReport) {
    const found = fullReport.candidates.filter((c) => planted.has(key(c))).length;
    console.log(`planted ${planted.size} HAL streams; found ${found} exactly; ${fullReport.candidates.length - found} other candidate(s)`);
  }
  const { scanChunk } = await import('../../src/scan/chunk.js');
  const { GraphicsScorer, defaultFormatsByPlatform } = await import('../../src/scan/score.js');
  const { getTileFormat } = await import('../../src/gfx/index.js');
  const scorer = new GraphicsScorer();
  const formats = defaultFormatsByPlatform.snes.map((name) => getTileFormat(name));
  const perCodec: (string | number)[][] = [['codec (in-process, whole ROM)', 'ms', 'share']];
  const times: [string, number][] = [];
  for (const codec of codecs) {
    const started = performance.now();
    scanChunk(fixture.bytes, { codec, platform: 'snes', start: 0, end: fixture.bytes.length, formats, minimumUnpackedSize: 256, minimumScore: 0.5 }, scorer);
    times.push([codec, performance.now() - started]);
  }
  const sum = times.reduce((n, [, ms]) => n + ms, 0);
  for (const [codec, ms] of times) perCodec.push([codec, ms, `${((100 * ms) / sum).toFixed(0)}%`]);
  table(perCodec);
  console.log(`goal: every default codec on 2 workers under 2000 ms: ${all.medianMs < 2000 ? 'met' : 'NOT met'} (${all.medianMs.toFixed(0)} ms)`);
} finally {
  await closeScanPools();
  rmSync(dir, { recursive: true, force: true });
}
