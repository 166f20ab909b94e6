/**
 * The Saxman and Enigma scan rules (src/scan/saxman-copies.ts, codec-streams.ts): reference
 * streams (fixtures/codecs/saxman, fixtures/codecs/enigma: mdcomp output) and our encoders'
 * output pass them; code and data read as streams do not. Real streams planted in the Mega
 * Drive corpus ROM's own code are found exactly by the default scan, and nothing else is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getCodec } from '../../src/codecs/index.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { lastEnigmaTerminatorEndInBits } from '../../src/codecs/sega/enigma.js';
import { planeShaped, zeroPaddedAfterTerminator } from '../../src/scan/codec-streams.js';
import { scanRomReport } from '../../src/scan/index.js';
import { saxmanCopiesAsEncodersWrite } from '../../src/scan/saxman-copies.js';
import { defaultScanCodecs } from '../../src/scan/scanner.js';
import { corpusDirectory, readCorpusTruth } from './helpers/corpus.js';
import { rng } from './helpers/sprite-art.js';

const saxmanDirectory = 'fixtures/codecs/saxman';
const saxmanVectors = readdirSync(saxmanDirectory).filter((f) => f.endsWith('.sax'));
const read = (path: string) => new Uint8Array(readFileSync(path));

describe('Saxman copies as encoders write them', () => {
  test.each(saxmanVectors)('the reference stream %s passes', (file) => {
    const bytes = read(join(saxmanDirectory, file));
    // The body is the header's size (mdcomp pads some files past it).
    expect(saxmanCopiesAsEncodersWrite(bytes, 2, 2 + (bytes[0]! | (bytes[1]! << 8)))).toBe(true);
  });

  test('our encoder passes at every level, zero runs included', () => {
    const codec = getCodec('saxman');
    const inputs = saxmanVectors.map((f) => read(join(saxmanDirectory, f.replace('.mdcomp.sax', '.bin'))));
    for (const input of inputs) {
      for (const level of codec.levels) {
        const packed = codec.compress(input, { level });
        expect(saxmanCopiesAsEncodersWrite(packed, 2, packed.length)).toBe(true);
      }
    }
  });

  test('a copy from elsewhere before the output is refused', () => {
    // Descriptor 0b10 (a copy, then a literal) and a copy 3 bytes long from ring 0x000: output 0
    // sits at ring 0xFEE, so this reads 18 bytes before the start (neither encoder's slot).
    expect(saxmanCopiesAsEncodersWrite(new Uint8Array([0x02, 0x00, 0x00, 0x41]), 0, 4)).toBe(false);
    // The same copy from ring 0xFEB ends exactly at output 0 (romgfx's slot).
    expect(saxmanCopiesAsEncodersWrite(new Uint8Array([0x02, 0xeb, 0xf0, 0x41]), 0, 4)).toBe(true);
    // And from ring 0xFEF, distance 0xFFF (mdcomp's slot).
    expect(saxmanCopiesAsEncodersWrite(new Uint8Array([0x02, 0xef, 0xf0, 0x41]), 0, 4)).toBe(true);
  });

  test('code and data of the corpus ROMs read as Saxman bodies nearly never pass', () => {
    const probe = getCodec('saxman');
    let valid = 0;
    let passed = 0;
    for (const name of ['tictactoe-md.bin', 'libbet.gb', 'SNES_05.sfc']) {
      const rom = read(join(corpusDirectory, name));
      for (let p = 0; p + 2 < rom.length; p += 7) {
        const size = rom[p]! | (rom[p + 1]! << 8);
        if (size < 64 || size > 0x2000) continue;
        const result = probe.probe(rom, p);
        if (result === null) continue;
        valid++;
        if (saxmanCopiesAsEncodersWrite(rom, p + 2, p + result.packedLength)) passed++;
      }
    }
    // The decoder accepts thousands of these; the rule leaves well under 1 in 100.
    expect(valid).toBeGreaterThan(1000);
    expect(passed).toBeLessThan(valid / 100);
  });
});

describe('Enigma plane shapes', () => {
  test('maps of the sizes games load are plane-shaped; strips and odd counts are not', () => {
    for (const [w, h] of [[40, 28], [64, 32], [16, 16], [8, 8], [32, 64]] as const) expect(planeShaped(w * h)).toBe(true);
    // 65 = 5 × 13, 79 prime, 141 = 3 × 47, 122 = 2 × 61: read from code, not a rectangle a game loads.
    for (const entries of [65, 79, 141, 7, 2 * 61]) expect(planeShaped(entries)).toBe(false);
  });
});

/** The MD corpus ROM with `streams` planted at even offsets in its code, outside its graphics. */
function plantInMdCorpus(streams: Uint8Array[], seed: number): { bytes: Uint8Array; offsets: number[] } {
  const name = 'tictactoe-md.bin';
  const bytes = read(join(corpusDirectory, name)).slice();
  const blocks = readCorpusTruth()[name]!.blocks;
  const random = rng(seed);
  const offsets: number[] = [];
  const taken: [number, number][] = blocks.map((b) => [b.offset - 0x40, b.offset + b.packedLength + 0x40]);
  taken.push([0, 0x400]);
  for (const stream of streams) {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 10_000) throw new Error('no room to plant');
      const offset = (0x400 + Math.floor(random() * (bytes.length - 0x800 - stream.length))) & ~1;
      const end = offset + stream.length;
      if (taken.some(([a, b]) => offset < b && a < end)) continue;
      bytes.set(stream, offset);
      offsets.push(offset);
      taken.push([offset - 0x40, end + 0x40]);
      break;
    }
  }
  return { bytes, offsets };
}

