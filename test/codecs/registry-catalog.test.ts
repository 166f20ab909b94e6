import { describe, expect, it } from 'vitest';
import { builtInCodecCatalog, codecNames, getCodec, listCodecs, loadCodec, registerCodec, unregisterCodec, type Codec } from '../../src/codecs/index.js';
import * as api from '../../src/index.js';
import * as core from '../../src/core.js';
import { UnknownCodecError } from '../../src/errors.js';

describe('the built-in codec catalog and loadCodec', () => {
  it('lists the built-in codecs in the registry order, with the registry codecs canCompress', () => {
    const builtIn = listCodecs().slice(0, builtInCodecCatalog.length);
    expect(builtInCodecCatalog.map((entry) => entry.name)).toEqual(codecNames().slice(0, builtInCodecCatalog.length));
    expect(builtInCodecCatalog.map((entry) => entry.canCompress)).toEqual(builtIn.map((codec) => codec.canCompress));
    // Every built-in is in the catalog: a codec added to the registry but not here fails.
    expect(builtInCodecCatalog.length).toBe(22);
  });

  it('each loader gives the very codec getCodec returns', async () => {
    for (const entry of builtInCodecCatalog) expect(await entry.load(), entry.name).toBe(getCodec(entry.name));
  });

  it('loadCodec takes any case, finds plug-ins through the registry, and refuses an unknown name as getCodec does', async () => {
    expect(await loadCodec('HAL')).toBe(getCodec('hal'));
    expect(await api.loadCodec('lz4w')).toBe(getCodec('lz4w'));
    expect(await core.loadCodec('nemesis')).toBe(getCodec('nemesis'));
    const plugin: Codec = { ...getCodec('rle'), name: 'catalog-plugin' };
    registerCodec(plugin);
    try {
      expect(await loadCodec('catalog-plugin')).toBe(plugin);
    } finally {
      unregisterCodec('catalog-plugin');
    }
    await expect(loadCodec('catalog-plugin')).rejects.toThrow(UnknownCodecError);
    await expect(loadCodec('hall')).rejects.toThrow(/did you mean "hal"/u);
  });
});
