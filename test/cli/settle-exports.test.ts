/**
 * The bundle's export rewrite (scripts/settle-exports.mjs): bindings that never change are
 * exported as values, hoisted functions before the file's body runs and everything else after
 * it; bindings reassigned anywhere and re-exports keep esbuild's getters (live bindings). Checked
 * by running the rewritten code as the launcher does, and on the built bundle.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { settleExports } from '../../scripts/settle-exports.mjs';

// The shape esbuild's CommonJS transform gives a chunk (scripts/bundle-cli.mjs makes module.exports the object itself).
const esbuildHelpers = `var __defProp = Object.defineProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var stdin_exports = {};
`;

function chunk(exportLines: string[], body: string): string {
  return `${esbuildHelpers}__export(stdin_exports, {\n${exportLines.map((line) => `  ${line}`).join(',\n')}\n});\nmodule.exports = __defProp(stdin_exports, "__esModule", { value: true });\n${body}`;
}

/** Runs a rewritten chunk; `during` sees module.exports while the body runs (as an importer in a require cycle would). */
function run(code: string, during?: (exports: Record<string, unknown>) => void): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'peek', code.replace('/*PEEK*/', 'peek(module.exports);'))(module, during ?? (() => {}));
  return module.exports;
}

describe('settleExports', () => {
  const source = chunk(
    ['hex: () => hex', 'RomgfxError: () => RomgfxError', 'limit: () => limit', 'counter: () => counter', 'bump: () => bump', 'other: () => import_chunk_X.other'],
    `var import_chunk_X = { other: 7 };
/*PEEK*/
function hex(n) { return n.toString(16); }
class RomgfxError extends Error {}
const limit = 64;
let counter = 0;
function bump() { counter += 1; }
`,
  );
  const settled = settleExports(source, 'test-chunk.js');

  it('exports functions, classes and constants as values, keeping the same values', () => {
    const exports = run(settled);
    for (const name of ['hex', 'RomgfxError', 'limit']) {
      const descriptor = Object.getOwnPropertyDescriptor(exports, name)!;
      expect(descriptor.get, name).toBeUndefined();
      expect(descriptor.enumerable, name).toBe(true);
    }
    expect((exports.hex as (n: number) => string)(255)).toBe('ff');
    expect(exports.limit).toBe(64);
    expect(new (exports.RomgfxError as new () => Error)()).toBeInstanceOf(Error);
  });

  it('keeps a getter for a binding assigned after its declaration, so importers see it change', () => {
    const exports = run(settled);
    expect(Object.getOwnPropertyDescriptor(exports, 'counter')!.get).toBeTypeOf('function');
    (exports.bump as () => void)();
    (exports.bump as () => void)();
    expect(exports.counter).toBe(2);
  });

  it('keeps a getter for a re-export of another chunk', () => {
    const exports = run(settled);
    expect(Object.getOwnPropertyDescriptor(exports, 'other')!.get).toBeTypeOf('function');
    expect(exports.other).toBe(7);
  });

  it('gives a hoisted function to an importer that reads it before the body has run, as the getter did', () => {
    let seenEarly: unknown;
    run(settled, (exports) => {
      seenEarly = exports.hex;
    });
    expect(seenEarly).toBeTypeOf('function');
    // The unsettled code gave the same.
    let seenBefore: unknown;
    run(source, (exports) => {
      seenBefore = exports.hex;
    });
    expect(seenBefore).toBeTypeOf('function');
  });

  it('leaves a file without exports alone and refuses an __export helper of another shape', () => {
    const plain = `${esbuildHelpers}console.log(1);\n`;
    expect(settleExports(plain, 'plain.js')).toBe(plain);
    const otherHelper = chunk(['hex: () => hex'], 'function hex() {}\n').replace('{ get: all[name], enumerable: true }', '{ get: all[name] }');
    expect(() => settleExports(otherHelper, 'other.js')).toThrow(/__export is not the one expected/u);
  });
});

describe('the built bundle', () => {
  it('exports main.js\'s functions as values (no getter to call per use)', () => {
    const launcher = createRequire(import.meta.url)(join(import.meta.dirname, '..', '..', 'bin', 'romgfx.js')) as { bundleDir: string; loadBundleFile(file: string, parent: unknown): Record<string, unknown> };
    const main = launcher.loadBundleFile(join(launcher.bundleDir, 'main.js'), undefined);
    expect(main.main).toBeTypeOf('function');
    expect(Object.getOwnPropertyDescriptor(main, 'main')!.get).toBeUndefined();
  });

  it('is minified (no comments, full lines) in lines short enough to print where an uncaught error was thrown', () => {
    const dir = join(import.meta.dirname, '..', '..', 'dist', 'cli');
    const files = [join(dir, 'main.js'), ...readdirSync(join(dir, 'chunks')).filter((name) => name.endsWith('.js')).map((name) => join(dir, 'chunks', name))];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      // A string literal longer than the limit cannot be cut; none of ours is near this.
      const longest = Math.max(...lines.map((line) => line.length));
      expect(longest, file).toBeLessThan(1000);
      expect(lines.some((line) => /^\s*\/\*\*/u.test(line)), file).toBe(false);
      // Unminified, esbuild's lines average ~35 characters (indentation, one statement a line).
      if (lines.length > 5) expect(lines.reduce((sum, line) => sum + line.length, 0) / lines.length, file).toBeGreaterThan(100);
    }
  });
});
