/**
 * HAL level `max`: a true optimal parse.
 *
 * cost[i] = the fewest bytes that encode data[i..n) given data[0..i) already output, over every
 * command the format allows at i:
 * - a literal run of any length 1…1,024 (1-byte header up to 32 bytes, 2-byte from 33);
 * - a byte or counting fill of any length 2…run (counting fills wrap at 0xFF, as the decoder
 *   does), a word fill of any 2…1,024 words;
 * - a forward, bit-reversed or backward copy of any length 3…longest, from any earlier position.
 * A command's size depends only on its kind and whether its count exceeds 32 (copy sources are
 * absolute 16-bit positions, so every source costs the same), so for each kind only the longest
 * possible length matters: every shorter length is available from the same source. The minimum
 * of cost[i+L] over each cost bracket of L comes from range-minimum tables built right to left.
 * Shorter commands are never strictly better than a literal (fill of 1, word fill of 1, copy of
 * 1–2), so they are left out. Copies only read positions already written (never exhal's
 * zero-filled future), so any decoder produces the same bytes.
 *
 * The result is never larger than `inhal -4`: every stream inhal can emit is one of the
 * command sequences this minimises over.
 */
import { IncrementalRangeMin } from '../range-min.js';
import {
  halKindByteFill,
  halKindCountingFill,
  halKindLiteral,
  halKindWordFill,
  halLongCountLimit,
  halShortCountLimit,
  maximumHalPackedSizeInBytes,
  writeHalCommandHeader,
} from './common.js';
import { checkHalInputSize } from './encode.js';
import { findCopyMatches } from './suffix-matches.js';
import { HalPackedTooLargeError } from '../../errors.js';

const minimumCopyLengthInBytes = 3;
const minimumFillLengthInBytes = 2;
const minimumWordFillLengthInWords = 2;

