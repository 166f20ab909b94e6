/**
 * Scoring a scan of the homebrew corpus (fixtures/corpus: ten ROMs built from their public
 * sources, truth.json from their builds' symbol files; see its README) against its truth. Used
 * by bench/scan-corpus and test/scan/corpus.test.ts.
 *
 * - A tile block is found *exactly* when a candidate of kind `tiles` has its start and packed
 *   length; *by start* when one has its start; *overlapped* when any candidate's packed range
 *   overlaps it; *missed* otherwise.
 * - A candidate is *false* when its range touches no truth block, *mislabelled* when it touches
 *   only blocks of another kind (tiles reported over a tilemap, say).
 * - Tilemaps and palettes count as found when a candidate of that kind starts at their offset.
 * - Blocks in codecs the scanner does not look for yet (lz4w until it is registered, …) are
 *   counted apart, and candidates over them are neither false nor mislabelled.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One graphics block of truth.json. */
export interface TruthBlock {
  name: string;
  offset: number;
  packedLength: number;
  unpackedLength: number;
  codec: string;
  format: string;
  kind: 'tiles' | 'tilemap' | 'palette';
  lengthExact?: boolean;
}

/** One ROM of truth.json. */
export interface TruthRom {
  platform: string;
  source: string;
  licence: string;
  blocks: TruthBlock[];
}

/** The candidate fields scoring needs. */
export interface ScoredCandidate {
  offset: number;
  packedLength: number;
  codec: string;
  format: string;
  kind?: string;
}

/** The corpus folder in fixtures/ (found from this file's place in the source tree or under dist/). */
export const corpusDirectory = findCorpusDirectory();

function findCorpusDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(directory, 'fixtures', 'corpus');
    if (existsSync(join(candidate, 'truth.json'))) return candidate;
    directory = dirname(directory);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'corpus');
}

/** truth.json, by ROM file name. */
export function readCorpusTruth(directory = corpusDirectory): Record<string, TruthRom> {
  return JSON.parse(readFileSync(join(directory, 'truth.json'), 'utf8')) as Record<string, TruthRom>;
}

/**
 * The bytes of the named corpus ROMs outside every truth block (their code and data, fill
 * included), each ROM from `from` on, concatenated: filler that is real code but no graphics.
 */
export function corpusBytesOutsideTruth(names: readonly string[], from = 0): Uint8Array {
  const truth = readCorpusTruth();
  const parts: Uint8Array[] = [];
  for (const name of names) {
    const rom = new Uint8Array(readFileSync(join(corpusDirectory, name)));
    let at = from;
    for (const block of [...truth[name]!.blocks].sort((x, y) => x.offset - y.offset)) {
      if (block.offset > at) parts.push(rom.subarray(at, block.offset));
      at = Math.max(at, block.offset + block.packedLength);
    }
    parts.push(rom.subarray(at));
  }
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let o = 0;
  for (const part of parts) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

/** Per-ROM (or total) figures. */
export interface CorpusFigures {
  tileBlocks: number;
  exact: number;
  byStart: number;
  overlapped: number;
  missed: number;
  /** Tile blocks in codecs the scan does not look for (not in the counts above). */
  unsupportedTileBlocks: number;
  candidates: number;
  falseCandidates: number;
  mislabelled: number;
  tilemaps: number;
  tilemapsFound: number;
  palettes: number;
  palettesFound: number;
  /** Names of the missed or inexact supported tile blocks, with what was found there. */
  notes: string[];
}

/** Zeroed figures. */
export function emptyFigures(): CorpusFigures {
  return { tileBlocks: 0, exact: 0, byStart: 0, overlapped: 0, missed: 0, unsupportedTileBlocks: 0, candidates: 0, falseCandidates: 0, mislabelled: 0, tilemaps: 0, tilemapsFound: 0, palettes: 0, palettesFound: 0, notes: [] };
}

function overlaps(a: { offset: number; packedLength: number }, b: { offset: number; packedLength: number }): boolean {
  return a.offset < b.offset + b.packedLength && b.offset < a.offset + a.packedLength;
}

/** Scores one ROM's candidates; `supported(codec)` says whether the scan looked for that codec. */
export function scoreCorpusRom(truth: TruthRom, candidates: readonly ScoredCandidate[], supported: (codec: string) => boolean): CorpusFigures {
  const f = emptyFigures();
  const kindOf = (c: ScoredCandidate) => c.kind ?? 'tiles';
  for (const block of truth.blocks) {
    const isSupported = block.codec === 'none' || supported(block.codec);
    if (block.kind === 'tiles') {
      if (!isSupported) {
        f.unsupportedTileBlocks++;
        continue;
      }
      f.tileBlocks++;
      const tiles = candidates.filter((c) => kindOf(c) === 'tiles');
      const exact = tiles.some((c) => c.offset === block.offset && c.packedLength === block.packedLength);
      const byStart = tiles.find((c) => c.offset === block.offset);
      const over = candidates.find((c) => overlaps(c, block));
      if (exact) f.exact++;
      if (byStart) f.byStart++;
      if (over) f.overlapped++;
      else f.missed++;
      if (!exact) {
        const seen = over ? `${over.codec} ${over.kind ?? 'tiles'} ${over.format} 0x${over.offset.toString(16)}+${over.packedLength}` : 'nothing';
        f.notes.push(`${block.name} (0x${block.offset.toString(16)}+${block.packedLength} ${block.codec}): ${byStart ? 'start only' : over ? 'overlap' : 'missed'}; ${seen}`);
      }
    } else if (block.kind === 'tilemap') {
      f.tilemaps++;
      if (candidates.some((c) => kindOf(c) === 'tilemap' && c.offset === block.offset)) f.tilemapsFound++;
    } else {
      f.palettes++;
      if (candidates.some((c) => kindOf(c) === 'palette' && c.offset === block.offset)) f.palettesFound++;
    }
  }
  for (const c of candidates) {
    f.candidates++;
    const touched = truth.blocks.filter((b) => overlaps(c, b));
    if (touched.length === 0) {
      f.falseCandidates++;
      f.notes.push(`false: ${c.codec} ${kindOf(c)} ${c.format} 0x${c.offset.toString(16)}+${c.packedLength}`);
    } else if (!touched.some((b) => b.kind === kindOf(c)) && !touched.some((b) => b.codec !== 'none' && !supported(b.codec))) {
      f.mislabelled++;
      f.notes.push(`mislabelled: ${c.codec} ${kindOf(c)} ${c.format} 0x${c.offset.toString(16)}+${c.packedLength} over ${touched.map((b) => `${b.name} (${b.kind})`).join(', ')}`);
    }
  }
  return f;
}

/** Adds `b` into `a`. */
export function addFigures(a: CorpusFigures, b: CorpusFigures): void {
  for (const key of Object.keys(a) as (keyof CorpusFigures)[]) {
    if (key === 'notes') continue;
    a[key] += b[key];
  }
}
