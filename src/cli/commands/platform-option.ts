/**
 * The `--platform` option's parser, apart from the `info`/`checksum`/`addr` module (rom.ts, which
 * re-exports it) so that a command reading it (`decompress`) does not load ROM identification
 * with it (issue #18, start-up).
 */
import { isPlatform, type Platform } from '../../rom/platform.js';
import { UsageError } from '../../errors.js';
import { didYouMean } from '../../util/suggest.js';

const platformChoices = ['snes', 'gb', 'gbc', 'gba', 'nes', 'md', 'unknown'] as const;

/** The `--platform` value as a platform (case-insensitive), or a usage error with the closest name. */
export function platformOption(value: string | undefined): Platform | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (!isPlatform(lower)) throw new UsageError(`--platform must be one of ${platformChoices.join(', ')} (got "${value}"${didYouMean(value, platformChoices).replace(/^; /u, ': ')})`);
  return lower;
}
