/**
 * Scans one chunk of stream starts for one codec: the unit of work a scan worker runs (and the
 * in-process path runs in a loop). Pure: ROM bytes in, candidates out.
 *
 * - hal: every offset validated at once by the chain pass (hal-chain.ts), strict starts only;
 * - lz77 / lz11 / rle: every offset whose byte is the BIOS type byte is probed;
 * - lz4: every offset with the frame magic is probed (raw LZ4 blocks carry no length and no
 *   magic, so nothing marks where one starts);
 * - pb16: see pb16.ts;
 * - raw: runs of tile-like tiles (raw.ts).
 *
 * Streams that probe cleanly and are large enough are decoded and scored; what scores at least
 * the threshold is returned. Collapsing overlapping candidates happens once, over all chunks
 * (collapse.ts), because a stream may start in one chunk and end in the next.
 */
import { getCodec } from '../codecs/index.js';
import type { TileFormat } from '../gfx/index.js';
import { computeHalChains } from './hal-chain.js';
import { scanPb16 } from './pb16.js';
import { scanRaw } from './raw.js';
import { GraphicsScorer } from './score.js';
import type { ScanCandidate, ScanCodec } from './types.js';

/** The largest output a scanned GBA BIOS or LZ4 stream may declare (larger declared sizes are not graphics blocks). */
export const maximumScannedOutputSizeInBytes = 512 * 1024;

const gbaTypeByte: Partial<Record<ScanCodec, number>> = { lz77: 0x10, lz11: 0x11, rle: 0x30 };
const lz4MagicBytes = [0x04, 0x22, 0x4d, 0x18] as const;

export interface ChunkTask {
  codec: ScanCodec;
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
  }
}

function scoreStream(data: Uint8Array, codec: ScanCodec, offset: number, packedLength: number, unpacked: Uint8Array, task: ChunkTask, scorer: GraphicsScorer, out: ScanCandidate[]): void {
  const best = scorer.best(unpacked, task.formats);
  if (best === null || best.score < task.minimumScore) return;
  out.push({ offset, packedLength, unpackedLength: unpacked.length, codec, format: best.format, score: roundScore(best.score) });
}

/** Scores are reported to 4 decimals (stable JSON, equal across threads). */
export function roundScore(score: number): number {
  return Math.round(score * 10000) / 10000;
}

function scanHal(data: Uint8Array, task: ChunkTask, scorer: GraphicsScorer, checkCancel: CancelCheck): ChunkResult {
  const chains = computeHalChains(data, task.start, task.end);
  checkCancel();
  const hal = getCodec('hal');
  const candidates: ScanCandidate[] = [];
  let decoded = 0;
  const { total, need, end } = chains;
  const minimum = task.minimumUnpackedSize;
  for (let p = task.start; p < task.end; p++) {
    const i = p - chains.windowStart;
    const size = total[i]!;
    if (size < minimum || size < need[i]!) continue;
    if ((++decoded & 255) === 0) checkCancel();
    const result = hal.decompress(data, p);
    scoreStream(data, 'hal', p, end[i]! - p, result.data, task, scorer, candidates);
  }
  return { candidates, decoded };
}

function scanByProbe(data: Uint8Array, task: ChunkTask, scorer: GraphicsScorer, checkCancel: CancelCheck): ChunkResult {
  const codec = getCodec(task.codec);
  const limits = { maximumOutputSizeInBytes: maximumScannedOutputSizeInBytes };
  const type = gbaTypeByte[task.codec];
  const candidates: ScanCandidate[] = [];
  let decoded = 0;
  const last = Math.min(task.end, data.length);
  for (let p = task.start; p < last; p++) {
    if ((p & (offsetsPerCancelCheck - 1)) === 0) checkCancel();
    // The cheap first-byte tests the probes would make anyway, without the call.
    if (type !== undefined ? data[p] !== type : data[p] !== lz4MagicBytes[0] || data[p + 1] !== lz4MagicBytes[1] || data[p + 2] !== lz4MagicBytes[2] || data[p + 3] !== lz4MagicBytes[3]) continue;
    const probe = codec.probe(data, p, limits);
    if (probe === null || probe.unpackedLength < task.minimumUnpackedSize) continue;
    decoded++;
    const result = codec.decompress(data, p, limits);
    scoreStream(data, task.codec, p, result.packedLength, result.data, task, scorer, candidates);
  }
  return { candidates, decoded };
}
