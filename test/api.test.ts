import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

describe('public API (what editors embed; the README shows these)', () => {
  it('exports every layer from the package root', () => {
    const expected = [
      'openRom', 'romFromBytes', 'Rom', 'parseBusAddress', 'writeFileAtomic', 'RomgfxError',
      'getCodec', 'listCodecs',
      'decodeTiles', 'encodeTiles', 'encodeIndexedPng', 'readIndexedPng',
      'loadGameDefinition', 'parseGameDefinition', 'matchDefinition', 'locateSprite',
      'createPatch', 'applyPatch',
      'extractAll', 'injectSprites', 'injectFolder',
      'ThumbnailService',
      'scanRom', 'scanRomReport',
      'nativeStatus',
    ];
    const missing = expected.filter((name) => !(name in api));
    expect(missing).toEqual([]);
  });
});
