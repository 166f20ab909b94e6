/**
 * neslib RLE nametables found through the code that unpacks them (src/scan/nes-nametables.ts):
 * the corpus ROM (full_game.nes, a cc65/neslib game) through scanRom and the CLI, and a ROM built
 * here with another layout, another unpacker address and zero-page use, and the negative cases.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { encodeNeslibRle } from '../../src/codecs/nes/rle-neslib.js';
import { buildNesRom } from '../../src/rom/build.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { explainScanOffset } from '../../src/scan/explain.js';
import { scanRom } from '../../src/scan/index.js';
import { findNesRleNametables, isNesRleUnpacker } from '../../src/scan/nes-nametables.js';
import type { ScanCandidate } from '../../src/scan/types.js';
import { runCli } from '../helpers/cli.js';
import { corpusDirectory } from './helpers/corpus.js';

const prgStart = 16;
/** ROM offset of CPU address `address` in a 32 KiB NROM image. */
const at = (address: number): number => prgStart + address - 0x8000;

/** A tag-RLE unpacker to PPUDATA written with other zero-page cells than neslib's ($40–$43). */
const unpacker = Uint8Array.of(
  0xa8, 0x86, 0x41, 0xa9, 0x00, 0x85, 0x40, 0xb1, 0x40, 0x85, 0x42, 0xc8, 0xd0, 0x02, 0xe6, 0x41, // TAY…LDA (zp),Y / STA tag
  0xb1, 0x40, 0xc8, 0xd0, 0x02, 0xe6, 0x41, 0xc5, 0x42, 0xf0, 0x07, 0x8d, 0x07, 0x20, 0x85, 0x43, 0xd0, 0xee, // CMP tag / BEQ / STA $2007
  0xb1, 0x40, 0xf0, 0x10, 0xc8, 0xd0, 0x02, 0xe6, 0x41, 0xaa, 0xa5, 0x43, 0x8d, 0x07, 0x20, 0xca, 0xd0, 0xfa, 0xf0, 0xda, 0x60,
);
/** A routine that is not an unpacker (copies nothing to the PPU). */
const otherRoutine = Uint8Array.of(0x85, 0x30, 0x86, 0x31, 0xa0, 0x00, 0xb1, 0x30, 0x99, 0x00, 0x03, 0xc8, 0xd0, 0xf8, 0x60);

/** A screen of runs of a few tiles: a border, blank rows, a line of text; attributes in runs. */
function screen(seed: number, screens = 1): Uint8Array {
  const bytes = new Uint8Array(1024 * screens);
  for (let i = 0; i < bytes.length; i++) {
    const inScreen = i % 1024;
    const row = inScreen >> 5;
    bytes[i] = inScreen >= 960 ? ((inScreen >> 3) & 1 ? 0x55 : 0xaa) : row === 0 || row === 29 ? 0x10 + seed : row === 12 && (inScreen & 31) > 4 && (inScreen & 31) < 20 ? 0x40 + (inScreen & 15) : 0x00;
  }
  return bytes;
}

const call = (table: number, routine: number): number[] => [0xa9, table & 0xff, 0xa2, table >> 8, 0x20, routine & 0xff, routine >> 8];

function syntheticRom(): { rom: Uint8Array; streams: Record<'title' | 'twoScreens' | 'short' | 'toOther' | 'uncalled', { offset: number; bytes: Uint8Array }> } {
  const title = encodeNeslibRle(screen(1));
  const twoScreens = encodeNeslibRle(screen(2, 2));
  const short = encodeNeslibRle(screen(3).subarray(0, 1000));
  const toOther = encodeNeslibRle(screen(4));
  const uncalled = encodeNeslibRle(screen(5));
  const streams = {
    title: { offset: at(0x9123), bytes: title },
    twoScreens: { offset: at(0xa000), bytes: twoScreens },
    short: { offset: at(0xa800), bytes: short },
    toOther: { offset: at(0xb000), bytes: toOther },
    uncalled: { offset: at(0xb800), bytes: uncalled },
  };
  const code = [...call(0x9123, 0xc100), ...call(0xa000, 0xc100), ...call(0xa800, 0xc100), ...call(0xb000, 0xc200), 0x4c, 0x15, 0x80];
  const rom = buildNesRom({
    prgBanks: 2,
    payloads: [
      { offset: at(0x8000), bytes: Uint8Array.from(code) },
      { offset: at(0xc100), bytes: unpacker },
      { offset: at(0xc200), bytes: otherRoutine },
      ...Object.values(streams),
    ],
  });
  return { rom, streams };
}

