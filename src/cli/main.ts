import { Command, CommanderError } from 'commander';
import { Cli, type CliStreams } from './context.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { commandTable, allCommandLoaders, type CommandEntry } from './commands/index.js';
import { ENGINE_VERSION } from '../version.js';
import { processStreams } from './streams.js';

/** A command module adds one or more subcommands to the program: all of them, or those named in `only` (a module may register more). */
export interface CommandModule {
  register(program: Command, cli: Cli, only?: ReadonlySet<string>): void;
}

/** Options of the root program that take no value (so the first other word is the command). */
const rootFlags = new Set(['-v', '--verbose', '-q', '--quiet', '-V', '--version', '--version-number', '-h', '--help']);

/**
 * The table entries whose modules a run of `argv` needs: the command named in argv (or after
 * `help`), or every command when argv names none or an unknown one (top-level help lists them
 * all, and commander's "did you mean" needs them all).
 */
export function commandsFor(argv: readonly string[]): readonly CommandEntry[] {
  let index = 0;
  while (index < argv.length && rootFlags.has(argv[index]!)) index += 1;
  const leading = argv.slice(0, index);
  if (leading.some((a) => a === '-h' || a === '--help')) return commandTable;
  if (leading.some((a) => a === '-V' || a === '--version' || a === '--version-number')) return [];
  let name = argv[index];
  if (name === 'help') name = argv[index + 1];
  if (name === undefined) return commandTable;
  const entry = commandTable.find((e) => e.name === name);
  return entry ? [entry] : commandTable;
}

/**
 * Builds the program with the commands `argv` needs (all of them when argv is not given).
 * Only those commands' modules are imported: start-up is paid once per asset in a makefile.
 */
export async function buildProgram(cli: Cli, argv?: readonly string[]): Promise<Command> {
  const wanted = argv === undefined ? commandTable : commandsFor(argv);
  const loaders = wanted === commandTable ? allCommandLoaders() : [...new Set(wanted.map((entry) => entry.load))];
  const modules = await Promise.all(loaders.map((load) => load()));
  return assembleProgram(cli, modules, wanted === commandTable ? undefined : new Set(wanted.map((entry) => entry.name)));
}

function assembleProgram(cli: Cli, modules: readonly CommandModule[], only: ReadonlySet<string> | undefined): Command {
  const program = new Command();
  program
    .name('romgfx')
    .description('ROM graphics: extract, inject, compress, scan and preview sprites (SNES, GB/GBC, GBA, NES, Mega Drive)')
    .version(ENGINE_VERSION, '-V, --version', 'print the version number')
    .option('-v, --verbose', 'log debug detail to stderr')
    .option('-q, --quiet', 'log only errors; no progress bars')
    .showHelpAfterError('(run romgfx --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => cli.streams.stdout.write(s),
      writeErr: (s) => cli.streams.stderr.write(s),
    });
  cli.attach(program);
  for (const mod of modules) mod.register(program, cli, only);
  // Subcommands inherit the exit override and output routing.
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput({ writeOut: (s) => cli.streams.stdout.write(s), writeErr: (s) => cli.streams.stderr.write(s) });
  }
  return program;
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: readonly string[], streams: CliStreams = processStreams()): Promise<number> {
  const cli = new Cli(streams);
  // --version-number was the old spelling of --version (kept so scripts that used it still work).
  const args = argv.map((a) => (a === '--version-number' ? '--version' : a));
  try {
    const program = await buildProgram(cli, args);
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version print through commander and exit 0; everything else commander rejects is usage.
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
      return EXIT_USAGE;
    }
    cli.fail(error, argv.includes('--json'));
  }
  return cli.exitCode;
}
