/**
 * `romgfx/core` imports nothing from Node: walks the import graph of the compiled
 * dist/src/core.js (every relative import, transitively) and fails on a `node:` import, a Node
 * built-in, or a package other than the pure ones it is allowed (fast-png, fflate and theirs).
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

/** Packages the core may import: pure JavaScript that runs in browsers. */
const allowedPackages = new Set(['fast-png', 'fflate']);
const specifierPattern = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function importGraph(entry: string): { files: string[]; external: Map<string, string[]> } {
  const seen = new Set<string>();
  const external = new Map<string, string[]>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(specifierPattern)) {
      const specifier = (match[1] ?? match[2] ?? match[3])!;
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier));
      else external.set(specifier, [...(external.get(specifier) ?? []), relative(repoRoot, file)]);
    }
  }
  return { files: [...seen], external };
}

describe('romgfx/core', () => {
  it('imports no Node module anywhere in its import graph, only pure packages', () => {
    const { files, external } = importGraph(join(repoRoot, 'dist', 'src', 'core.js'));
    expect(files.length).toBeGreaterThan(20);
    const nodeBuiltins = new Set(builtinModules);
    for (const [specifier, importers] of external) {
      const bare = specifier.replace(/^node:/, '');
      expect(specifier.startsWith('node:') || nodeBuiltins.has(bare), `${specifier} imported by ${importers.join(', ')}`).toBe(false);
      const packageName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      expect(allowedPackages.has(packageName), `${specifier} imported by ${importers.join(', ')}`).toBe(true);
    }
    // The Node-only layers stay out.
    for (const file of files) expect(relative(repoRoot, file)).not.toMatch(/dist\/src\/(native|rom|thumbs|scan|inject|cli|util\/files|util\/hash)/);
  });

  it('is exported as the package sub-path romgfx/core', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { exports: Record<string, { import: string }> };
    expect(pkg.exports['./core']!.import).toBe('./dist/src/core.js');
  });
});
