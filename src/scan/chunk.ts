/**
 * Scans one chunk of stream starts for one codec: the unit of work a scan worker runs (and the
 * in-process path runs in a loop). Pure: ROM bytes in, candidates out.
 *
 * - hal: every offset validated at once by the chain pass (hal-chain.ts), strict starts only;
 * - lz77 / lz11 / rle: every offset whose byte is the BIOS type byte is probed;
 * - lz4: every offset with the frame magic is probed (raw LZ4 blocks carry no length and no
 *   magic, so nothing marks where one starts);
 * - pb16: see pb16.ts;
 * - raw: runs of tile-like tiles (raw.ts);
 * - the Nintendo LZ and Sega families: first-byte tests, probe, plausibility (codec-streams.ts).
 *
 * Streams that probe cleanly and are large enough are decoded and scored; what scores at least
 * the threshold is returned. Collapsing overlapping candidates happens once, over all chunks
 * (collapse.ts), because a stream may start in one chunk and end in the next.
 */
import { getCodec, maximumHalOutputSizeInBytes } from '../codecs/index.js';
import { getTileFormat, type TileFormat } from '../gfx/index.js';
import type { Platform } from '../rom/platform.js';
import { isStreamScanCodec, scanCodecStreams } from './codec-streams.js';
import { computeHalChains } from './hal-chain.js';
import { nonEncoderHalCommands } from './hal-commands.js';
import { equalRunsInHalLiterals, fillsOnlyStream, nonEncoderLzCommandsTolerated } from './lz-commands.js';
import { scanPb16 } from './pb16.js';
import { scanRaw } from './raw.js';
import { GraphicsScorer, repeatedTileFactor } from './score.js';
import type { ScanCandidate, ScanCodec } from './types.js';

/** The largest output a scanned GBA BIOS or LZ4 stream may declare (larger declared sizes are not graphics blocks). */
export const maximumScannedOutputSizeInBytes = 512 * 1024;

const gbaTypeByte: Partial<Record<ScanCodec, number>> = { lz77: 0x10, lz11: 0x11, rle: 0x30 };
const lz4MagicBytes = [0x04, 0x22, 0x4d, 0x18] as const;

export interface ChunkTask {
  codec: ScanCodec;
  /** The ROM's platform: its structure (NES CHR-ROM) and data alignment shape the raw scan. */
  platform: Platform;
  /** First stream start tried. */
  start: number;
  /** One past the last stream start tried. */
  end: number;
  formats: readonly TileFormat[];
  minimumUnpackedSize: number;
  minimumScore: number;
}

export interface ChunkResult {
  candidates: ScanCandidate[];
  /** Streams decoded and scored (before the score threshold). */
  decoded: number;
}

/** Abort check between batches; throws to stop the chunk. */
export type CancelCheck = () => void;

/** Offsets between cancellation checks. */
const offsetsPerCancelCheck = 65536;

export function scanChunk(data: Uint8Array, task: ChunkTask, scorer: GraphicsScorer, checkCancel: CancelCheck = () => {}): ChunkResult {
  switch (task.codec) {
    case 'hal':
      return scanHal(data, task, scorer, checkCancel);
    case 'lz77':
    case 'lz11':
    case 'rle':
    case 'lz4':
      return scanByProbe(data, task, scorer, checkCancel);
    case 'pb16':
      return scanPb16(data, task, scorer, checkCancel);
    case 'raw':
      return scanRaw(data, task, scorer, checkCancel);
    default:
      if (isStreamScanCodec(task.codec)) return scanCodecStreams(data, task, scorer, checkCancel);
      // A registered plug-in codec: its probe at every offset.
      return scanByProbe(data, task, scorer, checkCancel);
  }
}

function scoreStream(data: Uint8Array, codec: ScanCodec, offset: number, packedLength: number, unpacked: Uint8Array, task: ChunkTask, scorer: GraphicsScorer, out: ScanCandidate[], sparse = false): void {
  const best = scorer.best(unpacked, task.formats, undefined, sparse);
  if (best === null) return;
  const score = best.score * repeatedTileFactor(best.statistics);
  if (score < task.minimumScore) return;
  out.push({ offset, packedLength, unpackedLength: unpacked.length, codec, kind: 'tiles', format: best.format, score: roundScore(score) });
}

/** Scores are reported to 4 decimals (stable JSON, equal across threads). */
export function roundScore(score: number): number {
  return Math.round(score * 10000) / 10000;
}

