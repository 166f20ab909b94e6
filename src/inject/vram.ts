/**
 * Whether a GBA LZ77 stream (BIOS type 0x10) is VRAM-safe: the BIOS's LZ77UnCompVram writes
 * 16 bits at a time, so a copy from distance 1 reads a byte it has not written yet (GBATEK,
 * "BIOS Decompression Functions"). A game that decodes a block straight to VRAM stores it without
 * distance-1 copies; keeping a re-encoded block that way keeps it decodable there. This walks the
 * tokens only (no output), of a stream the caller has already decoded successfully.
 */
import { gbaBiosHeaderSizeInBytes } from '../codecs/gba/header.js';

/** True when the LZ77 stream at `offset` contains a copy with distance 1. False for anything else, including a malformed stream. */
export function lz77UsesDistanceOne(bytes: Uint8Array, offset: number): boolean {
  if (offset < 0 || offset + gbaBiosHeaderSizeInBytes > bytes.length || bytes[offset] !== 0x10) return false;
  const size = bytes[offset + 1]! | (bytes[offset + 2]! << 8) | (bytes[offset + 3]! << 16);
  let inPos = offset + gbaBiosHeaderSizeInBytes;
  let outPos = 0;
  // Every token moves outPos forward by at least 1 (a literal) or 3 (a copy), so the loop ends.
  while (outPos < size && inPos < bytes.length) {
    const flags = bytes[inPos++]!;
    for (let bit = 7; bit >= 0 && outPos < size; bit--) {
      if ((flags & (1 << bit)) === 0) {
        inPos++;
        outPos++;
        continue;
      }
      if (inPos + 2 > bytes.length) return false;
      const b0 = bytes[inPos]!;
      if (((b0 & 0xf) | bytes[inPos + 1]!) === 0) return true;
      outPos += (b0 >> 4) + 3;
      inPos += 2;
    }
  }
  return false;
}
