/**
 * bench/startup: whole-process start-up of the CLI, the cost a makefile pays once per asset.
 * Medians of `node -e 0` (the floor: Node itself), `romgfx version`, `romgfx info <rom>`,
 * `romgfx import` of a 256×256 PNG and `romgfx decompress`, runs interleaved round-robin so load
 * spikes hit every command alike; each with its difference to `node -e 0`. Goal (issue #18):
 * every command within 40 ms of the floor.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { buildSnesRom } from '../../src/rom/build.js';
import { getCodec } from '../../src/codecs/registry.js';
import { encodeIndexedPng } from '../../src/gfx/png.js';
import { grayscalePalette } from '../../src/gfx/palette.js';
import { header, median, pseudoRandomBytes, table } from '../harness.js';

/** Whole processes per command (odd, for a true median). */
const runsPerCommand = 15;
/** The start-up budget over `node -e 0` that issue #18 sets. */
const budgetOverNodeInMs = 40;
const imageSideInPixels = 256;

const here = dirname(fileURLToPath(import.meta.url));
const romgfx = join(here, '..', '..', '..', 'bin', 'romgfx.js');

header('startup: whole-process CLI start-up (medians)');
const dir = mkdtempSync(join(tmpdir(), 'romgfx-bench-startup-'));
try {
  const romPath = join(dir, 'game.sfc');
  writeFileSync(romPath, buildSnesRom({ mapping: 'lorom' }));
  // A 256×256 4bpp sheet of tile-like pixels (runs of one index, as drawn art has).
  const pixels = new Uint8Array(imageSideInPixels * imageSideInPixels);
  const noise = pseudoRandomBytes(pixels.length / 4, 18);
  for (let i = 0; i < pixels.length; i++) pixels[i] = noise[i >> 2]! & 15;
  const pngPath = join(dir, 'sheet.png');
  writeFileSync(pngPath, encodeIndexedPng({ width: imageSideInPixels, height: imageSideInPixels, pixels }, grayscalePalette(4)));
  const packedPath = join(dir, 'block.hal');
  writeFileSync(packedPath, getCodec('hal').compress(pixels.subarray(0, 8192)));

  const commands: { name: string; args: string[] }[] = [
    { name: 'node -e 0', args: ['-e', '0'] },
    { name: 'romgfx version', args: [romgfx, 'version'] },
    { name: 'romgfx info <rom>', args: [romgfx, 'info', romPath] },
    { name: 'romgfx import 256×256 PNG', args: [romgfx, 'import', pngPath, '--format', 'snes4bpp', '-o', join(dir, 'sheet.bin'), '--force'] },
    { name: 'romgfx decompress (hal)', args: [romgfx, 'decompress', packedPath, '--codec', 'hal', '-o', join(dir, 'block.bin'), '--force'] },
  ];
  // ROMGFX_STARTUP_BASELINE=<another checkout>/bin/romgfx.js adds its rows to the same run (before/after).
  const baseline = process.env.ROMGFX_STARTUP_BASELINE;
  if (baseline) {
    for (const command of commands.slice(1)) commands.push({ name: `baseline ${command.name.slice('romgfx '.length)}`, args: [baseline, ...command.args.slice(1)] });
  }
  // Each process also reports its own CPU time (user + system, µs) at exit through a preload:
  // on a box shared by many jobs the wall time mostly measures waiting for a core, the CPU time
  // what start-up itself costs. The preload runs for `node -e 0` too, so the floor pays it alike.
  const cpuPreload = join(dir, 'cpu-at-exit.cjs');
  writeFileSync(cpuPreload, "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('ROMGFX_CPU_US ' + (u.user + u.system) + '\\n'); });\n");
  const times = commands.map(() => [] as number[]);
  const cpuTimes = commands.map(() => [] as number[]);
  for (let run = 0; run < runsPerCommand + 1; run++) {
    commands.forEach((command, index) => {
      const start = performance.now();
      const result = spawnSync(process.execPath, ['--require', cpuPreload, ...command.args], { stdio: ['ignore', 'ignore', 'pipe'] });
      const elapsed = performance.now() - start;
      if (result.status !== 0) throw new Error(`${command.name} exited ${result.status ?? result.signal}: ${result.stderr.toString()}`);
      const cpu = /ROMGFX_CPU_US (\d+)/u.exec(result.stderr.toString());
      if (!cpu) throw new Error(`${command.name} reported no CPU time`);
      if (run > 0) {
        // The first round warms the page cache.
        times[index]!.push(elapsed);
        cpuTimes[index]!.push(Number(cpu[1]) / 1000);
      }
    });
  }
  const floor = median(times[0]!);
  const cpuFloor = median(cpuTimes[0]!);
  const rows: (string | number)[][] = [['command', 'wall median ms', 'wall min ms', 'wall over node', `within ${budgetOverNodeInMs} ms`, 'CPU median ms', 'CPU over node']];
  commands.forEach((command, index) => {
    const m = median(times[index]!);
    const c = median(cpuTimes[index]!);
    const first = index === 0;
    rows.push([command.name, m, Math.min(...times[index]!), first ? '-' : m - floor, first ? '-' : m - floor <= budgetOverNodeInMs ? 'yes' : 'NO', c, first ? '-' : c - cpuFloor]);
  });
  table(rows);
  console.log(`(${runsPerCommand} runs each, interleaved; the box is shared, so compare rows of one run)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
