/**
 * Graphics commands: `extract` (ROM → PNG), `render` (loose tile/map files → PNG), `dump`
 * (VRAM + CGRAM + OAM → sprite PNGs), `import` (PNG → tile bytes), `formats` (the format table).
 * Thin: options are parsed in gfx-options.ts, the work is src/gfx.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { type Cli, registerCommands } from '../context.js';
import type { Rom } from '../../rom/rom.js';
import { isOutputPattern, outputFor, prepareOutputs, runBatch } from '../batch.js';
import { formatSize } from '../format.js';
import { UsageError, TileDataLengthError, ImageSizeError, hex } from '../../errors.js';
import { assertWritable, writeFileAtomic } from '../../util/files.js';
import {
  checkIndicesFitBpp,
  decodePng,
  decodeTiles,
  decodeTilemap,
  encodeIndexedPng,
  encodeTiles,
  getTileFormat,
  grayscalePalette,
  parseTilemapFormat,
  renderIndexedImage,
  renderSpriteDump,
  renderTilemap,
  siblingDumpNames,
  tileFormats,
  toIndexedImage,
  unarrangeMetatiles,
  unarrangeSheet,
  arrangeSheet,
  decodeBgr555,
  subPalette,
  vramSizeInBytes,
  oamSizeInBytes,
  metatileCount,
  snesObjTilesPerRow,
  maximumPngFileSizeInBytes,
  type IndexedImage,
  type Palette,
  type TileFormat,
} from '../../gfx/index.js';
import { loadNative } from '../../native/addon.js';
import { createNativeTileKernels } from '../../native/tiles.js';
import { setTileKernels } from '../../gfx/tile-kernels.js';
import { formatPaletteFile, integerOption, layoutHelp, paletteFileFormatFor, readInputFile, resolveLayout, resolvePalette, tilesOption, type LayoutOptions, type PaletteOptions } from './gfx-options.js';

/** Most tiles one extract/render writes into one image (a 2048×2048 sheet of 8×8 tiles). */
export const maximumTilesPerImage = 65536;

interface ImageOutputOptions {
  output?: string;
  force?: boolean;
  json?: boolean;
  transparent?: boolean;
}

/**
 * Tile decode/encode on our addon's kernels whenever the addon is in use (the bytes are the same
 * either way). The commands that write a PNG load the addon anyway (src/gfx/png-deflate.ts
 * deflates with it), and `import` reads its PNG with it (src/gfx/png.ts): what once had to pay
 * for loading it (a threshold of 8 inputs, when PNGs inflated with node:zlib) is now free. A
 * 256×256 4bpp sheet encodes in ~3 ms in TypeScript against ~0.4 ms native (measured here, the
 * addon loaded); this path (src/native/tiles.ts) compiles only the tile glue, not
 * src/native/index.ts's chunk with every codec's kernels (issue #18, start-up).
 */
function useNativeTileKernels(): void {
  const addon = loadNative();
  if (addon) setTileKernels(createNativeTileKernels(addon));
}

function requireOutput(options: ImageOutputOptions): string {
  if (!options.output) throw new UsageError('-o <file> is required');
  return options.output;
}

function tileCountFor(format: TileFormat, available: number, tiles: number | undefined, length: number | undefined, where: string): number {
  if (tiles !== undefined && length !== undefined) throw new UsageError('give --tiles or --length, not both');
  let count: number;
  if (tiles !== undefined) count = tiles;
  else if (length !== undefined) {
    if (length % format.bytesPerTile !== 0) throw new TileDataLengthError(`--length ${length} is not a whole number of ${format.name} tiles (${format.bytesPerTile} bytes each)`, { length, bytesPerTile: format.bytesPerTile });
    count = length / format.bytesPerTile;
  } else count = Math.floor(available / format.bytesPerTile);
  if (count < 1) throw new TileDataLengthError(`no whole ${format.name} tile in ${available} bytes at ${where}`, { available });
  if (count > maximumTilesPerImage) throw new TileDataLengthError(`${count} tiles is more than one image holds (${maximumTilesPerImage})`, { count });
  if (count * format.bytesPerTile > available) {
    throw new TileDataLengthError(`${count} ${format.name} tiles need ${count * format.bytesPerTile} bytes; only ${available} are there at ${where}`, { count, available });
  }
  return count;
}

