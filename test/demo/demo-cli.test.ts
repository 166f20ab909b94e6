import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { openRom } from '../../src/rom/rom.js';
import { applyPatch } from '../../src/patch/index.js';

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

describe('romgfx demo (the quick start)', () => {
  it('runs every step of the main job and leaves its outputs', () => {
    const run = runCli(['demo', '--json'], { cwd: dir.path });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { outDir: string; steps: { step: string; ok: boolean; detail: Record<string, unknown> }[] };
    expect(result.outDir).toBe(join(dir.path, 'romgfx-demo'));
    expect(result.steps.map((s) => s.step)).toEqual(['build', 'info', 'extract-all', 'inject-all', 'thumbs', 'scan']);
    expect(result.steps.every((s) => s.ok)).toBe(true);

    const out = result.outDir;
    for (const f of ['demo.sfc', 'demo.game.json', 'demo-edited.sfc', 'demo-edited.bps', 'scan.json', 'scan-sheet.png', 'sprites/ball.png', 'sprites/ball.json', 'thumbs/ball.png']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    // The edit relocated one sprite and changed one in place; the edited ROM is valid and the patch reproduces it.
    const inject = result.steps.find((s) => s.step === 'inject-all')!.detail as { changed: { sprite: string; outcome: string }[] };
    expect(inject.changed).toEqual([expect.objectContaining({ sprite: 'ball', outcome: 'relocated' }), expect.objectContaining({ sprite: 'key', outcome: 'in-place' })]);
    expect(openRom(join(out, 'demo-edited.sfc')).checksums()?.valid).toBe(true);
    const patched = applyPatch(readFileSync(join(out, 'demo-edited.bps')), readFileSync(join(out, 'demo.sfc')));
    expect(Buffer.from(patched.target).equals(readFileSync(join(out, 'demo-edited.sfc')))).toBe(true);
    const scan = result.steps.find((s) => s.step === 'scan')!.detail as { planted: number; plantedFound: number };
    expect(scan.plantedFound).toBe(scan.planted);
  });

  it('refuses to replace an existing folder without --force, and never empties a folder it did not make', () => {
    expect(runCli(['demo'], { cwd: dir.path }).code).toBe(74);
    expect(runCli(['demo', '--force'], { cwd: dir.path }).code).toBe(0);
    const foreign = join(dir.path, 'mine');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'precious.txt'), 'keep');
    const refused = runCli(['demo', '-o', foreign, '--force'], { cwd: dir.path });
    expect(refused.code).toBe(74);
    expect(readFileSync(join(foreign, 'precious.txt'), 'utf8')).toBe('keep');
  });
});
