import { Command, CommanderError } from 'commander';
import { Cli, type CliStreams } from './context.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { commandModules } from './commands/index.js';
import { ENGINE_VERSION } from '../version.js';

/** A command module adds one or more subcommands to the program. */
export interface CommandModule {
  register(program: Command, cli: Cli): void;
}

export function buildProgram(cli: Cli): Command {
  const program = new Command();
  program
    .name('romgfx')
    .description('ROM graphics: extract, inject, compress, scan and preview sprites (SNES, GB/GBC, GBA, NES, Mega Drive)')
    .version(ENGINE_VERSION, '-V, --version-number', 'print the version number')
    .option('-v, --verbose', 'log debug detail to stderr')
    .option('-q, --quiet', 'log only errors; no progress bars')
    .showHelpAfterError('(run romgfx --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => cli.streams.stdout.write(s),
      writeErr: (s) => cli.streams.stderr.write(s),
    });
  cli.attach(program);
  for (const mod of commandModules) mod.register(program, cli);
  // Subcommands inherit the exit override and output routing.
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput({ writeOut: (s) => cli.streams.stdout.write(s), writeErr: (s) => cli.streams.stderr.write(s) });
  }
  return program;
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: readonly string[], streams: CliStreams = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const cli = new Cli(streams);
  const program = buildProgram(cli);
  try {
    await program.parseAsync([...argv], { from: 'user' });
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
