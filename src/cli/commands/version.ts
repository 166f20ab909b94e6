/** `romgfx version [--json]`: the engine version and whether the native kernels are in use. */
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { ENGINE_VERSION } from '../../version.js';
import { nativeStatus } from '../../native/addon.js';
import { defaultRomOpenMode, mappingGuardAvailable, mmapAvailable } from '../../rom/source.js';

interface VersionOptions {
  json?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('version')
    .description('print the engine version and whether the native (C++) kernels are in use')
    .option('--json', 'print a JSON object: { "version": …, "native": true|false, "mmap": true|false, "romOpenMode": "map"|"memory" }')
    .action(
      cli.action((options: VersionOptions) => {
        const status = nativeStatus();
        if (!status.loaded) cli.logger.debug({ path: status.path }, `native kernels not in use: ${status.reason}`);
        if (options.json) {
          cli.outJson({ version: ENGINE_VERSION, native: status.loaded, mmap: mmapAvailable(), romOpenMode: defaultRomOpenMode() });
          return;
        }
        cli.out(`romgfx ${ENGINE_VERSION}`);
        cli.out(status.loaded ? 'native kernels: yes' : `native kernels: no (${status.reason})`);
        cli.out(
          mappingGuardAvailable()
            ? 'ROM files: mapped read-only, guarded against truncation'
            : `ROM files: read into memory (${mmapAvailable() ? 'the native addon, which guards mappings, is not in use' : '@riaskov/mmap-io is not installed'})`,
        );
      }),
    );
}
