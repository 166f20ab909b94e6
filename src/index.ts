/**
 * romgfx public API: what editor tools embed. The CLI is built on exactly these exports.
 * Sections by domain; each domain adds its exports in its own section.
 */

// --- Errors, logging, version -------------------------------------------------------------
export * from './errors.js';
export { createLogger, silentLogger, type Logger, type LoggerOptions } from './log.js';
export { ENGINE_VERSION } from './version.js';

// --- ROM access -----------------------------------------------------------------------------
export { openRom, romFromBytes, Rom, type OpenRomOptions, type RomInfo, type RomIdentity, type ChecksumInfo, type PlatformHeader } from './rom/rom.js';
export { type Platform, platforms, platformNames, isPlatform } from './rom/platform.js';
export { type FileOffset, type RomOffset, type BusAddress, fileOffset, romOffset, busAddress } from './rom/offsets.js';
export { parseBusAddress, parseOffset, parseLocation, type Location } from './rom/address.js';
export { mapFile, bufferSource, readFileBytes, readRomFile, openFileSource, mmapAvailable, mappingGuardAvailable, defaultRomOpenMode, maximumRomSizeInBytes, type ByteSource, type RomOpenMode } from './rom/source.js';
export { verifyChecksums, fixChecksumsInPlace, snesComputedChecksum, type ChecksumReport, type ChecksumPart } from './rom/checksum.js';
export { snesBusToOffset, snesOffsetToBus, formatSnesAddress, snesHeaderCandidates, detectSnesHeader, type SnesHeader, type SnesMapping } from './rom/snes.js';
export type { GbHeader } from './rom/gb.js';
export type { GbaHeader } from './rom/gba.js';
export type { NesHeader } from './rom/nes.js';
export type { MdHeader } from './rom/md.js';
export { buildSnesRom, buildGbRom, buildGbaRom, buildNesRom, buildMdRom, fillPseudoRandom, type Payload } from './rom/build.js';
export { writeFileAtomic, writeFilesAtomic, assertWritable, removeStaleTempFiles, type AtomicWriteOptions, type AtomicWriteResult } from './util/files.js';
export { assertNotAnInput, runWithProtectedInputs, acquireFileLock, withFileLock } from './util/files.js';
export { crc32, sha1Hex } from './util/hash.js';

// --- Patches (IPS, BPS) ---------------------------------------------------------------------
export {
  applyPatch,
  createPatch,
  detectPatchFormat,
  applyIps,
  createIps,
  createIpsWithStats,
  parseIps,
  isIpsPatch,
  applyBps,
  createBps,
  createBpsWithStats,
  readBpsHeader,
  isBpsPatch,
  maximumIpsOffsetInBytes,
  maximumIpsRecordSizeInBytes,
  ipsEofOffset,
  maximumPatchSourceSizeInBytes,
  maximumPatchTargetSizeInBytes,
  maximumBpsMetadataSizeInBytes,
  type PatchFormat,
  type PatchApplyResult,
  type PatchCreateResult,
  type IpsApplyResult,
  type IpsCreateResult,
  type IpsRecord,
  type ParsedIps,
  type BpsApplyOptions,
  type BpsApplyResult,
  type BpsCreateOptions,
  type BpsCreateResult,
  type BpsHeader,
  type BpsChecksumName,
  applyPatchToRom,
  copierHeaderSizeOf,
  type RomPatchOptions,
  type RomPatchResult,
  type CopierHeaderHandling,
} from './patch/index.js';

// --- Codecs (HAL, GBA BIOS family, LZ4, PB16) ---------------------------------------------
export * from './codecs/index.js';

// --- Thumbnails (worker pool, memory + disk cache, metrics) ---------------------------------
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
} from './thumbs/index.js';

// --- The shared vocabulary of arrangements and palettes (docs/vocabulary.md) ----------------
export { arrangementKinds, snesObjSizesInPixels, maximumBlockSideInTiles, maximumSheetTilesPerRow, isPaletteFormat, platformPaletteFormat, arrangementToText, arrangementFromText, arrangementLayout, arrangementSheetOptions, type ArrangementKind } from './vocabulary.js';

