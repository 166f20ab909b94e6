/**
 * `romgfx convert <png> --target …`: PNG → deduplicated tiles + map + packed sub-palettes, and
 * `convert --reverse`: tiles + map + palettes back to an indexed PNG. Thin: src/convert does the work.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { UsageError } from '../../errors.js';
import { writeFilesAtomic } from '../../util/files.js';
import { decodePng, encodeIndexedPng, maximumPngFileSizeInBytes } from '../../gfx/index.js';
import { renderIndexedImage } from '../../gfx/index.js';
import { convertImage, convertTargets, mapFormats, reverseConvert, type ConvertOptions, type ConvertResult, type ConvertTarget, type MapFormat } from '../../convert/index.js';
import { integerOption, readInputFile } from './gfx-options.js';

interface ConvertCliOptions {
  target?: string;
  bpp?: string;
  sprite?: boolean;
  flip?: boolean;
  dedupe?: boolean;
  palettes?: string;
  colorsPerPalette?: string;
  tileBase?: string;
  paletteBase?: string;
  mapFormat?: string;
  like?: string;
  tilesetPng?: string;
  report?: string;
  json?: boolean;
  output?: string;
  force?: boolean;
  reverse?: boolean;
  tiles?: string;
  map?: string;
  palette?: string;
  attrmap?: string;
  width?: string;
}

function target(text: string | undefined): ConvertTarget {
  if (!text) throw new UsageError(`--target is required: ${convertTargets.join('|')}`);
  if (!(convertTargets as readonly string[]).includes(text)) throw new UsageError(`--target must be one of ${convertTargets.join(', ')} (got "${text}")`);
  return text as ConvertTarget;
}

function mapFormat(text: string | undefined): MapFormat | undefined {
  if (text === undefined) return undefined;
  if (!(mapFormats as readonly string[]).includes(text)) throw new UsageError(`--map-format must be one of ${mapFormats.join(', ')} (got "${text}")`);
  return text as MapFormat;
}

/** `-o dir` (an existing folder) → dir/tiles.bin …; otherwise a prefix → prefix.tiles.bin … */
function outputPath(output: string, name: string): string {
  return existsSync(output) && statSync(output).isDirectory() ? join(output, name) : `${output}.${name}`;
}

function report(result: ConvertResult): object {
  return {
    target: result.target,
    bpp: result.bpp,
    like: result.like ?? 'romgfx',
    mapFormat: result.mapFormat,
    tileCount: result.tileCount,
    paletteCount: result.paletteCount,
    mapWidth: result.mapWidth,
    mapHeight: result.mapHeight,
    palettes: result.palettes.map((p) => p.map((c) => (c < 0 ? 'transparent' : '#' + c.toString(16).padStart(6, '0')))),
    tilePalettes: result.tilePalettes,
    flippedCells: result.flippedCells,
    warnings: result.warnings,
  };
}

