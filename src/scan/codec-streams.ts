/**
 * Scanning for the streams of the Nintendo LZ family (LC_LZ1/2/3/5, konami1, Gen-1 pictures)
 * and the Sega family (Nemesis, Kosinski, Kosinski Moduled, LZ4W, Comper, Saxman, Enigma).
 *
 * Every offset is a possible start, and most of these formats have no magic number, so the
 * rules below decide what counts as a stream; each follows from how the format, the hardware
 * that decodes it or the tools that write it lay the bytes out (see the comment of each):
 *
 * 1. Cheap tests on the first bytes, before the codec's `probe` is called (`startsHere`): a
 *    header's fields in range (Nemesis's tile count and the first byte of its code table,
 *    Kosinski Moduled's size, konami1's and Saxman's stream size), a first command that could
 *    come first (no copy before any output exists), the alignment of 68000 word reads.
 * 2. The codec's `probe` (no output built): the stream must end on its terminator or at its
 *    stated size, with every copy reading bytes already written.
 * 3. Plausibility from the probe's two lengths: at least the minimum size, a whole number of
 *    tiles of one of the platform's formats (converters write tile sets of whole tiles; a
 *    plane map of whole 16-bit entries), and a packed size no encoder exceeds for that much
 *    output (plausibleRatio in chunk.ts).
 * 4. Of the starts that reach the same stream end, one is chosen (chooseStart): starts inside
 *    a stream that fall in step with its commands decode its tail, and starts before it that
 *    fall in step decode junk before it.
 * 5. The chosen reading must look like art (a quick look at its first tiles rejects noise),
 *    then it is scored in full against the threshold.
 */
import { getCodec, type Codec } from '../codecs/index.js';
import { lastEnigmaTerminatorEndInBits } from '../codecs/sega/enigma.js';
import { maximumPicSideInTiles, probeGen1PicEncoderStream } from '../codecs/nintendo/gen1-pic.js';
import type { LcLzVariant } from '../codecs/nintendo/lc-lz-common.js';
import { getTileFormat, type TileFormat } from '../gfx/index.js';
import { comparePrefixTiles, plausibleRatio, roundScore, type CancelCheck, type ChunkResult, type ChunkTask } from './chunk.js';
import { fitsTilemap, tilemapLayoutByPlatform } from './kind.js';
import { computeLcLzChains } from './lc-lz-chain.js';
import { fillsOnlyStream, lcLzCommandPairsACopyWrites, nonEncoderKonami1Commands, nonEncoderLcLzCommands, nonEncoderLzCommandsTolerated, onLcLzCommandChain } from './lz-commands.js';
import { saxmanCopiesAsEncodersWrite } from './saxman-copies.js';
import { smallNumberTableBytes, smallNumberTile } from './raw.js';
import { lz4wReadingRule, sgdkDeclaredStreams, type SgdkDeclaredStream } from './sgdk.js';
import { GraphicsScorer, repeatedTileFactor } from './score.js';
import { sparseSheetScore } from './sparse-sheet.js';
import type { ScanCandidate } from './types.js';

/** The codecs this module scans, in the order the scanner lists them. */
export const streamScanCodecNames = ['lc-lz1', 'lc-lz2', 'lc-lz3', 'lc-lz5', 'konami1', 'gen1-pic', 'nemesis', 'kosinski', 'kosinski-moduled', 'lz4w', 'comper', 'saxman', 'enigma'] as const;
/** One of streamScanCodecNames. */
export type StreamScanCodec = (typeof streamScanCodecNames)[number];

/** What a format's output holds: tiles are scored as art, plane maps as map entries. */
type StreamOutput = 'tiles' | 'map';

interface StreamRule {
  /** Stream starts must be a multiple of this (2: the 68000 reads the stream in words). */
  readonly alignment: 1 | 2;
  /** False when no stream of the format can start at `p` (first-byte tests, see each rule). */
  startsHere(data: Uint8Array, p: number): boolean;
  readonly output: StreamOutput;
  /** The tile format the format's output always is (Nemesis: 4bpp MD tiles; Gen-1 pictures: 2bpp), scored alone. */
  readonly format?: string;
  /**
   * Whether the decoded output's blank tiles are part of the art (scored as a sparse block,
   * score.ts): a Gen-1 picture is a figure on a blank background.
   */
  readonly blankTilesAreArt?: boolean;
}

/** Gen-1 back sprites are 4×4 tiles, the smallest pictures the games store (see the gen1-pic rule). */
export const minimumGen1PicSideInTiles = 4;
/** Gen-1 pictures decode into 7×7-tile sprite buffers (see the gen1-pic rule). */
export const maximumGen1PicSideInTiles = Math.min(7, maximumPicSideInTiles);
/**
 * The share of a Gen-1 picture's top row and left and right columns that must be colour 0. The
 * games draw a picture as background tiles on the white battle and Pokédex screens, so a
 * picture is a figure on colour 0. Its bottom row is not counted: front pictures stand on it
 * (the game aligns them to the bottom of the 7×7 buffer) and back pictures show the upper body
 * cut off there. The other edges are background except where the figure touches them (a wide
 * body at one side). Noise read as a picture has colour 0 at about a quarter of its pixels.
 */