function arrange(indices: Uint8Array, tileCount: number, layoutOptions: LayoutOptions): IndexedImage {
  const layout = resolveLayout(layoutOptions);
  return layout.metatiles
    ? renderIndexedImage(indices, tileCount, { layout: layout.metatiles, ...(layout.metatilesPerRow === undefined ? {} : { metatilesPerRow: layout.metatilesPerRow }) })
    : renderIndexedImage(indices, tileCount, layout.sheet);
}

function writePng(path: string, image: IndexedImage, palette: Palette, options: ImageOutputOptions): number {
  return writeFileAtomic(path, encodeIndexedPng(image, palette, { transparentIndex0: options.transparent === true }), { force: options.force }).bytes;
}

function addPaletteOptions(command: Command, romPalettes: boolean): Command {
  command.option('--palette <spec>', `palette: a file (JASC .pal, .gpl, .act, raw BGR555, 512-byte CGRAM, or an indexed PNG's PLTE)${romPalettes ? ', rom:<offset|bus address>[:count]' : ''}, colors:RRGGBB,… or gray (default: grayscale ramp; Game Boy: index 0 lightest)`);
  if (romPalettes) command.option('--palette-count <n>', 'colours --palette rom:… reads (default 16)');
  return command.option('--subpalette <n>', 'use 2^bpp-colour sub-palette n of a larger palette (e.g. 8 for the first SNES OBJ palette in CGRAM)');
}

function addLayoutOptions(command: Command): Command {
  return command
    .option('--layout <layout>', layoutHelp)
    .option('--tiles-per-row <n>', 'sheet width in tiles (default 16)')
    .option('--column-major', 'fill sheet columns first')
    .option('--metatiles-per-row <n>', 'metatiles per row for metatile layouts');
}

interface ExtractOptions extends ImageOutputOptions, PaletteOptions, LayoutOptions {
  offset?: string;
  format?: string;
  tiles?: string;
  tileCount?: string;
  size?: string;
  paletteOut?: string;
  length?: string;
  codec?: string;
  platform?: string;
}

interface RenderOptions extends ImageOutputOptions, PaletteOptions, LayoutOptions {
  tiles?: string;
  format?: string;
  map?: string;
  mapFormat?: string;
  attr?: string;
  mapWidth?: string;
}

interface DumpOptions {
  cgram?: string;
  oam?: string;
  obsel?: string;
  output?: string;
  force?: boolean;
  json?: boolean;
  subpalette?: string;
}

interface ImportOptions extends PaletteOptions, LayoutOptions {
  format?: string;
  nearest?: boolean;
  tiles?: string;
  tileCount?: string;
  rom?: string;
  platform?: string;
  output?: string;
  force?: boolean;
  json?: boolean;
}

function requireFormat(name: string | undefined): TileFormat {
  if (!name) throw new UsageError('--format <fmt> is required (romgfx formats lists them)');
  return getTileFormat(name);
}

/** Registers the graphics commands (extract, render, dump, import, formats): all of them, or those in `only`. */
export function register(program: Command, cli: Cli, only?: ReadonlySet<string>): void {
  registerCommands(program, cli, { extract: registerExtract, render: registerRender, dump: registerDump, import: registerImport, formats: registerFormats }, only);
}

