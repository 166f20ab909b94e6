import { createRequire } from 'node:module';
import type { Logger as PinoLogger, LevelWithSilent } from 'pino';

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

type PinoModule = typeof import('pino');
let pinoModule: PinoModule | undefined;

/**
 * pino, required on first use: loading it costs tens of milliseconds, which every CLI start-up
 * paid before a single line was logged (most runs log nothing). pino is CommonJS, so a
 * synchronous require keeps createLogger synchronous.
 */
function loadPino(): PinoModule {
  pinoModule ??= createRequire(import.meta.url)('pino') as PinoModule;
  return pinoModule;
}

/**
 * A pino logger writing synchronously to a file descriptor.
 *
 * Synchronous on purpose: an asynchronous destination inside a Piscina worker lost lines at
 * pool shutdown (measured here), and the CLI exits right after its last line. pino checks the
 * level before formatting, so a disabled level costs one comparison.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { pino } = loadPino();
  return pino(
    { level: options.level ?? 'warn', base: options.name ? { name: options.name } : null },
    pino.destination({ fd: options.fd ?? 2, sync: true }),
  );
}

let silent: Logger | undefined;

/**
 * A logger that discards everything: the default for library users who pass none. The pino
 * instance behind it is made on first use (a property read), so importing this module loads
 * nothing.
 */
export const silentLogger: Logger = new Proxy({} as Logger, {
  get(_target, key) {
    silent ??= loadPino().pino({ level: 'silent' });
    const value: unknown = Reflect.get(silent, key, silent);
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(silent) : value;
  },
  has(_target, key) {
    silent ??= loadPino().pino({ level: 'silent' });
    return Reflect.has(silent, key);
  },
});
