/** `romgfx patch create|apply`: IPS and BPS patches. */
import type { Command } from 'commander';
import { extname } from 'node:path';
import type { Cli } from '../context.js';
import { UsageError, hex } from '../../errors.js';
import { readFileBytes, maximumRomSizeInBytes } from '../../rom/source.js';
import { assertWritable, writeFileAtomic } from '../../util/files.js';
import { crc32 } from '../../util/hash.js';
import { applyPatchToRom, createPatch, detectPatchFormat, type CopierHeaderHandling, type PatchFormat } from '../../patch/index.js';
import { progressBar } from '../progress.js';

/** A patch file larger than this is not a patch of a ROM romgfx can open (a linear BPS of a 64 MiB ROM is ~64 MiB). */
const maximumPatchFileSizeInBytes = 2 * maximumRomSizeInBytes;

function formatFor(output: string, format: string | undefined): PatchFormat {
  if (format !== undefined) {
    const f = format.toLowerCase();
    if (f === 'ips' || f === 'bps') return f;
    throw new UsageError(`--format must be ips or bps (got "${format}")`);
  }
  const ext = extname(output).toLowerCase();
  if (ext === '.ips') return 'ips';
  if (ext === '.bps') return 'bps';
  throw new UsageError(`cannot tell the patch format from "${output}": name it .ips or .bps, or pass --format ips|bps`);
}

// Same spelling as `romgfx info --json`: 8 lowercase hex digits.
const crcHex = (value: number): string => (value >>> 0).toString(16).padStart(8, '0');

/** `--expect-crc32`: 8 hex digits, optionally `0x`-prefixed. */
function parseCrc32(text: string): number {
  if (!/^(0x)?[0-9a-f]{8}$/iu.test(text)) throw new UsageError(`--expect-crc32 takes 8 hex digits, as romgfx info prints them (got "${text}")`);
  return Number.parseInt(text.replace(/^0x/iu, ''), 16) >>> 0;
}

interface CreateOptions {
  output: string;
  format?: string;
  metadata?: string;
  force?: boolean;
  json?: boolean;
}

interface ApplyOptions {
  output: string;
  ignoreChecksum?: boolean;
  expectCrc32?: string;
  stripHeader?: boolean;
  keepHeader?: boolean;
  force?: boolean;
  json?: boolean;
}

