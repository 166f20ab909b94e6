/**
 * Gen-1 pictures in the GB scan defaults (src/scan/codec-streams.ts, the gen1-pic rule; the
 * encoder-stream probe in src/codecs/nintendo/gen1-pic.ts): the reference pictures
 * (fixtures/codecs/pic: pret's pkmncompress output) and our encoder's output pass the rules;
 * code, random bytes and fill read as pictures do not. The default scan (scanRom and the CLI's
 * `scan --json`) finds pictures planted in the GB corpus ROMs' own code and in random bytes
 * exactly, back to back as the games store them, and reports no picture anywhere else.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { getCodec } from '../../src/codecs/index.js';
import { probeGen1Pic, probeGen1PicEncoderStream } from '../../src/codecs/nintendo/gen1-pic.js';
import { romFromBytes } from '../../src/rom/rom.js';
import { figureOnBlankBackground } from '../../src/scan/codec-streams.js';
import { explainScanOffset, scanRom } from '../../src/scan/index.js';
import { defaultScanCodecs } from '../../src/scan/scanner.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { corpusBytesOutsideTruth, corpusDirectory } from './helpers/corpus.js';
import { gen1Picture } from './helpers/gen1-pictures.js';
import { rng } from './helpers/sprite-art.js';

const pictureDirectory = 'fixtures/codecs/pic';
const read = (path: string) => new Uint8Array(readFileSync(path));
/** The reference pictures that are figures on a blank background (the others are a blank square, stripes, noise and a 15×15 checkerboard). */
const referencePictures = ['blob_5x5', 'blob_6x6', 'blob_7x7'];
const codec = getCodec('gen1-pic');

/** MSB-first bit writer for hand-made streams. */
function bitStream(header: number, bits: string): Uint8Array {
  const out = new Uint8Array(1 + Math.ceil(bits.length / 8));
  out[0] = header;
  for (let i = 0; i < bits.length; i++) if (bits[i] === '1') out[1 + (i >> 3)]! |= 0x80 >> (i & 7);
  return out;
}

/** The GB corpus ROMs' bytes outside every truth block (their code and data). */
function gbCode(): Uint8Array {
  // From 0x150: past the vectors and the cartridge header.
  return corpusBytesOutsideTruth(['libbet.gb', 'dmg-acid2.gb'], 0x150);
}

interface Planted {
  offset: number;
  packedLength: number;
}

/**
 * A GB image: libbet's header, then `filler` bank by bank from seeded places, with the reference
 * pictures and pictures drawn by code (gen1-pictures.ts) packed by our encoder planted at
 * seeded offsets, some back to back as the games store them.
 */
function plantedPictures(filler: (at: number) => Uint8Array, size: number, seed: number): { bytes: Uint8Array; planted: Planted[] } {
  const random = rng(seed);
  const image = new Uint8Array(size);
  for (let at = 0; at < size; at += 0x4000) image.set(filler(at).subarray(0, Math.min(0x4000, size - at)), at);
  image.set(read(join(corpusDirectory, 'libbet.gb')).subarray(0, 0x150), 0);
  const streams: Uint8Array[] = referencePictures.map((name) => read(join(pictureDirectory, `${name}.pic`)));
  for (let k = 0; k < 6; k++) streams.push(codec.compress(gen1Picture(4 + (k % 4), seed * 10 + k, k % 3 === 2)));
  const planted: Planted[] = [];
  let at = 0x400;
  streams.forEach((stream, i) => {
    // Every third picture follows the one before directly (pictures share banks in the games).
    if (i % 3 !== 1) at += 0x200 + Math.floor(random() * 0x1000);
    image.set(stream, at);
    planted.push({ offset: at, packedLength: stream.length });
    at += stream.length;
  });
  return { bytes: image, planted };
}

const key = (c: { offset: number; packedLength: number }) => `${c.offset}+${c.packedLength}`;