function scanHal(data: Uint8Array, task: ChunkTask, scorer: GraphicsScorer, checkCancel: CancelCheck): ChunkResult {
  const chains = computeHalChains(data, task.start, task.end, plausibleHalSpanInBytes);
  checkCancel();
  const hal = getCodec('hal');
  const candidates: ScanCandidate[] = [];
  let decoded = 0;
  const { total, need, end } = chains;
  const minimum = task.minimumUnpackedSize;
  // Every start that reaches one terminator is the real start, a literal/fill prefix from the
  // bytes before it that lands on one of its commands, a suffix, or a prefix landing on a
  // suffix. All decode "cleanly"; only the real start decodes the stream's copies from the
  // places its encoder meant (HAL copies name absolute output positions), so its first tiles
  // are the art and the others' are shifted or junk. Per stream end, the starts with the
  // tightest strict margins (total − need: an encoder's copies often read the byte just
  // written, a prefix loosens every copy by its own output) get a quick look at their first
  // tiles; the best one is scored in full.
  const groups = new Map<number, number[]>();
  for (let p = task.start; p < task.end; p++) {
    const i = p - chains.windowStart;
    const size = total[i]!;
    if (size < minimum || size < need[i]!) continue;
    if (!plausibleRatio('hal', end[i]! - p, size)) continue;
    const group = groups.get(end[i]!);
    if (group === undefined) groups.set(end[i]!, [p]);
    else group.push(p);
  }
  checkCancel();
  const margin = (p: number): number => total[p - chains.windowStart]! - need[p - chains.windowStart]!;
  // Converters write whole tiles: starts whose output is a whole number of tiles come first (a
  // run of padding before a stream gives dozens of tighter-margin prefixes, few of them whole).
  const ragged = (p: number): number => (task.formats.some((f) => total[p - chains.windowStart]! % f.bytesPerTile === 0) ? 0 : 1);
  for (const [streamEnd, starts] of groups) {
    if (starts.length > startsLookedAtPerStreamEnd) starts.sort((a, b) => ragged(a) - ragged(b) || margin(a) - margin(b) || a - b).length = startsLookedAtPerStreamEnd;
    // A quick look at each of those starts; then the choice below.
    const looks: { p: number; quick: number; drawnTiles: number; wholeTiles: boolean; nonEncoder: number; data: Uint8Array }[] = [];
    for (const p of starts) {
      if ((++decoded & 255) === 0) checkCancel();
      // A literal holding runs an encoder would have filled (lz-commands.ts): `$FF`-filled memory
      // or padding read as one long literal, not a stream.
      if (equalRunsInHalLiterals(data, p, streamEnd, nonEncoderLzCommandsTolerated) > nonEncoderLzCommandsTolerated) continue;
      const result = hal.decompress(data, p);
      // Blank-tolerant (sparse): a suffix that skips the stream's empty first cells must not look better for it.
      const look = scorer.best(result.data, task.formats, quickLookTiles, true);
      looks.push({
        p,
        quick: look?.score ?? 0,
        drawnTiles: look === null ? 0 : look.statistics.tiles - look.statistics.blankTiles,
        wholeTiles: look !== null && result.data.length % getTileFormat(look.format).bytesPerTile === 0,
        nonEncoder: nonEncoderHalCommands(data, p, result.data),
        data: result.data,
      });
    }
    if (looks.length === 0) continue;
    // 1. Of the readings that look like art, those with (nearly) the fewest commands no encoder
    //    writes (hal-commands.ts): a start out of step with the stream shifts every copy, and the
    //    shifted copies look like art but could often be a byte longer.
    // 2. Of those, the looks close to the best, and of these the ones decoding to whole tiles
    //    (a prefix's extra output rarely is a whole number of tiles).
    // 3. Of those the best look; on a tie the earliest start (a suffix that keeps the tiles
    //    aligned looks as good as the real start, which comes before it).
    // 0. Readings of whole tiles, when there are any: a suffix that skips part of a tile can look
    //    better than the stream (its first, mostly empty cells skipped) but is no encoder's output.
    const wholeLooks = looks.filter((look) => look.wholeTiles);
    const candidatesLooks = wholeLooks.length > 0 ? wholeLooks : looks;
    let bestQuick = 0;
    for (const look of candidatesLooks) if (look.quick > bestQuick) bestQuick = look.quick;
    const artLike = candidatesLooks.filter((look) => look.quick >= bestQuick - artLikeLookTolerance);
    let fewest = Number.POSITIVE_INFINITY;
    for (const look of artLike) if (look.nonEncoder < fewest) fewest = look.nonEncoder;
    const maximal = artLike.filter((look) => look.nonEncoder <= fewest + nonEncoderCommandsTolerated);
    bestQuick = 0;
    for (const look of maximal) if (look.quick > bestQuick) bestQuick = look.quick;
    const close = maximal.filter((look) => look.quick >= bestQuick - closeLookTolerance);
    const whole = close.filter((look) => look.wholeTiles);
    const pool = whole.length > 0 ? whole : close;
    let chosen = pool[0]!;
    for (const look of pool) {
      if (look === chosen) continue;
      if (look.quick > chosen.quick + quickLookTolerance) chosen = look;
      else if (look.quick >= chosen.quick - quickLookTolerance) {
        // A tie. Two readings of the same length that differ only in their first bytes (a
        // prefix whose literal stands in for the stream's first literal: HAL copies name
        // absolute positions, so an equal-length prefix leaves every copy in place) are told
        // apart by the tiles where they differ; otherwise the earlier start wins.
        const prefix = comparePrefixTiles(look.data, chosen.data, scorer, task.formats);
        if (prefix > 0 || (prefix === 0 && look.p < chosen.p)) chosen = look;
      }
    }
    // Noise at a glance: enough drawn tiles to judge, and far below the threshold. Most streams
    // found in code and data end here, without the full score.
    if (chosen.drawnTiles >= quickLookJudgeableTiles && chosen.quick < task.minimumScore * quickLookRejectFraction) continue;
    const bestStart = chosen.p;
    const bestData = chosen.data;
    // Output made by fills alone (no literal byte, no copy) is runs, not tiles (lz-commands.ts).
    if (fillsOnlyStream(data, bestStart, streamEnd)) continue;
    // A reading with no command an encoder would not write, decoding to whole tiles, is an
    // encoder's stream; its blank tiles are the art's own empty cells (a sprite sheet packed as
    // laid out in VRAM is mostly empty), so it may be as sparse as a raw sheet (score.ts).
    scoreStream(data, 'hal', bestStart, streamEnd - bestStart, bestData, task, scorer, candidates, chosen.nonEncoder === 0 && chosen.wholeTiles);
  }
  return { candidates, decoded };
}

