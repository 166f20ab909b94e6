/** `romgfx demo`: build the demo ROM and run the main job on it. */
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { runDemo } from '../../demo/run.js';
import { EXIT_PARTIAL_FAILURE } from '../exit-codes.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('demo')
    .description('build a demo ROM (art drawn by romgfx itself) and run extract, edit, inject, thumbnails and scan on it')
    .option('-o, --output <dir>', 'output folder', 'romgfx-demo')
    .option('--force', 'replace an existing demo folder')
    .option('--json', 'print a JSON summary')
    .action(
      cli.action(async (options: { output: string; force?: boolean; json?: boolean }) => {
        const result = await runDemo({ outDir: options.output, force: options.force, log: options.json ? undefined : (line) => cli.out(line) });
        if (options.json) cli.outJson(result);
        else cli.out(`done: everything is in ${result.outDir}`);
        return result.steps.every((s) => s.ok) ? 0 : EXIT_PARTIAL_FAILURE;
      }),
    );
}