export const minimumGen1PicBlankBorderFraction = 0.5;

/**
 * Mega Drive VRAM holds 2,048 tiles (64 KiB): Nemesis art is decoded into VRAM or a RAM buffer
 * of at most that, so a larger tile count in the header is not art.
 */
export const maximumScannedNemesisTileCount = 2048;
/**
 * Saxman is decoded by Sonic 2's Z80 sound driver into the Z80's 8 KiB of RAM (sega.md §5.1),
 * so a stated body larger than that is not a Saxman stream. Every other byte pair reads as a
 * size and Saxman's ring buffer makes almost any body decode, so without the bound every offset
 * would cost a walk of up to 64 KiB.
 */
export const maximumScannedSaxmanBodyInBytes = 0x2000;
/** Starts per stream end decoded to choose from (earliest first: the real start comes before its in-step suffixes). */
export const startsDecodedPerStreamEnd = 24;
/** Output bytes of an in-step LC_LZ prefix's added part checked for command pairs one copy would write (leadingPartIsJunk). */
const copyCheckedOutputInBytes = 1024;
/** A chosen reading whose quick look has this many drawn tiles can be rejected at a glance... */
const quickLookJudgeableTiles = 8;
/** ...when it scores below this fraction of the threshold. */
const quickLookRejectFraction = 0.5;
/** Tiles of the quick look. */
const quickLookTiles = 32;
/** Quick looks this close to the best count as equal (then the earliest start wins). */
const closeLookTolerance = 0.05;
/** Leading tiles a prefix adds that score below this (blank tiles count as 1) are junk, not the stream's first tiles. */
const artLikeLeadingTileScore = 0.3;

const low = (data: Uint8Array, p: number): number => data[p]! | (data[p + 1]! << 8);
const high = (data: Uint8Array, p: number): number => (data[p]! << 8) | data[p + 1]!;

/**
 * LC_LZ command headers (nintendo-lz.md §0): a stream starts with a command that makes output
 * from its own bytes. A copy first would read output not yet written (every LZ1/2/5 absolute
 * source and every LZ3/LZ5 relative distance fails at output 0), `FF` is an empty stream, and
 * LZ1/LZ2 commands 5 and 6 and long-form 7 are never written by a compressor.
 */
function lcLzStartsHere(data: Uint8Array, p: number): boolean {
  const h = data[p]!;
  if (h === 0xff) return false;
  const command = (h & 0xe0) === 0xe0 ? (h >> 2) & 7 : h >> 5;
  return command <= 3;
}

/** Commands of a konami1 stream's opening checked before its probe is called. */
const konami1OpeningCommands = 8;

/**
 * konami1 (nintendo-lz.md §5): a little-endian stream size that counts its own 2 bytes and fits
 * the ROM, then commands that stay inside it, none the undefined 0x80, and copies that read at
 * most 0x21 bytes before the output (the zeroed ring slots an encoder may use). The first
 * commands are where data read as a stream fails: a copy of random bytes reads up to 1,024 back.
 */
function konami1OpensHere(data: Uint8Array, p: number): boolean {
  const size = low(data, p);
  if (size <= 2 || p + size > data.length) return false;
  const end = p + size;
  let q = p + 2;
  let written = 0;
  for (let k = 0; k < konami1OpeningCommands && q < end; k++) {
    const b = data[q]!;
    if (b < 0x80) {
      if (q + 1 >= end) return false;
      const w = (b << 8) | data[q + 1]!;
      const distance = ((((written + 0x3df) & 0x3ff) - (w & 0x3ff)) & 0x3ff) || 1024;
      if (distance > written + 0x21) return false;
      written += (w >> 10) + 2;
      q += 2;
    } else if (b === 0x80) return false;
    else if (b < 0xa0) {
      written += b - 0x80;
      q += 1 + b - 0x80;
    } else if (b < 0xc0) {
      written += 2 * (b - 0xa0 + 2);
      q += 1 + b - 0xa0 + 2;
    } else if (b < 0xe0) {
      written += b - 0xc0 + 2;
      q += 2;
    } else {
      written += b - 0xe0 + 2;
      q += 1;
    }
  }
  return q <= end;
}

