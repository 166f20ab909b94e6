/**
 * extract-all as an async job (src/inject/extract.ts): the pool and this thread write the same
 * bytes as the synchronous `extractSpritesToFiles` (HAL, GBA LZ77, LZ4), progress per sprite,
 * an abort mid-batch that writes nothing and leaves the pool usable, a ROM changed under the
 * batch, and an event loop that keeps turning while the files are made and written. Needs
 * `npx tsc -p .` (the worker runs from dist/).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { assignStems, closeExtractJobs, extractAll, extractSpritesToFiles } from '../../src/inject/extract.js';
import { openRom } from '../../src/rom/rom.js';
import { tempDir } from '../helpers/cli.js';
import { buildInjectFixture, type FixturePlatform } from '../inject/fixtures.js';

const temps: { cleanup: () => void }[] = [];
afterEach(() => {
  while (temps.length > 0) temps.pop()!.cleanup();
});
afterAll(() => closeExtractJobs());

function folder(): string {
  const dir = tempDir();
  temps.push(dir);
  return dir.path;
}

function sameFolders(a: string, b: string): void {
  const names = readdirSync(a).sort();
  expect(readdirSync(b).sort()).toEqual(names);
  for (const name of names) expect(readFileSync(join(a, name)).equals(readFileSync(join(b, name))), name).toBe(true);
}

describe('extractAll as a job', () => {
  it.each(['snes-lorom', 'gba', 'md'] as FixturePlatform[])('%s: pool and this thread write the bytes extractSpritesToFiles writes; progress counts every sprite', async (platform) => {
    const fixture = buildInjectFixture(platform, { spritesPerCodec: 12, tileCount: 8 });
    const dir = folder();
    const romPath = join(dir, 'game.bin');
    writeFileSync(romPath, fixture.bytes);
    const progress: [number, number][] = [];
    const pooled = await extractAll(romPath, fixture.definition, join(dir, 'pooled'), { threads: 2, minimumSpritesForPool: 1, onProgress: (done, total) => progress.push([done, total]) });
    expect(pooled).toMatchObject({ mode: 'pool', total: 24, failed: 0 });
    const here = await extractAll(romPath, fixture.definition, join(dir, 'here'), { threads: 0 });
    expect(here.mode).toBe('in-process');
    // The synchronous form, over the same ROM and stems.
    const rom = openRom(romPath);
    mkdirSync(join(dir, 'sync'));
    const items = assignStems(fixture.definition.sprites.map((s) => s.name));
    const sync = extractSpritesToFiles(rom, { definition: fixture.definition, variant: pooled.variant ?? undefined, identity: rom.identity(), outDir: join(dir, 'sync'), force: false, items });
    expect(sync.every((r) => r.ok)).toBe(true);
    sameFolders(join(dir, 'sync'), join(dir, 'pooled'));
    sameFolders(join(dir, 'sync'), join(dir, 'here'));
    // Per sprite, never backwards, ending at the total.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toEqual([24, 24]);
    expect(progress.every(([done, total], i) => total === 24 && done >= 1 && (i === 0 || done > progress[i - 1]![0]))).toBe(true);
  }, 60_000);

  it('stops mid-batch on abort with ERR_ABORTED, writes nothing, and the pool serves the next batch', async () => {
    const fixture = buildInjectFixture('snes-lorom', { spritesPerCodec: 40, tileCount: 64 });
    const dir = folder();
    const romPath = join(dir, 'game.sfc');
    writeFileSync(romPath, fixture.bytes);
    for (const threads of [2, 0]) {
      const out = join(dir, `out-${threads}`);
      const controller = new AbortController();
      let last = 0;
      await expect(
        extractAll(romPath, fixture.definition, out, {
          threads,
          minimumSpritesForPool: 1,
          signal: controller.signal,
          onProgress: (done) => {
            last = done;
            if (done >= 2) controller.abort();
          },
        }),
      ).rejects.toMatchObject({ code: 'ERR_ABORTED' });
      expect(last).toBeLessThan(80);
      expect(existsSync(out)).toBe(false);
    }
    const again = await extractAll(romPath, fixture.definition, join(dir, 'again'), { threads: 2, minimumSpritesForPool: 1 });
    expect(again).toMatchObject({ mode: 'pool', succeeded: 80 });
    await expect(extractAll(romPath, fixture.definition, join(dir, 'never'), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(existsSync(join(dir, 'never'))).toBe(false);
  }, 60_000);

  it('a ROM rewritten while the batch runs is refused with ERR_ROM_CHANGED before any file is written', async () => {
    const fixture = buildInjectFixture('gba', { spritesPerCodec: 12, tileCount: 8 });
    const dir = folder();
    const romPath = join(dir, 'game.gba');
    writeFileSync(romPath, fixture.bytes);
    for (const threads of [2, 0]) {
      let rewritten = false;
      const out = join(dir, `out-${threads}`);
      await expect(
        extractAll(romPath, fixture.definition, out, {
          threads,
          minimumSpritesForPool: 1,
          onProgress: () => {
            if (rewritten) return;
            rewritten = true;
            const changed = Buffer.from(fixture.bytes);
            changed[0x200] = changed[0x200]! ^ 0xff;
            writeFileSync(romPath, changed);
          },
        }),
      ).rejects.toMatchObject({ code: 'ERR_ROM_CHANGED' });
      expect(existsSync(out)).toBe(false);
      writeFileSync(romPath, fixture.bytes);
    }
  }, 60_000);

  it('keeps the event loop turning while a batch is made and written, where the synchronous form blocks it', async () => {
    const fixture = buildInjectFixture('snes-lorom', { spritesPerCodec: 32, tileCount: 16 });
    const dir = folder();
    const romPath = join(dir, 'game.sfc');
    writeFileSync(romPath, fixture.bytes);
    const longestGap = async (work: () => unknown): Promise<number> => {
      let last = performance.now();
      let longest = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }, 5);
      try {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await work();
        await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        clearInterval(timer);
      }
      return Math.max(longest, performance.now() - last);
    };
    await extractAll(romPath, fixture.definition, join(dir, 'warm'), { threads: 2, minimumSpritesForPool: 1, sprites: ['hal-sprite-0', 'hal-sprite-1'] });
    const rom = openRom(romPath);
    mkdirSync(join(dir, 'sync'));
    const items = assignStems(fixture.definition.sprites.map((s) => s.name));
    const blocked = await longestGap(() => extractSpritesToFiles(rom, { definition: fixture.definition, variant: 'test', identity: rom.identity(), outDir: join(dir, 'sync'), force: false, items }));
    const free = await longestGap(() => extractAll(romPath, fixture.definition, join(dir, 'pooled'), { threads: 2, minimumSpritesForPool: 1 }));
    sameFolders(join(dir, 'sync'), join(dir, 'pooled'));
    expect(free).toBeLessThan(blocked / 3);
  }, 60_000);
});
