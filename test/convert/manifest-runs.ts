/**
 * Turns a run of fixtures/convert/manifest.json (SuperFamiconv or rgbgfx argv) into the
 * romgfx call that should give the same bytes. Written from the tools' option tables
 * (convert.md §1.13, §2.8).
 */
import { readFileSync } from 'node:fs';
import type { ConvertOptions, ConvertTarget } from '../../src/convert/index.js';

export const fixtureRoot = new URL('../../fixtures/convert/', import.meta.url);

export interface ManifestOutput {
  path: string;
  kind: string;
  bytes: number;
  sha256: string;
  decoded?: { png_mode: string; width: number; height: number; rgba_sha256: string };
}

export interface ManifestRun {
  id: string;
  case: string;
  tool: 'superfamiconv' | 'rgbgfx';
  option_set: string;
  argv: string[];
  outputs: ManifestOutput[];
  declared_outputs: string[];
  exit_code: number;
  expect: 'ok' | 'error';
  stdout: string;
  stderr: string;
}

export function loadManifest(): ManifestRun[] {
  return (JSON.parse(readFileSync(new URL('manifest.json', fixtureRoot), 'utf8')) as { runs: ManifestRun[] }).runs;
}

export function fixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(path, fixtureRoot)));
}

/** A shorthand/convert run: input PNG + options; `files` maps output kind → path given in argv. */
export interface ConvertCall {
  kind: 'convert';
  input: string;
  options: ConvertOptions;
  files: Record<string, string>;
}

/** SuperFamiconv sub-command runs (palette / tiles / map / render tiles). */
export interface SubcommandCall {
  kind: 'sfc-palette' | 'sfc-tiles' | 'sfc-map' | 'sfc-render-tiles';
  args: Map<string, string | true>;
  target: ConvertTarget;
}

/** rgbgfx -r runs. */
export interface RgbgfxReverseCall {
  kind: 'rgbgfx-reverse';
  widthInTiles: number;
  args: Map<string, string | true>;
  output: string;
  options: ConvertOptions;
}

function parseArgs(argv: readonly string[], flags: ReadonlySet<string>): { args: Map<string, string | true>; positional: string[] } {
  const args = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('-')) {
      if (flags.has(a)) args.set(a, true);
      else args.set(a, argv[++i]!);
    } else positional.push(a);
  }
  return { args, positional };
}

const sfcFlags = new Set(['-F', '-D', '-S', '-R', '-v']);
const rgbgfxFlags = new Set(['-u', '-m', '-X', '-Y', '-Z']);

function int(text: string): number {
  return text.startsWith('0x') ? parseInt(text.slice(2), 16) : parseInt(text, 10);
}

function hexColour(text: string): number {
  return parseInt(text.replace('#', '').slice(0, 6), 16);
}

