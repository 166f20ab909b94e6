import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cacheKey, canonicalRequest, canonicalRequestReference, normalizeRequest, type NormalizedRequest, type ThumbnailRequest } from '../../src/thumbs/request.js';
import { planFit, planScale, resampleIndexed } from '../../src/thumbs/scale.js';
import { Histogram, ThumbnailMetrics } from '../../src/thumbs/metrics.js';
import { MemoryCache, memoryEntryOverheadInBytes } from '../../src/thumbs/memory-cache.js';
import { ThumbnailRequestError } from '../../src/errors.js';
import { renderBlockIndexed } from '../../src/thumbs/render.js';

const base: ThumbnailRequest = { rom: { path: '/roms/a.sfc', sha1: 'b'.repeat(40) }, block: { offset: 0x8120, format: 'snes4bpp', tiles: 64 } };

describe('normalizeRequest and cacheKey', () => {
  it('fills defaults', () => {
    expect(normalizeRequest(base)).toEqual({
      rom: { path: '/roms/a.sfc', sha1: 'b'.repeat(40) },
      block: { offset: 0x8120, format: 'snes4bpp', tiles: 64, codec: null, arrangement: { kind: 'sheet', tilesPerRow: 16, order: 'row' } },
      palette: { kind: 'grayscale' },
      output: { scale: 1, fit: null, format: 'png' },
    });
  });

  it('names the bad field', () => {
    const bad: [unknown, RegExp][] = [
      [{ ...base, rom: { path: '/a', sha1: 'XYZ' } }, /rom\.sha1/u],
      [{ ...base, block: { ...base.block, offset: -1 } }, /block\.offset/u],
      [{ ...base, block: { ...base.block, tiles: 0 } }, /block\.tiles/u],
      [{ ...base, block: { ...base.block, tiles: 1e9 } }, /block\.tiles/u],
      [{ ...base, block: { ...base.block, format: '../x' } }, /block\.format/u],
      [{ ...base, output: { scale: 0 } }, /output\.scale/u],
      [{ ...base, output: { scale: 2, fit: { width: 1, height: 1 } } }, /scale or fit/u],
      [{ ...base, output: { format: 'gif' } }, /output\.format/u],
      [{ ...base, palette: { kind: 'colors', colors: [0x1000000] } }, /palette\.colors\[0\]/u],
      [{ ...base, palette: { kind: 'rom', offset: 0, encoding: 'bgr555', count: 0 } }, /palette\.count/u],
      [{ ...base, palette: { kind: 'rom', offset: 0, encoding: 'rgb', count: 4 } }, /palette\.encoding/u],
      [{ ...base, block: { ...base.block, arrangement: { kind: 'layout', layout: 'spiral' } } }, /block\.arrangement\.layout/u],
    ];
    for (const [request, message] of bad) {
      expect(() => normalizeRequest(request as ThumbnailRequest)).toThrow(ThumbnailRequestError);
      expect(() => normalizeRequest(request as ThumbnailRequest)).toThrow(message);
    }
  });

  it('keys on content, not on the path, and on every field that changes the output', () => {
    const k = cacheKey(normalizeRequest(base));
    expect(cacheKey(normalizeRequest({ ...base, rom: { ...base.rom, path: '/elsewhere/copy.sfc' } }))).toBe(k);
    // Defaults and explicit defaults are the same request.
    expect(cacheKey(normalizeRequest({ ...base, output: { scale: 1, format: 'png' }, palette: { kind: 'grayscale' } }))).toBe(k);
    const variants: ThumbnailRequest[] = [
      { ...base, rom: { ...base.rom, sha1: 'c'.repeat(40) } },
      { ...base, block: { ...base.block, offset: 0x8121 } },
      { ...base, block: { ...base.block, format: 'gb2bpp' } },
      { ...base, block: { ...base.block, tiles: 65 } },
      { ...base, block: { ...base.block, codec: 'hal' } },
      { ...base, block: { ...base.block, arrangement: { kind: 'sheet', tilesPerRow: 8 } } },
      { ...base, block: { ...base.block, arrangement: { kind: 'sheet', order: 'column' } } },
      { ...base, block: { ...base.block, arrangement: { kind: 'layout', layout: 'snes-obj:16x16' } } },
      { ...base, palette: { kind: 'colors', colors: [0, 0xffffff] } },
      { ...base, palette: { kind: 'rom', offset: 0x8100, encoding: 'bgr555', count: 16 } },
      { ...base, output: { scale: 2 } },
      { ...base, output: { fit: { width: 64, height: 64 } } },
      { ...base, output: { format: 'webp' } },
    ];
    const keys = new Set(variants.map((v) => cacheKey(normalizeRequest(v))));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(k)).toBe(false);
  });
});

