/**
 * Start-up structure (issue #18): a command loads only what it uses. Not a timing test: it
 * checks which packages a process loaded (through a --require preload that lists require.cache
 * at exit), that the lazy command table agrees with the modules it loads, that the CLI runs as
 * CommonJS without Node's ES-module loader, and that V8 takes the build's code cache (and
 * ignores a bad one).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { binPath, repoRoot, runCli, tempDir } from '../helpers/cli.js';
import { commandTable } from '../../src/cli/commands/index.js';
import { buildProgram, commandsFor } from '../../src/cli/main.js';
import { Cli } from '../../src/cli/context.js';
import { buildSnesRom } from '../../src/rom/build.js';
import { encodeIndexedPng } from '../../src/gfx/png.js';
import { grayscalePalette } from '../../src/gfx/palette.js';
import { getCodec, listCodecs } from '../../src/codecs/registry.js';

const preload = join(repoRoot, 'test', 'cli', 'loaded-packages.cjs');
/** Packages a light command must not load: image encoding, the worker pool, the logger, node-pre-gyp. */
const heavyPackages = ['sharp', 'piscina', 'pino', '@mapbox/node-pre-gyp'];

/** Node built-ins that cost 5–20 ms each to load and that a light command has no use for. */
const heavyBuiltins = ['crypto', 'child_process', 'worker_threads', 'http', 'net'];