// --- Graphics (tile formats, palettes, indexed PNG, arrangements, tilemaps, sprite dumps) ---
export * from './gfx/index.js';

// --- Game definitions -----------------------------------------------------------------------
export {
  parseGameDefinition,
  loadGameDefinition,
  gameDefinitionToJson,
  matchDefinition,
  romFacts,
  spriteLocation,
  pointerLocation,
  freeSpaceFor,
  resolveDefLocation,
  matchEvidenceOrder,
  readPointer,
  encodePointer,
  writePointer,
  pointerSlot,
  locateSprite,
  type SpriteLocation,
  pointerWidthInBytes,
  importSpritePalLocations,
  spritePalDefinitionsToJson,
  gameDefinitionFormatVersion,
  definitionPlatforms,
  definitionCodecNames,
  tileFormatNames,
  tileFormatBytesPerTile,
  pointerForms,
  paletteFormats,
  maximumDefinitionFileSizeInBytes,
  type GameDefinition,
  type Variant,
  type SpriteDef,
  type ScreenDef,
  type SpriteKind,
  type PointerDef,
  type PointerLocation,
  type FreeRange,
  type DefLocation,
  type Arrangement,
  type PaletteSource,
  type PaletteFormat,
  type PointerForm,
  type CodecName,
  type TileFormatName,
  type DefinitionPlatform,
  type RomFacts,
  type MatchEvidence,
  type DefinitionMatch,
  type AddressMapping,
  type PointerSlot,
  type PointerWrite,
  type PointerValue,
} from './defs/index.js';

// --- Injection (fit, relocate, repoint, verify) and batch extraction ----------------------
export * from './inject/index.js';

// The sprite-level editor API
export * from './game/index.js';

// Heavy work off the caller's thread, cancellable
export { createPatchAsync, applyPatchAsync, closePatchJobs, type JobControl } from './jobs/patch-jobs.js';

// --- Native (N-API kernels; TypeScript fallback) ----------------------------------------------
export { nativeStatus, useNativeKernels, useTypescriptKernels, activeHalImplementation, type NativeStatus } from './native/index.js';

// --- Scanner (find compressed and raw graphics) --------------------------------------------
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
} from './scan/index.js';

/**
 * Image conversion (docs/convert.md): a PNG → deduplicated tiles + map + packed sub-palettes
 * for snes, gba, gb, gbc, md, nes and pce, in romgfx's own mode (fewest sub-palettes) or
 * byte-compatible with SuperFamiconv / rgbgfx; `reverseConvert` renders them back;
 * `reconvertScreen` re-converts an edited screen keeping the original tile numbers.
 */
export {
  convertImage,
  reverseConvert,
  reconvertScreen,
  decodedToRgba,
  decodeNativePalettes,
  packColourSets,
  convertTargets,
  mapFormats,
  type ConvertOptions,
  type ConvertResult,
  type ConvertTarget,
  type CompatibilityMode,
  type FlipAxes,
  type FlippedCell,
  type MapFormat,
  type ReverseOptions,
  type ReverseResult,
  type OriginalScreen,
  type RgbaImage,
} from './convert/index.js';

// --- Types that signatures above use (so the API reference and callers can name them) ------
export type { Packing } from './convert/pack-best.js';
export type { DiskReadResult } from './thumbs/disk-cache.js';
export type { Range as AllocatorRange } from './inject/allocator.js';
export type { MemoryEntry } from './thumbs/memory-cache.js';
export type { MemoryKey } from './thumbs/memory-key.js';
export type { Histogram, GaugeSource } from './thumbs/metrics.js';
export { type SheetOrder, sheetOrders } from './defs/types.js';
export type { SnesRomOptions, GbRomOptions, GbaRomOptions, NesRomOptions, MdRomOptions } from './rom/build.js';
export type { ChecksumContext } from './rom/checksum.js';
export type { PaletteContext } from './inject/sprites.js';
export type { BuiltInScanCodec } from './scan/types.js';
export type { ExplainedStream, ExplainedRawTile, ExplainedCandidate } from './scan/explain.js';
export { startServer, defaultServePort, maximumRequestBodySizeInBytes, tokenHeaderName, type ServeOptions, type RunningServer } from './serve/index.js';
