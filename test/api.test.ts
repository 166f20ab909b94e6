/**
 * The public surface: a short root of what editors and the CLI need, and the deeper pieces under
 * documented sub-paths (package.json `exports`; the README's "Sub-path imports" table). Imports
 * the entry modules the sub-paths publish; test/package/exports.test.ts resolves the same names
 * through the built package's `exports`.
 */
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import * as codecs from '../src/entries/codecs.js';
import * as convert from '../src/entries/convert.js';
import * as defs from '../src/entries/defs.js';
import * as errors from '../src/entries/errors.js';
import * as gfx from '../src/entries/gfx.js';
import * as inject from '../src/entries/inject.js';
import * as native from '../src/entries/native.js';
import * as patch from '../src/entries/patch.js';
import * as rom from '../src/entries/rom.js';
import * as scan from '../src/entries/scan.js';
import * as serve from '../src/entries/serve.js';
import * as thumbs from '../src/entries/thumbs.js';

describe('public API (what editors embed; the README shows these)', () => {
  it('the root exports what an editor and the CLI need, every layer\'s way in', () => {
    const expected = [
      'openGame', 'Game', 'openRom', 'romFromBytes', 'Rom', 'RomgfxError', 'isRomgfxError',
      'getCodec', 'listCodecs', 'registerCodec',
      'decodeTiles', 'encodeTiles', 'encodeIndexedPng', 'readIndexedPng', 'decodePng', 'indexedToRgba', 'parsePaletteFile',
      'loadGameDefinition', 'parseGameDefinition', 'matchDefinition', 'locateSprite',
      'createPatch', 'applyPatch', 'applyPatchToRom', 'createPatchAsync', 'applyPatchAsync',
      'extractAll', 'injectSprites', 'injectFolder',
      'ThumbnailService', 'thumbnailRequestsForDefinition',
      'scanRom', 'scanRomReport',
      'convertImage',
      'nativeStatus',
    ];
    expect(expected.filter((name) => !(name in api))).toEqual([]);
  });

  it('stays short: the deeper pieces are behind sub-paths', () => {
    expect(Object.keys(api).length).toBeLessThan(100);
    for (const deeper of ['parseBusAddress', 'writeFileAtomic', 'buildSnesRom', 'applyBps', 'decodeHal', 'arrangeSheet', 'injectIntoBytes', 'FreeSpaceAllocator', 'DiskCache', 'GraphicsScorer', 'startServer', 'OutOfRangeError']) {
      expect(deeper in api, deeper).toBe(false);
    }
  });

  it('each sub-path holds what moved there (the README table)', () => {
    const moved: [Record<string, unknown>, string[]][] = [
      [rom, ['parseBusAddress', 'writeFileAtomic', 'buildSnesRom', 'verifyChecksums', 'crc32', 'sha1Hex', 'mapFile', 'openRom']],
      [patch, ['applyBps', 'createBps', 'parseIps', 'readBpsHeader', 'applyPatch', 'createPatch']],
      [codecs, ['decodeHal', 'encodeHal', 'decodeNemesis', 'getCodec', 'registerCodec']],
      [gfx, ['arrangeSheet', 'renderIndexedImage', 'decodeTilemap', 'renderSpriteDump', 'decodeMdPalette', 'encodeIndexedPng']],
      [defs, ['romFacts', 'readPointer', 'importSpritePalLocations', 'pointerForms', 'arrangementFromText', 'loadGameDefinition']],
      [inject, ['injectIntoBytes', 'FreeSpaceAllocator', 'planInjection', 'resolveSprites', 'extractSprite', 'injectScreen']],
      [thumbs, ['DiskCache', 'MemoryCache', 'ThumbnailMetrics', 'composeContactSheet', 'thumbnailRequestForCandidate', 'ThumbnailService']],
      [scan, ['GraphicsScorer', 'explainScanOffset', 'renderContactSheet', 'collapseCandidates', 'scanRom']],
      [convert, ['reconvertScreen', 'packColourSets', 'convertImage']],
      [serve, ['startServer', 'defaultServePort']],
      [native, ['useNativeKernels', 'useTypescriptKernels', 'nativeStatus']],
      [errors, ['OutOfRangeError', 'CodecStreamCorruptError', 'RomgfxError', 'isRomgfxError', 'hex']],
    ];
    for (const [entry, names] of moved) expect(names.filter((name) => !(name in entry))).toEqual([]);
  });

  it('a name exported by the root and a sub-path is the same binding', () => {
    expect(rom.openRom).toBe(api.openRom);
    expect(patch.createPatch).toBe(api.createPatch);
    expect(errors.RomgfxError).toBe(api.RomgfxError);
    expect(thumbs.ThumbnailService).toBe(api.ThumbnailService);
    expect(gfx.encodeIndexedPng).toBe(api.encodeIndexedPng);
  });
});
