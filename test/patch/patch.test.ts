import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  applyBps,
  applyIps,
  applyPatch,
  createBps,
  createIps,
  createPatch,
  detectPatchFormat,
  ipsEofOffset,
  maximumPatchTargetSizeInBytes,
  parseIps,
  readBpsHeader,
} from '../../src/patch/index.js';
import { RomgfxError } from '../../src/errors.js';
import { crc32 } from '../../src/util/hash.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/patches/${name}`, import.meta.url)));
const clean = fixture('clean.sfc');
const hack = fixture('hack.sfc');
const short = fixture('short.sfc');

function expectBytesEqual(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  // Buffer.compare avoids a per-byte diff of half a megabyte in the failure message.
  expect(Buffer.compare(Buffer.from(actual.buffer, actual.byteOffset, actual.length), Buffer.from(expected.buffer, expected.byteOffset, expected.length))).toBe(0);
}

function expectCode(fn: () => unknown, code: string): RomgfxError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RomgfxError);
    expect((error as RomgfxError).code).toBe(code);
    return error as RomgfxError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

/** byuu's varint, written independently of the encoder under test. */
function varint(value: number): number[] {
  const bytes: number[] = [];
  let data = value;
  for (;;) {
    const x = data % 128;
    data = Math.floor(data / 128);
    if (data === 0) {
      bytes.push(0x80 | x);
      return bytes;
    }
    bytes.push(x);
    data--;
  }
}

