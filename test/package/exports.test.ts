/**
 * Every sub-path package.json `exports` publishes resolves to built files, and every import a
 * user may copy from README.md, docs/ or examples/ resolves through `exports` — type-checked by
 * the compiler against the built declarations and run by Node against the built modules. The
 * package resolves its own name (Node's and TypeScript's self-reference through `exports`), so
 * this runs on dist/ without packing; test/package/pack.test.ts repeats the check on the
 * installed tarball.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { documentedImports, publishedSpecifiers, runtimeCheckScript, typeCheckSource } from '../helpers/doc-imports.js';
import { repoRoot } from '../helpers/cli.js';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; import: string }> };
const imports = documentedImports(repoRoot);
const specifiers = publishedSpecifiers(repoRoot);
// Inside the package folder, so its own name resolves through `exports`; removed afterwards.
const checkFile = join(repoRoot, `.doc-imports-${process.pid}.mts`);
const runFile = join(repoRoot, `.doc-imports-${process.pid}.mjs`);
afterAll(() => {
  rmSync(checkFile, { force: true });
  rmSync(runFile, { force: true });
});

describe('package exports', () => {
  it('every sub-path points at built JavaScript and declarations', () => {
    expect(specifiers).toEqual(expect.arrayContaining(['romgfx', 'romgfx/core', 'romgfx/codecs', 'romgfx/gfx', 'romgfx/defs', 'romgfx/scan', 'romgfx/patch', 'romgfx/thumbs', 'romgfx/errors']));
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') continue;
      expect(existsSync(join(repoRoot, target.import)), `${subpath} → ${target.import} (build first)`).toBe(true);
      expect(existsSync(join(repoRoot, target.types)), `${subpath} → ${target.types}`).toBe(true);
    }
  });

  it('finds the documented imports (README, docs, examples)', () => {
    const files = new Set(imports.map((i) => i.file));
    expect(files).toContain('README.md');
    expect(files).toContain('examples/editor.mjs');
    expect(imports.some((i) => i.specifier !== 'romgfx')).toBe(true);
  });

  it('every documented import type-checks against the built declarations through exports', () => {
    writeFileSync(checkFile, typeCheckSource(imports, specifiers));
    const program = ts.createProgram({
      rootNames: [checkFile],
      options: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === checkFile)
      .map((d) => `${d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
  }, 60_000);

  it('every documented value import is defined when Node loads the built modules through exports', () => {
    writeFileSync(runFile, runtimeCheckScript(imports, specifiers));
    const run = spawnSync(process.execPath, [runFile], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ ok: true, missing: [] });
  }, 60_000);
});
