/**
 * `romgfx demo`: builds the demo ROM and runs the main job on it end to end, through the same
 * public API editors use. Every step writes into one output folder.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InternalError, OutputExistsError } from '../errors.js';
import { writeFileAtomic } from '../util/files.js';
import { romFromBytes } from '../rom/rom.js';
import { buildDemoRom, demoDefinition } from './demo-rom.js';
import { parseGameDefinition, type GameDefinition } from '../defs/index.js';
import { extractAll, injectFolder } from '../inject/index.js';
import { decodePng, encodeIndexedPng } from '../gfx/png.js';
import { ThumbnailService } from '../thumbs/service.js';
import { itemsFromDefinition } from '../thumbs/sources.js';
import { readFileBytes } from '../rom/source.js';
import { openRom } from '../rom/rom.js';
import { scanRomReport, renderContactSheet, closeScanPools } from '../scan/index.js';

export interface DemoOptions {
  /** Output folder (default ./romgfx-demo). */
  outDir?: string;
  /** Replace an existing output folder. */
  force?: boolean;
  /** Receives one human-readable line per step. */
  log?: (line: string) => void;
}

export interface DemoStep {
  step: string;
  ok: boolean;
  detail: Record<string, unknown>;
}

export interface DemoResult {
  outDir: string;
  steps: DemoStep[];
}

/** Marks a folder as made by `romgfx demo`, so a rerun with --force only ever deletes its own output. */
const demoMarkerFileName = '.romgfx-demo';

function prepareOutDir(outDir: string, force: boolean | undefined): void {
  if (existsSync(outDir)) {
    if (!force) throw new OutputExistsError(outDir);
    const entries = readdirSync(outDir);
    if (entries.length > 0 && !entries.includes(demoMarkerFileName)) {
      throw new OutputExistsError(`${outDir} (not a folder romgfx demo made; refusing to empty it even with --force)`);
    }
    rmSync(outDir, { recursive: true, force: true });
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, demoMarkerFileName), 'made by romgfx demo\n');
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const outDir = resolve(options.outDir ?? 'romgfx-demo');
  const log = options.log ?? (() => {});
  const steps: DemoStep[] = [];
  prepareOutDir(outDir, options.force);

  // 1. The ROM and its definition.
  const demo = buildDemoRom();
  const romPath = join(outDir, 'demo.sfc');
  writeFileAtomic(romPath, demo.bytes);
  const rom = romFromBytes(demo.bytes, { name: romPath });
  const defsPath = join(outDir, 'demo.game.json');
  writeFileAtomic(defsPath, Buffer.from(JSON.stringify(demoDefinition(demo, rom.identity()), null, 2) + '\n'));
  steps.push({ step: 'build', ok: true, detail: { rom: romPath, definition: defsPath, sprites: demo.sprites.length } });
  log(`built ${romPath} (${demo.bytes.length} bytes, ${demo.sprites.length} sprites: ${demo.sprites.filter((s) => s.codec).length} HAL-compressed, ${demo.sprites.filter((s) => !s.codec).length} raw) and ${defsPath}`);

  // 2. info
  const info = rom.info();
  steps.push({ step: 'info', ok: true, detail: { platform: info.platform, title: info.title, mapping: info.mapping, checksum: info.checksum, crc32: info.crc32, sha1: info.sha1 } });
  log(`info: ${info.platform} ${info.mapping} "${info.title}", checksum ${info.checksum?.valid ? 'valid' : 'INVALID'} (0x${info.checksum?.stored.toString(16).toUpperCase()}), crc32 ${info.crc32}`);

  const definition = parseGameDefinition(JSON.parse(JSON.stringify(demoDefinition(demo, rom.identity()))), defsPath);

  // 3. extract-all: every sprite to an indexed PNG + sidecar.
  const spritesDir = join(outDir, 'sprites');
  const extracted = await extractAll(romPath, definition, spritesDir);
  steps.push({ step: 'extract-all', ok: extracted.failed === 0, detail: { folder: spritesDir, succeeded: extracted.succeeded, failed: extracted.failed, mode: extracted.mode } });
  log(`extract-all: ${extracted.succeeded} sprites → ${spritesDir} (indexed PNGs with the ROM's palette, plus sidecars)${extracted.failed ? `, ${extracted.failed} FAILED` : ''}`);

  // 4. Edit two sprites as an artist would: one grows past its compressed slot, one changes in place.
  editSprites(spritesDir);
  log('edit: redrew "ball" with a dithered pattern (it no longer fits its HAL slot) and recoloured "key" (raw, same size)');

  // 5. inject-all: one transaction, relocating and repointing what does not fit, checksum fixed, verified, with a BPS patch.
  const editedPath = join(outDir, 'demo-edited.sfc');
  const patchPath = join(outDir, 'demo-edited.bps');
  const injected = injectFolder(romPath, definition, spritesDir, { output: editedPath, patch: patchPath });
  const changed = injected.sprites.filter((s) => s.outcome !== 'unchanged');
  steps.push({ step: 'inject-all', ok: true, detail: { output: editedPath, patch: patchPath, changed: changed.map((s) => ({ sprite: s.sprite, outcome: s.outcome, oldOffset: s.oldOffset, newOffset: s.newOffset, oldPackedLength: s.oldPackedLength, newPackedLength: s.newPackedLength, pointersRewritten: s.pointersRewritten.length })), checksum: injected.checksum } });
  for (const s of changed) {
    log(
      `inject-all: ${s.sprite} ${s.outcome}: ${s.oldPackedLength} → ${s.newPackedLength} bytes (${s.codec}${s.codec === 'none' ? '' : ' level ' + s.level})` +
        (s.newOffset !== s.oldOffset ? `, moved 0x${s.oldOffset.toString(16)} → 0x${s.newOffset.toString(16)}, ${s.pointersRewritten.length} pointer(s) rewritten` : ', in place'),
    );
  }
  log(`inject-all: wrote ${editedPath} (checksum ${injected.checksum?.valid ? 'valid' : 'INVALID'}, verified by re-reading) and ${patchPath} (${readFileBytes(patchPath, 1 << 20).length} bytes)`);

  // 6. Thumbnails of every sprite in the edited ROM, through the worker pool and the cache.
  const thumbs = await renderThumbnails(editedPath, definition, join(outDir, 'thumbs'), join(outDir, 'cache'));
  steps.push({ step: 'thumbs', ok: thumbs.failed === 0, detail: { ...thumbs } });
  log(`thumbs: ${thumbs.written} thumbnails (4× nearest-neighbour) → ${thumbs.folder}; second pass served ${thumbs.warmHits}/${thumbs.written} from cache`);

  // 7. Scan the original ROM as if nothing were known about it: every offset, HAL and raw tiles.
  const scanned = await scanDemo(romPath, outDir, demo.sprites.filter((s) => s.codec).map((s) => ({ offset: s.offset, packedLength: s.packedLength })));
  steps.push({ step: 'scan', ok: scanned.plantedFound === scanned.planted, detail: { ...scanned } });
  log(`scan: every offset of ${romPath} for HAL and raw tiles: ${scanned.candidates} candidate(s), ${scanned.plantedFound}/${scanned.planted} HAL sprites found at their exact offset and length → ${scanned.results}, contact sheet ${scanned.sheet}`);

  return { outDir, steps };
}

