import { describe, expect, it, vi } from 'vitest';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { decodeTiles, encodeTiles } from '../../src/gfx/formats.js';
import { tileKernels, nativeTileKernels, nativeZlibDeflate } from '../../src/native/index.js';
import { pngDeflate } from '../../src/gfx/png-deflate.js';
import { encodeIndexedPng } from '../../src/gfx/png.js';
import { grayscalePalette } from '../../src/gfx/palette.js';
import { repoRoot } from '../helpers/cli.js';

describe('the engine runs the addon, not just the tests', () => {
  it('tile decode/encode of a block go through the native kernels', () => {
    const kernels = tileKernels();
    expect(kernels).toBe(nativeTileKernels());
    const decode = vi.spyOn(kernels, 'decodePlanarTiles');
    const encode = vi.spyOn(kernels, 'encodePackedNibbleTiles');
    try {
      const bytes = new Uint8Array(32 * 16).map((_, i) => (i * 37) & 0xff);
      expect(encodeTiles('snes4bpp', decodeTiles('snes4bpp', bytes))).toEqual(bytes);
      encodeTiles('gba4bpp', decodeTiles('gba4bpp', bytes));
      expect(decode).toHaveBeenCalled();
      expect(encode).toHaveBeenCalled();
    } finally {
      decode.mockRestore();
      encode.mockRestore();
    }
  });

  it('a worker thread that only loads the codec registry gets native HAL, Nemesis, konami1, Saxman, Kosinski, Kosinski Moduled, Comper and LZ4W kernels', async () => {
    const dist = join(repoRoot, 'dist', 'src');
    const source = `
      const { parentPort } = require('node:worker_threads');
      (async () => {
        await import(${JSON.stringify(join(dist, 'codecs', 'index.js'))});
        const { halKernels } = await import(${JSON.stringify(join(dist, 'codecs', 'hal', 'kernels.js'))});
        const { nemesisKernels } = await import(${JSON.stringify(join(dist, 'codecs', 'sega', 'nemesis.js'))});
        const { konami1Kernels } = await import(${JSON.stringify(join(dist, 'codecs', 'nintendo', 'konami1.js'))});
        const { saxmanKernels } = await import(${JSON.stringify(join(dist, 'codecs', 'sega', 'saxman.js'))});
        const { kosinskiKernels } = await import(${JSON.stringify(join(dist, 'codecs', 'sega', 'kosinski.js'))});
        const { kosinskiModuledKernels } = await import(${JSON.stringify(join(dist, 'codecs', 'sega', 'kosinski-moduled.js'))});
        const { comperKernels } = await import(${JSON.stringify(join(dist, 'codecs', 'sega', 'comper.js'))});
        const { lz4wKernels } = await import(${JSON.stringify(join(dist, 'codecs', 'sega', 'lz4w.js'))});
        parentPort.postMessage([halKernels().implementation, nemesisKernels().implementation, konami1Kernels().implementation, saxmanKernels().implementation, kosinskiKernels().implementation, kosinskiModuledKernels().implementation, comperKernels().implementation, lz4wKernels().implementation]);
      })();`;
    const worker = new Worker(source, { eval: true });
    const implementation = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(implementation).toEqual(['native', 'native', 'native', 'native', 'native', 'native', 'native', 'native']);
  });

  it('PNG writing deflates through the addon: a thread that only loads the PNG code loads no addon until it writes one, then deflates through the addon, or through node:zlib with ROMGFX_NATIVE=0 (same bytes)', async () => {
    expect(pngDeflate().implementation).toBe('native');
    expect(pngDeflate()).toBe(nativeZlibDeflate());
    const dist = join(repoRoot, 'dist', 'src');
    const source = `
      const { parentPort } = require('node:worker_threads');
      (async () => {
        const { encodeIndexedPng } = await import(${JSON.stringify(join(dist, 'gfx', 'png.js'))});
        const { pngDeflate } = await import(${JSON.stringify(join(dist, 'gfx', 'png-deflate.js'))});
        const { grayscalePalette } = await import(${JSON.stringify(join(dist, 'gfx', 'palette.js'))});
        const addonLoaded = () => Object.keys(require.cache).some((key) => key.endsWith('.node'));
        const zlibLoaded = () => process.moduleLoadList.includes('NativeModule zlib');
        const before = { addonLoaded: addonLoaded() };
        const pixels = new Uint8Array(64 * 32).map((_, i) => (i >> 2) & 15);
        const png = encodeIndexedPng({ width: 64, height: 32, pixels }, grayscalePalette(4));
        const after = { implementation: pngDeflate().implementation, addonLoaded: addonLoaded(), zlibLoaded: zlibLoaded() };
        parentPort.postMessage({ before, after, png });
      })();`;
    type Wiring = { before: { addonLoaded: boolean }; after: { implementation: string; addonLoaded: boolean; zlibLoaded: boolean }; png: Uint8Array };
    const runThread = async (env: NodeJS.ProcessEnv): Promise<Wiring> => {
      const worker = new Worker(source, { eval: true, env });
      const result = await new Promise<Wiring>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      return result;
    };
    const native = await runThread({ ...process.env, ROMGFX_NATIVE: '1' });
    expect(native.before).toEqual({ addonLoaded: false });
    expect(native.after.implementation).toBe('native');
    expect(native.after.addonLoaded).toBe(true);
    expect(native.after.zlibLoaded).toBe(false);
    const node = await runThread({ ...process.env, ROMGFX_NATIVE: '0' });
    expect(node.after.implementation).toBe('node:zlib');
    expect(node.after.zlibLoaded).toBe(true);
    // The same image written here, through the addon's deflate: the same bytes from both threads.
    const pixels = new Uint8Array(64 * 32).map((_, i) => (i >> 2) & 15);
    const here = Buffer.from(encodeIndexedPng({ width: 64, height: 32, pixels }, grayscalePalette(4)));
    expect(here.equals(Buffer.from(native.png))).toBe(true);
    expect(here.equals(Buffer.from(node.png))).toBe(true);
  });
});
