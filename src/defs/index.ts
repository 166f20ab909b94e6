/** Game definitions: types, loading and checking, matching a ROM, pointer helpers, importers. */
export * from './types.js';
export {
  parseGameDefinition,
  loadGameDefinition,
  gameDefinitionToJson,
  pointerSegment,
  identifierPattern,
  maximumDefinitionFileSizeInBytes,
  maximumVariantsPerDefinition,
  maximumSpritesPerDefinition,
  maximumPointersPerDefinition,
  maximumFreeRangesPerDefinition,
  maximumTileCount,
} from './parse.js';
export {
  matchDefinition,
  romFacts,
  spriteLocation,
  pointerLocation,
  freeSpaceFor,
  resolveDefLocation,
  matchEvidenceOrder,
  type RomFacts,
  type MatchEvidence,
  type DefinitionMatch,
} from './match.js';
export { readPointer, encodePointer, writePointer, pointerSlot, pointerWidthInBytes, type AddressMapping, type PointerSlot, type PointerWrite, type PointerValue } from './pointers.js';
export { importSpritePalLocations, spritePalDefinitionsToJson, slugify } from './spritepal.js';
export { locateSprite, type SpriteLocation } from './locate.js';
export { loadGameDefinitions, loadGameDefinitionForRom, maximumDefinitionFilesPerFolder, type LoadedDefinitions, type SkippedDefinitionFile, type DefinitionForRom } from './load.js';
export { resolveDefinitionFile, definitionFilePathProblem } from './paths.js';