function registerExtract(program: Command, cli: Cli): void {
  const extract = program
    .command('extract')
    .description('decode raw (or --codec compressed) tiles from a ROM to an indexed PNG')
    .argument('<rom...>', 'ROM file(s) (unidentified files open as raw data); several write one PNG each (-o a folder or a {stem} pattern)')
    .option('--offset <loc>', 'ROM offset (0x8120) or bus address ($C0:8000)')
    .option('--format <fmt>', 'tile format (romgfx formats)')
    .option('--tiles <n>', 'number of tiles')
    .addOption(new Option('--tile-count <n>', 'old name of --tiles').hideHelp())
    .option('--length <bytes>', 'number of bytes (a whole number of tiles)')
    .option('--codec <name>', 'decompress at --offset first (hal, lz77, …); tiles then come from the decompressed data')
    .option('--size <bytes>', 'with --codec pb16 (or a raw lz4 block): the decompressed size, which those streams do not record');
  addPaletteOptions(extract, true);
  addLayoutOptions(extract)
    .option('--palette-out <file>', 'also write the palette used (.pal JASC, .gpl, .act, .bin raw BGR555), next to the PNG')
    .option('--transparent', 'make colour 0 transparent (tRNS)')
    .option('--platform <name>', 'skip detection: snes, gb, gbc, gba, nes, md')
    .option('-o, --output <file>', 'PNG to write (several inputs: a folder, or a pattern with {name} / {stem})')
    .option('--force', 'overwrite the output file')
    .option('--json', 'print a JSON object')
    .action(
      cli.action(async (paths: string[], options: ExtractOptions) => {
        const format = requireFormat(options.format);
        if (!options.offset) throw new UsageError('--offset is required');
        const tiles = tilesOption(options);
        const length = integerOption(options.length, '--length', 1, maximumTilesPerImage * 64);
        const size = integerOption(options.size, '--size', 1, maximumTilesPerImage * 64);
        if (size !== undefined && !options.codec) throw new UsageError('--size is the decompressed size for --codec pb16 (or lz4 block); without --codec give --tiles or --length');
        if (!options.codec && tiles === undefined && length === undefined) throw new UsageError('give --tiles <n> or --length <bytes> (or --codec to read a compressed block)');
        const codec = options.codec ? await (await import('../../codecs/catalog.js')).loadCodec(options.codec) : undefined;
        const outputs = prepareOutputs(paths, requireOutput(options), '.png')!;
        if (options.paletteOut !== undefined) {
          paletteFileFormatFor(options.paletteOut);
          if (paths.length > 1 && !isOutputPattern(options.paletteOut)) throw new UsageError(`--palette-out with ${paths.length} inputs needs a pattern with {stem} or {name} (e.g. --palette-out 'pngs/{stem}.pal'), one palette per PNG`);
        }
        const paletteOutputs = options.paletteOut === undefined ? undefined : paths.map((p) => outputFor(p, options.paletteOut!, paths.length, extname(options.paletteOut!) || '.pal'));
        for (const out of [...outputs, ...(paletteOutputs ?? [])]) assertWritable(out, options.force);
        for (const folder of new Set((paletteOutputs ?? []).map((p) => dirname(p)))) mkdirSync(folder, { recursive: true });
        // ROM identification loads on use (`import` of a PNG needs none of it; start-up is per asset).
        const { openRom } = await import('../../rom/rom.js');
        const platform = (await import('./rom.js')).platformOption(options.platform);
        return runBatch(
          cli,
          paths,
          options.json,
          (path, index) => {
            const output = outputs[index]!;
            const rom = openRom(path, platform ? { platform } : { allowUnknown: true });
            const offset = rom.resolveLocation(options.offset!);
            let source: Uint8Array;
            let packedLength: number | undefined;
            let unpackedLength: number | undefined;
            if (codec) {
              const result = codec.decompress(rom.data, offset, size === undefined ? {} : { outputSizeInBytes: size });
              source = result.data;
              packedLength = result.packedLength;
              unpackedLength = result.data.length;
            } else {
              source = rom.data.subarray(offset);
            }
            const where = codec ? `the ${unpackedLength}-byte decompressed block` : `ROM offset ${hex(offset)}`;
            const tileCount = tileCountFor(format, source.length, tiles, length, where);
            const indices = decodeTiles(format, source.subarray(0, tileCount * format.bytesPerTile));
            const palette = resolvePalette(options, format, rom);
            const image = arrange(indices, tileCount, options);
            const bytes = writePng(output, image, palette, options);
            const paletteOutput = paletteOutputs?.[index];
            if (paletteOutput !== undefined) writeFileAtomic(paletteOutput, formatPaletteFile(palette, paletteOutput), { force: options.force });
            return {
              rom: rom.name,
              offset,
              format: format.name,
              tiles: tileCount,
              bytes: tileCount * format.bytesPerTile,
              ...(codec ? { codec: codec.name, packedLength, unpackedLength } : {}),
              width: image.width,
              height: image.height,
              paletteColours: palette.count,
              output,
              pngBytes: bytes,
              ...(paletteOutput !== undefined ? { paletteOutput } : {}),
            };
          },
          (report) => {
            const packed = report.codec ? ` (${report.codec}: ${formatSize(report.packedLength!)} packed → ${formatSize(report.unpackedLength!)})` : '';
            cli.out(`wrote ${report.output}: ${report.tiles} ${report.format} tiles from ${hex(report.offset)}${packed}, ${report.width}x${report.height}, ${report.paletteColours} colours${report.paletteOutput ? `; palette ${report.paletteOutput}` : ''}`);
          },
        );
      }),
    );
}

