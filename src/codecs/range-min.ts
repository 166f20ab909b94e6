/**
 * Range-minimum queries over a value array that is filled from right to left, as in a
 * backward dynamic program: once `values[i]` is final, `commit(i)` makes every range starting
 * at i answerable in O(1). Positions step by `stride` (2 answers "every other position", for
 * HAL word fills whose lengths are even). A sparse table of argmin indices; on equal values the
 * higher index (the longer command) wins.
 */
export class IncrementalRangeMin {
  readonly #values: Int32Array;
  readonly #stride: number;
  readonly #size: number;
  /** levels[k][i]: index of the minimum of values[i], values[i+s], …, values[i+(2^k−1)s]. */
  readonly #levels: Int32Array[];

  constructor(values: Int32Array, maximumSpanInSteps: number, stride = 1) {
    this.#values = values;
    this.#stride = stride;
    this.#size = values.length;
    let levelCount = 1;
    while (1 << (levelCount - 1) < maximumSpanInSteps) levelCount++;
    this.#levels = [];
    for (let k = 0; k < levelCount; k++) this.#levels.push(new Int32Array(values.length));
  }

  #better(a: number, b: number): number {
    const va = this.#values[a]!;
    const vb = this.#values[b]!;
    return vb < va || (vb === va && b > a) ? b : a;
  }

  /** values[i] is final and every position after it has been committed. */
  commit(i: number): void {
    const levels = this.#levels;
    levels[0]![i] = i;
    for (let k = 1; k < levels.length; k++) {
      const half = (1 << (k - 1)) * this.#stride;
      // The level-k entry exists only when its whole span lies inside the array.
      if (i + 2 * half - this.#stride >= this.#size) break;
      levels[k]![i] = this.#better(levels[k - 1]![i]!, levels[k - 1]![i + half]!);
    }
  }

  /** Index of the minimum over first, first+stride, …, last (same residue; first ≤ last). */
  argmin(first: number, last: number): number {
    const steps = (last - first) / this.#stride + 1;
    const k = 31 - Math.clz32(steps);
    const level = this.#levels[k]!;
    return this.#better(level[first]!, level[last - ((1 << k) - 1) * this.#stride]!);
  }
}
