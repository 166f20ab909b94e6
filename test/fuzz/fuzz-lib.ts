/**
 * Decoder fuzzing shared by the bounded vitest run (test/codecs/fuzz.test.ts) and the long
 * `npm run fuzz` runner (run.ts). Inputs: random bytes, and mutations (bit flips, byte
 * overwrites, truncations, insertions, splices) of valid streams the codecs' own encoders
 * produce. Each input is decoded and probed; the only acceptable failures are the codec's
 * typed errors, output never exceeds the limit, and probe agrees with decode.
 */
import { isRomgfxError } from '../../src/errors.js';
import { getCodec } from '../../src/codecs/registry.js';
import type { DecodeLimits } from '../../src/codecs/types.js';
import { xxhash32 } from '../../src/codecs/lz4/xxhash32.js';

/** LZ4 frame: drop the content checksum flag and recompute the header checksum byte. */
function repairLz4Frame(input: Uint8Array): void {
  if (input.length < 7 || input[0] !== 0x04 || input[1] !== 0x22 || input[2] !== 0x4d || input[3] !== 0x18) return;
  input[4] = input[4]! & ~0x04;
  const descriptorEnd = 6 + (input[4]! & 0x08 ? 8 : 0);
  if (input.length <= descriptorEnd) return;
  input[descriptorEnd] = (xxhash32(input, 4, descriptorEnd) >>> 8) & 0xff;
}

/** Error codes a decoder may throw for bad data. */
export const acceptedDecodeErrorCodes: ReadonlySet<string> = new Set([
  'ERR_HAL_TRUNCATED',
  'ERR_HAL_OUTPUT_TOO_LARGE',
  'ERR_HAL_COPY_PAST_END',
  'ERR_HAL_BACKWARD_BEFORE_START',
  'ERR_CODEC_OUTPUT_LIMIT',
  'ERR_CODEC_TRUNCATED',
  'ERR_CODEC_CORRUPT',
  'ERR_GBA_BIOS_HEADER',
  'ERR_LZ4_FRAME',
  'ERR_LZ4_CHECKSUM',
  'ERR_CODEC_UNSUPPORTED',
]);

/** xorshift32: fast, seedable, no allocation. */
export class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state;
  }
  below(n: number): number {
    return this.next() % n;
  }
}

export interface FuzzTarget {
  codec: string;
  /** Valid streams to mutate. */
  seeds: Uint8Array[];
  /** Limits passed to decode and probe (output size for PB16 / raw LZ4 blocks). */
  limits: (random: Random) => DecodeLimits;
  /** A header to prefix random bytes with, so random inputs get past the type byte. */
  randomPrefix?: (random: Random) => number[];
  /** Fixes what would reject almost every mutation early (checksums), so mutations reach deeper. */
  repair?: (input: Uint8Array, random: Random) => void;
}

export interface FuzzStats {
  inputs: number;
  decoded: number;
  rejected: number;
  failures: string[];
}

function sample(random: Random, length: number, biasToZero: boolean): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = biasToZero && random.below(4) === 0 ? 0 : random.below(256);
  return out;
}

function mutate(random: Random, seed: Uint8Array): Uint8Array {
  const kind = random.below(6);
  if (seed.length === 0) return sample(random, 1 + random.below(16), false);
  switch (kind) {
    case 0: {
      const out = seed.slice();
      const flips = 1 + random.below(4);
      for (let k = 0; k < flips; k++) {
        const i = random.below(out.length);
        out[i] = out[i]! ^ (1 << random.below(8));
      }
      return out;
    }
    case 1: {
      const out = seed.slice();
      const writes = 1 + random.below(4);
      for (let k = 0; k < writes; k++) out[random.below(out.length)] = random.below(256);
      return out;
    }
    case 2:
      return seed.slice(0, random.below(seed.length));
    case 3: {
      const at = random.below(seed.length + 1);
      const insert = sample(random, 1 + random.below(8), false);
      const out = new Uint8Array(seed.length + insert.length);
      out.set(seed.subarray(0, at));
      out.set(insert, at);
      out.set(seed.subarray(at), at + insert.length);
      return out;
    }
    case 4: {
      // Splice: the seed's tail moved elsewhere (copies with stale positions, odd flags).
      const from = random.below(seed.length);
      const piece = seed.subarray(from, Math.min(seed.length, from + 1 + random.below(32)));
      const out = seed.slice();
      out.set(piece, random.below(seed.length - piece.length + 1));
      return out;
    }
    default: {
      const out = seed.slice();
      const i = random.below(out.length);
      out[i] = random.below(2) ? 0xff : 0x00;
      return out;
    }
  }
}

