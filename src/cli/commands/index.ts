import type { CommandModule } from '../main.js';

/** One top-level command: its name, its one-line description, and how to load the module that registers it. */
export interface CommandEntry {
  readonly name: string;
  readonly description: string;
  /** Imports the command's module only when the command is run (or all of them for `romgfx --help`). */
  readonly load: () => Promise<CommandModule>;
}

const rom = (): Promise<CommandModule> => import('./rom.js');
const demo = (): Promise<CommandModule> => import('./demo.js');
const patch = (): Promise<CommandModule> => import('./patch.js');
const defs = (): Promise<CommandModule> => import('./defs.js');
const codecs = (): Promise<CommandModule> => import('./codecs.js');
const gfx = (): Promise<CommandModule> => import('./gfx.js');
const convert = (): Promise<CommandModule> => import('./convert.js');
const thumbs = (): Promise<CommandModule> => import('./thumbs.js');
const inject = (): Promise<CommandModule> => import('./inject.js');
const scan = (): Promise<CommandModule> => import('./scan.js');
const version = (): Promise<CommandModule> => import('./version.js');
const serve = (): Promise<CommandModule> => import('./serve.js');

/**
 * Every top-level CLI command, in the order `romgfx --help` lists them. The table is all the
 * CLI loads at start-up: a run imports only the module of the command in its argv (start-up is
 * paid once per asset in a makefile). One module may register several commands; add a line
 * here (with the description the module gives) to add a command.
 */
export const commandTable: readonly CommandEntry[] = [
  { name: 'info', description: 'identify a ROM: platform, header, mapping, checksum, CRC-32 and SHA-1', load: rom },
  { name: 'checksum', description: 'verify the checksum, or write a copy with it fixed (--fix -o out)', load: rom },
  { name: 'addr', description: 'convert between bus addresses ($C0:1234, C0:1234; NES $8000, $03:8000, ppu:$1000) and ROM offsets (0x8120)', load: rom },
  { name: 'demo', description: 'build a demo ROM (art drawn by romgfx itself) and run extract, edit, inject, thumbnails and scan on it', load: demo },
  { name: 'patch', description: 'create and apply IPS and BPS patches', load: patch },
  { name: 'defs', description: 'game definition files: validate, check against a ROM, match a ROM, import from SpritePal', load: defs },
  { name: 'decompress', description: 'decompress a block from a ROM or any file and print its packed and unpacked sizes', load: codecs },
  { name: 'compress', description: 'compress a file with one codec', load: codecs },
  { name: 'codecs', description: "list the codecs: levels (accurate = byte-exact with the game maker's compressor, where present), default level, platforms", load: codecs },
  { name: 'extract', description: 'decode raw (or --codec compressed) tiles from a ROM to an indexed PNG', load: gfx },
  { name: 'render', description: 'render loose tile data (optionally through a tilemap) to an indexed PNG', load: gfx },
  { name: 'dump', description: 'SNES VRAM + CGRAM + OAM dumps → one PNG per visible sprite and a composite (siblings found by emulator naming)', load: gfx },
  { name: 'import', description: 'convert a PNG back to tile bytes (indexed PNGs keep their indices; RGB is matched to --palette)', load: gfx },
  { name: 'formats', description: 'list the tile formats', load: gfx },
  { name: 'convert', description: 'PNG → deduplicated tiles + map + packed sub-palettes (or --reverse: back to a PNG)', load: convert },
  { name: 'thumbs', description: 'render thumbnails of graphics blocks (from --block, --scan-results or --defs) into a folder, through the worker pool and cache', load: thumbs },
  { name: 'cache', description: 'the thumbnail disk cache: stats, clear, verify', load: thumbs },
  { name: 'inject', description: 'put an edited PNG back: re-pack at the best level, write in place or relocate and repoint, fix the checksum, verify', load: inject },
  { name: 'inject-all', description: 'inject every changed sprite of an extract-all folder in one transaction (all or nothing, one checksum fix, one verify)', load: inject },
  { name: 'extract-all', description: 'extract every sprite of a game definition to an indexed PNG plus a sidecar JSON (what inject-all reads)', load: inject },
  { name: 'scan', description: 'find compressed and raw graphics: try every offset, keep clean streams, score them as tiles, rank', load: scan },
  { name: 'serve', description: 'serve a web page to browse ROM graphics (tile viewer, scan gallery, sprite editor round trip) until Ctrl-C', load: serve },
  { name: 'version', description: 'print the engine version and whether the native (C++) kernels are in use', load: version },
];

/** The distinct command modules, each once, in table order (for `romgfx --help`, which lists them all). */
export function allCommandLoaders(): (() => Promise<CommandModule>)[] {
  return [...new Set(commandTable.map((entry) => entry.load))];
}
