/**
 * `explainScanOffset`: why the scan did or did not report graphics at one offset. A user who
 * knows where their graphics are sees what the scanner saw there:
 *
 * - the default (or given) scan's candidate covering the offset, if any;
 * - every codec decoded from exactly that offset: the error, or its lengths and the score per
 *   format, and the rule that keeps it out (size, ratio, score);
 * - the raw reading: the tile at the offset per format and the raw run that holds it;
 * - the candidates the chunk scans found near it before the threshold and the collapse
 *   (threshold 0, the smallest minimum size), and which reported candidate won over each;
 * - a verdict naming the rule that decided.
 */
import { getCodec } from '../codecs/index.js';
import type { LcLzVariant } from '../codecs/nintendo/lc-lz-common.js';
import { ScanOptionError, hex } from '../errors.js';
import { getTileFormat } from '../gfx/index.js';
import { openRom, type Rom } from '../rom/rom.js';
import { plausibleRatio, scanChunk, type ChunkTask } from './chunk.js';
import { probeGen1PicEncoderStream } from '../codecs/nintendo/gen1-pic.js';
import { figureOnBlankBackground } from './codec-streams.js';
import { classifyCandidateKinds } from './kind.js';
import { fillsOnlyStream, nonEncoderLcLzCommands, nonEncoderLzCommandsTolerated } from './lz-commands.js';
import { nesPaletteEvidence } from './nes-palettes.js';
import { nesRleNametableEvidence } from './nes-nametables.js';
import { GraphicsScorer, repeatedTileFactor } from './score.js';
import { lz4wReadingRule, sgdkDeclaredStreamAt } from './sgdk.js';
import { snesCgramLoads, type CgramLoad } from './snes-cgram.js';
import { normalizeScanOptions, scanRomReport, smallestMinimumUnpackedSizeInBytes } from './scanner.js';
import type { ScanCandidate, ScanCodec, ScanOptions } from './types.js';

/** Bytes before the offset the explaining chunk scans start from (a stream or raw run holding the offset starts at most this far back). */
export const explainWindowInBytes = 64 * 1024;
/** The largest output decoded from the offset itself. */
const maximumExplainedOutputInBytes = 512 * 1024;

/** Codecs of HAL's command layout, whose fills-only readings are dropped (lz-commands.ts). */
const fillsOnlyCodecs: ReadonlySet<string> = new Set(['hal', 'lc-lz1', 'lc-lz2', 'lc-lz5']);
/** LC_LZ variants by codec name, for the commands no encoder writes. */
const lcLzVariantByCodec: Readonly<Record<string, LcLzVariant>> = { 'lc-lz1': 1, 'lc-lz2': 2, 'lc-lz3': 3, 'lc-lz5': 5 };

/** One codec decoded from exactly the explained offset. */
export interface ExplainedStream {
  codec: ScanCodec;
  /** False when the bytes there are not a stream of this codec. */
  decoded: boolean;
  /** The decoder's error message when not decoded. */
  error?: string;
  packedLength?: number;
  unpackedLength?: number;
  /** Score per format of the decoded output, best first. */
  scores?: { format: string; score: number }[];
  /** What keeps it from being reported ("" when nothing does). */
  rule: string;
}

/** The raw reading of the tile at the offset, per format. */
export interface ExplainedRawTile {
  format: string;
  /** Tile score of the bytes at the offset (−1 = blank). */
  tileScore: number;
}

/** A candidate found near the offset before threshold and collapse, and what became of it. */
export interface ExplainedCandidate extends ScanCandidate {
  fate: string;
}

/** The whole explanation. */
export interface ScanExplanation {
  offset: number;
  verdict: string;
  reported: ScanCandidate | null;
  streams: ExplainedStream[];
  raw: ExplainedRawTile[];
  nearby: ExplainedCandidate[];
  /** SNES: the code's loads into CGRAM whose bytes hold the offset (src/scan/snes-cgram.ts); empty elsewhere. */
  cgramLoads: CgramLoad[];
}

const covers = (c: { offset: number; packedLength: number }, offset: number): boolean => c.offset <= offset && offset < c.offset + c.packedLength;
const describe = (c: ScanCandidate): string => `${c.codec} ${c.kind} ${c.format} at ${hex(c.offset)}+${c.packedLength} (score ${c.score})`;

