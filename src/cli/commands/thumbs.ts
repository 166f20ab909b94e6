/** `romgfx thumbs …`: thumbnails of graphics blocks; `romgfx cache stats|clear|verify`: the thumbnail disk cache. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { Cli } from '../context.js';
import { progressBar, noProgress } from '../progress.js';
import { EXIT_OK, EXIT_PARTIAL_FAILURE } from '../exit-codes.js';
import { IoError, UsageError } from '../../errors.js';
import { openRom, type Rom } from '../../rom/rom.js';
import { didYouMean } from '../../util/suggest.js';
import { parseRomPaletteSpec } from './gfx-options.js';
import { isPlatform, type Platform } from '../../rom/platform.js';
import { assertWritable, writeFileAtomic } from '../../util/files.js';
import { loadGameDefinition } from '../../defs/parse.js';
import { ThumbnailService } from '../../thumbs/service.js';
import { DiskCache, defaultCacheDirectory, defaultDiskCacheSizeInBytes } from '../../thumbs/disk-cache.js';
import { itemsFromBlocks, itemsFromDefinition, itemsFromScanResults, paletteFromFile, parsePaletteSpec, type ItemList } from '../../thumbs/sources.js';
import { type ArrangementSpec, type OutputSpec, type PaletteSpec } from '../../thumbs/request.js';
import { isPaletteFormat, platformPaletteFormat } from '../../vocabulary.js';

interface ThumbsOptions {
  defs?: string;
  scanResults?: string;
  block?: string[];
  output: string;
  scale?: string;
  fit?: string;
  format?: string;
  imageFormat?: string;
  palette?: string;
  paletteFile?: string;
  tilesPerRow?: string;
  platform?: string;
  stats?: boolean;
  metricsFile?: string;
  cacheDir?: string;
  cache?: boolean;
  threads?: string;
  workers?: string;
  instrumentation?: boolean;
  force?: boolean;
  json?: boolean;
}

interface CacheOptions {
  cacheDir?: string;
  json?: boolean;
  removeCorrupt?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function wholeNumber(flag: string, text: string | undefined, minimum: number, maximum: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,6}$/u.test(text) || Number(text) < minimum || Number(text) > maximum) throw new UsageError(`${flag} must be a whole number from ${minimum} to ${maximum} (got "${text}")`);
  return Number(text);
}

function outputSpec(options: ThumbsOptions): OutputSpec {
  if (options.scale !== undefined && options.fit !== undefined) throw new UsageError('give --scale or --fit, not both');
  if (options.format !== undefined) {
    // --format is the tile format in every other command; the image format has its own flag.
    throw new UsageError(
      options.format === 'png' || options.format === 'webp'
        ? `--format is the tile format everywhere; the thumbnail image format is --image-format ${options.format}`
        : `--format is the tile format; thumbs takes it per block (--block <offset:format:tiles>) or from --defs / --scan-results (the image format is --image-format png|webp)`,
    );
  }
  const format = options.imageFormat ?? 'png';
  if (format !== 'png' && format !== 'webp') throw new UsageError(`--image-format must be png or webp (got "${format}"${didYouMean(format, ['png', 'webp']).replace(/^; /u, ': ')})`);
  if (options.fit !== undefined) {
    const match = /^(\d{1,5})x(\d{1,5})$/u.exec(options.fit);
    if (!match) throw new UsageError(`--fit must be WxH, e.g. 128x128 (got "${options.fit}")`);
    return { fit: { width: Number(match[1]), height: Number(match[2]) }, format };
  }
  return { scale: wholeNumber('--scale', options.scale, 1, 16) ?? 1, format };
}

/**
 * `--palette` as every command reads it: `gray`, `colors:…` and `rom:…` are specs; anything
 * else is a palette file. A `rom:` spec without an encoding uses the platform's colour format.
 */
