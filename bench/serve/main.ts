/**
 * `romgfx serve` benchmark (issue 16).
 *
 * - Thumbnails per second over HTTP: 2,000 distinct gallery thumbnails (64 SNES 4bpp tiles,
 *   8 per row, scale 2, of the demo ROM), 16 at a time over a keep-alive agent: cold (empty
 *   caches), warm from memory (the same again), warm from disk (a new server process, same disk
 *   cache). The server runs in its own process (this file with `--child-server`), so the client
 *   does not share its event loop. Goal: warm ≥ 5,000/s on 2 cores.
 * - Time from navigation to the first screen of thumbnails of a 2,000-candidate gallery in
 *   headless Chromium (every thumbnail of the cells in view decoded and drawn), cold (new server, empty caches, new browser
 *   context) and warm (same server, new browser context: no browser cache). Goals: < 1.5 s cold,
 *   < 500 ms warm.
 *
 * `node dist/bench/serve/main.js [--only http|gallery] [--runs N]`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { header, median, table } from '../harness.js';
import { buildDemoRom } from '../../src/demo/demo-rom.js';
import { startServer } from '../../src/serve/server.js';

// The waitForFunction callback runs in the page; this project has no DOM types.
declare const document: {
  querySelectorAll(selector: string): ArrayLike<{ dataset: Record<string, string | undefined>; getBoundingClientRect(): { top: number } }>;
  getElementById(id: string): { getBoundingClientRect(): { bottom: number } } | null;
};

/** Distinct thumbnails per pass. */
const thumbnailCount = 2000;
/** Requests in flight at once. */
const concurrency = 16;
/** Warm-memory passes (the median is reported). */
const warmPasses = 5;
/** Gallery runs per condition. */
const galleryRuns = 3;

if (process.argv[2] === '--child-server') {
  const [romPath, cacheDirectory, outputDirectory] = process.argv.slice(3) as [string, string, string];
  const running = await startServer({ roms: [romPath], port: 0, threads: 2, diskCache: { directory: cacheDirectory }, scanCache: false, outputDirectory, testRoutes: true });
  process.stdout.write(`${running.url} ${running.token}\n`);
  process.on('SIGTERM', () => {
    void running.close().then(() => process.exit(0));
  });
} else {
  await main();
}

