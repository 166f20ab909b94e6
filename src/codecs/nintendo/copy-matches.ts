/**
 * Copy searches for the Nintendo encoders' optimal parses.
 *
 * Absolute copies (any earlier source, same cost whatever the source): one suffix array over
 * the data and one transformed text per copy kind, joined with unique separators. A forward
 * copy of kind K from p < i of length L is a common prefix of S[i..] and K's text at p; a
 * backward copy (LZ3 command 6) reads the data reversed, so its text is S backwards and the
 * suffix at n−1−p stands for source p (which also caps it at p + 1 bytes). The longest copy of
 * a kind from any p < i is the longer common prefix with the nearest live suffix of that kind
 * on either side of S[i..] in suffix order; positions are visited from n−1 down, deleting each
 * source as it stops being "before i". O(N log N) on any input, where hash chains go quadratic
 * on runs.
 *
 * Relative copies (1-byte distance, a window of 128 or 255): per-distance match lengths kept
 * right to left, O(N × window) with no data-dependent blow-up.
 */

/** A copy command's reading rule: each output byte is `transform[source byte]`, walking forward or backward. */
export interface CopyKind {
  /** Byte transform applied to each copied byte (null: as is). */
  readonly transform: Uint8Array | null;
  /** True when the source walks backwards (LZ3 reversed repeat). */
  readonly backward: boolean;
}

/** The longest copy at each position, over every kind given. */
export interface CopyMatches {
  /** Length at each position (0 = none), capped at the command limit and the bytes left. */
  readonly length: Int32Array;
  /** Index into the kinds list. */
  readonly kind: Uint8Array;
  /** The source index (for a backward copy: where it starts reading). */
  readonly source: Int32Array;
}