export function callFor(run: ManifestRun): ConvertCall | SubcommandCall | RgbgfxReverseCall {
  const argv = run.argv.slice(1);
  if (run.tool === 'superfamiconv') {
    const sub = ['palette', 'tiles', 'map'].includes(argv[0]!) ? argv.shift()! : undefined;
    const { args } = parseArgs(argv, sfcFlags);
    const target = (args.get('-M') as ConvertTarget | undefined) ?? 'snes';
    if (sub === 'tiles' && args.has('-n')) return { kind: 'sfc-render-tiles', args, target };
    if (sub) return { kind: `sfc-${sub}` as SubcommandCall['kind'], args, target };
    const colourZero = args.get('-color-zero') ?? args.get('--color-zero');
    const options: ConvertOptions = {
      target,
      like: 'superfamiconv',
      ...(args.has('-B') ? { bpp: int(args.get('-B') as string) } : {}),
      ...(args.has('-F') ? { noFlip: true } : {}),
      ...(args.has('-D') ? { noDedupe: true } : {}),
      ...(args.has('-S') ? { sprite: true } : {}),
      ...(args.has('-T') ? { tileBase: int(args.get('-T') as string) } : {}),
      ...(args.has('-P') ? { paletteBase: int(args.get('-P') as string) } : {}),
      ...(typeof colourZero === 'string' ? { colourZero: colourZero.length === 8 && colourZero.endsWith('00') ? ('transparent' as const) : hexColour(colourZero) } : {}),
      ...(args.has('-W') ? { tileSize: int(args.get('-W') as string) } : {}),
      ...(args.has('-R') ? { noRemap: true } : {}),
    } as ConvertOptions;
    return { kind: 'convert', input: args.get('-i') as string, options, files: { pal: args.get('-p') as string, tiles: args.get('-t') as string, map: args.get('-m') as string } };
  }
  const { args, positional } = parseArgs(argv, rgbgfxFlags);
  const flips = args.has('-m') ? 'both' : args.has('-X') ? 'h' : args.has('-Y') ? 'v' : 'none';
  const colourSpec = args.get('-c') as string | undefined;
  const options: ConvertOptions = {
    target: 'gbc',
    like: 'rgbgfx',
    flips,
    noDedupe: !(args.has('-u') || flips !== 'none'),
    ...(args.has('-d') ? { bpp: int(args.get('-d') as string) } : {}),
    ...(args.has('-s') ? { coloursPerPalette: int(args.get('-s') as string) } : {}),
    ...(args.has('-n') ? { palettes: int(args.get('-n') as string) } : {}),
    ...(args.has('-l') ? { paletteBase: int(args.get('-l') as string) } : {}),
    ...(args.has('-Z') ? { columnMajor: true } : {}),
    ...(args.has('-x') ? { trimTiles: int(args.get('-x') as string) } : {}),
    ...(args.has('-b') ? { bankBases: ((b) => [b[0]!, b[1] ?? 0] as const)((args.get('-b') as string).split(',').map(int)) } : {}),
    ...(args.has('-N') ? { tilesPerBank: ((b) => [b[0]!, b[1] ?? 0] as const)((args.get('-N') as string).split(',').map(int)) } : {}),
    ...(colourSpec === 'embedded' ? { embeddedPalette: true } : {}),
    ...(colourSpec?.startsWith('dmg') ? { dmgRegister: colourSpec === 'dmg' ? 0xe4 : int('0x' + colourSpec.slice(4)) } : {}),
    ...(colourSpec?.startsWith('#') ? { explicitPalettes: colourSpec.split(';').map((p) => p.split(',').map((c) => (c === '#none' ? -1 : hexColour(c)))) } : {}),
  } as ConvertOptions;
  if (colourSpec?.startsWith('gbc:')) {
    const bytes = fixtureBytes(colourSpec.slice(4));
    const per = 1 << (options.bpp ?? 2);
    const pals: number[][] = [];
    for (let i = 0; i < bytes.length / 2; i += per) {
      const pal: number[] = [];
      for (let j = i; j < i + per && j < bytes.length / 2; j++) {
        const w = bytes[j * 2]! | (bytes[j * 2 + 1]! << 8);
        if (w >= 0x8000) continue;
        const e = (v: number): number => (v << 3) | (v >> 2);
        pal.push((e(w & 31) << 16) | (e((w >> 5) & 31) << 8) | e((w >> 10) & 31));
      }
      pals.push(pal);
    }
    (options as { explicitPalettes?: number[][] }).explicitPalettes = pals;
  }
  if (args.has('-r')) return { kind: 'rgbgfx-reverse', widthInTiles: int(args.get('-r') as string), args, output: positional[0]!, options };
  return {
    kind: 'convert',
    input: positional[0]!,
    options,
    files: { tiles: args.get('-o') as string, map: args.get('-t') as string, attrmap: args.get('-a') as string, pal: args.get('-p') as string, palmap: args.get('-q') as string },
  };
}
