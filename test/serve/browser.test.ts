/**
 * The page in real headless Chromium (Debian's, through test/helpers/browser.ts: fails loudly
 * when it cannot start). ROM-view pixels against `romgfx extract` with the same settings, the
 * keyboard and bus addresses, a 2,000-candidate gallery (planted through the test-only route),
 * a candidate opened in the ROM view, and an edited PNG injected end to end. Screenshots of each
 * view go to docs/images/serve-*.png for the README. Needs `npx tsc -p .` first.
 */
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from 'fast-png';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { binPath, repoRoot, runCli } from '../helpers/cli.js';
import { openGame } from '../../src/game/game.js';
import { fillPseudoRandom } from '../../src/rom/build.js';
import { encodeIndexedPng } from '../../src/gfx/png.js';
import { decodeTiles, getTileFormat } from '../../src/gfx/index.js';
import type { RunningServer } from '../../src/serve/server.js';
import { makeFixtures, serveFixtures, type ServeFixtures } from './helpers.js';

/** The noise ROM the cancel test scans (big enough that its scan outlives a click). */
const slowScanRomSizeInBytes = 4 * 1024 * 1024;
/** Candidates planted for the gallery test. */
const plantedCandidateCount = 2000;
// The README's screenshots are refreshed on request (ROMGFX_UPDATE_SCREENSHOTS=1); an ordinary run
// takes them into a temporary folder, so `npm test` never changes tracked files.
const screenshotDirectory = process.env.ROMGFX_UPDATE_SCREENSHOTS === '1' ? join(repoRoot, 'docs', 'images') : join(tmpdir(), `romgfx-serve-screens-${process.pid}`);

// Callbacks passed to page.evaluate run in the page; the test project has no DOM types.
declare const document: any;
declare const location: any;
type HTMLImageElement = any;
type HTMLInputElement = any;
type HTMLElement = any;
type HTMLAnchorElement = any;

let fixtures: ServeFixtures;
let server: RunningServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  fixtures = makeFixtures();
  // r2: 4 MiB of noise, so a scan runs for many seconds and the Cancel button has a scan to stop.
  const noise = new Uint8Array(slowScanRomSizeInBytes);
  fillPseudoRandom(noise);
  writeFileSync(join(fixtures.dir, 'noise.sfc'), noise);
  server = await serveFixtures(fixtures, { testRoutes: true, roms: [fixtures.snesRom, fixtures.demoRom, join(fixtures.dir, 'noise.sfc')] });
  ({ browser, close: closeBrowser } = await launchChromium());
  page = await browser.newPage({ viewport: { width: 960, height: 640 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) pageErrors.push(message.text());
  });
  mkdirSync(screenshotDirectory, { recursive: true });
}, 60_000);

afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
  rmSync(fixtures.dir, { recursive: true, force: true });
});

/** RGBA pixels of the ROM view's image, read back through a canvas in the page. */
async function romViewPixels(): Promise<{ width: number; height: number; rgba: number[] }> {
  return page.evaluate(async () => {
    const img = document.getElementById('rom-image') as HTMLImageElement;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(img, 0, 0);
    return { width: canvas.width, height: canvas.height, rgba: [...context.getImageData(0, 0, canvas.width, canvas.height).data] };
  });
}

/** RGBA of a PNG file (indexed or not). */
function pngRgba(bytes: Uint8Array): { width: number; height: number; rgba: number[] } {
  const png = decode(bytes);
  const rgba: number[] = [];
  for (let i = 0; i < png.width * png.height; i++) {
    if (png.palette) {
      const bitsPerPixel = png.depth;
      const perByte = 8 / bitsPerPixel;
      const rowBytes = Math.ceil((png.width * bitsPerPixel) / 8);
      const x = i % png.width;
      const y = Math.floor(i / png.width);
      const byte = png.data[y * rowBytes + Math.floor(x / perByte)]!;
      const index = (byte >> (8 - bitsPerPixel * ((x % perByte) + 1))) & ((1 << bitsPerPixel) - 1);
      const colour = png.palette[index]!;
      rgba.push(colour[0]!, colour[1]!, colour[2]!, colour[3] ?? 255);
    } else {
      for (let c = 0; c < 4; c++) rgba.push(c < png.channels ? png.data[i * png.channels + c]! : 255);
    }
  }
  return { width: png.width, height: png.height, rgba };
}

