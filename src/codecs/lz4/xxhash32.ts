/** xxHash32 (the checksum of the LZ4 frame format), over a byte range, with 32-bit integer math. */

const prime1 = 0x9e3779b1;
const prime2 = 0x85ebca77;
const prime3 = 0xc2b2ae3d;
const prime4 = 0x27d4eb2f;
const prime5 = 0x165667b1;

function rotl(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

function lane(bytes: Uint8Array, i: number): number {
  return bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
}

function round(accumulator: number, input: number): number {
  return Math.imul(rotl((accumulator + Math.imul(input, prime2)) | 0, 13), prime1);
}

/** XXH32 of `bytes[start, end)` with `seed`: the checksum LZ4 frames use for their header, blocks and content. */
export function xxhash32(bytes: Uint8Array, start = 0, end = bytes.length, seed = 0): number {
  const length = end - start;
  let i = start;
  let h: number;
  if (length >= 16) {
    let v1 = (seed + prime1 + prime2) | 0;
    let v2 = (seed + prime2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - prime1) | 0;
    const limit = end - 16;
    while (i <= limit) {
      v1 = round(v1, lane(bytes, i));
      v2 = round(v2, lane(bytes, i + 4));
      v3 = round(v3, lane(bytes, i + 8));
      v4 = round(v4, lane(bytes, i + 12));
      i += 16;
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    h = (seed + prime5) | 0;
  }
  h = (h + length) | 0;
  while (i + 4 <= end) {
    h = Math.imul(rotl((h + Math.imul(lane(bytes, i), prime3)) | 0, 17), prime4);
    i += 4;
  }
  while (i < end) {
    h = Math.imul(rotl((h + Math.imul(bytes[i]!, prime5)) | 0, 11), prime1);
    i++;
  }
  h ^= h >>> 15;
  h = Math.imul(h, prime2);
  h ^= h >>> 13;
  h = Math.imul(h, prime3);
  h ^= h >>> 16;
  return h >>> 0;
}