describe('Gen-1 picture streams as encoders write them', () => {
  const fixtures = ['blob_5x5', 'blob_6x6', 'blob_7x7', 'stripes_4x4', 'zeros_7x7', 'random_7x7', 'checker_15x15'];
  test.each(fixtures)('the reference stream %s passes, with the plain probe\'s lengths', (name) => {
    const bytes = read(join(pictureDirectory, `${name}.pic`));
    const plain = probeGen1Pic(bytes, 0);
    expect(plain).not.toBeNull();
    expect(probeGen1PicEncoderStream(bytes, 0)).toEqual(plain);
  });

  test('our encoder\'s output passes, for drawn pictures and noise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 7 }), fc.integer({ min: 1, max: 1 << 30 }), fc.boolean(), (side, seed, touchSides) => {
        const packed = codec.compress(gen1Picture(side, seed, touchSides));
        expect(probeGen1PicEncoderStream(packed, 0)).toEqual({ packedLength: packed.length, unpackedLength: side * side * 16 });
      }),
      { numRuns: 40 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }).chain((side) => fc.uint8Array({ minLength: side * side * 16, maxLength: side * side * 16 })), (tiles) => {
        const packed = codec.compress(tiles);
        expect(probeGen1PicEncoderStream(packed, 0)?.packedLength).toBe(packed.length);
      }),
      { numRuns: 40 },
    );
  });

  test('an empty data packet and set bits after the end are refused; the decoder still reads both', () => {
    // 1×1 tile, 32 pixel pairs per plane. Order 0; plane 1: a run of 32 (prefix 1111, 0, value
    // 00001: 2^5 − 1 + 1); mode 0; plane 2 the same.
    const run32 = '1111' + '0' + '00001';
    const canonical = bitStream(0x11, '0' + '0' + run32 + '0' + '0' + run32);
    expect(probeGen1PicEncoderStream(canonical, 0)).toEqual({ packedLength: canonical.length, unpackedLength: 16 });
    // The same planes with the first run split by an empty data packet: a run of 1 (0, 0), data
    // packet 00, a run of 31 (1111, 0, 00000).
    const split = bitStream(0x11, '0' + '0' + '00' + '00' + '1111' + '0' + '00000' + '0' + '0' + run32);
    expect(codec.decompress(split, 0).data).toEqual(codec.decompress(canonical, 0).data);
    expect(probeGen1Pic(split, 0)).not.toBeNull();
    expect(probeGen1PicEncoderStream(split, 0)).toBeNull();
    // blob_5x5 ends 1 bit before its last byte's end: setting that bit changes nothing decoded.
    const blob = read(join(pictureDirectory, 'blob_5x5.pic'));
    const padded = blob.slice();
    padded[padded.length - 1]! |= 1;
    expect(codec.decompress(padded, 0).data).toEqual(codec.decompress(blob, 0).data);
    expect(probeGen1PicEncoderStream(padded, 0)).toBeNull();
  });

  test('on random and mutated streams it never throws, and accepts only what the plain probe accepts, with its lengths', () => {
    const blob = read(join(pictureDirectory, 'blob_5x5.pic'));
    const stream = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 600 }),
      fc.array(fc.tuple(fc.nat(blob.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }).map((edits) => {
        const mutated = blob.slice();
        for (const [at, value] of edits) mutated[at] = value;
        return mutated;
      }),
    );
    fc.assert(
      fc.property(stream, fc.nat(8), fc.integer({ min: 0, max: 1000 }), (bytes, offset, bound) => {
        if (offset >= bytes.length) return;
        const encoder = probeGen1PicEncoderStream(bytes, offset, bound);
        if (encoder === null) return;
        expect(encoder).toEqual(probeGen1Pic(bytes, offset));
        expect(encoder.packedLength).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 400 },
    );
  });

  test('the length bound stops the walk: a stream longer than it is refused', () => {
    const blob = read(join(pictureDirectory, 'blob_7x7.pic'));
    expect(probeGen1PicEncoderStream(blob, 0, blob.length)?.packedLength).toBe(blob.length);
    expect(probeGen1PicEncoderStream(blob, 0, blob.length - 1)).toBeNull();
  });

  test('random bytes and GB code read as pictures: the plain probe accepts many starts, the encoder rules none', () => {
    const random = rng(99);
    const noise = new Uint8Array(256 * 1024);
    for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(random() * 256);
    // 256 KiB of noise; the GB corpus's 50 KiB of code and data.
    for (const [bytes, plainAtLeast] of [
      [noise, 200],
      [gbCode(), 8],
    ] as const) {
      let plain = 0;
      let encoder = 0;
      for (let p = 0; p + 3 < bytes.length; p++) {
        const side = bytes[p]! >> 4;
        if (side < 4 || side > 7 || (bytes[p]! & 15) !== side) continue;
        if (probeGen1Pic(bytes, p) !== null) plain++;
        if (probeGen1PicEncoderStream(bytes, p) !== null) encoder++;
      }
      expect(plain).toBeGreaterThanOrEqual(plainAtLeast);
      expect(encoder).toBe(0);
    }
  });
});

