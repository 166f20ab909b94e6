import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, runCli, tempDir } from '../helpers/cli.js';

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

describe('scan results feed thumbs (the two commands agree on the JSON shape)', () => {
  it('raw and compressed candidates both render', () => {
    const rom = fixture('roms', 'nes', 'full_game.nes');
    const scan = runCli(['scan', rom, '--codec', 'raw', '--json', '--no-cache']);
    expect(scan.code).toBe(0);
    const candidates = JSON.parse(scan.stdout) as { codec: string; kind: string }[];
    expect(candidates.length).toBeGreaterThan(0);
    // Palettes (kind 'palette') are scan results too; thumbs draws the tile blocks.
    const tileBlocks = candidates.filter((c) => c.kind === 'tiles');
    expect(tileBlocks.length).toBeGreaterThan(0);
    expect(candidates.every((c) => c.codec === 'raw')).toBe(true);
    const results = join(dir.path, 'scan.json');
    writeFileSync(results, scan.stdout);
    const out = join(dir.path, 'thumbs');
    const thumbs = runCli(['thumbs', rom, '--scan-results', results, '-o', out, '--no-cache', '--json']);
    expect(thumbs.stderr).toBe('');
    expect(thumbs.code).toBe(0);
    expect(JSON.parse(thumbs.stdout).failures).toEqual([]);
    expect(readdirSync(out)).toHaveLength(tileBlocks.length);
  });
});
