/**
 * Longest-match search for the small-window LZSS formats of src/codecs/sega (Saxman over bytes;
 * Comper and LZ4W over 16-bit words). Hash chains over the first `minimumLength` units, walked
 * nearest first within the window under a work budget, as the GBA LZ encoders do
 * (src/codecs/gba/lz.ts). Every length from the minimum up to the longest is also a match at
 * the same distance, which is all an optimal parse with distance-independent costs needs.
 */

/** The longest match found at each position (0 when under the minimum) and its distance, in units. */
export interface LongestMatches {
  length: Int32Array;
  distance: Int32Array;
}

const hashBits = 16;
/** Chain steps for the whole input, spread over its positions (see gba/lz.ts for why a budget). */
const chainStepBudgetForWholeInput = 1 << 26;
const minimumChainStepsPerPosition = 256;

/** Input units: bytes, or 16-bit words already assembled big-endian. */
export type LzUnits = Uint8Array | Uint16Array;

/** Big-endian 16-bit words of `data` (a trailing odd byte is left out). */
export function bigEndianWords(data: Uint8Array): Uint16Array {
  const count = data.length >> 1;
  const words = new Uint16Array(count);
  for (let i = 0; i < count; i++) words[i] = (data[2 * i]! << 8) | data[2 * i + 1]!;
  return words;
}

function hashAt(units: LzUnits, i: number, minimumLength: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < minimumLength; k++) h = Math.imul(h ^ units[i + k]!, 0x9e3779b1);
  return (h >>> (32 - hashBits)) | 0;
}

/**
 * For every position, the longest match of `minimumLength`…`maximumLength` units starting at
 * most `windowInUnits` back (nearest source on ties). `chainStepsPerPosition` caps the chain
 * walk (default: the budget spread over the input, at least 256 steps).
 */
export function findLongestMatches(units: LzUnits, windowInUnits: number, minimumLength: number, maximumLength: number, chainStepsPerPosition?: number): LongestMatches {
  const n = units.length;
  const length = new Int32Array(n);
  const distance = new Int32Array(n);
  const head = new Int32Array(1 << hashBits).fill(-1);
  const previous = new Int32Array(n).fill(-1);
  const chainSteps =
    chainStepsPerPosition ?? Math.max(minimumChainStepsPerPosition, Math.min(windowInUnits, Math.floor(chainStepBudgetForWholeInput / Math.max(1, n))));
  let carriedLength = 0;
  let carriedDistance = 0;
  for (let i = 0; i + minimumLength <= n; i++) {
    const ceiling = Math.min(maximumLength, n - i);
    let best = 0;
    let bestDistance = 0;
    // The previous position's match, one unit shorter, is still a match here at the same distance.
    if (carriedLength > minimumLength) {
      best = Math.min(carriedLength - 1, ceiling);
      bestDistance = carriedDistance;
      while (best < ceiling && units[i + best] === units[i + best - bestDistance]) best++;
    }
    const hash = hashAt(units, i, minimumLength);
    let steps = chainSteps;
    for (let p = head[hash]!; p >= 0 && i - p <= windowInUnits && best < ceiling && steps > 0; p = previous[p]!, steps--) {
      if (units[p + best] !== units[i + best]) continue;
      let size = 0;
      while (size < ceiling && units[p + size] === units[i + size]) size++;
      const d = i - p;
      if (size > best || (size === best && d < bestDistance)) {
        best = size;
        bestDistance = d;
      }
    }
    previous[i] = head[hash]!;
    head[hash] = i;
    if (best >= minimumLength) {
      length[i] = best;
      distance[i] = bestDistance;
    }
    carriedLength = best;
    carriedDistance = bestDistance;
  }
  return { length, distance };
}