/** Explains the scan's answer at `offset` of `input` under `options` (the scan's own defaults otherwise). */
export async function explainScanOffset(input: string | Rom, offset: number, options: ScanOptions = {}): Promise<ScanExplanation> {
  const rom = typeof input === 'string' ? openRom(input, { allowUnknown: true }) : input;
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= rom.size) throw new ScanOptionError('explain', `offset ${offset} is outside the ROM (0 to ${hex(rom.size - 1)})`, { offset, size: rom.size });
  const normalized = normalizeScanOptions(rom, options);
  const report = await scanRomReport(input, options);
  const reported = report.candidates.find((c) => covers(c, offset)) ?? null;
  const data = rom.data;
  const formats = normalized.formats.map((name) => getTileFormat(name));
  const scorer = new GraphicsScorer();

  const streams: ExplainedStream[] = [];
  for (const codecName of normalized.codecs) {
    if (codecName === 'raw') continue;
    const codec = getCodec(codecName);
    try {
      const options = codecName === 'pb16' ? { outputSizeInBytes: 4096 } : { maximumOutputSizeInBytes: maximumExplainedOutputInBytes };
      const result = codec.decompress(data, offset, options);
      const scores = formats
        .filter((f) => result.data.length >= f.bytesPerTile)
        .map((f) => ({ format: f.name, score: Math.round(scorer.score(result.data, f).score * 10000) / 10000 }))
        .sort((a, b) => b.score - a.score);
      const best = scores[0]?.score ?? 0;
      const variant = lcLzVariantByCodec[codecName];
      const nonEncoder = variant === undefined ? 0 : nonEncoderLcLzCommands(variant, data, offset, offset + result.packedLength);
      let rule = '';
      // SGDK structures declare LZ4W streams (sgdk.ts): reported whatever their size and score;
      // other LZ4W readings answer to the packer's framing and rescomp's layout first.
      const declared = codecName === 'lz4w' ? sgdkDeclaredStreamAt(data, rom.platform, offset) : undefined;
      const lz4wRule = codecName === 'lz4w' && declared === undefined ? lz4wReadingRule(data, rom.platform, offset, result.packedLength) : '';
      if (declared !== undefined && declared.packedLength === result.packedLength) rule = '';
      else if (lz4wRule !== '') rule = `not an SGDK LZ4W stream: ${lz4wRule}`;
      else if (result.data.length < normalized.minimumUnpackedSize) rule = `decodes to ${result.data.length} bytes, under the minimum size ${normalized.minimumUnpackedSize}`;
      else if (!plausibleRatio(codecName, result.packedLength, result.data.length)) rule = `implausible ratio: ${result.packedLength} packed bytes for ${result.data.length} unpacked`;
      else if (fillsOnlyCodecs.has(codecName) && fillsOnlyStream(data, offset, offset + result.packedLength)) rule = 'made by fills alone (no copy, no literal an encoder wrote): runs, not tiles';
      else if (nonEncoder > nonEncoderLzCommandsTolerated) rule = `${nonEncoder} commands no encoder writes (at most ${nonEncoderLzCommandsTolerated} tolerated)`;
      else if (codecName === 'gen1-pic' && probeGen1PicEncoderStream(data, offset) === null) rule = 'not a picture as encoders write one (an empty data packet, or set bits after its end)';
      else if (codecName === 'gen1-pic' && !figureOnBlankBackground(result.data)) rule = 'not a figure on a blank background (under half of its top row and side columns are colour 0)';
      else if (best < normalized.minimumScore) rule = `best score ${best} is under the minimum score ${normalized.minimumScore}`;
      else {
        const top = scorer.score(result.data, getTileFormat(scores[0]!.format)).statistics;
        const factor = repeatedTileFactor(top);
        if (best * factor < normalized.minimumScore) rule = `one drawn tile is ${top.mostRepeatedTileCount} of the ${top.tiles - top.blankTiles} drawn tiles (a fill): score ${Math.round(best * factor * 10000) / 10000} under the minimum score ${normalized.minimumScore}`;
      }
      streams.push({ codec: codecName, decoded: true, packedLength: result.packedLength, unpackedLength: result.data.length, scores, rule });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      streams.push({ codec: codecName, decoded: false, error: message, rule: 'not a stream of this codec here' });
    }
  }

  const raw: ExplainedRawTile[] = [];
  const one = new Float32Array(1);
  for (const format of formats) {
    if (offset + format.bytesPerTile > data.length) continue;
    scorer.tileScores(data.subarray(offset, offset + format.bytesPerTile), format, 1, one);
    raw.push({ format: format.name, tileScore: Math.round(one[0]! * 10000) / 10000 });
  }

  // The chunk scans around the offset with nothing held back, to see what they found and lost.
  const start = Math.max(normalized.start, offset - explainWindowInBytes);
  const end = Math.min(normalized.end, offset + 1);
  const found: ScanCandidate[] = [];
  if (start < end) {
    for (const codec of normalized.codecs) {
      const task: ChunkTask = { codec, platform: rom.platform, start, end, formats, minimumUnpackedSize: smallestMinimumUnpackedSizeInBytes, minimumScore: 0 };
      found.push(...scanChunk(data, task, scorer).candidates.filter((c) => covers(c, offset)));
    }
  }
  const nearby = classifyCandidateKinds(data, rom.platform, found).map((c): ExplainedCandidate => {
    const same = report.candidates.find((r) => r.offset === c.offset && r.packedLength === c.packedLength && r.codec === c.codec);
    let fate: string;
    if (same) fate = 'reported';
    else if (c.unpackedLength < normalized.minimumUnpackedSize) fate = `dropped: ${c.unpackedLength} bytes, under the minimum size ${normalized.minimumUnpackedSize}`;
    else if (c.score < normalized.minimumScore) fate = `dropped: score ${c.score} under the minimum score ${normalized.minimumScore}`;
    else {
      const winner = report.candidates.find((r) => r.offset < c.offset + c.packedLength && c.offset < r.offset + r.packedLength);
      fate = winner ? `lost in the collapse to ${describe(winner)}, a better explanation of these bytes` : 'lost in the collapse';
    }
    return { ...c, fate };
  });
  nearby.sort((a, b) => b.score - a.score || a.offset - b.offset);

  let verdict: string;
  if (reported && reported.offset === offset) verdict = `reported: ${describe(reported)}`;
  else if (reported) verdict = `inside a reported candidate that starts elsewhere: ${describe(reported)}`;
  else if (nearby.length > 0) verdict = `not reported; the best reading here was ${describe(nearby[0]!)}, ${nearby[0]!.fate}`;
  else verdict = 'not reported: no stream decodes here cleanly enough, and no raw run of drawn tiles holds this offset';
  // A NES palette is found from the code that loads it (nes-palettes.ts): say which.
  if (reported && reported.offset === offset && reported.kind === 'palette' && reported.format === 'nes-index') verdict += `; ${nesPaletteEvidence(data, rom.platform, offset) ?? 'named by code'}`;
  if (reported && reported.offset === offset && reported.codec === 'rle-neslib') verdict += `; ${nesRleNametableEvidence(data, rom.platform, offset) ?? 'named by code'}`;
  const cgramLoads = rom.platform === 'snes' ? snesCgramLoads(data).filter((l) => covers({ offset: l.offset, packedLength: l.length }, offset)) : [];
  return { offset, verdict, reported, streams, raw, nearby, cgramLoads };
}

