/**
 * Benchmark-only worker that answers every task at once with a 4-byte "image": with it, a cold
 * request costs only the service's own work (keys, pool, messaging, instrumentation), so the
 * cost of instrumentation can be measured without the rendering noise around it.
 */
import { answerMessage, type PoolMessage, type PoolReply, type WorkerReply, type WorkerTask } from '../../src/thumbs/protocol.js';

function reply(task: WorkerTask): WorkerReply {
  return { ok: true, kind: 'png', bytes: Uint8Array.of(task.request.block.offset & 0xff, 0, 0, 0), width: 1, height: 1, decodeSeconds: 0.0001, encodeSeconds: 0.0001 };
}

export default function handle(message: PoolMessage): PoolReply {
  return answerMessage(message, reply).reply;
}
