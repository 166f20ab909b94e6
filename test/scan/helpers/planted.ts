/**
 * Fixture ROMs for the scanner: graphics streams of every codec, and raw tile blocks, planted at
 * known offsets amid code-like filler (65816-looking) and random filler. Everything is seeded.
 */
import { getCodec } from '../../../src/codecs/index.js';
import { buildGbaRom, buildGbRom, buildSnesRom, type Payload } from '../../../src/rom/build.js';
import type { ScanCodec } from '../../../src/scan/types.js';
import { codeLikeFiller, rng, spriteTileIndices } from './sprite-art.js';
import { encodeTiles, getTileFormat } from '../../../src/gfx/index.js';
import { GraphicsScorer } from '../../../src/scan/score.js';

export interface PlantedBlock {
  offset: number;
  packedLength: number;
  unpackedLength: number;
  codec: ScanCodec;
  format: string;
}

export interface PlantedRom {
  bytes: Uint8Array;
  planted: PlantedBlock[];
}

/**
 * Sprite tiles whose first and last tiles are clearly drawn (tile score at least 0.6): raw and
 * PB16 blocks have no length of their own, and the scanner reports them from the first to the
 * last drawn tile — that is its documented contract for headerless data.
 */
function artTiles(format: string, tileCount: number, seed: number): Uint8Array {
  const f = getTileFormat(format);
  const scores = new Float32Array(1);
  for (let attempt = 0; ; attempt++) {
    const bytes = encodeTiles(f, spriteTileIndices(tileCount, f.bpp, seed + attempt * 7919));
    const drawn = (t: number) => {
      scorer.tileScores(bytes.subarray(t * f.bytesPerTile, (t + 1) * f.bytesPerTile), f, 1, scores);
      return scores[0]! >= 0.6;
    };
    if (drawn(0) && drawn(tileCount - 1)) return bytes;
  }
}

const scorer = new GraphicsScorer();

interface PlanSpec {
  codec: ScanCodec;
  format: string;
  tiles: number;
  level?: string;
  variant?: string;
}

/** Compresses (or not) and records one block. */
function makeBlock(spec: PlanSpec, seed: number): { bytes: Uint8Array; unpackedLength: number; packedLength: number } {
  const data = artTiles(spec.format, spec.tiles, seed);
  if (spec.codec === 'raw') return { bytes: data, unpackedLength: data.length, packedLength: data.length };
  const options: Record<string, string> = {};
  if (spec.level !== undefined) options.level = spec.level;
  if (spec.variant !== undefined) options.variant = spec.variant;
  const codec = getCodec(spec.codec);
  const bytes = codec.compress(data, options);
  // The slot the stream occupies is what the decoder reads (GBA encoders pad to a word after it).
  const packedLength = codec.decompress(bytes, 0, spec.codec === 'pb16' ? { outputSizeInBytes: data.length } : {}).packedLength;
  return { bytes, unpackedLength: data.length, packedLength };
}

/**
 * Lays out `specs` in [from, to) with random gaps, alternating code-like and random filler
 * (the builder's random filler is the background; code-like regions are pasted over it).
 */
function plan(size: number, from: number, to: number, specs: readonly PlanSpec[], seed: number, alignment: number, avoid: readonly [number, number][], bank = 0): { payloads: Payload[]; planted: PlantedBlock[] } {
  const random = rng(seed);
  const payloads: Payload[] = [];
  // Code-like filler over every other 32 KiB, outside the header areas.
  for (let at = from; at + 0x8000 <= to; at += 0x10000) payloads.push({ offset: at, bytes: codeLikeFiller(0x8000, seed + at) });
  const planted: PlantedBlock[] = [];
  let cursor = from + 0x400;
  specs.forEach((spec, i) => {
    const block = makeBlock(spec, seed * 31 + i);
    let offset = cursor + 0x100 + Math.floor(random() * Math.max(0x3000, (to - from) / specs.length / 2));
    // Raw tile data is found on a 16-byte grid (tile rows of every format line up with it).
    const align = spec.codec === 'raw' ? Math.max(16, alignment) : alignment;
    offset = Math.ceil(offset / align) * align;
    for (const [a, b] of avoid) if (offset < b && offset + block.bytes.length > a) offset = Math.ceil(b / align) * align + 0x40;
    // Raw tiles lie inside one bank, as on the hardware (src/scan/raw.ts bankSizeInBytesByPlatform):
    // a block that would cross a bank boundary starts just after it instead.
    if (spec.codec === 'raw' && bank > 0 && Math.floor(offset / bank) !== Math.floor((offset + block.bytes.length - 1) / bank) && Math.floor((offset + block.bytes.length - 1) / bank) * bank !== 0x4000) {
      offset = Math.floor((offset + block.bytes.length - 1) / bank) * bank + 0x40;
    }
    if (offset + block.bytes.length > to) throw new Error(`fixture plan does not fit: ${spec.codec} at ${offset}`);
    payloads.push({ offset, bytes: block.bytes });
    planted.push({ offset, packedLength: block.packedLength, unpackedLength: block.unpackedLength, codec: spec.codec, format: spec.format });
    cursor = offset + block.bytes.length;
  });
  void size;
  return { payloads, planted };
}

