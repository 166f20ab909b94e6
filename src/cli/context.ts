import type { Command } from 'commander';
import { createLogger, type Logger } from '../log.js';
import { InternalError, isRomgfxError, type RomgfxError } from '../errors.js';
import { exitCodeFor, EXIT_OK } from './exit-codes.js';
import { runWithProtectedInputs } from '../util/files.js';

function roundElapsed(key: string, value: unknown): unknown {
  return key === 'elapsedMs' && typeof value === 'number' ? Math.round(value) : value;
}

/** Where the CLI writes; injectable so tests can run commands in-process. */
export interface CliStreams {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
}

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  verbose?: boolean;
  quiet?: boolean;
}

/** What a command action returns: its exit code (0 unless a batch partly failed). */
export type CommandResult = number | void;

/**
 * Shared services for command modules: output, logging and the error → exit-code path.
 * Commands stay thin: parse options, call the public API, print.
 */
export class Cli {
  readonly streams: CliStreams;
  #logger: Logger | undefined;
  #exitCode = EXIT_OK;
  #program: Command | undefined;

  constructor(streams: CliStreams) {
    this.streams = streams;
  }

  attach(program: Command): void {
    this.#program = program;
  }

  get exitCode(): number {
    return this.#exitCode;
  }

  get logger(): Logger {
    if (!this.#logger) {
      const globals = (this.#program?.opts() ?? {}) as GlobalOptions;
      const level = globals.quiet ? 'error' : globals.verbose ? 'debug' : 'warn';
      this.#logger = createLogger({ level, name: 'romgfx' });
    }
    return this.#logger;
  }

  /** True when progress bars may be drawn: stderr is a terminal and output is not JSON. */
  progressAllowed(json: boolean | undefined): boolean {
    const globals = (this.#program?.opts() ?? {}) as GlobalOptions;
    return !json && !globals.quiet && this.streams.stderr.isTTY === true;
  }

  out(line: string): void {
    this.streams.stdout.write(line.endsWith('\n') ? line : line + '\n');
  }

  /** Prints `value` as JSON. Durations named `elapsedMs` are whole milliseconds (sub-millisecond digits are noise). */
  outJson(value: unknown): void {
    this.streams.stdout.write(JSON.stringify(value, roundElapsed, 2) + '\n');
  }

  warn(line: string): void {
    this.streams.stderr.write(`romgfx: ${line}\n`);
  }

  /**
   * Wraps a command action: runs it, turns a thrown error into one clear stderr line (and a
   * JSON error object on stdout with --json), and records the exit code.
   */
  action<A extends unknown[]>(fn: (...args: A) => Promise<CommandResult> | CommandResult): (...args: A) => Promise<void> {
    return async (...args: A) => {
      try {
        // Positional arguments name the command's input files: no output may replace one.
        const files = args.flatMap((a) => (typeof a === 'string' ? [a] : Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : []));
        const code = await runWithProtectedInputs(files, () => fn(...args));
        if (typeof code === 'number') this.#exitCode = code;
      } catch (error) {
        const json = args.some((a) => a !== null && typeof a === 'object' && (a as { json?: unknown }).json === true);
        this.fail(error, json);
      }
    };
  }

  fail(error: unknown, json: boolean): void {
    const known: RomgfxError = isRomgfxError(error)
      ? error
      : new InternalError(`unexpected failure: ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error });
    this.streams.stderr.write(`romgfx: error ${known.code}: ${known.message}\n`);
    if (known.category === 'internal' && error instanceof Error && error.stack) this.logger.debug({ stack: error.stack }, 'stack');
    if (json) this.outJson(known.toJSON());
    this.#exitCode = exitCodeFor(known.category);
  }
}

/** Adds one command (its options and action) to the program. */
export type CommandRegistrar = (program: Command, cli: Cli) => void;

/**
 * Runs the registrars of a command module: all of them, or those of the commands in `only`. A
 * run of one command registers that one: commander's options cost a run ~1 ms for the five
 * graphics commands (timed in the process; issue #18, start-up).
 */
export function registerCommands(program: Command, cli: Cli, registrars: Readonly<Record<string, CommandRegistrar>>, only?: ReadonlySet<string>): void {
  for (const [name, registrar] of Object.entries(registrars)) if (only === undefined || only.has(name)) registrar(program, cli);
}