describe('a picture is a figure on a blank background', () => {
  test('the reference figures and drawn pictures are; stripes, noise and fill are not', () => {
    for (const name of referencePictures) expect(figureOnBlankBackground(read(join(pictureDirectory, `${name}.bin`)))).toBe(true);
    for (let seed = 1; seed <= 20; seed++) expect(figureOnBlankBackground(gen1Picture(4 + (seed % 4), seed, seed % 2 === 0))).toBe(true);
    // A back picture: the upper body seen from behind, cut off at the bottom edge and touching
    // both sides over its lower 19 rows (4×4 tiles; colour 2 is the high plane alone).
    const back = new Uint8Array(4 * 4 * 16);
    for (let y = 13; y < 32; y++) for (let column = 0; column < 4; column++) back[((y >> 3) * 4 + column) * 16 + (y & 7) * 2 + 1] = 0xff;
    expect(figureOnBlankBackground(back)).toBe(true);
    expect(figureOnBlankBackground(read(join(pictureDirectory, 'stripes_4x4.bin')))).toBe(false);
    expect(figureOnBlankBackground(read(join(pictureDirectory, 'random_7x7.bin')))).toBe(false);
    expect(figureOnBlankBackground(new Uint8Array(5 * 5 * 16).fill(0xff))).toBe(false);
    // Not a square of whole tiles.
    expect(figureOnBlankBackground(new Uint8Array(3 * 16))).toBe(false);
  });
});

describe('the default GB scan', () => {
  test('has gen1-pic', () => {
    expect(defaultScanCodecs('gb')).toContain('gen1-pic');
    expect(defaultScanCodecs('gbc')).toContain('gen1-pic');
  });

  test.each([
    ['GB corpus code', 1],
    ['random bytes', 2],
  ] as const)('finds every picture planted in %s exactly, and no other picture', async (label, seed) => {
    const code = gbCode();
    const random = rng(seed * 31);
    const filler =
      label === 'random bytes'
        ? () => Uint8Array.from({ length: 0x4000 }, () => Math.floor(random() * 256))
        : () => {
            const from = Math.floor(random() * (code.length - 0x4000));
            return code.subarray(from, from + 0x4000);
          };
    const fixture = plantedPictures(filler, 128 * 1024, seed);
    const candidates = await scanRom(romFromBytes(fixture.bytes, { name: `pictures-${seed}`, platform: 'gb' }), { cache: false, workers: 0 });
    const pictures = candidates.filter((c) => c.codec === 'gen1-pic');
    // The reference pictures always; the drawn ones score 0.44-0.76 and a few fall under the threshold.
    const found = new Set(pictures.map(key));
    for (const p of fixture.planted.slice(0, referencePictures.length)) expect(found.has(key(p)), `picture at ${p.offset}`).toBe(true);
    expect(fixture.planted.filter((p) => found.has(key(p))).length).toBeGreaterThanOrEqual(6);
    const stray = pictures.filter((c) => !fixture.planted.some((p) => p.offset === c.offset && p.packedLength === c.packedLength));
    expect(stray).toEqual([]);
  }, 60_000);

  test.each(['libbet.gb', 'dmg-acid2.gb'])('reports no picture in %s', async (name) => {
    const candidates = await scanRom(join(corpusDirectory, name), { cache: false, workers: 0 });
    expect(candidates.filter((c) => c.codec === 'gen1-pic')).toEqual([]);
  }, 60_000);

  test('a header byte before fill is no picture (literal pixel pairs throughout: as long as its tiles)', async () => {
    const bytes = new Uint8Array(64 * 1024);
    bytes.set(read(join(corpusDirectory, 'libbet.gb')).subarray(0, 0x150), 0);
    // ld b,h / ld d,l / ld h,(hl) / ld (hl),a before $FF and $55 padding: headers 0x44-0x77.
    let at = 0x1000;
    for (const header of [0x44, 0x55, 0x66, 0x77]) {
      for (const fill of [0xff, 0x55, 0xaa]) {
        bytes[at] = header;
        bytes.fill(fill, at + 1, at + 0x800);
        at += 0x800;
      }
    }
    const candidates = await scanRom(romFromBytes(bytes, { name: 'fill', platform: 'gb' }), { cache: false, workers: 0, codecs: ['gen1-pic'] });
    expect(candidates).toEqual([]);
  });
});

