/**
 * The addon in worker threads: each thread loads its own instance (context-aware addon, per-
 * instance state), runs the kernels concurrently with the others, and gets the same bytes as
 * the main thread. Runs the compiled engine (dist/) as the thumbnail workers do, both in plain
 * worker_threads and in a Piscina pool.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { deflateSync } from 'node:zlib';
import { Piscina } from 'piscina';
import { afterAll, describe, expect, it } from 'vitest';
import { halKernels } from '../../src/codecs/hal/kernels.js';
import { getTileFormat } from '../../src/gfx/formats.js';
import { tileKernels } from '../../src/native/index.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { halFixtureDir, readHalFixture, requireNative } from './helpers.js';

requireNative();
const distNative = pathToFileURL(join(PACKAGE_ROOT, 'dist/src/native/index.js')).href;
const distFormats = pathToFileURL(join(PACKAGE_ROOT, 'dist/src/gfx/formats.js')).href;
const distHal = pathToFileURL(join(PACKAGE_ROOT, 'dist/src/codecs/hal/kernels.js')).href;

/** The job each worker runs: HAL level 2 (tiles) and max (varied16k), decode back, SNES 4bpp tiles decode; digests out. */
const job = `
  const { readFileSync } = await import('node:fs');
  const { createHash } = await import('node:crypto');
  const native = await import(${JSON.stringify(distNative)});
  const { halKernels } = await import(${JSON.stringify(distHal)});
  const { getTileFormat } = await import(${JSON.stringify(distFormats)});
  const digest = (bytes) => createHash('sha1').update(bytes).digest('hex');
  const input = new Uint8Array(readFileSync(${JSON.stringify(join(halFixtureDir, 'tiles4bpp_32k.bin'))}));
  const hal = halKernels();
  const level2 = hal.encode(input, 2);
  const varied = new Uint8Array(readFileSync(${JSON.stringify(join(halFixtureDir, 'varied16k.bin'))}));
  const max = hal.encodeOptimal(varied);
  const decoded = hal.decode(max, 0).data;
  const indices = new Uint8Array(input.length * 2);
  native.tileKernels().decodePlanarTiles(input, indices, input.length / 32, getTileFormat('snes4bpp').planarLayout);
  // This thread's own zlib stream, used at two levels and back (reset and rebuilt between calls).
  const deflate = native.zlibDeflate();
  const deflated = [digest(deflate.deflate(input, 3)), digest(deflate.deflate(varied, 9)), digest(deflate.deflate(input, 3))];
  const result = {
    deflate: deflate.implementation,
    deflated,
    implementation: hal.implementation,
    loaded: native.nativeStatus().loaded,
    level2: digest(level2),
    max: digest(max),
    roundTrip: digest(decoded) === digest(varied),
    tiles: digest(indices),
  };
`;

function expected(): Record<string, unknown> {
  const digest = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex');
  const input = readHalFixture('tiles4bpp_32k.bin');
  const indices = new Uint8Array(input.length * 2);
  tileKernels().decodePlanarTiles(input, indices, input.length / 32, getTileFormat('snes4bpp').planarLayout!);
  const varied = readHalFixture('varied16k.bin');
  return {
    deflate: 'native',
    deflated: [digest(deflateSync(input, { level: 3 })), digest(deflateSync(varied, { level: 9 })), digest(deflateSync(input, { level: 3 }))],
    implementation: 'native',
    loaded: true,
    level2: digest(halKernels().encode(input, 2)),
    max: digest(halKernels().encodeOptimal(varied)),
    roundTrip: true,
    tiles: digest(indices),
  };
}

const scratch = mkdtempSync(join(tmpdir(), 'romgfx-native-worker-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('native kernels in worker threads', () => {
  it('three worker_threads at once load their own instance and match the main thread', async () => {
    const want = expected();
    const runOne = (): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const worker = new Worker(`(async () => { ${job}; require('node:worker_threads').parentPort.postMessage(result); })().catch((e) => { throw e; });`, { eval: true });
        worker.once('message', (message) => {
          resolve(message);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    const replies = await Promise.all([runOne(), runOne(), runOne()]);
    for (const reply of replies) expect(reply).toEqual(want);
  });

  it('a Piscina pool of 2 threads runs the kernels natively, 6 tasks at once', async () => {
    const workerFile = join(scratch, 'native-task.mjs');
    writeFileSync(workerFile, `export default async function () { ${job}; return result; }\n`);
    const pool = new Piscina({ filename: pathToFileURL(workerFile).href, minThreads: 2, maxThreads: 2 });
    try {
      const replies = await Promise.all(Array.from({ length: 6 }, () => pool.run(null)));
      const want = expected();
      for (const reply of replies) expect(reply).toEqual(want);
    } finally {
      await pool.destroy();
    }
  });
});