function loadedPackages(args: string[], env: NodeJS.ProcessEnv = {}): { code: number; packages: string[]; addons: string[]; builtins: string[]; bundleFiles: string[]; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--require', preload, binPath, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  const list = (marker: string): string[] => {
    const line = result.stderr.split('\n').find((l) => l.startsWith(`${marker} `));
    if (!line) throw new Error(`no ${marker} from romgfx ${args.join(' ')}: ${result.stderr}`);
    return JSON.parse(line.slice(marker.length + 1)) as string[];
  };
  return {
    code: result.status ?? -1,
    packages: list('ROMGFX_LOADED_PACKAGES'),
    addons: list('ROMGFX_LOADED_ADDONS'),
    builtins: list('ROMGFX_LOADED_BUILTINS'),
    bundleFiles: list('ROMGFX_LOADED_BUNDLE_FILES'),
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

describe('start-up loads only what the command uses', () => {
  const work = tempDir('romgfx-startup-');
  beforeAll(() => {
    writeFileSync(join(work.path, 'game.sfc'), buildSnesRom({ mapping: 'lorom' }));
    const pixels = new Uint8Array(256 * 256).map((_, i) => (i >> 3) & 15);
    writeFileSync(join(work.path, 'sheet.png'), encodeIndexedPng({ width: 256, height: 256, pixels }, grayscalePalette(4)));
    writeFileSync(join(work.path, 'block.hal'), getCodec('hal').compress(pixels.subarray(0, 4096)));
  });
  afterAll(() => work.cleanup());

  it('version loads neither sharp, piscina, pino nor node-pre-gyp', () => {
    const run = loadedPackages(['version']);
    expect(run.code, run.stderr).toBe(0);
    for (const name of heavyPackages) expect(run.packages).not.toContain(name);
    // The check itself works: the thumbs command does load the worker pool.
    expect(loadedPackages(['thumbs', '--help']).packages).toContain('piscina');
  });

  it('info, import and decompress load none of them either', () => {
    const runs = [
      loadedPackages(['info', join(work.path, 'game.sfc')]),
      loadedPackages(['import', join(work.path, 'sheet.png'), '--format', 'snes4bpp', '-o', join(work.path, 'sheet.bin'), '--force']),
      loadedPackages(['decompress', join(work.path, 'block.hal'), '--codec', 'hal']),
    ];
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      for (const name of heavyPackages) expect(run.packages).not.toContain(name);
    }
  });

  it('commands that map nothing load no mmap-io, and info (plain reads) only our addon, for its digests', () => {
    // info hashes every byte, so it reads the file; decompress and import read small files whole.
    const info = loadedPackages(['info', join(work.path, 'game.sfc')]);
    expect(info.code, info.stderr).toBe(0);
    expect(info.addons).toEqual(['romgfx_native.node']);
    expect(info.packages).not.toContain('@riaskov/mmap-io');
    const others = [
      loadedPackages(['import', join(work.path, 'sheet.png'), '--format', 'snes4bpp', '-o', join(work.path, 'sheet2.bin'), '--force']),
      loadedPackages(['decompress', join(work.path, 'block.hal'), '--codec', 'hal']),
    ];
    for (const run of others) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.addons).not.toContain('mmap_io.node');
      expect(run.packages).not.toContain('@riaskov/mmap-io');
    }
    // A small block decodes in TypeScript: no addon at all. A PNG inflates with ours (not node:zlib).
    expect(others[1]!.addons).toEqual([]);
    expect(others[0]!.addons).toEqual(['romgfx_native.node']);
    // The check itself works: a command that maps a ROM (version reports the mapping guard) loads both.
    expect(loadedPackages(['version']).addons).toEqual(['mmap_io.node', 'romgfx_native.node']);
  });

  it('import of one PNG loads our addon (its inflate, then its tile encoder), none with ROMGFX_NATIVE=0, and a batch the same, with the same bytes', () => {
    const one = loadedPackages(['import', join(work.path, 'sheet.png'), '--format', 'snes4bpp', '-o', join(work.path, 'one.bin'), '--force']);
    expect(one.code, one.stderr).toBe(0);
    expect(one.addons).toEqual(['romgfx_native.node']);
    const typescript = loadedPackages(['import', join(work.path, 'sheet.png'), '--format', 'snes4bpp', '-o', join(work.path, 'one-ts.bin'), '--force'], { ...process.env, ROMGFX_NATIVE: '0' });
    expect(typescript.code, typescript.stderr).toBe(0);
    expect(typescript.addons).toEqual([]);
    expect(readFileSync(join(work.path, 'one-ts.bin')).equals(readFileSync(join(work.path, 'one.bin')))).toBe(true);
    const folder = join(work.path, 'batch');
    mkdirSync(folder, { recursive: true });
    const inputs = Array.from({ length: 8 }, (_, i) => join(work.path, 'sheet.png')).map((path, i) => {
      const copy = join(folder, `sheet${i}.png`);
      writeFileSync(copy, readFileSync(path));
      return copy;
    });
    const batch = loadedPackages(['import', ...inputs, '--format', 'snes4bpp', '-o', join(work.path, 'batch-out'), '--force']);
    expect(batch.code, batch.stderr).toBe(0);
    expect(batch.addons).toEqual(['romgfx_native.node']);
    const expected = readFileSync(join(work.path, 'one.bin'));
    for (let i = 0; i < 8; i++) expect(readFileSync(join(work.path, 'batch-out', `sheet${i}.bin`)).equals(expected)).toBe(true);
  });

  it('version, import, decompress and info load none of the costly Node built-ins (crypto, child_process, worker_threads, http, net), and version, import and info not zlib (nor stream)', () => {
    const runs = {
      version: loadedPackages(['version']),
      import: loadedPackages(['import', join(work.path, 'sheet.png'), '--format', 'snes4bpp', '-o', join(work.path, 'sheet3.bin'), '--force']),
      decompress: loadedPackages(['decompress', join(work.path, 'block.hal'), '--codec', 'hal', '-o', join(work.path, 'block.bin'), '--force']),
    };
    for (const [name, run] of Object.entries(runs)) {
      expect(run.code, run.stderr).toBe(0);
      for (const builtin of heavyBuiltins) expect(run.builtins, `${name} loaded node:${builtin}`).not.toContain(builtin);
    }
    expect(runs.version.builtins).not.toContain('zlib');
    // import reads a PNG: its IDAT inflates with our addon's zlib, not node:zlib, whose loading
    // compiles node:stream and ~20 internal stream modules (~5 ms); no deflate is written.
    expect(runs.import.builtins).not.toContain('zlib');
    expect(runs.import.builtins).not.toContain('stream');
    // The check itself works: with the addon off the PNG inflates with node:zlib, which loads both,
    // and the tile bytes are the same.
    const nodeZlibRun = loadedPackages(['import', join(work.path, 'sheet.png'), '--format', 'snes4bpp', '-o', join(work.path, 'sheet4.bin'), '--force'], { ...process.env, ROMGFX_NATIVE: '0' });
    expect(nodeZlibRun.code, nodeZlibRun.stderr).toBe(0);
    expect(nodeZlibRun.builtins).toContain('zlib');
    expect(nodeZlibRun.builtins).toContain('stream');
    expect(readFileSync(join(work.path, 'sheet4.bin')).equals(readFileSync(join(work.path, 'sheet3.bin')))).toBe(true);
    // info takes the ROM's SHA-1, CRC-32 and checksum sum from our addon, so neither node:crypto
    // nor node:zlib (nor any other costly built-in)...
    const info = loadedPackages(['info', join(work.path, 'game.sfc')]);
    expect(info.code, info.stderr).toBe(0);
    for (const builtin of [...heavyBuiltins, 'zlib', 'stream']) expect(info.builtins, `info loaded node:${builtin}`).not.toContain(builtin);
    // ...but without the addon it falls back to both, with the same output.
    const fallback = loadedPackages(['info', join(work.path, 'game.sfc')], { ROMGFX_NATIVE: '0' });
    expect(fallback.code, fallback.stderr).toBe(0);
    expect(fallback.addons).toEqual([]);
    expect(fallback.builtins).toContain('crypto');
    expect(fallback.builtins).toContain('zlib');
    expect(fallback.stdout).toBe(info.stdout);
  });

  it('extract of one sprite writes its PNG with the addon\'s deflate: no node:zlib, no node:stream (node:zlib with ROMGFX_NATIVE=0, the same PNG)', () => {
    const args = (out: string) => ['extract', join(work.path, 'game.sfc'), '--offset', '0x0', '--format', 'snes4bpp', '--tiles', '16', '-o', join(work.path, out), '--force'];
    const run = loadedPackages(args('sprite.png'));
    expect(run.code, run.stderr).toBe(0);
    for (const builtin of [...heavyBuiltins, 'zlib', 'stream']) expect(run.builtins, `extract loaded node:${builtin}`).not.toContain(builtin);
    const fallback = loadedPackages(args('sprite-node.png'), { ...process.env, ROMGFX_NATIVE: '0' });
    expect(fallback.code, fallback.stderr).toBe(0);
    expect(fallback.builtins).toContain('zlib');
    expect(readFileSync(join(work.path, 'sprite-node.png')).equals(readFileSync(join(work.path, 'sprite.png')))).toBe(true);
  });
});

