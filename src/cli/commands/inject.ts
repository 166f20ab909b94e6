/** `romgfx inject`, `inject-all`, `extract-all`: put edited sprites back into a ROM, and take every sprite out. */
import { Option, type Command } from 'commander';
import { didYouMean } from '../../util/suggest.js';
import { basename } from 'node:path';
import type { Cli } from '../context.js';
import { EXIT_OK, EXIT_PARTIAL_FAILURE } from '../exit-codes.js';
import { progressBar, noProgress } from '../progress.js';
import { UsageError, hex } from '../../errors.js';
import { loadGameDefinition } from '../../defs/parse.js';
import { loadGameDefinitionForRom } from '../../defs/load.js';
import type { CodecName, GameDefinition, SpriteDef } from '../../defs/types.js';
import { definitionCodecNames } from '../../defs/types.js';
import { openRom } from '../../rom/rom.js';
import { readFileBytes } from '../../rom/source.js';
import { getTileFormat } from '../../gfx/formats.js';
import { maximumPaletteTextSizeInBytes, paletteFromRgb, parsePaletteFile, type Palette } from '../../gfx/palette.js';
import type { Arrangement } from '../../defs/types.js';
import { arrangementFromText, snesObjSizesInPixels } from '../../vocabulary.js';
import { layoutHelp, resolveLayout, type LayoutOptions } from './gfx-options.js';
import { closeInjectJobs, injectFolderAsync, maximumInjectThreads } from '../../jobs/inject-jobs.js';
import { closePatchJobs } from '../../jobs/patch-jobs.js';
import { closeExtractJobs, extractAll, injectScreen, injectSprites, readPngFile, readSidecarBeside, sidecarPaletteRgb, type InjectOptions, type InjectResult, type SpriteSidecar } from '../../inject/index.js';

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
  forceDefinition?: boolean;
  defsOut?: string;
}

interface InjectFlags extends TransactionFlags, LayoutOptions {
  sprite?: string;
  screen?: string;
  defs?: string;
  at?: string;
  codec?: string;
  format?: string;
  palette?: string;
  tiles?: string;
  tileCount?: string;
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
  if (flags.forceDefinition) options.forceDefinition = true;
  if (flags.defsOut !== undefined) options.definitionOutput = flags.defsOut;
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
    .option('--force-definition', 'use the definition even though no variant recognises the ROM (its default offsets)')
    .option('--defs-out <file>', "also write the output ROM's game definition (new tile counts, moved offsets, free space)")
    .option('--force', 'overwrite existing output, patch and definition files')
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
  for (const note of result.notes) cli.warn(`note: ${note}`);
  if (result.variantChosenBy === 'forced') cli.warn('no variant of the definition recognises this ROM; its default offsets were used (--force-definition)');
  if (result.backupPath) cli.out(`backup: ${result.backupPath}`);
  if (result.definitionOutput) cli.out(`definition of the output: ${result.definitionOutput}`);
  if (result.patch) cli.out(`patch: ${result.patch.path} (${result.patch.format.toUpperCase()}, ${result.patch.size} bytes)`);
}

/** A block named on the command line (or by a sidecar): where it is and how it is stored. */
interface BlockSpec {
  offset: number;
  codec: string;
  format: string;
  tileCount?: number;
  arrangement?: Arrangement;
}

/**
 * A one-sprite definition for a block named without a game definition. It recognises this ROM
 * (its CRC-32) and declares no pointers and no free space: the block is written in place or not
 * at all, into the slot the ROM's data and the given tile count say it has.
 */
function blockDefinition(romPath: string, block: BlockSpec, source: string): GameDefinition {
  const codec = block.codec.toLowerCase();
  const codecNames = definitionCodecNames();
  if (!codecNames.includes(codec)) throw new UsageError(`--codec must be one of ${codecNames.join(', ')}, got "${block.codec}"${didYouMean(codec, codecNames)}`);
  const format = getTileFormat(block.format);
  const rom = openRom(romPath);
  if (block.tileCount === undefined && (codec === 'none' || codec === 'pb16')) {
    // The image's size is no measure of the block: extract pads sheets to whole rows.
    throw new UsageError(`a ${codec === 'none' ? 'raw' : 'pb16'} block does not store its length: give --tiles N (the --tiles extract was given), or keep the sidecar JSON extract-all wrote next to the PNG`);
  }
  const sprite: SpriteDef = {
    name: `block@${hex(block.offset)}`,
    kind: 'sprite',
    offset: { kind: 'offset', value: block.offset, text: hex(block.offset) },
    variantOffsets: {},
    codec: codec as CodecName,
    tileFormat: format.name as SpriteDef['tileFormat'],
  };
  if (block.tileCount !== undefined) sprite.tileCount = block.tileCount;
  if (block.arrangement) sprite.arrangement = block.arrangement;
  return {
    formatVersion: 1,
    id: 'command-line',
    name: 'block named on the command line',
    platform: rom.platform === 'unknown' ? 'snes' : rom.platform,
    variants: [{ id: 'this-rom', crc32: rom.identity().crc32 }],
    sprites: [sprite],
    pointers: [],
    freeSpace: [],
    source,
  };
}