/** SNES LoROM (default 1 MiB): HAL streams (inhal levels 1–4 and max) of 2/4/8bpp art, and raw 4bpp blocks. */
export function plantedSnesRom(seed = 1, size = 1024 * 1024, halStreams = 20, rawBlocks = 6): PlantedRom {
  const specs: PlanSpec[] = [];
  const halFormats = ['snes4bpp', 'snes4bpp', 'gb2bpp', 'snes4bpp', 'snes8bpp'];
  const levels = ['1', '2', '3', '4', 'max'];
  for (let i = 0; i < halStreams; i++) specs.push({ codec: 'hal', format: halFormats[i % halFormats.length]!, tiles: 32 + ((i * 37) % 160), level: levels[i % levels.length]! });
  for (let i = 0; i < rawBlocks; i++) specs.push({ codec: 'raw', format: 'snes4bpp', tiles: 24 + i * 16 });
  // Shuffle deterministically so codecs interleave.
  const random = rng(seed + 99);
  for (let i = specs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [specs[i], specs[j]] = [specs[j]!, specs[i]!];
  }
  const { payloads, planted } = plan(size, 0, size, specs, seed, 1, [[0x7f00, 0x8000]], 0x8000);
  return { bytes: buildSnesRom({ size, filler: 'random', payloads, title: 'SCAN FIXTURE' }), planted };
}

/** GBA (1 MiB): LZ77 (plain and VRAM-safe), LZ11, RLE and LZ4 frames of 4/8bpp art, word-aligned; raw 4bpp blocks. */
export function plantedGbaRom(seed = 2): PlantedRom {
  const size = 1024 * 1024;
  const specs: PlanSpec[] = [];
  const kinds: PlanSpec[] = [
    { codec: 'lz77', format: 'gba4bpp', tiles: 0 },
    { codec: 'lz11', format: 'gba4bpp', tiles: 0 },
    { codec: 'rle', format: 'gba4bpp', tiles: 0 },
    { codec: 'lz4', format: 'gba4bpp', tiles: 0 },
    { codec: 'lz77', format: 'mode7', tiles: 0 },
    { codec: 'raw', format: 'gba4bpp', tiles: 0 },
  ];
  for (let i = 0; i < 24; i++) specs.push({ ...kinds[i % kinds.length]!, tiles: 32 + ((i * 29) % 128) });
  const { payloads, planted } = plan(size, 0x100, size, specs, seed, 4, []);
  return { bytes: buildGbaRom({ size, filler: 'random', payloads, title: 'SCANFIXTURE' }), planted };
}

/** Game Boy (512 KiB): PB16 and HAL streams of 2bpp art, and raw 2bpp blocks. */
export function plantedGbRom(seed = 3): PlantedRom {
  const size = 512 * 1024;
  const specs: PlanSpec[] = [];
  const kinds: PlanSpec[] = [
    { codec: 'pb16', format: 'gb2bpp', tiles: 0 },
    { codec: 'hal', format: 'gb2bpp', tiles: 0, level: 'max' },
    { codec: 'raw', format: 'gb2bpp', tiles: 0 },
  ];
  for (let i = 0; i < 18; i++) specs.push({ ...kinds[i % kinds.length]!, tiles: 40 + ((i * 23) % 120) });
  const { payloads, planted } = plan(size, 0x200, size, specs, seed, 1, [], 0x4000);
  return { bytes: buildGbRom({ size, filler: 'random', payloads, title: 'SCANFIX' }), planted };
}
