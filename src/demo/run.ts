/**
 * `romgfx demo`: builds the demo ROM and runs the main job on it end to end, through the same
 * public API editors use. Every step writes into one output folder.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OutputExistsError } from '../errors.js';
import { writeFileAtomic } from '../util/files.js';
import { romFromBytes } from '../rom/rom.js';
import { buildDemoRom, demoDefinition } from './demo-rom.js';

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

  return { outDir, steps };
}
