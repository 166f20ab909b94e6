/**
 * The Nintendo-family codecs through the compiled CLI, as a user reaches them: `romgfx
 * compress` at the default (max) level, `decompress` of a block inside a ROM with the exact
 * packed length, `--max-output` refusing an over-long stream, and a gen1-pic input of the wrong
 * size refused with its typed error.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnesRom } from '../../src/rom/build.js';

const bin = join(import.meta.dirname, '../../bin/romgfx.js');
const fixtures = join(import.meta.dirname, '../../fixtures/codecs');
const work = mkdtempSync(join(tmpdir(), 'romgfx-nintendo-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('romgfx with the Nintendo-family codecs', () => {
  it('compress writes the max-level stream (as small as sfc-comp); decompress finds it inside a ROM with its exact packed length', () => {
    const input = join(fixtures, 'lz2/tiles_4bpp_8k.bin');
    const packed = JSON.parse(run('compress', input, '--codec', 'lc-lz2', '-o', 'tiles.lz2', '--json').stdout) as { packedLength: number; level: string };
    expect(packed.level).toBe('max');
    expect(packed.packedLength).toBeLessThanOrEqual(readFileSync(join(fixtures, 'lz2/tiles_4bpp_8k.lz2')).length);
    const stream = readFileSync(join(work, 'tiles.lz2'));
    writeFileSync(join(work, 'smw.sfc'), buildSnesRom({ payloads: [{ offset: 0x9000, bytes: new Uint8Array(stream) }] }));
    const result = run('decompress', 'smw.sfc', '--codec', 'lc-lz2', '--offset', '0x9000', '-o', 'tiles.bin', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ packedLength: stream.length, unpackedLength: 8192 });
    expect(readFileSync(join(work, 'tiles.bin'))).toEqual(readFileSync(input));
    // The wrong member of the family fails with a typed error, not a crash.
    const wrong = run('decompress', 'smw.sfc', '--codec', 'lc-lz1', '--offset', '0x9000', '--json');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/ERR_CODEC_/);
  });

  it('--max-output refuses a stream that would produce more; a gen1-pic input that is not N×N tiles is refused', () => {
    const refused = run('decompress', join(fixtures, 'lz5/zeros_4k.lz5'), '--codec', 'lc-lz5', '--max-output', '4095');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('ERR_CODEC_OUTPUT_LIMIT');
    expect(run('decompress', join(fixtures, 'lz5/zeros_4k.lz5'), '--codec', 'lc-lz5', '--max-output', '4096').code).toBe(0);
    writeFileSync(join(work, 'odd.bin'), new Uint8Array(100));
    const pic = run('compress', 'odd.bin', '--codec', 'gen1-pic', '-o', 'odd.pic');
    expect(pic.code).not.toBe(0);
    expect(pic.stderr).toContain('ERR_PIC_DIMENSIONS');
    expect(run('compress', join(fixtures, 'pic/blob_7x7.bin'), '--codec', 'gen1-pic', '-o', 'blob.pic').code).toBe(0);
    expect(readFileSync(join(work, 'blob.pic')).length).toBe(257);
  });
});
