import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnesRom } from '../../src/rom/build.js';

// Runs the compiled CLI (npm test builds dist/ first).
const bin = join(import.meta.dirname, '../../bin/romgfx.js');
const fixtures = join(import.meta.dirname, '../../fixtures');
const work = mkdtempSync(join(tmpdir(), 'romgfx-codecs-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('romgfx codecs / compress / decompress', () => {
  it('codecs lists every codec, with --json', () => {
    const listed = JSON.parse(run('codecs', '--json').stdout) as { name: string; canCompress: boolean; levels: string[] }[];
    expect(listed.map((c) => c.name)).toEqual(['hal', 'lz77', 'lz11', 'rle', 'huffman', 'diff', 'lz4', 'pb16', 'lc-lz1', 'lc-lz2', 'lc-lz3', 'lc-lz5', 'konami1', 'gen1-pic', 'nemesis', 'kosinski', 'kosinski-moduled', 'enigma', 'saxman', 'comper', 'lz4w', 'rle-neslib']);
    expect(listed.find((c) => c.name === 'hal')?.levels).toEqual(['1', '2', '3', '4', 'max']);
    const rows = listed as unknown as { name: string; levels: string[]; platforms: string[]; accurate: boolean; defaultLevel: string | null }[];
    expect(rows.find((c) => c.name === 'saxman')).toMatchObject({ levels: ['fast', 'max'], defaultLevel: 'max', platforms: ['md'], accurate: false });
    expect(rows.find((c) => c.name === 'lz77')?.platforms).toEqual(['gba']);
    expect(rows.find((c) => c.name === 'huffman')).toMatchObject({ canCompress: true, levels: ['max'] });
    // Every row's accurate flag says whether the level list has 'accurate'.
    for (const row of rows) expect(row.accurate).toBe(row.levels.includes('accurate'));
    const text = run('codecs');
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(listed.length);
    expect(lines.find((line) => line.startsWith('comper'))).toMatch(/^comper\s+levels fast, max \(default max\)\s+md\s+Mega Drive Comper/);
    expect(lines.find((line) => line.startsWith('pb16'))).toMatch(/\s+gb, gbc\s+PB16/);
  });

  it('compress --level 4 writes exactly what inhal -4 wrote; max is smaller; refuses to overwrite', () => {
    const input = join(fixtures, 'hal/tiles4bpp_32k.bin');
    expect(run('compress', input, '--codec', 'hal', '--level', '4', '-o', 'l4.hal').code).toBe(0);
    expect(readFileSync(join(work, 'l4.hal'))).toEqual(readFileSync(join(fixtures, 'hal/tiles4bpp_32k.L4.hal')));
    const max = JSON.parse(run('compress', input, '--codec', 'hal', '-o', 'max.hal', '--json').stdout) as { packedLength: number; level: string };
    expect(max.level).toBe('max');
    expect(max.packedLength).toBeLessThan(6801);
    const again = run('compress', input, '--codec', 'hal', '-o', 'max.hal');
    expect(again.code).toBe(74);
    expect(again.stderr).toContain('ERR_OUTPUT_EXISTS');
    expect(run('compress', input, '--codec', 'hal', '-o', 'max.hal', '--force').code).toBe(0);
  });

  it('decompress reads a block at an offset inside a ROM and prints packed and unpacked sizes', () => {
    const packed = readFileSync(join(fixtures, 'hal/varied16k.L2.hal'));
    writeFileSync(join(work, 'game.sfc'), buildSnesRom({ payloads: [{ offset: 0x8120, bytes: new Uint8Array(packed) }] }));
    const result = run('decompress', 'game.sfc', '--codec', 'hal', '--offset', '0x8120', '-o', 'out.bin', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { offset: number; packedLength: number; unpackedLength: number };
    expect(report).toMatchObject({ offset: 0x8120, packedLength: packed.length, unpackedLength: 16384 });
    expect(readFileSync(join(work, 'out.bin'))).toEqual(readFileSync(join(fixtures, 'hal/varied16k.bin')));
    const text = run('decompress', 'game.sfc', '--codec', 'hal', '--offset', '33056').stdout;
    // Text sizes are for people (16 KiB), keeping the exact count when not whole; --json has the raw numbers.
    expect(text).toContain(`(${packed.length} bytes)`);
    expect(text).toContain('unpacked 16 KiB');
  });

  it('decompress detects the GBA variant from the header byte; pb16 takes --size', () => {
    for (const file of ['main_c_huff_4.bin', 'main_c_huff_8.bin']) {
      const report = JSON.parse(run('decompress', join(fixtures, 'gba-bios', file), '--codec', 'huffman', '--json').stdout) as { unpackedLength: number };
      expect(report.unpackedLength).toBe(2724);
    }
    writeFileSync(join(work, 'tiny.pb16'), new Uint8Array([0x30, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]));
    expect(run('decompress', 'tiny.pb16', '--codec', 'pb16', '--size', '8', '-o', 'tiny.bin').code).toBe(0);
    expect([...readFileSync(join(work, 'tiny.bin'))]).toEqual([0x11, 0x22, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);
  });

  it('bad data exits 65 with the typed error; unknown codec and bad flags exit 64', () => {
    const bad = run('decompress', join(fixtures, 'hal/malformed/backward-before-start.hal'), '--codec', 'hal', '--json');
    expect(bad.code).toBe(65);
    expect((JSON.parse(bad.stdout) as { error: { code: string } }).error.code).toBe('ERR_HAL_BACKWARD_BEFORE_START');
    expect(run('decompress', join(fixtures, 'hal/abc.L1.hal'), '--codec', 'zip').code).toBe(64);
    expect(run('decompress', 'tiny.pb16', '--codec', 'pb16', '--size', 'lots').code).toBe(64);
    expect(run('compress', join(fixtures, 'hal/abc.bin'), '--codec', 'hal', '--level', '9', '-o', 'x.hal').code).toBe(64);
    const oversize = run('compress', join(fixtures, 'hal/oversize65537.bin'), '--codec', 'hal', '-o', 'big.hal');
    expect(oversize.code).toBe(65);
    expect(oversize.stderr).toContain('ERR_CODEC_INPUT_TOO_LARGE');
  });
});
