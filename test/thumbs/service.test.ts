/**
 * The real pipeline end to end: ThumbnailService → Piscina worker (dist/workers/thumbnail.js) →
 * src/gfx + src/codecs → caches. Pixels are checked against tiles16.png, the image SuperFamiconv
 * made tiles16.snes4bpp.bin from (an independent tool), scaled here by plain arithmetic.
 * Needs `npx tsc -p .` first.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThumbnailService } from '../../src/thumbs/service.js';
import { normalizeRequest, type ThumbnailRequest } from '../../src/thumbs/request.js';
import { renderThumbnail } from '../../src/thumbs/render.js';
import { getCodec } from '../../src/codecs/index.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { RomgfxError } from '../../src/errors.js';
import { goldenTiles16, halOffset, rawOffset, tiles16Count, writeFixtureRom } from './helpers/fixture-rom.js';

let dir: string;
let romPath: string;
let romBytes: Uint8Array;
const golden = goldenTiles16();
const services: ThumbnailService[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'romgfx-thumbs-'));
  romPath = join(dir, 'fixture.rom');
  romBytes = writeFixtureRom(romPath);
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

function service(cacheName: string, options: { memoryCacheBytes?: number } = {}): ThumbnailService {
  const s = new ThumbnailService({ threads: 2, diskCache: { directory: join(dir, cacheName) }, ...options });
  services.push(s);
  return s;
}

function tiles16Request(s: ThumbnailService, extra: { scale?: number; codec?: string; format?: 'png' | 'webp' } = {}): ThumbnailRequest {
  return {
    rom: s.rom(romPath),
    block: { offset: extra.codec ? halOffset : rawOffset, format: 'snes4bpp', tiles: tiles16Count, ...(extra.codec ? { codec: extra.codec } : {}), arrangement: { kind: 'sheet', tilesPerRow: 32 } },
    palette: { kind: 'colors', colors: golden.colors },
    output: { scale: extra.scale ?? 2, format: extra.format ?? 'png' },
  };
}

/** Golden indices scaled by `factor` with nearest neighbour, computed independently of src/thumbs/scale.ts. */
function goldenScaled(factor: number): Uint8Array {
  const w = golden.width * factor;
  const out = new Uint8Array(w * golden.height * factor);
  for (let i = 0; i < out.length; i++) out[i] = golden.indices[Math.floor(Math.floor(i / w) / factor) * golden.width + Math.floor((i % w) / factor)]!;
  return out;
}

function unpackIndices(png: ReturnType<typeof decode>): Uint8Array {
  const { width, height, depth } = png;
  const data = png.data as Uint8Array;
  if (depth === 8) return Uint8Array.from(data);
  const rowBytes = Math.ceil((width * depth) / 8);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const bit = x * depth;
    out[y * width + x] = (data[y * rowBytes + (bit >> 3)]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
  }
  return out;
}

