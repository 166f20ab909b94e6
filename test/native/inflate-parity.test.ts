/**
 * The addon's raw inflate (src/native/inflate.ts over native/src/inflate.cc) against Node's
 * zlib.inflateRawSync(data, { maxOutputLength }): the same bytes on the IDAT streams of every
 * fixture PNG, on streams node:zlib deflated at every level and strategy from tile-like inputs,
 * and on stored, fixed and dynamic blocks; the same verdict (accept or throw) on truncated,
 * corrupt, over-the-cap, empty and trailing-byte inputs and on random bytes; and through
 * decodePng every refusal is a PngFormatError. ROMGFX_NATIVE=0 (node:zlib) reads the same pixels.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, deflateRawSync, deflateSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecOutputLimitError, CodecStreamCorruptError, CodecStreamTruncatedError, PngFormatError } from '../../src/errors.js';
import { decodePng, decodePngWith, encodeIndexedPng } from '../../src/gfx/png.js';
import { grayscalePalette } from '../../src/gfx/palette.js';
import { createNativeInflateRaw, maximumRawDeflateExpansionRatio, nativeInflateStatus, nodeZlibInflateRaw } from '../../src/native/inflate.js';
import { crc32 } from '../../src/util/crc32.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { tileSheet } from '../helpers/tile-inputs.js';
import { fixturePngs, fixturesDir, requireNative, seededBytes } from './helpers.js';

const addon = requireNative();
const native = createNativeInflateRaw(addon);
/** A PNG's IDAT chunks joined: its zlib stream (PNG spec 10.1). */
function zlibStreamOf(png: Uint8Array): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const pieces: Uint8Array[] = [];
  for (let at = 8; at + 12 <= png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'IDAT') pieces.push(png.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return Buffer.concat(pieces);
}

/** What an inflate did: its bytes (hex) or that it threw. */
type Verdict = { ok: true; hex: string } | { ok: false; error: unknown };

