/**
 * Saxman's copies as encoders write them (sega.md §5.1). The ring starts zero-filled, so a copy
 * may read "before the start", and a decoder accepts any ring position there: code and data read
 * as a Saxman body decode, since most of a random copy's sources fall before the output when
 * the output is shorter than the 4 KiB ring. Encoders read before the start only to make a run of
 * zeros, and from one fixed place: mdcomp's saxcmp always from the farthest slot (distance
 * 0xFFF; fixtures/codecs/saxman/zeros_1k and runs_2k), romgfx's encoder from just before the
 * start (the copy ends at output 0). A copy from anywhere else before the start was not written
 * by a compressor. A random copy lands on one of those two slots about 2 times in 4,096.
 */

const ringSizeInBytes = 0x1000;
/** Output byte n sits at ring index (n + 0xFEE) mod 0x1000 (sega.md §5.1). */
const ringStartOffset = 0x12;
/** mdcomp's zero-run copies read from the farthest ring slot. */
const farthestDistanceInBytes = 0xfff;
const minimumCopyInBytes = 3;

/**
 * Whether every copy of the Saxman body `data[start, end)` (after its 2-byte size) that reads
 * before the output reads from a slot an encoder uses (see the module comment). The body is
 * assumed to have passed the codec's probe (it ends on a command boundary at `end`).
 */
export function saxmanCopiesAsEncodersWrite(data: Uint8Array, start: number, end: number): boolean {
  let inPos = start;
  let outPos = 0;
  while (inPos < end) {
    const descriptor = data[inPos++]!;
    for (let bit = 0; bit < 8 && inPos < end; bit++) {
      if (((descriptor >> bit) & 1) !== 0) {
        inPos++;
        outPos++;
        continue;
      }
      if (end - inPos < 2) return false;
      const lo = data[inPos]!;
      const hi = data[inPos + 1]!;
      inPos += 2;
      const length = (hi & 0x0f) + minimumCopyInBytes;
      const ringPosition = lo | ((hi & 0xf0) << 4);
      const back = (outPos - ringPosition - ringStartOffset) & (ringSizeInBytes - 1);
      const distance = back === 0 ? ringSizeInBytes : back;
      if (distance > outPos && distance !== farthestDistanceInBytes && distance !== outPos + length) return false;
      outPos += length;
    }
  }
  return true;
}
