/**
 * A growable byte buffer for patch encoders: appends without a per-byte allocation, doubles its
 * backing store when full, and hands back a right-sized copy at the end.
 */
export class ByteWriter {
  #bytes: Uint8Array;
  #length = 0;

  constructor(initialCapacityInBytes = 4096) {
    this.#bytes = new Uint8Array(Math.max(16, initialCapacityInBytes));
  }

  get length(): number {
    return this.#length;
  }

  #reserve(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#bytes.length) return;
    let capacity = this.#bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }

  byte(value: number): void {
    this.#reserve(1);
    this.#bytes[this.#length++] = value & 0xff;
  }

  bytes(chunk: Uint8Array): void {
    this.#reserve(chunk.length);
    this.#bytes.set(chunk, this.#length);
    this.#length += chunk.length;
  }

  u16be(value: number): void {
    this.#reserve(2);
    this.#bytes[this.#length++] = (value >>> 8) & 0xff;
    this.#bytes[this.#length++] = value & 0xff;
  }

  u24be(value: number): void {
    this.#reserve(3);
    this.#bytes[this.#length++] = (value >>> 16) & 0xff;
    this.#bytes[this.#length++] = (value >>> 8) & 0xff;
    this.#bytes[this.#length++] = value & 0xff;
  }

  u32le(value: number): void {
    this.#reserve(4);
    this.#bytes[this.#length++] = value & 0xff;
    this.#bytes[this.#length++] = (value >>> 8) & 0xff;
    this.#bytes[this.#length++] = (value >>> 16) & 0xff;
    this.#bytes[this.#length++] = (value >>> 24) & 0xff;
  }

  /** A view of what has been written so far (valid until the next append). */
  view(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  /** A right-sized copy of what has been written. */
  finish(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }
}
