/**
 * Kosinski encoders (sega.md §2.6).
 *
 * `max`: an optimal parse. At every position the longest match within 256 bytes (for the inline
 * form, lengths 2..5) and the longest within the 8 KiB window (full forms, 3..256) are found;
 * a backward dynamic program then picks, per position, a literal (9 bits) or a match of any
 * length up to those, by exact cost in bits: inline 12, short 18, extended 26 (one control bit
 * per command bit, 16 to a descriptor). Only the last descriptor's rounding is outside the model.
 *
 * `accurate`: Sega's greedy compressor as accurate-kosinski reproduces it: nearest longest match
 * up to 0xFD bytes within 0x2000 − 0xFD, its form choice, a `00 F0 01` no-op before the first
 * command at or past each 0xA000 bytes of input, and zero padding to a multiple of 16 bytes.
 */
import { CodecOptionError } from '../../errors.js';
import type { CompressOptions } from '../types.js';

/** Levels `compress` accepts: the Sega-identical stream, then the smallest. */
export const kosinskiLevels: readonly string[] = ['accurate', 'max'];

const windowSizeInBytes = 0x2000;
const inlineWindowSizeInBytes = 0x100;
const maximumMatchLength = 0x100;
const literalCostInBits = 9;
const inlineCostInBits = 12;
const shortCostInBits = 18;
const extendedCostInBits = 26;

