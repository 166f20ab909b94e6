import { describe, expect, it, vi } from 'vitest';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { decodeTiles, encodeTiles } from '../../src/gfx/formats.js';
import { tileKernels, nativeTileKernels } from '../../src/native/index.js';
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
});
