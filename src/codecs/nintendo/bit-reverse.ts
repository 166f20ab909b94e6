/** Byte transforms the Nintendo copy commands apply (nintendo-lz.md §3, §4). */

/** rev(b): the byte's 8 bits mirrored, an 8-pixel 1bpp/2bpp row flipped horizontally (LZ3 command 5). */
export const bitReversedByte: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let value = 0; value < 256; value++) {
    let reversed = 0;
    for (let bit = 0; bit < 8; bit++) if (value & (1 << bit)) reversed |= 0x80 >> bit;
    table[value] = reversed;
  }
  return table;
})();

/** b XOR 0xFF (LZ5 commands 5 and 7). */
export const invertedByte: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let value = 0; value < 256; value++) table[value] = value ^ 0xff;
  return table;
})();
