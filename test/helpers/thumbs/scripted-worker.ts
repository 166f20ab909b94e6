/**
 * A stand-in thumbnail worker for pool tests: what it does is chosen by the request's block
 * format, so tests can make a worker crash, throw, hang or answer on purpose.
 *   ok      → a reply whose bytes are the offset as 4 little-endian bytes
 *   sleep   → waits `offset` ms (blocking the thread, like CPU work), then replies as ok
 *   exit    → the worker thread exits (process.exit in a worker ends only that thread)
 *   throw   → throws a plain Error out of the handler
 *   fail    → replies with a romgfx failure (code ERR_TEST_FAILURE)
 */
import { answerMessage, type PoolMessage, type PoolReply, type WorkerReply, type WorkerTask } from '../../../src/thumbs/protocol.js';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function okReply(offset: number): WorkerReply {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, offset, true);
  return { ok: true, kind: 'png', bytes, width: 1, height: 1, decodeSeconds: 0.001, encodeSeconds: 0.001 };
}

export default function handle(message: PoolMessage): PoolReply {
  return answerMessage(message, scripted).reply;
}

function scripted(task: WorkerTask): WorkerReply {
  const { format, offset } = task.request.block;
  switch (format) {
    case 'sleep':
      Atomics.wait(sleeper, 0, 0, offset);
      return okReply(offset);
    case 'exit':
      process.exit(3);
    // falls through (process.exit does not return)
    case 'throw':
      throw new Error('scripted worker threw');
    case 'fail':
      return { ok: false, error: { name: 'TestFailure', code: 'ERR_TEST_FAILURE', category: 'data', message: `scripted failure at ${offset}`, details: { offset } } };
    default:
      return okReply(offset);
  }
}
