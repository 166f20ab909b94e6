/**
 * `romgfx/scan`: the scanner in parts — option defaults per platform, the graphics scorer,
 * candidate collapsing, HAL stream chains, explanations of one offset, the result cache folder,
 * contact sheets and seeding a definition from candidates (docs/scanner.md). The package root
 * exports `scanRom`, `scanRomReport` and the candidate and option types.
 * @module romgfx/scan
 */
export {
  scanRom,
  scanRomReport,
  normalizeScanOptions,
  defaultCodecsByPlatform,
  defaultMinimumUnpackedSizeInBytes,
  defaultMinimumScore,
  scanCodecNames,
  GraphicsScorer,
  defaultFormatsByPlatform as defaultScanFormatsByPlatform,
  collapseCandidates,
  computeHalChains,
  defaultScanCacheDirectory,
  closeScanPools,
  renderContactSheet,
  scanCandidatesToDefinition,
  explainScanOffset,
  formatScanExplanation,
  scanKinds,
  defaultScanCodecs,
  defaultMinimumUnpackedSizeByPlatform,
  type ScanExplanation,
  type ScanKind,
  type ScanCodec,
  type ScanCandidate,
  type ScanOptions,
  type NormalizedScanOptions,
  type ScanControl,
  type ScanProgress,
  type ScanReport,
  type BlockStatistics,
  type FormatScore,
  type HalChains,
  type ContactSheetOptions as ScanContactSheetOptions,
  type ScanDefinitionOptions,
} from '../scan/index.js';
export type { BuiltInScanCodec } from '../scan/types.js';
export type { ExplainedStream, ExplainedRawTile, ExplainedCandidate } from '../scan/explain.js';
export { thumbnailRequestForCandidate, type CandidateThumbnailOptions } from '../thumbs/requests-from.js';