describe('--explain names the picture rule', () => {
  test('a picture with a set bit after its end, and stripes, are explained', async () => {
    const bytes = new Uint8Array(64 * 1024);
    bytes.set(read(join(corpusDirectory, 'libbet.gb')).subarray(0, 0x150), 0);
    const blob = read(join(pictureDirectory, 'blob_6x6.pic'));
    bytes.set(blob, 0x1000);
    bytes[0x1000 + blob.length - 1]! |= 1;
    const stripes = read(join(pictureDirectory, 'stripes_4x4.pic'));
    bytes.set(stripes, 0x2000);
    const rom = romFromBytes(bytes, { name: 'explained', platform: 'gb' });
    const padded = await explainScanOffset(rom, 0x1000, { cache: false, workers: 0, codecs: ['gen1-pic'] });
    expect(padded.reported).toBeNull();
    expect(padded.streams.find((s) => s.codec === 'gen1-pic')?.rule).toMatch(/as encoders write one/u);
    const striped = await explainScanOffset(rom, 0x2000, { cache: false, workers: 0, codecs: ['gen1-pic'] });
    expect(striped.reported).toBeNull();
    expect(striped.streams.find((s) => s.codec === 'gen1-pic')?.rule).toMatch(/blank background/u);
  });
});

describe('romgfx scan --json', () => {
  const dir = tempDir('romgfx-gen1-pic-cli-');
  afterAll(() => dir.cleanup());

  test('lists the pictures planted in a GB ROM with the defaults', () => {
    const code = gbCode();
    const random = rng(5);
    const fixture = plantedPictures(() => {
      const from = Math.floor(random() * (code.length - 0x4000));
      return code.subarray(from, from + 0x4000);
    }, 64 * 1024, 3);
    const romPath = join(dir.path, 'pictures.gb');
    writeFileSync(romPath, fixture.bytes);
    const run = runCli(['scan', romPath, '--json', '--no-cache', '--workers', '0']);
    expect(run.code, run.stderr).toBe(0);
    const list = JSON.parse(run.stdout) as { codec: string; offset: number; packedLength: number; format: string; kind: string }[];
    const pictures = list.filter((c) => c.codec === 'gen1-pic');
    const found = new Set(pictures.map(key));
    for (const p of fixture.planted.slice(0, referencePictures.length)) expect(found.has(key(p))).toBe(true);
    expect(pictures.every((c) => c.format === 'gb2bpp' && c.kind === 'tiles' && fixture.planted.some((p) => key(p) === key(c)))).toBe(true);
  }, 60_000);
});
