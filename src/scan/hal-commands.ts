/**
 * Commands no HAL encoder writes, the sign of a start out of step with a stream.
 *
 * Copy maximality: a HAL encoder's forward copy is as long as the match it found (inhal takes
 * the longest candidate at each position, greedy or in its shortest-path levels; see
 * shared/formats/hal.md), so the byte after a copy's source differs from the byte after its
 * destination unless the copy hit the 1,024-byte cap or the end of the output.
 *
 * A start inside a stream (or before it) that falls in step with its commands decodes the same
 * commands, but HAL copies name absolute output positions, so every copy lands on bytes shifted
 * by the difference in output before the readings met. The shifted copies still look like art
 * (a one-tile shift keeps tiles whole), yet many of them could now be extended by a byte: no
 * encoder wrote them. Literal runs: an encoder extends its pending literal run up to the cap,
 * so two literal commands in a row mean bytes read as commands (zero padding before a stream
 * reads as "literal: one 00" again and again). Over the planted fixtures (seeds 1–16), 348 of the 416 true streams had
 * none of the commands counted here and every stream above 3 came from our optimal `max` level
 * (at most 11, in 11 KiB streams); each wrongly chosen start had 3–24 extendable copies. The
 * scanner compares readings of one stream end with each other, never with a fixed bar.
 */
import { halEndOfStream, halKindForwardCopy, halLongCountLimit } from '../codecs/hal/common.js';

/**
 * Commands of the stream at `start` that no encoder writes, given `output`, the stream's decoded
 * output: forward copies (kind 4, and long-form kind 7 which decodes alike) that could have been
 * one byte longer, and literals that directly follow a literal short of the 1,024-byte cap (an
 * encoder extends its pending literal run; bytes before a stream in zero padding read as
 * "literal: one 00" again and again). The stream is walked again header by header; a stream
 * that does not fit `data` or `output` just ends the count where it stops making sense (the
 * decoder has already accepted it).
 */
export function nonEncoderHalCommands(data: Uint8Array, start: number, output: Uint8Array): number {
  let inPos = start;
  let outPos = 0;
  let found = 0;
  // Count of the previous command when it was a literal short of the cap, else 0.
  let openLiteral = 0;
  const n = data.length;
  const produced = output.length;
  // Each command consumes at least its header byte, so the walk advances.
  while (inPos < n && outPos < produced) {
    const b = data[inPos++]!;
    if (b === halEndOfStream) break;
    let kind: number;
    let count: number;
    if ((b & 0xe0) === 0xe0) {
      if (inPos >= n) break;
      kind = (b >> 2) & 7;
      count = (((b & 3) << 8) | data[inPos++]!) + 1;
    } else {
      kind = b >> 5;
      count = (b & 0x1f) + 1;
    }
    if (kind === 0 && openLiteral > 0) found++;
    openLiteral = kind === 0 && count < halLongCountLimit ? count : 0;
    switch (kind) {
      case 0:
        inPos += count;
        outPos += count;
        break;
      case 1:
      case 3:
        inPos += 1;
        outPos += count;
        break;
      case 2:
        inPos += 2;
        outPos += count * 2;
        break;
      default: {
        if (inPos + 1 >= n) return found;
        const source = (data[inPos]! << 8) | data[inPos + 1]!;
        inPos += 2;
        const isForward = kind === halKindForwardCopy || kind === 7;
        const next = outPos + count;
        if (isForward && count < halLongCountLimit && next < produced && source + count < produced && output[source + count] === output[next]) found++;
        outPos = next;
      }
    }
  }
  return found;
}
