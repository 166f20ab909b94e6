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
  const times = commands.map(() => [] as number[]);
  for (let run = 0; run < runsPerCommand + 1; run++) {
    commands.forEach((command, index) => {
      const start = performance.now();
      const result = spawnSync(process.execPath, command.args, { stdio: ['ignore', 'ignore', 'pipe'] });
      const elapsed = performance.now() - start;
      if (result.status !== 0) throw new Error(`${command.name} exited ${result.status ?? result.signal}: ${result.stderr.toString()}`);
      if (run > 0) times[index]!.push(elapsed); // the first round warms the page cache
    });
  }
  const floor = median(times[0]!);
  const rows: (string | number)[][] = [['command', 'median ms', 'min ms', 'over node -e 0 ms', `within ${budgetOverNodeInMs} ms`]];
  commands.forEach((command, index) => {
    const m = median(times[index]!);
    rows.push([command.name, m, Math.min(...times[index]!), index === 0 ? '-' : m - floor, index === 0 ? '-' : m - floor <= budgetOverNodeInMs ? 'yes' : 'NO']);
  });
  table(rows);
  console.log(`(${runsPerCommand} runs each, interleaved; the box is shared, so compare rows of one run)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