function registerRender(program: Command, cli: Cli): void {
  const render = program
    .command('render')
    .description('render loose tile data (optionally through a tilemap) to an indexed PNG')
    .option('--tiles <file>', 'tile data file')
    .option('--format <fmt>', 'tile format (romgfx formats)')
    .option('--map <file>', 'tilemap file')
    .option('--map-format <fmt>', 'tilemap format: snes, gba, gb, gb-signed (default snes)')
    .option('--attr <file>', 'GBC attribute map (with --map-format gb / gb-signed)')
    .option('--map-width <n>', 'map width in tiles (default 32)');
  addPaletteOptions(render, false);
  addLayoutOptions(render)
    .option('--transparent', 'make colour 0 transparent (tRNS)')
    .option('-o, --output <file>', 'PNG to write')
    .option('--force', 'overwrite the output file')
    .option('--json', 'print a JSON object')
    .action(
      cli.action(async (options: RenderOptions) => {
        if (!options.tiles) throw new UsageError('--tiles <file> is required');
        useNativeTileKernels();
        const format = requireFormat(options.format);
        const output = requireOutput(options);
        assertWritable(output, options.force);
        const data = readInputFile(options.tiles, 'tile file');
        const tileCount = tileCountFor(format, data.length, undefined, undefined, options.tiles);
        if (data.length % format.bytesPerTile !== 0) cli.warn(`${options.tiles}: ${data.length % format.bytesPerTile} trailing byte(s) after the last whole tile ignored`);
        const indices = decodeTiles(format, data.subarray(0, tileCount * format.bytesPerTile));
        const palette = resolvePalette(options, format);
        let image: IndexedImage;
        if (options.map) {
          if (options.layout || options.tilesPerRow || options.columnMajor) throw new UsageError('--layout / --tiles-per-row / --column-major arrange tiles without a map; a map decides the arrangement');
          const mapFormat = parseTilemapFormat(options.mapFormat ?? 'snes');
          const attributes = options.attr ? readInputFile(options.attr, 'attribute map') : undefined;
          const map = decodeTilemap(mapFormat, readInputFile(options.map, 'tilemap'), attributes);
          const widthInTiles = integerOption(options.mapWidth, '--map-width', 1, 2048) ?? 32;
          image = renderTilemap(indices, tileCount, map, { widthInTiles, bpp: format.bpp });
        } else {
          if (options.mapFormat || options.attr || options.mapWidth) throw new UsageError('--map-format, --attr and --map-width need --map');
          image = arrange(indices, tileCount, options);
        }
        const bytes = writePng(output, image, palette, options);
        const report = { tiles: tileCount, format: format.name, map: options.map ?? null, width: image.width, height: image.height, paletteColours: palette.count, output, pngBytes: bytes };
        if (options.json) cli.outJson(report);
        else cli.out(`wrote ${output}: ${tileCount} ${format.name} tiles${options.map ? ' through ' + options.map : ''}, ${image.width}x${image.height}`);
      }),
    );
}

