/**
 * `romgfx serve`'s HTTP API, route by route, as a page or a script uses it: valid requests, the
 * wrong turns (bad parameters, traversal, oversized bodies, missing token, another origin), and
 * the pool behind it (identical concurrent thumbnails render once, 304 on a matching ETag).
 * Needs `npx tsc -p .` first (the thumbnail and scan workers run from dist/).
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, encode } from 'fast-png';
import { openGame } from '../../src/game/game.js';
import { encodeIndexedPng } from '../../src/gfx/png.js';
import { decodeTiles, getTileFormat } from '../../src/gfx/index.js';
import { colourHex, encodeBgr555, formatAct, formatGpl, formatJascPal, paletteColour, paletteFromRgb, parsePaletteFile, type Palette } from '../../src/gfx/palette.js';
import { maximumPaletteUploadSizeInBytes } from '../../src/serve/routes.js';
import { runCli } from '../helpers/cli.js';
import { maximumRequestBodySizeInBytes } from '../../src/serve/http.js';
import { tokenHeaderName } from '../../src/serve/security.js';
import type { RunningServer } from '../../src/serve/server.js';
import { startServer } from '../../src/serve/server.js';
import { makeFixtures, serveFixtures, type ServeFixtures } from './helpers.js';

let fixtures: ServeFixtures;
let server: RunningServer;

beforeAll(async () => {
  fixtures = makeFixtures();
  server = await serveFixtures(fixtures);
});
afterAll(async () => {
  await server?.close();
  rmSync(fixtures.dir, { recursive: true, force: true });
});

const url = (path: string): string => new URL(path, server.url).toString();
const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(url(path), { headers });
const post = (path: string, body: string | Uint8Array | undefined, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url(path), { method: 'POST', body: body as string | undefined, headers: { [tokenHeaderName]: server.token, ...headers } });

async function expectError(response: Response, status: number, code: string): Promise<{ message: string; details: Record<string, unknown> }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string; details: Record<string, unknown> } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

/** How long the busy-pool health test polls, and the pause between polls. */
const healthPollLimitInMilliseconds = 30_000;
const healthPollPauseInMilliseconds = 2;
/** How many distinct cold thumbnails keep the pool busy in that test. */
const busyPoolRenderCount = 40;

/** A 5-bit channel as BGR555 decoders expand it. */
const expand5to8 = (c: number): number => (c << 3) | (c >> 2);
const colourListOf = (palette: Palette): string[] => Array.from({ length: palette.count }, (_, i) => colourHex(paletteColour(palette, i)).slice(1));

/** RGB triples of a decoded PNG, indexed or not. */
function rgbOf(png: ReturnType<typeof decode>): number[] {
  const out: number[] = [];
  for (let i = 0; i < png.width * png.height; i++) {
    if (png.palette) {
      const perByte = 8 / png.depth;
      const rowBytes = Math.ceil((png.width * png.depth) / 8);
      const x = i % png.width;
      const byte = png.data[Math.floor(i / png.width) * rowBytes + Math.floor(x / perByte)]!;
      const colour = png.palette[(byte >> (8 - png.depth * ((x % perByte) + 1))) & ((1 << png.depth) - 1)]!;
      out.push(colour[0]!, colour[1]!, colour[2]!);
    } else {
      for (let c = 0; c < 3; c++) out.push(png.data[i * png.channels + c]!);
    }
  }
  return out;
}

/** A truecolour PNG (no PLTE) of w×h. */
function encodeRgbaPng(width: number, height: number): Uint8Array {
  return encode({ width, height, data: new Uint8Array(width * height * 4).fill(200), channels: 4, depth: 8 });
}

const sha1 = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex');

