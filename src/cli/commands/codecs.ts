/** `romgfx decompress`, `romgfx compress`, `romgfx codecs`: the codec registry on the command line. */
import type { Command } from 'commander';
import { type Cli, registerCommands } from '../context.js';
import { builtInCodecCatalog, loadCodec } from '../../codecs/catalog.js';
import type { CompressOptions, DecodeLimits } from '../../codecs/types.js';
import { hex, UsageError } from '../../errors.js';
import { plainBlockInput } from '../../rom/block-input.js';
import { oneShotRomOpenMode, readFileBytes } from '../../rom/source.js';
import { writeFileAtomic, assertWritable } from '../../util/files.js';
import { platformOption } from './platform-option.js';
import { prepareOutputs, runBatch } from '../batch.js';
import { formatSize } from '../format.js';

/** Largest file `compress` reads (the largest any codec here accepts). */
const maximumCompressInputSizeInBytes = 64 * 1024 * 1024;

/** Codecs whose decoder our addon has (src/native/): its kernels give the same bytes and errors. */
const codecsWithNativeDecoders: ReadonlySet<string> = new Set(['hal', 'nemesis', 'konami1']);

/** Codecs whose encoder our addon has; native encoding pays at any size (the optimal parse). */
const codecsWithNativeEncoders: ReadonlySet<string> = new Set(['hal']);

/**
 * Inputs in one decompress run from which loading our addon and its kernels costs less than
 * decoding in TypeScript saves. One stream of these codecs unpacks to 64 KiB at most (HAL's limit,
 * Nemesis's and konami1's default limit), which a cold
 * TypeScript decoder handles in about the time loading the addon takes (measured with
 * bench/startup's method: a 64 KiB HAL block cost the same CPU either way, within the noise of a
 * loaded box), so one file never gains. Once warm the TypeScript decoder is a few times slower
 * than the native one, a fraction of a millisecond a stream; the count here is where that sums to
 * the addon's load (an estimate from those figures, not a measured batch).
 */
const nativeDecodeWorthwhileInputCount = 64;

/**
 * Swaps our addon's kernels in (importing src/native/, as the library does at import) when the
 * job is big enough to gain; the output is the same either way (test/native parity tests).
 */
async function useNativeKernelsWhenWorthwhile(codecName: string, operation: 'decode' | 'encode', inputCount: number): Promise<void> {
  const worthwhile = operation === 'encode' ? codecsWithNativeEncoders.has(codecName) : codecsWithNativeDecoders.has(codecName) && inputCount >= nativeDecodeWorthwhileInputCount;
  if (worthwhile) await import('../../native/index.js');
}

function sizeOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim().toLowerCase();
  const parsed = /^0x[0-9a-f]+$/u.test(text) ? Number.parseInt(text.slice(2), 16) : /^\d+$/u.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(parsed)) throw new UsageError(`${flag} must be a byte count (decimal or 0x hex), not "${value}"`);
  return parsed;
}

interface DecompressOptions {
  codec: string;
  offset?: string;
  size?: string;
  maxOutput?: string;
  output?: string;
  force?: boolean;
  platform?: string;
  json?: boolean;
}

interface CompressCommandOptions {
  codec: string;
  level?: string;
  vramSafe?: boolean;
  variant?: string;
  output?: string;
  force?: boolean;
  json?: boolean;
}

/** Registers the codec commands (decompress, compress, codecs): all of them, or those in `only`. */
export function register(program: Command, cli: Cli, only?: ReadonlySet<string>): void {
  registerCommands(program, cli, { decompress: registerDecompress, compress: registerCompress, codecs: registerCodecs }, only);
}

function registerDecompress(program: Command, cli: Cli): void {
  program
    .command('decompress')
    .description('decompress a block from a ROM or any file and print its packed and unpacked sizes')
    .argument('<input...>', 'ROM or file(s); several decompress each at --offset (-o a folder or a {stem} pattern)')
    .requiredOption('--codec <name>', `codec: ${builtInCodecCatalog.map((c) => c.name).join(', ')}`)
    .option('--offset <offset>', 'where the block starts: 0x8120, 33056, or a bus address such as $C0:1234', '0')
    .option('--size <bytes>', 'output size, for formats that do not record it (pb16, raw lz4 block)')
    .option('--max-output <bytes>', 'refuse streams that would produce more than this')
    .option('-o, --output <file>', 'write the decompressed bytes here (several inputs: a folder, or a pattern with {name} / {stem})')
    .option('--force', 'overwrite the output file if it exists')
    .option('--platform <name>', 'skip detection: snes, gb, gbc, gba, nes, md')
    .option('--json', 'print a JSON object')
    .action(
      cli.action(async (paths: string[], options: DecompressOptions) => {
        const codec = await loadCodec(options.codec);
        await useNativeKernelsWhenWorthwhile(codec.name, 'decode', paths.length);
        const outputs = prepareOutputs(paths, options.output, '.bin');
        for (const out of outputs ?? []) assertWritable(out, options.force);
        const limits: DecodeLimits = {};
        const size = sizeOption('--size', options.size);
        const maximum = sizeOption('--max-output', options.maxOutput);
        if (size !== undefined) limits.outputSizeInBytes = size;
        if (maximum !== undefined) limits.maximumOutputSizeInBytes = maximum;
        const platform = platformOption(options.platform);
        return runBatch(
          cli,
          paths,
          options.json,
          async (path, index) => {
            const location = options.offset ?? '0';
            // A plain file at a plain offset is read as it is; ROM identification (and its code)
            // loads only where it can change the bytes or the offset (src/rom/block-input.ts).
            let input = plainBlockInput(path, location, platform !== undefined);
            if (input === undefined) {
              const { openRom } = await import('../../rom/rom.js');
              const rom = openRom(path, { platform, allowUnknown: true, mode: oneShotRomOpenMode(path) });
              input = { data: rom.data, offset: rom.resolveLocation(location) };
            }
            const { data, offset } = input;
            const result = codec.decompress(data, offset, limits);
            const output = outputs?.[index] ?? null;
            if (output !== null) writeFileAtomic(output, result.data, { force: options.force });
            return { codec: codec.name, input: path, offset, packedLength: result.packedLength, unpackedLength: result.data.length, end: offset + result.packedLength, output };
          },
          (report) => {
            cli.out(`${report.codec} at ${hex(report.offset)}: packed ${formatSize(report.packedLength)} (ends at ${hex(report.end)}), unpacked ${formatSize(report.unpackedLength)}`);
            if (report.output !== null) cli.out(`wrote ${report.output}`);
          },
        );
      }),
    );
}