interface ScanSummary {
  results: string;
  sheet: string;
  candidates: number;
  planted: number;
  plantedFound: number;
  elapsedMs: number;
}

async function scanDemo(romPath: string, outDir: string, planted: { offset: number; packedLength: number }[]): Promise<ScanSummary> {
  try {
    // The demo's sprites are 16×16 (128 bytes unpacked), smaller than the scanner's default minimum.
    const report = await scanRomReport(romPath, { codecs: ['hal', 'raw'], minimumUnpackedSize: 128, cache: false });
    const results = join(outDir, 'scan.json');
    writeFileAtomic(results, Buffer.from(JSON.stringify(report.candidates, null, 2) + '\n'));
    const sheet = join(outDir, 'scan-sheet.png');
    if (report.candidates.length > 0) writeFileAtomic(sheet, await renderContactSheet(romPath, report.candidates, { count: Math.min(16, report.candidates.length) }));
    const plantedFound = planted.filter((p) => report.candidates.some((c) => c.offset === p.offset && c.packedLength === p.packedLength && c.codec === 'hal')).length;
    return { results, sheet, candidates: report.candidates.length, planted: planted.length, plantedFound, elapsedMs: Math.round(report.elapsedMs) };
  } finally {
    await closeScanPools();
  }
}

/** Redraws two extracted PNGs the way an editor would: indices preserved, palette untouched. */
function editSprites(spritesDir: string): void {
  const edit = (name: string, change: (pixels: Uint8Array, width: number, height: number) => void) => {
    const path = join(spritesDir, `${name}.png`);
    const decoded = decodePng(readFileBytes(path, 1 << 20));
    if (decoded.kind !== 'indexed') throw new InternalError(`${path} should be the indexed PNG extract-all wrote`, { path });
    const pixels = decoded.pixels.slice();
    change(pixels, decoded.width, decoded.height);
    writeFileAtomic(path, encodeIndexedPng({ width: decoded.width, height: decoded.height, pixels }, decoded.palette), { force: true });
  };
  // A dither inside the ball's silhouette compresses far worse than the smooth original.
  edit('ball', (p, w, h) => {
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (p[y * w + x]! > 1) p[y * w + x] = ((x * 7 + y * 3) ^ (x * y)) % 5 === 0 ? 2 : (x + y) % 2 ? 8 : 9;
  });
  // Gold → green: same tiles, same size.
  edit('key', (p) => {
    for (let i = 0; i < p.length; i++) if (p[i] === 10 || p[i] === 11) p[i] = p[i] === 10 ? 6 : 7;
  });
}

interface ThumbsSummary {
  folder: string;
  written: number;
  failed: number;
  warmHits: number;
}

async function renderThumbnails(romPath: string, definition: GameDefinition, folder: string, cacheDir: string): Promise<ThumbsSummary> {
  mkdirSync(folder, { recursive: true });
  // The demo keeps its cache inside its own folder, so it never touches the user's cache.
  const service = new ThumbnailService({ diskCache: { directory: cacheDir } });
  try {
    const rom = openRom(romPath);
    const list = itemsFromDefinition(definition, rom, service.rom(romPath), undefined);
    const requests = list.items.map((item) => ({ ...item.request, output: { scale: 4 } }));
    const outcomes = await service.renderMany(requests);
    let written = 0;
    let failed = list.problems.length;
    outcomes.forEach((outcome, i) => {
      if (!outcome.ok) {
        failed++;
        return;
      }
      writeFileAtomic(join(folder, `${list.items[i]!.name}.png`), outcome.thumbnail.bytes, { force: true });
      written++;
    });
    const again = await service.renderMany(requests);
    const warmHits = again.filter((o) => o.ok && o.thumbnail.source !== 'render').length;
    return { folder, written, failed, warmHits };
  } finally {
    await service.close();
  }
}
