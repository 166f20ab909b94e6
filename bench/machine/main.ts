/**
 * bench/machine: what a second thread is worth on this machine now, measured in C beside the
 * JavaScript benchmarks (bench/thumbs quotes its "2 workers / 1 worker" against such figures).
 * Compiles probe.c with the system C compiler (the one node-gyp uses for our addon) into a
 * temporary folder and runs it; see probe.c for the three kinds of work.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/version.js';
import { header, median, table } from '../harness.js';

/** Rounds of 1-thread-then-2-threads per kind (each round ~1–2 s). */
const rounds = 9;

function main(dir: string): number {
  const probe = join(dir, 'probe');
  const compiler = process.env.CC ?? 'cc';
  try {
    execFileSync(compiler, ['-O2', '-pthread', '-o', probe, join(PACKAGE_ROOT, 'bench', 'machine', 'probe.c')], { stdio: 'inherit' });
  } catch (error) {
    console.error(`bench/machine needs a C compiler (${compiler}; set CC to choose another): ${(error as Error).message}`);
    return 1;
  }
  header(`machine: 2 threads / 1 thread on the same total work, in C (${rounds} rounds each)`);
  const ratios = JSON.parse(execFileSync(probe, [String(rounds)], { encoding: 'utf8', timeout: 300_000 })) as Record<string, number[]>;
  const rows: (string | number)[][] = [['work', 'median 2/1', 'min', 'max', 'rounds ≥ 1.7']];
  for (const [kind, values] of Object.entries(ratios)) {
    rows.push([kind, median(values), Math.min(...values), Math.max(...values), `${values.filter((v) => v >= 1.7).length} of ${values.length}`]);
  }
  table(rows);
  console.log(`rounds: ${Object.entries(ratios).map(([k, v]) => `${k} ${v.map((x) => x.toFixed(2)).join(' ')}`).join('; ')}`);
  return 0;
}

const dir = mkdtempSync(join(tmpdir(), 'romgfx-bench-machine-'));
try {
  process.exitCode = main(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