describe('canonicalRequest', () => {
  it('is exactly the JSON of the reference definition for any valid request (disk cache keys depend on it)', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/u);
    const request = fc.record({
      rom: fc.record({ path: fc.string({ minLength: 1 }).map((p) => `/roms/${p}`), sha1: fc.stringMatching(/^[0-9a-f]{40}$/u) }),
      block: fc.record({
        offset: fc.nat(),
        format: name,
        tiles: fc.integer({ min: 1, max: 4096 }),
        codec: fc.option(name, { nil: undefined }),
        arrangement: fc.oneof(
          fc.constant(undefined),
          fc.record({ kind: fc.constant('sheet' as const), tilesPerRow: fc.integer({ min: 1, max: 256 }), order: fc.constantFrom('row' as const, 'column' as const) }),
          fc.record({ kind: fc.constant('layout' as const), layout: fc.constantFrom('snes-obj:16x16', 'gb-8x16', 'block:2x3') }),
        ),
      }),
      palette: fc.oneof(
        fc.constant({ kind: 'grayscale' as const }),
        fc.record({ kind: fc.constant('colors' as const), colors: fc.array(fc.integer({ min: 0, max: 0xffffff }), { minLength: 1, maxLength: 256 }) }),
        fc.record({ kind: fc.constant('rom' as const), offset: fc.nat(), encoding: fc.constantFrom('bgr555' as const, 'md9' as const, 'nes-index' as const, 'gb-bgp' as const), count: fc.integer({ min: 1, max: 256 }) }),
      ),
      output: fc.oneof(
        fc.record({ scale: fc.integer({ min: 1, max: 16 }), format: fc.constantFrom('png' as const, 'webp' as const) }),
        fc.record({ fit: fc.record({ width: fc.integer({ min: 1, max: 8192 }), height: fc.integer({ min: 1, max: 8192 }) }) }),
        fc.constant({}),
      ),
    });
    fc.assert(
      fc.property(request, (r) => {
        const normalized = normalizeRequest(r as ThumbnailRequest);
        expect(canonicalRequest(normalized)).toBe(canonicalRequestReference(normalized));
      }),
      { numRuns: 500 },
    );
  });
});

