/**
 * bench/inject: on a 4 MiB SNES LoROM with 500 HAL-compressed sprites (a pointer table, a free
 * bank), (1) extract → edit → inject one sprite, end to end: open, PNG in, re-pack at every HAL
 * level, place (in place, and relocated with a pointer rewrite), checksum fix, verify, atomic
 * write, read-back — beside a baseline of writing the same 4 MiB atomically (temp, fsync, rename)
 * and a plain file copy; (2) extract-all of the 500 sprites with the worker pool against the same
 * in this thread.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSnesRom, type Payload } from '../../src/rom/build.js';
import { snesOffsetToBus } from '../../src/rom/snes.js';
import { encodeTiles } from '../../src/gfx/formats.js';
import { decodePng, encodeIndexedPng } from '../../src/gfx/png.js';
import { getCodec } from '../../src/codecs/index.js';
import { parseGameDefinition } from '../../src/defs/parse.js';
import { openRom } from '../../src/rom/rom.js';
import { writeFileAtomic } from '../../src/util/files.js';
import { extractAll, extractSprite, injectSprites, resolveSprites } from '../../src/inject/index.js';
import { header, measure, table } from '../harness.js';

const romSizeInBytes = 4 * 1024 * 1024;
const spriteCount = 500;
const tilesPerSprite = 16;
const pointerTableOffset = 0x8000;
const spriteDataOffset = 0x10000;
const freeSpace = { start: 0x3f0000, end: 0x400000 };

function art(seed: number, noisy: boolean): Uint8Array {
  const out = new Uint8Array(tilesPerSprite * 64);
  let x = seed * 2654435761 || 1;
  for (let i = 0; i < out.length; i++) {
    if (noisy) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 15;
    } else out[i] = (((i & 7) >> 1) + ((i >> 3) & 7) / 2 + (i >> 6) + seed) & 15;
  }
  return out;
}

header('inject: one sprite end to end, and extract-all of 500 sprites (4 MiB SNES LoROM)');
const dir = mkdtempSync(join(tmpdir(), 'romgfx-bench-inject-'));
try {
  const hal = getCodec('hal');
  const payloads: Payload[] = [];
  const sprites: Record<string, unknown>[] = [];
  const pointers: Record<string, unknown>[] = [];
  let cursor = spriteDataOffset;
  for (let i = 0; i < spriteCount; i++) {
    // Level 1 (inhal -1), as a simple packer would have stored them: re-packing at the best level leaves room to edit in place.
    const packed = hal.compress(encodeTiles('snes4bpp', art(i, false)), { level: '1' });
    // Keep blocks inside one LoROM bank, as a game would.
    if ((cursor & 0x7fff) + packed.length > 0x8000) cursor = (cursor | 0x7fff) + 1;
    payloads.push({ offset: cursor, bytes: packed });
    const bus = snesOffsetToBus(cursor, 'lorom', romSizeInBytes);
    payloads.push({ offset: pointerTableOffset + i * 3, bytes: Uint8Array.of(bus & 0xff, (bus >> 8) & 0xff, bus >>> 16) });
    sprites.push({ name: `sprite-${i}`, offset: '0x' + cursor.toString(16), codec: 'hal', tileFormat: 'snes4bpp', tileCount: tilesPerSprite });
    pointers.push({ target: `sprite-${i}`, form: 'snes24', at: '0x' + (pointerTableOffset + i * 3).toString(16) });
    cursor += packed.length;
  }
  const romBytes = buildSnesRom({ mapping: 'lorom', size: romSizeInBytes, filler: 'random', payloads, title: 'INJECT BENCH' });
  const romPath = join(dir, 'bench.sfc');
  writeFileSync(romPath, romBytes);
  const definition = parseGameDefinition(
    { formatVersion: 1, id: 'bench', name: 'bench', platform: 'snes', variants: [{ id: 'any', title: 'INJECT BENCH' }], sprites, pointers, freeSpace: [{ start: '0x' + freeSpace.start.toString(16), end: '0x' + freeSpace.end.toString(16) }] },
    'bench',
  );

  // (1) One sprite: extract its PNG, change pixels, inject, all through the public API.
  const target = 'sprite-250';
  const editedPng = (noisy: boolean): Uint8Array => {
    const rom = openRom(romPath);
    const sprite = resolveSprites(rom, definition).find((s) => s.name === target)!;
    const png = extractSprite(rom, definition, sprite, { variant: undefined, identity: { crc32: 0, sha1: '' }, imageName: 'x.png' }).png;
    const decoded = decodePng(png);
    if (decoded.kind !== 'indexed') throw new Error('extract wrote a non-indexed PNG');
    const pixels = decoded.pixels.slice();
    if (noisy) pixels.set(art(9999, true).subarray(0, pixels.length));
    else for (let y = 0; y < 8; y++) pixels.fill(0, y * decoded.width, y * decoded.width + 8); // blank the first tile: an edit that still fits
    return encodeIndexedPng({ width: decoded.width, height: decoded.height, pixels }, decoded.palette);
  };
  const output = join(dir, 'out.sfc');
  const inPlace = await measure(() => injectSprites(romPath, definition, [{ sprite: target, png: editedPng(false) }], { output, force: true }), 9, 2);
  const relocated = await measure(() => injectSprites(romPath, definition, [{ sprite: target, png: editedPng(true) }], { output, force: true }), 9, 2);
  const outcome = (noisy: boolean): string => injectSprites(romPath, definition, [{ sprite: target, png: editedPng(noisy) }], { output, force: true }).sprites[0]!.outcome;
  const atomicCopy = await measure(() => writeFileAtomic(join(dir, 'copy-atomic.sfc'), romBytes, { force: true }), 9, 2);
  const plainCopy = await measure(() => copyFileSync(romPath, join(dir, 'copy.sfc')), 9, 2);
  table([
    ['one sprite, 4 MiB ROM', 'median ms', 'min ms', 'max ms', '× atomic write', '× file copy'],
    [`extract→edit→inject (${outcome(false)})`, inPlace.medianMs, inPlace.minMs, inPlace.maxMs, inPlace.medianMs / atomicCopy.medianMs, inPlace.medianMs / plainCopy.medianMs],
    [`extract→edit→inject (${outcome(true)})`, relocated.medianMs, relocated.minMs, relocated.maxMs, relocated.medianMs / atomicCopy.medianMs, relocated.medianMs / plainCopy.medianMs],
    ['baseline: writeFileAtomic 4 MiB', atomicCopy.medianMs, atomicCopy.minMs, atomicCopy.maxMs, 1, atomicCopy.medianMs / plainCopy.medianMs],
    ['baseline: copyFileSync 4 MiB', plainCopy.medianMs, plainCopy.minMs, plainCopy.maxMs, plainCopy.medianMs / atomicCopy.medianMs, 1],
  ]);

  // (2) extract-all of 500 sprites: pool vs this thread (each run writes 1,000 files).
  let runIndex = 0;
  const runExtract = async (threads: number): Promise<void> => {
    const out = join(dir, `x-${runIndex++}`);
    const result = await extractAll(romPath, definition, out, { threads, force: true });
    if (result.failed > 0) throw new Error(`extract-all failed for ${result.failed} sprite(s)`);
    if (threads > 0 && result.mode !== 'pool') throw new Error('extract-all did not use the pool (is dist/workers/extract-worker.js built?)');
    rmSync(out, { recursive: true, force: true });
  };
  const threads = Math.max(1, Math.min(availableParallelism(), 4));
  const pooled = await measure(() => runExtract(threads), 5, 1);
  const single = await measure(() => runExtract(0), 3, 1);
  // The floor: the same number of files (a PNG and a sidecar per sprite) written atomically, each fsynced, doing nothing else.
  const floorDir = join(dir, 'floor');
  const small = new Uint8Array(600);
  const floor = await measure(() => {
    rmSync(floorDir, { recursive: true, force: true });
    mkdirSync(floorDir);
    for (let i = 0; i < spriteCount * 2; i++) writeFileAtomic(join(floorDir, `f${i}`), small);
  }, 3, 1);
  table([
    [`extract-all, ${spriteCount} sprites`, 'median ms', 'min ms', 'max ms', 'sprites/s', '× in-process', '× write floor'],
    [`pool, ${threads} thread(s)`, pooled.medianMs, pooled.minMs, pooled.maxMs, spriteCount / (pooled.medianMs / 1000), pooled.medianMs / single.medianMs, pooled.medianMs / floor.medianMs],
    ['baseline: in-process, 1 thread', single.medianMs, single.minMs, single.maxMs, spriteCount / (single.medianMs / 1000), 1, single.medianMs / floor.medianMs],
    [`floor: ${spriteCount * 2} atomic writes, 1 thread`, floor.medianMs, floor.minMs, floor.maxMs, spriteCount / (floor.medianMs / 1000), floor.medianMs / single.medianMs, 1],
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
