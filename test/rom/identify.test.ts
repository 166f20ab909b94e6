import { describe, expect, it } from 'vitest';
import { romFromBytes, openRom } from '../../src/rom/rom.js';
import { mmapAvailable } from '../../src/rom/source.js';
import { fixtureRoms } from '../helpers/fixture-roms.js';
import { fixture } from '../helpers/cli.js';
import { buildSnesRom } from '../../src/rom/build.js';
import { RomgfxError } from '../../src/errors.js';

describe('mmap-io addon', () => {
  it('is built and loads (a clean install must build it; nothing else may hide its absence)', () => {
    expect(mmapAvailable()).toBe(true);
  });

  it('opens files through a read-only mapping', () => {
    const rom = openRom(fixture('roms', 'snes', 'SNES_05.sfc'));
    expect(rom.source.mapped).toBe(true);
  });
});

describe('platform identification on synthetic ROMs', () => {
  for (const f of fixtureRoms()) {
    it(`${f.name} → ${f.platform}${f.mapping ? '/' + f.mapping : ''}`, () => {
      const rom = romFromBytes(f.bytes, { name: f.name });
      expect(rom.platform).toBe(f.platform);
      expect(rom.copierHeaderSize).toBe(f.copierHeader);
      if (f.mapping) expect(rom.mapping).toBe(f.mapping);
      const sums = rom.checksums();
      if (f.checksumValid === null) expect(sums).toBeNull();
      else expect(sums?.valid).toBe(f.checksumValid);
    });
  }

  it('the explicit override wins over header evidence', () => {
    const bytes = buildSnesRom({ mapping: 'lorom' });
    expect(romFromBytes(bytes, { platform: 'unknown' }).platform).toBe('unknown');
    expect(romFromBytes(bytes, { platform: 'md' }).platform).toBe('md');
  });

  it('.smd dumps are de-interleaved back to the plain binary', () => {
    const smd = fixtureRoms().find((f) => f.name === 'md-smd')!;
    const plain = fixtureRoms().find((f) => f.name === 'md')!;
    expect(Buffer.from(romFromBytes(smd.bytes).data).equals(Buffer.from(plain.bytes))).toBe(true);
  });

  it('random bytes are no ROM: a typed error unless allowUnknown', () => {
    const junk = new Uint8Array(100_000);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + (i >>> 3)) & 0xff;
    expect(() => romFromBytes(junk)).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_PLATFORM' }));
    expect(romFromBytes(junk, { allowUnknown: true }).platform).toBe('unknown');
  });
});

describe('real homebrew ROMs (fixtures/roms, facts from VECTORS.md)', () => {
  it('SNES_05.sfc: LoROM, title EXAMPLE 5, checksum invalid, fix gives 0x8114 / 0x7EEB', () => {
    const rom = openRom(fixture('roms', 'snes', 'SNES_05.sfc'));
    const info = rom.info();
    expect(info.platform).toBe('snes');
    expect(info.mapping).toBe('lorom');
    expect(info.headerOffset).toBe(0x7fc0);
    expect(info.title).toBe('EXAMPLE 5');
    expect(info.copierHeader).toBe(0);
    expect(info.size).toBe(262_144);
    expect((info.header as { mapMode: number }).mapMode).toBe(0x30);
    expect((info.header as { romSizeCode: number }).romSizeCode).toBe(8);
    expect(info.checksum).toMatchObject({ stored: 0, valid: false, computed: 0x8114 });
    const { data, report } = rom.withFixedChecksums();
    expect(report.valid).toBe(true);
    expect(data[0x7fde]! | (data[0x7fdf]! << 8)).toBe(0x8114);
    expect(data[0x7fdc]! | (data[0x7fdd]! << 8)).toBe(0x7eeb);
    // The plain byte sum of the file as it is (VECTORS.md) — a check on the summing itself.
    let plain = 0;
    for (const b of rom.data) plain += b;
    expect(plain & 0xffff).toBe(0x7f16);
  });

  it('full_game.nes: iNES, mapper 0, CHR-ROM at 0x8010 equal to full_game.chr, no checksum', async () => {
    const rom = openRom(fixture('roms', 'nes', 'full_game.nes'));
    expect(rom.platform).toBe('nes');
    const h = rom.header.platform === 'nes' ? rom.header.nes : undefined;
    expect(h).toMatchObject({ mapper: 0, prgRomSize: 32768, chrRomSize: 8192, chrRomOffset: 0x8010, mirroring: 'vertical' });
    const { readFileSync } = await import('node:fs');
    const chr = readFileSync(fixture('roms', 'nes', 'full_game.chr'));
    expect(Buffer.from(rom.read(0x8010, 8192)).equals(chr)).toBe(true);
    expect(rom.info().checksum).toBeNull();
  });

  for (const name of ['arm__arm.gba', 'ppu__hello.gba']) {
    it(`${name}: GBA, title "GBA Tests", game code 1337, complement 0x69 valid`, () => {
      const info = openRom(fixture('roms', 'gba', name)).info();
      expect(info.platform).toBe('gba');
      expect(info.title).toBe('GBA Tests');
      expect((info.header as { gameCode: string }).gameCode).toBe('1337');
      expect(info.checksum).toEqual({ stored: 0x69, computed: 0x69, valid: true });
    });
  }
});

describe('reads are bounds-checked', () => {
  it('a read past the end is an ERR_OUT_OF_RANGE error, not garbage', () => {
    const rom = romFromBytes(buildSnesRom());
    expect(() => rom.read(rom.size - 4, 8)).toThrow(RomgfxError);
    expect(() => rom.read(rom.size - 4, 8)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => rom.read(-1, 1)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(rom.read(rom.size - 4, 4).length).toBe(4);
  });
});

describe('byteSum (the checksum kernel)', () => {
  it('equals a plain loop for every alignment and length', async () => {
    const { byteSum } = await import('../../src/util/bytes.js');
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 3000 }), fc.nat(7), fc.nat(7), (bytes, a, b) => {
        const start = Math.min(a, bytes.length);
        const end = Math.max(start, bytes.length - b);
        let plain = 0;
        for (let i = start; i < end; i++) plain += bytes[i]!;
        expect(byteSum(bytes, start, end)).toBe(plain);
      }),
      { numRuns: 500 },
    );
    const big = new Uint8Array(1 << 20).fill(0xff);
    expect(byteSum(big, 0, big.length)).toBe(0xff * big.length);
  });
});

describe('synthetic ROM titles', () => {
  it('pad with NULs or spaces, which read back as the plain title', async () => {
    const { buildGbRom, buildGbaRom, buildMdRom } = await import('../../src/rom/build.js');
    expect(romFromBytes(buildGbRom({ title: 'TESTGB' })).title()).toBe('TESTGB');
    expect(romFromBytes(buildGbRom({ title: 'TESTGBC', colour: true })).title()).toBe('TESTGBC');
    expect(romFromBytes(buildGbaRom({ title: 'TESTGBA' })).title()).toBe('TESTGBA');
    expect(romFromBytes(buildMdRom({ title: 'TEST MD' })).title()).toBe('TEST MD');
    expect(romFromBytes(buildSnesRom({ title: 'TEST SNES' })).title()).toBe('TEST SNES');
  });
});
