/**
 * Benchmark-only worker: the same decode as workers/thumbnail.ts, but encodes with sharp inside
 * the worker (WebP lossless, or PNG), to measure where sharp should run.
 */
import { workerData } from 'piscina';
import sharp from 'sharp';
import { RomHandles } from '../../src/thumbs/rom-handles.js';
import { renderThumbnail } from '../../src/thumbs/render.js';
import { batchTasks, failureFromError, type PoolMessage, type WorkerReply, type WorkerTask } from '../../src/thumbs/protocol.js';
import { getCodec } from '../../src/codecs/index.js';

const roms = new RomHandles();
const encoding = ((workerData ?? {}) as { encoding?: 'webp' | 'png' }).encoding ?? 'webp';

async function renderOne(task: WorkerTask): Promise<WorkerReply> {
  try {
    const rom = roms.get(task.request.rom);
    const rgba = renderThumbnail(rom.data, task.request, 'rgba', (c, b, o, l) => getCodec(c).decompress(b, o, l), null);
    const image = sharp(rgba.bytes, { raw: { width: rgba.width, height: rgba.height, channels: 4 } });
    const out = await (encoding === 'webp' ? image.webp({ lossless: true, exact: true, effort: 4 }) : image.png()).toBuffer();
    return { ok: true, kind: 'png', bytes: new Uint8Array(out), width: rgba.width, height: rgba.height, decodeSeconds: 0, encodeSeconds: 0 };
  } catch (error) {
    return failureFromError(error);
  }
}

export default async function handle(message: PoolMessage): Promise<unknown> {
  const tasks = batchTasks(message);
  if (tasks !== null) {
    const batch: WorkerReply[] = [];
    for (const task of tasks) batch.push(await renderOne(task));
    return { batch };
  }
  return renderOne(message as WorkerTask);
}
