/**
 * `romgfx/rom`: ROM access below `openRom` — byte sources (mapped or in memory), addresses and
 * offsets, per-platform headers, checksums, SNES mappings, test-ROM builders, hashing, and the
 * safe file writes every output goes through (docs/file-safety.md).
 * @module romgfx/rom
 */
export { openRom, romFromBytes, Rom, type OpenRomOptions, type RomInfo, type RomIdentity, type ChecksumInfo, type PlatformHeader } from '../rom/rom.js';
export { type Platform, platforms, platformNames, isPlatform } from '../rom/platform.js';
export { type FileOffset, type RomOffset, type BusAddress, fileOffset, romOffset, busAddress } from '../rom/offsets.js';
export { parseBusAddress, parseOffset, parseLocation, type Location } from '../rom/address.js';
export { mapFile, bufferSource, readFileBytes, readRomFile, openFileSource, mmapAvailable, mappingGuardAvailable, defaultRomOpenMode, maximumRomSizeInBytes, type ByteSource, type RomOpenMode } from '../rom/source.js';
export { verifyChecksums, fixChecksumsInPlace, snesComputedChecksum, type ChecksumReport, type ChecksumPart, type ChecksumContext } from '../rom/checksum.js';
export { snesBusToOffset, snesOffsetToBus, formatSnesAddress, snesHeaderCandidates, detectSnesHeader, type SnesHeader, type SnesMapping } from '../rom/snes.js';
export type { GbHeader } from '../rom/gb.js';
export type { GbaHeader } from '../rom/gba.js';
export type { NesHeader } from '../rom/nes.js';
export type { MdHeader } from '../rom/md.js';
export { buildSnesRom, buildGbRom, buildGbaRom, buildNesRom, buildMdRom, fillPseudoRandom, type Payload, type SnesRomOptions, type GbRomOptions, type GbaRomOptions, type NesRomOptions, type MdRomOptions } from '../rom/build.js';
export { writeFileAtomic, writeFilesAtomic, assertWritable, removeStaleTempFiles, type AtomicWriteOptions, type AtomicWriteResult } from '../util/files.js';
export { assertNotAnInput, runWithProtectedInputs, acquireFileLock, withFileLock } from '../util/files.js';
export { crc32, sha1Hex } from '../util/hash.js';
