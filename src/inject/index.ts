/** Public surface of src/inject: injection transactions, batch extraction, the allocator. */
export { FreeSpaceAllocator, maximumFreeRangeCount, type AllocatorOptions, type FitStrategy } from './allocator.js';
export { compressBest, type PackedBlock, type PackOptions } from './compress.js';
export {
  planInjection,
  applyPlan,
  verifyPlan,
  injectIntoBytes,
  bankSizeFor,
  type SpriteEdit,
  type PlanOptions,
  type SpriteOutcome,
  type RewrittenPointer,
  type PlannedSprite,
  type ByteWrite,
  type InjectionPlan,
  type InjectedBytes,
} from './plan.js';
export {
  injectSprites,
  injectFolder,
  readExtractFolder,
  summarisePlan,
  patchFormatFor,
  readPngFile,
  maximumSidecarsPerFolder,
  type InjectOptions,
  type InjectResult,
  type InjectAllResult,
  type SpriteInjectionResult,
  type FolderEdit,
} from './inject.js';
export {
  extractAll,
  extractSprite,
  extractSpritesToFiles,
  assignStems,
  defaultExtractWorkerFile,
  minimumSpritesForPool,
  spritesPerTask,
  type ExtractAllOptions,
  type ExtractAllResult,
  type ExtractItem,
  type ExtractItemResult,
  type ExtractChunkTask,
  type ExtractedSprite,
} from './extract.js';
export { sidecarFormat, parseSidecar, fileStemFor, type SpriteSidecar } from './sidecar.js';
export {
  resolveSprites,
  resolveEachSprite,
  type SpriteResolution,
  readSpriteBlock,
  resolveSpritePalette,
  tilesToImage,
  imageToTiles,
  variantFor,
  maximumSpriteUnpackedSizeInBytes,
  defaultTileFormatByPlatform,
  type ResolvedSprite,
  type SpriteBlock,
  type ResolvedPalette,
} from './sprites.js';
