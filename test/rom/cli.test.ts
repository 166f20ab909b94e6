import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, runCli, tempDir } from '../helpers/cli.js';
import { buildGbRom, buildSnesRom } from '../../src/rom/build.js';

const snes05 = fixture('roms', 'snes', 'SNES_05.sfc');
let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

describe('romgfx info', () => {
  it('--json has the documented fields', () => {
    const run = runCli(['info', snes05, '--json']);
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout);
    expect(info).toMatchObject({ platform: 'snes', size: 262144, copierHeader: 0, title: 'EXAMPLE 5', mapping: 'lorom', headerOffset: 0x7fc0 });
    expect(info.checksum).toMatchObject({ stored: 0, computed: 0x8114, valid: false });
    expect(info.crc32).toMatch(/^[0-9a-f]{8}$/);
    expect(info.sha1).toMatch(/^[0-9a-f]{40}$/);
    expect(run.stderr).toBe('');
  });

  it('reports both Game Boy checksums', () => {
    const path = join(dir.path, 'gb.gb');
    writeFileSync(path, buildGbRom({ filler: 'random' }));
    const info = JSON.parse(runCli(['info', path, '--json']).stdout);
    expect(info.platform).toBe('gb');
    expect(info.checksum.header.valid).toBe(true);
    expect(info.checksum.global.valid).toBe(true);
  });

  it('NES has checksum null', () => {
    const info = JSON.parse(runCli(['info', fixture('roms', 'nes', 'full_game.nes'), '--json']).stdout);
    expect(info.checksum).toBeNull();
    expect(info.platform).toBe('nes');
  });

  it('skips and reports a SNES copier header', () => {
    const path = join(dir.path, 'copier.smc');
    writeFileSync(path, buildSnesRom({ mapping: 'hirom', copierHeader: true, filler: 'random' }));
    const info = JSON.parse(runCli(['info', path, '--json']).stdout);
    expect(info).toMatchObject({ platform: 'snes', mapping: 'hirom', copierHeader: 512, headerOffset: 0xffc0 });
    expect(info.checksum.valid).toBe(true);
  });
});

