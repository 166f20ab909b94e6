/**
 * Piscina worker: renders one thumbnail. Maps the ROM itself (RomHandles), decodes, scales and
 * encodes in this thread, and replies with data (errors included; see src/thumbs/protocol.ts).
 * Logs through a synchronous pino destination: an asynchronous one lost lines at pool shutdown.
 */
import { performance } from 'node:perf_hooks';
import { workerData, move, transferableSymbol, valueSymbol } from 'piscina';
import { createLogger } from '../src/log.js';
import { RomHandles } from '../src/thumbs/rom-handles.js';
import { renderThumbnail, type Decompressor } from '../src/thumbs/render.js';
import { answerMessage, failureFromError, type PoolMessage, type WorkerReply, type WorkerTask } from '../src/thumbs/protocol.js';
import { getCodec } from '../src/codecs/index.js';

const settings = (workerData ?? {}) as { logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
const logger = createLogger({ level: settings.logLevel ?? 'warn', name: 'romgfx-thumbnail-worker' });
const roms = new RomHandles();
const decompress: Decompressor = (codec, bytes, offset, limits) => getCodec(codec).decompress(bytes, offset, limits);

/**
 * Async, and yields to the event loop before rendering: Piscina reads every message waiting in
 * the port at once and runs their handlers in one microtask chain, posting no reply until the
 * last handler has finished. With two batches per worker (pool.ts) a worker therefore answered
 * both together and then sat idle until the main thread had sent two more (17% of the worker's
 * time in atomicsWaitLoop, measured here). After the yield, each batch's reply leaves as soon as
 * that batch is done and the next one arrives while this worker renders (wait: 17% → 5%).
 */
export default async function handle(message: PoolMessage): Promise<unknown> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  const { reply, transfer } = answerMessage(message, renderTask);
  // The bytes are ours alone: transfer their buffers instead of copying them (Piscina's movable protocol).
  return move({ [transferableSymbol]: transfer, [valueSymbol]: reply } as never);
}

function renderTask(task: WorkerTask): WorkerReply {
  try {
    const rom = roms.get(task.request.rom);
    const result = renderThumbnail(rom.data, task.request, task.output, decompress, task.instrumentation ? performance : null);
    if (task.instrumentation) logger.debug({ offset: task.request.block.offset, decodeSeconds: result.decodeSeconds, encodeSeconds: result.encodeSeconds }, 'rendered');
    return { ok: true, ...result };
  } catch (error) {
    const reply = failureFromError(error);
    // Bad blocks are expected (scanners probe many): the caller gets the error; only internal failures are warnings here.
    if (reply.error.category === 'internal') logger.warn({ offset: task.request.block.offset, code: reply.error.code }, reply.error.message);
    else logger.debug({ offset: task.request.block.offset, code: reply.error.code }, reply.error.message);
    return reply;
  }
}
