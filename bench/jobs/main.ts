/**
 * bench/jobs: what the async forms buy an editor. For inject-all of (1) the demo ROM's definition
 * with every sprite repainted and (2) twelve 8 KiB HAL sprites of smooth art (HAL `max` searches
 * long matches: the slow case), the synchronous `injectFolder` against `injectFolderAsync`
 * (packing in the worker pool): wall time, and the longest the caller's event loop went without
 * running (the longest gap between ticks of a 1 ms timer). Both write the same bytes (checked).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoRom, demoDefinition } from '../../src/demo/demo-rom.js';
import { buildSnesRom, type Payload } from '../../src/rom/build.js';
import { snesOffsetToBus } from '../../src/rom/snes.js';
import { encodeTiles } from '../../src/gfx/formats.js';
import { decodePng, encodeIndexedPng } from '../../src/gfx/png.js';
import { paletteFromRgb } from '../../src/gfx/palette.js';
import { getCodec } from '../../src/codecs/index.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import type { GameDefinition } from '../../src/defs/types.js';
import { extractAll, injectFolder } from '../../src/inject/index.js';
import { closeInjectJobs, injectFolderAsync } from '../../src/jobs/inject-jobs.js';
import { crc32, sha1Hex } from '../../src/util/hash.js';
import { header, median, table } from '../harness.js';

const runs = 5;
const heavySpriteCount = 12;
const heavyTilesPerSprite = 256;

interface Scenario {
  name: string;
  rom: string;
  definition: GameDefinition;
  folder: string;
}

/** Extracts every sprite, then repaints each PNG (indexed, the sidecar's palette) so every sprite is re-packed. */
async function repaintedFolder(rom: string, definition: GameDefinition, folder: string, paint: (i: number, width: number, height: number) => Uint8Array): Promise<void> {
  const extracted = await extractAll(rom, definition, folder, { threads: 0 });
  if (extracted.failed > 0) throw new Error(`extract-all failed for ${extracted.failed} sprite(s)`);
  extracted.items.forEach((item, i) => {
    const sidecar = JSON.parse(readFileSync(item.sidecar!, 'utf8')) as { palette: { colours: string[] } };
    const png = decodePng(readFileSync(item.png!));
    const rgb = new Uint8Array(sidecar.palette.colours.length * 3);
    sidecar.palette.colours.forEach((c, k) => rgb.set([parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)], k * 3));
    writeFileSync(item.png!, encodeIndexedPng({ width: png.width, height: png.height, pixels: paint(i, png.width, png.height) }, paletteFromRgb(rgb, 'bench'), { transparentIndex0: true }));
  });
}

async function demoScenario(dir: string): Promise<Scenario> {
  const demo = buildDemoRom();
  const rom = join(dir, 'demo.sfc');
  writeFileSync(rom, demo.bytes);
  const definition = parseGameDefinition(demoDefinition(demo, { crc32: crc32(demo.bytes), sha1: sha1Hex(demo.bytes) }), join(dir, 'demo.json'));
  const folder = join(dir, 'demo-sprites');
  await repaintedFolder(rom, definition, folder, (i, w, h) => new Uint8Array(w * h).map((_, p) => ((p % w >> 2) + (p / w >> 2) + i) & 15));
  return { name: `demo definition (${definition.sprites.length} sprites, 16×16)`, rom, definition, folder };
}

/** Tile-like smooth art: bands that HAL packs well, so `max` has long matches to search. */
function smoothTiles(seed: number): Uint8Array {
  const out = new Uint8Array(heavyTilesPerSprite * 64);
  for (let t = 0; t < heavyTilesPerSprite; t++) for (let p = 0; p < 64; p++) out[t * 64 + p] = (((p & 7) >> 1) + (p >> 5) + t + seed) & 15;
  return out;
}