function verdict(inflate: () => Uint8Array): Verdict {
  try {
    const bytes = inflate();
    return { ok: true, hex: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Native and node:zlib agree on `raw` under `cap`: both accept with the same bytes, or both throw. Returns the verdict. */
function expectParity(raw: Uint8Array, cap: number, label: string): Verdict {
  const ours = verdict(() => native(raw, cap));
  const node = verdict(() => inflateRawSync(raw, { maxOutputLength: Math.max(1, cap) }));
  if (ours.ok !== node.ok) {
    const why = (v: Verdict): string => (v.ok ? `accepted ${v.hex.length / 2} bytes` : `threw ${(v.error as Error).message}`);
    expect.fail(`${label}: native ${why(ours)}, node:zlib ${why(node)}`);
  }
  if (ours.ok && node.ok) expect(ours.hex === node.hex, `${label}: bytes differ`).toBe(true);
  if (!ours.ok) {
    // The addon's refusals are the codec errors, each with a message saying what and where.
    const error = ours.error;
    expect(error instanceof CodecStreamCorruptError || error instanceof CodecStreamTruncatedError || error instanceof CodecOutputLimitError, `${label}: ${String(error)}`).toBe(true);
  }
  return ours;
}

const strategies = [constants.Z_DEFAULT_STRATEGY, constants.Z_FILTERED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE, constants.Z_FIXED] as const;

/** PNG-like scanlines of a tile sheet: rows of indices, each led by a filter byte. */
const tileLikeInput = fc.oneof(
  { weight: 3, arbitrary: tileSheet({ maxTiles: 300, oddTail: true }) },
  {
    weight: 1,
    arbitrary: fc.record({ rows: fc.integer({ min: 1, max: 64 }), rowBytes: fc.integer({ min: 1, max: 128 }), seed: fc.integer({ min: 1, max: 2 ** 30 }) }).map(({ rows, rowBytes, seed }) => {
      const noise = seededBytes(rows * (rowBytes + 1), seed, 16);
      for (let r = 0; r < rows; r++) noise[r * (rowBytes + 1)] = r % 5;
      return noise;
    }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }) },
);

/** Bytes like 4bpp pixel art (deterministic): runs of a few index pairs, an occasional fresh one. */
function pixelArt(length: number, seed: number): Uint8Array {
  const noise = seededBytes(length, seed);
  const out = new Uint8Array(length);
  let value = 0;
  for (let i = 0; i < length; i++) {
    if (noise[i]! < 60) value = noise[(i * 7) % length]! & 0x33;
    out[i] = value;
  }
  return out;
}

/** A stored block (RFC 1951 3.2.4): header bits at a byte boundary, LEN, NLEN, the bytes. */
function storedBlock(data: Uint8Array, final: boolean): Uint8Array {
  const out = new Uint8Array(5 + data.length);
  out[0] = final ? 1 : 0;
  out[1] = data.length & 0xff;
  out[2] = data.length >> 8;
  out[3] = ~data.length & 0xff;
  out[4] = (~data.length >> 8) & 0xff;
  out.set(data, 5);
  return out;
}

/** BTYPE of the first block (RFC 1951 3.2.3): 0 stored, 1 fixed, 2 dynamic. */
const firstBlockType = (raw: Uint8Array): number => (raw[0]! >> 1) & 3;

describe('native raw inflate = node:zlib inflateRawSync', () => {
  const fixtures = fixturePngs();

  it('gives the same bytes on the IDAT stream of every fixture PNG, and both refuse a cap a byte short', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    for (const name of fixtures) {
      const stream = zlibStreamOf(new Uint8Array(readFileSync(join(fixturesDir, name))));
      const raw = stream.subarray(2);
      const expected = inflateRawSync(raw);
      for (const cap of [expected.length, expected.length + 1, expected.length * 2 + 100]) {
        const ours = expectParity(raw, cap, `${name} cap ${cap}`);
        expect(ours.ok, name).toBe(true);
      }
      if (expected.length > 1) expect(expectParity(raw, expected.length - 1, `${name} short`).ok).toBe(false);
    }
  });

  it('gives the same bytes on streams node:zlib deflated from tile-like data at every level and strategy', () => {
    fc.assert(
      fc.property(tileLikeInput, fc.integer({ min: 0, max: 9 }), fc.constantFrom(...strategies), fc.integer({ min: 1, max: 9 }), (data, level, strategy, memLevel) => {
        const raw = deflateRawSync(data, { level, strategy, memLevel });
        const ours = expectParity(raw, data.length, `${data.length} bytes, level ${level}, strategy ${strategy}`);
        expect(ours.ok).toBe(true);
        if (ours.ok) expect(ours.hex).toBe(Buffer.from(data).toString('hex'));
      }),
      { numRuns: 200 },
    );
  });

  it('reads stored, fixed and dynamic blocks, alone and one after another in one stream', () => {
    const tiles = pixelArt(6000, 18);
    const stored = deflateRawSync(tiles, { level: 0 });
    const fixed = deflateRawSync(tiles, { strategy: constants.Z_FIXED });
    const dynamic = deflateRawSync(tiles, { level: 9 });
    expect([firstBlockType(stored), firstBlockType(fixed), firstBlockType(dynamic)]).toEqual([0, 1, 2]);
    for (const [raw, label] of [
      [stored, 'stored'],
      [fixed, 'fixed'],
      [dynamic, 'dynamic'],
    ] as const) {
      expect(Buffer.from(native(raw, tiles.length)).equals(tiles), label).toBe(true);
    }
    // Non-final blocks of each kind, then a final one: a sync flush ends a stream at a byte boundary
    // without a final block (with an empty stored block), so the pieces join into one stream.
    const sync = { finishFlush: constants.Z_SYNC_FLUSH };
    const head = tiles.subarray(0, 300);
    const pieces = [
      deflateRawSync(head, { ...sync, strategy: constants.Z_FIXED }),
      deflateRawSync(tiles, { ...sync, level: 9 }),
      storedBlock(head, false),
      storedBlock(new Uint8Array(0), false),
      deflateRawSync(tiles, { level: 0 }),
    ];
    expect(firstBlockType(pieces[1]!)).toBe(2);
    const joined = Buffer.concat(pieces);
    const expected = Buffer.concat([head, tiles, head, tiles]);
    const ours = expectParity(joined, expected.length, 'joined blocks');
    expect(ours.ok && ours.hex === expected.toString('hex')).toBe(true);
    // A stream of non-final blocks only never ends: both refuse it.
    expect(expectParity(Buffer.concat(pieces.slice(0, 4)), expected.length, 'no final block').ok).toBe(false);
    // An empty final stored block is a whole stream of nothing.
    expect(expectParity(storedBlock(new Uint8Array(0), true), 1, 'empty final block')).toEqual({ ok: true, hex: '' });
  });
});

describe('native raw inflate refuses what node:zlib refuses', () => {
  const sheet = pixelArt(1200, 7);
  const streams: [string, Uint8Array, number][] = [
    ['dynamic', deflateRawSync(sheet, { level: 9 }), sheet.length],
    ['fixed', deflateRawSync(sheet.subarray(0, 200), { strategy: constants.Z_FIXED }), 200],
    ['stored', deflateRawSync(sheet.subarray(0, 90), { level: 0 }), 90],
    // Its deflate data alone: without the 2-byte zlib header and the Adler-32 (cut there, it is whole).
    ['fixture small16.png', zlibStreamOf(new Uint8Array(readFileSync(join(fixturesDir, 'tiles', 'small16.png')))).subarray(2, -4), 0],
  ];

  it('a stream cut at every point', () => {
    for (const [label, raw, size] of streams) {
      const cap = size || inflateRawSync(raw).length;
      for (let cut = 0; cut < raw.length; cut++) {
        const ours = expectParity(raw.subarray(0, cut), cap, `${label} cut at ${cut}`);
        expect(ours.ok, `${label} cut at ${cut}`).toBe(false);
        if (!ours.ok) expect(ours.error, `${label} cut at ${cut}`).toBeInstanceOf(CodecStreamTruncatedError);
      }
    }
  });

  it('corrupt bytes: every byte of a few streams changed (the same verdict and bytes)', () => {
    let refused = 0;
    for (const [label, raw, size] of streams) {
      const cap = size || inflateRawSync(raw).length;
      for (let at = 0; at < raw.length; at++) {
        for (const mask of [0x01, 0x10, 0xff]) {
          const bad = Uint8Array.from(raw);
          bad[at] = bad[at]! ^ mask;
          for (const limit of [cap, cap + 500]) if (!expectParity(bad, limit, `${label} byte ${at} ^ ${mask} cap ${limit}`).ok) refused++;
        }
      }
    }
    // Most changes break the stream (the parity above holds either way).
    expect(refused).toBeGreaterThan(500);
  });

  it('more output than the cap, an empty input, and bytes after the final block', () => {
    const [, raw, size] = streams[0]!;
    for (const cap of [size - 1, size >> 1, 1]) {
      const ours = expectParity(raw, cap, `cap ${cap}`);
      expect(ours.ok).toBe(false);
      if (!ours.ok) expect(ours.error).toBeInstanceOf(CodecOutputLimitError);
    }
    const empty = expectParity(new Uint8Array(0), 100, 'empty');
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.error).toBeInstanceOf(CodecStreamTruncatedError);
    // A zlib stream's Adler-32, and junk of every length up to 64 bytes: ignored by both.
    const adler = deflateSync(sheet).subarray(-4);
    for (const trailing of [adler, ...Array.from({ length: 64 }, (_, n) => seededBytes(n + 1, n + 3))]) {
      const ours = expectParity(Buffer.concat([raw, trailing]), size, `${trailing.length} trailing bytes`);
      expect(ours.ok && ours.hex === Buffer.from(sheet).toString('hex')).toBe(true);
    }
  });

  it('random bytes, and random bytes after a valid block header, for at most a second and small caps', () => {
    const deadline = Date.now() + 1000;
    let runs = 0;
    let accepted = 0;
    for (let seed = 1; Date.now() < deadline && runs < 20_000; seed++, runs++) {
      const noise = seededBytes(1 + (seed % 700), seed * 2654435761);
      // Half the inputs start with a final fixed or dynamic block header, the shapes that get furthest.
      if (seed % 2 === 0) noise[0] = (noise[0]! & ~7) | (seed % 4 === 0 ? 0b011 : 0b101);
      const cap = 1 + ((seed * 7919) % 65_536);
      if (expectParity(noise, cap, `random seed ${seed} cap ${cap}`).ok) accepted++;
    }
    expect(runs).toBeGreaterThan(200);
    expect(accepted).toBeLessThan(runs);
  });

  it('reports its refusals with the addon status, and a direct caller with bad arguments gets a TypeError/RangeError', () => {
    const info = new Float64Array(2);
    const [, raw, size] = streams[0]!;
    expect(addon.zlibInflateRaw(raw, new Uint8Array(size), info)).toBe(size);
    expect([...info]).toEqual([raw.length, size]);
    expect(addon.zlibInflateRaw(raw, new Uint8Array(size - 1))).toBe(nativeInflateStatus.outputTooLarge);
    expect(addon.zlibInflateRaw(raw.subarray(0, 10), new Uint8Array(size))).toBe(nativeInflateStatus.truncated);
    expect(addon.zlibInflateRaw(Uint8Array.of(0xff, 0xff), new Uint8Array(size))).toBe(nativeInflateStatus.corrupt);
    expect(() => addon.zlibInflateRaw([1, 2] as unknown as Uint8Array, new Uint8Array(4))).toThrow(TypeError);
    expect(() => addon.zlibInflateRaw(raw, new Uint16Array(4) as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => addon.zlibInflateRaw(raw, new Uint8Array(4), new Float64Array(1))).toThrow(TypeError);
    expect(() => (addon.zlibInflateRaw as (input: Uint8Array) => number)(raw)).toThrow(TypeError);
    const shared = new Uint8Array(4096);
    shared.set(raw.subarray(0, 100));
    expect(() => addon.zlibInflateRaw(shared.subarray(0, 100), shared.subarray(50))).toThrow(RangeError);
  });

  it('never makes an output buffer larger than the input can inflate to', () => {
    // A 16384×16384 image's rows would be 256 MiB; three bytes of input give at most 3 KiB.
    const tiny = storedBlock(Uint8Array.of(1, 2, 3), true);
    const bytes = native(tiny, 2 ** 28);
    expect([...bytes]).toEqual([1, 2, 3]);
    expect(bytes.buffer.byteLength).toBeLessThanOrEqual(tiny.length * maximumRawDeflateExpansionRatio);
    // The bound holds at the densest zlib can write: 1 MiB of zeros.
    const zeros = deflateRawSync(new Uint8Array(1 << 20), { level: 9 });
    expect(zeros.length * maximumRawDeflateExpansionRatio).toBeGreaterThanOrEqual(1 << 20);
    expect(native(zeros, 1 << 20).length).toBe(1 << 20);
  });
});

/** A PNG of `width`×`height` 4-bit pixels whose IDAT holds `zlibStream` (CRCs written, though not checked). */
function pngWithIdat(width: number, height: number, zlibStream: Uint8Array): Uint8Array {
  const base = encodeIndexedPng({ width, height, pixels: new Uint8Array(width * height) }, grayscalePalette(4));
  const view = new DataView(base.buffer, base.byteOffset, base.byteLength);
  let at = 8;
  while (String.fromCharCode(...base.subarray(at + 4, at + 8)) !== 'IDAT') at += 12 + view.getUint32(at);
  const chunk = new Uint8Array(12 + zlibStream.length);
  const chunkView = new DataView(chunk.buffer);
  chunkView.setUint32(0, zlibStream.length);
  chunk.set([0x49, 0x44, 0x41, 0x54], 4);
  chunk.set(zlibStream, 8);
  chunkView.setUint32(8 + zlibStream.length, crc32(chunk.subarray(4, 8 + zlibStream.length)));
  return Buffer.concat([base.subarray(0, at), chunk, base.subarray(at + 12 + view.getUint32(at))]);
}

describe('through decodePng', () => {
  const width = 16;
  const height = 8;
  /** Filtered rows of a 16×8 4-bit image: 8 rows of a filter byte and 8 bytes. */
  const rows = Uint8Array.from({ length: height * 9 }, (_, i) => (i % 9 === 0 ? 0 : (i * 37) & 0xff));
  const good = deflateSync(rows);

  it('reads the pixels the rows hold, with the addon (the PNG inflates natively)', () => {
    const decoded = decodePng(pngWithIdat(width, height, good));
    expect(decoded.kind).toBe('indexed');
    const viaNode = decodePngWith(nodeZlibInflateRaw, pngWithIdat(width, height, good));
    expect(decoded).toEqual(viaNode);
  });

  it('turns every refusal into a PngFormatError, from the addon and from node:zlib alike', () => {
    const raw = good.subarray(2, good.length - 4);
    const header = good.subarray(0, 2);
    const corrupt = Uint8Array.from(good);
    corrupt[2] = 0xff;
    const cases: [string, Uint8Array, typeof CodecStreamCorruptError | typeof CodecStreamTruncatedError | typeof CodecOutputLimitError][] = [
      ['truncated', good.subarray(0, good.length - 8), CodecStreamTruncatedError],
      ['header only', header, CodecStreamTruncatedError],
      ['corrupt', corrupt, CodecStreamCorruptError],
      ['more rows than the image has', deflateSync(Buffer.concat([rows, rows])), CodecOutputLimitError],
    ];
    for (const [label, stream, cause] of cases) {
      const png = pngWithIdat(width, height, stream);
      for (const [which, decode] of [
        ['native', () => decodePng(png)],
        ['node:zlib', () => decodePngWith(nodeZlibInflateRaw, png)],
      ] as const) {
        let caught: unknown;
        try {
          decode();
        } catch (error) {
          caught = error;
        }
        expect(caught, `${label} (${which})`).toBeInstanceOf(PngFormatError);
        expect((caught as Error).message, `${label} (${which})`).toMatch(/^PNG IDAT does not inflate: /u);
        if (label.startsWith('more rows')) expect((caught as Error).message).toContain(`more than the ${rows.length} bytes a 16×8 image has`);
        // decodePng's inflate is the addon's: its typed error is the cause.
        if (which === 'native') expect((caught as Error).cause, label).toBeInstanceOf(cause);
      }
    }
    // Trailing bytes after the deflate data (the Adler-32, then junk) change nothing.
    const trailing = Buffer.concat([header, raw, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9)]);
    expect(decodePng(pngWithIdat(width, height, trailing))).toEqual(decodePng(pngWithIdat(width, height, good)));
  });
});

