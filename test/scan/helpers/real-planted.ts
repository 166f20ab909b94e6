/**
 * Planted streams of real art amid real code: a 1 MiB SNES LoROM image whose filler is the
 * corpus SNES ROMs' own code and data (every byte outside their graphics blocks, fill included,
 * repeated) and whose streams are slices (256 B–4 KiB, whole tiles) of the corpus's real tile
 * blocks — lorom-template's sprites and BG tiles, SNES_05's sprite sheet, libSFX's LZ4-packed
 * tiles (decoded), dmg-acid2's mgblib font — compressed by every codec the SNES scan supports at
 * every encoder level (HAL 1–4 are inhal's levels and `max`; LZ4 `fast` and `high`). Seeded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCodec } from '../../../src/codecs/index.js';
import { buildSnesRom, type Payload } from '../../../src/rom/build.js';
import type { ScanCodec } from '../../../src/scan/types.js';
import { corpusBytesOutsideTruth, corpusDirectory, readCorpusTruth } from './corpus.js';
import { rng } from './sprite-art.js';
import type { PlantedBlock, PlantedRom } from './planted.js';

const snesRoms = ['lorom-template.sfc', 'libsfx-Hello.sfc', 'libsfx-Mouse.sfc', 'SNES_05.sfc'];

/** Real tile art from the corpus, with its format. */
function corpusArt(): { bytes: Uint8Array; format: string; bytesPerTile: number }[] {
  const read = (name: string) => new Uint8Array(readFileSync(join(corpusDirectory, name)));
  const lorom = read('lorom-template.sfc');
  const snes05 = read('SNES_05.sfc');
  const mouse = read('libsfx-Mouse.sfc');
  const acid = read('dmg-acid2.gb');
  const lz4 = getCodec('lz4');
  return [
    { bytes: lorom.slice(0x20200, 0x20200 + 1536), format: 'snes4bpp', bytesPerTile: 32 },
    { bytes: lorom.slice(0x28100, 0x28100 + 1536), format: 'gb2bpp', bytesPerTile: 16 },
    // The drawn part of SNES_05's sheet (the rest of its 8 KiB is empty cells).
    { bytes: snes05.slice(0x8120, 0x8120 + 2048), format: 'snes4bpp', bytesPerTile: 32 },
    { bytes: lz4.decompress(mouse, 0x288).data, format: 'snes4bpp', bytesPerTile: 32 },
    { bytes: lz4.decompress(mouse, 0xe8f).data, format: 'snes4bpp', bytesPerTile: 32 },
    { bytes: acid.slice(0x4000, 0x4000 + 2048), format: 'gb2bpp', bytesPerTile: 16 },
  ];
}

/** The corpus SNES ROMs' bytes outside every truth block, concatenated. */
function corpusFiller(): Uint8Array {
  return corpusBytesOutsideTruth(snesRoms);
}

/** The image and its planted streams (HAL levels 1–4 and max, LZ4 fast and high; 30 streams). */
export function realArtSnesRom(seed = 1, size = 1024 * 1024): PlantedRom {
  const random = rng(seed);
  const art = corpusArt();
  const filler = corpusFiller();
  const image = new Uint8Array(size);
  // Filler from a seeded place in the corpus code, bank by bank.
  for (let at = 0; at < size; at += 0x8000) {
    const from = Math.floor(random() * (filler.length - 0x8000));
    image.set(filler.subarray(from, from + 0x8000), at);
  }
  const specs: { codec: ScanCodec; level: string }[] = [];
  for (let round = 0; round < 5; round++) {
    for (const level of ['1', '2', '3', '4']) specs.push({ codec: 'hal', level });
    if (round < 3) specs.push({ codec: 'hal', level: 'max' });
    if (round < 2) for (const level of ['fast', 'high']) specs.push({ codec: 'lz4', level });
  }
  const payloads: Payload[] = [{ offset: 0, bytes: image }];
  const planted: PlantedBlock[] = [];
  let cursor = 0x400;
  const span = Math.floor((size - 0x1000) / specs.length);
  specs.forEach((spec, i) => {
    const source = art[i % art.length]!;
    const tiles = Math.floor(source.bytes.length / source.bytesPerTile);
    const wanted = Math.max(256 / source.bytesPerTile, Math.min(tiles, Math.floor((256 + random() * 3840) / source.bytesPerTile)));
    const first = Math.floor(random() * (tiles - wanted + 1));
    const data = source.bytes.slice(first * source.bytesPerTile, (first + wanted) * source.bytesPerTile);
    const codec = getCodec(spec.codec);
    const bytes = codec.compress(data, { level: spec.level });
    const packedLength = codec.decompress(bytes, 0).packedLength;
    let offset = cursor + 0x80 + Math.floor(random() * Math.max(0x100, span - bytes.length - 0x100));
    // Keep clear of the internal header at 0x7FB0.
    if (offset < 0x8000 && offset + bytes.length > 0x7f00) offset = 0x8040;
    payloads.push({ offset, bytes });
    planted.push({ offset, packedLength, unpackedLength: data.length, codec: spec.codec, format: source.format });
    cursor = offset + bytes.length;
  });
  return { bytes: buildSnesRom({ size, payloads, title: 'REAL ART FIXTURE' }), planted };
}

/** Corpus ROMs whose code and data are the filler, and whose tile blocks are the art, per platform. */
const codecFixtureSources = {
  snes: { roms: snesRoms, formats: ['snes4bpp', 'gb2bpp'] },
  md: { roms: ['tictactoe-md.bin'], formats: ['md4bpp'] },
  gb: { roms: ['libbet.gb', 'dmg-acid2.gb'], formats: ['gb2bpp'] },
} as const;

