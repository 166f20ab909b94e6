import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';

/**
 * The logger romgfx writes to: a pino logger (https://getpino.io). Pass your own (or a
 * `child()` of it) where an option takes `logger`; `silentLogger` discards everything.
 */
export type Logger = PinoLogger;

/** Options of `createLogger`: level, file descriptor and the name put on every line. */
export interface LoggerOptions {
  level?: LevelWithSilent;
  /** File descriptor to write to; 2 (stderr) by default, so stdout carries only results. */
  fd?: number;
  name?: string;
}

/**
 * A pino logger writing synchronously to a file descriptor.
 *
 * Synchronous on purpose: an asynchronous destination inside a Piscina worker lost lines at
 * pool shutdown (measured here), and the CLI exits right after its last line. pino checks the
 * level before formatting, so a disabled level costs one comparison.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    { level: options.level ?? 'warn', base: options.name ? { name: options.name } : null },
    pino.destination({ fd: options.fd ?? 2, sync: true }),
  );
}

/** A logger that discards everything: the default for library users who pass none. */
export const silentLogger: Logger = pino({ level: 'silent' });