const nametablesOf = (candidates: readonly ScanCandidate[]) =>
  candidates.filter((c) => c.codec === 'rle-neslib').map((c) => ({ offset: c.offset, packedLength: c.packedLength, unpackedLength: c.unpackedLength, kind: c.kind, format: c.format }));

describe('neslib RLE nametables named by their unpacker call', () => {
  test('full_game.nes: the title nametable at 10668 (147 → 1024 bytes) is a tilemap, through scanRom and `scan --json`, and --explain names the call', async () => {
    const candidates = await scanRom(join(corpusDirectory, 'full_game.nes'), { cache: false, workers: 0 });
    expect(nametablesOf(candidates)).toEqual([{ offset: 10668, packedLength: 147, unpackedLength: 1024, kind: 'tilemap', format: 'nes-nametable' }]);
    // Nothing else overlaps the stream.
    expect(candidates.filter((c) => c.offset < 10668 + 147 && 10668 < c.offset + c.packedLength)).toHaveLength(1);
    const run = runCli(['scan', join(corpusDirectory, 'full_game.nes'), '--json', '--no-cache']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { offset: number; kind: string; format: string; codec: string }[];
    expect(json.filter((c) => c.codec === 'rle-neslib').map((c) => [c.offset, c.kind, c.format])).toEqual([[10668, 'tilemap', 'nes-nametable']]);
    const explained = runCli(['scan', join(corpusDirectory, 'full_game.nes'), '--explain', '10668', '--no-cache']);
    expect(explained.stdout).toContain('passed by the call at 0x10CA to the RLE unpacker at 0x383');
    expect(explained.stdout).not.toContain('no candidate holds this offset');
  });

  test('a ROM built here: streams passed to a tag-RLE unpacker that decode to whole nametables are reported; others are not', async () => {
    const { rom, streams } = syntheticRom();
    const candidates = await scanRom(romFromBytes(rom, { name: 'synthetic.nes' }), { cache: false, workers: 0 });
    expect(nametablesOf(candidates)).toEqual([
      { offset: streams.title.offset, packedLength: streams.title.bytes.length, unpackedLength: 1024, kind: 'tilemap', format: 'nes-nametable' },
      { offset: streams.twoScreens.offset, packedLength: streams.twoScreens.bytes.length, unpackedLength: 2048, kind: 'tilemap', format: 'nes-nametable' },
    ]);
    // 1000 bytes is not a nametable; a routine that is not an unpacker names nothing; an uncalled stream is not looked for.
    const reported = new Set(candidates.map((c) => c.offset));
    for (const name of ['short', 'toOther', 'uncalled'] as const) expect(reported.has(streams[name].offset)).toBe(false);
    const explained = await explainScanOffset(romFromBytes(rom, { name: 'synthetic.nes' }), streams.title.offset, { cache: false, workers: 0 });
    expect(JSON.stringify(explained)).toContain('RLE unpacker');
  });

  test('the unpacker shape: the routine must keep a tag, compare with it and write PPUDATA', () => {
    const { rom } = syntheticRom();
    expect(isNesRleUnpacker(rom, at(0xc100), rom.length)).toBe(true);
    expect(isNesRleUnpacker(rom, at(0xc200), rom.length)).toBe(false);
    // Without the store to $2007 (here to $2008) it is not an unpacker to the PPU.
    const noPpu = Uint8Array.from(unpacker);
    for (let p = 0; p + 2 < noPpu.length; p++) if (noPpu[p] === 0x8d && noPpu[p + 1] === 0x07 && noPpu[p + 2] === 0x20) noPpu[p + 1] = 0x08;
    expect(isNesRleUnpacker(noPpu, 0, noPpu.length)).toBe(false);
  });

  test('no nametable is read from the other corpus ROMs\' code and data wrapped as NES PRG (every 32 KiB in an iNES header)', () => {
    let chunks = 0;
    let found = 0;
    for (const name of readdirSync(corpusDirectory)) {
      if (name.endsWith('.nes') || name.endsWith('.json') || name.endsWith('.md')) continue;
      const bytes = readFileSync(join(corpusDirectory, name));
      for (let offset = 0; offset + 0x8000 <= bytes.length; offset += 0x8000) {
        const rom = buildNesRom({ prgBanks: 2, payloads: [{ offset: prgStart, bytes: bytes.subarray(offset, offset + 0x8000) }] });
        found += findNesRleNametables(rom, 'nes').length;
        chunks++;
      }
    }
    expect(chunks).toBeGreaterThan(20);
    expect(found).toBe(0);
  });
});
