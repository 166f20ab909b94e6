import type { ErrorCategory } from '../errors.js';

/**
 * The one place where failures become process exit codes (BSD sysexits.h values, which shells
 * and CI tools already know).
 */
export const EXIT_OK = 0;
/** A batch finished but some of its items failed (each reported in the output). */
export const EXIT_PARTIAL_FAILURE = 1;
export const EXIT_USAGE = 64;
export const EXIT_DATA = 65;
export const EXIT_NO_INPUT = 66;
export const EXIT_INTERNAL = 70;
export const EXIT_IO = 74;

const exitCodeByCategory: Readonly<Record<ErrorCategory, number>> = {
  usage: EXIT_USAGE,
  data: EXIT_DATA,
  missing: EXIT_NO_INPUT,
  io: EXIT_IO,
  internal: EXIT_INTERNAL,
};

export function exitCodeFor(category: ErrorCategory): number {
  return exitCodeByCategory[category];
}