const streamRules: Readonly<Record<StreamScanCodec, StreamRule>> = {
  'lc-lz1': { alignment: 1, output: 'tiles', startsHere: lcLzStartsHere },
  'lc-lz2': { alignment: 1, output: 'tiles', startsHere: lcLzStartsHere },
  'lc-lz3': { alignment: 1, output: 'tiles', startsHere: lcLzStartsHere },
  'lc-lz5': { alignment: 1, output: 'tiles', startsHere: lcLzStartsHere },
  konami1: { alignment: 1, output: 'tiles', startsHere: konami1OpensHere },
  // A Gen-1 picture's first byte is its width and height in tiles (nibbles); pictures are
  // square, at most 7×7 tiles (the games decompress into sprite buffers of 7×7 tiles per
  // bit-plane: pokered's sSpriteBuffer0–2, 0x188 bytes each) and at least 4×4 (back sprites are
  // 4×4, front sprites 5×5 to 7×7). The output is 2bpp tiles.
  'gen1-pic': {
    alignment: 1,
    output: 'tiles',
    format: 'gb2bpp',
    blankTilesAreArt: true,
    startsHere: (data, p) => {
      const side = data[p]! >> 4;
      return side >= minimumGen1PicSideInTiles && side <= maximumGen1PicSideInTiles && (data[p]! & 15) === side;
    },
  },
  // Nemesis (sega.md §1.2): a tile count of 1 to what VRAM holds, then the code table, which
  // opens with a nybble-select byte (bit 7 set; 0xFF would end an empty table).
  nemesis: {
    alignment: 1,
    output: 'tiles',
    format: 'md4bpp',
    startsHere: (data, p) => {
      const tiles = high(data, p) & 0x7fff;
      const first = data[p + 2]!;
      return tiles >= 1 && tiles <= maximumScannedNemesisTileCount && (first & 0x80) !== 0 && first !== 0xff;
    },
  },
  // Kosinski (sega.md §2.2): the first descriptor's first bit (bit 0 of its low byte) must be 1,
  // a literal: a copy first would read before the output.
  kosinski: { alignment: 1, output: 'tiles', startsHere: (data, p) => (data[p]! & 1) === 1 },
  // Kosinski Moduled (sega.md §3): a nonzero big-endian size, then a Kosinski module that starts with a literal.
  'kosinski-moduled': { alignment: 1, output: 'tiles', startsHere: (data, p) => high(data, p) !== 0 && (data[p + 2]! & 1) === 1 },
  // LZ4W and Comper are read by the 68000 a word at a time (SGDK's lz4w_unpack, Comper's
  // decoder): a stream at an odd address would raise an address error. An LZ4W stream whose
  // first block is the end block is empty; a Comper stream whose first token is a copy
  // (descriptor MSB set) would read before the output.
  lz4w: { alignment: 2, output: 'tiles', startsHere: (data, p) => high(data, p) !== 0 },
  comper: { alignment: 2, output: 'tiles', startsHere: (data, p) => (data[p]! & 0x80) === 0 },
  // Saxman (sega.md §5.1, mdcomp framing): a little-endian body size within the ROM and the Z80's RAM.
  saxman: {
    alignment: 1,
    output: 'tiles',
    startsHere: (data, p) => {
      const size = low(data, p);
      return size > 0 && size <= maximumScannedSaxmanBodyInBytes && p + 2 + size <= data.length;
    },
  },
  // Enigma (sega.md §4): the inline value width is 1–11 bits (an MD map entry's tile index has
  // 11) and the flag mask names only the 5 flag bits (priority, palette, flips). The 68000
  // routine reads the header's INC and COM words with word moves (Sonic 1's EniDec:
  // `movea.w (a0)+,a2` at the stream's third byte), so a stream at an odd address would raise an
  // address error; and the routine leaves its pointer on an even address, so streams follow one
  // another at even addresses (§4.3).
  enigma: {
    alignment: 2,
    output: 'map',
    startsHere: (data, p) => {
      const width = data[p]!;
      return width >= 1 && width <= 11 && data[p + 1]! <= 0x1f;
    },
  },
};

/** Whether `name` is scanned by this module. */
export function isStreamScanCodec(name: string): name is StreamScanCodec {
  return Object.prototype.hasOwnProperty.call(streamRules, name);
}

/** True when `unpacked` bytes are a whole number of tiles of one of `formats`. */
function wholeTiles(unpacked: number, formats: readonly TileFormat[]): boolean {
  for (const format of formats) if (unpacked % format.bytesPerTile === 0) return true;
  return false;
}

interface Look {
  p: number;
  data: Uint8Array;
  quick: number;
  drawnTiles: number;
  /** Commands of the reading no encoder writes (lz-commands.ts; 0 for formats without the count). */
  nonEncoder: number;
}

