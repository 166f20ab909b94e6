/** `romgfx scan` as a user runs it (compiled CLI in a child process). */
import { afterAll, describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseGameDefinition } from '../../src/defs/index.js';
import { plantedSnesRom } from './helpers/planted.js';
import { runCli, tempDir } from '../helpers/cli.js';

const dir = tempDir('romgfx-scan-cli-');
const fixture = plantedSnesRom(7, 512 * 1024, 6, 2);
const romPath = join(dir.path, 'planted.sfc');
writeFileSync(romPath, fixture.bytes);
const env = { ROMGFX_CACHE_DIR: join(dir.path, 'cache') };
afterAll(() => dir.cleanup());

const key = (c: { codec: string; offset: number; packedLength: number }) => `${c.codec}@${c.offset}+${c.packedLength}`;

describe('romgfx scan', () => {
  test('--json prints the candidates; the second run comes from the cache', () => {
    const first = runCli(['scan', romPath, '--json', '--workers', '2'], { env });
    expect(first.code, first.stderr).toBe(0);
    const list = JSON.parse(first.stdout) as Record<string, unknown>[];
    expect(Object.keys(list[0]!).sort()).toEqual(['codec', 'format', 'kind', 'offset', 'packedLength', 'score', 'unpackedLength']);
    expect(list.every((c) => c.kind === 'tiles')).toBe(true);
    expect(list.map((c) => key(c as never)).sort()).toEqual(fixture.planted.map(key).sort());
    const second = runCli(['scan', romPath], { env });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('from the scan cache');
    expect(second.stdout.split('\n')[0]).toMatch(/^offset\s+packed\s+unpacked\s+codec\s+format\s+score/u);
  });

  test('--csv, --codec, --range', () => {
    const hal = fixture.planted.filter((p) => p.codec === 'hal')[1]!;
    const run = runCli(['scan', romPath, '--csv', '--no-cache', '--workers', '0', '--codec', 'hal', '--range', `0x${hal.offset.toString(16)}-0x${(hal.offset + 16).toString(16)}`], { env });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('offset,packedLength,unpackedLength,codec,format,score,kind');
    expect(lines).toHaveLength(2);
    expect(lines[1]!.startsWith(`0x${hal.offset.toString(16).toUpperCase()},${hal.packedLength},${hal.unpackedLength},hal,`)).toBe(true);
  });

  test('--defs-out writes a definition the defs parser accepts; --sheet writes a PNG; both refuse to overwrite', () => {
    const defsPath = join(dir.path, 'game.json');
    const sheetPath = join(dir.path, 'sheet.png');
    const run = runCli(['scan', romPath, '--defs-out', defsPath, '--sheet', sheetPath, '--sheet-count', '6'], { env });
    expect(run.code, run.stderr).toBe(0);
    const definition = parseGameDefinition(readFileSync(defsPath, 'utf8'), defsPath);
    expect(definition.sprites.map((s) => s.offset.value).sort((a, b) => a - b)).toEqual(fixture.planted.map((p) => p.offset).sort((a, b) => a - b));
    const png = readFileSync(sheetPath);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const again = runCli(['scan', romPath, '--defs-out', defsPath], { env });
    expect(again.code).toBe(74);
    expect(again.stderr).toContain('ERR_OUTPUT_EXISTS');
  });

  test('--explain says why an offset was or was not reported, as text and JSON', () => {
    const hal = fixture.planted.filter((p) => p.codec === 'hal')[0]!;
    const text = runCli(['scan', romPath, '--explain', `0x${hal.offset.toString(16)}`, '--workers', '0'], { env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`reported: hal tiles`);
    expect(text.stdout).toMatch(/hal\s+\d+ -> \d+ bytes; snes4bpp/u);
    // One byte in: the HAL decode from there is a different (or no) stream; the verdict names the block that holds it.
    const inside = runCli(['scan', romPath, '--explain', `0x${(hal.offset + 1).toString(16)}`, '--json', '--workers', '0'], { env });
    expect(inside.code, inside.stderr).toBe(0);
    const explanation = JSON.parse(inside.stdout) as { offset: number; verdict: string; reported: { offset: number } | null; streams: { codec: string }[] };
    expect(explanation.offset).toBe(hal.offset + 1);
    expect(explanation.reported?.offset).toBe(hal.offset);
    expect(explanation.verdict).toMatch(/^inside a reported candidate/u);
    expect(explanation.streams.map((s) => s.codec)).toContain('hal');
    // A filler offset far from every block: not reported, and the reason says so.
    const outside = runCli(['scan', romPath, '--explain', '0x40', '--workers', '0'], { env });
    expect(outside.code, outside.stderr).toBe(0);
    expect(outside.stdout).toMatch(/^offset 0x0*40: not reported/u);
    // An offset past the end is refused like any location outside the ROM (a data error, before any scan).
    const past = runCli(['scan', romPath, '--explain', '0x7fffffff'], { env });
    expect(past.code).toBe(65);
    expect(past.stderr).toContain('0x7FFFFFFF');
  });

  test('bad flags are usage errors (exit 64)', () => {
    for (const args of [['--codec', 'zip'], ['--range', '10'], ['--min-score', '2'], ['--json', '--csv'], ['--workers', 'many'], ['--format', 'snes5bpp']]) {
      const run = runCli(['scan', romPath, ...args], { env });
      expect(run.code, args.join(' ')).toBe(64);
    }
    expect(existsSync(join(dir.path, 'nothing'))).toBe(false);
  });
});