/** Suffix array of `s` (values < alphabet) by prefix doubling with radix sorts. */
function suffixArray(s: Int32Array, alphabet: number): Int32Array {
  const n = s.length;
  const sa = new Int32Array(n);
  let rank = new Int32Array(n);
  let next = new Int32Array(n);
  const order = new Int32Array(n);
  const count = new Int32Array(Math.max(alphabet, n) + 1);
  for (let i = 0; i < n; i++) count[s[i]!]!++;
  for (let v = 1; v < count.length; v++) count[v]! += count[v - 1]!;
  for (let i = n - 1; i >= 0; i--) sa[--count[s[i]!]!] = i;
  rank.set(s);
  for (let step = 1; ; step <<= 1) {
    let p = 0;
    for (let i = n - step; i < n; i++) order[p++] = i;
    for (let j = 0; j < n; j++) if (sa[j]! >= step) order[p++] = sa[j]! - step;
    count.fill(0);
    for (let i = 0; i < n; i++) count[rank[i]!]!++;
    for (let v = 1; v < count.length; v++) count[v]! += count[v - 1]!;
    for (let j = n - 1; j >= 0; j--) sa[--count[rank[order[j]!]!]!] = order[j]!;
    next[sa[0]!] = 0;
    let classes = 1;
    for (let j = 1; j < n; j++) {
      const a = sa[j - 1]!;
      const b = sa[j]!;
      const secondA = a + step < n ? rank[a + step]! : -1;
      const secondB = b + step < n ? rank[b + step]! : -1;
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

/** Sparse table for range minima over a fixed array. */
class SparseMin {
  readonly #levels: Int32Array[] = [];
  constructor(values: Int32Array) {
    this.#levels.push(values);
    for (let k = 1; 1 << k <= values.length; k++) {
      const previous = this.#levels[k - 1]!;
      const half = 1 << (k - 1);
      const level = new Int32Array(values.length - (1 << k) + 1);
      for (let i = 0; i < level.length; i++) level[i] = Math.min(previous[i]!, previous[i + half]!);
      this.#levels.push(level);
    }
  }
  min(first: number, last: number): number {
    const k = 31 - Math.clz32(last - first + 1);
    const level = this.#levels[k]!;
    return Math.min(level[first]!, level[last - (1 << k) + 1]!);
  }
}

/** Nearest live rank before/after a rank, with deletions (union-find with path halving). */
class LiveRanks {
  readonly #left: Int32Array;
  readonly #right: Int32Array;
  readonly #size: number;
  constructor(size: number, isLive: Uint8Array) {
    this.#size = size;
    this.#left = new Int32Array(size + 1);
    this.#right = new Int32Array(size + 1);
    for (let r = 0; r < size; r++) {
      this.#left[r + 1] = isLive[r] ? r + 1 : r;
      this.#right[r] = isLive[r] ? r : r + 1;
    }
    this.#right[size] = size;
  }
  delete(rank: number): void {
    this.#left[rank + 1] = rank;
    this.#right[rank] = rank + 1;
  }
  before(r: number): number {
    const left = this.#left;
    let x = r;
    while (left[x] !== x) {
      const parent = left[x]!;
      left[x] = left[parent]!;
      x = parent;
    }
    return x - 1;
  }
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

/**
 * The longest absolute copy at every position from any source before it, over `kinds`, capped
 * at `maximumLength` and the bytes left. Ties between kinds keep the earlier kind.
 */
export function findLongestAbsoluteCopies(data: Uint8Array, kinds: readonly CopyKind[], maximumLength: number): CopyMatches {
  const n = data.length;
  const length = new Int32Array(n);
  const kind = new Uint8Array(n);
  const source = new Int32Array(n);
  if (n < 2 || kinds.length === 0) return { length, kind, source };
  // Text: S sep T_0 sep T_1 … sep, each T_k the data as kind k reads it.
  const blocks = 1 + kinds.length;
  const total = blocks * (n + 1);
  const text = new Int32Array(total);
  for (let i = 0; i < n; i++) text[i] = data[i]!;
  text[n] = 256;
  for (let k = 0; k < kinds.length; k++) {
    const base = (k + 1) * (n + 1);
    const { transform, backward } = kinds[k]!;
    for (let q = 0; q < n; q++) {
      const value = data[backward ? n - 1 - q : q]!;
      text[base + q] = transform === null ? value : transform[value]!;
    }
    text[base + n] = 257 + k;
  }
  const sa = suffixArray(text, 257 + kinds.length);
  const rankOf = new Int32Array(total);
  for (let r = 0; r < total; r++) rankOf[sa[r]!] = r;
  // Kasai: lcp[r] = common prefix of the suffixes at ranks r−1 and r.
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
  const lcpMin = new SparseMin(lcp);

  const positionAtRank: Int32Array[] = [];
  const live: LiveRanks[] = [];
  for (let k = 0; k < kinds.length; k++) {
    const base = (k + 1) * (n + 1);
    const positions = new Int32Array(total).fill(-1);
    const isLive = new Uint8Array(total);
    for (let q = 0; q < n; q++) {
      const r = rankOf[base + q]!;
      positions[r] = kinds[k]!.backward ? n - 1 - q : q;
      isLive[r] = 1;
    }
    positionAtRank.push(positions);
    live.push(new LiveRanks(total, isLive));
  }

  for (let i = n - 1; i >= 0; i--) {
    const r = rankOf[i]!;
    const ceiling = Math.min(maximumLength, n - i);
    let best = 0;
    for (let k = 0; k < kinds.length; k++) {
      const base = (k + 1) * (n + 1);
      const ranks = live[k]!;
      // Sources must lie before i: drop source i itself.
      ranks.delete(rankOf[base + (kinds[k]!.backward ? n - 1 - i : i)]!);
      const left = ranks.before(r);
      const right = ranks.after(r);
      const leftLength = left >= 0 ? lcpMin.min(left + 1, r) : 0;
      const rightLength = right >= 0 ? lcpMin.min(r + 1, right) : 0;
      const found = Math.min(ceiling, Math.max(leftLength, rightLength));
      if (found > best) {
        best = found;
        kind[i] = k;
        source[i] = positionAtRank[k]![leftLength >= rightLength ? left : right]!;
      }
    }
    length[i] = best;
  }
  return { length, kind, source };
}

/**
 * The longest relative copy at every position over distances 1…`window` and `kinds`, capped at
 * `maximumLength` and the bytes left. `source` holds the source index. Forward kinds keep one
 * running length per distance (right to left, the source moves with the target); the backward
 * kind's source moves the other way, so its pairs (i, s) share i + s and are tracked per
 * diagonal (pairs entering the window are measured by comparison).
 */
export function findLongestRelativeCopies(data: Uint8Array, kinds: readonly CopyKind[], window: number, maximumLength: number): CopyMatches {
  const n = data.length;
  const length = new Int32Array(n);
  const kind = new Uint8Array(n);
  const source = new Int32Array(n);
  for (let k = 0; k < kinds.length; k++) {
    const { transform, backward } = kinds[k]!;
    if (!backward) {
      const run = new Int32Array(window + 1);
      for (let i = n - 1; i >= 0; i--) {
        const ceiling = Math.min(maximumLength, n - i);
        const value = data[i]!;
        const reach = Math.min(window, i);
        let best = length[i]!;
        let bestSource = -1;
        for (let d = 1; d <= reach; d++) {
          const s = data[i - d]!;
          const matched = (transform === null ? s : transform[s]!) === value;
          const current = matched ? Math.min(run[d]! + 1, ceiling) : 0;
          run[d] = current;
          if (current > best) {
            best = current;
            bestSource = i - d;
          }
        }
        if (bestSource >= 0) {
          length[i] = best;
          kind[i] = k;
          source[i] = bestSource;
        }
      }
    } else {
      // Pair (i, s) continues as (i+1, s−1): same diagonal t = i + s, distance 2 larger. An
      // entry's distance shrinks by 2 per step to the left, so at each i the pairs at
      // distances window−1 and window are new: those are measured by comparison, every other
      // one follows from its diagonal in O(1). Exact up to the cap.
      const diagonal = new Int32Array(2 * n + 1);
      for (let i = n - 1; i >= 0; i--) {
        const ceiling = Math.min(maximumLength, n - i);
        const value = data[i]!;
        const reach = Math.min(window, i);
        let best = length[i]!;
        let bestSource = -1;
        for (let d = 1; d <= reach; d++) {
          const s = i - d;
          const t = i + s;
          let current: number;
          if (d >= window - 1) {
            current = 0;
            while (current < maximumLength && current <= s && i + current < n) {
              const v = data[s - current]!;
              if ((transform === null ? v : transform[v]!) !== data[i + current]) break;
              current++;
            }
          } else {
            const v = data[s]!;
            current = (transform === null ? v : transform[v]!) === value ? Math.min(diagonal[t]! + 1, maximumLength) : 0;
          }
          diagonal[t] = current;
          const capped = Math.min(current, ceiling);
          if (capped > best) {
            best = capped;
            bestSource = s;
          }
        }
        if (bestSource >= 0) {
          length[i] = best;
          kind[i] = k;
          source[i] = bestSource;
        }
      }
    }
  }
  return { length, kind, source };
}

const chainHashBits = 15;

/**
 * Hash-chain copy search for greedy parses, which only ask at the positions they land on: each
 * kind keeps chains of sources keyed by the first three bytes as that kind reads them, and a
 * query walks at most `chainLimit` of the most recent sources (stopping past `window`). Not
 * exhaustive: the `fast` levels trade size for time here. Queries must come in increasing
 * position order; sources are inserted up to the queried position as it advances.
 */
export class ChainedCopySearch {
  readonly #data: Uint8Array;
  readonly #kinds: readonly CopyKind[];
  readonly #window: number;
  readonly #maximumLength: number;
  readonly #chainLimit: number;
  readonly #heads: Int32Array[];
  readonly #previous: Int32Array[];
  #inserted = 0;
  /** Results, at the positions searched (0 elsewhere). */
  readonly matches: CopyMatches;

  constructor(data: Uint8Array, kinds: readonly CopyKind[], window: number, maximumLength: number, chainLimit: number) {
    this.#data = data;
    this.#kinds = kinds;
    this.#window = window;
    this.#maximumLength = maximumLength;
    this.#chainLimit = chainLimit;
    this.#heads = kinds.map(() => new Int32Array(1 << chainHashBits).fill(-1));
    this.#previous = kinds.map(() => new Int32Array(data.length));
    this.matches = { length: new Int32Array(data.length), kind: new Uint8Array(data.length), source: new Int32Array(data.length) };
  }

  static #hash(a: number, b: number, c: number): number {
    return Math.imul((a << 16) | (b << 8) | c, 0x9e3779b1) >>> (32 - chainHashBits);
  }

  /** The key of source p for kind k (the three bytes a copy from p would produce), or −1. */
  #sourceKey(k: number, p: number): number {
    const data = this.#data;
    const { transform, backward } = this.#kinds[k]!;
    if (backward) {
      if (p < 2) return -1;
      const a = data[p]!;
      const b = data[p - 1]!;
      const c = data[p - 2]!;
      return transform === null ? ChainedCopySearch.#hash(a, b, c) : ChainedCopySearch.#hash(transform[a]!, transform[b]!, transform[c]!);
    }
    if (p + 2 >= data.length) return -1;
    const a = data[p]!;
    const b = data[p + 1]!;
    const c = data[p + 2]!;
    return transform === null ? ChainedCopySearch.#hash(a, b, c) : ChainedCopySearch.#hash(transform[a]!, transform[b]!, transform[c]!);
  }

  /** Finds a long copy at i (sources before i) and records it in `matches`. */
  searchAt(i: number): void {
    const data = this.#data;
    const n = data.length;
    const kinds = this.#kinds;
    for (; this.#inserted < i; this.#inserted++) {
      for (let k = 0; k < kinds.length; k++) {
        const key = this.#sourceKey(k, this.#inserted);
        if (key < 0) continue;
        this.#previous[k]![this.#inserted] = this.#heads[k]![key]!;
        this.#heads[k]![key] = this.#inserted;
      }
    }
    if (i + 2 >= n) return;
    const key = ChainedCopySearch.#hash(data[i]!, data[i + 1]!, data[i + 2]!);
    const ceiling = Math.min(this.#maximumLength, n - i);
    let best = 0;
    for (let k = 0; k < kinds.length && best < ceiling; k++) {
      const { transform, backward } = kinds[k]!;
      const previous = this.#previous[k]!;
      let steps = this.#chainLimit;
      for (let p = this.#heads[k]![key]!; p >= 0 && steps > 0 && best < ceiling; p = previous[p]!, steps--) {
        if (i - p > this.#window) break;
        let length = 0;
        const reach = backward ? Math.min(ceiling, p + 1) : ceiling;
        while (length < reach) {
          const v = data[backward ? p - length : p + length]!;
          if ((transform === null ? v : transform[v]!) !== data[i + length]) break;
          length++;
        }
        if (length > best) {
          best = length;
          this.matches.kind[i] = k;
          this.matches.source[i] = p;
        }
      }
    }
    this.matches.length[i] = best;
  }
}