/** The stream candidates of one chunk for one of streamScanCodecNames. */
export function scanCodecStreams(data: Uint8Array, task: ChunkTask, scorer: GraphicsScorer, checkCancel: CancelCheck): ChunkResult {
  const name = task.codec as StreamScanCodec;
  const rule = streamRules[name];
  const codec = getCodec(name);
  // Each codec's own default output cap: the buffers the format's games decode into (64 KiB for
  // LC_LZ's 16-bit addresses, konami1, Kosinski, LZ4W, Comper; 2,048 tiles for Nemesis).
  const limits = undefined;
  const minimum = task.minimumUnpackedSize;
  const isMap = rule.output === 'map';
  const last = Math.min(task.end, data.length);
  // A format whose output is one tile format is scored as that format only.
  const formats = rule.format === undefined ? task.formats : [getTileFormat(rule.format)];
  // LC_LZ streams are validated at every offset in one pass, as HAL's are: probing each offset
  // alone walks hundreds of commands per offset in code and data.
  const variant = lcLzVariants[name];
  const chains = variant === undefined ? null : computeLcLzChains(variant, data, task.start, last);
  // Starts by the stream end they reach (the terminator, or the stated size).
  const groups = new Map<number, number[]>();
  // Starts whose reading has commands no encoder writes (within the tolerance), with their count.
  const nonEncoderByStart = new Map<number, number>();
  // LZ4W streams SGDK structures declare (sgdk.ts), whatever chunk they start in.
  const declared = name === 'lz4w' ? sgdkDeclaredStreams(data, task.platform) : [];
  const declaredEnds = new Set(declared.map((d) => d.offset + d.packedLength));
  // Headers are read up to 3 bytes in; the codec's probe checks the rest.
  const firstBytesEnd = data.length - 3;
  let p = task.start + ((rule.alignment - (task.start % rule.alignment)) % rule.alignment);
  let nextCheck = p + offsetsPerCancelCheck;
  for (; p < last; p += rule.alignment) {
    if (p >= nextCheck) {
      checkCancel();
      nextCheck = p + offsetsPerCancelCheck;
    }
    if (p > firstBytesEnd || !rule.startsHere(data, p) || opensWithRun(data, p)) continue;
    let packedLength: number;
    let unpackedLength: number;
    if (chains !== null) {
      // The chain pass has probed every offset at once (lc-lz-chain.ts).
      const i = p - chains.windowStart;
      unpackedLength = chains.total[i]!;
      if (unpackedLength < chains.need[i]!) continue;
      packedLength = chains.end[i]! - p;
    } else {
      // Saxman copies from before the output that no encoder writes (saxman-copies.ts), before
      // the probe: code fails at its first such copy, where the probe would walk the whole body.
      if (name === 'saxman' && !saxmanCopiesAsEncodersWrite(data, p + 2, p + 2 + low(data, p))) continue;
      // Gen-1 pictures: the stream must be written as encoders write it (no empty data packet,
      // zero bits after its end) and pack smaller than its tiles; the walk stops at the first
      // empty data packet or once it is as long as its tiles (probeGen1PicEncoderStream).
      const probe = name === 'gen1-pic' ? probeGen1PicEncoderStream(data, p, maximumGen1PicPackedLength(data[p]!)) : codec.probe(data, p, limits);
      if (probe === null) continue;
      packedLength = probe.packedLength;
      unpackedLength = probe.unpackedLength;
    }
    // Encoders pad an Enigma stream after its terminator with zero bits, to a byte and then to
    // an even length (sega.md §4.3: mdcomp writes 16-bit units; our encoder a zero byte): read
    // right after this offset's probe, before any other Enigma walk.
    if (name === 'enigma' && !zeroPaddedAfterTerminator(data, p, packedLength, lastEnigmaTerminatorEndInBits())) continue;
    if (unpackedLength < minimum) continue;
    if (isMap ? unpackedLength % 2 !== 0 : !wholeTiles(unpackedLength, formats)) continue;
    if (!plausibleRatio(name, packedLength, unpackedLength)) continue;
    const end = p + packedLength;
    // LZ4W: a stream an SGDK structure declares is reported from the structure (below), and
    // other starts reaching its end are in-step readings of it; a reading no structure declares
    // must end as SGDK's packer ends a stream and, where rescomp wrote it, be pointed at (sgdk.ts).
    if (name === 'lz4w' && (declaredEnds.has(end) || lz4wReadingRule(data, task.platform, p, packedLength) !== '')) continue;
    // Commands no encoder writes (lz-commands.ts): code and tile data read as a stream.
    const tolerated = nonEncoderLzCommandsTolerated;
    const nonEncoder = variant !== undefined ? nonEncoderLcLzCommands(variant, data, p, end, tolerated) : name === 'konami1' ? nonEncoderKonami1Commands(data, p, tolerated) : 0;
    if (nonEncoder > tolerated) continue;
    if (nonEncoder > 0) nonEncoderByStart.set(p, nonEncoder);
    // Output made by fills alone is runs, not tiles (lz-commands.ts; HAL's header layout, so not LZ3's operand-less zero fill).
    if (variant !== undefined && variant !== 3 && fillsOnlyStream(data, p, end)) continue;
    const group = groups.get(end);
    if (group === undefined) groups.set(end, [p]);
    else group.push(p);
  }
  checkCancel();
  const candidates: ScanCandidate[] = [];
  let decoded = 0;
  for (const stream of declared) {
    if (stream.offset < task.start || stream.offset >= last) continue;
    decoded++;
    candidates.push(declaredCandidate(data, codec, stream, scorer));
  }
  for (const [end, starts] of groups) {
    // Starts with no command an encoder would not write first (lz-commands.ts), then earliest:
    // text or code before a stream gives dozens of in-step prefixes, most with such commands.
    if (starts.length > startsDecodedPerStreamEnd) starts.sort((a, b) => (nonEncoderByStart.get(a) ?? 0) - (nonEncoderByStart.get(b) ?? 0) || a - b).length = startsDecodedPerStreamEnd;
    if (isMap) {
      decoded += scoreMapStream(data, codec, starts, end, task, candidates);
      continue;
    }
    const looks: Look[] = [];
    for (const start of starts) {
      if ((++decoded & 63) === 0) checkCancel();
      const bytes = codec.decompress(data, start, limits).data;
      if (name === 'gen1-pic' && !figureOnBlankBackground(bytes)) continue;
      const look = scorer.best(bytes, formats, quickLookTiles, rule.blankTilesAreArt === true);
      let quick = look?.score ?? 0;
      // A sparse sheet's look is its drawn tiles' (sparse-sheet.ts): else a junk prefix whose
      // shifted output has fewer blank tiles looks better than the sheet's own start. Over the
      // whole output, not quickLookTiles: 32 tiles are two 16-cell OBJ rows of 2bpp, a handful
      // of drawn cells, too few to tell a sheet's start from a reading out of step with it.
      if (rule.blankTilesAreArt !== true) {
        const sheet = sparseSheetScore(bytes, formats, scorer);
        if (sheet !== null && sheet.score > quick) quick = sheet.score;
      }
      looks.push({ p: start, data: bytes, quick, drawnTiles: look === null ? 0 : look.statistics.tiles - look.statistics.blankTiles, nonEncoder: nonEncoderByStart.get(start) ?? 0 });
    }
    if (looks.length === 0) continue;
    const chosen = chooseStart(looks, scorer, formats, variant, data);
    if (chosen.drawnTiles >= quickLookJudgeableTiles && chosen.quick < task.minimumScore * quickLookRejectFraction) continue;
    // As for HAL (chunk.ts): an LC_LZ reading with no command an encoder would not write is an
    // encoder's stream, so its blank tiles are the art's own empty cells (a sprite sheet packed
    // as laid out in VRAM is mostly empty) and it may be as sparse as a raw sheet (score.ts).
    const encoderStream = variant !== undefined && chosen.nonEncoder === 0;
    let best = scorer.best(chosen.data, formats, undefined, rule.blankTilesAreArt === true || encoderStream);
    // ...when it is a whole number of tiles of the format it scores best as (converters write whole tiles).
    if (encoderStream && rule.blankTilesAreArt !== true && best !== null && chosen.data.length % getTileFormat(best.format).bytesPerTile !== 0) best = scorer.best(chosen.data, formats);
    if (best === null) continue;
    let score = best.score * repeatedTileFactor(best.statistics);
    let format = best.format;
    // A sprite sheet of a few drawn tiles among empty cells is scored on its drawn tiles (sparse-sheet.ts).
    if (score < task.minimumScore && rule.blankTilesAreArt !== true) {
      const sheet = sparseSheetScore(chosen.data, formats, scorer);
      if (sheet !== null && sheet.score > score) {
        score = sheet.score;
        format = sheet.format;
      }
    }
    if (score < task.minimumScore) continue;
    if (task.platform === 'md' && smallNumberOutput(chosen.data, getTileFormat(format))) continue;
    candidates.push({ offset: chosen.p, packedLength: end - chosen.p, unpackedLength: chosen.data.length, codec: name, kind: 'tiles', format, score: roundScore(score) });
  }
  return { candidates, decoded };
}