function registerCompress(program: Command, cli: Cli): void {
  program
    .command('compress')
    .description('compress a file with one codec')
    .argument('<file...>', 'file(s) to compress; several write one output each (-o a folder or a {name} pattern)')
    .requiredOption('--codec <name>', `codec: ${builtInCodecCatalog.filter((c) => c.canCompress).map((c) => c.name).join(', ')}`)
    .option('--level <level>', 'compression level (see `romgfx codecs`)')
    .option('--vram-safe', 'lz77/lz11: never use distance 1 (the GBA BIOS VRAM routine writes 16 bits at a time)')
    .option('--variant <variant>', 'lz4: frame (default) or block')
    .requiredOption('-o, --output <file>', 'where to write the compressed bytes (several inputs: a folder, or a pattern with {name} / {stem})')
    .option('--force', 'overwrite the output file if it exists')
    .option('--json', 'print a JSON object')
    .action(
      cli.action(async (paths: string[], options: CompressCommandOptions) => {
        const codec = await loadCodec(options.codec);
        await useNativeKernelsWhenWorthwhile(codec.name, 'encode', paths.length);
        const outputs = prepareOutputs(paths, options.output!, `.${codec.name}`, 'name')!;
        for (const out of outputs) assertWritable(out, options.force);
        const compressOptions: CompressOptions = {};
        if (options.level !== undefined) compressOptions.level = options.level;
        if (options.vramSafe) compressOptions.vramSafe = true;
        if (options.variant !== undefined) compressOptions.variant = options.variant;
        const level = String(options.level ?? codec.defaultLevel);
        return runBatch(
          cli,
          paths,
          options.json,
          (path, index) => {
            const data = readFileBytes(path, maximumCompressInputSizeInBytes);
            const packed = codec.compress(data, compressOptions);
            writeFileAtomic(outputs[index]!, packed, { force: options.force });
            return { codec: codec.name, level, input: path, unpackedLength: data.length, packedLength: packed.length, output: outputs[index]! };
          },
          (report) => {
            const ratio = report.unpackedLength > 0 ? ((100 * report.packedLength) / report.unpackedLength).toFixed(1) : '0.0';
            cli.out(`${report.codec} level ${report.level}: ${formatSize(report.unpackedLength)} → ${formatSize(report.packedLength)} (${ratio}%), wrote ${report.output}`);
          },
        );
      }),
    );
}

function registerCodecs(program: Command, cli: Cli): void {
  program
    .command('codecs')
    .description('list the codecs: levels (accurate = byte-exact with the game maker\'s compressor, where present), default level, platforms')
    .option('--json', 'print a JSON array')
    .action(
      cli.action(async (options: { json?: boolean }) => {
        const { listCodecs } = await import('../../codecs/index.js');
        const rows = listCodecs().map((codec) => ({
          name: codec.name,
          description: codec.description,
          canCompress: codec.canCompress,
          levels: [...codec.levels],
          defaultLevel: codec.canCompress ? codec.defaultLevel : null,
          accurate: codec.levels.includes('accurate'),
          platforms: [...codec.platforms],
        }));
        if (options.json) cli.outJson(rows);
        else {
          const width = Math.max(...rows.map((row) => row.name.length));
          const levelTexts = rows.map((row) => (row.canCompress ? `levels ${row.levels.join(', ')} (default ${row.defaultLevel})` : 'decode only'));
          const levelWidth = Math.max(...levelTexts.map((text) => text.length));
          const platformTexts = rows.map((row) => (row.platforms.length > 0 ? row.platforms.join(', ') : 'any'));
          const platformWidth = Math.max(...platformTexts.map((text) => text.length));
          rows.forEach((row, i) => {
            cli.out(`${row.name.padEnd(width)}  ${levelTexts[i]!.padEnd(levelWidth)}  ${platformTexts[i]!.padEnd(platformWidth)}  ${row.description}`);
          });
        }
      }),
    );
}
