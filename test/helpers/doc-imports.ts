/**
 * The `import { … } from 'romgfx…'` statements the README, docs/ and examples/ show users,
 * wherever they are (code blocks, inline code, scripts), and the sub-paths package.json publishes.
 * test/package/exports.test.ts checks them against the built package's `exports`;
 * test/package/pack.test.ts against the installed tarball.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One import statement a user may copy: where it is, what it names and from which specifier. */
export interface DocImport {
  file: string;
  specifier: string;
  /** Names as written; `type X` marks a type-only name. */
  names: { name: string; typeOnly: boolean }[];
  statement: string;
}

const importPattern = /import\s+(type\s+)?\{([^}]*)\}\s+from\s+['"](romgfx(?:\/[a-z-]+)?)['"]/gu;

function filesUnder(root: string, folder: string, extensions: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'api' || name === 'node_modules') continue; // generated API reference
      if (statSync(path).isDirectory()) walk(path);
      else if (extensions.some((e) => name.endsWith(e))) out.push(relative(root, path));
    }
  };
  walk(join(root, folder));
  return out;
}

/** Every import of the package in README.md, docs/**\/*.md and examples/. */
export function documentedImports(root: string): DocImport[] {
  const files = ['README.md', ...filesUnder(root, 'docs', ['.md']), ...filesUnder(root, 'examples', ['.mjs', '.js', '.ts', '.md'])];
  const found: DocImport[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(importPattern)) {
      const allTypes = match[1] !== undefined;
      const names = match[2]!
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0)
        .map((part) => {
          const typeOnly = allTypes || part.startsWith('type ');
          const name = part.replace(/^type\s+/u, '').split(/\s+as\s+/u)[0]!.trim();
          return { name, typeOnly };
        });
      found.push({ file, specifier: match[3]!, names, statement: match[0] });
    }
  }
  return found;
}

/** The sub-paths `exports` publishes as modules (`romgfx`, `romgfx/core`, …), not ./package.json. */
export function publishedSpecifiers(root: string): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  return Object.entries(manifest.exports)
    .filter(([, target]) => typeof target === 'object')
    .map(([subpath]) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`));
}

/**
 * A module that imports every documented statement and checks, when run, that each value name
 * is defined (types are checked by the compiler). Printed JSON: `{ ok, missing }`.
 */
export function runtimeCheckScript(imports: readonly DocImport[], specifiers: readonly string[]): string {
  const lines: string[] = [];
  const checks: string[] = [];
  specifiers.forEach((specifier, i) => {
    lines.push(`import * as m${i} from ${JSON.stringify(specifier)};`);
    checks.push(`if (Object.keys(m${i}).length === 0) missing.push(${JSON.stringify(`${specifier}: exports nothing`)});`);
  });
  imports.forEach((entry, i) => {
    lines.push(`import * as d${i} from ${JSON.stringify(entry.specifier)};`);
    for (const { name, typeOnly } of entry.names) {
      if (!typeOnly) checks.push(`if (d${i}[${JSON.stringify(name)}] === undefined) missing.push(${JSON.stringify(`${entry.file}: ${name} from ${entry.specifier}`)});`);
    }
  });
  return `${lines.join('\n')}\nconst missing = [];\n${checks.join('\n')}\nconsole.log(JSON.stringify({ ok: missing.length === 0, missing }));\n`;
}

/** A TypeScript module holding every documented import statement, for the compiler to resolve. */
export function typeCheckSource(imports: readonly DocImport[], specifiers: readonly string[]): string {
  // Each statement's names are renamed apart: two documents may import the same name.
  const statements = imports.map((entry, i) => `import { ${entry.names.map(({ name, typeOnly }) => `${typeOnly ? 'type ' : ''}${name} as i${i}_${name}`).join(', ')} } from ${JSON.stringify(entry.specifier)}; // ${entry.file}`);
  return [...specifiers.map((s, i) => `import * as s${i} from ${JSON.stringify(s)};\nvoid s${i};`), ...statements, 'export {};', ''].join('\n');
}