/**
 * The longest stream a Gen-1 picture with this header byte may be: one byte less than its
 * tiles (plausibleRatio's gen1-pic rule), so the probe stops reading there.
 */
function maximumGen1PicPackedLength(header: number): number {
  const side = header >> 4;
  return side * side * 16 - 1;
}

/**
 * Whether a decoded Gen-1 picture (square, row-major 2bpp tiles) has colour 0 at
 * minimumGen1PicBlankBorderFraction or more of its top row and left and right columns.
 */
export function figureOnBlankBackground(tiles: Uint8Array): boolean {
  const side = Math.round(Math.sqrt(tiles.length / 16));
  if (side === 0 || side * side * 16 !== tiles.length) return false;
  const pixels = side * 8;
  const last = pixels - 1;
  // Colour of pixel (x, y): tile (y / 8, x / 8), row y % 8: low-plane byte, high-plane byte.
  const colour = (x: number, y: number): number => {
    const at = ((y >> 3) * side + (x >> 3)) * 16 + (y & 7) * 2;
    const shift = 7 - (x & 7);
    return ((tiles[at]! >> shift) & 1) | (((tiles[at + 1]! >> shift) & 1) << 1);
  };
  let blank = 0;
  for (let i = 0; i < pixels; i++) {
    if (colour(i, 0) === 0) blank++;
    if (colour(0, i) === 0) blank++;
    if (colour(last, i) === 0) blank++;
  }
  return blank >= minimumGen1PicBlankBorderFraction * 3 * pixels;
}

