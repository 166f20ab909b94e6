/**
 * Injection off the caller's thread (src/jobs/inject-jobs.ts): the same output ROM, patch,
 * output definition and result as the synchronous `injectSprites`/`injectFolder` on the fixture
 * definitions (HAL, GBA LZ77, LZ4, pb16, raw), progress per sprite, an abort mid-batch that
 * writes nothing and leaves the pool usable, a ROM changed under the batch, and an event loop
 * that keeps turning while a long batch packs. Needs `npx tsc -p .` (the worker runs from dist/).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TileCountMismatchError } from '../../src/errors.js';
import { closeInjectJobs, injectFolderAsync, injectSpritesAsync } from '../../src/jobs/inject-jobs.js';
import { closePatchJobs } from '../../src/jobs/patch-jobs.js';
import { injectFolder, injectSprites, type InjectResult } from '../../src/inject/inject.js';
import { extractAll } from '../../src/inject/extract.js';
import type { SpriteEdit } from '../../src/inject/plan.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import { buildDemoRom, demoDefinition } from '../../src/demo/demo-rom.js';
import { decodePng, encodeIndexedPng } from '../../src/gfx/png.js';
import { paletteFromRgb } from '../../src/gfx/palette.js';
import { crc32, sha1Hex } from '../../src/util/hash.js';
import { tempDir } from '../helpers/cli.js';
import { openGame } from '../../src/game/index.js';
import { buildInjectFixture, noisyArt, spriteArt, type FixturePlatform, type InjectFixture } from '../inject/fixtures.js';

const temps: { cleanup: () => void }[] = [];
afterEach(() => {
  while (temps.length > 0) temps.pop()!.cleanup();
});
afterAll(async () => {
  await closeInjectJobs();
  await closePatchJobs();
});

function folder(): string {
  const dir = tempDir();
  temps.push(dir);
  return dir.path;
}

function writeFixture(fixture: InjectFixture): { dir: string; rom: string; defs: string } {
  const dir = folder();
  const rom = join(dir, 'game.bin');
  writeFileSync(rom, fixture.bytes);
  const defs = join(dir, 'game.json');
  writeFileSync(defs, JSON.stringify(fixture.definitionJson));
  return { dir, rom, defs };
}

/** Every sprite edited: smooth new art, and noisy art (which grows past its slot and moves) for every third. */
function editsFor(fixture: InjectFixture, bpp: number): SpriteEdit[] {
  return fixture.sprites.map((s, i) => ({ sprite: s.name, indices: i % 3 === 2 ? noisyArt(s.tileCount, bpp, 91 + i) : spriteArt(s.tileCount, bpp, 40 + i) }));
}

/** A result without what legitimately differs between two runs (time, the paths written). */
function comparable(result: InjectResult): unknown {
  const { elapsedMs, output, patch, definitionOutput, ...rest } = result;
  void elapsedMs;
  void output;
  void definitionOutput;
  return { ...rest, patch: patch ? { format: patch.format, size: patch.size } : undefined };
}

function bytesOf(path: string): Buffer {
  return readFileSync(path);
}

const bppByPlatform: Record<FixturePlatform, number> = { 'snes-lorom': 4, 'snes-hirom': 4, gb: 2, gba: 4, nes: 2, md: 4 };

