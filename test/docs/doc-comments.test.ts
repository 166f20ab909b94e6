/**
 * Every symbol the public entry points export has a doc comment (BRIEF: "every exported symbol
 * gets a doc comment"; the API reference, `npm run docs:api`, is generated from them).
 *
 * Uses the TypeScript compiler on every entry point package.json `exports` publishes (the root,
 * `romgfx/core` and each documented sub-path, read from `exports` so a new sub-path is covered
 * the day it is added; docs/typedoc.json must list the same files): each export is followed
 * through its re-exports to the declaration that defines it, and that declaration must carry a
 * `/** … *\/` comment. A third-party type re-exported as is has no comment of ours, so it fails
 * too: re-export it through a documented type alias instead.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** `./dist/src/x.d.ts` in `exports` → `src/x.ts`: the source of each published entry point. */
function publishedEntryPoints(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | { types?: string }> };
  const entries: string[] = [];
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === 'string') continue; // ./package.json
    if (!target.types) throw new Error(`exports["${subpath}"] has no types`);
    entries.push(target.types.replace(/^\.\/dist\//u, '').replace(/\.d\.ts$/u, '.ts'));
  }
  return entries;
}
const entryPoints = publishedEntryPoints();

interface Missing {
  entry: string;
  name: string;
  file: string;
}

function hasDocComment(declaration: ts.Declaration): boolean {
  // getJSDocCommentsAndTags finds the comment where TypeScript keeps it for this kind of
  // declaration (on the variable statement for `export const`, on the class for a class).
  return ts.getJSDocCommentsAndTags(declaration).some((doc) => ts.isJSDoc(doc) && (doc.comment !== undefined || (doc.tags?.length ?? 0) > 0));
}

/** Each exported name of each entry point whose defining declaration(s) have no doc comment. */
function undocumentedExports(): { missing: Missing[]; total: number } {
  const configPath = path.join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram({ rootNames: entryPoints.map((e) => path.join(root, e)), options: { ...parsed.options, noEmit: true } });
  const checker = program.getTypeChecker();
  const missing: Missing[] = [];
  let total = 0;
  for (const entry of entryPoints) {
    const source = program.getSourceFile(path.join(root, entry));
    if (!source) throw new Error(`${entry} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${entry} has no module symbol`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      total++;
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = target.declarations ?? [];
      const documented = declarations.some((d) => !d.getSourceFile().fileName.includes('/node_modules/') && hasDocComment(d));
      if (!documented) {
        const file = declarations[0] ? path.relative(root, declarations[0].getSourceFile().fileName) : '(no declaration)';
        missing.push({ entry, name: exported.name, file });
      }
    }
  }
  return { missing, total };
}

describe('doc comments on the public API', () => {
  it('covers the root, romgfx/core and every sub-path entry, as docs/typedoc.json does', () => {
    expect(entryPoints.slice(0, 2)).toEqual(['src/index.ts', 'src/core.ts']);
    expect(entryPoints.length).toBeGreaterThanOrEqual(12);
    const typedoc = JSON.parse(readFileSync(path.join(root, 'docs/typedoc.json'), 'utf8')) as { entryPoints: string[] };
    expect(typedoc.entryPoints.map((e) => e.replace(/^\.\.\//u, '')).sort()).toEqual([...entryPoints].sort());
  });

  it('every symbol exported by each published entry point has a doc comment', () => {
    const { missing, total } = undocumentedExports();
    expect(total).toBeGreaterThan(400);
    const listing = missing.map((m) => `${m.file}: ${m.name} (exported by ${m.entry})`).sort();
    expect(listing, `${missing.length} of ${total} exports have no doc comment`).toEqual([]);
  }, 60_000);
});