/** Adds `convert` to the program. */
export function register(program: Command, cli: Cli): void {
  program
    .command('convert')
    .description('PNG → deduplicated tiles + map + packed sub-palettes (or --reverse: back to a PNG)')
    .argument('[png]', 'the image to convert (not with --reverse)')
    .option('--target <console>', convertTargets.join('|'))
    .option('--bpp <n>', "bits per pixel (default: the target's)")
    .option('--sprite', 'sprite data: transparent colour 0, every cell stored, no flips')
    .option('--no-flip', 'store mirrored copies as tiles of their own')
    .option('--no-dedupe', 'store every cell, even exact repeats')
    .option('--palettes <n>', 'most sub-palettes to use')
    .option('--colors-per-palette <n>', 'colours per sub-palette, colour 0 included')
    .option('--tile-base <n>', 'added to every map tile index')
    .option('--palette-base <n>', 'added to every map palette index')
    .option('--map-format <format>', mapFormats.join('|'))
    .option('--like <tool>', 'superfamiconv|rgbgfx: reproduce that tool\'s bytes')
    .option('--tileset-png <file>', 'also write the stored tiles as a PNG (16 per row, first sub-palette colours)')
    .option('--report <file>', 'also write a JSON report (tile count, flipped cells, palette per tile)')
    .option('--json', 'print the report as JSON')
    .option('-o, --output <dir|prefix|file>', 'output folder (tiles.bin, map.bin, palette.bin, attrmap.bin) or prefix; with --reverse the PNG')
    .option('--force', 'overwrite existing outputs')
    .option('--reverse', 'render --tiles, --map, --palette (and --attrmap) back into an indexed PNG')
    .option('--tiles <file>', '--reverse: tile data')
    .option('--map <file>', '--reverse: map')
    .option('--palette <file>', '--reverse: palette')
    .option('--attrmap <file>', '--reverse: attribute map (gbc, nes)')
    .option('--width <tiles>', '--reverse: map width in tiles (default 32)')
    .action(
      cli.action((png: string | undefined, options: ConvertCliOptions) => {
        if (!options.output) throw new UsageError('-o <dir or prefix> is required');
        const consoleName = target(options.target);
        const bpp = integerOption(options.bpp, '--bpp', 1, 8);
        if (options.reverse) {
          if (!options.tiles || !options.map || !options.palette) throw new UsageError('--reverse needs --tiles, --map and --palette');
          const reversed = reverseConvert({
            target: consoleName,
            ...(bpp === undefined ? {} : { bpp }),
            ...(options.mapFormat === undefined ? {} : { mapFormat: mapFormat(options.mapFormat)! }),
            tiles: readInputFile(options.tiles, 'tile file'),
            map: readInputFile(options.map, 'map file'),
            palette: readInputFile(options.palette, 'palette file'),
            ...(options.attrmap ? { attrmap: readInputFile(options.attrmap, 'attribute map') } : {}),
            ...(options.width === undefined ? {} : { widthInTiles: integerOption(options.width, '--width', 1, 4096)! }),
            ...(options.tileBase === undefined ? {} : { tileBase: integerOption(options.tileBase, '--tile-base', 0, 4095)! }),
            ...(options.paletteBase === undefined ? {} : { paletteBase: integerOption(options.paletteBase, '--palette-base', 0, 4095)! }),
          });
          const [written] = writeFilesAtomic([{ path: options.output, data: encodeIndexedPng(reversed.image, reversed.palette) }], { force: options.force });
          if (options.json) cli.outJson({ output: written!.path, width: reversed.image.width, height: reversed.image.height, colours: reversed.palette.count });
          else cli.out(`wrote ${written!.path} (${reversed.image.width}x${reversed.image.height}, ${reversed.palette.count / reversed.coloursPerPalette} sub-palettes)`);
          return;
        }
        if (!png) throw new UsageError('give the PNG to convert (or --reverse)');
        if (options.like !== undefined && options.like !== 'superfamiconv' && options.like !== 'rgbgfx') throw new UsageError(`--like must be superfamiconv or rgbgfx (got "${options.like}")`);
        const convertOptions: ConvertOptions = {
          target: consoleName,
          ...(bpp === undefined ? {} : { bpp }),
          ...(options.sprite ? { sprite: true } : {}),
          ...(options.flip === false ? { noFlip: true } : {}),
          ...(options.dedupe === false ? { noDedupe: true } : {}),
          ...(options.palettes === undefined ? {} : { palettes: integerOption(options.palettes, '--palettes', 1, 256)! }),
          ...(options.colorsPerPalette === undefined ? {} : { coloursPerPalette: integerOption(options.colorsPerPalette, '--colors-per-palette', 2, 256)! }),
          ...(options.tileBase === undefined ? {} : { tileBase: integerOption(options.tileBase, '--tile-base', 0, 4095)! }),
          ...(options.paletteBase === undefined ? {} : { paletteBase: integerOption(options.paletteBase, '--palette-base', 0, 4095)! }),
          ...(options.mapFormat === undefined ? {} : { mapFormat: mapFormat(options.mapFormat)! }),
          ...(options.like === undefined ? {} : { like: options.like }),
        };
        const result = convertImage(decodePng(readInputFile(png, 'PNG', maximumPngFileSizeInBytes)), convertOptions);
        const files = [
          { path: outputPath(options.output, 'tiles.bin'), data: result.tiles },
          { path: outputPath(options.output, 'map.bin'), data: result.map },
          { path: outputPath(options.output, 'palette.bin'), data: result.palette },
        ];
        if (result.attrmap) files.push({ path: outputPath(options.output, 'attrmap.bin'), data: result.attrmap });
        if (result.palmap) files.push({ path: outputPath(options.output, 'palmap.bin'), data: result.palmap });
        if (options.tilesetPng) {
          const sheet = renderIndexedImage(result.tileIndices, result.tileCount, {});
          const first = result.palettes[0] ?? [0];
          const rgb = new Uint8Array(result.coloursPerPalette * 3);
          first.forEach((c, i) => rgb.set([Math.max(c, 0) >> 16, (Math.max(c, 0) >> 8) & 0xff, Math.max(c, 0) & 0xff], i * 3));
          files.push({ path: options.tilesetPng, data: encodeIndexedPng(sheet, { rgb, count: result.coloursPerPalette }) });
        }
        const summary = report(result);
        if (options.report) files.push({ path: options.report, data: new TextEncoder().encode(JSON.stringify(summary, null, 2) + '\n') });
        writeFilesAtomic(files, { force: options.force });
        for (const warning of result.warnings) cli.logger.warn(warning);
        if (options.json) cli.outJson({ ...summary, files: files.map((f) => f.path) });
        else cli.out(`${result.tileCount} tiles, ${result.paletteCount} sub-palettes, ${result.mapWidth}x${result.mapHeight} map, ${result.flippedCells.length} flipped cells → ${files.map((f) => f.path).join(', ')}`);
      }),
    );
}
