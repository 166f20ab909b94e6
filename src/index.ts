/**
 * romgfx public API: what editor tools embed. The CLI is built on exactly these exports.
 * Sections by domain; each domain adds its exports in its own section.
 *
 * This root is the short list an editor or a script needs: open a ROM or a game, list, decode,
 * edit and save sprites, extract and inject, decode and encode tiles, palettes and PNGs, patches,
 * errors, thumbnails and the scanner. The deeper pieces of each domain are behind documented
 * sub-paths (package.json `exports`, README "Sub-path imports"): `romgfx/codecs`, `romgfx/gfx`,
 * `romgfx/rom`, `romgfx/defs`, `romgfx/inject`, `romgfx/patch`, `romgfx/thumbs`, `romgfx/scan`,
 * `romgfx/convert`, `romgfx/serve`, `romgfx/native`, `romgfx/errors`, and the pure browser build
 * `romgfx/core`.
 */

// --- Errors, logging, version -------------------------------------------------------------
// Every error class is in `romgfx/errors`; here the base class, the guard and the code types.
export {
  RomgfxError,
  isRomgfxError,
  UsageError,
  InvalidArgumentError,
  AbortedError,
  type AnyRomgfxError,
  type ErrorCategory,
  type ErrorDetails,
  type RomgfxErrorCode,
  type RomgfxErrorDetails,
  type RomgfxErrorDetailsByCode,
  type RomgfxErrorJson,
} from './errors.js';
export { createLogger, silentLogger, type Logger, type LoggerOptions } from './log.js';
export { ENGINE_VERSION } from './version.js';

// --- ROM access (more in romgfx/rom) -------------------------------------------------------
export { openRom, romFromBytes, Rom, type OpenRomOptions, type RomInfo, type RomIdentity, type ChecksumInfo, type PlatformHeader } from './rom/rom.js';
export { type Platform, platforms, isPlatform } from './rom/platform.js';
export { defaultRomOpenMode, type RomOpenMode } from './rom/source.js';

// --- Patches (IPS, BPS; more in romgfx/patch) ----------------------------------------------
export { applyPatch, createPatch, detectPatchFormat, applyPatchToRom, type PatchFormat, type PatchApplyResult, type PatchCreateResult, type RomPatchOptions, type RomPatchResult } from './patch/index.js';

// --- Codecs: the registry (every codec's own functions in romgfx/codecs) -------------------
export { getCodec, loadCodec, listCodecs, codecNames, registerCodec, unregisterCodec, hasCodec, type Codec, type CompressOptions, type DecodeLimits, type DecodeResult, type ProbeResult } from './codecs/index.js';

// --- Graphics: decode/encode tiles, palettes, images, PNG (more in romgfx/gfx) ---------------
export { decodeTiles, encodeTiles, getTileFormat, tileFormatNames, type TileFormat } from './gfx/formats.js';
export { parsePaletteFile, grayscalePalette, decodeBgr555, encodeBgr555, paletteFromRgb, type Palette } from './gfx/palette.js';
export { indexedToRgba, type IndexedImage } from './gfx/image.js';
export { decodePng, readIndexedPng, toIndexedImage, encodeIndexedPng, type DecodedImage } from './gfx/png.js';

// --- The shared vocabulary of arrangements and palettes (docs/vocabulary.md) ----------------
export { paletteFormats, type Arrangement, type PaletteFormat, type PaletteSpec, type SheetOrder } from './vocabulary.js';

// --- Game definitions (more in romgfx/defs) -------------------------------------------------
export { parseGameDefinition, loadGameDefinition, gameDefinitionToJson, matchDefinition, locateSprite, type GameDefinition, type Variant, type SpriteDef, type SpriteKind, type PaletteSource, type DefinitionMatch } from './defs/index.js';

// --- Extraction and injection (plans, allocator, sidecars in romgfx/inject) -----------------
export {
  extractAll,
  injectSprites,
  injectFolder,
  type ExtractAllOptions,
  type ExtractAllResult,
  type ExtractItemResult,
  type InjectOptions,
  type InjectResult,
  type InjectAllResult,
  type InjectFolderOptions,
  type SpriteInjectionResult,
} from './inject/index.js';

// --- Thumbnails (caches, metrics, contact sheets in romgfx/thumbs) --------------------------
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
  type OutputSpec,
  type ThumbnailFormat,
  thumbnailRequestsForDefinition,
  type DefinitionThumbnailOptions,
  type DefinitionThumbnailRequests,
  type SpriteThumbnailRequest,
  type SpriteThumbnailProblem,
} from './thumbs/index.js';

// The sprite-level editor API
export * from './game/index.js';

// Heavy work off the caller's thread, cancellable
export { createPatchAsync, applyPatchAsync, closePatchJobs, type JobControl } from './jobs/patch-jobs.js';

// --- Native (N-API kernels; TypeScript fallback) ----------------------------------------------
export { nativeStatus, useNativeKernels, useTypescriptKernels, activeHalImplementation, type NativeStatus } from './native/index.js';

// --- Scanner (scorer, explanations, contact sheets in romgfx/scan) ---------------------------
export { scanRom, scanRomReport, closeScanPools, scanCandidatesToDefinition, type ScanCandidate, type ScanOptions, type ScanReport, type ScanControl, type ScanProgress, type ScanKind, type ScanCodec, type ScanDefinitionOptions } from './scan/index.js';

// --- Image conversion (more in romgfx/convert) ----------------------------------------------
export { convertImage, reverseConvert, type ConvertOptions, type ConvertResult, type ConvertTarget } from './convert/index.js';

// --- Injection off the caller's thread (inject-all, Game.save): the same bytes as injectSprites/injectFolder, cancellable ---
/** `injectSprites`/`injectFolder` with each sprite's conversion and packing in a worker pool; `signal` cancels with nothing written, `onProgress` counts sprites. */
export { injectSpritesAsync, injectFolderAsync, closeInjectJobs, type InjectJobOptions } from './jobs/inject-jobs.js';
