/**
 * Several inputs in one call (`romgfx import a.png b.png -o out/`), so a makefile pays start-up
 * once per batch: where each input's output goes, and one failure per input without stopping the
 * rest. A single input behaves exactly as before (its error is the command's error).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { IoError, UsageError, isRomgfxError, InternalError, type RomgfxError } from '../errors.js';
import type { Cli } from './context.js';
import { EXIT_OK, EXIT_PARTIAL_FAILURE } from './exit-codes.js';

/** True when `-o` is a pattern: `{name}` (the input's file name) or `{stem}` (without its extension). */
export function isOutputPattern(output: string): boolean {
  return output.includes('{name}') || output.includes('{stem}');
}

/**
 * The output path for `input`: `-o` with `{name}`/`{stem}` filled in; or, for several inputs or
 * a `-o` that is a folder (exists as one, or ends in `/`), `<folder>/<stem or name><extension>`; or `-o`
 * itself for a single input.
 */
export function outputFor(input: string, output: string, inputCount: number, extension: string, base: 'stem' | 'name' = 'stem'): string {
  const name = basename(input);
  const stem = name.slice(0, name.length - extname(name).length) || name;
  if (isOutputPattern(output)) return output.replaceAll('{name}', name).replaceAll('{stem}', stem);
  if (inputCount > 1 || output.endsWith('/') || isDirectory(output)) return join(output, (base === 'stem' ? stem : name) + extension);
  return output;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Checks a batch's `-o` before any work: several inputs need a folder or a pattern, and no two
 * inputs may write the same file. Creates the folder when it is one.
 */
export function prepareOutputs(inputs: readonly string[], output: string | undefined, extension: string, base: 'stem' | 'name' = 'stem'): string[] | undefined {
  if (output === undefined) return undefined;
  if (inputs.length > 1 && !isOutputPattern(output) && existsSync(output) && !isDirectory(output)) {
    throw new UsageError(`-o ${output} is a file; with ${inputs.length} inputs give a folder (-o out/) or a pattern with {name} or {stem} (-o out/{stem}${extension})`);
  }
  const paths = inputs.map((input) => outputFor(input, output, inputs.length, extension, base));
  const seen = new Map<string, string>();
  paths.forEach((path, i) => {
    const earlier = seen.get(path);
    if (earlier !== undefined) throw new UsageError(`${earlier} and ${inputs[i]} would both write ${path}; use -o with {name} (the whole file name) to keep them apart`);
    seen.set(path, inputs[i]!);
  });
  // A folder is created; a pattern's folders too (`-o build/{stem}.4bpp`).
  const folders = isOutputPattern(output) ? [...new Set(paths.map((path) => dirname(path)))] : inputs.length > 1 || output.endsWith('/') ? [output] : [];
  for (const folder of folders) {
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw new IoError(`cannot create the output folder ${folder}: ${(error as Error).message}`, { path: folder }, { cause: error });
    }
  }
  return paths;
}

/** One input's outcome in a batch's JSON. */
export type BatchOutcome<R> = { input: string; ok: true; result: R } | { input: string; ok: false; error: ReturnType<RomgfxError['toJSON']>['error'] };

/**
 * Runs `work` on each input. One input: its result is printed and an error propagates as
 * before. Several: each failure is one stderr line naming the input, the rest go on, `--json`
 * prints `{ results: [...], failed }`, and the exit code is 1 when any failed.
 */
export async function runBatch<R>(
  cli: Cli,
  inputs: readonly string[],
  json: boolean | undefined,
  work: (input: string, index: number) => R | Promise<R>,
  print: (result: R) => void,
): Promise<number> {
  if (inputs.length === 1) {
    const result = await work(inputs[0]!, 0);
    if (json) cli.outJson(result);
    else print(result);
    return EXIT_OK;
  }
  const outcomes: BatchOutcome<R>[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    try {
      const result = await work(input, i);
      outcomes.push({ input, ok: true, result });
      if (!json) print(result);
    } catch (error) {
      const known = isRomgfxError(error) ? error : new InternalError(`unexpected failure: ${error instanceof Error ? error.message : String(error)}`, { input }, { cause: error });
      outcomes.push({ input, ok: false, error: known.toJSON().error });
      cli.warn(`${input}: error ${known.code}: ${known.message}`);
    }
  }
  const failed = outcomes.filter((o) => !o.ok).length;
  if (json) cli.outJson({ results: outcomes, failed });
  else if (failed > 0) cli.warn(`${failed} of ${inputs.length} inputs failed`);
  return failed > 0 ? EXIT_PARTIAL_FAILURE : EXIT_OK;
}
