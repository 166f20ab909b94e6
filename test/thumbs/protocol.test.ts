/** The packed batch form the pool posts (src/thumbs/protocol.ts): what the worker unpacks is what was packed. */
import { describe, expect, it } from 'vitest';
import { normalizeRequest, type ThumbnailRequest } from '../../src/thumbs/request.js';
import { batchTasks, packBatch, unpackBatch, type WorkerTask } from '../../src/thumbs/protocol.js';
import { RomgfxError } from '../../src/errors.js';

const colors = [0x000000, 0xffffff, 0x123456];
const task = (offset: number, change: Partial<ThumbnailRequest> = {}, output: 'png' | 'rgba' = 'png', instrumentation = true): WorkerTask => ({
  request: normalizeRequest({ rom: { path: '/roms/a.sfc', sha1: 'a'.repeat(40) }, block: { offset, format: 'snes4bpp', tiles: 8, codec: 'hal' }, palette: { kind: 'colors', colors }, output: { scale: 2 }, ...change }),
  instrumentation,
  output,
});

describe('packBatch / unpackBatch', () => {
  it('gives back every task, in order, through a structured clone; each variant is sent once', () => {
    const tasks = [
      task(0x10000),
      task(0x10800),
      task(2 ** 32 + 5),
      task(0x200, { rom: { path: '/roms/copy-of-a.sfc', sha1: 'a'.repeat(40) } }), // same identity, other path: the worker needs the path
      task(0x200, { rom: { path: '/roms/a.sfc', sha1: 'a'.repeat(40), platform: 'snes' } }),
      task(0x300, { palette: { kind: 'colors', colors: [0x000000, 0xffffff, 0x123457] } }),
      task(0x400, {}, 'rgba'),
      task(0x500, {}, 'png', false),
      task(0x600, { block: { offset: 0x600, format: 'gb2bpp', tiles: 8 } }),
      task(0x18000),
    ];
    const message = structuredClone(packBatch(tasks));
    expect(message.packed.templates).toHaveLength(7);
    expect(unpackBatch(message.packed)).toEqual(tasks);
    expect(batchTasks(message)).toEqual(tasks);
  });

  it('refuses a malformed batch (odd length, a template index out of range) with ERR_INTERNAL', () => {
    const { packed } = packBatch([task(1), task(2)]);
    expect(() => unpackBatch({ templates: packed.templates, items: new Float64Array(3) })).toThrow(RomgfxError);
    expect(() => unpackBatch({ templates: packed.templates, items: Float64Array.of(1, 0) })).toThrow(/template 1 of 1/u);
    expect(() => unpackBatch({ templates: packed.templates, items: Float64Array.of(0.5, 0) })).toThrow(/template 0.5/u);
  });
});