async function waitForRomImage(): Promise<void> {
  await page.waitForFunction(() => {
    const img = document.getElementById('rom-image') as HTMLImageElement;
    return img.dataset.loaded !== undefined && img.complete && img.naturalWidth > 0;
  });
}

describe('romgfx serve in Chromium', () => {
  it('ROM view: pixels equal `romgfx extract` for the same settings', async () => {
    await page.goto(`${server.url}#rom?rom=r0&offset=0x8120&format=snes4bpp&codec=&palette=rom:0x8100:bgr555:16&perRow=16&rows=16&zoom=1`);
    await page.waitForSelector('body[data-ready="true"]');
    await waitForRomImage();
    const shown = await romViewPixels();
    const out = join(fixtures.dir, 'extract.png');
    const run = runCli(['extract', fixtures.snesRom, '--offset', '0x8120', '--format', 'snes4bpp', '--tiles', '256', '--palette', 'rom:0x8100', '-o', out]);
    expect(run.stderr).toBe('');
    const extracted = pngRgba(readFileSync(out));
    expect([shown.width, shown.height]).toEqual([extracted.width, extracted.height]);
    // Colour only: the viewer shows colour 0 opaque, extract without --transparent too.
    let differing = 0;
    for (let i = 0; i < extracted.rgba.length; i++) if (shown.rgba[i] !== extracted.rgba[i]) differing++;
    expect(differing).toBe(0);
    expect(new Set(shown.rgba.filter((_, i) => i % 4 === 0)).size).toBeGreaterThan(2);
  });

  it('ROM view: arrow keys move by a tile and a row, the URL follows, a bus address shows the same tiles', async () => {
    await page.click('#rom-viewer');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => location.hash.includes('offset=0x8140'));
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => location.hash.includes('offset=0x8340'));
    await page.keyboard.press('PageUp');
    await page.waitForFunction(() => location.hash.includes('offset=0x6340'));
    await page.keyboard.press('Home');
    await page.waitForFunction(() => (document.querySelector('input[name=offset]') as HTMLInputElement).value === '0x0');
    await page.keyboard.press('Period');
    await page.waitForFunction(() => location.hash.includes('offset=0x1&'));

    await page.fill('input[name=zoom]', '1');
    await page.fill('input[name=offset]', '$01:8120');
    await page.waitForFunction(() => location.hash.includes('offset=%2401%3A8120'));
    await waitForRomImage();
    await page.waitForTimeout(100);
    const byBus = await romViewPixels();
    const extracted = pngRgba(readFileSync(join(fixtures.dir, 'extract.png')));
    expect(byBus.rgba).toEqual(extracted.rgba);
    // From a bus address, a key press resolves it on the server, then steps.
    await page.click('#rom-viewer');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => (document.querySelector('input[name=offset]') as HTMLInputElement).value === '0x8100');

    // A bad offset shows the engine's error, and the view recovers.
    await page.fill('input[name=offset]', '0x999999');
    await page.waitForSelector('#rom-error:not([hidden])');
    expect(await page.textContent('#rom-error')).toContain('ERR_ADDRESS_NOT_MAPPED');
    await page.fill('input[name=offset]', '0x8120');
    await page.fill('input[name=zoom]', '2');
    await page.waitForSelector('#rom-error', { state: 'hidden' });
    await waitForRomImage();
    await page.screenshot({ path: join(screenshotDirectory, 'serve-rom.png') });
  });

  it('ROM view: a palette file (JASC-PAL, then a CGRAM dump row) colours the tiles as `romgfx extract --palette` does; a bad file shows its error', async () => {
    await page.goto('about:blank');
    await page.goto(`${server.url}#rom?rom=r0&offset=0x8120&format=snes4bpp&codec=&palette=gray&perRow=16&rows=2&zoom=1`);
    await page.waitForSelector('body[data-ready="true"]');
    await waitForRomImage();
    const colours = Array.from({ length: 16 }, (_, i) => [(i * 16 + 8) & 0xf8, (255 - i * 16) & 0xf8, (i * 40) & 0xf8]);
    const jasc = join(fixtures.dir, 'upload.pal');
    writeFileSync(jasc, ['JASC-PAL', '0100', '16', ...colours.map((c) => c.join(' '))].join('\r\n') + '\r\n');
    const cgram = new Uint8Array(512);
    colours.forEach(([r, g, b], i) => {
      const value = (r! >> 3) | ((g! >> 3) << 5) | ((b! >> 3) << 10);
      cgram[32 + i * 2] = value & 0xff;
      cgram[33 + i * 2] = value >> 8;
    });
    const cgramPath = join(fixtures.dir, 'upload.cgram');
    writeFileSync(cgramPath, cgram);

    let extracts = 0;
    const expectExtract = async (paletteArgs: string[]): Promise<void> => {
      const out = join(fixtures.dir, `palette-extract-${++extracts}.png`);
      const run = runCli(['extract', fixtures.snesRom, '--offset', '0x8120', '--format', 'snes4bpp', '--tiles', '32', ...paletteArgs, '-o', out]);
      expect(run.stderr).toBe('');
      const extracted = pngRgba(readFileSync(out));
      const shown = await romViewPixels();
      expect([shown.width, shown.height]).toEqual([extracted.width, extracted.height]);
      expect(shown.rgba).toEqual(extracted.rgba);
    };
    const nextImage = async (before: string | undefined): Promise<void> => {
      await page.waitForFunction((old) => {
        const img = document.getElementById('rom-image') as HTMLImageElement;
        return img.dataset.loaded !== old && img.complete && img.naturalWidth > 0;
      }, before);
    };
    const loaded = (): Promise<string | undefined> => page.$eval('#rom-image', (img: HTMLImageElement) => img.dataset.loaded);

    let before = await loaded();
    await page.setInputFiles('#palette-file', jasc);
    await page.waitForFunction(() => (document.querySelector('input[name=palette]') as HTMLInputElement).value.startsWith('colors:'));
    await nextImage(before);
    expect(await page.evaluate(() => location.hash)).toContain('palette=colors%3A');
    await expectExtract(['--palette', jasc]);

    // A CGRAM dump holds 16 rows of 16 colours; row 1 is the one written above.
    before = await loaded();
    await page.fill('#palette-sub', '1');
    await page.setInputFiles('#palette-file', cgramPath);
    await nextImage(before);
    await expectExtract(['--palette', cgramPath, '--subpalette', '1']);

    const bad = join(fixtures.dir, 'bad.pal');
    writeFileSync(bad, 'JASC-PAL\r\n0100\r\n16\r\n1 2\r\n');
    await page.fill('#palette-sub', '');
    await page.setInputFiles('#palette-file', bad);
    await page.waitForSelector('#rom-error:not([hidden])');
    expect(await page.textContent('#rom-error')).toMatch(/^ERR_BAD_PALETTE: JASC-PAL line 4/);
  });

  it('`romgfx serve --open-with <command>` gives that command the URL, and the URL loads the page', async () => {
    const opened = join(fixtures.dir, 'opened.txt');
    const opener = join(fixtures.dir, 'opener.mjs');
    writeFileSync(opener, `#!/usr/bin/env node\nimport { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(opened)}, process.argv.slice(2).join(' '));\n`, { mode: 0o755 });
    const child = spawn(process.execPath, [binPath, 'serve', fixtures.demoRom, '--port', '0', '--no-cache', '--out', join(fixtures.dir, 'open-out'), '--open-with', opener], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
      const started = Date.now();
      while (!existsSync(opened) && Date.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 50));
      const given = readFileSync(opened, 'utf8');
      expect(given).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(stdout).toContain(given);
      const other = await browser.newPage();
      try {
        await other.goto(given);
        await other.waitForSelector('body[data-ready="true"]');
        expect(await other.$$eval('#rom-select option', (options) => options.map((o) => o.textContent))).toEqual([expect.stringContaining('demo.sfc')]);
        await other.waitForFunction(() => (document.getElementById('rom-image') as HTMLImageElement).naturalWidth > 0);
      } finally {
        await other.close();
      }
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);

  it('Scan view: a 2,000-candidate gallery is virtualised, scrolls, filters, and opens a candidate in the ROM view', async () => {
    const candidates = Array.from({ length: plantedCandidateCount }, (_, i) => ({
      offset: (i * 64) % 0x3f000,
      packedLength: 64,
      unpackedLength: i % 3 === 0 ? 512 : 256,
      codec: i % 5 === 0 ? 'rle' : 'raw',
      format: i % 2 === 0 ? 'snes4bpp' : 'gb2bpp',
      score: 1 - i / plantedCandidateCount,
    }));
    const planted = await fetch(new URL('/api/test/roms/r0/scans', server.url), {
      method: 'POST',
      headers: { 'x-romgfx-token': server.token, 'content-type': 'application/json' },
      body: JSON.stringify({ candidates }),
    });
    expect(planted.status).toBe(201);
    const { id } = (await planted.json()) as { id: string };
    await page.goto(`${server.url}#scan?rom=r0&scan=${id}`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForFunction(() => document.getElementById('gallery')!.dataset.count === '2000');
    await page.waitForSelector('.cell canvas');
    const firstScreen = await page.$$eval('.cell', (cells) => cells.length);
    expect(firstScreen).toBeGreaterThan(10);
    expect(firstScreen).toBeLessThan(200);
    // Sorted by score: the first cell is candidate 0.
    expect(await page.$eval('.cell', (cell) => cell.textContent)).toContain('0x0 rle');
    // Raw candidates decode; the planted RLE ones at arbitrary offsets may not (marked, as for a bad scan hit).
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('.cell')] as HTMLElement[];
      return cells.every((cell) => cell.dataset.state !== 'loading') && cells.filter((cell) => cell.dataset.state === 'loaded').length >= cells.length / 2;
    });
    // A drawn thumbnail is exactly the server's PNG for that candidate: candidate 1 (0x40, gb2bpp, raw, 16 tiles).
    const drawn = await page.$eval('.cell[data-index="1"]', (cell: any) => {
      const canvas = cell.querySelector('canvas');
      // The cell's canvas shows a bitmap ('bitmaprenderer'); read it back through a 2D canvas.
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const context = copy.getContext('2d');
      context.drawImage(canvas, 0, 0);
      return { query: cell.dataset.thumbnail as string, width: canvas.width as number, height: canvas.height as number, rgba: [...context.getImageData(0, 0, canvas.width, canvas.height).data] as number[] };
    });
    expect(drawn.query).toContain('offset=0x40&format=gb2bpp&tiles=16');
    const served = pngRgba(new Uint8Array(await (await fetch(new URL(`/api/roms/r0/thumbnail?${drawn.query}`, server.url))).arrayBuffer()));
    expect([drawn.width, drawn.height]).toEqual([served.width, served.height]);
    expect(drawn.rgba).toEqual(served.rgba);
    expect(new Set(drawn.rgba).size).toBeGreaterThan(2);
    await page.screenshot({ path: join(screenshotDirectory, 'serve-scan.png') });

    await page.$eval('#gallery', (gallery) => { gallery.scrollTop = gallery.scrollHeight; });
    await page.waitForFunction(() => [...(document.querySelectorAll('.cell') as HTMLElement[])].some((cell) => cell.dataset.index === '1999'));
    expect(await page.$$eval('.cell', (cells) => cells.length)).toBeLessThan(200);
    await page.$eval('#gallery', (gallery) => { gallery.scrollTop = 0; });
    await page.waitForFunction(() => [...(document.querySelectorAll('.cell') as HTMLElement[])].some((cell) => cell.dataset.index === '0'));

    await page.selectOption('#filter-codec', 'rle');
    await page.waitForFunction(() => document.getElementById('gallery')!.dataset.count === '400');
    expect(await page.evaluate(() => location.hash)).toContain('codec=rle');
    await page.selectOption('#filter-codec', '');

    // Pick two candidates and download a definition.
    const boxes = await page.$$('.cell input[type=checkbox]');
    await boxes[0]!.check();
    await boxes[1]!.check();
    const downloadPromise = page.waitForEvent('download');
    await page.click('#scan-definition');
    const downloaded = await downloadPromise;
    const definition = JSON.parse(readFileSync(await downloaded.path(), 'utf8')) as { sprites: { offset: string }[] };
    expect(definition.sprites.map((s) => s.offset)).toEqual(['0x0', '0x40']);

    // Candidate 1 (offset 0x40, gb2bpp, raw) opens in the ROM view.
    await page.click('.cell[data-index="1"] .thumb');
    await page.waitForFunction(() => location.hash.startsWith('#rom?'));
    expect(await page.inputValue('input[name=offset]')).toBe('0x40');
    expect(await page.inputValue('select[name=format]')).toBe('gb2bpp');
    await waitForRomImage();
  });

  it('Scan view: a real scan of the demo ROM runs with progress and fills the gallery', async () => {
    // A fresh page: a hash-only navigation would keep the previous test's gallery.
    await page.goto('about:blank');
    await page.goto(`${server.url}#scan?rom=r1`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#scan-minimum', '128');
    await page.click('#scan-start');
    await page.waitForFunction(() => /^\d+ candidates$/.test(document.getElementById('scan-summary').textContent), undefined, { timeout: 60_000 });
    const count = Number(await page.$eval('#gallery', (g: HTMLElement) => g.dataset.count));
    expect(count).toBeGreaterThan(0);
    expect(await page.evaluate(() => location.hash)).toMatch(/scan=s\d+/);
    await page.waitForSelector('.cell[data-state="loaded"] canvas');
  }, 90_000);

  it('Scan view: the Cancel button stops a running scan; the page and the API say so', async () => {
    await page.goto('about:blank');
    await page.goto(`${server.url}#scan?rom=r2`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#scan-minimum', '64');
    await page.click('#scan-start');
    await page.waitForSelector('#scan-cancel:not([disabled])');
    const scan = /scan=(s\d+)/.exec(await page.evaluate(() => location.hash))![1]!;
    await page.click('#scan-cancel');
    await page.waitForFunction(() => document.getElementById('scan-summary').textContent === 'cancelled');
    expect(await page.isDisabled('#scan-cancel')).toBe(true);
    expect(await page.isDisabled('#scan-start')).toBe(false);
    const state = (await (await fetch(new URL(`/api/scans/${scan}`, server.url))).json()) as { state: string };
    expect(state.state).toBe('cancelled');
    expect(await page.$$('.cell')).toHaveLength(0);
  }, 60_000);

  it('Sprite view: download, upload an edited PNG, inject, and get the new ROM and BPS patch; a bad PNG shows its error', async () => {
    await page.goto(`${server.url}#sprites?rom=r0`);
    await page.waitForSelector('.sprite[data-sprite="sprite-sheet"] img');
    const text = await page.textContent('.sprite[data-sprite="sprite-sheet"]');
    expect(text).toContain('128×128');
    expect(text).toContain('snes4bpp');

    const game = await openGame(fixtures.snesRom, { definitions: fixtures.snesDefs });
    const sprite = game.original('sprite-sheet');
    game.close();
    const edited = Uint8Array.from(sprite.indices);
    for (let x = 0; x < 8; x++) edited[x] = 15 - (edited[x] ?? 0);
    const editedPath = join(fixtures.dir, 'edited.png');
    writeFileSync(editedPath, encodeIndexedPng({ width: sprite.width, height: sprite.height, pixels: edited }, sprite.palette));
    await page.setInputFiles('.sprite[data-sprite="sprite-sheet"] input[type=file]', editedPath);
    await page.waitForSelector('.sprite[data-sprite="sprite-sheet"] .result a');
    const links = await page.$$eval('.sprite[data-sprite="sprite-sheet"] .result a', (as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links).toHaveLength(2);
    const romBytes = new Uint8Array(await (await fetch(links[0]!)).arrayBuffer());
    const patchBytes = new Uint8Array(await (await fetch(links[1]!)).arrayBuffer());
    expect(new TextDecoder().decode(patchBytes.subarray(0, 4))).toBe('BPS1');
    expect([...decodeTiles(getTileFormat('snes4bpp'), romBytes.subarray(0x8120, 0x8120 + 32)).subarray(0, 8)]).toEqual([...edited.subarray(0, 8)]);
    await page.screenshot({ path: join(screenshotDirectory, 'serve-sprites.png') });

    const wrongPath = join(fixtures.dir, 'wrong.png');
    writeFileSync(wrongPath, encodeIndexedPng({ width: 8, height: 8, pixels: new Uint8Array(64) }, sprite.palette));
    await page.setInputFiles('.sprite[data-sprite="sprite-sheet"] input[type=file]', wrongPath);
    await page.waitForSelector('.sprite[data-sprite="sprite-sheet"] .error:not([hidden])');
    expect(await page.textContent('.sprite[data-sprite="sprite-sheet"] .error')).toMatch(/^ERR_[A-Z_]+: .+/);
    expect(pageErrors).toEqual([]);
  });
});
