/**
 * The decoder fuzzer (test/fuzz/fuzz-lib.ts: random bytes and mutated valid streams, each decoded
 * and probed; only typed errors, never output past the limit, probe and decode agree) on the
 * native path of every codec that has one, through the registry as the engine calls it.
 */
import { describe, expect, it } from 'vitest';
import { fuzzCodec, fuzzTargets } from '../fuzz/fuzz-lib.js';
import { konami1Kernels } from '../../src/codecs/nintendo/konami1.js';
import { nemesisKernels } from '../../src/codecs/sega/nemesis.js';
import { halKernels } from '../../src/codecs/hal/kernels.js';
import { saxmanKernels } from '../../src/codecs/sega/saxman.js';
import { kosinskiKernels } from '../../src/codecs/sega/kosinski.js';
import { kosinskiModuledKernels } from '../../src/codecs/sega/kosinski-moduled.js';
import { comperKernels } from '../../src/codecs/sega/comper.js';
import { lz4wKernels } from '../../src/codecs/sega/lz4w.js';
import { requireNative } from './helpers.js';
import '../../src/native/index.js';

requireNative();
const inputsPerCodec = 60_000;
const implementations: Record<string, () => string> = {
  hal: () => halKernels().implementation,
  nemesis: () => nemesisKernels().implementation,
  konami1: () => konami1Kernels().implementation,
  saxman: () => saxmanKernels().implementation,
  kosinski: () => kosinskiKernels().implementation,
  'kosinski-moduled': () => kosinskiModuledKernels().implementation,
  comper: () => comperKernels().implementation,
  lz4w: () => lz4wKernels().implementation,
};

describe('decoder fuzzing on the native kernels', () => {
  for (const target of fuzzTargets().filter((t) => t.codec in implementations)) {
    it(`${target.codec} (native): ${inputsPerCodec} inputs`, () => {
      expect(implementations[target.codec]!()).toBe('native');
      // A new seed each run widens coverage over time; it is in the failure message to reproduce.
      const seed = (Date.now() >>> 0) ^ target.codec.length;
      const stats = fuzzCodec(target, inputsPerCodec, seed);
      expect(stats.failures, `seed ${seed}`).toEqual([]);
      expect(stats.inputs).toBe(inputsPerCodec);
      expect(stats.decoded).toBeGreaterThan(0);
      expect(stats.rejected).toBeGreaterThan(0);
    });
  }
});
