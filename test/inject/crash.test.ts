/**
 * Crash safety: the CLI is killed (SIGKILL) at spread-out moments of an injection into a 32 MiB
 * ROM (large enough that writing and fsyncing the output takes a while). After every kill the
 * input is intact and the output is either absent or complete — never partial. A later run
 * removes the temp files the killed writers left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { binPath, runCli, tempDir } from '../helpers/cli.js';
import { buildGbaRom } from '../../src/rom/build.js';
import { encodeTiles } from '../../src/gfx/formats.js';
import { getCodec } from '../../src/codecs/index.js';
import { encodeIndexedPng } from '../../src/gfx/png.js';
import { grayscalePalette } from '../../src/gfx/palette.js';
import { noisyArt, spriteArt } from './fixtures.js';

const romSizeInBytes = 32 * 1024 * 1024;
const killPoints = 10;

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('romgfx-inject-crash-');
});
afterAll(() => dir.cleanup());

function sha1(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Spawns the CLI and SIGKILLs it after `delayMs`; resolves when it has exited. */
function runAndKill(args: readonly string[], delayMs: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binPath, ...args], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

function sheetPixels(indices: Uint8Array, tiles: number): Uint8Array {
  const pixels = new Uint8Array(128 * 8 * Math.ceil(tiles / 16));
  for (let t = 0; t < tiles; t++) for (let p = 0; p < 64; p++) pixels[(Math.floor(t / 16) * 8 + (p >> 3)) * 128 + (t % 16) * 8 + (p & 7)] = indices[t * 64 + p]!;
  return pixels;
}

describe('a crash in the middle of writing', () => {
  it('leaves the input intact and no partial output; a later run cleans stale temp files', async () => {
    const tiles = 64;
    const lz77 = getCodec('lz77');
    const packed = lz77.compress(encodeTiles('gba4bpp', spriteArt(tiles, 4, 1)));
    const spriteAt = 0x10000;
    const pointerAt = 0x1000;
    const bus = 0x08000000 + spriteAt;
    const rom = buildGbaRom({
      size: romSizeInBytes,
      filler: 'random',
      payloads: [
        { offset: spriteAt, bytes: packed },
        { offset: pointerAt, bytes: Uint8Array.of(bus & 0xff, (bus >> 8) & 0xff, (bus >> 16) & 0xff, bus >>> 24) },
      ],
    });
    const romPath = join(dir.path, 'big.gba');
    const defsPath = join(dir.path, 'big.json');
    const pngPath = join(dir.path, 'edit.png');
    writeFileSync(romPath, rom);
    writeFileSync(
      defsPath,
      JSON.stringify({
        formatVersion: 1,
        id: 'crash',
        name: 'crash test',
        platform: 'gba',
        variants: [{ id: 'any', title: 'ROMGFX' }],
        sprites: [{ name: 'big', offset: '0x' + spriteAt.toString(16), codec: 'lz77', tileFormat: 'gba4bpp', tileCount: tiles }],
        pointers: [{ target: 'big', form: 'gba32', at: '0x' + pointerAt.toString(16) }],
        freeSpace: [{ start: '0x1000000', end: '0x1010000' }],
      }),
    );
    // Noise: it no longer fits, so the run relocates, repoints, and writes the whole 32 MiB.
    writeFileSync(pngPath, encodeIndexedPng({ width: 128, height: 32, pixels: sheetPixels(noisyArt(tiles, 4, 5), tiles) }, grayscalePalette(4)));
    const inputSha1 = sha1(rom);

    // A reference run gives the one complete output, and how long a run takes.
    const reference = join(dir.path, 'reference.gba');
    const started = Date.now();
    const ok = runCli(['inject', romPath, pngPath, '--sprite', 'big', '--defs', defsPath, '-o', reference, '--json']);
    const durationMs = Date.now() - started;
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).sprites[0].outcome).toBe('relocated');
    const expectedSha1 = sha1(readFileSync(reference));

    const output = join(dir.path, 'out.gba');
    let killedRuns = 0;
    for (let k = 0; k < killPoints; k++) {
      if (existsSync(output)) rmSync(output);
      // Spread over the run, weighted to its second half where the output is written.
      const delay = Math.round(durationMs * (0.3 + (0.8 * k) / killPoints));
      const run = await runAndKill(['inject', romPath, pngPath, '--sprite', 'big', '--defs', defsPath, '-o', output], delay);
      if (run.killed) killedRuns++;
      expect(sha1(readFileSync(romPath))).toBe(inputSha1);
      if (existsSync(output)) expect(sha1(readFileSync(output))).toBe(expectedSha1);
      // Nothing but the input, the reference, the definition, the PNG, the output, and temp files that are not the output name.
      for (const name of readdirSync(dir.path)) {
        if (name.startsWith('.romgfx-tmp-')) expect(name).not.toBe('out.gba');
      }
    }
    expect(killedRuns).toBeGreaterThan(0);

    // --in-place killed mid-way: the ROM is the original or the complete new one, never partial.
    const inPlace = join(dir.path, 'inplace.gba');
    for (let k = 0; k < 4; k++) {
      writeFileSync(inPlace, rom);
      const delay = Math.round(durationMs * (0.5 + (0.6 * k) / 4));
      await runAndKill(['inject', inPlace, pngPath, '--sprite', 'big', '--defs', defsPath, '--in-place'], delay);
      expect([inputSha1, expectedSha1]).toContain(sha1(readFileSync(inPlace)));
    }

    // A later run succeeds and removes stale temp files of dead writers for its output name
    // (planted ones too, so this holds whether or not a kill above landed inside the write),
    // keeping a live writer's temp file and other outputs' temp files.
    if (existsSync(output)) rmSync(output);
    const deadPid = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
      child.on('exit', () => resolve(child.pid!));
    });
    const stale = join(dir.path, `.romgfx-tmp-out.gba-${deadPid}-deadbeef`);
    const live = join(dir.path, `.romgfx-tmp-out.gba-${process.pid}-0badf00d`);
    const other = join(dir.path, `.romgfx-tmp-other.gba-${deadPid}-deadbeef`);
    for (const path of [stale, live, other]) writeFileSync(path, 'partial');
    const later = runCli(['inject', romPath, pngPath, '--sprite', 'big', '--defs', defsPath, '-o', output]);
    expect(later.code, later.stderr).toBe(0);
    expect(sha1(readFileSync(output))).toBe(expectedSha1);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
    rmSync(live);
    expect(readdirSync(dir.path).filter((n) => n.startsWith('.romgfx-tmp-out.gba-'))).toEqual([]);
  }, 120_000);
});
