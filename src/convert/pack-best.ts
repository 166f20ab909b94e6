/**
 * romgfx's own sub-palette packing: put colour sets (one per tile, colour 0 left out) into as
 * few bins of `capacity` colours as possible. This is bin packing where items share volume
 * (a colour common to two sets costs one slot), which is NP-hard; it is searched as follows:
 *
 * 1. Duplicate sets and sets contained in another are merged into their superset (they fit
 *    wherever it fits).
 * 2. Upper bound: the best of several greedy packings (largest set first into the bin it
 *    grows least; SuperFamiconv's last fit; any extra candidates the caller passes, e.g. the
 *    tools' own packings), each then improved by trying to empty every bin into the others.
 * 3. Lower bound: the larger of ⌈distinct colours / capacity⌉ and a greedy clique of sets no
 *    two of which fit together.
 * 4. While the bounds differ and there are at most `exactSearchMaximumSets` sets, a
 *    depth-first branch and bound tries k = lower … upper − 1 bins (sets in decreasing size,
 *    each into an open bin it fits or one new bin, so bin symmetry is cut), within a node
 *    budget. A packing it finds is optimal; when the budget runs out the greedy result stands.
 */

/** Most sets the exact search takes on (beyond this, greedy with improvement). */
export const exactSearchMaximumSets = 96;
/** Search nodes per tried bin count before the exact search gives up. */
export const exactSearchNodeBudget = 200_000;

/** A packing: for each bin, the indices of the sets in it. */
export type Packing = number[][];

interface Universe {
  readonly words: number;
  readonly masks: Uint32Array[];
  readonly sizes: number[];
  readonly colourCount: number;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function unionSize(a: Uint32Array, b: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) n += popcount((a[i]! | b[i]!) >>> 0);
  return n;
}

function orInto(target: Uint32Array, source: Uint32Array): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i]! | source[i]!) >>> 0;
}

function buildUniverse(sets: readonly (readonly number[])[]): Universe {
  const ids = new Map<number, number>();
  for (const set of sets) for (const c of set) if (!ids.has(c)) ids.set(c, ids.size);
  const words = Math.max(1, Math.ceil(ids.size / 32));
  const masks = sets.map((set) => {
    const mask = new Uint32Array(words);
    for (const c of set) {
      const id = ids.get(c)!;
      mask[id >> 5] = (mask[id >> 5]! | (1 << (id & 31))) >>> 0;
    }
    return mask;
  });
  return { words, masks, sizes: sets.map((s) => new Set(s).size), colourCount: ids.size };
}

function binMasks(universe: Universe, packing: Packing): Uint32Array[] {
  return packing.map((bin) => {
    const mask = new Uint32Array(universe.words);
    for (const s of bin) orInto(mask, universe.masks[s]!);
    return mask;
  });
}

/** Largest first, into the open bin whose colour count grows least (ties: lower bin). */
function bestFitDecreasing(universe: Universe, order: readonly number[], capacity: number): Packing {
  const bins: Packing = [];
  const masks: Uint32Array[] = [];
  for (const s of order) {
    let best = -1;
    let bestGrowth = Infinity;
    for (let b = 0; b < bins.length; b++) {
      const union = unionSize(masks[b]!, universe.masks[s]!);
      if (union > capacity) continue;
      const growth = union - unionSize(masks[b]!, masks[b]!);
      if (growth < bestGrowth) {
        bestGrowth = growth;
        best = b;
      }
    }
    if (best === -1) {
      bins.push([s]);
      masks.push(Uint32Array.from(universe.masks[s]!));
    } else {
      bins[best]!.push(s);
      orInto(masks[best]!, universe.masks[s]!);
    }
  }
  return bins;
}

/** Tries to empty each bin (fewest sets first) into the others; repeats while it helps. */
function improve(universe: Universe, packing: Packing, capacity: number): Packing {
  let bins = packing.map((b) => [...b]);
  for (let changed = true; changed && bins.length > 1; ) {
    changed = false;
    const order = bins.map((_, i) => i).sort((a, b) => bins[a]!.length - bins[b]!.length || a - b);
    for (const victim of order) {
      const masks = binMasks(universe, bins);
      const moves: [number, number][] = [];
      let ok = true;
      for (const s of [...bins[victim]!].sort((a, b) => universe.sizes[b]! - universe.sizes[a]!)) {
        let best = -1;
        let bestGrowth = Infinity;
        for (let b = 0; b < bins.length; b++) {
          if (b === victim) continue;
          const union = unionSize(masks[b]!, universe.masks[s]!);
          if (union > capacity) continue;
          const growth = union - unionSize(masks[b]!, masks[b]!);
          if (growth < bestGrowth) {
            bestGrowth = growth;
            best = b;
          }
        }
        if (best === -1) {
          ok = false;
          break;
        }
        orInto(masks[best]!, universe.masks[s]!);
        moves.push([s, best]);
      }
      if (!ok) continue;
      for (const [s, b] of moves) bins[b]!.push(s);
      bins = bins.filter((_, i) => i !== victim);
      changed = true;
      break;
    }
  }
  return bins;
}