describe('bad input: typed error, exit code, nothing written', () => {
  const cases: { name: string; make: (d: string) => string; args?: string[]; code: number; error: string }[] = [
    { name: 'empty file', make: (d) => (writeFileSync(join(d, 'empty.sfc'), ''), join(d, 'empty.sfc')), code: 65, error: 'ERR_ROM_EMPTY' },
    { name: 'a directory', make: (d) => (mkdirSync(join(d, 'adir'), { recursive: true }), join(d, 'adir')), code: 65, error: 'ERR_NOT_A_FILE' },
    { name: 'a 3-byte file', make: (d) => (writeFileSync(join(d, 'three.bin'), 'abc'), join(d, 'three.bin')), code: 65, error: 'ERR_UNKNOWN_PLATFORM' },
    { name: 'a 3-byte file forced to SNES', make: (d) => join(d, 'three.bin'), args: ['--platform', 'snes'], code: 65, error: 'ERR_ROM_TOO_SMALL' },
    {
      name: 'a truncated iNES header',
      make: (d) => (writeFileSync(join(d, 'trunc.nes'), Buffer.from('NES\x1a\x02\x01', 'latin1')), join(d, 'trunc.nes')),
      code: 65,
      error: 'ERR_BAD_HEADER',
    },
    {
      name: 'an iNES header declaring more than the file holds',
      make: (d) => {
        const b = Buffer.alloc(4096);
        b.write('NES\x1a', 0, 'latin1');
        b[4] = 2;
        b[5] = 1;
        writeFileSync(join(d, 'short.nes'), b);
        return join(d, 'short.nes');
      },
      code: 65,
      error: 'ERR_BAD_HEADER',
    },
    { name: 'a file that is no ROM at all', make: (d) => (writeFileSync(join(d, 'text.txt'), 'hello world\n'.repeat(5000)), join(d, 'text.txt')), code: 65, error: 'ERR_UNKNOWN_PLATFORM' },
    { name: 'a missing file', make: (d) => join(d, 'nope.sfc'), code: 66, error: 'ERR_FILE_NOT_FOUND' },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.error}, exit ${c.code}`, () => {
      const path = c.make(dir.path);
      const before = readdirSync(dir.path).sort();
      const run = runCli(['info', path, '--json', ...(c.args ?? [])]);
      expect(run.code).toBe(c.code);
      expect(run.stderr).toContain(c.error);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(run.stdout).error.code).toBe(c.error);
      expect(readdirSync(dir.path).sort()).toEqual(before);
    });
  }

  it('an address outside the ROM → ERR_ADDRESS_NOT_MAPPED, exit 65', () => {
    // $C0:0000 is a LoROM mirror of $C0:8000 now (issue #18); $00:0100 is work RAM in every mapping.
    const run = runCli(['addr', snes05, '$00:0100', '--json']);
    expect(run.code).toBe(65);
    expect(JSON.parse(run.stdout).error.code).toBe('ERR_ADDRESS_NOT_MAPPED');
  });

  it('bad usage → exit 64', () => {
    expect(runCli(['info']).code).toBe(64);
    expect(runCli(['frobnicate']).code).toBe(64);
    expect(runCli(['addr', snes05, 'zz:zz']).code).toBe(64);
    expect(runCli(['checksum', snes05, '--fix']).code).toBe(64);
  });
});

describe('romgfx addr', () => {
  it('converts both ways on SNES_05 (LoROM)', () => {
    const fromBus = JSON.parse(runCli(['addr', snes05, '$81:8120', '--json']).stdout);
    expect(fromBus).toEqual([expect.objectContaining({ from: 'bus', romOffset: 0x8120, busAddress: 0x818120, bus: '$81:8120' })]);
    const fromOffset = JSON.parse(runCli(['addr', snes05, '0x8120', '--offset', '--json']).stdout);
    expect(fromOffset).toEqual([expect.objectContaining({ from: 'offset', romOffset: 0x8120, busAddress: 0x818120 })]);
    const bare = JSON.parse(runCli(['addr', snes05, '818120', '--bus', '--json']).stdout);
    expect(bare[0].romOffset).toBe(0x8120);
  });
});

describe('romgfx checksum --fix', () => {
  it('writes a corrected copy atomically and leaves the input alone', () => {
    const out = join(dir.path, 'fixed.sfc');
    const original = readFileSync(snes05);
    const run = runCli(['checksum', snes05, '--fix', '-o', out, '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.after).toMatchObject({ stored: 0x8114, valid: true });
    const fixed = readFileSync(out);
    expect(fixed.readUInt16LE(0x7fde)).toBe(0x8114);
    expect(fixed.readUInt16LE(0x7fdc)).toBe(0x7eeb);
    expect(readFileSync(snes05).equals(original)).toBe(true);
    expect(readdirSync(dir.path).filter((n) => n.startsWith('.romgfx-tmp'))).toEqual([]);
    const verify = JSON.parse(runCli(['info', out, '--json']).stdout);
    expect(verify.checksum.valid).toBe(true);
  });

  it('refuses to overwrite without --force, and overwrites with it', () => {
    const out = join(dir.path, 'exists.sfc');
    writeFileSync(out, 'keep me');
    const refused = runCli(['checksum', snes05, '--fix', '-o', out]);
    expect(refused.code).toBe(74);
    expect(refused.stderr).toContain('ERR_OUTPUT_EXISTS');
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect(runCli(['checksum', snes05, '--fix', '-o', out, '--force']).code).toBe(0);
    expect(readFileSync(out).length).toBe(262144);
  });

  it('keeps a copier header in front of the fixed ROM', () => {
    const path = join(dir.path, 'hdr.smc');
    const out = join(dir.path, 'hdr-fixed.smc');
    writeFileSync(path, buildSnesRom({ copierHeader: true, validChecksum: false, filler: 'random' }));
    expect(runCli(['checksum', path, '--fix', '-o', out]).code).toBe(0);
    const info = JSON.parse(runCli(['info', out, '--json']).stdout);
    expect(info.copierHeader).toBe(512);
    expect(info.checksum.valid).toBe(true);
  });

  it('NES: says there is no checksum', () => {
    const run = runCli(['checksum', fixture('roms', 'nes', 'full_game.nes'), '--fix', '-o', join(dir.path, 'x.nes')]);
    expect(run.code).toBe(65);
    expect(run.stderr).toContain('ERR_NO_CHECKSUM');
    expect(existsSync(join(dir.path, 'x.nes'))).toBe(false);
  });
});
