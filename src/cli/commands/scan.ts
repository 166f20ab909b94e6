/** `romgfx scan`: find compressed and raw graphics in a ROM. */
import { setMaxListeners } from 'node:events';
import { Option, type Command } from 'commander';
import type { Cli } from '../context.js';
import { noProgress, progressBar } from '../progress.js';
import { platformOption } from './rom.js';
import { UsageError, hex } from '../../errors.js';
import { openRom } from '../../rom/rom.js';
import { parseLocation } from '../../rom/address.js';
import { assertWritable, writeFileAtomic } from '../../util/files.js';
import { didYouMean } from '../../util/suggest.js';
import { closeScanPools } from '../../scan/pool.js';
import { scanRomReport } from '../../scan/scanner.js';
import { explainScanOffset, formatScanExplanation } from '../../scan/explain.js';
import { scanCandidatesToDefinition } from '../../scan/defs.js';
import { renderContactSheet, defaultSheetCandidates } from '../../scan/sheet.js';
import { scanCodecNames, type ScanCandidate, type ScanCodec, type ScanOptions, type ScanReport } from '../../scan/types.js';

interface ScanCommandOptions {
  codec?: string;
  format?: string;
  minSize?: string;
  minScore?: string;
  range?: string;
  json?: boolean;
  csv?: boolean;
  sheet?: string;
  sheetCount?: string;
  defsOut?: string;
  defsId?: string;
  threads?: string;
  workers?: string;
  cache?: boolean;
  cacheDir?: string;
  platform?: string;
  force?: boolean;
  explain?: string;
}

function codecList(value: string | undefined): ScanCodec[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  if (names.includes('all')) return [...scanCodecNames];
  for (const name of names) {
    if (!(scanCodecNames as readonly string[]).includes(name)) throw new UsageError(`--codec: unknown codec "${name}"${didYouMean(name, [...scanCodecNames, 'all'])}; known: ${scanCodecNames.join(', ')}, all`);
  }
  return names as ScanCodec[];
}

function wholeNumber(flag: string, value: string | undefined, minimum: number, maximum: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^(0x[0-9a-f]+|\d+)$/iu.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < minimum || n > maximum) throw new UsageError(`${flag} must be a whole number from ${minimum} to ${maximum} (got "${value}")`);
  return n;
}

function csvLine(c: ScanCandidate): string {
  return [hex(c.offset), c.packedLength, c.unpackedLength, c.codec, c.format, c.score, c.kind].join(',');
}

/**
 * Why a scan found nothing and what to try, from what the scan saw: no stream decoded at all
 * (other codecs, another range), or streams decoded but the thresholds dropped them all.
 */