describe('normalizeRequest reuse of the last ROM and palette', () => {
  it('gives the values the caller\'s objects hold now, while it changes them in place between calls', () => {
    const outcome = (fn: () => unknown): unknown => {
      try {
        return { ok: fn() };
      } catch (error) {
        return { error: (error as Error).message };
      }
    };
    const step = fc.oneof(
      fc.record({ kind: fc.constant('colour' as const), index: fc.nat(15), value: fc.oneof(fc.integer({ min: 0, max: 0xffffff }), fc.constant(-1), fc.constant(0x1000000)) }),
      fc.record({ kind: fc.constant('grow' as const), value: fc.integer({ min: 0, max: 0xffffff }) }),
      fc.record({ kind: fc.constant('sha1' as const), sha1: fc.constantFrom('a'.repeat(40), 'b'.repeat(40), 'not-a-sha1') }),
      fc.record({ kind: fc.constant('path' as const), path: fc.constantFrom('/r.sfc', '/s.sfc', '') }),
      fc.record({ kind: fc.constant('platform' as const), platform: fc.constantFrom(undefined, 'snes', 'gba', 'nope') }),
      fc.record({ kind: fc.constant('render' as const), offset: fc.nat(0xffff) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const colors = Array.from({ length: 16 }, (_, i) => i * 0x111111);
        const rom: { path: string; sha1: string; platform?: string } = { path: '/r.sfc', sha1: 'a'.repeat(40) };
        for (const s of steps) {
          if (s.kind === 'colour') colors[s.index % colors.length] = s.value;
          else if (s.kind === 'grow') colors.push(s.value);
          else if (s.kind === 'sha1') rom.sha1 = s.sha1;
          else if (s.kind === 'path') rom.path = s.path;
          else if (s.kind === 'platform') {
            if (s.platform === undefined) delete rom.platform;
            else rom.platform = s.platform;
          } else {
            // The same objects every time, changed in place between calls: what a reused result must notice.
            const request = { rom, block: { offset: s.offset, format: 'snes4bpp', tiles: 4 }, palette: { kind: 'colors', colors } } as ThumbnailRequest;
            const valid = rom.path !== '' && /^[0-9a-f]{40}$/u.test(rom.sha1) && (rom.platform === undefined || rom.platform !== 'nope') && colors.every((c) => c >= 0 && c <= 0xffffff);
            for (let call = 0; call < 2; call++) {
              const got = outcome(() => normalizeRequest(request)) as { ok?: NormalizedRequest; error?: string };
              if (!valid) {
                expect(got.error).toBeDefined();
                continue;
              }
              expect(got.ok!.rom).toEqual(rom.platform === undefined ? { path: rom.path, sha1: rom.sha1 } : { path: rom.path, sha1: rom.sha1, platform: rom.platform });
              expect(got.ok!.palette).toEqual({ kind: 'colors', colors: [...colors] });
              expect(got.ok!.block.offset).toBe(s.offset);
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('canonicalRequest palette reuse', () => {
  it('a palette array changed in place between requests gives the new text; the same colours give the same text', () => {
    const colors = Array.from({ length: 16 }, (_, i) => i * 0x111111);
    const make = () => normalizeRequest({ rom: { path: '/r.sfc', sha1: 'b'.repeat(40) }, block: { offset: 0, format: 'snes4bpp', tiles: 4 }, palette: { kind: 'colors', colors } } as ThumbnailRequest);
    const first = make();
    expect(canonicalRequest(first)).toBe(canonicalRequestReference(first));
    expect(canonicalRequest(make())).toBe(canonicalRequestReference(first));
    colors[7] = 0xabcdef;
    const changed = make();
    expect(canonicalRequest(changed)).toBe(canonicalRequestReference(changed));
    expect(canonicalRequest(changed)).not.toBe(canonicalRequestReference(first));
    colors.push(1);
    const longer = make();
    expect(canonicalRequest(longer)).toBe(canonicalRequestReference(longer));
  });
});

describe('nearest-neighbour resampling', () => {
  it('enlarging repeats every pixel factor × factor times (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 5 }), fc.infiniteStream(fc.integer({ min: 0, max: 255 })), (w, h, factor, values) => {
        const it = values[Symbol.iterator]();
        const pixels = Uint8Array.from({ length: w * h }, () => it.next().value as number);
        const out = resampleIndexed({ width: w, height: h, pixels }, planScale(w, h, factor));
        expect([out.width, out.height]).toEqual([w * factor, h * factor]);
        for (let y = 0; y < out.height; y++) for (let x = 0; x < out.width; x++) expect(out.pixels[y * out.width + x]).toBe(pixels[Math.floor(y / factor) * w + Math.floor(x / factor)]);
      }),
      { numRuns: 100 },
    );
  });

  it('fits: largest whole enlargement inside the box, or the smallest whole shrink', () => {
    expect(planFit(128, 64, 300, 300)).toEqual({ factor: 2, divisor: 1, width: 256, height: 128 });
    expect(planFit(128, 64, 128, 64)).toEqual({ factor: 1, divisor: 1, width: 128, height: 64 });
    expect(planFit(128, 512, 64, 64)).toEqual({ factor: 1, divisor: 8, width: 16, height: 64 });
    const shrunk = resampleIndexed({ width: 4, height: 2, pixels: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }, planFit(4, 2, 2, 2));
    expect(shrunk).toEqual({ width: 2, height: 1, pixels: Uint8Array.of(1, 3) });
  });

  it('refuses an output past the pixel limits', () => {
    expect(() => planScale(4096, 4096, 4)).toThrow(ThumbnailRequestError);
  });
});

describe('metrics', () => {
  it('histograms are cumulative in Prometheus text; counters and gauges are exported', () => {
    const m = new ThumbnailMetrics(true);
    m.requests = 3;
    m.memoryHits = 2;
    m.observe('decode', 0.0003);
    m.observe('decode', 0.002);
    m.countError('ERR_X');
    const text = m.toPrometheus();
    expect(text).toContain('romgfx_thumbnail_requests_total 3');
    expect(text).toContain('romgfx_thumbnail_cache_hits_total{level="memory"} 2');
    expect(text).toContain('romgfx_thumbnail_failures_total{code="ERR_X"} 1');
    expect(text).toContain('romgfx_thumbnail_stage_seconds_bucket{stage="decode",le="0.0005"} 1');
    expect(text).toContain('romgfx_thumbnail_stage_seconds_bucket{stage="decode",le="0.0025"} 2');
    expect(text).toContain('romgfx_thumbnail_stage_seconds_bucket{stage="decode",le="+Inf"} 2');
    expect(text).toContain('romgfx_thumbnail_stage_seconds_count{stage="decode"} 2');
    // Every sample line is "name{labels} number".
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/u);
    expect(m.summary().stages.decode).toMatchObject({ count: 2, p50Seconds: 0.0005, p95Seconds: 0.0025 });
  });

  it('with instrumentation off, timings are not recorded but counters are', () => {
    const m = new ThumbnailMetrics(false);
    m.observe('decode', 1);
    m.requests++;
    expect(m.summary().stages.decode.count).toBe(0);
    expect(m.summary().requests).toBe(1);
  });

  it('quantiles are bucket upper bounds', () => {
    const h = new Histogram([1, 2, 3]);
    for (const v of [0.5, 1.5, 2.5, 2.6, 10]) h.observe(v);
    expect(h.cumulative()).toEqual([1, 2, 4, 5]);
    expect(h.quantile(0.5)).toBe(3);
    expect(h.quantile(1)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('MemoryCache', () => {
  it('holds at most its byte bound, evicting the least recently used', () => {
    // Image bytes + the one-character LRU key (2 bytes) + the fixed overhead.
    const entrySize = 1000 + 2 + memoryEntryOverheadInBytes;
    const cache = new MemoryCache(3 * entrySize);
    const value = { bytes: new Uint8Array(1000), width: 1, height: 1, format: 'png' as const, key: 'k' };
    cache.set('a', value);
    cache.set('b', value);
    cache.set('c', value);
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('d', value);
    expect(cache.entries).toBe(3);
    expect(cache.bytes).toBe(3 * entrySize);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
  });

  it('never keeps more than twice the bytes it counts in buffers shared by a batch, and never changes an entry\'s bytes', () => {
    // Batches of views into one buffer each (as protocol.ts sends them), set, read, replaced and
    // evicted or refused in any order: the shared buffers still held are at most twice the bytes
    // of the entries that view them, and every entry reads back exactly what was stored.
    const operation = fc.oneof(
      // Now and then an image larger than the whole level, which it refuses.
      fc.record({ kind: fc.constant('batch' as const), sizes: fc.array(fc.oneof({ arbitrary: fc.integer({ min: 1, max: 300 }), weight: 9 }, { arbitrary: fc.integer({ min: 2_000, max: 25_000 }), weight: 1 }), { minLength: 2, maxLength: 16 }), firstKey: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 60 }) }),
      fc.record({ kind: fc.constant('own' as const), key: fc.integer({ min: 0, max: 60 }), size: fc.integer({ min: 1, max: 300 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 2_000, max: 20_000 }), fc.array(operation, { minLength: 1, maxLength: 60 }), (bound, operations) => {
        const cache = new MemoryCache(bound);
        const expected = new Map<number, string>();
        let fill = 1;
        const entry = (bytes: Uint8Array) => ({ bytes, width: 1, height: 1, format: 'png' as const, key: 'k' });
        for (const op of operations) {
          if (op.kind === 'batch') {
            const shared = new Uint8Array(op.sizes.reduce((a, b) => a + b, 0));
            let at = 0;
            op.sizes.forEach((size, i) => {
              const view = shared.subarray(at, at + size).fill(fill++ & 0xff);
              at += size;
              cache.set(op.firstKey + i, entry(view));
              expected.set(op.firstKey + i, Buffer.from(view).toString('hex'));
            });
          } else if (op.kind === 'own') {
            const bytes = new Uint8Array(op.size).fill(fill++ & 0xff);
            cache.set(op.key, entry(bytes));
            expected.set(op.key, Buffer.from(bytes).toString('hex'));
          } else {
            const got = cache.get(op.key);
            if (got) expect(Buffer.from(got.bytes).toString('hex')).toBe(expected.get(op.key));
          }
          let counted = 0;
          for (const key of expected.keys()) {
            const got = cache.get(key);
            if (!got) continue;
            expect(Buffer.from(got.bytes).toString('hex'), `key ${key}`).toBe(expected.get(key));
            if (got.bytes.byteLength < got.bytes.buffer.byteLength) counted += got.bytes.byteLength;
          }
          expect(cache.sharedBufferBytes).toBeLessThanOrEqual(2 * counted);
        }
        cache.clear();
        expect(cache.sharedBufferBytes).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('encodeIndexedPng', () => {
  it('packs rows at 1, 2, 4 and 8 bits, odd widths included, and keeps the palette exactly', async () => {
    const { encodeIndexedPng } = await import('../../src/thumbs/render.js');
    const { decode } = await import('fast-png');
    for (const count of [2, 4, 16, 200]) {
      for (const width of [1, 3, 8, 13]) {
        const height = 3;
        const pixels = Uint8Array.from({ length: width * height }, (_, i) => (i * 7 + 3) % count);
        const rgb = Uint8Array.from({ length: count * 3 }, (_, i) => (i * 37) & 0xff);
        const png = decode(encodeIndexedPng({ width, height, pixels }, { rgb, count }));
        expect(png.palette).toHaveLength(count);
        expect(png.palette!.flat()).toEqual([...rgb]);
        const data = png.data as Uint8Array;
        const rowBytes = Math.ceil((width * png.depth) / 8);
        for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
          const bit = x * png.depth;
          const value = png.depth === 8 ? data[y * width + x] : (data[y * rowBytes + (bit >> 3)]! >> (8 - png.depth - (bit & 7))) & ((1 << png.depth) - 1);
          expect(value, `count ${count} width ${width} (${x}, ${y})`).toBe(pixels[y * width + x]);
        }
      }
    }
  });
});

describe('the grayscale preview ramp (issue #18)', () => {
  // Zero bytes decode to index 0 in every format: the ramp's first colour is what the preview shows.
  const romData = new Uint8Array(4096);
  function firstColour(format: string): number[] {
    const request = normalizeRequest({ rom: { path: '/roms/zero.gb', sha1: '0'.repeat(40) }, block: { offset: 0, format, tiles: 4 }, palette: { kind: 'grayscale' } });
    const { image, palette } = renderBlockIndexed(romData, request, null);
    expect(image.pixels.every((index) => index === 0)).toBe(true);
    return [...palette.rgb.subarray(0, 3)];
  }

  it('shows Game Boy tiles light-first, as extract does and the hardware does at power-on (index 0 white, 3 black)', () => {
    expect(firstColour('gb2bpp')).toEqual([255, 255, 255]);
    const request = normalizeRequest({ rom: { path: '/roms/zero.gb', sha1: '0'.repeat(40) }, block: { offset: 0, format: 'gb2bpp', tiles: 1 }, palette: { kind: 'grayscale' } });
    expect([...renderBlockIndexed(romData, request, null).palette.rgb.subarray(9, 12)]).toEqual([0, 0, 0]);
  });

  it('keeps index 0 black for the other formats', () => {
    for (const format of ['snes4bpp', 'nes2bpp', 'gba4bpp', 'md4bpp']) expect(firstColour(format), format).toEqual([0, 0, 0]);
  });

  it('is part of the cache key: a disk cache made with the old dark-first ramp is not served', () => {
    const request = normalizeRequest({ rom: { path: '/roms/zero.gb', sha1: '0'.repeat(40) }, block: { offset: 0, format: 'gb2bpp', tiles: 1 }, palette: { kind: 'grayscale' } });
    expect(JSON.parse(canonicalRequest(request))[2]).toBe(2);
  });
});
