/** `romgfx inject`, `inject-all`, `extract-all`: put edited sprites back into a ROM, and take every sprite out. */
import { Option, type Command } from 'commander';
import { didYouMean } from '../../util/suggest.js';
import { basename } from 'node:path';
import type { Cli } from '../context.js';
import { EXIT_OK, EXIT_PARTIAL_FAILURE } from '../exit-codes.js';
import { progressBar, noProgress } from '../progress.js';
import { UsageError, hex } from '../../errors.js';
import { loadGameDefinition } from '../../defs/parse.js';
import type { CodecName, GameDefinition, SpriteDef } from '../../defs/types.js';
import { definitionCodecNames } from '../../defs/types.js';
import { openRom } from '../../rom/rom.js';
import { readFileBytes } from '../../rom/source.js';
import { getTileFormat } from '../../gfx/formats.js';
import { decodePng } from '../../gfx/png.js';
import { maximumPaletteTextSizeInBytes, parsePaletteFile, type Palette } from '../../gfx/palette.js';
import { extractAll, injectFolder, injectSprites, readPngFile, type InjectOptions, type InjectResult } from '../../inject/index.js';

/** Tile counts accepted on the command line (the definition parser's limit). */
const maximumCliTileCount = 1 << 20;

interface TransactionFlags {
  output?: string;
  inPlace?: boolean;
  patch?: string;
  force?: boolean;
  json?: boolean;
  allowResize?: boolean;
  alignment?: string;
  strategy?: string;
  allowBankCrossing?: boolean;
  vramSafe?: boolean;
  variant?: string;
}

interface InjectFlags extends TransactionFlags {
  sprite?: string;
  defs?: string;
  at?: string;
  codec?: string;
  format?: string;
  palette?: string;
  tiles?: string;
  tileCount?: string;
  tilesPerRow?: string;
  nearest?: boolean;
}

function integerFlag(name: string, text: string | undefined, minimum: number, maximum: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^(0x[0-9a-f]+|\d+)$/iu.test(text)) throw new UsageError(`${name} must be an integer, got "${text}"`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < minimum || value > maximum) throw new UsageError(`${name} must be from ${minimum} to ${maximum}, got ${text}`);
  return value;
}

function transactionOptions(flags: TransactionFlags): InjectOptions {
  if (flags.inPlace && flags.output !== undefined) throw new UsageError('give either -o/--output or --in-place, not both');
  if (!flags.inPlace && flags.output === undefined) throw new UsageError('say where to write: -o <out> (or --in-place to replace the ROM after a timestamped backup)');
  if (flags.strategy !== undefined && flags.strategy !== 'first-fit' && flags.strategy !== 'best-fit') throw new UsageError(`--strategy must be first-fit or best-fit, got "${flags.strategy}"`);
  const alignment = integerFlag('--alignment', flags.alignment, 1, 0x10000);
  if (alignment !== undefined && (alignment & (alignment - 1)) !== 0) throw new UsageError(`--alignment must be a power of two, got ${alignment}`);
  const options: InjectOptions = {
    force: flags.force === true,
    allowResize: flags.allowResize === true,
    allowBankCrossing: flags.allowBankCrossing === true,
    vramSafe: flags.vramSafe === true,
  };
  if (flags.inPlace) options.inPlace = true;
  else options.output = flags.output!;
  if (flags.patch !== undefined) options.patch = flags.patch;
  if (alignment !== undefined) options.alignment = alignment;
  if (flags.strategy !== undefined) options.strategy = flags.strategy as 'first-fit' | 'best-fit';
  if (flags.variant !== undefined) options.variant = flags.variant;
  return options;
}

function withTransactionFlags(command: Command): Command {
  return command
    .option('-o, --output <file>', 'output ROM (the input is never modified)')
    .option('--in-place', 'replace the input ROM, after verifying, keeping <rom>.<timestamp>.bak')
    .option('--patch <file>', 'also write a patch from the input to the output (.bps or .ips)')
    .option('--allow-resize', 'accept an image with a different tile count than the block')
    .option('--alignment <bytes>', 'alignment of relocated blocks (default: GBA 4, Mega Drive 2, else 1)')
    .option('--strategy <name>', 'free-space choice: best-fit (default) or first-fit')
    .option('--allow-bank-crossing', 'let a relocated block cross a bank boundary')
    .option('--vram-safe', 'GBA LZ77/LZ11: always encode without distance-1 copies (LZ77 blocks that were VRAM-safe stay so anyway)')
    .option('--variant <id>', 'definition variant (default: the one that recognises the ROM)')
    .option('--force', 'overwrite existing output and patch files')
    .option('--json', 'print a JSON object');
}