describe('health, metrics, ROMs', () => {
  it('GET /health answers ok with pool and cache figures', async () => {
    const response = await get('/health');
    expect(response.status).toBe(200);
    const health = (await response.json()) as Record<string, any>;
    expect(health.status).toBe('ok');
    expect(health.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(health.pool).toMatchObject({ threads: 2, queued: expect.any(Number), active: expect.any(Number) });
    expect(health.cache.memory).toMatchObject({ entries: expect.any(Number), bytes: expect.any(Number), hits: expect.any(Number), misses: expect.any(Number) });
    expect(health.cache.disk).toMatchObject({ entries: expect.any(Number), hits: expect.any(Number) });
  });

  it('GET /health answers while the pool is busy with cold renders', async () => {
    // Large distinct cold renders (4,096 tiles at scale 4: a 4-megapixel PNG each) keep both
    // workers busy for tens of milliseconds apiece even on a fast machine, so the pool is still busy
    // once the server has read every request; small renders finished before /health was answered.
    const cold = Array.from({ length: busyPoolRenderCount }, (_, i) => get(`/api/roms/r0/thumbnail?offset=${0x1000 + i * 256}&format=snes4bpp&tiles=4096&scale=4`));
    // Ask until a health answer comes while renders are in flight. The cold requests open new
    // connections while /health reuses a kept-alive one, so the first answers can beat them to the
    // server: poll with a short pause, by time rather than by a count of attempts, until then.
    let settled = 0;
    for (const answer of cold) void answer.then(() => settled++, () => settled++);
    let health = { status: '', pool: { queued: 0, active: 0 } };
    let healthSeconds = 0;
    const deadline = performance.now() + healthPollLimitInMilliseconds;
    while (health.pool.active === 0 && settled < cold.length && performance.now() < deadline) {
      const started = performance.now();
      health = (await (await get('/health')).json()) as typeof health;
      healthSeconds = (performance.now() - started) / 1000;
      expect(health.status).toBe('ok');
      if (health.pool.active === 0) await sleep(healthPollPauseInMilliseconds);
    }
    expect(health.pool.active).toBeGreaterThan(0);
    const answers = await Promise.all(cold);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // Not a timing claim about the machine: only that /health did not wait behind the renders.
    expect(healthSeconds).toBeLessThan(5);
  });

  it('GET /api/roms lists the ROMs named at start with their identity and definition', async () => {
    const { roms } = (await (await get('/api/roms')).json()) as { roms: Record<string, unknown>[] };
    expect(roms).toHaveLength(2);
    expect(roms[0]).toMatchObject({ id: 'r0', fileName: 'SNES_05.sfc', platform: 'snes', size: 262144, title: 'EXAMPLE 5', checksum: 'invalid', definition: 'd0' });
    expect(roms[1]).toMatchObject({ id: 'r1', fileName: 'demo.sfc', platform: 'snes', definition: 'd1' });
    expect(JSON.stringify(roms)).not.toContain(fixtures.dir);
  });

  it('GET /metrics is Prometheus text with per-route counts, latency histograms, thumbnail outcomes and memory', async () => {
    await get('/api/roms');
    const text = await (await get('/metrics')).text();
    expect(text).toMatch(/^romgfx_http_requests_total\{route="\/api\/roms",method="GET",status="200"\} \d+$/m);
    expect(text).toMatch(/^romgfx_http_request_duration_seconds_bucket\{route="\/api\/roms",le="\+Inf"\} \d+$/m);
    expect(text).toMatch(/^romgfx_http_thumbnail_requests_total\{outcome="render"\} \d+$/m);
    expect(text).toMatch(/^romgfx_thumbnail_cache_bytes\{level="memory"\} \d+$/m);
    expect(text).toMatch(/^romgfx_thumbnail_queue_depth \d+$/m);
    expect(text).toMatch(/^romgfx_process_resident_memory_bytes \d+$/m);
    for (const line of text.split('\n').filter((l) => l.startsWith('# TYPE'))) {
      const [, , name, type] = line.split(' ');
      if (type === 'counter') expect(name).toMatch(/_total$/);
    }
  });

  it('GET /api/formats lists tile formats with their tile sizes, and codecs', async () => {
    const formats = (await (await get('/api/formats')).json()) as { tileFormats: { name: string; bytesPerTile: number }[]; codecs: string[]; paletteFormats: string[]; arrangementKinds: string[] };
    expect(formats.tileFormats).toContainEqual(expect.objectContaining({ name: 'snes4bpp', bytesPerTile: 32 }));
    expect(formats.codecs).toContain('hal');
    // The shared vocabulary's names (docs/vocabulary.md).
    expect(formats.paletteFormats).toEqual(['bgr555', 'md9', 'nes-index', 'gb-bgp']);
    expect(formats.arrangementKinds).toEqual(['sheet', 'snes-obj', 'gb-8x16', 'block']);
  });

  it('unknown paths are 404 and wrong methods 405, as typed JSON', async () => {
    await expectError(await get('/api/nothing'), 404, 'ERR_SERVE_NOT_FOUND');
    const wrong = await fetch(url('/api/roms'), { method: 'DELETE' });
    expect(wrong.headers.get('allow')).toBe('GET');
    await expectError(wrong, 405, 'ERR_SERVE_METHOD');
  });
});

describe('thumbnails', () => {
  const sheet = '/api/roms/r0/thumbnail?offset=0x8120&format=snes4bpp&tiles=256&palette=rom:0x8100:bgr555:16';

  it('renders the tiles the ROM holds, with a strong ETag and Cache-Control; If-None-Match gets 304', async () => {
    const response = await get(sheet);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const png = decode(new Uint8Array(await response.arrayBuffer()));
    expect([png.width, png.height]).toEqual([128, 128]);
    // Pixel (x, y) of tile t is the decoded index → the ROM palette's colour.
    const rom = readFileSync(fixtures.snesRom);
    const indices = decodeTiles(getTileFormat('snes4bpp'), rom.subarray(0x8120, 0x8120 + 256 * 32));
    const bgr = rom.readUInt16LE(0x8100 + indices[0]! * 2);
    const expected = [((bgr & 31) * 255 + 15) / 31, (((bgr >> 5) & 31) * 255 + 15) / 31, (((bgr >> 10) & 31) * 255 + 15) / 31].map(Math.floor);
    const pixel = png.palette ? png.palette[png.data[0]! >> 4]! : [...png.data.subarray(0, 3)];
    expect([pixel[0], pixel[1], pixel[2]].map((c) => Math.abs(c! - expected[pixel.indexOf(c!)]!) <= 8)).toEqual([true, true, true]);

    const again = await get(sheet, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    const other = await get(sheet, { 'If-None-Match': '"0000"' });
    expect(other.status).toBe(200);
  });

  it('accepts a bus address wherever an offset goes: $01:8120 is ROM offset 0x8120 on LoROM', async () => {
    const byOffset = await get(sheet);
    const byBus = await get(sheet.replace('offset=0x8120', 'offset=%2401%3A8120'));
    expect(byBus.status).toBe(200);
    expect(byBus.headers.get('etag')).toBe(byOffset.headers.get('etag'));
  });

  it('decompresses with a codec at the offset (the demo ROM stores its sprites HAL-packed)', async () => {
    const defs = JSON.parse(readFileSync(fixtures.demoDefs, 'utf8')) as { sprites: { offset: string; codec: string }[] };
    const hal = defs.sprites.find((s) => s.codec === 'hal')!;
    const response = await get(`/api/roms/r1/thumbnail?offset=${hal.offset}&format=snes4bpp&tiles=4&codec=hal&scale=2`);
    expect(response.status).toBe(200);
    const png = decode(new Uint8Array(await response.arrayBuffer()));
    expect(png.width).toBe(4 * 8 * 2);
  });

  it('a batch answers many thumbnails in one response, each item with its own status', async () => {
    const items = ['offset=0x8120&format=snes4bpp&tiles=16', 'offset=0x999999&format=snes4bpp&tiles=16', 'offset=0x8120&format=snes4bpp&tiles=16&scale=2'];
    const query = items.map((item) => `item=${encodeURIComponent(item)}`).join('&');
    const response = await get(`/api/roms/r0/thumbnails?${query}`);
    expect(response.status).toBe(200);
    const body = new Uint8Array(await response.arrayBuffer());
    const headerLength = new DataView(body.buffer, body.byteOffset).getUint32(0);
    const header = JSON.parse(new TextDecoder().decode(body.subarray(4, 4 + headerLength))) as { items: { status: number; offset: number; length: number; width: number; etag: string; error?: { code: string } }[] };
    expect(header.items.map((i) => i.status)).toEqual([200, 422, 200]);
    expect(header.items[1]!.error!.code).toBe('ERR_ADDRESS_NOT_MAPPED');
    const single = await get(`/api/roms/r0/thumbnail?${items[2]}`);
    const third = header.items[2]!;
    expect(third.etag).toBe(single.headers.get('etag'));
    expect(Buffer.from(body.subarray(4 + headerLength + third.offset, 4 + headerLength + third.offset + third.length))).toEqual(Buffer.from(await single.arrayBuffer()));
    await expectError(await get('/api/roms/r0/thumbnails'), 400, 'ERR_SERVE_PARAMETER');
    await expectError(await get(`/api/roms/r0/thumbnails?${Array.from({ length: 129 }, () => 'item=x').join('&')}`), 400, 'ERR_SERVE_PARAMETER');
  });

  it('identical concurrent requests render once', async () => {
    const fresh = '/api/roms/r0/thumbnail?offset=0x9000&format=gb2bpp&tiles=40&perRow=8';
    const before = server.service.stats().rendered;
    const answers = await Promise.all(Array.from({ length: 12 }, () => get(fresh)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.headers.get('etag'))).size).toBe(1);
    expect(server.service.stats().rendered - before).toBe(1);
    const sources = answers.map((a) => a.headers.get('x-romgfx-source'));
    expect(sources.filter((s) => s === 'render')).toHaveLength(12 - sources.filter((s) => s === 'memory' || s === 'disk').length);
  });

  it.each([
    ['no offset', 'format=snes4bpp&tiles=4', 400, 'ERR_SERVE_PARAMETER'],
    ['offset past the end', 'offset=0x40000&format=snes4bpp&tiles=4', 422, 'ERR_ADDRESS_NOT_MAPPED'],
    ['an unmapped bus address', 'offset=%2400%3A0000&format=snes4bpp&tiles=4', 422, 'ERR_ADDRESS_NOT_MAPPED'],
    ['garbage offset', 'offset=..%2F..%2Fetc%2Fpasswd&format=snes4bpp&tiles=4', 400, 'ERR_ADDRESS_SYNTAX'],
    ['unknown format', 'offset=0&format=snes5bpp&tiles=4', 400, 'ERR_UNKNOWN_FORMAT'],
    ['zero tiles', 'offset=0&format=snes4bpp&tiles=0', 400, 'ERR_SERVE_PARAMETER'],
    ['too many tiles', 'offset=0&format=snes4bpp&tiles=999999', 400, 'ERR_SERVE_PARAMETER'],
    ['negative scale', 'offset=0&format=snes4bpp&tiles=4&scale=-1', 400, 'ERR_SERVE_PARAMETER'],
    ['scale twice', 'offset=0&format=snes4bpp&tiles=4&scale=1&scale=2', 400, 'ERR_SERVE_PARAMETER'],
    ['unknown codec', 'offset=0&format=snes4bpp&tiles=4&codec=zip', 400, 'ERR_UNKNOWN_CODEC'],
    ['a malformed palette', 'offset=0&format=snes4bpp&tiles=4&palette=rgb:1', 400, 'ERR_USAGE'],
  ])('%s', async (_what, query, status, code) => {
    const before = (await (await get('/health')).json()) as { status: string };
    expect(before.status).toBe('ok');
    const error = await expectError(await get(`/api/roms/r0/thumbnail?${query}`), status, code);
    expect(error.message).not.toMatch(/at .*\.ts:\d+/);
  });

  it('names ROMs by id only: traversal and unknown ids are 404s, never a file', async () => {
    for (const path of ['/api/roms/..%2F..%2Fetc%2Fpasswd/thumbnail?offset=0&format=snes4bpp&tiles=1', '/api/roms/r9/thumbnail?offset=0&format=snes4bpp&tiles=1', '/api/roms/../../etc/passwd', '/page/..%2Fhttp.ts', '/page/%2e%2e%2f%2e%2e%2fpackage.json']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
    }
    const raw = await rawGet('/page/../../../package.json');
    expect(raw.status).toBe(404);
  });

  it('a HAL stream cut off by the end of the ROM is a 422 with the codec error, not a 500', async () => {
    const error = await expectError(await get('/api/roms/r0/thumbnail?offset=0x3FFFF&format=snes4bpp&tiles=64&codec=hal'), 422, 'ERR_HAL_TRUNCATED');
    expect(error.message).toMatch(/hal/i);
  });
});

/** A request sent byte-for-byte (fetch normalises `..` away). */
function rawGet(path: string): Promise<{ status: number }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('security', () => {
  it('state-changing requests need the token', async () => {
    await expectError(await fetch(url('/api/roms/r1/scans'), { method: 'POST', body: '{}' }), 403, 'ERR_SERVE_FORBIDDEN');
    await expectError(await post('/api/roms/r1/scans', '{}', { [tokenHeaderName]: 'x'.repeat(32) }), 403, 'ERR_SERVE_FORBIDDEN');
  });

  it('refuses cross-origin requests (Origin or Sec-Fetch-Site), even with the token', async () => {
    await expectError(await post('/api/roms/r1/definition', '{}', { Origin: 'http://evil.example' }), 403, 'ERR_SERVE_FORBIDDEN');
    await expectError(await get('/api/roms', { 'Sec-Fetch-Site': 'cross-site' }), 403, 'ERR_SERVE_FORBIDDEN');
    const same = await get('/api/roms', { Origin: server.url.replace(/\/$/, ''), 'Sec-Fetch-Site': 'same-origin' });
    expect(same.status).toBe(200);
  });

  it('refuses a Host that is not loopback (DNS rebinding)', async () => {
    const { hostname, port } = new URL(server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: hostname, port, path: '/api/roms', headers: { Host: `evil.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('refuses an oversized body with 413 before reading it all', async () => {
    const big = new Uint8Array(maximumRequestBodySizeInBytes + 1);
    const error = await expectError(await post('/api/roms/r0/sprites/sprite-sheet', big, { 'Content-Type': 'image/png' }), 413, 'ERR_SERVE_BODY_TOO_LARGE');
    expect(error.details.limitInBytes).toBe(maximumRequestBodySizeInBytes);
  });

  it('a non-loopback host needs --token, and a short token is refused', async () => {
    await expect(startServer({ roms: [fixtures.snesRom], host: '0.0.0.0', port: 0, diskCache: false })).rejects.toMatchObject({ code: 'ERR_USAGE' });
    await expect(startServer({ roms: [fixtures.snesRom], port: 0, token: 'short', diskCache: false })).rejects.toMatchObject({ code: 'ERR_USAGE' });
  });

  it('--root serves the ROMs and definitions in one folder, by id, and nothing named later', async () => {
    const rooted = await startServer({ root: fixtures.dir, port: 0, diskCache: false, scanCache: false, outputDirectory: join(fixtures.dir, 'root-out') });
    try {
      const { roms } = (await (await fetch(new URL('/api/roms', rooted.url))).json()) as { roms: { id: string; fileName: string; definition: string | null }[] };
      expect(roms.map((r) => r.fileName)).toEqual(['SNES_05.sfc', 'demo.sfc']);
      expect(roms.every((r) => r.definition !== null)).toBe(true);
      writeFileSync(join(fixtures.dir, 'later.sfc'), new Uint8Array(0x8000));
      const again = (await (await fetch(new URL('/api/roms', rooted.url))).json()) as { roms: unknown[] };
      expect(again.roms).toHaveLength(2);
      expect((await fetch(new URL('/api/roms/r2/thumbnail?offset=0&format=snes4bpp&tiles=1', rooted.url))).status).toBe(404);
    } finally {
      await rooted.close();
      rmSync(join(fixtures.dir, 'later.sfc'), { force: true });
    }
  });

  it('the page carries the token; page files are served only by name from the page folder', async () => {
    const html = await (await get('/')).text();
    expect(html).toContain(`content="${server.token}"`);
    const js = await get('/page/app.js');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await get('/page/nothing.js')).status).toBe(404);
  });
});

describe('palette files', () => {
  /** 16 colours a ROM hacker might have saved: distinct, BGR555-exact (so every format round-trips). */
  const colours = paletteFromRgb(Array.from({ length: 16 * 3 }, (_, i) => expand5to8(((i * 7) + (i >> 1)) & 31)));
  const expected = Array.from({ length: 16 }, (_, i) => colourHex(paletteColour(colours, i)).slice(1));
  const upload = (body: Uint8Array | string, query = '', headers: Record<string, string> = {}): Promise<Response> => post(`/api/palettes${query}`, typeof body === 'string' ? body : Buffer.from(body), { 'Content-Type': 'application/octet-stream', ...headers });

  it('reads JASC-PAL, GIMP .gpl, Adobe .act, raw BGR555, a CGRAM dump and an indexed PNG, as the CLI does', async () => {
    const cgram = new Uint8Array(512);
    cgram.set(encodeBgr555(colours), 32);
    const files: [string, Uint8Array | string, string, string[]][] = [
      ['?name=hero.pal', formatJascPal(colours), 'jasc', expected],
      ['?name=hero.gpl', formatGpl(colours), 'gpl', expected],
      ['?name=hero.act', formatAct(colours), 'act', expected],
      ['?name=hero.bin', encodeBgr555(colours), 'bgr555', expected],
      ['?name=snes.cgram', cgram, 'cgram', colourListOf(parsePaletteFile(cgram, 'snes.cgram'))],
      ['?name=sheet.png', encodeIndexedPng({ width: 4, height: 4, pixels: new Uint8Array(16) }, colours), 'png', expected],
    ];
    for (const [query, body, type, colors] of files) {
      const response = await upload(body, query);
      expect(response.status, query).toBe(200);
      const answer = (await response.json()) as { type: string; count: number; colors: string[]; palette: string };
      expect(answer.type, query).toBe(type);
      expect(answer.colors.slice(0, colors.length), query).toEqual(colors);
      expect(answer.palette).toBe(`colors:${answer.colors.join(',')}`);
    }
    // A CGRAM dump's second 16-colour row is the palette written there; ?type= overrides the guess.
    const row = (await (await upload(cgram, '?name=dump.bin&type=cgram&subpalette=1')).json()) as { count: number; colors: string[] };
    expect(row).toMatchObject({ count: 16, colors: expected });
    const asAct = (await (await upload(formatAct(colours), '?type=act')).json()) as { type: string };
    expect(asAct.type).toBe('act');
  });

  it('the answered palette draws the ROM view: the same pixels as `romgfx extract --palette <file>`', async () => {
    const answer = (await (await upload(formatJascPal(colours), '?name=hero.pal')).json()) as { palette: string };
    const shown = decode(new Uint8Array(await (await get(`/api/roms/r0/thumbnail?offset=0x8120&format=snes4bpp&tiles=16&perRow=16&palette=${encodeURIComponent(answer.palette)}`)).arrayBuffer()));
    const palPath = join(fixtures.dir, 'hero.pal');
    writeFileSync(palPath, formatJascPal(colours));
    const out = join(fixtures.dir, 'hero-extract.png');
    const run = runCli(['extract', fixtures.snesRom, '--offset', '0x8120', '--format', 'snes4bpp', '--tiles', '16', '--palette', palPath, '-o', out]);
    expect(run.stderr).toBe('');
    const extracted = decode(readFileSync(out));
    expect([shown.width, shown.height]).toEqual([extracted.width, extracted.height]);
    expect(rgbOf(shown)).toEqual(rgbOf(extracted));
  });

  it('refuses what is not a palette with typed 4xx errors', async () => {
    expect((await expectError(await upload('JASC-PAL\r\n0100\r\n2\r\n1 2 3\r\n', '?name=short.pal'), 422, 'ERR_BAD_PALETTE')).message).toMatch(/JASC-PAL line 5/);
    await expectError(await upload(new Uint8Array(513), '?name=odd.bin'), 422, 'ERR_BAD_PALETTE');
    await expectError(await upload(new Uint8Array(100), '?name=dump.bin&type=cgram'), 422, 'ERR_BAD_PALETTE');
    const rgbPng = encodeRgbaPng(2, 2);
    expect((await expectError(await upload(rgbPng, '?name=photo.png'), 422, 'ERR_BAD_PALETTE')).message).toMatch(/no palette/);
    expect((await expectError(await upload(formatJascPal(colours), '?type=bmp'), 400, 'ERR_SERVE_PARAMETER')).details.field).toBe('type');
    expect((await expectError(await upload(new Uint8Array(0), '?name=empty.pal'), 400, 'ERR_SERVE_PARAMETER')).details.field).toBe('body');
    expect((await expectError(await upload(formatJascPal(colours), '?subpalette=1'), 400, 'ERR_SERVE_PARAMETER')).details.field).toBe('subpalette');
    expect((await expectError(await upload(formatJascPal(colours), '?colours=16'), 400, 'ERR_SERVE_PARAMETER')).details.field).toBe('colours');
    await expectError(await upload(new Uint8Array(maximumPaletteUploadSizeInBytes + 1), '?name=huge.bin'), 413, 'ERR_SERVE_BODY_TOO_LARGE');
    await expectError(await fetch(url('/api/palettes'), { method: 'POST', body: formatJascPal(colours) }), 403, 'ERR_SERVE_FORBIDDEN');
    await expectError(await get('/api/palettes'), 405, 'ERR_SERVE_METHOD');
  });
});

describe('scans', () => {
  it('runs a scan with progress events and lists candidates sorted by score', async () => {
    const started = await post('/api/roms/r1/scans', JSON.stringify({ codecs: ['hal'], minimumUnpackedSize: 128 }));
    expect(started.status).toBe(202);
    const job = (await started.json()) as { id: string };
    const events = await (await get(`/api/scans/${job.id}/events`)).text();
    expect(events).toMatch(/^event: (progress|done)/m);
    expect(events).toMatch(/event: done\ndata: \{"type":"done","candidates":\d+\}/);
    const result = (await (await get(`/api/scans/${job.id}`)).json()) as { state: string; candidates: { score: number; codec: string; offset: number }[] };
    expect(result.state).toBe('done');
    expect(result.candidates.length).toBeGreaterThan(0);
    const scores = result.candidates.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // The compact answer the page uses: the same candidates as rows of numbers, names by index.
    const compact = (await (await get(`/api/scans/${job.id}?layout=rows`)).json()) as { state: string; fields: string[]; codecs: string[]; formats: string[]; kinds: string[]; rows: number[][] };
    expect(compact.state).toBe('done');
    expect(compact.fields).toEqual(['offset', 'packedLength', 'unpackedLength', 'codec', 'format', 'score', 'kind']);
    const rebuilt = compact.rows.map((r) => ({ offset: r[0], packedLength: r[1], unpackedLength: r[2], codec: compact.codecs[r[3]!], format: compact.formats[r[4]!], score: r[5], kind: compact.kinds[r[6]!] }));
    expect(rebuilt).toEqual(result.candidates);
    expect((await expectError(await get(`/api/scans/${job.id}?layout=columns`), 400, 'ERR_SERVE_PARAMETER')).details.field).toBe('layout');

    const definition = await post('/api/roms/r1/definition', JSON.stringify({ candidates: result.candidates.slice(0, 3) }), { 'Content-Type': 'application/json' });
    expect(definition.status).toBe(200);
    expect(definition.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.json"/);
    const doc = (await definition.json()) as { sprites: unknown[]; variants: unknown[] };
    expect(doc.sprites).toHaveLength(3);
  });

  it('a cancelled scan stops and says so', async () => {
    const job = (await (await post('/api/roms/r1/scans', JSON.stringify({ workers: 1 }))).json()) as { id: string };
    const cancelled = await fetch(url(`/api/scans/${job.id}`), { method: 'DELETE', headers: { [tokenHeaderName]: server.token } });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { state: string }).state).toBe('cancelled');
    const events = await (await get(`/api/scans/${job.id}/events`)).text();
    expect(events).toContain('event: cancelled');
  });

  it('bad scan options and candidates are 400s naming the field', async () => {
    expect((await expectError(await post('/api/roms/r1/scans', JSON.stringify({ codecs: ['zip'] })), 400, 'ERR_SERVE_PARAMETER')).details.field).toBe('codecs');
    expect((await expectError(await post('/api/roms/r1/scans', '{not json'), 400, 'ERR_SERVE_PARAMETER')).details.field).toBe('body');
    await expectError(await post('/api/roms/r1/scans', JSON.stringify({ range: { start: '0x0', end: '0x999999' } })), 422, 'ERR_ADDRESS_NOT_MAPPED');
    const bad = [{ offset: 0x7fffffff, packedLength: 1, unpackedLength: 32, codec: 'raw', format: 'snes4bpp', score: 1 }];
    expect((await expectError(await post('/api/roms/r1/definition', JSON.stringify({ candidates: bad })), 400, 'ERR_SERVE_PARAMETER')).details.field).toBe('candidates[0].offset');
    await expectError(await get('/api/scans/s999'), 404, 'ERR_SERVE_NOT_FOUND');
  });

  it('the planting route exists only when the server was started with testRoutes', async () => {
    await expectError(await post('/api/test/roms/r0/scans', JSON.stringify({ candidates: [] })), 404, 'ERR_SERVE_NOT_FOUND');
  });
});

describe('sprites, inject, definitions', () => {
  it('lists the sprites of the matched definition and serves each as an indexed PNG', async () => {
    const list = (await (await get('/api/roms/r0/sprites')).json()) as { sprites: Record<string, unknown>[] };
    expect(list.sprites[0]).toMatchObject({ name: 'sprite-sheet', codec: 'none', tileFormat: 'snes4bpp', width: 128, height: 128, tileCount: 256, paletteColours: 16 });
    const png = await get('/api/roms/r0/sprites/sprite-sheet/png');
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(decode(new Uint8Array(await png.arrayBuffer())).width).toBe(128);
    await expectError(await get('/api/roms/r0/sprites/nope/png'), 404, 'ERR_SPRITE_NOT_FOUND');
  });

  it('injects an edited PNG into a new ROM + BPS patch in the output folder, never over the input', async () => {
    const inputBefore = sha1(readFileSync(fixtures.snesRom));
    const game = await openGame(fixtures.snesRom, { definitions: fixtures.snesDefs });
    const sprite = game.original('sprite-sheet');
    game.close();
    const edited = Uint8Array.from(sprite.indices);
    edited[0] = (edited[0]! + 1) % 16;
    const png = encodeIndexedPng({ width: sprite.width, height: sprite.height, pixels: edited }, sprite.palette);
    const response = await post('/api/roms/r0/sprites/sprite-sheet', png, { 'Content-Type': 'image/png' });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { rom: { url: string; name: string }; patch: { url: string; name: string } };
    expect(result.patch.name).toMatch(/\.bps$/);
    const romBytes = new Uint8Array(await (await get(result.rom.url)).arrayBuffer());
    const patchBytes = new Uint8Array(await (await get(result.patch.url)).arrayBuffer());
    expect(new TextDecoder().decode(patchBytes.subarray(0, 4))).toBe('BPS1');
    expect(decodeTiles(getTileFormat('snes4bpp'), romBytes.subarray(0x8120, 0x8120 + 32))[0]).toBe(edited[0]);
    expect(sha1(readFileSync(fixtures.snesRom))).toBe(inputBefore);
    // The edit is not left pending: the sprite reads as the ROM again.
    const again = decode(new Uint8Array(await (await get('/api/roms/r0/sprites/sprite-sheet/png')).arrayBuffer()));
    expect(again.data[0]! >> 4).toBe(sprite.indices[0]);
  });

  it('an edited PNG of the wrong size or with an off-palette colour is a 4xx naming what is wrong', async () => {
    const game = await openGame(fixtures.snesRom, { definitions: fixtures.snesDefs });
    const sprite = game.original('sprite-sheet');
    game.close();
    const small = encodeIndexedPng({ width: 8, height: 8, pixels: new Uint8Array(64) }, sprite.palette);
    const error = await (await post('/api/roms/r0/sprites/sprite-sheet', small, { 'Content-Type': 'image/png' })).json();
    expect(JSON.stringify(error)).toMatch(/"code":"ERR_/);
    const notPng = await post('/api/roms/r0/sprites/sprite-sheet', new Uint8Array([1, 2, 3]), { 'Content-Type': 'image/png' });
    expect(notPng.status).toBeGreaterThanOrEqual(400);
    expect(notPng.status).toBeLessThan(500);
    await expectError(await post('/api/roms/r0/sprites/sprite-sheet', undefined), 400, 'ERR_SERVE_PARAMETER');
  });

  it('downloads a definition by id; unknown outputs and definitions are 404', async () => {
    const defs = await get('/api/definitions/d0');
    expect(defs.headers.get('content-disposition')).toContain('snes05.json');
    expect(await defs.text()).toBe(readFileSync(fixtures.snesDefs, 'utf8'));
    await expectError(await get('/api/definitions/d9'), 404, 'ERR_SERVE_NOT_FOUND');
    await expectError(await get('/api/outputs/..%2Fsnes05.json'), 404, 'ERR_SERVE_NOT_FOUND');
    const list = (await (await get('/api/definitions')).json()) as { definitions: { id: string }[] };
    expect(list.definitions.map((d) => d.id)).toEqual(['d0', 'd1']);
  });
});