/** `--layout` (and the sheet flags) as a definition arrangement, as extract lays tiles out. */
function arrangementFromFlags(flags: LayoutOptions): Arrangement | undefined {
  if (flags.layout === undefined && flags.tilesPerRow === undefined && !flags.columnMajor) return undefined;
  // Metatile layouts are read at extract's default width (a definition's arrangement has no other).
  const layout = resolveLayout({ ...flags, metatilesPerRow: undefined });
  const m = layout.metatiles;
  if (!m) {
    const sheet: Arrangement = { kind: 'sheet' };
    if (layout.sheet.tilesPerRow !== undefined) sheet.tilesPerRow = layout.sheet.tilesPerRow;
    if (layout.sheet.order === 'column') sheet.order = 'column-major';
    return sheet;
  }
  // The layout text is the shared vocabulary's (src/vocabulary.ts); gfx also draws non-square
  // snes-obj sprites, which no definition arrangement can name.
  if (m.kind === 'snes-obj' && (m.widthInTiles !== m.heightInTiles || !(snesObjSizesInPixels as readonly number[]).includes(m.widthInTiles * 8))) {
    throw new UsageError(`inject takes square snes-obj layouts (16x16, 32x32, 64x64), got ${flags.layout}`);
  }
  return arrangementFromText(flags.layout!);
}