function thumbsPalette(spec: string, rom: Rom): PaletteSpec {
  if (spec === 'gray' || spec === 'grey' || spec === 'grayscale' || spec.startsWith('colors:')) return parsePaletteSpec(spec, rom);
  if (spec.startsWith('rom:')) {
    const hasEncoding = spec.split(':').some((part, i) => i > 1 && isPaletteFormat(part));
    if (hasEncoding) return parsePaletteSpec(spec, rom);
    const { location, count } = parseRomPaletteSpec(spec);
    return parsePaletteSpec(`rom:${location}:${platformPaletteFormat(rom.platform)}${count === undefined ? '' : `:${count}`}`, rom);
  }
  return paletteFromFile(spec);
}

function cacheDirectory(option: string | undefined): string {
  return option ?? defaultCacheDirectory();
}

/**
 * `items` with distinct names: a repeated name gains the block's tile count (`-64t`) when that
 * tells them apart, else a counter (`-2`, `-3`, …). The first keeps its name.
 */
export function withUniqueNames<T extends { name: string; request: { block: { tiles: number } } }>(items: readonly T[]): T[] {
  const used = new Set<string>();
  const firstByName = new Map<string, T>();
  return items.map((item) => {
    if (!used.has(item.name)) {
      used.add(item.name);
      firstByName.set(item.name, item);
      return item;
    }
    const first = firstByName.get(item.name);
    let name = first && first.request.block.tiles !== item.request.block.tiles ? `${item.name}-${item.request.block.tiles}t` : `${item.name}-2`;
    for (let n = 2; used.has(name); n++) name = `${item.name}-${item.request.block.tiles}t-${n}`;
    used.add(name);
    return { ...item, name };
  });
}