/** Depth-first search for a packing into exactly `binCount` bins, or undefined (none, or budget spent). */
function exactPacking(universe: Universe, order: readonly number[], capacity: number, binCount: number): Packing | undefined {
  const masks = Array.from({ length: binCount }, () => new Uint32Array(universe.words));
  const counts = new Int32Array(binCount);
  const assignment = new Int32Array(order.length);
  let nodes = 0;
  let used = 0;
  const saved = Array.from({ length: order.length }, () => new Uint32Array(universe.words));
  const search = (depth: number): boolean => {
    if (depth === order.length) return true;
    if (++nodes > exactSearchNodeBudget) return false;
    const set = universe.masks[order[depth]!]!;
    const limit = Math.min(used + 1, binCount);
    for (let b = 0; b < limit; b++) {
      const union = unionSize(masks[b]!, set);
      if (union > capacity) continue;
      saved[depth]!.set(masks[b]!);
      orInto(masks[b]!, set);
      counts[b]!++;
      const opened = b === used;
      if (opened) used++;
      assignment[depth] = b;
      if (search(depth + 1)) return true;
      if (opened) used--;
      counts[b]!--;
      masks[b]!.set(saved[depth]!);
      if (nodes > exactSearchNodeBudget) return false;
    }
    return false;
  };
  if (!search(0)) return undefined;
  const bins: Packing = Array.from({ length: used }, () => []);
  order.forEach((s, i) => bins[assignment[i]!]!.push(s));
  return bins;
}

/** Greedy clique of sets that pairwise do not fit one bin: each needs a bin of its own. */
function cliqueBound(universe: Universe, order: readonly number[], capacity: number): number {
  const clique: number[] = [];
  for (const s of order) {
    if (clique.every((t) => unionSize(universe.masks[s]!, universe.masks[t]!) > capacity)) clique.push(s);
  }
  return clique.length;
}

/** Whether `packing` puts every set in bins of at most `capacity` colours. */
export function packingIsValid(sets: readonly (readonly number[])[], packing: Packing, capacity: number): boolean {
  const seen = new Set<number>();
  for (const bin of packing) {
    const colours = new Set<number>();
    for (const s of bin) {
      seen.add(s);
      for (const c of sets[s]!) colours.add(c);
    }
    if (colours.size > capacity) return false;
  }
  return sets.every((_, i) => seen.has(i));
}

/**
 * Packs `sets` (each at most `capacity` colours) into few bins; `candidates` are packings found
 * elsewhere (the tools' algorithms), used as starting upper bounds. Returns bins of set indices
 * covering every input set.
 */
export function packColourSets(sets: readonly (readonly number[])[], capacity: number, candidates: readonly Packing[] = []): Packing {
  if (sets.length === 0) return [];
  // 1. Merge duplicates and subsets into a representative superset.
  const universeAll = buildUniverse(sets);
  const bySize = sets.map((_, i) => i).sort((a, b) => universeAll.sizes[b]! - universeAll.sizes[a]! || a - b);
  const representatives: number[] = [];
  const representativeOf = new Int32Array(sets.length);
  for (const s of bySize) {
    const mask = universeAll.masks[s]!;
    const host = representatives.find((r) => unionSize(universeAll.masks[r]!, mask) === universeAll.sizes[r]!);
    if (host === undefined) {
      representativeOf[s] = s;
      representatives.push(s);
    } else representativeOf[s] = host;
  }
  const universe = universeAll;
  const order = representatives; // decreasing size
  const expand = (packing: Packing): Packing => {
    const binOf = new Map<number, number>();
    packing.forEach((bin, b) => bin.forEach((r) => binOf.set(r, b)));
    const bins: Packing = packing.map(() => []);
    for (let s = 0; s < sets.length; s++) bins[binOf.get(representativeOf[s]!)!]!.push(s);
    return bins.filter((b) => b.length > 0);
  };
  // 2. Upper bound.
  let best = improve(universe, bestFitDecreasing(universe, order, capacity), capacity);
  for (const candidate of candidates) {
    if (!packingIsValid(sets, candidate, capacity)) continue;
    const reduced: Packing = candidate.map((bin) => [...new Set(bin.map((s) => representativeOf[s]!))]);
    // A representative may sit in several bins of a candidate; keep its first.
    const placed = new Set<number>();
    const clean = reduced.map((bin) => bin.filter((r) => (placed.has(r) ? false : (placed.add(r), true)))).filter((b) => b.length > 0);
    const improved = improve(universe, clean, capacity);
    if (improved.length < best.length) best = improved;
  }
  // 3. Lower bound.
  const lower = Math.max(Math.ceil(universe.colourCount / capacity), cliqueBound(universe, order, capacity), 1);
  // 4. Exact search below the upper bound.
  if (best.length > lower && order.length <= exactSearchMaximumSets) {
    for (let k = lower; k < best.length; k++) {
      const found = exactPacking(universe, order, capacity, k);
      if (found) {
        best = found;
        break;
      }
    }
  }
  return expand(best);
}
