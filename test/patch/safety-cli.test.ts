/**
 * Issue #14 "Files and paths" and #18 for `checksum` and `patch apply`, as a user meets them:
 * an output that is the input (even with --force, even through a link) is refused; IPS says it
 * cannot check the ROM and --expect-crc32 checks it; a copier header is named instead of
 * "another ROM"; an invalid checksum exits 65.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, linkSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, runCli, tempDir } from '../helpers/cli.js';
import { applyIps, applyPatchToRom, createIps } from '../../src/patch/index.js';
import { crc32 } from '../../src/util/hash.js';
import { buildSnesRom } from '../../src/rom/build.js';

const clean = fixture('patches', 'clean.sfc');
const hack = fixture('patches', 'hack.sfc');
const bps = fixture('patches', 'clean-to-hack.delta.bps');
const ips = fixture('patches', 'clean-to-hack.ips');
let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('romgfx-patch-safety-');
});
afterAll(() => dir.cleanup());

const crcHex = (bytes: Uint8Array) => crc32(bytes).toString(16).padStart(8, '0');

describe('an output that is the input is refused, --force or not', () => {
  it('patch apply -o <input> --force, and -o <hard link to input> --force: exit 64, input unchanged', () => {
    const rom = join(dir.path, 'victim.sfc');
    writeFileSync(rom, readFileSync(clean));
    linkSync(rom, join(dir.path, 'victim-hard.sfc'));
    for (const output of [rom, join(dir.path, 'victim-hard.sfc')]) {
      const run = runCli(['patch', 'apply', ips, rom, '-o', output, '--force', '--json']);
      expect(run.code).toBe(64);
      expect(JSON.parse(run.stdout).error.code).toBe('ERR_OUTPUT_IS_INPUT');
      expect(run.stderr).toMatch(/--in-place/u);
    }
    expect(Buffer.compare(readFileSync(rom), readFileSync(clean))).toBe(0);
  });

  it('checksum --fix -o <input> --force: exit 64, input unchanged', () => {
    const rom = join(dir.path, 'bad-sum.sfc');
    writeFileSync(rom, buildSnesRom({ mapping: 'lorom', filler: 'random', validChecksum: false }));
    const before = readFileSync(rom);
    const run = runCli(['checksum', rom, '--fix', '-o', rom, '--force']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/ERR_OUTPUT_IS_INPUT/u);
    expect(Buffer.compare(readFileSync(rom), before)).toBe(0);
  });
});

describe('romgfx checksum exits 65 when a checksum is invalid', () => {
  it('invalid → 65 with ERR_CHECKSUM_INVALID (text and --json); valid → 0', () => {
    const bad = join(dir.path, 'invalid.sfc');
    writeFileSync(bad, buildSnesRom({ mapping: 'lorom', filler: 'random', validChecksum: false }));
    const text = runCli(['checksum', bad]);
    expect(text.code).toBe(65);
    expect(text.stdout).toMatch(/INVALID/u);
    expect(text.stderr).toMatch(/ERR_CHECKSUM_INVALID/u);
    const json = runCli(['checksum', bad, '--json']);
    expect(json.code).toBe(65);
    const report = JSON.parse(json.stdout);
    expect(report.checksum.valid).toBe(false);
    expect(report.error).toMatchObject({ code: 'ERR_CHECKSUM_INVALID', category: 'data', details: { invalid: ['snes'] } });
    const good = join(dir.path, 'valid.sfc');
    writeFileSync(good, buildSnesRom({ mapping: 'lorom', filler: 'random' }));
    expect(runCli(['checksum', good]).code).toBe(0);
  });
});

describe('IPS carries no checksum', () => {
  it('apply says so once on stderr; --expect-crc32 checks the source', () => {
    const out = join(dir.path, 'ips-out.sfc');
    const plain = runCli(['patch', 'apply', ips, clean, '-o', out]);
    expect(plain.code).toBe(0);
    expect(plain.stderr.match(/IPS patches carry no checksum/gu)).toHaveLength(1);

    const wrong = join(dir.path, 'ips-wrong.sfc');
    const refused = runCli(['patch', 'apply', ips, hack, '-o', wrong, '--expect-crc32', crcHex(readFileSync(clean)), '--json']);
    expect(refused.code).toBe(65);
    expect(JSON.parse(refused.stdout).error.code).toBe('ERR_SOURCE_CRC_MISMATCH');
    expect(existsSync(wrong)).toBe(false);

    const checked = join(dir.path, 'ips-checked.sfc');
    const ok = runCli(['patch', 'apply', ips, clean, '-o', checked, '--expect-crc32', '0x' + crcHex(readFileSync(clean)).toUpperCase()]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).not.toMatch(/no checksum/u);
    expect(Buffer.compare(readFileSync(checked), readFileSync(hack))).toBe(0);
    expect(runCli(['patch', 'apply', ips, clean, '-o', join(dir.path, 'x.sfc'), '--expect-crc32', 'nothex']).code).toBe(64);
  });

  it('a truncation record of size 0 is refused (it would empty the ROM); createIps never writes one', () => {
    const patch = Uint8Array.from([...Buffer.from('PATCH'), 0, 0, 1, 0, 1, 0xaa, ...Buffer.from('EOF'), 0, 0, 0]);
    expect(() => applyIps(patch, new Uint8Array(16))).toThrow(expect.objectContaining({ code: 'ERR_IPS_RECORD', message: expect.stringMatching(/truncation size .* is 0/u) }));
    expect(() => createIps(new Uint8Array(16), new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'ERR_PATCH_LIMIT' }));
    // A real shortening still works.
    expect(applyIps(createIps(new Uint8Array(16).fill(1), new Uint8Array(8).fill(1)), new Uint8Array(16).fill(1)).target).toHaveLength(8);
  });
});

describe('a ROM with a copier header', () => {
  const header = new Uint8Array(512).fill(0x5a);
  const headered = () => {
    const cleanBytes = readFileSync(clean);
    const file = new Uint8Array(512 + cleanBytes.length);
    file.set(header);
    file.set(cleanBytes, 512);
    return file;
  };

  it('a BPS made for the ROM without it: says so (not "another ROM"), and --strip-header / --keep-header apply it', () => {
    const rom = join(dir.path, 'clean.smc');
    writeFileSync(rom, headered());
    const refused = runCli(['patch', 'apply', bps, rom, '-o', join(dir.path, 'no.sfc'), '--json']);
    expect(refused.code).toBe(65);
    const error = JSON.parse(refused.stdout).error;
    expect(error).toMatchObject({ code: 'ERR_PATCH_COPIER_HEADER', details: { headerSize: 512 } });
    expect(error.message).toMatch(/--strip-header.*--keep-header/u);
    expect(error.message).not.toMatch(/--ignore-checksum/u);

    const stripped = join(dir.path, 'stripped.sfc');
    expect(runCli(['patch', 'apply', bps, rom, '-o', stripped, '--strip-header']).code).toBe(0);
    expect(Buffer.compare(readFileSync(stripped), readFileSync(hack))).toBe(0);
    const kept = join(dir.path, 'kept.smc');
    const keep = runCli(['patch', 'apply', bps, rom, '-o', kept, '--keep-header', '--json']);
    expect(keep.code).toBe(0);
    expect(JSON.parse(keep.stdout).copierHeader).toEqual({ size: 512, handling: 'keep' });
    const keptBytes = readFileSync(kept);
    expect(Buffer.compare(keptBytes.subarray(0, 512), Buffer.from(header))).toBe(0);
    expect(Buffer.compare(keptBytes.subarray(512), readFileSync(hack))).toBe(0);
    // Flags for a header that is not there are a usage error.
    expect(runCli(['patch', 'apply', bps, clean, '-o', join(dir.path, 'n.sfc'), '--strip-header']).code).toBe(64);
  });

  it('IPS with --expect-crc32 of the headerless ROM names the header too (library)', () => {
    expect(() => applyPatchToRom(readFileSync(ips), headered(), { romName: 'clean.smc', expectCrc32: crc32(readFileSync(clean)) })).toThrow(
      expect.objectContaining({ code: 'ERR_PATCH_COPIER_HEADER' }),
    );
    const result = applyPatchToRom(readFileSync(ips), headered(), { header: 'strip', expectCrc32: crc32(readFileSync(clean)) });
    expect(Buffer.compare(result.output, readFileSync(hack))).toBe(0);
  });
});