export function register(program: Command, cli: Cli): void {
  program
    .command('thumbs')
    .description('render thumbnails of graphics blocks (from --block, --scan-results or --defs) into a folder, through the worker pool and cache')
    .argument('<rom>', 'the ROM')
    .option('--defs <game.json>', 'every sprite of a game definition')
    .option('--scan-results <scan.json>', 'every block a scan found')
    .option('--block <offset:format:tiles[:codec]>', 'one block (repeatable), e.g. 0x8120:snes4bpp:256 or 0x10000:snes4bpp:64:hal', collect)
    .requiredOption('-o, --output <dir>', 'folder to write the thumbnails to (created if missing)')
    .option('--scale <n>', 'integer nearest-neighbour scale, 1-16 (default 1)')
    .option('--fit <WxH>', 'fit into a box instead (whole-number enlargement or shrink)')
    .option('--image-format <format>', 'png (indexed, exact palette) or webp (lossless); default png')
    .addOption(new Option('--format <format>', 'refused: the image format is --image-format').hideHelp())
    .option('--palette <spec>', "a palette file (JASC .pal, .gpl, .act, raw BGR555, CGRAM, an indexed PNG's PLTE), gray, colors:RRGGBB,…, or rom:<offset|bus address>[:<encoding>][:<count>] (encoding bgr555|md9|nes-index|gb-bgp; default the platform's)")
    .addOption(new Option('--palette-file <file>', 'old form of --palette <file>').hideHelp())
    .option('--tiles-per-row <n>', 'sheet width in tiles (default 16)')
    .option('--platform <platform>', 'open the ROM as this platform instead of identifying it')
    .option('--stats', 'print the JSON stats summary (requests, hits/misses per level, stage latencies) to stderr, or inside --json output')
    .option('--metrics-file <file>', 'write Prometheus text metrics here when done')
    .option('--cache-dir <dir>', 'disk cache folder (default $ROMGFX_CACHE_DIR, $XDG_CACHE_HOME/romgfx or ~/.cache/romgfx)')
    .option('--no-cache', 'no disk cache (memory only)')
    .option('--threads <n>', 'worker threads (default: cores, at most 4)')
    .addOption(new Option('--workers <n>', 'deprecated spelling of --threads').hideHelp())
    .option('--no-instrumentation', 'no stage timings (counters only)')
    .option('--force', 'overwrite existing thumbnail files')
    .option('--json', 'print a JSON object')
    .action(
      cli.action(async (romPath: string, options: ThumbsOptions) => {
        const sources = [options.defs, options.scanResults, options.block].filter((s) => s !== undefined).length;
        if (sources !== 1) throw new UsageError('give exactly one of --defs, --scan-results or --block');
        if (options.palette !== undefined && options.paletteFile !== undefined) throw new UsageError('give --palette or --palette-file, not both');
        if (options.platform !== undefined && !isPlatform(options.platform)) throw new UsageError(`unknown --platform "${options.platform}"`);
        const platform = options.platform as Platform | undefined;
        const output = outputSpec(options);
        const tilesPerRow = wholeNumber('--tiles-per-row', options.tilesPerRow, 1, 256);
        const arrangement: ArrangementSpec | undefined = tilesPerRow === undefined ? undefined : { kind: 'sheet', tilesPerRow };
        if (options.threads !== undefined && options.workers !== undefined) throw new UsageError('give --threads (--workers is its old name), not both');
        const threads = wholeNumber(options.workers !== undefined ? '--workers' : '--threads', options.threads ?? options.workers, 1, 64);
        if (options.metricsFile !== undefined) assertWritable(options.metricsFile, options.force);

        const rom = openRom(romPath, platform === undefined ? { allowUnknown: true } : { platform, allowUnknown: true });
        const service = new ThumbnailService({
          ...(threads !== undefined ? { threads } : {}),
          diskCache: options.cache === false ? false : { directory: cacheDirectory(options.cacheDir) },
          instrumentation: options.instrumentation !== false,
          logger: cli.logger,
        });
        try {
          const ref = service.rom(romPath, platform === undefined ? {} : { platform });
          const explicitPalette: PaletteSpec | undefined =
            options.paletteFile !== undefined ? paletteFromFile(options.paletteFile) : options.palette !== undefined ? thumbsPalette(options.palette, rom) : undefined;
          const palette = explicitPalette ?? { kind: 'grayscale' as const };
          let list: ItemList & { variant?: string | null };
          if (options.block) list = itemsFromBlocks(options.block, rom, ref, palette, arrangement);
          else if (options.scanResults) list = itemsFromScanResults(options.scanResults, ref, palette, arrangement);
          else list = itemsFromDefinition(loadGameDefinition(options.defs!), rom, ref, explicitPalette);

          const extension = output.format ?? 'png';
          // Every requested item gets its own file: two blocks at one offset and format (a name
          // says only those) used to share a name, and one was silently lost.
          const items = withUniqueNames(list.items);
          try {
            mkdirSync(options.output, { recursive: true });
          } catch (error) {
            throw new IoError(`cannot create ${options.output}: ${(error as Error).message}`, { path: options.output }, { cause: error });
          }
          const paths = items.map((item) => join(options.output, `${item.name}.${extension}`));
          for (const path of paths) assertWritable(path, options.force);

          const progress = cli.progressAllowed(options.json) ? progressBar(cli.streams.stderr, 'thumbs') : noProgress;
          const outcomes = await service.renderMany(
            items.map((item) => ({ ...item.request, output })),
            { onProgress: (done, total) => progress.update(done, total) },
          );
          progress.finish();

          const written: Record<string, unknown>[] = [];
          const failures: { name: string; code: string; message: string }[] = list.problems.map((p) => ({ name: p.name, code: 'ERR_THUMBNAIL_SOURCE', message: p.message }));
          outcomes.forEach((outcome, i) => {
            const item = items[i]!;
            if (!outcome.ok) {
              failures.push({ name: item.name, code: outcome.error.code, message: outcome.error.message });
              return;
            }
            const t = outcome.thumbnail;
            writeFileAtomic(paths[i]!, t.bytes, { force: options.force === true });
            written.push({ name: item.name, file: paths[i], offset: item.request.block.offset, format: item.request.block.format, tiles: item.request.block.tiles, codec: item.request.block.codec ?? null, width: t.width, height: t.height, bytes: t.bytes.length, source: t.source });
          });
          await service.close();
          const stats = service.stats();
          if (options.metricsFile !== undefined) writeFileAtomic(options.metricsFile, new TextEncoder().encode(service.metricsText()), { force: options.force === true });

          if (options.json) {
            cli.outJson({ rom: romPath, sha1: ref.sha1, ...(list.variant !== undefined ? { variant: list.variant } : {}), thumbnails: written, failures, ...(options.stats ? { stats } : {}) });
          } else {
            for (const w of written) cli.out(`${w.file}  ${w.width}x${w.height}  ${w.bytes} bytes  (${w.source})`);
            for (const f of failures) cli.warn(`${f.name}: ${f.code}: ${f.message}`);
            cli.out(`${written.length} thumbnail(s) written to ${options.output}${failures.length > 0 ? `, ${failures.length} failed` : ''}`);
            if (options.stats) cli.streams.stderr.write(JSON.stringify(stats, null, 2) + '\n');
          }
          return failures.length > 0 ? EXIT_PARTIAL_FAILURE : EXIT_OK;
        } finally {
          await service.close();
        }
      }),
    );

  const cache = program.command('cache').description('the thumbnail disk cache: stats, clear, verify');

  cache
    .command('stats')
    .description('entries and bytes on disk, and hits/misses per level recorded by every romgfx process that used this cache')
    .option('--cache-dir <dir>', 'cache folder (default $ROMGFX_CACHE_DIR, $XDG_CACHE_HOME/romgfx or ~/.cache/romgfx)')
    .option('--json', 'print a JSON object')
    .action(
      cli.action((options: CacheOptions) => {
        const disk = new DiskCache({ directory: cacheDirectory(options.cacheDir) });
        const scan = disk.scan();
        const counters = disk.readCounters();
        // A memory level lives only inside a running process: none is alive here, so it holds nothing.
        const report = {
          directory: disk.directory,
          maximumBytes: defaultDiskCacheSizeInBytes,
          requests: counters.requests,
          memory: { hits: counters.memoryHits, misses: counters.memoryMisses, entries: 0, bytes: 0 },
          disk: { hits: counters.diskHits, misses: counters.diskMisses, entries: scan.entries, bytes: scan.bytes },
        };
        if (options.json) cli.outJson(report);
        else {
          cli.out(`cache     ${report.directory}`);
          cli.out(`requests  ${report.requests}`);
          cli.out(`memory    hits ${report.memory.hits}, misses ${report.memory.misses}`);
          cli.out(`disk      hits ${report.disk.hits}, misses ${report.disk.misses}, ${report.disk.entries} entries, ${report.disk.bytes} bytes (bound ${report.maximumBytes})`);
        }
      }),
    );

  cache
    .command('clear')
    .description('remove every cached thumbnail and the recorded counters')
    .option('--cache-dir <dir>', 'cache folder')
    .option('--json', 'print a JSON object')
    .action(
      cli.action((options: CacheOptions) => {
        const disk = new DiskCache({ directory: cacheDirectory(options.cacheDir) });
        const removed = disk.clear();
        if (options.json) cli.outJson({ directory: disk.directory, removedEntries: removed.entries, removedBytes: removed.bytes });
        else cli.out(`removed ${removed.entries} entries (${removed.bytes} bytes) from ${disk.directory}`);
      }),
    );

  cache
    .command('verify')
    .description('read and check every entry; exits 1 when any is corrupt (--remove-corrupt deletes them)')
    .option('--cache-dir <dir>', 'cache folder')
    .option('--remove-corrupt', 'delete corrupt entries (they would be re-rendered on next use)')
    .option('--json', 'print a JSON object')
    .action(
      cli.action((options: CacheOptions) => {
        const disk = new DiskCache({ directory: cacheDirectory(options.cacheDir) });
        const report = disk.verify({ remove: options.removeCorrupt === true });
        if (options.json) cli.outJson({ directory: disk.directory, ...report });
        else {
          for (const c of report.corrupt) cli.warn(`${c.path}: ${c.why}`);
          cli.out(`${report.entries} entries, ${report.valid} valid, ${report.corrupt.length} corrupt${report.removed > 0 ? `, ${report.removed} removed` : ''}`);
        }
        return report.corrupt.length > 0 ? EXIT_PARTIAL_FAILURE : EXIT_OK;
      }),
    );
}
