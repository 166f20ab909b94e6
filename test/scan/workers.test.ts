/** The worker-pool path (dist/workers/scan-worker.js; `npm test` builds it) gives what the in-process path gives. */
import { afterAll, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeScanPools, scanRomReport } from '../../src/scan/index.js';
import { AbortedError, RomIdentityMismatchError } from '../../src/errors.js';
import { ScanPool, defaultScanWorkerFile } from '../../src/scan/pool.js';
import { openRom } from '../../src/rom/rom.js';
import { plantedGbaRom } from './helpers/planted.js';
import { tempDir } from '../helpers/cli.js';

const dir = tempDir('romgfx-scan-workers-');
const fixture = plantedGbaRom(21);
const path = join(dir.path, 'planted.gba');
writeFileSync(path, fixture.bytes);
afterAll(async () => {
  await closeScanPools();
  dir.cleanup();
});

describe('scan workers', () => {
  test('2 workers, 1 worker and in-process agree, chunk boundaries included', async () => {
    const options = { cache: false, codecs: ['lz77', 'lz11', 'rle', 'lz4', 'raw'] as const };
    const inProcess = await scanRomReport(path, { ...options, codecs: [...options.codecs], workers: 0 });
    const two = await scanRomReport(path, { ...options, codecs: [...options.codecs], workers: 2 });
    const one = await scanRomReport(openRom(path), { ...options, codecs: [...options.codecs], workers: 1 });
    expect(two.candidates).toEqual(inProcess.candidates);
    expect(one.candidates).toEqual(inProcess.candidates);
    const found = new Set(two.candidates.map((c) => `${c.codec}@${c.offset}+${c.packedLength}`));
    for (const p of fixture.planted) expect(found.has(`${p.codec}@${p.offset}+${p.packedLength}`)).toBe(true);
  });

  test('cancellation stops the pool scan with AbortedError', async () => {
    const controller = new AbortController();
    const pending = scanRomReport(path, { cache: false, workers: 2, codecs: ['raw', 'lz77'] }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });

  test('a worker refuses a file that is not the ROM the task names', async () => {
    const pool = new ScanPool(1, defaultScanWorkerFile);
    try {
      await expect(
        pool.run({ path, platform: 'gba', sha1: '0'.repeat(40), codec: 'lz77', start: 0, end: 1024, formats: ['gba4bpp'], minimumUnpackedSize: 512, minimumScore: 0.5 }),
      ).rejects.toMatchObject({ code: new RomIdentityMismatchError('a', 'b', 'c').code });
    } finally {
      await pool.close();
    }
  });
});