function sidecarBlock(sidecar: SpriteSidecar): BlockSpec {
  const offset = Number(sidecar.offset);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new UsageError(`the sidecar's offset "${sidecar.offset}" is not a ROM offset`);
  const block: BlockSpec = { offset, codec: sidecar.codec, format: sidecar.format, tileCount: sidecar.tileCount };
  if (sidecar.arrangement.kind !== 'sheet' || Object.keys(sidecar.arrangement).length > 1) block.arrangement = sidecar.arrangement as Arrangement;
  return block;
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
      .argument('<png>', 'the edited image (as extract or extract-all wrote it; a sidecar JSON beside it names the sprite)')
      .option('--sprite <name>', 'the sprite in --defs (default: the one the sidecar names)')
      .option('--screen <name>', "a screen of --defs (tiles + map + palette): the PNG is the whole edited screen, re-converted over the ROM's blocks")
      .option('--defs <game.json>', 'game definition (without it: the sidecar says where the block is)')
      .option('--at <offset>', 'without a definition: the block at this ROM offset or bus address')
      .option('--codec <name>', 'with --at: how the block is stored (none, hal, lz77, lz11, rle, lz4, pb16)')
      .option('--format <name>', 'with --at: tile format')
      .option('--tiles <n>', 'with --at: tiles in the block (needed for raw and pb16 blocks, which do not store it)')
      .addOption(new Option('--tile-count <n>', 'old name of --tiles').hideHelp())
      .option('--layout <layout>', `with --at: how extract laid the tiles out: ${layoutHelp}`)
      .option('--tiles-per-row <n>', 'with --at: sheet width in tiles (default 16)')
      .option('--column-major', 'with --at: the sheet was filled columns first')
      .option('--palette <file>', 'palette an RGB PNG is mapped onto (JASC, GPL, ACT, CGRAM, BGR555)')
      .option('--nearest', 'map off-palette colours of an RGB PNG to the nearest palette colour'),
  ).action(
    cli.action((romPath: string, pngPath: string, flags: InjectFlags) => {
      const options = transactionOptions(flags);
      if (flags.screen !== undefined) {
        // A screen: tiles, map and palette re-made from the edited picture, in one transaction.
        if (flags.defs === undefined) throw new UsageError('--screen names a screen of --defs: give --defs <game.json> too');
        if (flags.sprite !== undefined || flags.at !== undefined) throw new UsageError('give --screen, --sprite or --at, not several');
        const result = injectScreen(romPath, loadGameDefinition(flags.defs), flags.screen, readPngFile(pngPath), options);
        if (!flags.json) cli.out(`screen "${result.screen}": ${result.conversion.tileCount} tiles, ${result.conversion.paletteCount} sub-palette(s)`);
        printTransaction(cli, result, flags.json);
        return EXIT_OK;
      }
      const atFlags = flags.codec !== undefined || flags.format !== undefined || flags.tiles !== undefined || flags.tileCount !== undefined || arrangementFromFlags(flags) !== undefined;
      if (flags.at !== undefined && (flags.sprite !== undefined || flags.defs !== undefined)) throw new UsageError('name the block either with --sprite/--defs, or with --at <offset> --codec … --format …, not both');
      if (flags.at === undefined && atFlags) throw new UsageError('--codec, --format, --tiles and --layout describe a block given with --at');
      const found = flags.at === undefined ? readSidecarBeside(pngPath) : undefined;
      let definition: GameDefinition;
      let spriteName: string;
      let sidecarPalette: Palette | undefined;
      if (flags.at !== undefined) {
        if (flags.codec === undefined || flags.format === undefined) throw new UsageError('--at needs --codec (none, hal, lz77, …) and --format (snes4bpp, gba4bpp, …)');
        const rom = openRom(romPath);
        const block: BlockSpec = { offset: rom.resolveLocation(flags.at), codec: flags.codec, format: flags.format };
        if (flags.tiles !== undefined && flags.tileCount !== undefined) throw new UsageError('give --tiles once (its old name is accepted too, not both)');
        const tileCount = flags.tiles !== undefined ? integerFlag('--tiles', flags.tiles, 1, maximumCliTileCount) : integerFlag('--tile-count', flags.tileCount, 1, maximumCliTileCount);
        if (tileCount !== undefined) block.tileCount = tileCount;
        const arrangement = arrangementFromFlags(flags);
        if (arrangement) block.arrangement = arrangement;
        // A sidecar beside the PNG describing this very block supplies what the flags leave out.
        const beside = readSidecarBeside(pngPath);
        if (beside && Number(beside.sidecar.offset) === block.offset && beside.sidecar.codec === flags.codec.toLowerCase() && beside.sidecar.format === getTileFormat(flags.format).name) {
          const described = sidecarBlock(beside.sidecar);
          if (block.tileCount === undefined && described.tileCount !== undefined) block.tileCount = described.tileCount;
          if (!block.arrangement && described.arrangement) block.arrangement = described.arrangement;
        }
        definition = blockDefinition(romPath, block, '<command line>');
        spriteName = definition.sprites[0]!.name;
      } else if (flags.defs !== undefined) {
        definition = loadGameDefinition(flags.defs);
        const name = flags.sprite ?? found?.sidecar.sprite;
        if (name === undefined) throw new UsageError(`which sprite? give --sprite <name> (no sidecar JSON next to ${pngPath} names one)`);
        spriteName = name;
        if (found && found.sidecar.sprite === name) sidecarPalette = paletteFromRgb(sidecarPaletteRgb(found.sidecar), `${found.path} palette`);
      } else {
        if (flags.sprite !== undefined) throw new UsageError('--sprite names a sprite of --defs: give --defs <game.json> too');
        if (!found) throw new UsageError(`name the block: --sprite <name> --defs <game.json>, or --at <offset> --codec … --format … (no sidecar JSON next to ${pngPath} says where it is)`);
        definition = blockDefinition(romPath, sidecarBlock(found.sidecar), found.path);
        spriteName = definition.sprites[0]!.name;
        sidecarPalette = paletteFromRgb(sidecarPaletteRgb(found.sidecar), `${found.path} palette`);
      }
      if (found && !flags.json && found.sidecar.rom.sha1 !== openRom(romPath).identity().sha1) cli.warn(`${found.path} was extracted from a different ROM (or an earlier build of this one)`);
      const palette = readPalette(flags.palette) ?? sidecarPalette;
      const png = readPngFile(pngPath);
      const result = injectSprites(romPath, definition, [{ sprite: spriteName, png, nearest: flags.nearest === true, file: pngPath, ...(palette ? { palette } : {}) }], options);
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
      .requiredOption('--defs <game.json>', 'game definition')
      .option('--palette <file>', "palette RGB PNGs are mapped onto instead of each sidecar's (JASC, GPL, ACT, CGRAM, BGR555)")
      .option('--nearest', 'map off-palette colours of RGB PNGs to the nearest palette colour')
      .option('--threads <n>', 'worker threads that convert and pack the sprites (default: cores, at most 4; 0 = this thread)'),
  ).action(
    cli.action(async (romPath: string, dir: string, flags: TransactionFlags & { defs: string; palette?: string; nearest?: boolean; threads?: string }) => {
      const options = transactionOptions(flags);
      const definition = loadGameDefinition(flags.defs);
      const palette = readPalette(flags.palette);
      const threads = integerFlag('--threads', flags.threads, 0, maximumInjectThreads);
      const progress = cli.progressAllowed(flags.json) ? progressBar(cli.streams.stderr, 'inject-all') : noProgress;
      // Ctrl-C stops the workers at once; nothing is written (the output is written only at the end).
      const controller = new AbortController();
      const interrupt = (): void => controller.abort();
      process.once('SIGINT', interrupt);
      let result;
      try {
        result = await injectFolderAsync(romPath, definition, dir, {
          ...options,
          ...(palette ? { palette } : {}),
          ...(flags.nearest ? { nearest: true } : {}),
          ...(threads !== undefined ? { threads } : {}),
          signal: controller.signal,
          onProgress: (done, total) => progress.update(done, total),
        });
      } finally {
        progress.finish();
        process.off('SIGINT', interrupt);
        await Promise.all([closeInjectJobs(), closePatchJobs()]);
      }
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
    .requiredOption('--defs <game.json|dir>', 'game definition, or a folder of them (the one that recognises the ROM is used)')
    .requiredOption('-o, --output <dir>', 'folder to write (created if missing)')
    .option('--sprite <name...>', 'only these sprites')
    .option('--threads <n>', 'worker threads (default: cores, at most 4; 0 = this thread)')
    .option('--variant <id>', 'definition variant (default: the one that recognises the ROM)')
    .option('--force-definition', 'use the definition even though no variant recognises the ROM (its default offsets)')
    .option('--force', 'overwrite existing files')
    .option('--json', 'print a JSON object')
    .action(
      cli.action(async (romPath: string, flags: { defs: string; output: string; sprite?: string[]; threads?: string; variant?: string; forceDefinition?: boolean; force?: boolean; json?: boolean }) => {
        // A folder of definitions: the one that recognises the ROM (the others, and non-definitions, are skipped).
        const { definition, skipped } = loadGameDefinitionForRom(flags.defs, () => openRom(romPath), romPath);
        for (const s of skipped) cli.warn(`skipped ${s.file}: ${s.reason}`);
        const threads = integerFlag('--threads', flags.threads, 0, 64);
        const progress = cli.progressAllowed(flags.json) ? progressBar(cli.streams.stderr, 'extract-all') : noProgress;
        // Ctrl-C stops the workers at once; nothing is written (the files are written only at the end).
        const controller = new AbortController();
        const interrupt = (): void => controller.abort();
        process.once('SIGINT', interrupt);
        let result;
        try {
          result = await extractAll(romPath, definition, flags.output, {
            force: flags.force === true,
            signal: controller.signal,
            onProgress: (done, total) => progress.update(done, total),
            ...(flags.sprite ? { sprites: flags.sprite } : {}),
            ...(threads !== undefined ? { threads } : {}),
            ...(flags.variant !== undefined ? { variant: flags.variant } : {}),
            ...(flags.forceDefinition ? { forceDefinition: true } : {}),
          });
        } finally {
          progress.finish();
          process.off('SIGINT', interrupt);
          await closeExtractJobs();
        }
        if (flags.json) cli.outJson({ ...result, skipped });
        else {
          for (const item of result.items) if (!item.ok) cli.warn(`sprite "${item.sprite}" (${item.png ?? flags.output}): ${item.error!.code}: ${item.error!.message}`);
          const how = result.mode === 'pool' ? `${result.threads} worker thread(s)` : 'in process';
          cli.out(`extracted ${result.succeeded} of ${result.total} sprite(s) from ${basename(romPath)} to ${flags.output} in ${Math.round(result.elapsedMs)} ms (${how})${result.failed ? `; ${result.failed} failed` : ''}`);
        }
        return result.failed > 0 ? EXIT_PARTIAL_FAILURE : EXIT_OK;
      }),
    );
}