/**
 * Runs `count` inputs (or until `deadlineMs` passes, if given) against one codec. Failures are
 * collected (first few) rather than thrown, so the runner can report them all.
 */
export function fuzzCodec(target: FuzzTarget, count: number, seed: number, deadlineMs = Number.POSITIVE_INFINITY): FuzzStats {
  const codec = getCodec(target.codec);
  const random = new Random(seed);
  const stats: FuzzStats = { inputs: 0, decoded: 0, rejected: 0, failures: [] };
  for (let n = 0; n < count; n++) {
    if ((n & 1023) === 0 && Date.now() > deadlineMs) break;
    let input: Uint8Array;
    if (random.below(2) === 0 && target.seeds.length > 0) {
      input = mutate(random, target.seeds[random.below(target.seeds.length)]!);
      if (target.repair && random.below(2) === 0) target.repair(input, random);
    } else {
      const prefix = target.randomPrefix ? target.randomPrefix(random) : [];
      const body = sample(random, random.below(64), random.below(2) === 0);
      input = new Uint8Array(prefix.length + body.length);
      input.set(prefix);
      input.set(body, prefix.length);
    }
    const limits = target.limits(random);
    const limit = limits.maximumOutputSizeInBytes;
    stats.inputs++;
    let decodedLength = -1;
    let packedLength = -1;
    // A probe cannot check an LZ4 content checksum (it needs the output): the one allowed disagreement.
    let contentChecksumOnly = false;
    try {
      const result = codec.decompress(input, 0, limits);
      decodedLength = result.data.length;
      packedLength = result.packedLength;
      stats.decoded++;
      if (limit !== undefined && decodedLength > limit) record(stats, target.codec, input, `output ${decodedLength} exceeds limit ${limit}`);
      if (packedLength < 0 || packedLength > input.length) record(stats, target.codec, input, `packed length ${packedLength} outside input of ${input.length}`);
    } catch (error) {
      stats.rejected++;
      contentChecksumOnly = isRomgfxError(error) && error.code === 'ERR_LZ4_CHECKSUM' && error.details.what === 'content';
      if (!isRomgfxError(error) || !acceptedDecodeErrorCodes.has(error.code)) {
        record(stats, target.codec, input, `unexpected ${isRomgfxError(error) ? error.code : String(error)}`);
      }
    }
    let probed: ReturnType<typeof codec.probe>;
    try {
      probed = codec.probe(input, 0, limits);
    } catch (error) {
      record(stats, target.codec, input, `probe threw ${String(error)}`);
      continue;
    }
    if (contentChecksumOnly && probed !== null) continue;
    if ((probed === null) !== (decodedLength < 0)) record(stats, target.codec, input, `probe ${probed === null ? 'rejects' : 'accepts'} what decode ${decodedLength < 0 ? 'rejects' : 'accepts'}`);
    else if (probed !== null && (probed.packedLength !== packedLength || probed.unpackedLength !== decodedLength)) {
      record(stats, target.codec, input, `probe says ${probed.packedLength}/${probed.unpackedLength}, decode ${packedLength}/${decodedLength}`);
    }
  }
  return stats;
}

