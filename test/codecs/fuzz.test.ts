import { describe, expect, it } from 'vitest';
import { fuzzCodec, fuzzTargets } from '../fuzz/fuzz-lib.js';

// ≥ 100,000 inputs per decoder (random bytes and mutations of valid streams), each decoded and
// probed: only typed errors, never output past the limit, probe and decode agree.
const inputsPerCodec = 100_000;

describe('decoder fuzzing', () => {
  for (const target of fuzzTargets()) {
    it(`${target.codec}: ${inputsPerCodec} inputs`, () => {
      const stats = fuzzCodec(target, inputsPerCodec, 0xc0dec + target.codec.length);
      expect(stats.failures).toEqual([]);
      expect(stats.inputs).toBe(inputsPerCodec);
      // Both paths are exercised: some inputs decode, some are rejected.
      expect(stats.decoded).toBeGreaterThan(0);
      expect(stats.rejected).toBeGreaterThan(0);
    });
  }
});
