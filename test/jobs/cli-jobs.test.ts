/**
 * The CLI's inject-all on the async form (dist/): --threads 0 (this thread) and --threads 2 (the
 * pool) write the same ROM and patch and print the same JSON as each other; a --threads out of
 * range is a usage error before any work.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { decodePng, encodeIndexedPng } from '../../src/gfx/png.js';
import { buildInjectFixture, noisyArt, spriteArt } from '../inject/fixtures.js';

const dir = tempDir('romgfx-cli-jobs-');
afterAll(() => dir.cleanup());

/** Repaints an extracted sheet PNG (tiles in a row, as extract-all lays out a sheet) with `indices`. */
function repaint(path: string, indices: Uint8Array): void {
  const decoded = decodePng(readFileSync(path));
  if (decoded.kind !== 'indexed') throw new Error('expected an indexed PNG');
  const pixels = new Uint8Array(decoded.width * decoded.height);
  const perRow = decoded.width / 8;
  for (let t = 0; t < indices.length / 64; t++) {
    for (let p = 0; p < 64; p++) pixels[(Math.floor(t / perRow) * 8 + (p >> 3)) * decoded.width + (t % perRow) * 8 + (p & 7)] = indices[t * 64 + p]!;
  }
  writeFileSync(path, encodeIndexedPng({ width: decoded.width, height: decoded.height, pixels }, decoded.palette, { transparentIndex0: true }));
}

describe('inject-all --threads', () => {
  it('this thread and the pool give the same files and the same JSON; a bad --threads is refused first', () => {
    const fixture = buildInjectFixture('snes-lorom', { spritesPerCodec: 3 });
    const rom = join(dir.path, 'game.sfc');
    const defs = join(dir.path, 'game.json');
    writeFileSync(rom, fixture.bytes);
    writeFileSync(defs, JSON.stringify(fixture.definitionJson));
    const here = join(dir.path, 'here');
    expect(runCli(['extract-all', rom, '--defs', defs, '-o', here]).code).toBe(0);
    // Sprites edited: one smooth (in place), one noisy (relocated).
    repaint(join(here, `${fixture.sprites[0]!.name}.png`), noisyArt(16, 4, 11));
    repaint(join(here, `${fixture.sprites[1]!.name}.png`), spriteArt(16, 4, 29));
    const results = ['0', '2'].map((threads) => {
      const run = runCli(['inject-all', rom, here, '--defs', defs, '-o', join(dir.path, `out-${threads}.sfc`), '--patch', join(dir.path, `out-${threads}.bps`), '--threads', threads, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const { elapsedMs, output, patch, ...rest } = JSON.parse(run.stdout) as Record<string, unknown>;
      void elapsedMs;
      void output;
      void patch;
      return rest;
    });
    expect(results[1]).toEqual(results[0]);
    expect((results[0]!.sprites as { outcome: string }[]).map((s) => s.outcome).sort()).toEqual(['in-place', 'relocated', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(readFileSync(join(dir.path, 'out-2.sfc')).equals(readFileSync(join(dir.path, 'out-0.sfc')))).toBe(true);
    expect(readFileSync(join(dir.path, 'out-2.bps')).equals(readFileSync(join(dir.path, 'out-0.bps')))).toBe(true);
    const bad = runCli(['inject-all', rom, here, '--defs', defs, '-o', join(dir.path, 'never.sfc'), '--threads', '65']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/--threads must be from 0 to 64/u);
    expect(readdirSync(dir.path)).not.toContain('never.sfc');
  }, 60_000);
});