async function heavyScenario(dir: string): Promise<Scenario> {
  const hal = getCodec('hal');
  const size = 0x80000;
  const payloads: Payload[] = [];
  const sprites: Record<string, unknown>[] = [];
  const pointers: Record<string, unknown>[] = [];
  let cursor = 0x10000;
  for (let i = 0; i < heavySpriteCount; i++) {
    const packed = hal.compress(encodeTiles('snes4bpp', smoothTiles(i)), { level: '4' });
    payloads.push({ offset: cursor, bytes: packed });
    const at = 0x8000 + i * 3;
    const bus = snesOffsetToBus(cursor, 'lorom', size);
    payloads.push({ offset: at, bytes: Uint8Array.of(bus & 0xff, (bus >> 8) & 0xff, bus >>> 16) });
    sprites.push({ name: `sheet-${i}`, offset: '0x' + cursor.toString(16), codec: 'hal', tileFormat: 'snes4bpp', tileCount: heavyTilesPerSprite });
    pointers.push({ target: `sheet-${i}`, form: 'snes24', at: '0x' + at.toString(16) });
    cursor += packed.length + 16;
  }
  const bytes = buildSnesRom({ mapping: 'lorom', size, filler: 'random', payloads, title: 'BENCH JOBS' });
  const rom = join(dir, 'heavy.sfc');
  writeFileSync(rom, bytes);
  const definition = parseGameDefinition(
    { formatVersion: 1, id: 'bench-jobs', name: 'bench/jobs', platform: 'snes', variants: [{ id: 'bench', crc32: crc32(bytes).toString(16).padStart(8, '0') }], sprites, pointers, freeSpace: [{ start: '0x70000', end: '0x80000' }] },
    join(dir, 'heavy.json'),
  );
  const folder = join(dir, 'heavy-sprites');
  // Another smooth painting of each sheet (shifted bands): re-packed at every level, in place.
  await repaintedFolder(rom, definition, folder, (i, w, h) => new Uint8Array(w * h).map((_, p) => ((p % w >> 1) + (p / w >> 3) + i + 5) & 15));
  return { name: `${heavySpriteCount} HAL sheets of ${heavyTilesPerSprite} tiles`, rom, definition, folder };
}

/**
 * Wall time and the longest event-loop stall of one call: the longest gap between ticks of a
 * 1 ms interval timer started before the call (monitorEventLoopDelay misses a stall that starts
 * in the same turn it is enabled: its timer's clock is the loop's cached time).
 */
async function observed(fn: () => unknown): Promise<{ wallMs: number; stallMs: number }> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  try {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const started = performance.now();
    await fn();
    const wallMs = performance.now() - started;
    // One more turn so a stall at the very end is counted.
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { wallMs, stallMs: Math.max(longest, performance.now() - last) };
  } finally {
    clearInterval(timer);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'romgfx-bench-jobs-'));
try {
  header('bench/jobs: inject-all, synchronous vs in the worker pool');
  const threads = Math.max(1, Math.min(availableParallelism(), 4));
  const rows: (string | number)[][] = [['inject-all', 'form', 'wall ms (median)', 'longest stall ms (median)', 'stall / wall']];
  for (const scenario of [await demoScenario(dir), await heavyScenario(dir)]) {
    const outputs = join(dir, `${scenario.definition.id}-out`);
    mkdirSync(outputs);
    const sync: { wallMs: number; stallMs: number }[] = [];
    const async: { wallMs: number; stallMs: number }[] = [];
    // One warm-up of each (JIT, the pool's workers), then alternate so load drifts hit both.
    injectFolder(scenario.rom, scenario.definition, scenario.folder, { output: join(outputs, 'warm-sync.sfc'), force: true });
    await injectFolderAsync(scenario.rom, scenario.definition, scenario.folder, { output: join(outputs, 'warm-async.sfc'), force: true, threads });
    for (let i = 0; i < runs; i++) {
      sync.push(await observed(() => injectFolder(scenario.rom, scenario.definition, scenario.folder, { output: join(outputs, 'sync.sfc'), force: true })));
      async.push(await observed(() => injectFolderAsync(scenario.rom, scenario.definition, scenario.folder, { output: join(outputs, 'async.sfc'), force: true, threads })));
    }
    if (!readFileSync(join(outputs, 'sync.sfc')).equals(readFileSync(join(outputs, 'async.sfc')))) throw new Error(`${scenario.name}: the async output differs from the synchronous one`);
    const syncWall = median(sync.map((s) => s.wallMs));
    const syncStall = median(sync.map((s) => s.stallMs));
    const asyncWall = median(async.map((s) => s.wallMs));
    const asyncStall = median(async.map((s) => s.stallMs));
    rows.push([scenario.name, 'injectFolder (sync)', syncWall, syncStall, syncStall / syncWall]);
    rows.push(['', `injectFolderAsync, ${threads} thread(s)`, asyncWall, asyncStall, asyncStall / asyncWall]);
  }
  table(rows);
  console.log(`(${runs} runs each after a warm-up; stall = longest gap between ticks of a 1 ms timer; outputs byte-identical)`);
} finally {
  await closeInjectJobs();
  rmSync(dir, { recursive: true, force: true });
}
