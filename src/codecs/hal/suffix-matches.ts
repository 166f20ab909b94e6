/**
 * Exact longest-copy search for every position at once, in O(N log N) whatever the input:
 * hash chains degrade to quadratic time on repetitive data (64 KiB of runs took 18 s), a
 * suffix array does not.
 *
 * One suffix array over S # T $ R % where S is the data, T its bit-reversed bytes and R the
 * data backwards (unique separators stop every common prefix at its own string's end). Then:
 * - a forward copy from p < i of length L is a common prefix of S[i..] and S[p..];
 * - a bit-reversed copy is a common prefix of S[i..] and T[p..];
 * - a backward copy from p is a common prefix of S[i..] and R[n−1−p..], which also caps it at
 *   p + 1 bytes (R's suffix ends at data[0]).
 * The longest copy of a kind from any p < i is the longer common prefix with the nearest
 * such suffix on either side of S[i..] in suffix order. Positions are visited from n−1 down,
 * deleting each source as it stops being "before i" (union-find over ranks), so each query is
 * near O(1). The earliest source with that length (inhal's tie-break) is the smallest p among
 * the suffixes of that kind in the rank interval whose common prefix with S[i..] is that long.
 */
import { bitReversedByte, halKindBackwardCopy, halKindForwardCopy, halKindReversedCopy, halLongCountLimit } from './common.js';

/** Suffix array of `s` (values < alphabet) by prefix doubling with radix sorts. */
function buildSuffixArray(s: Int32Array, alphabet: number): Int32Array {
  const n = s.length;
  const sa = new Int32Array(n);
  let rank = new Int32Array(n);
  let next = new Int32Array(n);
  const order = new Int32Array(n);
  const count = new Int32Array(Math.max(alphabet, n) + 1);
  for (let i = 0; i < n; i++) count[s[i]!] = count[s[i]!]! + 1;
  for (let v = 1; v < count.length; v++) count[v] = count[v]! + count[v - 1]!;
  for (let i = n - 1; i >= 0; i--) sa[--count[s[i]!]!] = i;
  rank.set(s);
  for (let k = 1; ; k <<= 1) {
    // Order by second key (rank[i + k], absent first), then stable counting sort by rank[i].
    let p = 0;
    for (let i = n - k; i < n; i++) order[p++] = i;
    for (let j = 0; j < n; j++) if (sa[j]! >= k) order[p++] = sa[j]! - k;
    count.fill(0);
    for (let i = 0; i < n; i++) count[rank[i]!] = count[rank[i]!]! + 1;
    for (let v = 1; v < count.length; v++) count[v] = count[v]! + count[v - 1]!;
    for (let j = n - 1; j >= 0; j--) sa[--count[rank[order[j]!]!]!] = order[j]!;
    next[sa[0]!] = 0;
    let classes = 1;
    for (let j = 1; j < n; j++) {
      const a = sa[j - 1]!;
      const b = sa[j]!;
      const secondA = a + k < n ? rank[a + k]! : -1;
      const secondB = b + k < n ? rank[b + k]! : -1;
      if (rank[a] !== rank[b] || secondA !== secondB) classes++;
      next[b] = classes - 1;
    }
    const swap = rank;
    rank = next;
    next = swap;
    if (classes === n) break;
  }
  return sa;
}

/** Sparse table of minima over `values`. */
class MinTable {
  readonly levels: Int32Array[] = [];
  constructor(values: Int32Array) {
    this.levels.push(values);
    for (let k = 1; 1 << k <= values.length; k++) {
      const previous = this.levels[k - 1]!;
      const half = 1 << (k - 1);
      const level = new Int32Array(values.length - (1 << k) + 1);
      for (let i = 0; i < level.length; i++) level[i] = Math.min(previous[i]!, previous[i + half]!);
      this.levels.push(level);
    }
  }
  /** Minimum over values[first..last], first ≤ last. */
  min(first: number, last: number): number {
    const k = 31 - Math.clz32(last - first + 1);
    const level = this.levels[k]!;
    return Math.min(level[first]!, level[last - (1 << k) + 1]!);
  }
}

/** Finds the nearest live rank at or before / after a rank, with deletions (path-halving union-find). */
class LiveRanks {
  readonly #left: Int32Array; // index r+1 → nearest live rank ≤ r, +1 (0 = none)
  readonly #right: Int32Array; // index r → nearest live rank ≥ r (size = none)
  readonly #size: number;
  constructor(size: number, live: (rank: number) => boolean) {
    this.#size = size;
    this.#left = new Int32Array(size + 1);
    this.#right = new Int32Array(size + 1);
    for (let r = 0; r < size; r++) {
      this.#left[r + 1] = live(r) ? r + 1 : r;
      this.#right[r] = live(r) ? r : r + 1;
    }
    this.#right[size] = size;
  }
  delete(rank: number): void {
    this.#left[rank + 1] = rank;
    this.#right[rank] = rank + 1;
  }
  /** Nearest live rank < r, or -1. */
  before(r: number): number {
    const left = this.#left;
    let x = r; // index of rank r−1 in `left`
    while (left[x] !== x) {
      const parent = left[x]!;
      left[x] = left[parent]!;
      x = parent;
    }
    return x - 1;
  }
  /** Nearest live rank > r, or -1. */
  after(r: number): number {
    const right = this.#right;
    let x = r + 1;
    while (x < this.#size && right[x] !== x) {
      const parent = right[x]!;
      right[x] = right[parent]!;
      x = parent;
    }
    return x < this.#size ? x : -1;
  }
}