describe('injectSpritesAsync', () => {
  it.each(['snes-lorom', 'gba', 'md', 'gb'] as const)('%s: the same ROM, patch, output definition and result as injectSprites, with progress per sprite', async (platform) => {
    const fixture = buildInjectFixture(platform, { spritesPerCodec: 3 });
    const { dir, rom } = writeFixture(fixture);
    const edits = editsFor(fixture, bppByPlatform[platform]);
    const sync = injectSprites(rom, fixture.definition, edits, { output: join(dir, 'sync.bin'), patch: join(dir, 'sync.bps'), definitionOutput: join(dir, 'sync.json') });
    const progress: [number, number][] = [];
    const async = await injectSpritesAsync(rom, fixture.definition, edits, {
      output: join(dir, 'async.bin'),
      patch: join(dir, 'async.bps'),
      definitionOutput: join(dir, 'async.json'),
      threads: 2,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(sync.sprites.some((s) => s.outcome === 'relocated')).toBe(true);
    expect(sync.sprites.some((s) => s.outcome === 'in-place')).toBe(true);
    expect(bytesOf(join(dir, 'async.bin')).equals(bytesOf(join(dir, 'sync.bin')))).toBe(true);
    expect(bytesOf(join(dir, 'async.bps')).equals(bytesOf(join(dir, 'sync.bps')))).toBe(true);
    expect(readFileSync(join(dir, 'async.json'), 'utf8')).toBe(readFileSync(join(dir, 'sync.json'), 'utf8'));
    expect(comparable(async)).toEqual(comparable(sync));
    // One event per sprite after the opening (0, total); never backwards; ends at the total.
    expect(progress[0]).toEqual([0, edits.length]);
    expect(progress.at(-1)).toEqual([edits.length, edits.length]);
    expect(progress.every(([done, total], i) => total === edits.length && (i === 0 || done > progress[i - 1]![0]))).toBe(true);
    // In this thread (threads 0), the same bytes again.
    const here = await injectSpritesAsync(rom, fixture.definition, edits, { output: join(dir, 'here.bin'), threads: 0 });
    expect(bytesOf(join(dir, 'here.bin')).equals(bytesOf(join(dir, 'sync.bin')))).toBe(true);
    expect(comparable(here)).toEqual(comparable({ ...sync, patch: undefined } as InjectResult));
  }, 60_000);

  it('a failing edit fails the batch with the same code and message as the synchronous form, and nothing is written', async () => {
    const fixture = buildInjectFixture('snes-lorom');
    const { dir, rom } = writeFixture(fixture);
    const bad: SpriteEdit[] = [
      { sprite: fixture.sprites[0]!.name, indices: spriteArt(3, 4, 1) },
      { sprite: fixture.sprites[1]!.name, indices: spriteArt(fixture.sprites[1]!.tileCount, 4, 2) },
      { sprite: 'no-such-sprite', indices: spriteArt(1, 4, 1) },
    ];
    let syncError: { code?: string; message?: string } = {};
    try {
      injectSprites(rom, fixture.definition, bad, { output: join(dir, 'sync.bin') });
    } catch (error) {
      syncError = error as typeof syncError;
    }
    expect(syncError.code).toBe('ERR_BATCH_FAILED');
    await expect(injectSpritesAsync(rom, fixture.definition, bad, { output: join(dir, 'async.bin'), threads: 2 })).rejects.toMatchObject({ code: syncError.code, message: syncError.message });
    const one = [bad[0]!];
    const fromWorker = injectSpritesAsync(rom, fixture.definition, one, { output: join(dir, 'async.bin'), threads: 2 });
    await expect(fromWorker).rejects.toMatchObject({ code: 'ERR_TILE_COUNT' });
    // Rebuilt as its own class after crossing the thread (RomgfxError.fromJSON).
    await expect(fromWorker).rejects.toBeInstanceOf(TileCountMismatchError);
    expect(readdirSync(dir).sort()).toEqual(['game.bin', 'game.json']);
  }, 60_000);

  it('stops mid-batch on abort with ERR_ABORTED, writes nothing, and the pool serves the next batch', async () => {
    // Large noisy HAL blocks: every level up to max is tried on each, so the batch takes a while.
    const fixture = buildInjectFixture('snes-lorom', { spritesPerCodec: 6, tileCount: 64 });
    const { dir, rom } = writeFixture(fixture);
    const edits = fixture.sprites.map((s, i) => ({ sprite: s.name, indices: noisyArt(s.tileCount, 4, 300 + i) }));
    const controller = new AbortController();
    const seen: number[] = [];
    const output = join(dir, 'out.bin');
    const started = performance.now();
    let abortedAt = 0;
    await expect(
      injectSpritesAsync(rom, fixture.definition, edits, {
        output,
        patch: join(dir, 'out.bps'),
        threads: 2,
        signal: controller.signal,
        onProgress: (done) => {
          seen.push(done);
          if (done >= 1 && !controller.signal.aborted) {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      }),
    ).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    const stopped = performance.now();
    expect(seen.at(-1)!).toBeLessThan(edits.length);
    expect(readdirSync(dir).sort()).toEqual(['game.bin', 'game.json']);
    // Stopping does not wait for the sprites still packing: well under the batch's own time.
    const full = performance.now();
    const done = await injectSpritesAsync(rom, fixture.definition, edits, { output, threads: 2 });
    const fullMs = performance.now() - full;
    expect(stopped - abortedAt).toBeLessThan(fullMs / 2);
    expect(done.changed).toBe(true);
    expect(bytesOf(output).equals(bytesOf(join(dir, 'game.bin')))).toBe(false);
    // Already aborted: refused before any work.
    await expect(injectSpritesAsync(rom, fixture.definition, edits, { output: join(dir, 'never.bin'), signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(existsSync(join(dir, 'never.bin'))).toBe(false);
    void started;
  }, 120_000);

  it('a ROM rewritten while the batch runs is refused with ERR_ROM_CHANGED, nothing written', async () => {
    const fixture = buildInjectFixture('gba', { spritesPerCodec: 3 });
    const { dir, rom } = writeFixture(fixture);
    const edits = editsFor(fixture, 4);
    let rewritten = false;
    await expect(
      injectSpritesAsync(rom, fixture.definition, edits, {
        output: join(dir, 'out.bin'),
        threads: 2,
        onProgress: () => {
          if (rewritten) return;
          rewritten = true;
          const changed = Buffer.from(fixture.bytes);
          changed[0x100] = changed[0x100]! ^ 0xff;
          writeFileSync(rom, changed);
        },
      }),
    ).rejects.toMatchObject({ code: 'ERR_ROM_CHANGED' });
    expect(existsSync(join(dir, 'out.bin'))).toBe(false);
  }, 60_000);

  it('keeps the event loop turning during a long batch, where the synchronous form blocks it for the whole batch', async () => {
    // 8 KiB HAL blocks of smooth art: HAL `max` searches long matches on each (the slow case).
    const fixture = buildInjectFixture('snes-lorom', { spritesPerCodec: 6, tileCount: 256 });
    const { dir, rom } = writeFixture(fixture);
    const edits = fixture.sprites.map((s, i) => ({ sprite: s.name, indices: spriteArt(s.tileCount, 4, 500 + i) }));
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
    // Warm the pool first: worker start-up is not what is measured.
    await injectSpritesAsync(rom, fixture.definition, edits.slice(0, 2), { output: join(dir, 'warm.bin'), threads: 2 });
    const blocked = await longestGap(() => injectSprites(rom, fixture.definition, edits, { output: join(dir, 'sync.bin') }));
    const free = await longestGap(() => injectSpritesAsync(rom, fixture.definition, edits, { output: join(dir, 'async.bin'), threads: 2 }));
    expect(bytesOf(join(dir, 'async.bin')).equals(bytesOf(join(dir, 'sync.bin')))).toBe(true);
    // The synchronous batch is one long stall; the pooled one stalls only for the caller's share (survey, arrangement, write).
    expect(free).toBeLessThan(blocked / 3);
  }, 120_000);
});

describe('injectFolderAsync', () => {
  it('injects an edited extract-all folder of the demo ROM exactly as injectFolder does', async () => {
    const dir = folder();
    const demo = buildDemoRom();
    const rom = join(dir, 'demo.sfc');
    writeFileSync(rom, demo.bytes);
    const definition = parseGameDefinition(demoDefinition(demo, { crc32: crc32(demo.bytes), sha1: sha1Hex(demo.bytes) }), join(dir, 'demo.json'));
    const out = join(dir, 'sprites');
    const extracted = await extractAll(rom, definition, out, { threads: 0 });
    expect(extracted.failed).toBe(0);
    // Repaint two sprites (one HAL, one raw) as an editor would: indexed PNGs with the sidecar's palette.
    for (const item of [extracted.items[0]!, extracted.items.at(-1)!]) {
      const sidecar = JSON.parse(readFileSync(item.sidecar!, 'utf8')) as { palette: { colours: string[] } };
      const png = decodePng(readFileSync(item.png!));
      const pixels = new Uint8Array(png.width * png.height);
      for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + (i >> 4)) & 15;
      const rgb = new Uint8Array(sidecar.palette.colours.length * 3);
      sidecar.palette.colours.forEach((c, i) => rgb.set([parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)], i * 3));
      writeFileSync(item.png!, encodeIndexedPng({ width: png.width, height: png.height, pixels }, paletteFromRgb(rgb, 'test'), { transparentIndex0: true }));
    }
    const sync = injectFolder(rom, definition, out, { output: join(dir, 'sync.sfc') });
    const progress: number[] = [];
    const async = await injectFolderAsync(rom, definition, out, { output: join(dir, 'async.sfc'), threads: 2, onProgress: (done) => progress.push(done) });
    expect(sync.sprites.filter((s) => s.outcome !== 'unchanged')).toHaveLength(2);
    expect(bytesOf(join(dir, 'async.sfc')).equals(bytesOf(join(dir, 'sync.sfc')))).toBe(true);
    expect(comparable(async)).toEqual(comparable(sync));
    expect({ folder: async.folder, sidecars: async.sidecars, identityMismatches: async.identityMismatches }).toEqual({ folder: sync.folder, sidecars: sync.sidecars, identityMismatches: sync.identityMismatches });
    expect(progress.at(-1)).toBe(sync.sidecars);
  }, 60_000);
});

describe('Game.save', () => {
  it('packs in the pool with progress, writes what injectSprites writes, and a cancelled save writes nothing', async () => {
    const dir = folder();
    const demo = buildDemoRom();
    const rom = join(dir, 'demo.sfc');
    writeFileSync(rom, demo.bytes);
    const defs = join(dir, 'demo.json');
    writeFileSync(defs, JSON.stringify(demoDefinition(demo, { crc32: crc32(demo.bytes), sha1: sha1Hex(demo.bytes) })));
    using game = await openGame(rom, { definitions: defs });
    const names = game.sprites().map((s) => s.name);
    for (const name of [names[0]!, names.at(-1)!]) {
      const current = game.sprite(name);
      game.setPixels(name, { width: current.width, height: current.height, indices: current.indices.map((v, i) => (v + i) & 15) });
    }
    await expect(game.save({ output: join(dir, 'cancelled.sfc'), signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(existsSync(join(dir, 'cancelled.sfc'))).toBe(false);
    const progress: [number, number][] = [];
    const saved = await game.save({ output: join(dir, 'saved.sfc'), patch: join(dir, 'saved.bps'), threads: 2, onProgress: (done, total) => progress.push([done, total]) });
    expect(progress).toEqual([[0, 2], [1, 2], [2, 2]]);
    const edits = game.edits().map((e) => ({ sprite: e.sprite, image: { width: e.width, height: e.height, pixels: e.indices } }));
    const sync = injectSprites(rom, game.definition, edits, { output: join(dir, 'sync.sfc'), patch: join(dir, 'sync.bps'), variant: game.variant! });
    expect(bytesOf(join(dir, 'saved.sfc')).equals(bytesOf(join(dir, 'sync.sfc')))).toBe(true);
    expect(bytesOf(join(dir, 'saved.bps')).equals(bytesOf(join(dir, 'sync.bps')))).toBe(true);
    expect(comparable(saved)).toEqual(comparable(sync));
  }, 60_000);
});