describe('ROMGFX_NATIVE=0', () => {
  it('reads every fixture PNG with node:zlib, to the same pixels as the addon; importing png.js loads no addon, the first decode decides', () => {
    // A fresh process (the addon decision is once per thread), on the compiled library.
    const script = `
      import { readFileSync } from 'node:fs';
      import { createHash } from 'node:crypto';
      import { createRequire } from 'node:module';
      import { decodePng } from ${JSON.stringify(join(PACKAGE_ROOT, 'dist', 'src', 'gfx', 'png.js'))};
      const addonLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.endsWith('.node'));
      const addonAtImport = addonLoaded();
      const names = JSON.parse(process.argv[1]);
      const out = {};
      for (const name of names) {
        try {
          const d = decodePng(new Uint8Array(readFileSync(${JSON.stringify(fixturesDir)} + '/' + name)));
          out[name] = d.kind + ' ' + d.width + 'x' + d.height + ' ' + createHash('sha1').update(d.kind === 'indexed' ? d.pixels : d.rgba).digest('hex');
        } catch (error) { out[name] = 'error ' + error.code; }
      }
      const zlib = process.moduleLoadList.includes('NativeModule zlib');
      process.stdout.write(JSON.stringify({ out, zlib, addonAtImport, addonAfter: addonLoaded() }));`;
    const fixtures = fixturePngs();
    type Run = { out: Record<string, string>; zlib: boolean; addonAtImport: boolean; addonAfter: boolean };
    const run = (env: string): Run => {
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(fixtures)], {
        encoding: 'utf8',
        env: { ...process.env, ROMGFX_NATIVE: env },
        timeout: 60_000,
      });
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout) as Run;
    };
    const withNode = run('0');
    const withAddon = run('1');
    // node:zlib was loaded (the fallback ran) only with the addon off.
    expect(withNode.zlib).toBe(true);
    expect(withAddon.zlib).toBe(false);
    expect([withNode.addonAtImport, withNode.addonAfter, withAddon.addonAtImport, withAddon.addonAfter]).toEqual([false, false, false, true]);
    expect(withNode.out).toEqual(withAddon.out);
    expect(Object.values(withAddon.out).filter((value) => value.startsWith('error'))).toEqual([]);
  });
});