/** The explanation as text lines (the CLI's output without --json). */
export function formatScanExplanation(e: ScanExplanation): string[] {
  const lines = [`offset ${hex(e.offset)}: ${e.verdict}`];
  lines.push('decoded from this offset:');
  for (const s of e.streams) {
    if (!s.decoded) lines.push(`  ${s.codec.padEnd(5)} no stream: ${s.error}`);
    else {
      const scores = (s.scores ?? []).map((x) => `${x.format} ${x.score.toFixed(3)}`).join(', ');
      lines.push(`  ${s.codec.padEnd(5)} ${s.packedLength} -> ${s.unpackedLength} bytes; ${scores}${s.rule ? `; ${s.rule}` : ''}`);
    }
  }
  lines.push(`raw tile here: ${e.raw.map((r) => `${r.format} ${r.tileScore < 0 ? 'blank' : r.tileScore.toFixed(3)}`).join(', ')}`);
  // A block named by code (NES palettes and RLE nametables) is reported without a swept reading.
  if (e.nearby.length === 0) lines.push(e.reported ? 'no swept reading (codec stream or raw run) holds this offset: the code that names it is the evidence' : 'no candidate holds this offset, at any score or size');
  else {
    lines.push('candidates holding this offset (any score, any size):');
    for (const c of e.nearby) lines.push(`  ${describe(c)}: ${c.fate}`);
  }
  for (const l of e.cgramLoads) lines.push(`loaded into CGRAM by the code at ${hex(l.source)}: ${hex(l.offset)}+${l.length}${l.colour >= 0 ? ` from colour ${l.colour}` : ''}`);
  return lines;
}