export function register(program: Command, cli: Cli): void {
  const patch = program.command('patch').description('create and apply IPS and BPS patches');

  patch
    .command('create')
    .description('make a patch that turns <clean> into <modified> (format from the -o extension or --format)')
    .argument('<clean>', 'the original ROM')
    .argument('<modified>', 'the changed ROM')
    .requiredOption('-o, --output <file>', 'patch file to write (.ips or .bps)')
    .option('--format <format>', 'ips or bps (default: from the output extension)')
    .option('--metadata <text>', 'BPS only: text to store in the patch metadata')
    .option('--force', 'overwrite the output file if it exists')
    .option('--json', 'print a JSON object')
    .action(
      cli.action((cleanPath: string, modifiedPath: string, options: CreateOptions) => {
        const format = formatFor(options.output, options.format);
        if (options.metadata !== undefined && format !== 'bps') throw new UsageError('--metadata is only stored in BPS patches');
        assertWritable(options.output, options.force);
        const source = readFileBytes(cleanPath, maximumRomSizeInBytes);
        const target = readFileBytes(modifiedPath, maximumRomSizeInBytes);
        const progress = format === 'bps' && cli.progressAllowed(options.json) ? progressBar(cli.streams.stderr, 'encoding BPS') : undefined;
        let made;
        try {
          made = createPatch(format, source, target, {
            ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
            ...(progress ? { onProgress: (done: number, total: number) => progress.update(done, total) } : {}),
          });
        } finally {
          progress?.finish();
        }
        writeFileAtomic(options.output, made.patch, { force: options.force === true });
        const report = {
          output: options.output,
          format,
          patchSize: made.patch.length,
          sourceSize: source.length,
          targetSize: target.length,
          records: made.records,
          ...(made.rleRecords !== undefined ? { rleRecords: made.rleRecords } : {}),
          ...(made.truncateTo !== undefined ? { truncateTo: made.truncateTo } : {}),
          sourceCrc32: crcHex(made.sourceCrc32 ?? crc32(source)),
          targetCrc32: crcHex(made.targetCrc32 ?? crc32(target)),
          ...(made.patchCrc32 !== undefined ? { patchCrc32: crcHex(made.patchCrc32) } : {}),
        };
        if (options.json) cli.outJson(report);
        else {
          const what = format === 'ips' ? `${report.records} record(s)${made.rleRecords ? `, ${made.rleRecords} RLE` : ''}` : `${report.records} action(s)`;
          cli.out(`wrote ${options.output}: ${format.toUpperCase()}, ${report.patchSize} bytes, ${what}`);
          cli.out(`source ${report.sourceSize} bytes CRC32 ${report.sourceCrc32} → target ${report.targetSize} bytes CRC32 ${report.targetCrc32}`);
        }
      }),
    );

  patch
    .command('apply')
    .description('apply an IPS or BPS patch (format from its magic) to <rom>, writing -o')
    .argument('<patch>', 'patch file (.ips or .bps)')
    .argument('<rom>', 'the ROM the patch was made for')
    .requiredOption('-o, --output <file>', 'patched ROM to write')
    .option('--ignore-checksum', 'BPS: apply even if the ROM is not the one the patch was made for')
    .option('--expect-crc32 <hex>', 'refuse unless the ROM (as patched: without its header with --strip/--keep-header) has this CRC-32; IPS has no checksum of its own')
    .option('--strip-header', 'the ROM has a copier header the patch was not made for: patch the data and write it without the header')
    .option('--keep-header', 'the ROM has a copier header the patch was not made for: patch the data and keep the header in front')
    .option('--force', 'overwrite the output file if it exists')
    .option('--json', 'print a JSON object')
    .action(
      cli.action((patchPath: string, romPath: string, options: ApplyOptions) => {
        if (options.stripHeader && options.keepHeader) throw new UsageError('give --strip-header or --keep-header, not both');
        const header: CopierHeaderHandling = options.stripHeader ? 'strip' : options.keepHeader ? 'keep' : 'file';
        const expectCrc32 = options.expectCrc32 === undefined ? undefined : parseCrc32(options.expectCrc32);
        assertWritable(options.output, options.force);
        const patchBytes = readFileBytes(patchPath, maximumPatchFileSizeInBytes);
        const file = readFileBytes(romPath, maximumRomSizeInBytes);
        const format = detectPatchFormat(patchBytes);
        if (options.ignoreChecksum && format === 'ips') cli.warn('--ignore-checksum has no effect: IPS patches carry no checksums');
        const applied = applyPatchToRom(patchBytes, file, {
          romName: romPath,
          header,
          ignoreChecksum: options.ignoreChecksum === true,
          ...(expectCrc32 === undefined ? {} : { expectCrc32 }),
        });
        const { result } = applied;
        if (result.format === 'ips' && expectCrc32 === undefined) {
          cli.warn(`IPS patches carry no checksum: romgfx cannot tell whether ${romPath} is the ROM this patch was made for (--expect-crc32 <hex> checks it)`);
        }
        if (result.format === 'ips' && expectCrc32 === undefined && header === 'file' && applied.headerSize > 0) {
          cli.warn(`${romPath} has a ${applied.headerSize}-byte copier header and IPS offsets count from the start of the file: if the patch was made for the ROM without a header, use --strip-header or --keep-header`);
        }
        const source = header === 'file' ? file : file.subarray(applied.headerSize);
        writeFileAtomic(options.output, applied.output, { force: options.force === true });
        const base = {
          output: options.output,
          format: result.format,
          patchSize: patchBytes.length,
          sourceSize: source.length,
          targetSize: result.target.length,
          sourceCrc32: crcHex(applied.sourceCrc32),
          targetCrc32: crcHex(crc32(result.target)),
          copierHeader: { size: applied.headerSize, handling: header },
          checkedSourceCrc32: expectCrc32 !== undefined || result.format === 'bps',
          ...(applied.output.length !== result.target.length ? { outputSize: applied.output.length } : {}),
        };
        const report =
          result.format === 'ips'
            ? { ...base, records: result.records, rleRecords: result.rleRecords, ...(result.truncateTo !== undefined ? { truncateTo: result.truncateTo } : {}) }
            : {
                ...base,
                actions: result.actions,
                expectedSourceCrc32: crcHex(result.sourceCrc32),
                expectedTargetCrc32: crcHex(result.targetCrc32),
                patchCrc32: crcHex(result.patchCrc32),
                metadata: result.metadata,
                checksumMismatches: result.mismatches,
              };
        if (result.format === 'bps' && result.mismatches.length > 0) {
          cli.warn(`applied despite ${result.mismatches.join(', ')} checksum mismatch(es) (--ignore-checksum); check the result`);
        }
        if (options.json) cli.outJson(report);
        else {
          cli.out(`wrote ${options.output}: ${report.targetSize} bytes, CRC32 ${report.targetCrc32} (${result.format.toUpperCase()} patch, ${result.format === 'ips' ? `${result.records} record(s)` : `${result.actions} action(s)`})`);
          if (header === 'strip') cli.out(`the ${applied.headerSize}-byte copier header was dropped`);
          if (header === 'keep') cli.out(`the ${applied.headerSize}-byte copier header was kept in front (${hex(applied.output.length)} bytes written)`);
        }
      }),
    );
}