/** Encodes `data` (≤ 65,536 bytes) into the smallest HAL stream. */
export function encodeHalOptimal(data: Uint8Array): Uint8Array {
  checkHalInputSize(data);
  const n = data.length;
  const copies = findCopyMatches(data, false);

  // Run lengths from each position, computed right to left (capped at what one command holds).
  const byteRun = new Int32Array(n + 1);
  const countingRun = new Int32Array(n + 1);
  const wordRunInBytes = new Int32Array(n + 2);
  for (let i = n - 1; i >= 0; i--) {
    const v = data[i]!;
    byteRun[i] = i + 1 < n && data[i + 1] === v ? Math.min(byteRun[i + 1]! + 1, halLongCountLimit) : 1;
    countingRun[i] = i + 1 < n && data[i + 1] === ((v + 1) & 0xff) ? Math.min(countingRun[i + 1]! + 1, halLongCountLimit) : 1;
    if (i + 1 < n) {
      wordRunInBytes[i] =
        i + 3 < n && data[i + 2] === v && data[i + 3] === data[i + 1] ? Math.min(wordRunInBytes[i + 2]! + 2, 2 * halLongCountLimit) : 2;
    }
  }

  const cost = new Int32Array(n + 1);
  // literalKey[j] = cost[j] + j: a literal run i → j costs header + (j − i) + cost[j].
  const literalKey = new Int32Array(n + 1);
  const costMin = new IncrementalRangeMin(cost, halLongCountLimit);
  const costMinEven = new IncrementalRangeMin(cost, halLongCountLimit, 2);
  const literalMin = new IncrementalRangeMin(literalKey, halLongCountLimit);
  const choiceKind = new Uint8Array(n);
  const choiceLength = new Int32Array(n);
  cost[n] = 0;
  literalKey[n] = n;
  costMin.commit(n);
  costMinEven.commit(n);
  literalMin.commit(n);

  for (let i = n - 1; i >= 0; i--) {
    const remaining = n - i;
    let bestCost = 0x7fffffff;
    let bestKind = halKindLiteral;
    let bestLength = 1;

    // Literal runs: short header for 1…32 bytes, long header for 33…1,024.
    let j = literalMin.argmin(i + 1, i + Math.min(halShortCountLimit, remaining));
    let c = 1 + literalKey[j]! - i;
    if (c < bestCost) {
      bestCost = c;
      bestLength = j - i;
    }
    if (remaining > halShortCountLimit) {
      j = literalMin.argmin(i + halShortCountLimit + 1, i + Math.min(halLongCountLimit, remaining));
      c = 2 + literalKey[j]! - i;
      if (c < bestCost) {
        bestCost = c;
        bestLength = j - i;
      }
    }

    // Byte and counting fills cost the same; the longer one offers every length the other does.
    const byteLength = byteRun[i]!;
    const countingLength = countingRun[i]!;
    const fillLength = Math.max(byteLength, countingLength);
    if (fillLength >= minimumFillLengthInBytes) {
      const fillKind = byteLength >= countingLength ? halKindByteFill : halKindCountingFill;
      j = costMin.argmin(i + minimumFillLengthInBytes, i + Math.min(halShortCountLimit, fillLength));
      c = 2 + cost[j]!;
      if (c < bestCost) {
        bestCost = c;
        bestKind = fillKind;
        bestLength = j - i;
      }
      if (fillLength > halShortCountLimit) {
        j = costMin.argmin(i + halShortCountLimit + 1, i + fillLength);
        c = 3 + cost[j]!;
        if (c < bestCost) {
          bestCost = c;
          bestKind = fillKind;
          bestLength = j - i;
        }
      }
    }

    // Word fills: even lengths only, 3 bytes up to 32 words, 4 beyond.
    const words = wordRunInBytes[i]! >> 1;
    if (words >= minimumWordFillLengthInWords) {
      j = costMinEven.argmin(i + 2 * minimumWordFillLengthInWords, i + 2 * Math.min(halShortCountLimit, words));
      c = 3 + cost[j]!;
      if (c < bestCost) {
        bestCost = c;
        bestKind = halKindWordFill;
        bestLength = j - i;
      }
      if (words > halShortCountLimit) {
        j = costMinEven.argmin(i + 2 * (halShortCountLimit + 1), i + 2 * words);
        c = 4 + cost[j]!;
        if (c < bestCost) {
          bestCost = c;
          bestKind = halKindWordFill;
          bestLength = j - i;
        }
      }
    }

    // Copies: 3 bytes up to 32, 4 beyond; the longest copy of any kind offers every shorter length.
    const copyLength = copies.length[i]!;
    if (copyLength >= minimumCopyLengthInBytes) {
      const copyKind = copies.kind[i]!;
      j = costMin.argmin(i + minimumCopyLengthInBytes, i + Math.min(halShortCountLimit, copyLength));
      c = 3 + cost[j]!;
      if (c < bestCost) {
        bestCost = c;
        bestKind = copyKind;
        bestLength = j - i;
      }
      if (copyLength > halShortCountLimit) {
        j = costMin.argmin(i + halShortCountLimit + 1, i + copyLength);
        c = 4 + cost[j]!;
        if (c < bestCost) {
          bestCost = c;
          bestKind = copyKind;
          bestLength = j - i;
        }
      }
    }

    cost[i] = bestCost;
    literalKey[i] = bestCost + i;
    choiceKind[i] = bestKind;
    choiceLength[i] = bestLength;
    costMin.commit(i);
    costMinEven.commit(i);
    literalMin.commit(i);
  }

  const packedLength = cost[0]! + 1;
  if (packedLength > maximumHalPackedSizeInBytes) throw new HalPackedTooLargeError(packedLength, maximumHalPackedSizeInBytes);
  const out = new Uint8Array(packedLength);
  let position = 0;
  for (let i = 0; i < n; ) {
    const kind = choiceKind[i]!;
    const length = choiceLength[i]!;
    switch (kind) {
      case halKindLiteral:
        position = writeHalCommandHeader(out, position, kind, length);
        out.set(data.subarray(i, i + length), position);
        position += length;
        break;
      case halKindByteFill:
      case halKindCountingFill:
        position = writeHalCommandHeader(out, position, kind, length);
        out[position++] = data[i]!;
        break;
      case halKindWordFill:
        position = writeHalCommandHeader(out, position, kind, length >> 1);
        out[position++] = data[i]!;
        out[position++] = data[i + 1]!;
        break;
      default: {
        // A prefix of the longest copy: for a backward copy the source is where it starts reading.
        const source = copies.source[i]!;
        position = writeHalCommandHeader(out, position, kind, length);
        out[position++] = source >> 8;
        out[position++] = source & 0xff;
        break;
      }
    }
    i += length;
  }
  out[position++] = 0xff;
  return out;
}
