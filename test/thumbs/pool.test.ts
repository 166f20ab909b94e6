/**
 * The pool and the service's request path, with a scripted worker (test/helpers/thumbs/scripted-worker.ts)
 * so crashes, failures and slow tasks happen on purpose. Needs `npx tsc -p .` first (workers run compiled JS).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/version.js';
import { ThumbnailService, type ThumbnailServiceOptions } from '../../src/thumbs/service.js';
import { AbortedError, QueueFullError, RomgfxError, ServiceClosedError, ThumbnailWorkerError } from '../../src/errors.js';
import { scriptedRequest } from './helpers/requests.js';

const scriptedWorker = join(PACKAGE_ROOT, 'dist', 'test', 'helpers', 'thumbs', 'scripted-worker.js');
const open: ThumbnailService[] = [];

function service(options: ThumbnailServiceOptions = {}): ThumbnailService {
  const s = new ThumbnailService({ threads: 2, diskCache: false, workerFile: scriptedWorker, ...options });
  open.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function offsetOf(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
}

describe('ThumbnailService request path (scripted worker)', () => {
  it('renders once, then serves from memory', async () => {
    const s = service();
    const first = await s.thumbnail(scriptedRequest('ok', 1234));
    expect(first.source).toBe('render');
    expect(offsetOf(first.bytes)).toBe(1234);
    const second = await s.thumbnail(scriptedRequest('ok', 1234));
    expect(second.source).toBe('memory');
    expect(second.key).toBe(first.key);
    const stats = s.stats();
    expect(stats).toMatchObject({ requests: 2, rendered: 1, memory: { hits: 1, misses: 1, entries: 1 } });
  });

  it('computes identical requests in flight at the same time once', async () => {
    const s = service();
    const results = await Promise.all([1, 2, 3].map(() => s.thumbnail(scriptedRequest('sleep', 50))));
    expect(results.map((r) => offsetOf(r.bytes))).toEqual([50, 50, 50]);
    expect(s.stats()).toMatchObject({ requests: 3, rendered: 1, deduplicated: 2 });
  });

  it('fails only the request whose worker exits, with a typed error, and carries on', async () => {
    const s = service();
    const [crashed, fine] = await Promise.allSettled([s.thumbnail(scriptedRequest('exit', 1)), s.thumbnail(scriptedRequest('ok', 2))]);
    expect(crashed.status).toBe('rejected');
    const error = (crashed as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(ThumbnailWorkerError);
    expect(error.code).toBe('ERR_WORKER_FAILED');
    expect(fine.status).toBe('fulfilled');
    // The pool replaced the dead worker: more work still runs.
    const after = await Promise.all([3, 4, 5, 6].map((o) => s.thumbnail(scriptedRequest('ok', o))));
    expect(after.map((t) => offsetOf(t.bytes))).toEqual([3, 4, 5, 6]);
    expect(s.stats().errors).toEqual({ ERR_WORKER_FAILED: 1 });
  });

  it('posts requests made together as one batch, and a crash inside a batch fails only its culprit', async () => {
    const s = service({ threads: 1 });
    const formats = ['ok', 'ok', 'fail', 'exit', 'ok', 'throw', 'ok'];
    const outcomes = await Promise.allSettled(formats.map((f, i) => s.thumbnail(scriptedRequest(f, 10 + i))));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? offsetOf(o.value.bytes) : (o.reason as RomgfxError).code))).toEqual([
      10,
      11,
      'ERR_TEST_FAILURE',
      'ERR_WORKER_FAILED',
      14,
      'ERR_WORKER_FAILED',
      16,
    ]);
  });

  it('stops waiting for a cancelled request inside a batch while the rest complete', async () => {
    const s = service({ threads: 1 });
    const controller = new AbortController();
    const pending = [1, 2, 3, 4].map((i) => s.thumbnail(scriptedRequest('sleep', 100 + i), i === 2 ? { signal: controller.signal } : {}));
    setTimeout(() => controller.abort(), 30);
    const outcomes = await Promise.allSettled(pending);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(AbortedError);
  });

  it('turns an error thrown out of the worker into ThumbnailWorkerError', async () => {
    const s = service();
    await expect(s.thumbnail(scriptedRequest('throw', 1))).rejects.toMatchObject({ code: 'ERR_WORKER_FAILED', message: expect.stringContaining('scripted worker threw') });
    expect(offsetOf((await s.thumbnail(scriptedRequest('ok', 9))).bytes)).toBe(9);
  });

  it('keeps the code and details of a romgfx error raised in the worker', async () => {
    const s = service();
    const error = await s.thumbnail(scriptedRequest('fail', 77)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RomgfxError);
    expect(error).toMatchObject({ code: 'ERR_TEST_FAILURE', category: 'data', name: 'TestFailure', details: { offset: 77 } });
  });

  it('cancels a running request through its AbortSignal', async () => {
    const s = service({ threads: 1 });
    const controller = new AbortController();
    const pending = s.thumbnail(scriptedRequest('sleep', 5000), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    // The pool terminated that worker and started another: the next request runs.
    expect(offsetOf((await s.thumbnail(scriptedRequest('ok', 5))).bytes)).toBe(5);
    expect(s.stats().cancelled).toBe(1);
  });

  it('cancels a queued request without running it', async () => {
    const s = service({ threads: 1 });
    const busy = s.thumbnail(scriptedRequest('sleep', 300));
    const controller = new AbortController();
    const queued = s.thumbnail(scriptedRequest('ok', 8), { signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(AbortedError);
    await busy;
    expect(s.stats().rendered).toBe(1);
  });

  it('rejects an already-aborted signal at once', async () => {
    const s = service();
    await expect(s.thumbnail(scriptedRequest('ok', 1), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortedError);
  });

  it('keeps a shared computation alive while any caller still waits for it', async () => {
    const s = service();
    const leaving = new AbortController();
    const a = s.thumbnail(scriptedRequest('sleep', 200), { signal: leaving.signal });
    const b = s.thumbnail(scriptedRequest('sleep', 200));
    leaving.abort();
    await expect(a).rejects.toBeInstanceOf(AbortedError);
    expect(offsetOf((await b).bytes)).toBe(200);
    expect(s.stats().rendered).toBe(1);
  });

  it('refuses work beyond the queue limit with QueueFullError', async () => {
    const s = service({ threads: 1, maxQueue: 1 });
    const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map((o) => s.thumbnail(scriptedRequest('sleep', 20 + o))));
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    // At most one running and one queued: at least three of five are refused, each with the typed error.
    expect(rejected.length).toBeGreaterThanOrEqual(3);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(QueueFullError);
    expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
  });

  it('close() while busy lets running and queued work finish, then refuses new work', async () => {
    const s = service({ threads: 2 });
    const pending = [1, 2, 3, 4, 5].map((o) => s.thumbnail(scriptedRequest('sleep', 100 + o)));
    await s.close();
    const done = await Promise.all(pending);
    expect(done.map((t) => offsetOf(t.bytes))).toEqual([101, 102, 103, 104, 105]);
    await expect(s.thumbnail(scriptedRequest('ok', 1))).rejects.toBeInstanceOf(ServiceClosedError);
  });

  it('renderMany returns one outcome per request, in order, and reports progress', async () => {
    const s = service();
    const requests = [scriptedRequest('ok', 1), scriptedRequest('fail', 2), scriptedRequest('ok', 3)];
    const progress: number[] = [];
    const outcomes = await s.renderMany(requests, { onProgress: (done) => progress.push(done) });
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(outcomes[1]!.ok ? null : outcomes[1]!.error.code).toBe('ERR_TEST_FAILURE');
    expect(progress).toEqual([1, 2, 3]);
  });
});

describe('two messages per worker never cost a neighbour its result', () => {
  it('aborting a running task (which terminates its worker) does not fail the task queued behind it', async () => {
    const s = service({ threads: 1 });
    const controller = new AbortController();
    const running = s.thumbnail(scriptedRequest('sleep', 400), { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Posted in a later turn, alone: with one thread it waits in the same worker's port.
    const queued = s.thumbnail(scriptedRequest('ok', 7));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const [aborted, fine] = await Promise.allSettled([running, queued]);
    expect(aborted.status).toBe('rejected');
    expect((aborted as PromiseRejectedResult).reason).toBeInstanceOf(AbortedError);
    expect(fine.status).toBe('fulfilled');
    expect(offsetOf((fine as PromiseFulfilledResult<{ bytes: Uint8Array }>).value.bytes)).toBe(7);
  });

  it('a worker crash fails only the task that caused it, however the tasks were grouped', async () => {
    const s = service({ threads: 1 });
    const results = await Promise.allSettled([s.thumbnail(scriptedRequest('ok', 1)), s.thumbnail(scriptedRequest('exit', 2)), s.thumbnail(scriptedRequest('ok', 3))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ThumbnailWorkerError);
  });
});

describe('renderMany', () => {
  it('a crash among its requests fails only the culprit, and the pool carries on', async () => {
    const s = service({ threads: 1 });
    const formats = ['ok', 'ok', 'fail', 'exit', 'ok', 'throw', 'ok'];
    const outcomes = await s.renderMany(formats.map((f, i) => scriptedRequest(f, 10 + i)));
    expect(outcomes.map((o) => (o.ok ? offsetOf(o.thumbnail.bytes) : o.error.code))).toEqual([10, 11, 'ERR_TEST_FAILURE', 'ERR_WORKER_FAILED', 14, 'ERR_WORKER_FAILED', 16]);
    const after = await s.renderMany([20, 21, 22].map((o) => scriptedRequest('ok', o)));
    expect(after.map((o) => o.ok && offsetOf(o.thumbnail.bytes))).toEqual([20, 21, 22]);
    expect(s.stats().errors).toEqual({ ERR_TEST_FAILURE: 1, ERR_WORKER_FAILED: 2 });
  });

  it('renders a request listed twice once, and a caller asking meanwhile joins it', async () => {
    const s = service();
    const list = [scriptedRequest('sleep', 60), scriptedRequest('ok', 1), scriptedRequest('sleep', 60), scriptedRequest('ok', 2)];
    const many = s.renderMany(list);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const joined = await s.thumbnail(scriptedRequest('sleep', 60));
    const outcomes = await many;
    expect(outcomes.map((o) => o.ok && offsetOf(o.thumbnail.bytes))).toEqual([60, 1, 60, 2]);
    expect(offsetOf(joined.bytes)).toBe(60);
    expect(joined.source).toBe('render');
    expect(s.stats()).toMatchObject({ requests: 5, rendered: 3, deduplicated: 2 });
  });

  it('close() while it runs lets it finish, and its results are kept', async () => {
    const s = service();
    const many = s.renderMany([1, 2, 3, 4, 5].map((o) => scriptedRequest('sleep', 40 + o)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await s.close();
    const outcomes = await many;
    expect(outcomes.map((o) => o.ok && offsetOf(o.thumbnail.bytes))).toEqual([41, 42, 43, 44, 45]);
    expect(s.stats().rendered).toBe(5);
  });
});