/**
 * A piece of each codec's description as the bundle spells it: its longest run of plain ASCII
 * (esbuild escapes other characters), which only that codec's module holds (the catalog the
 * option help reads has names, not descriptions).
 */
function codecMarkers(): Map<string, string> {
  const markers = new Map<string, string>();
  for (const codec of listCodecs()) {
    const runs = codec.description.match(/[\x20-\x21\x23-\x5b\x5d-\x7e]+/gu) ?? [];
    markers.set(codec.name, runs.reduce((longest, run) => (run.length > longest.length ? run : longest), ''));
  }
  return markers;
}

/** Which codecs' modules a run compiled: the codecs whose marker is in a file of the bundle it loaded. */
function loadedCodecModules(args: string[]): { code: number; codecs: string[]; stderr: string } {
  const run = loadedPackages(args);
  // The bundle cuts long lines (esbuild lineLimit), inside a string with a backslash-newline,
  // which adds nothing to the string: drop those to find a description cut in two.
  const text = run.bundleFiles.map((file) => readFileSync(file, 'utf8')).join('\n').replaceAll('\\\n', '');
  const codecs = [...codecMarkers()].filter(([, marker]) => text.includes(marker)).map(([name]) => name);
  return { code: run.code, codecs, stderr: run.stderr };
}

