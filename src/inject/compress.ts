/**
 * "Compress at the best level": every level the codec offers is tried and the smallest output
 * kept; on a tie the earlier (lower, cheaper to decode) level wins. Codecs list their levels
 * best-compressing last (src/codecs/types.ts), so HAL tries 1, 2, 3, 4, max.
 */
import type { Codec, CompressOptions } from '../codecs/types.js';

/** A block compressed at the level that gave the fewest bytes, with what each level gave. */
export interface PackedBlock {
  bytes: Uint8Array;
  /** The level that gave `bytes` ('' for codecs with a single unnamed encoding). */
  level: string;
  /** Size each level gave, in the order tried. */
  tried: { level: string; size: number }[];
}

/** What `compressBest` tries. */
export interface PackOptions {
  /** GBA LZ77/LZ11: never use distance 1 (VRAM-safe BIOS routine). */
  vramSafe?: boolean;
  /** Codec variant (LZ4: frame or block). */
  variant?: string;
  /** Try only these levels (default: all the codec has). */
  levels?: readonly string[];
}

/** Compresses `data` at every level the codec has (or those given) and keeps the smallest result: what injection does to fit a slot. */
export function compressBest(codec: Codec, data: Uint8Array, options: PackOptions = {}): PackedBlock {
  const levels = options.levels ?? (codec.levels.length > 0 ? codec.levels : ['']);
  let best: PackedBlock | undefined;
  const tried: { level: string; size: number }[] = [];
  for (const level of levels) {
    const compressOptions: CompressOptions = {};
    if (level !== '') compressOptions.level = level;
    if (options.vramSafe) compressOptions.vramSafe = true;
    if (options.variant !== undefined) compressOptions.variant = options.variant;
    const bytes = codec.compress(data, compressOptions);
    tried.push({ level, size: bytes.length });
    if (!best || bytes.length < best.bytes.length) best = { bytes, level, tried };
  }
  return best!;
}
