/**
 * `romgfx/core` in a real browser: bundled by esbuild from src/core.ts, run in headless
 * Chromium: decode a HAL block → edit pixels → encode tiles → compress → patch the ROM with BPS
 * → apply the patch, and the bytes must equal what the Node engine (native kernels) makes of the
 * same steps. The PNG written in the browser (fflate) must read back in Node to the same pixels.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as root from '../../src/index.js';
import * as gfxEntry from '../../src/entries/gfx.js';
import * as patchEntry from '../../src/entries/patch.js';
import { getCodec, readIndexedPng } from '../../src/index.js';
import { launchChromium } from '../helpers/browser.js';
import { repoRoot } from '../helpers/cli.js';
import type { Browser } from 'playwright-core';

let browser: Browser;
let closeBrowser: () => Promise<void>;
let bundle: string;

beforeAll(async () => {
  const result = await build({ entryPoints: [join(repoRoot, 'src', 'core.ts')], bundle: true, format: 'iife', globalName: 'romgfxCore', platform: 'browser', write: false, logLevel: 'silent' });
  bundle = result.outputFiles[0]!.text;
  ({ browser, close: closeBrowser } = await launchChromium());
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
});

/** The steps an editor takes, written once and run in both places (the browser gets its source). */
function editorRoundTrip(core: any, rom: Uint8Array, offset: number): { edited: number[]; bps: number[]; patched: number[]; png: number[] } {
  const hal = core.getCodec('hal');
  const { data, packedLength } = hal.decompress(rom, offset);
  const indices = core.decodeTiles('snes4bpp', data);
  for (let i = 0; i < indices.length; i += 7) indices[i] = (indices[i] + 3) & 15;
  const tiles = core.encodeTiles('snes4bpp', indices);
  const packed = hal.compress(tiles, { level: 'max' });
  if (packed.length > packedLength) throw new Error('the edit no longer fits');
  const target = rom.slice();
  target.set(packed, offset);
  const bps = core.createBps(rom, target);
  const patched = core.applyBps(bps, rom).target;
  const png = core.encodeIndexedPng(core.arrangeSheet(indices, indices.length / 64, { tilesPerRow: 16 }), core.grayscalePalette(4));
  return { edited: Array.from(tiles), bps: Array.from(bps), patched: Array.from(patched), png: Array.from(png) };
}

describe('romgfx/core in headless Chromium', () => {
  it('decode → edit → encode → compress → BPS → apply gives the bytes the Node engine gives; its PNG reads back to the same pixels', async () => {
    // A 64 KiB "ROM" with a HAL block of drawn tiles at 0x1000.
    const tiles = new Uint8Array(64 * 32);
    for (let i = 0; i < tiles.length; i++) tiles[i] = (i * 37) ^ (i >> 5) ^ ((i & 31) < 16 ? 0x55 : 0);
    const packed = getCodec('hal').compress(tiles, { level: 'max' });
    const rom = new Uint8Array(65536);
    for (let i = 0; i < rom.length; i++) rom[i] = (i * 2654435761) >>> 24;
    rom.set(packed, 0x1000);
    // A little slack after the block so an edit may grow a few bytes.
    rom.fill(0xff, 0x1000 + packed.length, 0x1000 + packed.length + 64);

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.setContent('<!doctype html><title>core</title>');
    await page.addScriptTag({ content: bundle });
    const fromBrowser = (await page.evaluate(
      ([source, romBytes, offset]) => {
        const run = new Function('core', 'rom', 'offset', `return (${source})(core, rom, offset);`);
        return run((globalThis as any).romgfxCore, new Uint8Array(romBytes as number[]), offset);
      },
      [editorRoundTrip.toString(), Array.from(rom), 0x1000] as const,
    )) as ReturnType<typeof editorRoundTrip>;
    await page.close();
    expect(errors).toEqual([]);

    // The Node package: its root, romgfx/gfx and romgfx/patch (what a Node editor imports).
    const engine = { ...root, ...gfxEntry, ...patchEntry };
    const node = editorRoundTrip(engine, rom, 0x1000);
    expect(fromBrowser.edited).toEqual(node.edited);
    expect(fromBrowser.bps).toEqual(node.bps);
    expect(fromBrowser.patched).toEqual(node.patched);
    // fflate and zlib may deflate differently; the pixels must not differ.
    const browserImage = readIndexedPng(Uint8Array.from(fromBrowser.png));
    const nodeImage = readIndexedPng(Uint8Array.from(node.png));
    expect(browserImage.width).toBe(nodeImage.width);
    expect(Array.from(browserImage.pixels)).toEqual(Array.from(nodeImage.pixels));
  }, 120_000);
});
