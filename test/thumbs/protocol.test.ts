/** The packed batch form the pool posts (src/thumbs/protocol.ts): what the worker unpacks is what was packed. */
import { describe, expect, it } from 'vitest';
import { normalizeRequest, type ThumbnailRequest } from '../../src/thumbs/request.js';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { answerMessage, batchTasks, packBatch, unpackBatch, type PoolReply, type WorkerReply, type WorkerTask } from '../../src/thumbs/protocol.js';
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

describe('answerMessage', () => {
  /** A reply per task, as a worker would make it: a PNG of offset-dependent bytes, RGBA, or a failure. */
  const renderOne = (t: WorkerTask): WorkerReply => {
    const offset = t.request.block.offset;
    // Offsets 4 more than a multiple of 5 fail (0x103, 0x108, …).
    if (offset % 5 === 4) return { ok: false, error: { name: 'HalStreamTruncatedError', code: 'ERR_HAL_TRUNCATED', category: 'data', message: 'short', details: { offset } } };
    const length = t.output === 'rgba' ? 64 : 10 + (offset % 7);
    return { ok: true, kind: t.output, bytes: new Uint8Array(length).fill(offset & 0xff), width: 1, height: 1, decodeSeconds: 0, encodeSeconds: 0 };
  };

  it('sends a batch\'s PNGs as views of one transferred buffer, RGBA on its own, failures as data, all in order', () => {
    const tasks = [task(0x100), task(0x101), task(0x103), task(0x102, {}, 'rgba'), task(0x105), task(0x108), task(0x10a)];
    const { reply, transfer } = answerMessage(packBatch(tasks), renderOne);
    const channel = new MessageChannel();
    channel.port1.postMessage(reply, transfer);
    const received = receiveMessageOnPort(channel.port2)!.message as PoolReply;
    channel.port1.close();
    expect(transfer).toHaveLength(2);
    const batch = (received as { batch: WorkerReply[] }).batch;
    expect(batch).toHaveLength(tasks.length);
    const pngBuffers = new Set<ArrayBufferLike>();
    batch.forEach((r, k) => {
      const want = renderOne(tasks[k]!);
      expect(r.ok, `task ${k}`).toBe(want.ok);
      if (!r.ok || !want.ok) return;
      expect(Buffer.from(r.bytes).equals(Buffer.from(want.bytes)), `task ${k}`).toBe(true);
      if (r.kind === 'png') pngBuffers.add(r.bytes.buffer);
      else expect(r.bytes.byteLength).toBe(r.bytes.buffer.byteLength);
    });
    expect(pngBuffers.size).toBe(1);
    expect([...pngBuffers][0]!.byteLength).toBe(batch.reduce((sum, r) => sum + (r.ok && r.kind === 'png' ? r.bytes.length : 0), 0));
  });

  it('sends a single task\'s image in its own buffer, and a batch of failures with nothing to transfer', () => {
    const single = answerMessage(task(0x100), renderOne);
    expect(single.transfer).toHaveLength(1);
    const failures = answerMessage(packBatch([task(0x103), task(0x108)]), renderOne);
    expect(failures.transfer).toHaveLength(0);
    expect((failures.reply as { batch: WorkerReply[] }).batch.map((r) => r.ok)).toEqual([false, false]);
  });
});
