/**
 * CRC-32 (ISO-HDLC: the PNG, zip and BPS one; reflected polynomial 0xEDB88320), pure
 * TypeScript for the modules `romgfx/core` ships to browsers. Slicing by 4: four 256-entry
 * tables built once at module scope, one table lookup per byte and a 32-bit word per step.
 * Node code that hashes whole ROMs uses zlib's (src/util/hash.ts), which is faster there.
 */
const crcTables = new Int32Array(4 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  crcTables[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = crcTables[n]!;
  for (let t = 1; t < 4; t++) {
    c = crcTables[c & 0xff]! ^ (c >>> 8);
    crcTables[t * 256 + n] = c;
  }
}

/** CRC-32 of `bytes`, continuing from `initial` (the CRC of the bytes before), as zlib's crc32. */
export function crc32(bytes: Uint8Array, initial = 0): number {
  let c = ~initial;
  let i = 0;
  const n = bytes.length;
  const words = n & ~3;
  for (; i < words; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = crcTables[768 + (c & 0xff)]! ^ crcTables[512 + ((c >>> 8) & 0xff)]! ^ crcTables[256 + ((c >>> 16) & 0xff)]! ^ crcTables[c >>> 24]!;
  }
  for (; i < n; i++) c = crcTables[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
