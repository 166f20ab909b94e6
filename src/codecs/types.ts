import type { Platform } from '../rom/platform.js';

/**
 * The one shape every codec has. Adding a format is one file that exports a `Codec` and one
 * line in `registry.ts`.
 */

/** Caller limits for decoding untrusted streams. Enforced before any allocation. */
export interface DecodeLimits {
  /** Refuse streams that would produce more than this many bytes (default: the codec's own cap). */
  maximumOutputSizeInBytes?: number;
  /**
   * The output size, for formats whose stream does not say it (PB16). Formats that carry their
   * own size ignore it.
   */
  outputSizeInBytes?: number;
}

/** What a decoder returns: the unpacked bytes and how many input bytes the stream took. */
export interface DecodeResult {
  data: Uint8Array;
  /** Exactly how many input bytes the stream occupies from `offset`: the slot an injection must fit. */
  packedLength: number;
}

/** What `probe` learns without building output. */
export interface ProbeResult {
  packedLength: number;
  unpackedLength: number;
}

/** Options every compressor accepts (a codec ignores those that do not apply to it). */
export interface CompressOptions {
  /** A level name from `Codec.levels` (e.g. '1'…'4', 'max' for HAL). Default: `Codec.defaultLevel`. */
  level?: string | number;
  /** GBA LZ77: never use distance 1, so the BIOS VRAM-safe routine (16-bit writes) decodes it correctly. */
  vramSafe?: boolean;
  /** GBA `huffman`/`diff`/`lz77`… variant selection for codecs that encode several header types. */
  variant?: string;
}

/**
 * One compression format: its name, what it can do (decode, probe, encode, levels) and the functions
 * that do it. Look one up with `getCodec`.
 */
export interface Codec {
  readonly name: string;
  readonly description: string;
  /**
   * The consoles whose games use this format: the scanner's per-platform codec defaults and
   * `romgfx codecs` read it. Empty for formats not tied to a platform.
   */
  readonly platforms: readonly Platform[];
  /**
   * Level names `compress` accepts, best-compressing last, except `accurate` (where present: the
   * byte-exact output of the game maker's own compressor, for decomp projects), which may stand
   * anywhere.
   */
  readonly levels: readonly string[];
  readonly defaultLevel: string;
  /** False for decode-only codecs (huffman, diff). */
  readonly canCompress: boolean;
  decompress(bytes: Uint8Array, offset?: number, limits?: DecodeLimits): DecodeResult;
  compress(data: Uint8Array, options?: CompressOptions): Uint8Array;
  /**
   * Cheap validation for scanners: walks the stream without building output. Returns null when
   * the bytes at `offset` are not a valid stream; never throws for bad data.
   */
  probe(bytes: Uint8Array, offset?: number, limits?: DecodeLimits): ProbeResult | null;
}
