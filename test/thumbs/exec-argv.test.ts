/**
 * Pool workers are started with their own execArgv (see src/util/worker-exec-argv.ts). An
 * explicit execArgv is validated by Node, so it must not carry the parent's flags: a parent run
 * with a V8 flag (bench/run.js uses --expose-gc) must still get working pools.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { poolWorkerExecArgv } from '../../src/util/worker-exec-argv.js';
import { repoRoot } from '../helpers/cli.js';

describe('pool worker execArgv', () => {
  test('require(esm) is off in the workers, and nothing else is passed', () => {
    expect(poolWorkerExecArgv()).toEqual(['--no-experimental-require-module']);
  });

  test('a thumbnail and a scan pool work in a process started with --expose-gc', () => {
    const dist = join(repoRoot, 'dist', 'src');
    const script = `
      const { ThumbnailPool } = await import(${JSON.stringify(join(dist, 'thumbs', 'pool.js'))});
      const { sharedScanPool, closeScanPools } = await import(${JSON.stringify(join(dist, 'scan', 'pool.js'))});
      const pool = new ThumbnailPool({ threads: 1 });
      const rom = { path: '/nonexistent/rom.sfc', sha1: 'a'.repeat(40) };
      const outcome = await pool.run({ request: { rom, block: { offset: 0, format: 'snes4bpp', tiles: 1, codec: null, arrangement: { kind: 'sheet', tilesPerRow: 1, order: 'row' } }, palette: { kind: 'grayscale' }, output: { scale: 1, fit: null, format: 'png' } }, instrumentation: false, output: 'png' }).then(() => 'rendered', (e) => e.code);
      await pool.close();
      sharedScanPool(1);
      await closeScanPools();
      console.log(outcome);`;
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    // The worker started and answered (the ROM does not exist: a typed error from the worker, not a failed start).
    expect(out.trim()).toBe('ERR_FILE_NOT_FOUND');
  });
});