/**
 * Whether a decoded stream is a table of small numbers rather than art (Mega Drive): every tile
 * of it that is not a fill (one byte repeated) is a small-number tile (raw.ts smallNumberTile:
 * bytes $00–$0F, or in packed 4bpp also $F0–$FF, with some low nibble other than 0 and 15), and
 * there are at least smallNumberTableBytes of them. Signed 8-bit PCM (SGDK's WAV resources, the
 * Z80 drivers' samples), delta, velocity and sine tables are such bytes, and a codec's walk over
 * them ends cleanly often enough (LZ4W reads words of −1/0/1 bytes as blocks of 15 literals and a
 * 16-word copy); as pixels they draw colour 0 or 15 in every other column and small indices
 * between, which neighbour coherence takes for a sprite's flat areas. The raw scan drops such
 * tiles (smallNumberTable); a stream of nothing else is the same table, compressed or read as
 * compressed.
 */
export function smallNumberOutput(bytes: Uint8Array, format: TileFormat): boolean {
  const size = format.bytesPerTile;
  const packed = format.family === 'packed-nibble';
  let drawn = 0;
  for (let p = 0; p + size <= bytes.length; p += size) {
    let single = true;
    for (let i = p + 1; i < p + size && single; i++) single = bytes[i] === bytes[p];
    if (single) continue;
    if (!smallNumberTile(bytes, p, size, packed)) return false;
    drawn++;
  }
  return drawn * size >= smallNumberTableBytes;
}

/**
 * A stream an SGDK structure declares, as a candidate of the structure's kind: reported whatever
 * its size and score (the structure, checked by decoding to its exact declared output, is the
 * evidence; a 7-tile border piece scores under any statistical bar). The score is still the
 * reading's own: tiles as 4bpp, a map by mapScore.
 */
function declaredCandidate(data: Uint8Array, codec: Codec, stream: SgdkDeclaredStream, scorer: GraphicsScorer): ScanCandidate {
  const bytes = codec.decompress(data, stream.offset, { maximumOutputSizeInBytes: stream.unpackedLength }).data;
  const layout = tilemapLayoutByPlatform.md!;
  const score = stream.kind === 'tilemap' ? mapScore(bytes, layout.littleEndian, layout.indexBits) : (scorer.best(bytes, [getTileFormat(stream.format)])?.score ?? 0);
  return { offset: stream.offset, packedLength: stream.packedLength, unpackedLength: bytes.length, codec: 'lz4w', kind: stream.kind, format: stream.format, score: roundScore(Math.max(0, score)) };
}

/**
 * Equal bytes at a start that mark padding or a table, not a stream: an encoder writes a run in
 * its input as one fill or copy command, never as the same command byte again and again, and no
 * header of these formats is one byte repeated this often. Without this rule every start inside
 * `$00`/`$FF` padding walks to the padding's end (LC_LZ reads `00 00` as a 1-byte literal, konami1
 * reads `FF` as a zero run), which made the scan quadratic in the padding's length.
 */
export const paddingRunInBytes = 8;

function opensWithRun(data: Uint8Array, p: number): boolean {
  if (p + paddingRunInBytes > data.length) return false;
  const b = data[p]!;
  for (let i = 1; i < paddingRunInBytes; i++) if (data[p + i] !== b) return false;
  return true;
}

const lcLzVariants: Partial<Record<StreamScanCodec, LcLzVariant>> = { 'lc-lz1': 1, 'lc-lz2': 2, 'lc-lz3': 3, 'lc-lz5': 5 };

/** Offsets between cancellation checks. */
const offsetsPerCancelCheck = 65536;

