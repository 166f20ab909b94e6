/** examples/editor.mjs runs as a user would run it (CI runs it here), against the compiled package. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyBps } from '../../src/patch/bps.js';
import { fixture, repoRoot, tempDir } from '../helpers/cli.js';

const out = tempDir('romgfx-example-');
afterAll(() => out.cleanup());

describe('examples/editor.mjs', () => {
  it('opens, lists, decodes, edits, undoes and redoes, and saves a ROM with a patch that reproduces it', () => {
    const run = spawnSync(process.execPath, [join(repoRoot, 'examples', 'editor.mjs'), fixture('roms', 'snes', 'SNES_05.sfc'), fixture('defs', 'snes05.json'), out.path], { encoding: 'utf8', cwd: repoRoot, timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/sprite-sheet: 128x128, 16 colours, colour 0 transparent/);
    expect(run.stdout).toMatch(/sprite-sheet: in-place|sprite-sheet: relocated/);
    const output = join(out.path, 'edited.sfc');
    expect(existsSync(output)).toBe(true);
    const input = readFileSync(fixture('roms', 'snes', 'SNES_05.sfc'));
    expect(Buffer.from(applyBps(readFileSync(join(out.path, 'edited.bps')), input).target).equals(readFileSync(output))).toBe(true);
    expect(readFileSync(output).equals(input)).toBe(false);
  });
});
