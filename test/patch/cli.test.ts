import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, runCli, tempDir } from '../helpers/cli.js';

const clean = fixture('patches', 'clean.sfc');
const hack = fixture('patches', 'hack.sfc');
let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

const sameFile = (a: string, b: string): boolean => Buffer.compare(readFileSync(a), readFileSync(b)) === 0;

describe('romgfx patch', () => {
  it('create → apply round-trips clean → hack as BPS, with --json figures', () => {
    const bps = join(dir.path, 'p.bps');
    const made = runCli(['patch', 'create', clean, hack, '-o', bps, '--json']);
    expect(made.code).toBe(0);
    const report = JSON.parse(made.stdout);
    expect(report).toMatchObject({ format: 'bps', sourceSize: 524288, targetSize: 528896 });
    expect(report.patchSize).toBeLessThanOrEqual(1254);
    expect(report.targetCrc32).toMatch(/^[0-9a-f]{8}$/);
    const out = join(dir.path, 'out.sfc');
    const applied = runCli(['patch', 'apply', bps, clean, '-o', out, '--json']);
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ format: 'bps', checksumMismatches: [], targetCrc32: report.targetCrc32 });
    expect(sameFile(out, hack)).toBe(true);
  });

  it('IPS by extension; --format overrides; unknown extension is a usage error', () => {
    const ips = join(dir.path, 'p.ips');
    expect(runCli(['patch', 'create', clean, hack, '-o', ips]).code).toBe(0);
    expect(sameFile(ips, fixture('patches', 'clean-to-hack.ips'))).toBe(true);
    const odd = join(dir.path, 'p.patch');
    expect(runCli(['patch', 'create', clean, hack, '-o', odd]).code).toBe(64);
    expect(runCli(['patch', 'create', clean, hack, '-o', odd, '--format', 'ips']).code).toBe(0);
    expect(sameFile(odd, ips)).toBe(true);
  });

  it('refuses to overwrite without --force', () => {
    const out = join(dir.path, 'exists.sfc');
    writeFileSync(out, 'keep');
    const run = runCli(['patch', 'apply', fixture('patches', 'clean-to-short.ips'), clean, '-o', out]);
    expect(run.code).toBe(74);
    expect(readFileSync(out, 'utf8')).toBe('keep');
    expect(runCli(['patch', 'apply', fixture('patches', 'clean-to-short.ips'), clean, '-o', out, '--force']).code).toBe(0);
    expect(sameFile(out, fixture('patches', 'short.sfc'))).toBe(true);
  });

  it('a BPS for another ROM is refused (exit 65, ERR_BPS_SOURCE_CRC) unless --ignore-checksum', () => {
    const out = join(dir.path, 'wrong.sfc');
    const run = runCli(['patch', 'apply', fixture('patches', 'clean-to-hack.delta.bps'), hack, '-o', out, '--json']);
    expect(run.code).toBe(65);
    expect(JSON.parse(run.stdout).error.code).toBe('ERR_BPS_SOURCE_SIZE');
    const other = join(dir.path, 'other.sfc');
    const bytes = readFileSync(clean);
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(other, bytes);
    const refused = runCli(['patch', 'apply', fixture('patches', 'clean-to-hack.delta.bps'), other, '-o', out]);
    expect(refused.code).toBe(65);
    expect(refused.stderr).toContain('ERR_BPS_SOURCE_CRC');
    const forced = runCli(['patch', 'apply', fixture('patches', 'clean-to-hack.delta.bps'), other, '-o', out, '--ignore-checksum', '--json']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout).checksumMismatches).toEqual(['source', 'target']);
    expect(forced.stderr).toContain('checksum mismatch');
  });
});