function registerDump(program: Command, cli: Cli): void {
  program
    .command('dump')
    .description('SNES VRAM + CGRAM + OAM dumps → one PNG per visible sprite and a composite (siblings found by emulator naming)')
    .argument('<vram>', '64 KiB VRAM dump')
    .option('--cgram <file>', '512-byte CGRAM dump (default: a sibling file, else grayscale)')
    .option('--oam <file>', '544-byte OAM dump (default: a sibling file; without OAM the VRAM is written as a 4bpp sheet)')
    .option('--obsel <byte>', 'OBSEL ($2101) value: name base, name select, sizes (default 0: 8x8/16x16, base 0)')
    .option('--subpalette <n>', 'CGRAM palette for the VRAM sheet when there is no OAM (default 8, the first OBJ palette)')
    .option('-o, --output <dir>', 'output folder (created if missing)')
    .option('--force', 'overwrite files in the output folder')
    .option('--json', 'print a JSON object')
    .action(
      cli.action(async (vramPath: string, options: DumpOptions) => {
        useNativeTileKernels();
        const outDir = options.output;
        if (!outDir) throw new UsageError('-o <dir> is required');
        const vram = readInputFile(vramPath, 'VRAM dump', vramSizeInBytes);
        const siblings = siblingDumpNames(vramPath);
        const cgramPath = options.cgram ?? siblings.cgram.find((p) => existsSync(p));
        const oamPath = options.oam ?? siblings.oam.find((p) => existsSync(p));
        const cgram = cgramPath ? readInputFile(cgramPath, 'CGRAM dump', 512) : undefined;
        const obsel = integerOption(options.obsel, '--obsel', 0, 255) ?? 0;
        mkdirSync(outDir, { recursive: true });
        const written: { path: string; sprite?: number; x?: number; y?: number; width: number; height: number; palette?: number }[] = [];
        if (!oamPath) {
          if (options.obsel) throw new UsageError('--obsel needs an OAM dump (--oam or a sibling file)');
          const target = join(outDir, 'vram.png');
          assertWritable(target, options.force);
          const indices = decodeTiles('snes4bpp', vram.length === vramSizeInBytes ? vram : vram.subarray(0, vram.length - (vram.length % 32)));
          const image = arrangeSheet(indices, indices.length / 64, { tilesPerRow: snesObjTilesPerRow });
          const sub = integerOption(options.subpalette, '--subpalette', 0, 15) ?? 8;
          const palette = cgram ? subPalette(decodeBgr555(cgram, 256), sub, 16) : grayscalePalette(4);
          writePng(target, image, palette, { force: options.force, transparent: true });
          written.push({ path: target, width: image.width, height: image.height });
        } else {
          if (options.subpalette) throw new UsageError('--subpalette is for the VRAM sheet written without OAM; with OAM each sprite uses its own palette');
          const oam = readInputFile(oamPath, 'OAM dump', oamSizeInBytes);
          const dump = renderSpriteDump({ vram, oam, obsel, ...(cgram ? { cgram } : {}) });
          const targets = [...dump.sprites.map((s) => join(outDir, `sprite-${String(s.entry.index).padStart(3, '0')}.png`)), join(outDir, 'composite.png')];
          for (const target of targets) assertWritable(target, options.force);
          dump.sprites.forEach((sprite, i) => {
            writePng(targets[i]!, sprite.image, sprite.palette, { force: options.force, transparent: true });
            const { entry } = sprite;
            written.push({ path: targets[i]!, sprite: entry.index, x: entry.x, y: entry.y, width: entry.width, height: entry.height, palette: entry.palette });
          });
          writePng(targets[targets.length - 1]!, dump.composite, dump.compositePalette, { force: options.force, transparent: true });
          written.push({ path: targets[targets.length - 1]!, width: dump.composite.width, height: dump.composite.height });
        }
        const report = { vram: vramPath, cgram: cgramPath ?? null, oam: oamPath ?? null, obsel, files: written };
        if (options.json) cli.outJson(report);
        else {
          cli.out(`VRAM ${vramPath}, CGRAM ${cgramPath ?? '(none: grayscale)'}, OAM ${oamPath ?? '(none: VRAM sheet)'}`);
          for (const file of written) cli.out(file.sprite === undefined ? `wrote ${file.path} (${file.width}x${file.height})` : `wrote ${file.path}: sprite ${file.sprite} at (${file.x}, ${file.y}) ${file.width}x${file.height} palette ${file.palette}`);
        }
      }),
    );
}

