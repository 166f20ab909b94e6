/**
 * Fixture ROMs for every platform and mapping, built in memory (no third-party ROMs): valid and
 * broken headers, copier headers, non-power-of-two sizes, interleaved dumps.
 */
import { buildGbaRom, buildGbRom, buildMdRom, buildNesRom, buildSnesRom } from '../../src/rom/build.js';
import type { SnesMapping } from '../../src/rom/snes.js';

export const snesMappings: readonly SnesMapping[] = ['lorom', 'hirom', 'exhirom', 'sa1'];

export interface FixtureRom {
  name: string;
  bytes: Uint8Array;
  platform: 'snes' | 'gb' | 'gbc' | 'gba' | 'nes' | 'md';
  mapping?: SnesMapping;
  copierHeader: number;
  checksumValid: boolean | null;
}

export function fixtureRoms(): FixtureRom[] {
  const roms: FixtureRom[] = [];
  for (const mapping of snesMappings) {
    roms.push({ name: `snes-${mapping}`, bytes: buildSnesRom({ mapping, filler: 'random', title: `TEST ${mapping.toUpperCase()}` }), platform: 'snes', mapping, copierHeader: 0, checksumValid: true });
    roms.push({ name: `snes-${mapping}-copier`, bytes: buildSnesRom({ mapping, filler: 'random', copierHeader: true }), platform: 'snes', mapping, copierHeader: 512, checksumValid: true });
    roms.push({ name: `snes-${mapping}-badsum`, bytes: buildSnesRom({ mapping, filler: 'random', validChecksum: false }), platform: 'snes', mapping, copierHeader: 0, checksumValid: false });
  }
  // 3 MiB HiROM and 1.5 MiB + 256 KiB LoROM: checksum with mirroring.
  roms.push({ name: 'snes-hirom-3mib', bytes: buildSnesRom({ mapping: 'hirom', size: 3 * 1024 * 1024, filler: 'random' }), platform: 'snes', mapping: 'hirom', copierHeader: 0, checksumValid: true });
  roms.push({ name: 'snes-lorom-1.75mib', bytes: buildSnesRom({ mapping: 'lorom', size: 1792 * 1024, filler: 'random' }), platform: 'snes', mapping: 'lorom', copierHeader: 0, checksumValid: true });
  roms.push({ name: 'gb', bytes: buildGbRom({ filler: 'random' }), platform: 'gb', copierHeader: 0, checksumValid: true });
  roms.push({ name: 'gbc', bytes: buildGbRom({ colour: true, filler: 'random' }), platform: 'gbc', copierHeader: 0, checksumValid: true });
  roms.push({ name: 'gb-badsum', bytes: buildGbRom({ validChecksum: false, filler: 'random' }), platform: 'gb', copierHeader: 0, checksumValid: false });
  roms.push({ name: 'gba', bytes: buildGbaRom({ filler: 'random' }), platform: 'gba', copierHeader: 0, checksumValid: true });
  roms.push({ name: 'gba-badsum', bytes: buildGbaRom({ validChecksum: false, filler: 'random' }), platform: 'gba', copierHeader: 0, checksumValid: false });
  roms.push({ name: 'nes', bytes: buildNesRom(), platform: 'nes', copierHeader: 0, checksumValid: null });
  roms.push({ name: 'nes-trainer', bytes: buildNesRom({ trainer: true, chrBanks: 2, prgBanks: 1 }), platform: 'nes', copierHeader: 0, checksumValid: null });
  roms.push({ name: 'md', bytes: buildMdRom({ filler: 'random' }), platform: 'md', copierHeader: 0, checksumValid: true });
  roms.push({ name: 'md-badsum', bytes: buildMdRom({ validChecksum: false, filler: 'random' }), platform: 'md', copierHeader: 0, checksumValid: false });
  roms.push({ name: 'md-smd', bytes: buildMdRom({ smd: true, filler: 'random' }), platform: 'md', copierHeader: 512, checksumValid: true });
  return roms;
}
