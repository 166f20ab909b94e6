/**
 * One block, one answer. Around a real stream many starts decode "cleanly": suffixes of it,
 * starts in the bytes before it whose commands happen to land on one of its commands, starts
 * that misparse it and stop at a byte inside it, raw runs over its decoded-looking bytes, and
 * the same data read in another format or phase. All of them overlap the real block's packed
 * range. The collapse keeps, of every set of overlapping candidates, the best explanation: it
 * accepts candidates in order of explanation weight (score, plus a little for length; see explanationWeight)
 * and drops every candidate whose packed range overlaps one already accepted — nested ones and
 * suffixes included. A shifted start decodes the real stream's copies from the wrong place
 * (HAL copies use absolute output positions) and misaligns its tiles, so it scores below the
 * true start.
 */
import type { ScanCandidate } from './types.js';

/**
 * How well a candidate explains its bytes: its score, plus a little for every doubling of its
 * packed length. A whole block beats fragments of itself read at another phase or format, and a
 * real stream beats a short stream misparsed out of its middle, when their scores are close.
 */
export function explanationWeight(candidate: ScanCandidate): number {
  return candidate.score + lengthBonusPerDoubling * Math.log2(Math.max(1, candidate.packedLength / 64));
}

/** Weight added per doubling of packed length (above 64 bytes). */
export const lengthBonusPerDoubling = 0.04;

export function compareCandidates(a: ScanCandidate, b: ScanCandidate): number {
  return explanationWeight(b) - explanationWeight(a) || b.score - a.score || b.packedLength - a.packedLength || a.offset - b.offset || (a.codec < b.codec ? -1 : a.codec > b.codec ? 1 : 0);
}

/**
 * The non-overlapping best candidates, ranked by score (best first). Candidates `declared` says
 * a ROM structure declares (an SGDK TileSet or TileMap, sgdk.ts) are accepted before all others:
 * the structure says where the block is, and whatever overlaps it is a misreading.
 */
export function collapseCandidates(candidates: readonly ScanCandidate[], declared?: (candidate: ScanCandidate) => boolean): ScanCandidate[] {
  const ordered = [...candidates].sort(compareCandidates);
  if (declared !== undefined) ordered.sort((a, b) => Number(declared(b)) - Number(declared(a)));
  // Accepted packed ranges, sorted by start; they never overlap, so ends are sorted too.
  const starts: number[] = [];
  const ends: number[] = [];
  const accepted: ScanCandidate[] = [];
  for (const candidate of ordered) {
    const s = candidate.offset;
    const e = candidate.offset + candidate.packedLength;
    // First accepted range starting at or after s.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    if (lo < starts.length && starts[lo]! < e) continue;
    if (lo > 0 && ends[lo - 1]! > s) continue;
    starts.splice(lo, 0, s);
    ends.splice(lo, 0, e);
    accepted.push(candidate);
  }
  return accepted;
}