function registerImport(program: Command, cli: Cli): void {
  const imp = program
    .command('import')
    .description('convert a PNG back to tile bytes (indexed PNGs keep their indices; RGB is matched to --palette)')
    .argument('<png...>', 'PNG file(s); several write one tile file each (-o a folder or a {stem} pattern)')
    .option('--format <fmt>', 'tile format (romgfx formats)')
    .option('--nearest', 'map colours that are not in the palette to the nearest one instead of failing')
    .option('--tiles <n>', 'take only the first n tiles')
    .addOption(new Option('--tile-count <n>', 'old name of --tiles').hideHelp())
    .option('--rom <file>', 'the ROM that --palette rom:<offset|bus address> reads');
  addPaletteOptions(imp, true);
  addLayoutOptions(imp)
    .option('--platform <name>', 'with --rom: skip detection: snes, gb, gbc, gba, nes, md')
    .option('-o, --output <file>', 'tile bytes to write (several inputs: a folder, or a pattern with {name} / {stem})')
    .option('--force', 'overwrite the output file')
    .option('--json', 'print a JSON object')
    .action(
      cli.action(async (pngPaths: string[], options: ImportOptions) => {
        const format = requireFormat(options.format);
        if (!options.output) throw new UsageError('-o <file> is required');
        if (options.platform !== undefined && options.rom === undefined) throw new UsageError('--platform is for the --rom that --palette rom:… reads');
        const outputs = prepareOutputs(pngPaths, options.output, '.bin')!;
        for (const out of outputs) assertWritable(out, options.force);
        let rom: Rom | undefined;
        if (options.rom !== undefined) {
          // Only a rom: palette needs the ROM code; a plain import loads none of it.
          const { openRom } = await import('../../rom/rom.js');
          const platform = (await import('./rom.js')).platformOption(options.platform);
          rom = openRom(options.rom, platform ? { platform } : { allowUnknown: true });
        }
        // The palette is the same for every input: resolve it once (and fail before any work).
        const palette = resolvePalette(options, format, rom);
        const layout = resolveLayout(options);
        const wanted = tilesOption(options);
        useNativeTileKernels();
        return runBatch(
          cli,
          pngPaths,
          options.json,
          (pngPath, index) => {
            const decoded = decodePng(readInputFile(pngPath, 'PNG', maximumPngFileSizeInBytes));
            const image = toIndexedImage(decoded, { palette, nearest: options.nearest === true });
            // decodePng has already checked every index of an indexed PNG against its PLTE: with
            // no more entries than the format has colours, every index fits (and a second pass
            // over the pixels is ~0.5-2 ms of a one-PNG run, cold; issue #18).
            if (decoded.kind !== 'indexed' || decoded.palette.count > 1 << format.bpp) checkIndicesFitBpp(image, format.bpp);
            let indices: Uint8Array;
            if (layout.metatiles) {
              const m = layout.metatiles;
              // Without --metatiles-per-row the image's own width says how many sit in a row.
              const metatileWidth = m.widthInTiles * 8;
              if (image.width % metatileWidth !== 0) throw new ImageSizeError(`image is ${image.width} pixels wide, not a whole number of ${metatileWidth}-pixel metatiles`, { width: image.width, metatileWidth });
              const perRow = layout.metatilesPerRow ?? image.width / metatileWidth;
              const metatiles = perRow * Math.floor(image.height / (m.heightInTiles * 8));
              const fullCount = m.kind === 'block' ? metatiles * m.widthInTiles * m.heightInTiles : Math.ceil(metatiles / (snesObjTilesPerRow / m.widthInTiles)) * m.heightInTiles * snesObjTilesPerRow;
              const tileCount = wanted ?? fullCount;
              if (metatileCount(m, tileCount) > metatiles) throw new TileDataLengthError(`--tiles ${tileCount} needs more metatiles than the image holds (${metatiles})`, { tileCount, metatiles });
              indices = unarrangeMetatiles(image, tileCount, m, { metatilesPerRow: perRow });
            } else {
              indices = unarrangeSheet(image, { ...layout.sheet, ...(wanted === undefined ? {} : { tileCount: wanted }) }).indices;
            }
            const bytes = encodeTiles(format, indices);
            const result = writeFileAtomic(outputs[index]!, bytes, { force: options.force });
            return { png: pngPath, kind: decoded.kind, format: format.name, tiles: indices.length / 64, bytes: result.bytes, output: result.path };
          },
          (report) =>
            cli.out(`wrote ${report.output}: ${report.tiles} ${report.format} tiles, ${formatSize(report.bytes)} (from ${report.kind === 'indexed' ? 'indexed PNG, indices kept' : 'RGB PNG, colours matched'})`),
        );
      }),
    );
}

function registerFormats(program: Command, cli: Cli): void {
  program
    .command('formats')
    .description('list the tile formats')
    .option('--json', 'print a JSON array')
    .action(
      cli.action((options: { json?: boolean }) => {
        const rows = tileFormats.map((f) => ({ name: f.name, aliases: [...f.aliases], bpp: f.bpp, bytesPerTile: f.bytesPerTile, consoles: [...f.consoles], description: f.description }));
        if (options.json) {
          cli.outJson(rows);
          return;
        }
        const width = Math.max(...rows.map((r) => r.name.length));
        for (const r of rows) {
          const aliases = r.aliases.length ? ` (also ${r.aliases.join(', ')})` : '';
          cli.out(`${r.name.padEnd(width)}  ${r.bpp}bpp ${String(r.bytesPerTile).padStart(2)} B/tile  ${r.consoles.join(', ')}${aliases}: ${r.description}`);
        }
      }),
    );
}