function record(stats: FuzzStats, codec: string, input: Uint8Array, what: string): void {
  if (stats.failures.length < 5) stats.failures.push(`${codec}: ${what} (input ${Buffer.from(input).toString('hex').slice(0, 200)})`);
}

/** `bytes` zero-padded to a multiple of `unit` bytes. */
function padTo(bytes: Uint8Array, unit: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / unit) * unit);
  out.set(bytes);
  return out;
}

function gbaHeader(type: number, random: Random): number[] {
  const size = random.below(2) ? random.below(256) : random.next() & 0xffffff;
  return [type, size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff];
}

/** Gen-1 pictures (square, 1-7 tiles a side) of sparse blob-like pixels, encoded. */
function gen1PicSeeds(random: Random): Uint8Array[] {
  const seeds: Uint8Array[] = [];
  for (let k = 0; k < 8; k++) {
    const side = 1 + random.below(7);
    const picture = new Uint8Array(side * side * 16);
    for (let i = 0; i < picture.length; i++) picture[i] = random.below(3) === 0 ? random.below(256) : i > 1 ? picture[i - 2]! : 0;
    seeds.push(getCodec('gen1-pic').compress(picture));
  }
  return seeds;
}

/** Targets for every decoder, seeded with streams of small varied inputs. */
export function fuzzTargets(): FuzzTarget[] {
  const random = new Random(12345);
  const plain: Uint8Array[] = [];
  for (let k = 0; k < 12; k++) {
    const length = 8 + random.below(120);
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) bytes[i] = random.below(3) === 0 ? random.below(256) : i > 4 && random.below(2) ? bytes[i - 1 - random.below(4)]! : (i * 7) & 0xff;
    plain.push(bytes);
  }
  const encodeAll = (codec: string, options: object[]): Uint8Array[] =>
    plain.flatMap((bytes) => options.map((option) => getCodec(codec).compress(bytes, option)));
  const smallLimit = (r: Random): DecodeLimits => (r.below(4) === 0 ? { maximumOutputSizeInBytes: r.below(200) } : { maximumOutputSizeInBytes: 4096 });
  const huffmanSeeds = [0x24, 0x28].map((type) => {
    // A valid 2-symbol tree: root with two leaves, then one word of bits.
    const body = [type, 8, 0, 0, 1, 0xc0, type === 0x24 ? 3 : 0x41, type === 0x24 ? 5 : 0x42, 0x55, 0xaa, 0x0f, 0xf0];
    return new Uint8Array(body);
  });
  return [
    { codec: 'hal', seeds: encodeAll('hal', [{ level: 2 }, { level: 4 }, { level: 'max' }]), limits: smallLimit },
    { codec: 'lz77', seeds: encodeAll('lz77', [{}, { vramSafe: true }]), limits: smallLimit, randomPrefix: (r) => gbaHeader(0x10, r) },
    { codec: 'lz11', seeds: encodeAll('lz11', [{}]), limits: smallLimit, randomPrefix: (r) => gbaHeader(0x11, r) },
    { codec: 'rle', seeds: encodeAll('rle', [{}]), limits: smallLimit, randomPrefix: (r) => gbaHeader(0x30, r) },
    { codec: 'huffman', seeds: [...huffmanSeeds, ...encodeAll('huffman', [{ variant: '4' }, { variant: '8' }])], limits: smallLimit, randomPrefix: (r) => gbaHeader(r.below(2) ? 0x24 : 0x28, r) },
    { codec: 'diff', seeds: encodeAll('diff', [{}]), limits: smallLimit, randomPrefix: (r) => gbaHeader(r.below(2) ? 0x81 : 0x82, r) },
    {
      codec: 'lz4',
      seeds: [...encodeAll('lz4', [{}]), ...encodeAll('lz4', [{ variant: 'block' }])],
      limits: (r) => (r.below(2) ? { maximumOutputSizeInBytes: 4096, outputSizeInBytes: r.below(160) } : { maximumOutputSizeInBytes: r.below(300) }),
      randomPrefix: (r) => (r.below(2) ? [0x04, 0x22, 0x4d, 0x18, 0x40 | (r.below(16) << 2), 0x40] : []),
      repair: repairLz4Frame,
    },
    { codec: 'pb16', seeds: encodeAll('pb16', [{}]), limits: (r) => ({ outputSizeInBytes: r.below(160), maximumOutputSizeInBytes: 4096 }) },
    ...(['lc-lz1', 'lc-lz2', 'lc-lz3', 'lc-lz5', 'konami1'] as const).map((codec) => ({
      codec,
      seeds: encodeAll(codec, [{ level: 'fast' }, { level: 'max' }]),
      limits: smallLimit,
      // konami1: a stated size within reach of the random body, so random commands get walked.
      ...(codec === 'konami1' ? { randomPrefix: (r: Random) => [2 + r.below(64), r.below(8) === 0 ? r.below(256) : 0] } : {}),
    })),
    { codec: 'gen1-pic', seeds: gen1PicSeeds(random), limits: smallLimit, randomPrefix: (r) => [r.below(4) === 0 ? r.below(256) : 0x11 * (1 + r.below(7))] },
    // Sega: Nemesis holds whole 32-byte tiles and Enigma whole words, so seeds are padded to fit;
    // random inputs get a small tile count / module size / sane P and M so they reach the streams.
    {
      codec: 'nemesis',
      seeds: plain.flatMap((bytes) => ['max', 'accurate'].map((level) => getCodec('nemesis').compress(padTo(bytes, 32), { level }))),
      limits: smallLimit,
      randomPrefix: (r) => [r.below(2) ? 0x80 : 0, r.below(4)],
    },
    { codec: 'kosinski', seeds: encodeAll('kosinski', [{ level: 'max' }, { level: 'accurate' }]), limits: smallLimit },
    {
      codec: 'kosinski-moduled',
      seeds: [...encodeAll('kosinski-moduled', [{ level: 'max' }, { level: 'accurate' }]), getCodec('kosinski-moduled').compress(new Uint8Array(0x1001).map((_, i) => (i * 7) >> 4), { level: 'max' })],
      limits: (r) => (r.below(4) === 0 ? { maximumOutputSizeInBytes: r.below(200) } : { maximumOutputSizeInBytes: 0x2000 }),
      randomPrefix: (r) => [0, r.below(256)],
    },
    {
      codec: 'enigma',
      seeds: plain.map((bytes) => getCodec('enigma').compress(padTo(bytes, 2))),
      limits: (r) => (r.below(2) ? { outputSizeInBytes: r.below(300) } : { maximumOutputSizeInBytes: 4096 }),
      randomPrefix: (r) => [1 + r.below(16), r.below(32), r.below(256), r.below(256), r.below(256), r.below(256)],
    },
    {
      // Headed streams, and headerless ones (output size given) a quarter of the time.
      codec: 'saxman',
      seeds: [...encodeAll('saxman', [{}, { level: 'fast' }]), ...encodeAll('saxman', [{ variant: 'headerless' }])],
      limits: (r) => (r.below(4) === 0 ? { outputSizeInBytes: r.below(200), maximumOutputSizeInBytes: 4096 } : smallLimit(r)),
      randomPrefix: (r) => (r.below(2) ? [r.below(64), 0] : []),
    },
    { codec: 'comper', seeds: plain.filter((bytes) => bytes.length % 2 === 0).flatMap((bytes) => [getCodec('comper').compress(bytes), getCodec('comper').compress(bytes, { level: 'fast' })]), limits: smallLimit },
    { codec: 'lz4w', seeds: encodeAll('lz4w', [{}, { level: 'fast' }]), limits: smallLimit },
    // neslib RLE: plain inputs are under 128 bytes, so a tag value is always free.
    { codec: 'rle-neslib', seeds: encodeAll('rle-neslib', [{ level: 'max' }, { level: 'accurate' }]), limits: smallLimit },
  ];
}
