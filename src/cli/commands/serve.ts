/** `romgfx serve`: browse ROM graphics in the browser (src/serve/, docs/serve.md). */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import { UsageError } from '../../errors.js';
import { startServer, defaultServeHost, defaultServePort } from '../../serve/server.js';
import { defaultCacheDirectory } from '../../thumbs/disk-cache.js';

interface ServeCommandOptions {
  defs?: string[];
  port: string;
  host: string;
  root?: string;
  token?: string;
  open?: boolean;
  openWith?: string;
  out?: string;
  threads?: string;
  cacheDir?: string;
  cache?: boolean;
}

/**
 * The command that opens the page: `--open-with <command>`, else $BROWSER (the usual convention;
 * its first entry when it is a colon-separated list), else the platform's own opener.
 */
export function openerCommand(openWith: string | undefined, browserVariable: string | undefined): string {
  if (openWith !== undefined && openWith.trim() !== '') return openWith;
  const fromEnvironment = browserVariable?.split(':')[0]?.trim();
  if (fromEnvironment) return fromEnvironment;
  return process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds `romgfx serve`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('serve')
    .description('serve a web page to browse ROM graphics (tile viewer, scan gallery, sprite editor round trip) until Ctrl-C')
    .argument('[rom...]', 'ROMs to serve')
    .option('--defs <game.json>', 'a game definition (repeatable); ROMs it recognises get the sprite view', collect)
    .option('--port <n>', 'port (0: any free one)', String(defaultServePort))
    .option('--host <host>', 'address to bind (anything but loopback needs --token)', defaultServeHost)
    .option('--root <dir>', 'also serve the ROMs and .json definitions in this folder')
    .option('--token <t>', 'token for state-changing requests (default: random per start)')
    .option('--open', 'open the page in a browser: $BROWSER, else the system opener (xdg-open, open, explorer)')
    .option('--open-with <command>', 'open the page with this command (given the URL as its one argument); implies --open')
    .option('--out <dir>', 'folder for edited ROMs and patches (default: a new temp folder)')
    .option('--threads <n>', 'thumbnail worker threads')
    .option('--cache-dir <dir>', 'thumbnail disk cache folder')
    .option('--no-cache', 'no thumbnail disk cache (memory only)')
    .action(
      cli.action(async (roms: string[], options: ServeCommandOptions) => {
        if (!/^\d{1,5}$/u.test(options.port) || Number(options.port) > 65535) throw new UsageError(`--port must be 0-65535 (got "${options.port}")`);
        if (options.threads !== undefined && (!/^\d{1,2}$/u.test(options.threads) || Number(options.threads) < 1)) throw new UsageError(`--threads must be 1-99 (got "${options.threads}")`);
        if (roms.length === 0 && options.root === undefined) throw new UsageError('give at least one ROM, or --root <dir>');
        const running = await startServer({
          roms,
          definitions: options.defs ?? [],
          ...(options.root !== undefined ? { root: options.root } : {}),
          port: Number(options.port),
          host: options.host,
          ...(options.token !== undefined ? { token: options.token } : {}),
          ...(options.out !== undefined ? { outputDirectory: options.out } : {}),
          ...(options.threads !== undefined ? { threads: Number(options.threads) } : {}),
          diskCache: options.cache === false ? false : { directory: options.cacheDir ?? defaultCacheDirectory() },
          logger: cli.logger,
        });
        cli.out(`romgfx serve: ${running.url}  (${running.library.roms.size} ROM(s); outputs in ${running.outputDirectory}; Ctrl-C stops)`);
        if (options.open === true || options.openWith !== undefined) {
          const opener = openerCommand(options.openWith, process.env.BROWSER);
          // No shell: the URL is one argument, whatever it holds.
          spawn(opener, [running.url], { stdio: 'ignore', detached: true }).on('error', (error) => cli.warn(`--open: cannot run "${opener}": ${error.message}`)).unref();
        }
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolve();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        await running.close();
        cli.out('romgfx serve: stopped');
        return EXIT_OK;
      }),
    );
}
