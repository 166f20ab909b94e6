/**
 * `romgfx/thumbs`: the thumbnail service's parts — requests and their deprecated spellings, the
 * memory and disk caches, metrics, contact sheets, and the conversions from a definition's
 * sprites and a scanner's candidates to requests (docs/vocabulary.md). The package root exports
 * `ThumbnailService`, the request types and `thumbnailRequestsForDefinition`.
 * @module romgfx/thumbs
 */
export {
  ThumbnailService,
  type ThumbnailServiceOptions,
  type Thumbnail,
  type ThumbnailOutcome,
  type RequestOptions as ThumbnailRequestOptions,
  type RenderManyOptions,
  type ThumbnailRequest,
  type RomRef,
  type BlockSpec,
  type ArrangementSpec,
  type PaletteSpec,
  type PaletteEncoding,
  type OutputSpec,
  type ThumbnailFormat,
  maximumTilesPerThumbnail,
  MemoryCache,
  type CachedThumbnail,
  DiskCache,
  defaultCacheDirectory,
  type DiskCacheOptions,
  type DiskScan,
  type VerifyReport,
  type PersistedCounters,
  ThumbnailMetrics,
  type ThumbnailStats,
  type StageSummary,
  type LevelSummary,
  type Stage as ThumbnailStage,
  composeContactSheet,
  type ContactSheet,
  type ContactSheetCell,
  type ContactSheetOptions,
  type LegacyArrangementSpec,
  type LegacyRomPaletteSpec,
  type RequestPaletteSpec,
  thumbnailRequestsForDefinition,
  thumbnailRequestForCandidate,
  type DefinitionThumbnailOptions,
  type DefinitionThumbnailRequests,
  type SpriteThumbnailRequest,
  type SpriteThumbnailProblem,
  type CandidateThumbnailOptions,
} from '../thumbs/index.js';
export type { DiskReadResult } from '../thumbs/disk-cache.js';
export type { MemoryEntry } from '../thumbs/memory-cache.js';
export type { MemoryKey } from '../thumbs/memory-key.js';
export type { Histogram, GaugeSource } from '../thumbs/metrics.js';
export { arrangementToText, arrangementFromText, paletteFormats, type Arrangement, type PaletteFormat, type SheetOrder } from '../vocabulary.js';