/** Writes Kosinski commands: control bits into 16-bit descriptors placed ahead of their bytes. */
export class KosinskiWriter {
  #bytes: Uint8Array;
  #length = 2;
  #descriptorAt = 0;
  #descriptor = 0;
  #bitCount = 0;
  constructor(expectedSizeInBytes: number) {
    this.#bytes = new Uint8Array(Math.max(32, expectedSizeInBytes));
  }
  /** One control bit; a full descriptor is stored and the next one reserved at once (§2.2). */
  bit(value: number): void {
    this.#descriptor |= value << this.#bitCount;
    if (++this.#bitCount === 16) {
      this.#bytes[this.#descriptorAt] = this.#descriptor & 0xff;
      this.#bytes[this.#descriptorAt + 1] = this.#descriptor >>> 8;
      this.#room(2);
      this.#descriptorAt = this.#length;
      this.#length += 2;
      this.#descriptor = 0;
      this.#bitCount = 0;
    }
  }
  /** One operand byte, after the control bits of its command. */
  byte(value: number): void {
    this.#room(1);
    this.#bytes[this.#length++] = value;
  }
  /** A literal: control bit 1, then the byte. */
  literal(value: number): void {
    this.bit(1);
    this.byte(value);
  }
  /** A match of `length` bytes from `distance` back, in the form the caller chose. */
  match(distance: number, length: number, inline: boolean): void {
    if (inline) {
      this.bit(0);
      this.bit(0);
      this.bit((length - 2) >>> 1);
      this.bit((length - 2) & 1);
      this.byte((0x100 - distance) & 0xff);
      return;
    }
    const value = windowSizeInBytes - distance;
    this.bit(0);
    this.bit(1);
    this.byte(value & 0xff);
    if (length <= 9) {
      this.byte(((value >>> 8) << 3) | (length - 2));
    } else {
      this.byte((value >>> 8) << 3);
      this.byte(length - 1);
    }
  }
  /** `00 F0 01`: Sega's no-op marker. */
  noOp(): void {
    this.bit(0);
    this.bit(1);
    this.byte(0x00);
    this.byte(0xf0);
    this.byte(0x01);
  }
  /** The terminator, the last descriptor stored; the stream bytes. */
  finish(): Uint8Array {
    this.bit(0);
    this.bit(1);
    this.byte(0x00);
    this.byte(0xf0);
    this.byte(0x00);
    this.#bytes[this.#descriptorAt] = this.#descriptor & 0xff;
    this.#bytes[this.#descriptorAt + 1] = this.#descriptor >>> 8;
    return this.#bytes.slice(0, this.#length);
  }
  #room(extra: number): void {
    if (this.#length + extra <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + extra));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }
}

const hashBits = 16;
/**
 * Hash-chain steps for the whole input, spread per position (at least the 256 nearest
 * candidates, at most the whole window): inputs of a few KiB are searched exhaustively.
 */
const chainStepBudget = 1 << 25;
const minimumChainStepsPerPosition = 256;

/** Longest match within `inlineWindowSizeInBytes` (up to 5) and within the window (up to 256). */
function findMatches(data: Uint8Array): { nearLength: Uint8Array; nearDistance: Uint16Array; farLength: Uint16Array; farDistance: Uint16Array } {
  const n = data.length;
  const nearLength = new Uint8Array(n);
  const nearDistance = new Uint16Array(n);
  const farLength = new Uint16Array(n);
  const farDistance = new Uint16Array(n);
  for (let i = 1; i + 2 <= n; i++) {
    const ceiling = Math.min(5, n - i);
    const a = data[i]!;
    const b = data[i + 1]!;
    let best = 1;
    let bestDistance = 0;
    const reach = Math.min(i, inlineWindowSizeInBytes);
    for (let d = 1; d <= reach && best < ceiling; d++) {
      if (data[i - d] !== a || data[i - d + 1] !== b) continue;
      let length = 2;
      while (length < ceiling && data[i - d + length] === data[i + length]) length++;
      if (length > best) {
        best = length;
        bestDistance = d;
      }
    }
    if (best >= 2) {
      nearLength[i] = best;
      nearDistance[i] = bestDistance;
    }
  }
  const head = new Int32Array(1 << hashBits).fill(-1);
  const previous = new Int32Array(n).fill(-1);
  const chainSteps = Math.max(minimumChainStepsPerPosition, Math.min(windowSizeInBytes, Math.floor(chainStepBudget / Math.max(1, n))));
  let carriedLength = 0;
  let carriedDistance = 0;
  for (let i = 0; i + 3 <= n; i++) {
    const ceiling = Math.min(maximumMatchLength, n - i);
    let best = 0;
    let bestDistance = 0;
    // The previous position's match, one byte shorter, still holds here at the same distance.
    if (carriedLength > 3) {
      best = carriedLength - 1;
      bestDistance = carriedDistance;
      while (best < ceiling && data[i + best] === data[i + best - bestDistance]) best++;
    }
    const hash = (Math.imul((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!, 0x9e3779b1) >>> (32 - hashBits)) | 0;
    let steps = chainSteps;
    for (let p = head[hash]!; p >= 0 && i - p <= windowSizeInBytes && best < ceiling && steps > 0; p = previous[p]!, steps--) {
      if (data[p + best] !== data[i + best]) continue;
      let length = 0;
      while (length < ceiling && data[p + length] === data[i + length]) length++;
      if (length > best) {
        best = length;
        bestDistance = i - p;
      }
    }
    previous[i] = head[hash]!;
    head[hash] = i;
    if (best >= 3) {
      farLength[i] = best;
      farDistance[i] = bestDistance;
    }
    carriedLength = best;
    carriedDistance = bestDistance;
  }
  return { nearLength, nearDistance, farLength, farDistance };
}

/** The optimal parse (see the module comment) written as one Kosinski stream. */
export function encodeKosinskiMax(data: Uint8Array): Uint8Array {
  const n = data.length;
  const { nearLength, nearDistance, farLength, farDistance } = findMatches(data);
  const cost = new Float64Array(n + 1);
  // Chosen length per position; negative = inline form.
  const choice = new Int16Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let best = literalCostInBits + cost[i + 1]!;
    let bestChoice = 1;
    const near = nearLength[i]!;
    for (let length = 2; length <= near; length++) {
      const c = inlineCostInBits + cost[i + length]!;
      if (c < best) {
        best = c;
        bestChoice = -length;
      }
    }
    const far = farLength[i]!;
    for (let length = 3; length <= far; length++) {
      const c = (length <= 9 ? shortCostInBits : extendedCostInBits) + cost[i + length]!;
      if (c < best) {
        best = c;
        bestChoice = length;
      }
    }
    cost[i] = best;
    choice[i] = bestChoice;
  }
  const writer = new KosinskiWriter(Math.ceil(cost[0]! / 8) + 16);
  for (let i = 0; i < n; ) {
    const c = choice[i]!;
    if (c === 1) {
      writer.literal(data[i]!);
      i++;
    } else if (c < 0) {
      writer.match(nearDistance[i]!, -c, true);
      i -= c;
    } else {
      writer.match(farDistance[i]!, c, false);
      i += c;
    }
  }
  return writer.finish();
}

/** Sega's match length cap and search reach (accurate-kosinski keeps both quirks). */
const segaMaximumMatchLength = 0xfd;
const segaMaximumDistance = windowSizeInBytes - segaMaximumMatchLength;
const segaNoOpIntervalInBytes = 0xa000;
const segaPaddingInBytes = 16;

/**
 * What Sega's match search reads at input position `q` (the `current` or `source` side of a
 * comparison that started at `base`). The compressor streams the file through a 0x2000-byte
 * ring buffer with a 0xFC-byte spill copy of its start, so comparisons never wrap. Inside the
 * file that is the file's byte; past its end (the search always compares 0xFD bytes, sega.md
 * §2.6) it is whatever the slot last held: the byte 0x2000 earlier, or zero if none was ever
 * stored there. The spill copy is only written for bytes from 0x2000 on, so a comparison that
 * crossed into it reads zero below 0x4000.
 */
function segaRingByte(data: Uint8Array, base: number, q: number): number {
  if (q < data.length) return data[q]!;
  const crossedIntoSpill = Math.floor(q / windowSizeInBytes) > Math.floor(base / windowSizeInBytes);
  const older = q - windowSizeInBytes;
  if (crossedIntoSpill) return older >= windowSizeInBytes ? data[older]! : 0;
  return older >= 0 ? data[older]! : 0;
}

/** Sega's greedy stream (see the module comment); `pad` adds the zero padding to 16 bytes. */
export function encodeKosinskiAccurate(data: Uint8Array, pad: boolean): Uint8Array {
  const n = data.length;
  const writer = new KosinskiWriter(n + (n >>> 3) + 32);
  // Exact 2-byte chains: every source that can give a match of 2 or more, nearest first.
  const head = new Int32Array(0x10000).fill(-1);
  const previous = new Int32Array(n).fill(-1);
  let chained = 0;
  let nextNoOp = segaNoOpIntervalInBytes;
  for (let i = 0; i < n; ) {
    if (i >= nextNoOp) {
      writer.noOp();
      nextNoOp += segaNoOpIntervalInBytes;
    }
    for (; chained < i && chained + 1 < n; chained++) {
      const key = (data[chained]! << 8) | data[chained + 1]!;
      previous[chained] = head[key]!;
      head[key] = chained;
    }
    const reach = Math.min(i, segaMaximumDistance);
    let best = 0;
    let bestDistance = 0;
    if (i + segaMaximumMatchLength <= n) {
      if (i + 1 < n) {
        const key = (data[i]! << 8) | data[i + 1]!;
        for (let p = head[key]!; p >= 0 && i - p <= reach && best < segaMaximumMatchLength; p = previous[p]!) {
          if (data[p + best] !== data[i + best]) continue;
          let length = 2;
          while (length < segaMaximumMatchLength && data[p + length] === data[i + length]) length++;
          if (length > best) {
            best = length;
            bestDistance = i - p;
          }
        }
      }
    } else {
      // Near the end the search reads past the input (segaRingByte), which can change which
      // distance wins; the length is clamped to what is left afterwards.
      for (let d = 1; d <= reach && best < segaMaximumMatchLength; d++) {
        let length = 0;
        while (length < segaMaximumMatchLength && segaRingByte(data, i - d, i - d + length) === segaRingByte(data, i, i + length)) length++;
        if (length > best) {
          best = length;
          bestDistance = d;
        }
      }
      best = Math.min(best, n - i);
    }
    if (best >= 2 && best <= 5 && bestDistance < inlineWindowSizeInBytes) {
      writer.match(bestDistance, best, true);
      i += best;
    } else if (best >= 3) {
      writer.match(bestDistance, best, false);
      i += best;
    } else {
      writer.literal(data[i]!);
      i++;
    }
  }
  const stream = writer.finish();
  if (!pad || stream.length % segaPaddingInBytes === 0) return stream;
  const padded = new Uint8Array(stream.length + segaPaddingInBytes - (stream.length % segaPaddingInBytes));
  padded.set(stream);
  return padded;
}

/** Compresses to Kosinski at level `max` (default) or `accurate`. */
export function compressKosinski(data: Uint8Array, options: CompressOptions = {}): Uint8Array {
  const level = options.level === undefined ? 'max' : String(options.level);
  if (!kosinskiLevels.includes(level)) throw new CodecOptionError('kosinski', `unknown level "${level}"; levels: ${kosinskiLevels.join(', ')}`, { level });
  return level === 'accurate' ? encodeKosinskiAccurate(data, true) : encodeKosinskiMax(data);
}