const prefixTileScores = new Float32Array(2);

/**
 * For two equal-length decodings that agree from some byte to the end: > 0 when `a`'s differing
 * leading tiles score higher than `b`'s (as the first of `formats`, the one the quick look
 * leads with), < 0 when lower, 0 when the lengths differ, they are identical, or they differ
 * beyond their first two tiles (then they are different readings, not one stream with a
 * different first command).
 */
export function comparePrefixTiles(a: Uint8Array, b: Uint8Array, scorer: GraphicsScorer, formats: readonly TileFormat[]): number {
  if (a.length !== b.length || formats.length === 0) return 0;
  const format = formats[0]!;
  let firstEqual = a.length;
  while (firstEqual > 0 && a[firstEqual - 1] === b[firstEqual - 1]) firstEqual--;
  if (firstEqual === 0) return 0;
  const tiles = Math.ceil(firstEqual / format.bytesPerTile);
  if (tiles > prefixTileScores.length || tiles * format.bytesPerTile > a.length) return 0;
  // A blank tile (score −1) is as coherent as a tile gets: a stream's first tile may well be empty.
  const coherence = (s: number) => (s < 0 ? 1 : s);
  let difference = 0;
  scorer.tileScores(a, format, tiles, prefixTileScores);
  for (let t = 0; t < tiles; t++) difference += coherence(prefixTileScores[t]!);
  scorer.tileScores(b, format, tiles, prefixTileScores);
  for (let t = 0; t < tiles; t++) difference -= coherence(prefixTileScores[t]!);
  return difference;
}

/**
 * Starts per HAL stream end given a quick look (see scanHal). With 16, a real start whose strict
 * margin was looser than 16 junk starts' was never looked at (1 stream in 416 of seeds 1–16).
 */
export const startsLookedAtPerStreamEnd = 32;
/**
 * Commands no encoder writes (hal-commands.ts) a reading may have beyond the fewest among its
 * rivals and still count as the stream: an optimal parse may shorten a copy, and a junk prefix
 * can add its own (the `max` level's streams of the bench fixture had 2 and 3, their best
 * out-of-step rivals 1 and 2); each out-of-step reading chosen before of seeds 1–16 had 3 or more.
 */
export const nonEncoderCommandsTolerated = 2;
/**
 * Looks this close to the best are judged by their copies first (hal-commands.ts). A real stream
 * whose first tile is blank looks up to ~0.07 worse than a suffix that skips it.
 */
export const artLikeLookTolerance = 0.1;
/** Quick-look scores this close to the best count as equal (the earliest start wins). */
export const quickLookTolerance = 0.01;
/** Looks this close to the best are candidates for the whole-tiles preference. */
export const closeLookTolerance = 0.05;
/** Tiles a quick look scores. */
export const quickLookTiles = 32;
/** A quick look with at least this many non-blank tiles can reject a stream... */
export const quickLookJudgeableTiles = 12;
/** ...when it scores below this fraction of the threshold. */
export const quickLookRejectFraction = 0.5;