/** The codec-stream codecs planted per platform, each at every encoder level it has. */
export const realArtCodecsByPlatform = {
  snes: ['lc-lz1', 'lc-lz2', 'lc-lz5', 'konami1'],
  md: ['nemesis', 'kosinski', 'kosinski-moduled', 'lz4w', 'comper'],
  gb: ['lc-lz3', 'gen1-pic'],
} as const;

/** A platform with a real-art codec fixture. */
export type RealArtPlatform = keyof typeof realArtCodecsByPlatform;

/** The decoded tile art of the platform's corpus ROMs (raw blocks and decodable streams of truth.json), per format. */
function platformArt(platform: RealArtPlatform): { bytes: Uint8Array; format: string; bytesPerTile: number }[] {
  const truth = readCorpusTruth();
  const art: { bytes: Uint8Array; format: string; bytesPerTile: number }[] = [];
  for (const name of codecFixtureSources[platform].roms) {
    const rom = new Uint8Array(readFileSync(join(corpusDirectory, name)));
    for (const block of truth[name]!.blocks) {
      if (block.kind !== 'tiles' || !(codecFixtureSources[platform].formats as readonly string[]).includes(block.format)) continue;
      const bytes = block.codec === 'none' ? rom.slice(block.offset, block.offset + block.packedLength) : getCodec(block.codec).decompress(rom, block.offset, { outputSizeInBytes: block.unpackedLength }).data;
      const bytesPerTile = block.format === 'gb2bpp' ? 16 : 32;
      if (bytes.length >= 8 * bytesPerTile) art.push({ bytes, format: block.format, bytesPerTile });
    }
  }
  return art;
}

/** The platform's corpus ROMs' bytes outside every truth block. */
function platformFiller(platform: RealArtPlatform): Uint8Array {
  return corpusBytesOutsideTruth(codecFixtureSources[platform].roms);
}

/**
 * Streams of every codec-stream codec of `platform` at every encoder level, made from slices
 * (8–64 tiles: a Gen-1 picture is one 4×4 to 7×7 square) of the corpus's real tile art and
 * planted in that platform's corpus code and data (the first ROM's header bytes kept, so the
 * image is identified as that platform). `rounds` streams per codec and level. Seeded.
 */
export function realArtCodecRom(platform: RealArtPlatform, seed = 1, size = 512 * 1024, rounds = 2): PlantedRom & { platform: RealArtPlatform } {
  const random = rng(seed);
  const art = platformArt(platform);
  const filler = platformFiller(platform);
  const image = new Uint8Array(size);
  for (let at = 0; at < size; at += 0x4000) {
    const from = Math.floor(random() * (filler.length - 0x4000));
    image.set(filler.subarray(from, from + 0x4000), at);
  }
  // The header of the platform's first ROM (MD vectors and header; GB header with the logo).
  const headerSize = platform === 'md' ? 0x200 : platform === 'gb' ? 0x150 : 0;
  const first = new Uint8Array(readFileSync(join(corpusDirectory, codecFixtureSources[platform].roms[0]!)));
  image.set(first.subarray(0, headerSize), 0);
  const specs: { codec: string; level: string }[] = [];
  for (let round = 0; round < rounds; round++) for (const codec of realArtCodecsByPlatform[platform]) for (const level of getCodec(codec).levels) specs.push({ codec, level });
  const planted: PlantedBlock[] = [];
  const span = Math.floor((size - 0x1000) / specs.length);
  let cursor = 0x400;
  specs.forEach((spec, i) => {
    const source = art[i % art.length]!;
    const tiles = Math.floor(source.bytes.length / source.bytesPerTile);
    let wanted: number;
    if (spec.codec === 'gen1-pic') {
      const side = 4 + Math.floor(random() * 4);
      wanted = Math.min(side * side, tiles);
      wanted = Math.floor(Math.sqrt(wanted)) ** 2;
    } else wanted = Math.min(tiles, 8 + Math.floor(random() * 57));
    const firstTile = Math.floor(random() * (tiles - wanted + 1));
    const data = source.bytes.slice(firstTile * source.bytesPerTile, (firstTile + wanted) * source.bytesPerTile);
    const codec = getCodec(spec.codec);
    const bytes = codec.compress(data, { level: spec.level });
    const packedLength = codec.decompress(bytes, 0).packedLength;
    // 68000 word reads: Mega Drive streams sit at even addresses, as assemblers and SGDK align them.
    let offset = cursor + 0x80 + Math.floor(random() * Math.max(0x100, span - bytes.length - 0x100));
    if (platform === 'md') offset &= ~1;
    // Keep clear of the SNES internal header at 0x7FB0.
    if (platform === 'snes' && offset < 0x8000 && offset + bytes.length > 0x7f00) offset = 0x8040;
    image.set(bytes, offset);
    planted.push({ offset, packedLength, unpackedLength: data.length, codec: spec.codec, format: source.format });
    cursor = offset + bytes.length;
  });
  if (platform === 'snes') return { bytes: buildSnesRom({ size, payloads: [{ offset: 0, bytes: image }, ...planted.map((p) => ({ offset: p.offset, bytes: image.slice(p.offset, p.offset + p.packedLength) }))], title: 'REAL CODEC FIXTURE' }), planted, platform };
  return { bytes: image, planted, platform };
}
