/**
 * Shared facts of the HAL Laboratory format (exhal/inhal; Lunar Compress "LZ19").
 * Spec: /work/shared/formats/hal.md.
 */

/** The format addresses output with 16-bit absolute positions: at most 64 KiB out. */
export const maximumHalOutputSizeInBytes = 65536;
/** exhal reads at most this many packed bytes, and inhal fails when its output would reach it. */
export const maximumHalPackedSizeInBytes = 65535;
/** Short-form commands carry counts 1…32, long-form ones 1…1024. */
export const halShortCountLimit = 32;
export const halLongCountLimit = 1024;
export const halEndOfStream = 0xff;

export const halKindLiteral = 0;
export const halKindByteFill = 1;
export const halKindWordFill = 2;
export const halKindCountingFill = 3;
export const halKindForwardCopy = 4;
export const halKindReversedCopy = 5;
export const halKindBackwardCopy = 6;

/** rev(b): the byte with its bits mirrored, i.e. an 8-pixel planar row flipped horizontally. */
export const bitReversedByte: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let value = 0; value < 256; value++) {
    let reversed = 0;
    for (let bit = 0; bit < 8; bit++) if (value & (1 << bit)) reversed |= 0x80 >> bit;
    table[value] = reversed;
  }
  return table;
})();

/**
 * Writes one command header (kind, count) at `out[position]` and returns the new position.
 * For word fill `count` is in words. Short form when count ≤ 32 (hal.md "Emission").
 */
export function writeHalCommandHeader(out: Uint8Array, position: number, kind: number, count: number): number {
  const m = count - 1;
  if (m < halShortCountLimit) {
    out[position] = (kind << 5) | m;
    return position + 1;
  }
  out[position] = 0xe0 | (kind << 2) | (m >> 8);
  out[position + 1] = m & 0xff;
  return position + 2;
}

/** Bytes a literal run of `count` (1…1024) bytes costs, header included. */
export function halLiteralRunCost(count: number): number {
  return count + (count <= halShortCountLimit ? 1 : 2);
}