export interface CopyMatches {
  /** Copy length at each position (0 = none). */
  length: Int32Array;
  kind: Uint8Array;
  source: Int32Array;
}

/**
 * The best copy at every position, each capped at min(1,024, bytes left).
 * `inhalRules`: forward, then bit-reversed, then backward, a later kind only when strictly
 * longer, each from its earliest source, minimum 4 bytes (inhal's ref_search; `forwardOnly`
 * for its fast mode). Otherwise: the
 * longest of any kind from any source, minimum 3 bytes (for the optimal parse).
 */
export function findCopyMatches(data: Uint8Array, inhalRules: boolean, forwardOnly = false): CopyMatches {
  const n = data.length;
  const length = new Int32Array(n);
  const kind = new Uint8Array(n);
  const source = new Int32Array(n);
  if (n < 2) return { length, kind, source };
  const total = 3 * n + 3;
  const text = new Int32Array(total);
  for (let i = 0; i < n; i++) {
    text[i] = data[i]!;
    text[n + 1 + i] = bitReversedByte[data[i]!]!;
    text[2 * n + 2 + i] = data[n - 1 - i]!;
  }
  text[n] = 256;
  text[2 * n + 1] = 257;
  text[3 * n + 2] = 258;
  const sa = buildSuffixArray(text, 259);
  const rankOf = new Int32Array(total);
  for (let r = 0; r < total; r++) rankOf[sa[r]!] = r;
  // Kasai: lcp[r] = common prefix of suffixes sa[r−1] and sa[r].
  const lcp = new Int32Array(total);
  for (let i = 0, h = 0; i < total; i++) {
    const r = rankOf[i]!;
    if (r === 0) {
      h = 0;
      continue;
    }
    const j = sa[r - 1]!;
    while (i + h < total && j + h < total && text[i + h] === text[j + h]) h++;
    lcp[r] = h;
    if (h > 0) h--;
  }
  const lcpMin = new MinTable(lcp);
  const common = (a: number, b: number): number => (a < b ? lcpMin.min(a + 1, b) : lcpMin.min(b + 1, a));

  // For each kind: where its suffixes start, and the data position p each one stands for.
  const kinds = [halKindForwardCopy, halKindReversedCopy, halKindBackwardCopy] as const;
  const startOf = [0, n + 1, 2 * n + 2];
  const positionAtRank: Int32Array[] = [];
  const live: LiveRanks[] = [];
  const earliest: MinTable[] = [];
  const unused = 0x7fffffff;
  const kindCount = forwardOnly ? 1 : 3;
  for (let k = 0; k < kindCount; k++) {
    const positions = new Int32Array(total).fill(unused);
    const start = startOf[k]!;
    for (let q = 0; q < n; q++) positions[rankOf[start + q]!] = k === 2 ? n - 1 - q : q;
    positionAtRank.push(positions);
    live.push(new LiveRanks(total, (r) => positions[r] !== unused));
    if (inhalRules) earliest.push(new MinTable(positions));
  }
  const minimum = inhalRules ? 4 : 3;
  const bestLength = new Int32Array(3);
  const bestSource = new Int32Array(3);

  for (let i = n - 1; i >= 0; i--) {
    const r = rankOf[i]!;
    const ceiling = Math.min(halLongCountLimit, n - i);
    for (let k = 0; k < kindCount; k++) {
      // Sources must lie before i: drop the one at i (forward/reversed: p = i; backward: p = i).
      const ranks = live[k]!;
      const start = startOf[k]!;
      ranks.delete(rankOf[k === 2 ? start + (n - 1 - i) : start + i]!);
      const left = ranks.before(r);
      const right = ranks.after(r);
      const leftLength = left >= 0 ? common(left, r) : 0;
      const rightLength = right >= 0 ? common(r, right) : 0;
      let best = Math.max(leftLength, rightLength);
      if (best > ceiling) best = ceiling;
      bestLength[k] = best;
      bestSource[k] = leftLength >= rightLength ? left : right; // a rank for now
    }
    let chosen = -1;
    let chosenLength = minimum - 1;
    for (let k = 0; k < kindCount; k++) {
      if (bestLength[k]! > chosenLength) {
        chosen = k;
        chosenLength = bestLength[k]!;
      }
    }
    if (chosen < 0) continue;
    length[i] = chosenLength;
    kind[i] = kinds[chosen]!;
    if (!inhalRules) {
      source[i] = positionAtRank[chosen]![bestSource[chosen]!]!;
      continue;
    }
    // inhal takes the earliest source: the rank interval around r whose common prefix with
    // S[i..] is at least the chosen length, and the smallest p of that kind inside it.
    let lo = r;
    let hi = r;
    const levels = lcpMin.levels;
    for (let level = levels.length - 1; level >= 0; level--) {
      const span = 1 << level;
      if (lo - span + 1 >= 1 && levels[level]![lo - span + 1]! >= chosenLength) lo -= span;
      if (hi + span <= total - 1 && levels[level]![hi + 1]! >= chosenLength) hi += span;
    }
    source[i] = earliest[chosen]!.min(lo, hi);
  }
  return { length, kind, source };
}