describe('the codecs a run compiles', () => {
  const work = tempDir('romgfx-startup-codecs-');
  beforeAll(() => {
    const pixels = new Uint8Array(4096).map((_, i) => (i >> 3) & 15);
    writeFileSync(join(work.path, 'block.hal'), getCodec('hal').compress(pixels));
    writeFileSync(join(work.path, 'plain.bin'), pixels);
  });
  afterAll(() => work.cleanup());

  it('each codec has a marker of its own, long enough not to match by chance', () => {
    const markers = [...codecMarkers().values()];
    for (const marker of markers) expect(marker.length).toBeGreaterThanOrEqual(12);
    for (const marker of markers) expect(markers.filter((other) => other.includes(marker) || marker.includes(other))).toEqual([marker]);
  });

  it('decompress --codec hal and compress --codec lz77 compile only that codec (module); codecs (the list) compiles all of them', () => {
    const decompress = loadedCodecModules(['decompress', join(work.path, 'block.hal'), '--codec', 'hal']);
    expect(decompress.code, decompress.stderr).toBe(0);
    expect(decompress.codecs).toEqual(['hal']);
    const compress = loadedCodecModules(['compress', join(work.path, 'plain.bin'), '--codec', 'LZ77', '-o', join(work.path, 'plain.lz77'), '--force']);
    expect(compress.code, compress.stderr).toBe(0);
    // lz77 and lz11 are one module (src/codecs/gba/lz.ts).
    expect(compress.codecs).toEqual(['lz77', 'lz11']);
    // The check itself works: listing the codecs loads the registry, so every module.
    const list = loadedCodecModules(['codecs']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.codecs).toEqual(listCodecs().map((codec) => codec.name));
  });

  it('decompress loads our addon only for a batch of 64 inputs or more, with the same output', () => {
    const pixels = Buffer.from(new Uint8Array(4096).map((_, i) => (i >> 3) & 15));
    const batch = join(work.path, 'batch');
    mkdirSync(batch);
    const inputs = Array.from({ length: 64 }, (_, i) => join(batch, `block${i}.hal`));
    for (const input of inputs) writeFileSync(input, readFileSync(join(work.path, 'block.hal')));
    const one = loadedPackages(['decompress', inputs[0]!, '--codec', 'hal', '-o', join(work.path, 'one.out'), '--force']);
    const fewer = loadedPackages(['decompress', ...inputs.slice(1), '--codec', 'hal', '-o', join(work.path, 'fewer'), '--force']);
    const all = loadedPackages(['decompress', ...inputs, '--codec', 'hal', '-o', join(work.path, 'all'), '--force']);
    for (const run of [one, fewer, all]) expect(run.code, run.stderr).toBe(0);
    expect(one.addons).toEqual([]);
    expect(fewer.addons).toEqual([]);
    expect(all.addons).toEqual(['romgfx_native.node']);
    expect(readFileSync(join(work.path, 'one.out'))).toEqual(pixels);
    for (const output of readdirSync(join(work.path, 'all'))) expect(readFileSync(join(work.path, 'all', output)), output).toEqual(pixels);
    expect(readdirSync(join(work.path, 'all'))).toHaveLength(64);
  });

  it('decompress of a plain file at a plain offset compiles no ROM identification; a headered SNES ROM, a bus address or --platform do, with the bytes they gave before', () => {
    const plain = loadedChunkText(work.path, ['decompress', join(work.path, 'block.hal'), '--codec', 'hal', '-o', join(work.path, 'plain.out'), '--force']);
    expect(plain.code, plain.stderr).toBe(0);
    // The bundle's CommonJS transform keeps no file-name comments: modules are known by the functions they define.
    expect(plain.text).toContain('function plainBlockInput(');
    expect(plain.text).not.toContain('function openRom(');
    expect(plain.text).not.toContain('dist/src/rom/snes.js');
    expect(readFileSync(join(work.path, 'plain.out'))).toEqual(Buffer.from(new Uint8Array(4096).map((_, i) => (i >> 3) & 15)));
    // A SNES ROM with a copier header: offsets count from after the header, as identification says.
    const packed = readFileSync(join(work.path, 'block.hal'));
    const rom = buildSnesRom({ mapping: 'lorom' });
    rom.set(packed, 0x8000);
    const headered = new Uint8Array(512 + rom.length);
    headered.set(rom, 512);
    writeFileSync(join(work.path, 'game.smc'), headered);
    for (const [args, name] of [
      [['--offset', '0x8000'], 'headered.out'],
      [['--offset', '$01:8000'], 'bus.out'],
    ] as const) {
      const run = loadedChunkText(work.path, ['decompress', join(work.path, 'game.smc'), '--codec', 'hal', ...args, '-o', join(work.path, name), '--force']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.text).toContain('function openRom(');
      expect(readFileSync(join(work.path, name))).toEqual(readFileSync(join(work.path, 'plain.out')));
    }
    writeFileSync(join(work.path, 'game.sfc'), rom);
    const forced = loadedChunkText(work.path, ['decompress', join(work.path, 'game.sfc'), '--codec', 'hal', '--offset', '0x8000', '--platform', 'snes', '-o', join(work.path, 'forced.out'), '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.text).toContain('function openRom(');
    expect(readFileSync(join(work.path, 'forced.out'))).toEqual(readFileSync(join(work.path, 'plain.out')));
  });

  it('an unknown codec name is still refused with the list of codecs', () => {
    const run = runCli(['decompress', join(work.path, 'block.hal'), '--codec', 'zip']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('nemesis');
  });
});

/** The text of every bundle file (our code and what it bundles) a run loaded (loaded-packages.cjs lists them). */
function loadedChunkText(_folder: string, args: string[]): { code: number; text: string; stderr: string } {
  const run = loadedPackages(args);
  return { code: run.code, text: run.bundleFiles.map((file) => readFileSync(file, 'utf8')).join('\n'), stderr: run.stderr };
}

/** fast-png's decoder class, iobuffer's class and fflate's inflate, as the bundle defines them. */
const fflateOrFastPng = /\bPngDecoder ?= ?class\b|\bIOBuffer ?= ?class\b|\bvar inflt ?= ?/u;

describe('the PNG reader a run compiles', () => {
  const work = tempDir('romgfx-startup-png-');
  beforeAll(() => {
    const pixels = new Uint8Array(64 * 64).map((_, i) => (i >> 3) & 15);
    writeFileSync(join(work.path, 'sheet.png'), encodeIndexedPng({ width: 64, height: 64, pixels }, grayscalePalette(4)));
  });
  afterAll(() => work.cleanup());

  it('import of a PNG compiles neither fast-png nor fflate (zlib inflates: through our addon, else node:zlib)', () => {
    const run = loadedChunkText(work.path, ['import', join(work.path, 'sheet.png'), '--format', 'snes4bpp', '-o', join(work.path, 'sheet.bin'), '--force']);
    expect(run.code, run.stderr).toBe(0);
    // The bundle's CommonJS transform keeps no file-name comments: modules are known by the functions they define.
    expect(run.text).toContain('function readPngPixels(');
    expect(run.text).not.toMatch(fflateOrFastPng);
    // The check itself works: the bundle holds both (thumbs' contact sheet reads PNGs with fast-png), in chunks import does not load.
    const chunks = readdirSync(join(repoRoot, 'dist', 'cli', 'chunks')).map((name) => readFileSync(join(repoRoot, 'dist', 'cli', 'chunks', name), 'utf8'));
    expect(chunks.some((text) => /\bPngDecoder ?= ?class\b/u.test(text))).toBe(true);
    expect(chunks.some((text) => /\bvar inflt ?= ?/u.test(text))).toBe(true);
  });
});

describe('the lazy command table', () => {
  it('names every command its modules register, with the same descriptions, in help order', async () => {
    const program = await buildProgram(new Cli({ stdout: { write: () => true }, stderr: { write: () => true } }));
    const registered = program.commands.map((c: Command) => ({ name: c.name(), description: c.description() }));
    expect(registered).toEqual(commandTable.map((e) => ({ name: e.name, description: e.description })));
  });

  it('loads one module for a command, all of them for top-level help or an unknown name', () => {
    expect(commandsFor(['info', 'x.sfc']).map((e) => e.name)).toEqual(['info']);
    expect(commandsFor(['-q', 'help', 'extract']).map((e) => e.name)).toEqual(['extract']);
    expect(commandsFor(['--help'])).toBe(commandTable);
    expect(commandsFor([])).toBe(commandTable);
    expect(commandsFor(['extrct'])).toBe(commandTable);
    expect(commandsFor(['--version'])).toEqual([]);
  });

  it('registers only the command in argv, though its module holds more (gfx: extract, render, dump, import, formats)', async () => {
    const cli = () => new Cli({ stdout: { write: () => true }, stderr: { write: () => true } });
    const names = async (argv: string[]) => (await buildProgram(cli(), argv)).commands.map((c: Command) => c.name());
    expect(await names(['import', 'x.png', '--format', 'snes4bpp', '-o', 'x.bin'])).toEqual(['import']);
    expect(await names(['help', 'formats'])).toEqual(['formats']);
    expect(await names(['info', 'x.sfc'])).toEqual(['info']);
    expect(await names(['extrct'])).toEqual(commandTable.map((e) => e.name));
    // help of one command still shows that command's options.
    const help = runCli(['help', 'import']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--nearest');
  });
});

describe('help and version', () => {
  it('romgfx --version, -V and the old --version-number print the version', () => {
    for (const flag of ['--version', '-V', '--version-number']) {
      const run = runCli([flag]);
      expect(run.code, flag).toBe(0);
      expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/u);
    }
  });

  it('romgfx help <command> shows that command; --help lists every command', () => {
    const help = runCli(['help', 'extract']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: romgfx extract');
    expect(help.stdout).toContain('--palette-out');
    const all = runCli(['--help']);
    expect(all.code).toBe(0);
    for (const entry of commandTable) expect(all.stdout).toContain(entry.name);
  });

  it('a misspelt command gets a suggestion and exit 64', () => {
    const run = runCli(['extrcat']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/Did you mean extract\?/iu);
  });
});

/**
 * Runs `romgfx <argv>` in-process through bin/romgfx.js's loader (as the build's cache writer
 * does) in a plain `node`, and reports each bundle file it compiled with V8's verdict on its code
 * cache: false = offered and accepted, true = offered and rejected, null = none offered.
 */
function codeCacheVerdicts(bin: string, argv: string[], env: NodeJS.ProcessEnv = process.env): { code: number; stdout: string; files: Record<string, boolean | null> } {
  const script = `
    const { join, relative } = require('node:path');
    const launcher = require(${JSON.stringify(bin)});
    const { main } = launcher.loadBundleFile(join(launcher.bundleDir, 'main.js'), undefined);
    let stdout = '';
    main(${JSON.stringify(argv)}, { stdout: { write: (s) => ((stdout += s), true) }, stderr: { write: () => true } }).then((code) => {
      const files = {};
      for (const [file, compiled] of launcher.compiledScripts) files[relative(launcher.bundleDir, file)] = compiled.cachedDataRejected ?? null;
      process.stdout.write(JSON.stringify({ code, stdout, files }));
    });`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000, env });
  if (result.status !== 0) throw new Error(`code-cache probe failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { code: number; stdout: string; files: Record<string, boolean | null> };
}

/** A copy of the package's CLI (bin, dist/cli with its timestamps) in `root`, with the package's node_modules linked: its launcher's path. */
function copyOfTheCli(root: string): string {
  mkdirSync(root);
  cpSync(join(repoRoot, 'bin'), join(root, 'bin'), { recursive: true });
  cpSync(join(repoRoot, 'dist', 'cli'), join(root, 'dist', 'cli'), { recursive: true, preserveTimestamps: true });
  writeFileSync(join(root, 'package.json'), readFileSync(join(repoRoot, 'package.json')));
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  return join(root, 'bin', 'romgfx.js');
}

describe('the CommonJS launcher and the V8 code cache', () => {
  const work = tempDir('romgfx-startup-cjs-');
  beforeAll(() => {
    writeFileSync(join(work.path, 'game.sfc'), buildSnesRom({ mapping: 'lorom' }));
    writeFileSync(join(work.path, 'block.hal'), getCodec('hal').compress(new Uint8Array(4096).map((_, i) => (i >> 3) & 15)));
  });
  afterAll(() => work.cleanup());

  it('a command runs the bundle without Node\'s ES-module loader (nor the fs/promises it loads)', () => {
    for (const args of [['version'], ['info', join(work.path, 'game.sfc')], ['decompress', join(work.path, 'block.hal'), '--codec', 'hal']]) {
      const run = loadedPackages(args);
      expect(run.code, run.stderr).toBe(0);
      // The bundle ran (not tsc's dist/src), as CommonJS files.
      expect(run.bundleFiles.map((file) => relative(join(repoRoot, 'dist', 'cli'), file))).toContain('main.js');
      expect(run.builtins, args[0]).not.toContain('internal/modules/esm/module_job');
      expect(run.builtins, args[0]).not.toContain('fs/promises');
    }
  });

  it('every bundle file a common command compiles has a code cache, and this Node accepts it', () => {
    for (const argv of [['version'], ['info', join(work.path, 'game.sfc')], ['decompress', join(work.path, 'block.hal'), '--codec', 'hal']]) {
      const run = codeCacheVerdicts(binPath, argv);
      expect(run.code).toBe(0);
      expect(Object.keys(run.files)).toContain('main.js');
      for (const [file, rejected] of Object.entries(run.files)) expect(rejected, `${argv[0]}: ${file}`).toBe(false);
    }
    // ROMGFX_CODE_CACHE=0 offers none.
    const off = codeCacheVerdicts(binPath, ['version'], { ...process.env, ROMGFX_CODE_CACHE: '0' });
    expect(Object.values(off.files).every((verdict) => verdict === null)).toBe(true);
  });

  it('a corrupt code cache is rejected and one older than its file is not offered; the output is the same', () => {
    // A copy of the package's CLI (bin, dist/cli), so the caches can be spoilt.
    const root = join(work.path, 'copy');
    const bin = copyOfTheCli(root);
    const argv = ['info', join(work.path, 'game.sfc')];
    // As if the caches had been made in the copy (they are offered only where they were made).
    writeFileSync(join(root, 'dist', 'cli', 'v8-cache-origin'), join(root, 'dist', 'cli'));
    const good = codeCacheVerdicts(bin, argv);
    expect(good.code).toBe(0);
    const files = Object.keys(good.files);
    expect(files.length).toBeGreaterThan(1);
    for (const [file, rejected] of Object.entries(good.files)) expect(rejected, file).toBe(false);
    // Spoil every cache but main.js's (same length, other bytes), and make main.js newer than its cache.
    for (const file of files.filter((name) => name !== 'main.js')) {
      const cache = join(root, 'dist', 'cli', `${file}.v8-cache`);
      writeFileSync(cache, Buffer.from(readFileSync(cache)).map((byte) => byte ^ 0x5a));
    }
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'dist', 'cli', 'main.js'), later, later);
    const spoilt = codeCacheVerdicts(bin, argv);
    expect(spoilt.code).toBe(0);
    expect(spoilt.stdout).toBe(good.stdout);
    expect(spoilt.files['main.js']).toBeNull();
    for (const file of files.filter((name) => name !== 'main.js')) expect(spoilt.files[file], file).toBe(true);
    // And as a process, through the launcher.
    const result = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(good.stdout);
  });

  it('caches made in another folder are not offered (V8 would name the build\'s files in stack traces); the output is the same', () => {
    const root = join(work.path, 'moved');
    const bin = copyOfTheCli(root);
    const argv = ['info', join(work.path, 'game.sfc')];
    const moved = codeCacheVerdicts(bin, argv);
    expect(moved.code).toBe(0);
    expect(Object.keys(moved.files)).toContain('main.js');
    for (const [file, verdict] of Object.entries(moved.files)) expect(verdict, file).toBeNull();
    expect(moved.stdout).toBe(codeCacheVerdicts(binPath, argv).stdout);
    // A stack trace from the moved copy names its own files.
    const script = `const l = require(${JSON.stringify(bin)}); const m = l.loadBundleFile(require('node:path').join(l.bundleDir, 'main.js'));
      try { m.commandsFor(null); } catch (error) { process.stdout.write(error.stack); }`;
    const stack = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(stack.stdout).toContain(join(root, 'dist', 'cli', 'main.js'));
    // The check itself works: where the caches were made, they are offered and accepted.
    expect(readFileSync(join(repoRoot, 'dist', 'cli', 'v8-cache-origin'), 'utf8')).toBe(join(repoRoot, 'dist', 'cli'));
  });
});