function u32le(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

/** A BPS patch with the given body (actions) and correct CRCs (unless told otherwise). */
function handMadeBps(source: Uint8Array, target: Uint8Array, body: number[], targetSize = target.length): Uint8Array {
  const head = [0x42, 0x50, 0x53, 0x31, ...varint(source.length), ...varint(targetSize), ...varint(0), ...body, ...u32le(crc32(source)), ...u32le(crc32(target))];
  const withoutPatchCrc = new Uint8Array(head);
  return new Uint8Array([...head, ...u32le(crc32(withoutPatchCrc))]);
}

describe('Floating IPS vectors', () => {
  test.each([
    ['clean-to-hack.ips', hack],
    ['clean-to-hack.delta.bps', hack],
    ['clean-to-hack.linear.bps', hack],
    ['clean-to-short.ips', short],
    ['clean-to-short.bps', short],
  ])('%s applies to clean.sfc byte for byte', (name, expected) => {
    const result = applyPatch(fixture(name), clean);
    expect(result.format).toBe(name.endsWith('.ips') ? 'ips' : 'bps');
    expectBytesEqual(result.target, expected);
  });

  test('the IPS truncation extension shortens the file', () => {
    const parsed = parseIps(fixture('clean-to-short.ips'));
    expect(parsed.truncateTo).toBe(400_000);
    expect(applyIps(fixture('clean-to-short.ips'), clean).truncateTo).toBe(400_000);
  });

  test('our IPS follows the same format rules as Flips: identical bytes for both pairs', () => {
    expectBytesEqual(createIps(clean, hack), fixture('clean-to-hack.ips'));
    expectBytesEqual(createIps(clean, short), fixture('clean-to-short.ips'));
  });

  test('our BPS delta for clean → hack is no larger than Flips\u2019 1,254 bytes and applies', () => {
    const made = createPatch('bps', clean, hack);
    expect(made.patch.length).toBeLessThanOrEqual(fixture('clean-to-hack.delta.bps').length);
    expectBytesEqual(applyBps(made.patch, clean).target, hack);
    const header = readBpsHeader(made.patch);
    expect(header.sourceCrc32).toBe(crc32(clean));
    expect(header.targetCrc32).toBe(crc32(hack));
  });

  test('our BPS for clean → short is no larger than Flips\u2019 and applies', () => {
    const patch = createBps(clean, short);
    expect(patch.length).toBeLessThanOrEqual(fixture('clean-to-short.bps').length);
    expectBytesEqual(applyBps(patch, clean).target, short);
  });

  test('BPS metadata round-trips', () => {
    const patch = createBps(clean.subarray(0, 1000), hack.subarray(0, 1200), { metadata: '<patch>héllo</patch>' });
    const result = applyBps(patch, clean.subarray(0, 1000));
    expect(result.metadata).toBe('<patch>héllo</patch>');
    expectBytesEqual(result.target, hack.subarray(0, 1200));
  });
});

/** Random edits of a random source: overwrites, runs, insertions, deletions, truncation, growth. */
const editedPair = fc
  .record({
    source: fc.uint8Array({ minLength: 0, maxLength: 3000 }),
    edits: fc.array(
      fc.record({
        kind: fc.constantFrom('overwrite', 'fill', 'insert', 'delete', 'truncate', 'append', 'move'),
        at: fc.nat(),
        length: fc.integer({ min: 1, max: 400 }),
        value: fc.integer({ min: 0, max: 255 }),
        seed: fc.uint8Array({ minLength: 1, maxLength: 64 }),
      }),
      { maxLength: 8 },
    ),
  })
  .map(({ source, edits }) => {
    let target = Array.from(source);
    for (const edit of edits) {
      const at = target.length === 0 ? 0 : edit.at % (target.length + 1);
      const bytes = Array.from({ length: edit.length }, (_, i) => edit.seed[i % edit.seed.length]!);
      if (edit.kind === 'overwrite') target.splice(at, edit.length, ...bytes);
      else if (edit.kind === 'fill') target.splice(at, edit.length, ...new Array<number>(edit.length).fill(edit.value));
      else if (edit.kind === 'insert') target.splice(at, 0, ...bytes);
      else if (edit.kind === 'delete') target.splice(at, edit.length);
      else if (edit.kind === 'truncate') target = target.slice(0, at);
      else if (edit.kind === 'append') target.push(...bytes);
      else target.splice(at, 0, ...target.slice(Math.max(0, at - edit.length * 2), Math.max(0, at - edit.length)));
    }
    return { source, target: new Uint8Array(target) };
  });

describe('round trips', () => {
  test('IPS: random edits', () => {
    fc.assert(
      fc.property(editedPair, ({ source, target }) => {
        if (target.length === 0 && source.length > 0) {
          // Emptying a file needs a truncation to 0, which applyIps refuses: so does createIps.
          expect(() => createIps(source, target)).toThrow(expect.objectContaining({ code: 'ERR_PATCH_LIMIT' }));
          return;
        }
        const patch = createIps(source, target);
        expectBytesEqual(applyIps(patch, source).target, target);
      }),
      { numRuns: 300 },
    );
  });

  test('BPS: random edits', () => {
    fc.assert(
      fc.property(editedPair, ({ source, target }) => {
        const patch = createBps(source, target);
        const result = applyBps(patch, source);
        expect(result.mismatches).toEqual([]);
        expectBytesEqual(result.target, target);
      }),
      { numRuns: 300 },
    );
  });

  test('BPS uses TargetCopy for repeats inside new data and stays small', () => {
    const source = new Uint8Array(64);
    const unit = new TextEncoder().encode('romgfx-repeat-');
    const target = new Uint8Array(unit.length * 100);
    for (let i = 0; i < 100; i++) target.set(unit, i * unit.length);
    const patch = createBps(source, target);
    expect(patch.length).toBeLessThan(60);
    expectBytesEqual(applyBps(patch, source).target, target);
  });

  test('BPS of unrelated data stays within a few bytes of the target size and applies', () => {
    const source = clean.subarray(0, 200_000);
    const target = clean.subarray(300_000, 500_000);
    const patch = createBps(source, target);
    expect(patch.length).toBeLessThan(target.length + 64);
    expectBytesEqual(applyBps(patch, source).target, target);
  });

  test('BPS finds a block moved far away and a long zero run', () => {
    const source = clean.subarray(0, 300_000).slice();
    const target = new Uint8Array(300_000 + 70_000);
    target.set(source.subarray(200_000, 300_000), 0);
    target.set(source.subarray(0, 200_000), 100_000);
    // target[300_000, 370_000) stays zero
    const patch = createBps(source, target);
    expect(patch.length).toBeLessThan(64);
    expectBytesEqual(applyBps(patch, source).target, target);
  });

  test('IPS uses RLE records where they pay', () => {
    const source = new Uint8Array(4096);
    const target = source.slice();
    target.fill(0xaa, 100, 1100);
    const made = createPatch('ips', source, target);
    expect(made.rleRecords).toBe(1);
    expect(made.patch.length).toBe(5 + 8 + 3);
    expectBytesEqual(applyIps(made.patch, source).target, target);
  });

  test('IPS grows the file when the target is longer, including trailing zeros', () => {
    const source = new Uint8Array([1, 2, 3]);
    const target = new Uint8Array([1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const patch = createIps(source, target);
    expectBytesEqual(applyIps(patch, source).target, target);
    expect(parseIps(patch).truncateTo).toBeUndefined();
  });
});

describe('the "EOF" offset (0x454F46)', () => {
  const size = ipsEofOffset + 64;
  const source = new Uint8Array(size);
  for (let i = 0; i < size; i++) source[i] = (i * 7 + (i >>> 8)) & 0xff;

  test.each([
    ['one changed byte at 0x454F46', (t: Uint8Array) => (t[ipsEofOffset] = t[ipsEofOffset]! ^ 0xff)],
    ['a literal stretch starting at 0x454F46', (t: Uint8Array) => t.set([9, 8, 7, 6, 5, 4, 3, 2], ipsEofOffset)],
    ['a run starting at 0x454F46', (t: Uint8Array) => t.fill(0x5a, ipsEofOffset, ipsEofOffset + 40)],
    ['a run starting at 0x454F46 equal to the byte before', (t: Uint8Array) => t.fill(source[ipsEofOffset - 1]!, ipsEofOffset, ipsEofOffset + 40)],
  ])('%s: no record starts there and the patch applies', (_name, edit) => {
    const target = source.slice();
    edit(target);
    const patch = createIps(source, target);
    for (const record of parseIps(patch).records) expect(record.offset).not.toBe(ipsEofOffset);
    expectBytesEqual(applyIps(patch, source).target, target);
  });

  test('a patch with a record at 0x454F46 is refused (it reads as EOF followed by garbage)', () => {
    const bad = new Uint8Array([0x50, 0x41, 0x54, 0x43, 0x48, 0x45, 0x4f, 0x46, 0x00, 0x01, 0x99, 0x45, 0x4f, 0x46]);
    const error = expectCode(() => applyIps(bad, source), 'ERR_IPS_RECORD');
    expect(error.message).toContain('0x454F46');
  });
});

describe('typed errors', () => {
  test('bad magic', () => {
    expectCode(() => applyPatch(new Uint8Array([1, 2, 3, 4, 5, 6]), clean), 'ERR_PATCH_BAD_MAGIC');
    expectCode(() => applyIps(new Uint8Array(0), clean), 'ERR_PATCH_BAD_MAGIC');
    expectCode(() => applyBps(fixture('clean-to-hack.ips'), clean), 'ERR_PATCH_BAD_MAGIC');
    expect(detectPatchFormat(new Uint8Array([0x42]))).toBeUndefined();
  });

  test('truncated IPS: no EOF, cut record data, cut RLE record', () => {
    const ips = fixture('clean-to-short.ips');
    expectCode(() => applyIps(ips.subarray(0, ips.length - 6), clean), 'ERR_PATCH_TRUNCATED');
    expectCode(() => applyIps(ips.subarray(0, 12), clean), 'ERR_PATCH_TRUNCATED');
    expectCode(() => applyIps(new Uint8Array([0x50, 0x41, 0x54, 0x43, 0x48, 0, 0, 1, 0, 0, 0]), clean), 'ERR_PATCH_TRUNCATED');
  });

  test('IPS: empty RLE run and a truncation that would grow the file', () => {
    const emptyRun = new Uint8Array([0x50, 0x41, 0x54, 0x43, 0x48, 0, 0, 1, 0, 0, 0, 0, 7, 0x45, 0x4f, 0x46]);
    expectCode(() => applyIps(emptyRun, clean), 'ERR_IPS_RECORD');
    const grow = new Uint8Array([0x50, 0x41, 0x54, 0x43, 0x48, 0x45, 0x4f, 0x46, 0x10, 0, 0]);
    expectCode(() => applyIps(grow, new Uint8Array(16)), 'ERR_IPS_RECORD');
  });

  test('IPS record running past 16 MiB', () => {
    const past = new Uint8Array([0x50, 0x41, 0x54, 0x43, 0x48, 0xff, 0xff, 0xf0, 0, 0, 0x01, 0x00, 0x00, 0x45, 0x4f, 0x46]);
    expectCode(() => applyIps(past, new Uint8Array(16)), 'ERR_PATCH_LIMIT');
  });

  test('IPS creation refuses targets past 16 MiB', () => {
    expectCode(() => createIps(new Uint8Array(1), new Uint8Array(0x1000001)), 'ERR_PATCH_LIMIT');
    // Exactly 16 MiB can be written, but not reached by truncation (a 24-bit size).
    expectCode(() => createIps(new Uint8Array(0x1000001), new Uint8Array(0x1000000)), 'ERR_PATCH_LIMIT');
  });

  test('BPS source CRC mismatch is refused, naming both CRCs in hex; --ignore-checksum applies it', () => {
    const patch = fixture('clean-to-hack.delta.bps');
    const other = clean.slice();
    other[0x1234] = other[0x1234]! ^ 0x01;
    const error = expectCode(() => applyBps(patch, other), 'ERR_BPS_SOURCE_CRC');
    const expected = '0x' + crc32(clean).toString(16).toUpperCase().padStart(8, '0');
    const actual = '0x' + crc32(other).toString(16).toUpperCase().padStart(8, '0');
    expect(error.message).toContain(expected);
    expect(error.message).toContain(actual);
    expect(error.category).toBe('data');
    const forced = applyBps(patch, other, { ignoreChecksum: true });
    expect(forced.mismatches).toContain('source');
    expect(forced.target.length).toBe(hack.length);
  });

  test('BPS source size mismatch is refused unless ignored', () => {
    const patch = fixture('clean-to-hack.delta.bps');
    expectCode(() => applyBps(patch, clean.subarray(0, 1000)), 'ERR_BPS_SOURCE_SIZE');
    // Ignoring the size lets the actions run: they then read past the short source.
    expectCode(() => applyBps(patch, clean.subarray(0, 1000), { ignoreChecksum: true }), 'ERR_BPS_ACTION_RANGE');
  });

  test('BPS patch and target CRC mismatches', () => {
    const patch = fixture('clean-to-short.bps').slice();
    patch[patch.length - 1] = patch[patch.length - 1]! ^ 0xff;
    expectCode(() => applyBps(patch, clean), 'ERR_BPS_PATCH_CRC');
    const source = new Uint8Array([1, 2, 3, 4]);
    const lying = handMadeBps(source, new Uint8Array([9, 9, 9, 9]), [...varint((4 - 1) * 4 + 0)]);
    expectCode(() => applyBps(lying, source), 'ERR_BPS_TARGET_CRC');
    expect(applyBps(lying, source, { ignoreChecksum: true }).mismatches).toEqual(['target']);
  });

  test('BPS actions outside source or target', () => {
    const source = new Uint8Array([1, 2, 3, 4]);
    // SourceRead of 8 bytes from a 4-byte source (target size 8).
    expectCode(() => applyBps(handMadeBps(source, new Uint8Array(8), [...varint((8 - 1) * 4 + 0)]), source), 'ERR_BPS_ACTION_RANGE');
    // SourceCopy with a negative cursor.
    expectCode(() => applyBps(handMadeBps(source, new Uint8Array(2), [...varint((2 - 1) * 4 + 2), ...varint(3)]), source), 'ERR_BPS_ACTION_RANGE');
    // TargetCopy before anything is written.
    expectCode(() => applyBps(handMadeBps(source, new Uint8Array(2), [...varint((2 - 1) * 4 + 3), ...varint(0)]), source), 'ERR_BPS_ACTION_RANGE');
    // An action writing past the target size.
    expectCode(() => applyBps(handMadeBps(source, new Uint8Array(2), [...varint((3 - 1) * 4 + 1), 1, 2, 3]), source), 'ERR_BPS_ACTION_RANGE');
    // Actions that stop short of the target size.
    expectCode(() => applyBps(handMadeBps(source, new Uint8Array(4), [...varint((2 - 1) * 4 + 0)]), source), 'ERR_BPS_ACTION_RANGE');
    // TargetRead whose bytes run into the footer.
    expectCode(() => applyBps(handMadeBps(source, new Uint8Array(9), [...varint((9 - 1) * 4 + 1), 1]), source), 'ERR_PATCH_TRUNCATED');
  });

  test('BPS varint overflow and oversized headers', () => {
    const overflow = [0x42, 0x50, 0x53, 0x31, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, ...new Array<number>(12).fill(0)];
    expectCode(() => readBpsHeader(new Uint8Array(overflow)), 'ERR_BPS_VARINT_OVERFLOW');
    const huge = new Uint8Array([0x42, 0x50, 0x53, 0x31, ...varint(4), ...varint(maximumPatchTargetSizeInBytes + 1), ...varint(0), ...new Array<number>(12).fill(0)]);
    expectCode(() => readBpsHeader(huge), 'ERR_PATCH_LIMIT');
    expectCode(() => readBpsHeader(new Uint8Array([0x42, 0x50, 0x53, 0x31, 0x80])), 'ERR_PATCH_TRUNCATED');
  });
});

describe('fuzz: damaged patches fail with typed errors only', () => {
  // Time-bounded (not timed): as many mutations as fit in the budget, each must either apply
  // or throw a RomgfxError; never a bare Error, a hang or a huge allocation.
  const budgetInMs = 2500;
  const smallSource = clean.subarray(0, 20_000);
  const smallTarget = hack.subarray(0, 21_000).slice();
  smallTarget.set(hack.subarray(0, 512), 19_000);
  const seeds = [createIps(smallSource, smallTarget), createBps(smallSource, smallTarget), createIps(smallSource, smallSource.subarray(0, 9000))];

  test.each([
    ['flip bytes', 'mutate'],
    ['truncate', 'truncate'],
  ])('%s', (_name, mode) => {
    const deadline = Date.now() + budgetInMs;
    let state = 0x2545f491;
    const random = (n: number): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % n;
    };
    let runs = 0;
    let typedFailures = 0;
    while (Date.now() < deadline) {
      const seed = seeds[runs % seeds.length]!;
      let patch: Uint8Array;
      if (mode === 'truncate') patch = seed.subarray(0, random(seed.length));
      else {
        patch = seed.slice();
        const flips = 1 + random(4);
        for (let i = 0; i < flips; i++) patch[random(patch.length)] = random(256);
      }
      for (const ignoreChecksum of [false, true]) {
        try {
          applyPatch(patch, smallSource, { ignoreChecksum });
        } catch (error) {
          if (!(error instanceof RomgfxError)) throw error;
          expect(error.category).toBe('data');
          typedFailures++;
        }
      }
      runs++;
    }
    expect(runs).toBeGreaterThan(10);
    expect(typedFailures).toBeGreaterThan(0);
  });
});

test('BPS creation reports progress, ending at the target size', () => {
  const calls: [number, number][] = [];
  // Repeats of clean.sfc with edits every 4,099 bytes, so no copy of an earlier repeat runs long.
  const target = new Uint8Array(3 * 1024 * 1024);
  for (let i = 0; i < 6; i++) target.set(clean, i * clean.length);
  for (let i = 0; i < target.length; i += 4099) target[i] = target[i]! ^ 0x5a;
  createBps(clean, target, { onProgress: (done, total) => calls.push([done, total]) });
  expect(calls.length).toBeGreaterThanOrEqual(2);
  expect(calls[calls.length - 1]).toEqual([target.length, target.length]);
  for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
});
