/**
 * Index of fixed-width byte windows for the HAL match finders: for every window its first
 * occurrence and a chain to the next occurrence of the same bytes, in ascending order. Open
 * addressing over typed arrays; built once per compression (no allocation per byte).
 */

const emptySlot = -1;

export class WindowIndex {
  /** Number of bytes per window (3 or 4). */
  readonly width: number;
  readonly #bits: number;
  readonly #keys: Int32Array;
  readonly #first: Int32Array;
  readonly #last: Int32Array;
  /** next[w]: the next window position after w with the same bytes, or -1. */
  readonly next: Int32Array;

  /** Indexes the windows starting at 0 … `lastWindow` (inclusive; may be -1 for none). */
  constructor(data: Uint8Array, width: number, lastWindow: number) {
    this.width = width;
    const count = Math.max(0, lastWindow + 1);
    let bits = 4;
    while (1 << bits < count * 2) bits++;
    this.#bits = bits;
    this.#keys = new Int32Array(1 << bits);
    this.#first = new Int32Array(1 << bits).fill(emptySlot);
    this.#last = new Int32Array(1 << bits);
    this.next = new Int32Array(Math.max(1, count)).fill(emptySlot);
    for (let w = 0; w < count; w++) {
      const key = width === 4 ? keyAt4(data, w) : keyAt3(data, w);
      const slot = this.#slotFor(key);
      if (this.#first[slot] === emptySlot) {
        this.#keys[slot] = key;
        this.#first[slot] = w;
      } else {
        this.next[this.#last[slot]!] = w;
      }
      this.#last[slot] = w;
    }
  }

  #slotFor(key: number): number {
    const mask = (1 << this.#bits) - 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> (32 - this.#bits);
    while (this.#first[slot] !== emptySlot && this.#keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  /** First window position holding `key`, or -1. */
  first(key: number): number {
    return this.#first[this.#slotFor(key)]!;
  }
}

export function keyAt4(data: Uint8Array, i: number): number {
  return (data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!;
}

export function keyAt3(data: Uint8Array, i: number): number {
  return (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
}