describe('default MD scans of planted real Saxman streams', () => {
  test('saxman is in the Mega Drive defaults', () => {
    expect(defaultScanCodecs('md')).toContain('saxman');
  });

  // mdcomp's vectors are planted too: their synthetic tiles score below the art threshold
  // (tilelike_24k's first 32 tiles, an ordered-dither sky, look like noise to the quick look;
  // tiles_repeat_4k scores 0.035), so they need not be reported, but any Saxman candidate must
  // be exactly one of the planted streams.
  test('streams of corpus art by our encoder planted in corpus code are found exactly, and no other Saxman candidate is reported', async () => {
    const codec = getCodec('saxman');
    const tictactoe = read(join(corpusDirectory, 'tictactoe-md.bin'));
    const art = readCorpusTruth()['tictactoe-md.bin']!.blocks.find((b) => b.kind === 'tiles' && b.codec === 'none' && b.packedLength >= 2048)!;
    const slices = [tictactoe.slice(art.offset, art.offset + 1024), tictactoe.slice(art.offset + 1024, art.offset + 2048)];
    const ours = slices.flatMap((slice) => codec.levels.map((level) => codec.compress(slice, { level })));
    const mdcomp = [read(join(saxmanDirectory, 'tiles_repeat_4k.mdcomp.sax')), read(join(saxmanDirectory, 'tilelike_24k.mdcomp.sax'))];
    const streams = [...ours, ...mdcomp];
    const { bytes, offsets } = plantInMdCorpus(streams, 7);
    const report = await scanRomReport(romFromBytes(bytes, { name: 'planted-saxman', platform: 'md' }), { cache: false, workers: 0 });
    const key = (offset: number, packedLength: number) => `${offset}+${packedLength}`;
    const planted = offsets.map((o, i) => key(o, codec.probe(streams[i]!, 0)!.packedLength));
    const found = new Set(report.candidates.filter((c) => c.codec === 'saxman').map((c) => key(c.offset, c.packedLength)));
    for (const stream of planted.slice(0, ours.length)) expect(found).toContain(stream);
    for (const candidate of found) expect(planted).toContain(candidate);
  }, 60_000);
});

describe('Enigma streams as encoders write them', () => {
  const enigmaDirectory = 'fixtures/codecs/enigma';
  const enigmaVectors = readdirSync(enigmaDirectory).filter((f) => f.endsWith('.eni') && f !== 'empty.mdcomp.eni');

  test.each(enigmaVectors)('the reference stream %s is zero-padded after its terminator', (file) => {
    const bytes = read(join(enigmaDirectory, file));
    const probe = getCodec('enigma').probe(bytes, 0)!;
    expect(zeroPaddedAfterTerminator(bytes, 0, probe.packedLength, lastEnigmaTerminatorEndInBits())).toBe(true);
    // A set bit in the padding is not what an encoder writes.
    const stained = bytes.slice();
    stained[probe.packedLength - 1] = stained[probe.packedLength - 1]! | 1;
    const again = getCodec('enigma').probe(stained, 0);
    if (again !== null && again.packedLength === probe.packedLength && lastEnigmaTerminatorEndInBits() < 8 * probe.packedLength) {
      expect(zeroPaddedAfterTerminator(stained, 0, again.packedLength, lastEnigmaTerminatorEndInBits())).toBe(false);
    }
  });

  test('our encoder pads with zeros too', () => {
    const codec = getCodec('enigma');
    for (const file of enigmaVectors) {
      const packed = codec.compress(read(join(enigmaDirectory, file.replace('.mdcomp.eni', '.bin'))));
      const probe = codec.probe(packed, 0)!;
      expect(zeroPaddedAfterTerminator(packed, 0, probe.packedLength, lastEnigmaTerminatorEndInBits())).toBe(true);
    }
  });

  test('in the default MD scan, mdcomp and romgfx plane maps planted in corpus code are found exactly, and no other Enigma candidate is reported', async () => {
    const codec = getCodec('enigma');
    const maps = ['mirror_16x16', 'window_common_40x28', 'mixed_modes_40x28'];
    const streams = [...maps.map((m) => read(join(enigmaDirectory, `${m}.mdcomp.eni`))), ...maps.map((m) => codec.compress(read(join(enigmaDirectory, `${m}.bin`))))];
    const { bytes, offsets } = plantInMdCorpus(streams, 11);
    const report = await scanRomReport(romFromBytes(bytes, { name: 'planted-enigma', platform: 'md' }), { cache: false, workers: 0 });
    const key = (offset: number, packedLength: number) => `${offset}+${packedLength}`;
    const planted = offsets.map((o, i) => key(o, codec.probe(streams[i]!, 0)!.packedLength));
    const found = report.candidates.filter((c) => c.codec === 'enigma').map((c) => key(c.offset, c.packedLength));
    // mixed_modes_40x28 (mdcomp's and ours) reads as a map of ordered entries; mirror_16x16 and
    // window_common_40x28 (mostly one word) score below the map threshold (mapScore).
    expect(found).toContain(planted[2]);
    expect(found).toContain(planted[5]);
    for (const candidate of found) expect(planted).toContain(candidate);
  }, 60_000);
});
