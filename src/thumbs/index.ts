/** Public surface of src/thumbs: the thumbnail service, its caches, metrics and request shapes. */
export { ThumbnailService, inFlightPerThread, type ThumbnailServiceOptions, type Thumbnail, type ThumbnailOutcome, type RequestOptions, type RenderManyOptions } from './service.js';
export {
  normalizeRequest,
  cacheKey,
  paletteEncodings,
  maximumTilesPerThumbnail,
  maximumScaleFactor,
  maximumOutputSideInPixels,
  maximumOutputPixelCount,
  type ThumbnailRequest,
  type NormalizedRequest,
  type RomRef,
  type BlockSpec,
  type ArrangementSpec,
  type PaletteSpec,
  type PaletteEncoding,
  type LegacyArrangementSpec,
  type LegacyRomPaletteSpec,
  type RequestPaletteSpec,
  type OutputSpec,
  type ThumbnailFormat,
} from './request.js';
export { MemoryCache, defaultMemoryCacheSizeInBytes, type CachedThumbnail } from './memory-cache.js';
export { DiskCache, defaultCacheDirectory, defaultDiskCacheSizeInBytes, type DiskCacheOptions, type DiskScan, type VerifyReport, type PersistedCounters, type DiskReadResult } from './disk-cache.js';
export { ThumbnailMetrics, Histogram, latencyBucketsInSeconds, stages as thumbnailStages, type Stage, type ThumbnailStats, type StageSummary, type LevelSummary } from './metrics.js';
export { ThumbnailPool, defaultWorkerFile, type PoolOptions } from './pool.js';
export { renderThumbnail, renderBlockIndexed, encodeIndexedPng, type RenderResult, type Decompressor } from './render.js';
export { planScale, planFit, resampleIndexed, type ScalePlan } from './scale.js';
export { composeContactSheet, type ContactSheet, type ContactSheetCell, type ContactSheetOptions } from './contact-sheet.js';
export {
  thumbnailRequestsForDefinition,
  thumbnailRequestForCandidate,
  type DefinitionThumbnailOptions,
  type DefinitionThumbnailRequests,
  type SpriteThumbnailRequest,
  type SpriteThumbnailProblem,
  type CandidateThumbnailOptions,
} from './requests-from.js';