function printTransaction(cli: Cli, result: InjectResult, json: boolean | undefined): void {
  if (json) {
    cli.outJson(result);
    return;
  }
  for (const s of result.sprites) {
    const sizes = `${s.oldPackedLength} → ${s.newPackedLength} bytes${s.level ? ` (${s.codec} level ${s.level})` : ''}`;
    if (s.outcome === 'unchanged') cli.out(`${s.sprite}: unchanged`);
    else if (s.outcome === 'in-place') cli.out(`${s.sprite}: in place at ${hex(s.newOffset)}, ${sizes}, slot ${s.slotLength}`);
    else cli.out(`${s.sprite}: relocated ${hex(s.oldOffset)} → ${hex(s.newOffset)}, ${sizes}, ${s.pointersRewritten.length} pointer(s) rewritten; old slot ${hex(s.freed!.start)}-${hex(s.freed!.end)} is free`);
  }
  if (!result.changed) cli.out(result.output === null ? 'nothing changed; the ROM was left as it is' : `nothing changed; wrote an identical copy to ${result.output}`);
  else {
    const checksum = result.checksum ? `, checksum ${hex(result.checksum.stored, 4)} (valid)` : '';
    cli.out(`wrote ${result.output}: ${result.bytesWritten} bytes, CRC32 ${result.outputCrc32}${checksum}, verified`);
  }
  if (result.backupPath) cli.out(`backup: ${result.backupPath}`);
  if (result.patch) cli.out(`patch: ${result.patch.path} (${result.patch.format.toUpperCase()}, ${result.patch.size} bytes)`);
}

/** A one-sprite definition for `--at`: the block, how it is stored, and nothing to relocate it with. */
function adHocDefinition(romPath: string, pngPath: string, flags: InjectFlags): GameDefinition {
  if (flags.codec === undefined || flags.format === undefined) throw new UsageError('--at needs --codec (none, hal, lz77, …) and --format (snes4bpp, gba4bpp, …)');
  const codec = flags.codec.toLowerCase();
  const codecNames = definitionCodecNames();
  if (!codecNames.includes(codec)) throw new UsageError(`--codec must be one of ${codecNames.join(', ')}, got "${flags.codec}"${didYouMean(codec, codecNames)}`);
  const format = getTileFormat(flags.format);
  const rom = openRom(romPath);
  const offset = rom.resolveLocation(flags.at!);
  if (flags.tiles !== undefined && flags.tileCount !== undefined) throw new UsageError('give --tiles (--tile-count is its old name), not both');
  let tileCount = flags.tiles !== undefined ? integerFlag('--tiles', flags.tiles, 1, maximumCliTileCount) : integerFlag('--tile-count', flags.tileCount, 1, maximumCliTileCount);
  const tilesPerRow = integerFlag('--tiles-per-row', flags.tilesPerRow, 1, 256);
  if (tileCount === undefined && (codec === 'none' || codec === 'pb16')) {
    // A raw block does not say where it ends: the image does (its whole tiles).
    const image = decodePng(readPngFile(pngPath));
    tileCount = Math.floor(image.width / 8) * Math.floor(image.height / 8);
  }
  const sprite: SpriteDef = {
    name: `block@${hex(offset)}`,
    kind: 'sprite',
    offset: { kind: 'offset', value: offset, text: hex(offset) },
    variantOffsets: {},
    codec: codec as CodecName,
    tileFormat: format.name as SpriteDef['tileFormat'],
  };
  if (tileCount !== undefined) sprite.tileCount = tileCount;
  if (tilesPerRow !== undefined) sprite.arrangement = { kind: 'sheet', tilesPerRow };
  return {
    formatVersion: 1,
    id: 'command-line',
    name: 'block given with --at',
    platform: rom.platform === 'unknown' ? 'snes' : rom.platform,
    variants: [],
    sprites: [sprite],
    pointers: [],
    freeSpace: [],
    source: '<command line>',
  };
}

function readPalette(path: string | undefined): Palette | undefined {
  return path === undefined ? undefined : parsePaletteFile(readFileBytes(path, maximumPaletteTextSizeInBytes), path);
}

