/** The scanner's public shapes. */

/**
 * Built-in codecs the scanner looks for; `raw` = uncompressed tile data. In-process scans also
 * take any other registered codec (`registerCodec`) by name: the scanner walks it with its
 * `probe`. A worker-pool scan needs that codec registered in the worker threads too, so scans
 * naming one run in-process unless `workers` is given.
 */
export const scanCodecNames = [
  'hal', 'lz77', 'lz11', 'rle', 'lz4', 'pb16', 'raw',
  // The Nintendo LZ and Sega families (codec-streams.ts).
  'lc-lz1', 'lc-lz2', 'lc-lz3', 'lc-lz5', 'konami1', 'gen1-pic', 'nemesis', 'kosinski', 'kosinski-moduled', 'lz4w', 'comper', 'saxman', 'enigma',
] as const;
/** A built-in scan codec name. */
export type BuiltInScanCodec = (typeof scanCodecNames)[number];
/** A built-in scan codec, or the name of another registered codec with a `probe`. */
export type ScanCodec = BuiltInScanCodec | (string & {});

/** What a candidate holds: tile pixels, a tilemap (entries naming tiles), or a palette (colours). */
export const scanKinds = ['tiles', 'tilemap', 'palette'] as const;
/** One of scanKinds. */
export type ScanKind = (typeof scanKinds)[number];

/** One block the scanner believes is graphics. */
export interface ScanCandidate {
  /** ROM offset of the stream (of the raw block for `raw`). */
  offset: number;
  /** Bytes the stream occupies in the ROM. */
  packedLength: number;
  /** Bytes it decodes to (= packedLength for `raw`). */
  unpackedLength: number;
  codec: ScanCodec;
  /** What the block holds (tiles unless its entries or colours fit a tilemap or palette; see src/scan/kind.ts). */
  kind: ScanKind;
  /** Best-scoring tile format; for a tilemap its entry format (`snes-tilemap`, `gb-tilemap`), for a palette `bgr555`. */
  format: string;
  /** Graphics score in [0, 1] (see src/scan/score.ts). */
  score: number;
}

/** What and where to scan: codecs, tile formats, range, size and score thresholds. */
export interface ScanOptions {
  /** Codecs to look for (default: every codec that fits the platform, plus raw). */
  codecs?: readonly ScanCodec[];
  /** Tile formats to score against (default: the platform's formats). */
  formats?: readonly string[];
  /**
   * Smallest unpacked size reported, in bytes (default: the platform's, see
   * defaultMinimumUnpackedSizeByPlatform). Blocks a ROM structure declares (SGDK TileSet and
   * TileMap structures, checked by decoding) are reported whatever their size and score.
   */
  minimumUnpackedSize?: number;
  /** Lowest score reported (default 0.5; see minimumUnpackedSize for declared blocks). */
  minimumScore?: number;
  /** ROM offsets [start, end) to try as stream starts (default: the whole ROM). */
  range?: { start: number; end: number };
  /** Worker threads; 0 scans in this thread (default: cores, at most 4; 0 for ROMs under 256 KiB). */
  workers?: number;
  /** Use and fill the result cache (default true). */
  cache?: boolean;
  /** The cache folder (default: `<romgfx cache dir>/scan`). */
  cacheDirectory?: string;
}

/** Options with every default filled in: what the cache key and the workers see. */
export interface NormalizedScanOptions {
  /** The platform the scan used (its structure: NES CHR-ROM, data alignment). */
  platform: string;
  codecs: ScanCodec[];
  formats: string[];
  minimumUnpackedSize: number;
  minimumScore: number;
  start: number;
  end: number;
}

/** How far a scan has got. */
export interface ScanProgress {
  /** Offsets finished. */
  done: number;
  total: number;
}

/** Cancel a scan and follow its progress. */
export interface ScanControl {
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
}

/** The graphics a scan found, ranked, with what it tried. */
export interface ScanReport {
  candidates: ScanCandidate[];
  /** True when the result came from the cache. */
  cached: boolean;
  /** Offsets tried per codec (the range length, per codec scanned). */
  offsetsTried: number;
  /** Candidates that decoded cleanly and were scored, before the threshold and the collapse. */
  decodedCandidates: number;
  elapsedMs: number;
  options: NormalizedScanOptions;
  rom: { name: string; platform: string; size: number; sha1: string; crc32: number };
}