/**
 * One start of those reaching one stream end (`looks`, earliest first). Readings whose quick
 * look is close to the best are the stream, an in-step suffix of it (its tail: it looks as good)
 * or an in-step prefix (junk tiles, then the stream, when its copies are relative). The earliest
 * of them is taken, unless the tiles it adds before a later close reading look like junk (a
 * prefix), or it differs from an equal-length rival only in tiles that look worse (a prefix whose
 * literal stands in for the stream's first one).
 *
 * LC_LZ (`variant` given) first, as for HAL (chunk.ts, scanHal's step 1): the readings with the
 * fewest commands no encoder writes (lz-commands.ts). A start in the text, code or tables
 * before a stream that falls in step with it decodes the stream whole after its own junk, and
 * the junk has the commands an encoder would not have written. Unlike HAL's, the count comes
 * before the look: junk can decode to tidy tiles that look better than the art. Then of
 * readings in step with each other (one's start on the other's command chain), the earlier: it
 * decodes every command of the later one after commands an encoder would write, while the later
 * one drops the stream's first tiles (a suffix can look better than the stream, its first cells
 * being the mostly empty ones), unless what the earlier one adds is junk (leadingPartIsJunk: a
 * table of short records read as LZ3 fills decodes to tidy, repeated tiles, every record after
 * the first a fill pair one copy would write).
 */
function chooseStart(all: Look[], scorer: GraphicsScorer, formats: readonly TileFormat[], variant: LcLzVariant | undefined, data: Uint8Array): Look {
  let looks = all;
  if (variant !== undefined) {
    // In step: the later start is on the earlier one's command chain.
    const inStep = (earlier: Look, later: Look) => earlier.p < later.p && onLcLzCommandChain(variant, data, earlier.p, later.p);
    // What an in-step reading adds before a later one is junk when it has commands no encoder
    // writes (the later one's commands are its own), or leadingPartIsJunk says so.
    const addsJunk = (earlier: Look, later: Look) => earlier.nonEncoder > later.nonEncoder || leadingPartIsJunk(variant, data, earlier, earlier.data.length - later.data.length, scorer, formats);
    // Dropped: a suffix of an earlier reading that adds no junk, and a prefix that adds junk.
    const reduced = all.filter((look) => !all.some((other) => (inStep(other, look) && !addsJunk(other, look)) || (inStep(look, other) && addsJunk(look, other))));
    const pool = reduced.length > 0 ? reduced : all;
    // Then the fewest commands no encoder writes, over the whole reading, with the command pairs
    // one copy would write in its first bytes: a reading out of step with the stream that falls
    // back in step decodes the stream's literals as commands, and those repeat what they wrote.
    const counts = pool.map((look) => look.nonEncoder + lcLzCommandPairsACopyWrites(variant, data, look.p, look.data, copyCheckedOutputInBytes));
    let fewest = Number.POSITIVE_INFINITY;
    for (const count of counts) if (count < fewest) fewest = count;
    looks = pool.filter((_, i) => counts[i] === fewest);
  }
  let bestQuick = 0;
  for (const look of looks) if (look.quick > bestQuick) bestQuick = look.quick;
  const close = looks.filter((look) => look.quick >= bestQuick - closeLookTolerance);
  let chosen = close[0]!;
  for (let i = 1; i < close.length; i++) {
    const later = close[i]!;
    if (later.data.length === chosen.data.length) {
      if (comparePrefixTiles(later.data, chosen.data, scorer, formats) > 0) chosen = later;
      continue;
    }
    if (later.data.length < chosen.data.length && leadingTilesAreJunk(chosen.data, chosen.data.length - later.data.length, scorer, formats)) chosen = later;
  }
  return chosen;
}

/**
 * Whether the output an in-step LC_LZ reading adds before a later one (its first `extra` bytes)
 * is junk: its tiles look like noise, or its commands repeat a tile or more of the bytes just
 * written without a copy (lz-commands.ts: a table of short records read as fills decodes to
 * the same run again and again). Only the added part is checked: a greedy encoder with a short
 * match search may itself miss such a copy inside a stream, rarely at its very start.
 */
function leadingPartIsJunk(variant: LcLzVariant, data: Uint8Array, earlier: Look, extra: number, scorer: GraphicsScorer, formats: readonly TileFormat[]): boolean {
  return leadingTilesAreJunk(earlier.data, extra, scorer, formats) || lcLzCommandPairsACopyWrites(variant, data, earlier.p, earlier.data, Math.min(extra, copyCheckedOutputInBytes)) > 0;
}

const leadingScores = new Float32Array(8);

/** Whether the first `extra` bytes of `bytes` (what a prefix adds) read as noise rather than art. */
function leadingTilesAreJunk(bytes: Uint8Array, extra: number, scorer: GraphicsScorer, formats: readonly TileFormat[]): boolean {
  const format = formats[0]!;
  const tiles = Math.min(leadingScores.length, Math.ceil(extra / format.bytesPerTile), Math.floor(bytes.length / format.bytesPerTile));
  if (tiles === 0) return false;
  scorer.tileScores(bytes, format, tiles, leadingScores);
  let sum = 0;
  for (let t = 0; t < tiles; t++) sum += leadingScores[t]! < 0 ? 1 : leadingScores[t]!;
  return sum / tiles < artLikeLeadingTileScore;
}

