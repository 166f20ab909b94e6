/**
 * Structured inputs for HAL tests: raw bytes, byte runs, counting sequences, word patterns, and
 * forward / bit-reversed / backward repeats of earlier output — the shapes every HAL command
 * kind encodes. The size limits are parameters: small inputs for brute-force optimum checks,
 * large ones for parity and round trips.
 */
import fc from 'fast-check';
import { bitReversedByte } from '../../src/codecs/hal/common.js';

export interface StructuredHalInputOptions {
  maxParts: number;
  maxRawBytes: number;
  maxRun: number;
  maxSequence: number;
  maxCopy: number;
  /** Include two-byte word patterns (word fills). */
  words: boolean;
  /** The output is cut to this many bytes. */
  maxLength: number;
}

export function structuredHalInput(o: StructuredHalInputOptions): fc.Arbitrary<Uint8Array> {
  const parts = [
    fc.uint8Array({ minLength: 1, maxLength: o.maxRawBytes }).map((b) => ({ kind: 'raw' as const, b })),
    fc.record({ kind: fc.constant('run' as const), v: fc.integer({ min: 0, max: 255 }), n: fc.integer({ min: 1, max: o.maxRun }) }),
    fc.record({ kind: fc.constant('seq' as const), v: fc.integer({ min: 0, max: 255 }), n: fc.integer({ min: 1, max: o.maxSequence }) }),
    fc.record({ kind: fc.constant('copy' as const), back: fc.nat(), n: fc.integer({ min: 1, max: o.maxCopy }), how: fc.integer({ min: 0, max: 2 }) }),
    ...(o.words ? [fc.record({ kind: fc.constant('word' as const), a: fc.integer({ min: 0, max: 255 }), b: fc.integer({ min: 0, max: 255 }), n: fc.integer({ min: 1, max: o.maxRun }) })] : []),
  ];
  return fc.array(fc.oneof(...parts), { maxLength: o.maxParts }).map((list) => {
    const out: number[] = [];
    for (const part of list) {
      if (part.kind === 'raw') out.push(...part.b);
      else if (part.kind === 'run') for (let k = 0; k < part.n; k++) out.push(part.v);
      else if (part.kind === 'seq') for (let k = 0; k < part.n; k++) out.push((part.v + k) & 0xff);
      else if (part.kind === 'word') for (let k = 0; k < part.n; k++) out.push(part.a, part.b);
      else if (out.length > 0) {
        // how 0: forward repeat, 1: bit-reversed repeat, 2: backward repeat (the three copy kinds).
        const from = part.back % out.length;
        for (let k = 0; k < part.n; k++) {
          const at = part.how === 2 ? from - (k % (from + 1)) : from + (k % (out.length - from));
          const v = out[at]!;
          out.push(part.how === 1 ? bitReversedByte[v]! : v);
        }
      }
    }
    return new Uint8Array(out.slice(0, o.maxLength));
  });
}