export function register(program: Command, cli: Cli): void {
  withTransactionFlags(
    program
      .command('inject')
      .description('put an edited PNG back: re-pack at the best level, write in place or relocate and repoint, fix the checksum, verify')
      .argument('<rom>', 'the ROM to inject into (never modified unless --in-place)')
      .argument('<png>', 'the edited image (as extract wrote it)')
      .option('--sprite <name>', 'the sprite in --defs')
      .option('--defs <game.json>', 'game definition')
      .option('--at <offset>', 'without a definition: the block at this ROM offset or bus address')
      .option('--codec <name>', 'with --at: how the block is stored (none, hal, lz77, lz11, rle, lz4, pb16)')
      .option('--format <name>', 'with --at: tile format')
      .option('--tiles <n>', 'with --at: tiles in the block (raw blocks: default from the image)')
      .addOption(new Option('--tile-count <n>', 'old name of --tiles').hideHelp())
      .option('--tiles-per-row <n>', 'with --at: sheet width in tiles (default 16)')
      .option('--palette <file>', 'palette an RGB PNG is mapped onto (JASC, GPL, ACT, CGRAM, BGR555)')
      .option('--nearest', 'map off-palette colours of an RGB PNG to the nearest palette colour'),
  ).action(
    cli.action((romPath: string, pngPath: string, flags: InjectFlags) => {
      const bySprite = flags.sprite !== undefined || flags.defs !== undefined;
      if (bySprite === (flags.at !== undefined)) throw new UsageError('name the block either with --sprite <name> --defs <game.json>, or with --at <offset> --codec … --format …');
      if (bySprite && (flags.sprite === undefined || flags.defs === undefined)) throw new UsageError('--sprite and --defs go together');
      const options = transactionOptions(flags);
      const definition = bySprite ? loadGameDefinition(flags.defs!) : adHocDefinition(romPath, pngPath, flags);
      const spriteName = bySprite ? flags.sprite! : definition.sprites[0]!.name;
      const palette = readPalette(flags.palette);
      const png = readPngFile(pngPath);
      const result = injectSprites(romPath, definition, [{ sprite: spriteName, png, nearest: flags.nearest === true, ...(palette ? { palette } : {}) }], options);
      printTransaction(cli, result, flags.json);
      return EXIT_OK;
    }),
  );

  withTransactionFlags(
    program
      .command('inject-all')
      .description('inject every changed sprite of an extract-all folder in one transaction (all or nothing, one checksum fix, one verify)')
      .argument('<rom>', 'the ROM to inject into')
      .argument('<dir>', 'folder written by extract-all (PNG + sidecar JSON per sprite)')
      .requiredOption('--defs <game.json>', 'game definition'),
  ).action(
    cli.action((romPath: string, dir: string, flags: TransactionFlags & { defs: string }) => {
      const options = transactionOptions(flags);
      const definition = loadGameDefinition(flags.defs);
      const result = injectFolder(romPath, definition, dir, options);
      if (!flags.json) {
        if (result.identityMismatches.length > 0) cli.warn(`${result.identityMismatches.length} sidecar(s) were extracted from a different ROM (${result.identityMismatches.slice(0, 3).join(', ')}…); offsets come from the definition`);
        cli.out(`${result.sidecars} sprite(s) in ${dir}; ${result.sprites.filter((s) => s.outcome !== 'unchanged').length} changed`);
      }
      printTransaction(cli, result, flags.json);
      return EXIT_OK;
    }),
  );

  program
    .command('extract-all')
    .description('extract every sprite of a game definition to an indexed PNG plus a sidecar JSON (what inject-all reads)')
    .argument('<rom>', 'the ROM')
    .requiredOption('--defs <game.json>', 'game definition')
    .requiredOption('-o, --output <dir>', 'folder to write (created if missing)')
    .option('--sprite <name...>', 'only these sprites')
    .option('--threads <n>', 'worker threads (default: cores, at most 4; 0 = this thread)')
    .option('--variant <id>', 'definition variant (default: the one that recognises the ROM)')
    .option('--force', 'overwrite existing files')
    .option('--json', 'print a JSON object')
    .action(
      cli.action(async (romPath: string, flags: { defs: string; output: string; sprite?: string[]; threads?: string; variant?: string; force?: boolean; json?: boolean }) => {
        const definition = loadGameDefinition(flags.defs);
        const threads = integerFlag('--threads', flags.threads, 0, 64);
        const progress = cli.progressAllowed(flags.json) ? progressBar(cli.streams.stderr, 'extract-all') : noProgress;
        let result;
        try {
          result = await extractAll(romPath, definition, flags.output, {
            force: flags.force === true,
            onProgress: (done, total) => progress.update(done, total),
            ...(flags.sprite ? { sprites: flags.sprite } : {}),
            ...(threads !== undefined ? { threads } : {}),
            ...(flags.variant !== undefined ? { variant: flags.variant } : {}),
          });
        } finally {
          progress.finish();
        }
        if (flags.json) cli.outJson(result);
        else {
          for (const item of result.items) if (!item.ok) cli.warn(`${item.sprite}: ${item.error!.code}: ${item.error!.message}`);
          const how = result.mode === 'pool' ? `${result.threads} worker thread(s)` : 'in process';
          cli.out(`extracted ${result.succeeded} of ${result.total} sprite(s) from ${basename(romPath)} to ${flags.output} in ${Math.round(result.elapsedMs)} ms (${how})${result.failed ? `; ${result.failed} failed` : ''}`);
        }
        return result.failed > 0 ? EXIT_PARTIAL_FAILURE : EXIT_OK;
      }),
    );
}
