import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { getCodec, probeHal } from '../../src/codecs/index.js';
import { computeHalChains } from '../../src/scan/hal-chain.js';
import { codeLikeFiller, rng, spriteTiles } from './helpers/sprite-art.js';

/** The chain pass's verdict at every offset must be exactly the probe's (validity, packed and unpacked length). */
function expectSameAsProbe(bytes: Uint8Array): void {
  const chains = computeHalChains(bytes, 0, bytes.length);
  for (let p = 0; p < bytes.length; p++) {
    const probe = probeHal(bytes, p);
    const total = chains.total[p]!;
    if (probe === null) {
      if (total >= 0) throw new Error(`offset ${p}: chain says ${total} bytes, probe says invalid`);
    } else {
      if (total !== probe.unpackedLength || chains.end[p]! - p !== probe.packedLength) {
        throw new Error(`offset ${p}: chain ${total}/${chains.end[p]! - p}, probe ${probe.unpackedLength}/${probe.packedLength}`);
      }
    }
  }
}

describe('HAL chain pass', () => {
  test('agrees with probeHal at every offset of random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), (bytes) => expectSameAsProbe(bytes)),
      { numRuns: 40 },
    );
  });

  test('agrees with probeHal at every offset of code-like filler, zeros, and real streams amid filler', () => {
    expectSameAsProbe(codeLikeFiller(20000, 5));
    expectSameAsProbe(new Uint8Array(9000));
    const hal = getCodec('hal');
    const mixed = new Uint8Array(24000);
    const random = rng(17);
    for (let i = 0; i < mixed.length; i++) mixed[i] = Math.floor(random() * 256);
    let at = 100;
    for (const level of ['1', '4', 'max']) {
      const stream = hal.compress(spriteTiles('snes4bpp', 64, at), { level });
      mixed.set(stream, at);
      at += stream.length + 500;
    }
    expectSameAsProbe(mixed);
  });

  test('a window that stops early still gives exact figures for starts before its stop', () => {
    const bytes = codeLikeFiller(30000, 9);
    const full = computeHalChains(bytes, 0, bytes.length);
    const part = computeHalChains(bytes, 5000, 6000);
    for (let p = 5000; p < 6000; p++) {
      expect(part.total[p - 5000]).toBe(full.total[p]);
      if (full.total[p]! >= 0) {
        expect(part.end[p - 5000]).toBe(full.end[p]);
        expect(part.need[p - 5000]).toBe(full.need[p]);
      }
    }
  });

  test('streams from the encoders are strict at their start (no copy reads output not yet written)', () => {
    const hal = getCodec('hal');
    for (const [i, level] of ['1', '2', '3', '4', 'max'].entries()) {
      for (const format of ['snes4bpp', 'gb2bpp', 'snes8bpp']) {
        const stream = hal.compress(spriteTiles(format, 48, 100 + i), { level });
        const chains = computeHalChains(stream, 0, 1);
        expect(chains.total[0]).toBeGreaterThan(0);
        expect(chains.total[0]!).toBeGreaterThanOrEqual(chains.need[0]!);
      }
    }
  });

  test('a copy from output not yet written makes a start non-strict', () => {
    // Forward copy of 4 bytes from position 0x10 at output position 2: reads unwritten output.
    const stream = Uint8Array.of(0x01, 0xaa, 0xbb, 0x83, 0x00, 0x10, 0xff);
    const chains = computeHalChains(stream, 0, 1);
    expect(chains.total[0]).toBe(6);
    expect(chains.total[0]!).toBeLessThan(chains.need[0]!);
    // The same copy from position 0 reads written output.
    const strict = Uint8Array.of(0x01, 0xaa, 0xbb, 0x83, 0x00, 0x00, 0xff);
    const ok = computeHalChains(strict, 0, 1);
    expect(ok.total[0]!).toBeGreaterThanOrEqual(ok.need[0]!);
  });
});
