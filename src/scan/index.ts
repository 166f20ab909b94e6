/** The scanner: find compressed and raw graphics in a ROM. */
export { scanRom, scanRomReport, normalizeScanOptions, planChunks, defaultCodecsByPlatform, defaultScanCodecs, scannableCodec, defaultMinimumUnpackedSizeByPlatform, scanChunkSizeInBytes, defaultMinimumUnpackedSizeInBytes, defaultMinimumScore, inProcessScanThresholdInBytes } from './scanner.js';
export { scanCodecNames, scanKinds, type ScanKind, type ScanCodec, type ScanCandidate, type ScanOptions, type NormalizedScanOptions, type ScanControl, type ScanProgress, type ScanReport } from './types.js';
export { GraphicsScorer, defaultFormatsByPlatform, resolveFormats, type BlockStatistics, type FormatScore } from './score.js';
export { collapseCandidates } from './collapse.js';
export { explainScanOffset, formatScanExplanation, type ScanExplanation, type ExplainedStream, type ExplainedRawTile, type ExplainedCandidate } from './explain.js';
export { classifyCandidateKinds, fitsTilemap } from './kind.js';
export { computeHalChains, maximumHalStreamSpanInBytes, type HalChains } from './hal-chain.js';
export { sharedScanPool, closeScanPools, ScanPool, defaultScanWorkerFile, scanWorkerIdleTimeoutInMs } from './pool.js';
export { defaultScanCacheDirectory, readScanCache, writeScanCache, scanCacheKey } from './cache.js';
export { scanCandidatesToDefinition, type ScanDefinitionOptions } from './defs.js';
export { renderContactSheet, defaultSheetCandidates, maximumSheetCandidates, type ContactSheetOptions } from './sheet.js';
