/**
 * Every-offset HAL validation in one backward pass.
 *
 * Probing a HAL stream at each of 4 million offsets one by one costs a walk of hundreds of
 * commands per offset (random bytes only end at a 0xFF command byte), and in zero-filled areas
 * each walk runs until the 64 KiB output limit: quadratic. But the command sequence a walk
 * parses from position p does not depend on where the walk started — a command's length and
 * its start-independent checks (truncation, a copy past 0xFFFF, a backward copy below 0) depend
 * only on its own bytes. So the walks from all offsets form a forest of chains that merge, and
 * one pass from the end of the window computes, for every position p:
 *
 *   total[p]   output bytes of the stream starting at p (−1 when that stream is invalid),
 *   end[p]     where that stream's 0xFF terminator ends (packed length = end − p),
 *   need[p]    the least total output a start must have so that no copy in the chain reads
 *              output not yet written (see "strict" below).
 *
 * `total[p] ≥ 0` is exactly what `probeHal(bytes, p)` says (a test checks this at every offset).
 *
 * Strict validity: exhal decodes into a zeroed buffer, so a copy from a position not yet written
 * "works" and reads zeros; no encoder emits one (the game decodes into RAM that is not zeroed).
 * A copy command c at output position o(c) with source s is strict when s < o(c). For a start p,
 * o(c) = total[p] − rest(c), where rest(c) is the output from c to the end of the stream, so the
 * condition is total[p] ≥ s + 1 + rest(c); need[p] is the largest right side along the chain.
 * Random bytes parse as copies half of the time with 16-bit sources, so strict validity is what
 * removes almost all of the "clean" decodes exhal's sniff reports around a real stream.
 * Spec: hal.md (command table).
 */
import { maximumHalOutputSizeInBytes } from '../codecs/index.js';

/** The longest a valid HAL stream can be: 65,536 output bytes at the worst rate (a 4-byte long copy per byte), plus the terminator. */
export const maximumHalStreamSpanInBytes = 4 * maximumHalOutputSizeInBytes + 1;

const halEndOfStream = 0xff;

/**
 * For a window of offsets, the HAL stream that would start at each (its size and end): lets the
 * scanner test every offset in linear time.
 */
export interface HalChains {
  /** First position the arrays describe. */
  readonly windowStart: number;
  /** Output size of the stream at windowStart + i, or −1 when invalid. */
  readonly total: Int32Array;
  /** End (exclusive) of the stream at windowStart + i. */
  readonly end: Int32Array;
  /** Least total output for the stream at windowStart + i to be strict. */
  readonly need: Int32Array;
}

/**
 * Computes the chains for positions [start, windowEnd), where windowEnd is
 * min(bytes.length, stop + lookahead). With the default lookahead every valid stream starting
 * before `stop` ends inside the window, so its figures are exact; a caller that only wants
 * streams up to some packed length may pass that as the lookahead. Positions whose chain leaves
 * the window are marked invalid (longer than any stream the caller wants).
 */
export function computeHalChains(bytes: Uint8Array, start: number, stop: number, lookahead = maximumHalStreamSpanInBytes): HalChains {
  const windowEnd = Math.min(bytes.length, stop + lookahead);
  const length = Math.max(0, windowEnd - start);
  const total = new Int32Array(length);
  const end = new Int32Array(length);
  const need = new Int32Array(length);
  const dataEnd = bytes.length;
  const limit = maximumHalOutputSizeInBytes;
  for (let i = length - 1; i >= 0; i--) {
    const p = start + i;
    const b = bytes[p]!;
    if (b === halEndOfStream) {
      total[i] = 0;
      end[i] = p + 1;
      need[i] = 0;
      continue;
    }
    let q = p + 1;
    let kind: number;
    let count: number;
    if ((b & 0xe0) === 0xe0) {
      if (q >= dataEnd) {
        total[i] = -1;
        continue;
      }
      kind = (b >> 2) & 7;
      count = (((b & 3) << 8) | bytes[q]!) + 1;
      q++;
    } else {
      kind = b >> 5;
      count = (b & 0x1f) + 1;
    }
    let produced = count;
    let source = -1;
    switch (kind) {
      case 0:
        q += count;
        break;
      case 1:
      case 3:
        q += 1;
        break;
      case 2:
        produced = count * 2;
        q += 2;
        break;
      default: {
        if (q + 2 > dataEnd) {
          total[i] = -1;
          continue;
        }
        source = (bytes[q]! << 8) | bytes[q + 1]!;
        q += 2;
        if (kind === 6 ? source - (count - 1) < 0 : source + count > limit) {
          total[i] = -1;
          continue;
        }
      }
    }
    // Truncated operands, or a chain that leaves the window (longer than any valid stream).
    if (q > dataEnd || q >= windowEnd) {
      total[i] = -1;
      continue;
    }
    const j = q - start;
    const rest = total[j]!;
    if (rest < 0 || rest + produced > limit) {
      total[i] = -1;
      continue;
    }
    const here = rest + produced;
    total[i] = here;
    end[i] = end[j]!;
    const copyNeed = source >= 0 ? source + 1 + here : 0;
    const after = need[j]!;
    need[i] = copyNeed > after ? copyNeed : after;
  }
  return { windowStart: start, total, end, need };
}