export function nothingFoundHint(report: ScanReport): string {
  const o = report.options;
  const where = `${hex(o.start)}-${hex(o.end)}`;
  const codecs = o.codecs.join(', ');
  if (report.decodedCandidates === 0) {
    const other = o.codecs.length < scanCodecNames.length ? ' --codec all (other codecs),' : '';
    return `nothing found: no ${codecs} stream in ${where} decoded cleanly to tile-sized data; try${other} a wider --range (this one: ${where}), or a smaller --min-size (now ${o.minimumUnpackedSize})`;
  }
  return `nothing found: ${report.decodedCandidates} stream(s) of ${codecs} decoded in ${where}, but none reached --min-size ${o.minimumUnpackedSize} and --min-score ${o.minimumScore}; try a lower --min-score (e.g. ${Math.max(0, o.minimumScore - 0.2).toFixed(1)}) or --min-size (e.g. ${Math.max(32, o.minimumUnpackedSize >> 2)}), or --range to look elsewhere`;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('scan')
    .description('find compressed and raw graphics: try every offset, keep clean streams, score them as tiles, rank')
    .argument('<rom>', 'ROM file')
    .option('--codec <list>', `codecs to look for, comma-separated: ${scanCodecNames.join(', ')}, or all (default: the platform's)`)
    .option('--format <list>', "tile formats to score against, comma-separated (default: the platform's)")
    .option('--min-size <bytes>', "smallest unpacked size reported (default: the platform's, 128-512)")
    .option('--min-score <0..1>', 'lowest graphics score reported (default 0.5)')
    .option('--range <a-b>', 'stream starts to try: ROM offsets or bus addresses, end exclusive (e.g. 0x10000-0x20000)')
    .option('--json', 'print a JSON array of { offset, packedLength, unpackedLength, codec, kind, format, score }')
    .option('--csv', 'print CSV (offset,packedLength,unpackedLength,codec,format,score,kind)')
    .option('--explain <offset>', 'say why graphics at this ROM offset or bus address were or were not reported (decode results, scores per format, the rule that dropped them)')
    .option('--sheet <out.png>', 'also render a contact sheet of the top candidates')
    .option('--sheet-count <n>', `candidates on the contact sheet (default ${defaultSheetCandidates})`)
    .option('--defs-out <game.json>', 'also write a game definition seeded with the candidates')
    .option('--defs-id <id>', 'id of that game definition (default: from the ROM title)')
    .option('--threads <n>', 'worker threads; 0 scans in this thread (default: cores, at most 4)')
    .addOption(new Option('--workers <n>', 'deprecated spelling of --threads').hideHelp())
    .option('--no-cache', 'neither read nor write the scan cache')
    .option('--cache-dir <dir>', 'scan cache folder (default <romgfx cache dir>/scan)')
    .option('--platform <name>', 'skip detection: snes, gb, gbc, gba, nes, md, unknown')
    .option('--force', 'overwrite --sheet and --defs-out files')
    .action(
      cli.action(async (path: string, options: ScanCommandOptions) => {
        if (options.json && options.csv) throw new UsageError('give --json or --csv, not both');
        const platform = platformOption(options.platform);
        const rom = openRom(path, platform === undefined ? { allowUnknown: true } : { platform, allowUnknown: true });
        if (options.sheet !== undefined) assertWritable(options.sheet, options.force);
        if (options.defsOut !== undefined) assertWritable(options.defsOut, options.force);
        const scanOptions: ScanOptions = {};
        const codecs = codecList(options.codec);
        if (codecs) scanOptions.codecs = codecs;
        if (options.format !== undefined) scanOptions.formats = options.format.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
        const minSize = wholeNumber('--min-size', options.minSize, 1, Number.MAX_SAFE_INTEGER);
        if (minSize !== undefined) scanOptions.minimumUnpackedSize = minSize;
        if (options.minScore !== undefined) {
          const score = Number(options.minScore);
          if (!(score >= 0 && score <= 1)) throw new UsageError(`--min-score must be a number from 0 to 1 (got "${options.minScore}")`);
          scanOptions.minimumScore = score;
        }
        if (options.range !== undefined) {
          const parts = options.range.split('-');
          if (parts.length !== 2 || parts[0]!.trim() === '' || parts[1]!.trim() === '') throw new UsageError(`--range must be START-END (got "${options.range}")`);
          const start = rom.resolveLocation(parts[0]!.trim());
          // The end is exclusive, so it may be the ROM size itself (which resolveLocation refuses as past the end).
          const endLocation = parseLocation(parts[1]!.trim());
          const end = endLocation.kind === 'offset' ? endLocation.value : rom.fromBusAddress(endLocation.value);
          scanOptions.range = { start, end };
        }
        if (options.threads !== undefined && options.workers !== undefined) throw new UsageError('give --threads (--workers is its old name), not both');
        const workers = options.workers !== undefined ? wholeNumber('--workers', options.workers, 0, 64) : wholeNumber('--threads', options.threads, 0, 64);
        if (workers !== undefined) scanOptions.workers = workers;
        scanOptions.cache = options.cache !== false;
        if (options.cacheDir !== undefined) scanOptions.cacheDirectory = options.cacheDir;

        const controller = new AbortController();
        // The scan's chunks and the contact sheet's thumbnails each listen for the abort.
        setMaxListeners(0, controller.signal);
        const interrupt = (): void => controller.abort();
        process.once('SIGINT', interrupt);
        const progress = cli.progressAllowed(options.json || options.csv) ? progressBar(cli.streams.stderr, 'scan') : noProgress;
        try {
          if (options.explain !== undefined) {
            const explanation = await explainScanOffset(rom, rom.resolveLocation(options.explain.trim()), scanOptions);
            if (options.json) cli.outJson(explanation);
            else for (const line of formatScanExplanation(explanation)) cli.out(line);
            return;
          }
          const report = await scanRomReport(rom, scanOptions, { signal: controller.signal, onProgress: (p) => progress.update(p.done, p.total) });
          progress.finish();
          const candidates = report.candidates;
          if (options.json) {
            cli.outJson(candidates.map((c) => ({ offset: c.offset, packedLength: c.packedLength, unpackedLength: c.unpackedLength, codec: c.codec, kind: c.kind, format: c.format, score: c.score })));
          } else if (options.csv) {
            cli.out('offset,packedLength,unpackedLength,codec,format,score,kind');
            for (const c of candidates) cli.out(csvLine(c));
          } else {
            cli.out(`${'offset'.padEnd(10)} ${'packed'.padStart(7)} ${'unpacked'.padStart(8)}  ${'codec'.padEnd(5)} ${'format'.padEnd(12)} score   kind`);
            for (const c of candidates) {
              cli.out(`${hex(c.offset, 6).padEnd(10)} ${String(c.packedLength).padStart(7)} ${String(c.unpackedLength).padStart(8)}  ${c.codec.padEnd(5)} ${c.format.padEnd(12)} ${c.score.toFixed(4)}  ${c.kind}`);
            }
          }
          cli.logger.info({ candidates: candidates.length, cached: report.cached, decoded: report.decodedCandidates, ms: Math.round(report.elapsedMs) }, 'scan finished');
          if (!options.json && !options.csv) {
            cli.streams.stderr.write(`romgfx: ${candidates.length} candidate(s) in ${rom.name}${report.cached ? ' (from the scan cache)' : ''}, ${Math.round(report.elapsedMs)} ms\n`);
            if (candidates.length === 0) cli.streams.stderr.write(`romgfx: ${nothingFoundHint(report)}\n`);
          }
          if (options.defsOut !== undefined) {
            const definition = scanCandidatesToDefinition(rom, candidates, options.defsId === undefined ? {} : { id: options.defsId });
            writeFileAtomic(options.defsOut, Buffer.from(JSON.stringify(definition, null, 2) + '\n'), { force: options.force === true });
          }
          if (options.sheet !== undefined) {
            const count = wholeNumber('--sheet-count', options.sheetCount, 1, 256) ?? defaultSheetCandidates;
            const png = await renderContactSheet(path, candidates, { count, ...(platform === undefined ? {} : { platform }), signal: controller.signal });
            writeFileAtomic(options.sheet, png, { force: options.force === true });
          }
        } finally {
          progress.finish();
          process.off('SIGINT', interrupt);
          await closeScanPools();
        }
      }),
    );
}