interface ChildServer {
  url: string;
  token: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function startChild(romPath: string, cacheDirectory: string, outputDirectory: string): Promise<ChildServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child-server', romPath, cacheDirectory, outputDirectory], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = /^(\S+) (\S+)\n/.exec(text);
      if (line) {
        resolve({
          url: line[1]!,
          token: line[2]!,
          child,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
}

function thumbnailPaths(): string[] {
  return Array.from({ length: thumbnailCount }, (_, i) => `/api/roms/r0/thumbnail?offset=0x${(0x10000 + i * 128).toString(16)}&format=snes4bpp&tiles=64&perRow=8&scale=2`);
}

/** Fetches every path, `concurrency` at a time over keep-alive sockets; thumbnails per second. */
async function pass(base: string, paths: readonly string[], agent: Agent): Promise<{ perSecond: number; sources: Record<string, number> }> {
  const { hostname, port } = new URL(base);
  const sources: Record<string, number> = {};
  let next = 0;
  const one = (path: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request({ host: hostname, port, path, agent }, (res) => {
        const source = String(res.headers['x-romgfx-source'] ?? res.statusCode);
        sources[source] = (sources[source] ?? 0) + 1;
        if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode}`));
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
  const lane = async (): Promise<void> => {
    while (next < paths.length) await one(paths[next++]!);
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { perSecond: paths.length / ((performance.now() - start) / 1000), sources };
}

/** The same thumbnails through the batch route, 64 per request (what the gallery does). */
function batchPaths(paths: readonly string[]): string[] {
  const batches: string[] = [];
  for (let i = 0; i < paths.length; i += 64) {
    const items = paths.slice(i, i + 64).map((p) => `item=${encodeURIComponent(p.slice(p.indexOf('?') + 1))}`);
    batches.push(`/api/roms/r0/thumbnails?${items.join('&')}`);
  }
  return batches;
}

async function plantGallery(server: ChildServer): Promise<string> {
  const candidates = Array.from({ length: thumbnailCount }, (_, i) => ({ offset: 0x10000 + i * 128, packedLength: 2048, unpackedLength: 2048, codec: 'raw', format: 'snes4bpp', score: 1 - i / thumbnailCount }));
  const response = await fetch(new URL('/api/test/roms/r0/scans', server.url), { method: 'POST', headers: { 'x-romgfx-token': server.token, 'content-type': 'application/json' }, body: JSON.stringify({ candidates }) });
  if (response.status !== 201) throw new Error(`planting failed: HTTP ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

/** Where a first screen's time went, in ms from navigation start (Resource Timing and the page's own marks). */
interface FirstScreen {
  /** All images of the cells in view decoded (seen by a requestAnimationFrame poll in the page). */
  total: number;
  /** The document's response ended. */
  document: number;
  /** The last page script's response ended. */
  scripts: number;
  /** The scan result (candidate list) response ended. */
  candidates: number;
  /** The first thumbnail batch request started and ended. */
  batchStart: number;
  batchEnd: number;
  batches: number;
}

async function firstScreen(browser: import('playwright-core').Browser, url: string): Promise<FirstScreen> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(
    () => {
      // The first screen: the cells in view (the gallery also draws a row beyond it), each with
      // its thumbnail decoded and drawn (or marked as not decoding).
      const gallery = document.getElementById('gallery');
      if (!gallery) return false;
      const bottom = gallery.getBoundingClientRect().bottom;
      const cells = Array.from(document.querySelectorAll('.cell')).filter((cell) => cell.getBoundingClientRect().top < bottom);
      const done = cells.length > 0 && cells.every((cell) => cell.dataset.state === 'loaded');
      // Recorded in the page when first seen, so the harness's own round trip is not counted.
      if (done) (globalThis as unknown as { firstScreenAt?: number }).firstScreenAt ??= performance.now();
      return done;
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  // performance.now() in the page counts from the navigation's start.
  const result = await page.evaluate(() => {
    // The page's Performance (this project's types are Node's, without 'navigation').
    const timeline = performance as unknown as { getEntriesByType(type: string): unknown[] };
    const entries = timeline.getEntriesByType('resource') as { name: string; startTime: number; responseEnd: number }[];
    const navigation = timeline.getEntriesByType('navigation')[0] as { responseEnd: number };
    const scripts = entries.filter((e) => e.name.includes('/page/'));
    const candidates = entries.find((e) => /\/api\/scans\/[^/?]+(\?|$)/.test(e.name));
    const batches = entries.filter((e) => e.name.includes('/thumbnails?'));
    return {
      total: (globalThis as unknown as { firstScreenAt: number }).firstScreenAt,
      document: navigation.responseEnd,
      scripts: Math.max(0, ...scripts.map((e) => e.responseEnd)),
      candidates: candidates?.responseEnd ?? NaN,
      batchStart: batches[0]?.startTime ?? NaN,
      batchEnd: batches[0]?.responseEnd ?? NaN,
      batches: batches.length,
      candidatesStart: candidates?.startTime ?? NaN,
      marks: (timeline.getEntriesByType('mark') as { name: string; startTime: number }[]).map((e) => `${e.name}@${e.startTime.toFixed(0)}`).join(' '),
    };
  });
  await context.close();
  if (process.env.ROMGFX_BENCH_VERBOSE === '1') console.log(JSON.stringify(result));
  return result;
}

/** `--only http` or `--only gallery` runs one half; `--runs N` sets the gallery runs per condition. */
function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

async function main(): Promise<void> {
  header('serve: thumbnails over HTTP and the gallery in Chromium');
  const only = argument('--only');
  const runs = Number(argument('--runs') ?? galleryRuns);
  const dir = mkdtempSync(join(tmpdir(), 'romgfx-bench-serve-'));
  const romPath = join(dir, 'demo.sfc');
  writeFileSync(romPath, buildDemoRom().bytes);
  try {
    if (only !== 'gallery') await httpPasses(dir, romPath);
    if (only !== 'http') await galleryRunsOf(dir, romPath, runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function httpPasses(dir: string, romPath: string): Promise<void> {
  const paths = thumbnailPaths();
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const cache = join(dir, 'cache-http');
  let server = await startChild(romPath, cache, join(dir, 'out'));
  const cold = await pass(server.url, paths, agent);
  const warm: number[] = [];
  for (let i = 0; i < warmPasses; i++) warm.push((await pass(server.url, paths, agent)).perSecond);
  const batches = batchPaths(paths);
  const warmBatch: number[] = [];
  for (let i = 0; i < warmPasses; i++) warmBatch.push(((await pass(server.url, batches, agent)).perSecond * paths.length) / batches.length);
  await server.stop();
  agent.destroy();
  const diskAgent = new Agent({ keepAlive: true, maxSockets: concurrency });
  server = await startChild(romPath, cache, join(dir, 'out'));
  const disk = await pass(server.url, paths, diskAgent);
  await server.stop();
  diskAgent.destroy();
  table([
    ['pass (2,000 thumbnails, 16 in flight)', 'thumbnails/s', 'vs cold', 'answered from'],
    ['cold (empty caches)', cold.perSecond, 1, JSON.stringify(cold.sources)],
    [`warm memory (median of ${warmPasses})`, median(warm), median(warm) / cold.perSecond, 'memory'],
    [`warm memory, 64 per batch request (median of ${warmPasses})`, median(warmBatch), median(warmBatch) / cold.perSecond, 'memory'],
    ['warm disk (new server process)', disk.perSecond, disk.perSecond / cold.perSecond, JSON.stringify(disk.sources)],
  ]);
  console.log(`warm memory passes ${warm.map((t) => t.toFixed(0)).join(', ')} thumbnails/s`);
}

async function galleryRunsOf(dir: string, romPath: string, runs: number): Promise<void> {
  // Imported here, not at the top: the --child-server processes never load playwright (~1 s of CPU on this box).
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.ROMGFX_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const cold: FirstScreen[] = [];
    const warm: FirstScreen[] = [];
    for (let run = 0; run < runs; run++) {
      const gallery = await startChild(romPath, join(dir, `cache-gallery-${run}`), join(dir, 'out'));
      const scan = await plantGallery(gallery);
      const url = `${gallery.url}#scan?rom=r0&scan=${scan}`;
      cold.push(await firstScreen(browser, url));
      warm.push(await firstScreen(browser, url));
      await gallery.stop();
    }
    const m = (list: FirstScreen[], field: keyof FirstScreen): number => median(list.map((r) => r[field]));
    const row = (name: string, list: FirstScreen[], goal: number): (string | number)[] => [name, m(list, 'total'), goal, m(list, 'document'), m(list, 'scripts'), m(list, 'candidates'), m(list, 'batchStart'), m(list, 'batchEnd'), m(list, 'batches')];
    table([
      [`first screen of a 2,000-candidate gallery (1280×800, median of ${runs})`, 'ms', 'goal ms', 'document', 'scripts', 'candidates', 'batch sent', 'batch back', 'batches'],
      row('cold (new server, empty caches, new browser context)', cold, 1500),
      row('warm (server caches warm, new browser context)', warm, 500),
    ]);
    console.log(`cold runs ${cold.map((t) => t.total.toFixed(0)).join(', ')} ms; warm runs ${warm.map((t) => t.total.toFixed(0)).join(', ')} ms`);
  } finally {
    await browser.close();
  }
}