/**
 * Enigma streams decode to Mega Drive plane maps. A map is reported when its entries fit the
 * MD entry layout (kind.ts): few attribute combinations, several distinct tiles. The earliest
 * start that fits is the stream (an Enigma stream opens with a 6-byte header; an in-step start
 * inside the bitstream has none). Whether the map names tiles of a block the scan found is
 * checked over the whole scan (keepIndexedMaps).
 */
function scoreMapStream(data: Uint8Array, codec: Codec, starts: readonly number[], end: number, task: ChunkTask, out: ScanCandidate[]): number {
  const layout = tilemapLayoutByPlatform[task.platform] ?? tilemapLayoutByPlatform.md!;
  let decoded = 0;
  for (const start of starts) {
    decoded++;
    const bytes = codec.decompress(data, start).data;
    if (!planeShaped(bytes.length >> 1) || !fitsTilemap(bytes, layout, 1 << layout.indexBits)) continue;
    const score = mapScore(bytes, layout.littleEndian, layout.indexBits);
    if (score < task.minimumScore) continue;
    out.push({ offset: start, packedLength: end - start, unpackedLength: bytes.length, codec: task.codec, kind: 'tilemap', format: layout.format, score: roundScore(score) });
    break;
  }
  return decoded;
}

/** Whether the bits of `data[p, p + packedLength)` from bit `endBit` (counted from `p`, MSB first) on are all zero. */
export function zeroPaddedAfterTerminator(data: Uint8Array, p: number, packedLength: number, endBit: number): boolean {
  let byte = p + (endBit >> 3);
  const partialBits = endBit & 7;
  if (partialBits !== 0) {
    if ((data[byte]! & (0xff >> partialBits)) !== 0) return false;
    byte++;
  }
  for (const end = p + packedLength; byte < end; byte++) if (data[byte] !== 0) return false;
  return true;
}

/**
 * A map is loaded into a plane as a rectangle of cells (Sonic 1's TilemapToVRAM takes its width
 * and height; the screen is 40×28 cells). Rectangles narrower or shorter than this are strips,
 * rows or 16×16 block mappings (Sonic 1 also packs those with Enigma, sega.md §4.1), not plane maps.
 */
export const minimumEnigmaPlaneSideInCells = 8;
/** The widest or tallest plane a map is loaded into: the VDP's planes are 32, 64 or 128 cells a side. */
export const maximumEnigmaPlaneSideInCells = 128;

/** Whether `entries` cells make a w × h rectangle with both sides in the plane bounds above. */
export function planeShaped(entries: number): boolean {
  for (let width = minimumEnigmaPlaneSideInCells; width <= maximumEnigmaPlaneSideInCells; width++) {
    if (entries % width !== 0) continue;
    const height = entries / width;
    if (height >= minimumEnigmaPlaneSideInCells && height <= maximumEnigmaPlaneSideInCells) return true;
  }
  return false;
}

/**
 * How much entries read as a plane map: the share of entries that repeat the previous entry or
 * name the next tile (a picture's map numbers its tiles in order and repeats its blank tile;
 * entries read from other data do neither).
 */
export function mapScore(bytes: Uint8Array, littleEndian: boolean, indexBits: number): number {
  const entries = bytes.length >> 1;
  if (entries < 2) return 0;
  let previous = littleEndian ? low(bytes, 0) : high(bytes, 0);
  let ordered = 0;
  for (let i = 1; i < entries; i++) {
    const entry = littleEndian ? low(bytes, 2 * i) : high(bytes, 2 * i);
    if (entry === previous || ((entry >>> indexBits) === (previous >>> indexBits) && entry === previous + 1)) ordered++;
    previous = entry;
  }
  return ordered / (entries - 1);
}

/**
 * Drops map candidates (Enigma) whose largest tile index is not below the tile count of some
 * tile block the scan found: a map is made for a tile set, and the game loads both (kind.ts
 * applies the same test to maps found as tiles).
 */
export function keepIndexedMaps(data: Uint8Array, candidates: ScanCandidate[], bytesPerTileOf: (format: string) => number): ScanCandidate[] {
  const isCodecMap = (c: ScanCandidate) => c.kind === 'tilemap' && isStreamScanCodec(c.codec) && streamRules[c.codec].output === 'map';
  if (!candidates.some(isCodecMap)) return candidates;
  let tileCount = 0;
  for (const c of candidates) if (c.kind === 'tiles') tileCount = Math.max(tileCount, Math.floor(c.unpackedLength / bytesPerTileOf(c.format)));
  return candidates.filter((c) => {
    if (!isCodecMap(c)) return true;
    if (tileCount === 0) return false;
    const layout = c.format === 'md-tilemap' ? tilemapLayoutByPlatform.md! : (Object.values(tilemapLayoutByPlatform).find((l) => l!.format === c.format) ?? tilemapLayoutByPlatform.md!);
    try {
      const bytes = getCodec(c.codec).decompress(data, c.offset).data;
      return fitsTilemap(bytes, layout, tileCount);
    } catch {
      return false;
    }
  });
}
