/**
 * Patch creation off the caller's thread: the same bytes as createPatch, progress reported, the
 * event loop free while it runs, and an AbortSignal that stops it at once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { applyPatchAsync, closePatchJobs, createPatchAsync } from '../../src/jobs/patch-jobs.js';
import { applyPatch, createPatch } from '../../src/patch/index.js';
import { fillPseudoRandom } from '../../src/rom/build.js';

afterAll(() => closePatchJobs());

function pair(size: number): { source: Uint8Array; target: Uint8Array } {
  const source = new Uint8Array(size);
  fillPseudoRandom(source, 7);
  const target = source.slice();
  // Scattered edits and a moved block: real delta work for the BPS encoder.
  for (let i = 0; i < size; i += 4099) target[i] = target[i]! ^ 0x5a;
  target.copyWithin(size >> 1, 0, size >> 3);
  return { source, target };
}

describe('createPatchAsync / applyPatchAsync', () => {
  it('make the same BPS and IPS as the synchronous functions, report progress, and apply back to the target', async () => {
    const { source, target } = pair(2 * 1024 * 1024);
    const progress: number[] = [];
    const made = await createPatchAsync('bps', source, target, { onProgress: (done, total) => progress.push(done / total) });
    expect(Buffer.from(made.patch).equals(Buffer.from(createPatch('bps', source, target).patch))).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p, i) => p >= 0 && p <= 1 && (i === 0 || p >= progress[i - 1]!))).toBe(true);
    const applied = await applyPatchAsync(made.patch, source);
    expect(Buffer.from(applied.target).equals(Buffer.from(target))).toBe(true);
    const ips = await createPatchAsync('ips', source, target);
    expect(Buffer.from(applyPatch(ips.patch, source).target).equals(Buffer.from(target))).toBe(true);
    // The caller's buffers are copied, not taken.
    expect(source.length).toBe(2 * 1024 * 1024);
  }, 120_000);

  it('keeps the event loop free while a large patch is made, and stops at once when aborted (ERR_ABORTED)', async () => {
    const { source, target } = pair(8 * 1024 * 1024);
    const controller = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
      if (ticks === 5) controller.abort();
    }, 10);
    const started = performance.now();
    await expect(createPatchAsync('bps', source, target, { signal: controller.signal })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    clearInterval(timer);
    expect(ticks).toBeGreaterThanOrEqual(5);
    // The encoder alone takes seconds on 8 MiB; the abort ended it well before.
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect(createPatchAsync('bps', source, target, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  }, 120_000);

  it('a patch for another ROM comes back as the typed error the synchronous apply throws', async () => {
    const { source, target } = pair(64 * 1024);
    const patch = createPatch('bps', source, target).patch;
    const other = source.slice();
    other[100] = other[100]! ^ 1;
    await expect(applyPatchAsync(patch, other)).rejects.toMatchObject({ code: 'ERR_BPS_SOURCE_CRC' });
  });
});