describe('ThumbnailService with the real worker', () => {
  it('renders the exact pixels and palette of the golden image, scaled ×2 (raw and HAL-compressed)', async () => {
    const s = service('pixels');
    for (const codec of [undefined, 'hal']) {
      const thumbnail = await s.thumbnail(tiles16Request(s, codec ? { codec } : {}));
      expect([thumbnail.width, thumbnail.height, thumbnail.format]).toEqual([512, 512, 'png']);
      const png = decode(thumbnail.bytes);
      expect(png.channels).toBe(1);
      expect(png.palette!.map(([r, g, b]) => (r! << 16) | (g! << 8) | b!)).toEqual(golden.colors);
      expect(Buffer.from(unpackIndices(png)).equals(Buffer.from(goldenScaled(2))), `codec ${codec ?? 'none'}`).toBe(true);
    }
  });

  it('the worker gives the same bytes as the pipeline run in-process', async () => {
    const s = service('same');
    const request = tiles16Request(s, { scale: 3 });
    const thumbnail = await s.thumbnail(request);
    const local = renderThumbnail(romBytes, normalizeRequest(request), 'png', (c, b, o, l) => getCodec(c).decompress(b, o, l), null);
    expect(Buffer.from(thumbnail.bytes).equals(Buffer.from(local.bytes))).toBe(true);
  });

  it('encodes WebP losslessly with exact colours', async () => {
    const s = service('webp');
    const thumbnail = await s.thumbnail(tiles16Request(s, { format: 'webp', scale: 1 }));
    expect(thumbnail.format).toBe('webp');
    const { data, info } = await sharp(thumbnail.bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([256, 256]);
    for (let i = 0; i < golden.indices.length; i++) {
      const c = golden.colors[golden.indices[i]!]!;
      if (data[i * 4] !== c >> 16 || data[i * 4 + 1] !== ((c >> 8) & 0xff) || data[i * 4 + 2] !== (c & 0xff)) throw new Error(`pixel ${i} differs`);
    }
  });

  it('serves the second request from memory and a fresh service from disk', async () => {
    const first = service('hits');
    const request = tiles16Request(first);
    expect((await first.thumbnail(request)).source).toBe('render');
    expect((await first.thumbnail(request)).source).toBe('memory');
    await first.close(); // waits for the background disk write
    const second = service('hits');
    const fromDisk = await second.thumbnail(request);
    expect(fromDisk.source).toBe('disk');
    expect(second.stats()).toMatchObject({ memory: { hits: 0, misses: 1 }, disk: { hits: 1, misses: 0 }, rendered: 0 });
  });

  it('survives a process restart: a second process reads what the first wrote', () => {
    const cacheDir = join(dir, 'restart');
    const script = join(PACKAGE_ROOT, 'dist', 'test', 'helpers', 'thumbs', 'render-once.js');
    const request = JSON.stringify({ rom: { path: romPath, sha1: service('unused').rom(romPath).sha1 }, block: { offset: rawOffset, format: 'snes4bpp', tiles: 64 }, output: { scale: 2 } });
    const run = (): string => execFileSync(process.execPath, [script, cacheDir, request], { encoding: 'utf8', timeout: 20_000 }).trim();
    expect(run()).toMatch(/^render 256 64 \d+$/u);
    expect(run()).toMatch(/^disk 256 64 \d+$/u);
  });

  it('replaces a corrupt disk entry with a fresh render', async () => {
    const s1 = service('corrupt');
    const request = tiles16Request(s1, { scale: 1 });
    const made = await s1.thumbnail(request);
    await s1.close();
    const entry = join(dir, 'corrupt', 'v1', made.key.slice(0, 2), `${made.key}.thm`);
    truncateSync(entry, 100);
    const s2 = service('corrupt');
    const again = await s2.thumbnail(request);
    expect(again.source).toBe('render');
    expect(Buffer.from(again.bytes).equals(Buffer.from(made.bytes))).toBe(true);
    expect(s2.diskCache!.corruptEntriesRemoved).toBe(1);
    await s2.close();
    expect(readFileSync(entry).length).toBe(made.bytes.length + 32);
    expect((await service('corrupt').thumbnail(request)).source).toBe('disk');
  });

  it('fails a request with a typed error when the block runs past the ROM, or the ROM changed', async () => {
    const s = service('errors');
    const ref = s.rom(romPath);
    await expect(s.thumbnail({ rom: ref, block: { offset: romBytes.length - 16, format: 'snes4bpp', tiles: 1 } })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    await expect(s.thumbnail({ rom: ref, block: { offset: 0, format: 'nosuchformat', tiles: 1 } })).rejects.toMatchObject({ code: 'ERR_UNKNOWN_FORMAT' });
    const copy = join(dir, 'changed.rom');
    writeFileSync(copy, romBytes);
    const before = s.rom(copy);
    const changed = Uint8Array.from(romBytes);
    changed[5] = changed[5]! ^ 1;
    writeFileSync(copy, changed);
    const error = await s.thumbnail({ rom: before, block: { offset: rawOffset, format: 'snes4bpp', tiles: 4 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RomgfxError);
    expect(error).toMatchObject({ code: 'ERR_ROM_CHANGED' });
  });
});