/**
 * Output per packed byte above which a "stream" is a handful of fill commands, not art: drawn
 * tiles need literals and copies (HAL-packed sprite sheets run 2–8×; mostly-empty sheets more,
 * but those are mostly blank and score low anyway).
 */
export const maximumCompressionRatio = 32;

/** The longest HAL stream plausibleRatio accepts (64 KiB of output, all literals): the chain pass looks no further. */
export const plausibleHalSpanInBytes = maximumHalOutputSizeInBytes + Math.ceil(maximumHalOutputSizeInBytes / 512) + 2;

/**
 * No encoder makes a stream larger than its output plus the format's cost for incompressible
 * data: HAL 2 header bytes per 1,024 literals; GBA LZ 1 flag byte per 8; RLE 1 per 128; PB16 1
 * per 8; LZ4 a frame header and block sizes. A larger "stream" is bytes misread as commands.
 */
export function plausibleRatio(codec: ScanCodec, packed: number, unpacked: number): boolean {
  if (unpacked > packed * maximumCompressionRatio) return false;
  switch (codec) {
    // Incompressible data's cost per format (nintendo-lz.md, sega.md): LC_LZ a 1-byte header per
    // 32 literals and the terminator; konami1 1 per 31 and its size word; Kosinski and Comper a
    // descriptor bit per literal byte or word (17/16) and the terminator; Kosinski Moduled the same
    // per 4 KiB module plus up to 15 padding bytes each; LZ4W a header word per 15 literal words;
    // Saxman a descriptor bit per literal (9/8) and its size word; Nemesis's escape codes, 13 bits
    // per nybble, and its code table; Enigma's literal groups, up to 7 + 16 bits per 16-bit entry, and its header.
    case 'lc-lz1':
    case 'lc-lz2':
    case 'lc-lz3':
    case 'lc-lz5':
      return packed <= unpacked + Math.ceil(unpacked / 32) + 1;
    case 'konami1':
      return packed <= unpacked + Math.ceil(unpacked / 31) + 2;
    case 'kosinski':
    case 'comper':
      return packed <= unpacked + Math.ceil(unpacked / 16) + 4;
    case 'kosinski-moduled':
      return packed <= unpacked + Math.ceil(unpacked / 16) + 20 * Math.ceil(unpacked / 4096) + 2;
    case 'lz4w':
      return packed <= unpacked + 2 * Math.ceil(unpacked / 30) + 4;
    case 'saxman':
      return packed <= unpacked + Math.ceil(unpacked / 8) + 3;
    case 'nemesis':
      return packed <= Math.ceil((unpacked * 13) / 4) + 512;
    // A Gen-1 picture is a figure on a blank background: the background and flat areas are zero
    // pixel pairs after the delta coding, coded as runs, so a picture packs smaller than its
    // tiles (the reference pictures to 33–38 %); a reading as long is literal pairs throughout.
    case 'gen1-pic':
      return packed < unpacked;
    case 'enigma':
      return packed <= 2 * unpacked + 8;
    case 'hal':
      return packed <= unpacked + Math.ceil(unpacked / 512) + 1;
    case 'rle':
      return packed <= unpacked + Math.ceil(unpacked / 128) + 8;
    case 'lz4':
      return packed <= unpacked + Math.ceil(unpacked / 255) + 32;
    default:
      return packed <= unpacked + Math.ceil(unpacked / 8) + 8;
  }
}

function scanByProbe(data: Uint8Array, task: ChunkTask, scorer: GraphicsScorer, checkCancel: CancelCheck): ChunkResult {
  const codec = getCodec(task.codec);
  const limits = { maximumOutputSizeInBytes: maximumScannedOutputSizeInBytes };
  const type = gbaTypeByte[task.codec];
  const isLz4 = task.codec === 'lz4';
  const candidates: ScanCandidate[] = [];
  let decoded = 0;
  const last = Math.min(task.end, data.length);
  for (let p = task.start; p < last; p++) {
    if ((p & (offsetsPerCancelCheck - 1)) === 0) checkCancel();
    // The cheap first-byte tests the probes would make anyway, without the call.
    if (type !== undefined ? data[p] !== type : isLz4 && (data[p] !== lz4MagicBytes[0] || data[p + 1] !== lz4MagicBytes[1] || data[p + 2] !== lz4MagicBytes[2] || data[p + 3] !== lz4MagicBytes[3])) continue;
    const probe = codec.probe(data, p, limits);
    if (probe === null || probe.unpackedLength < task.minimumUnpackedSize) continue;
    if (!plausibleRatio(task.codec, probe.packedLength, probe.unpackedLength)) continue;
    decoded++;
    const result = codec.decompress(data, p, limits);
    scoreStream(data, task.codec, p, result.packedLength, result.data, task, scorer, candidates);
  }
  return { candidates, decoded };
}
