/**
 * The published package, installed as a consumer would on a machine where install scripts are
 * blocked (npm 12's default) or no C++ toolchain exists: `npm pack`, then `npm install <tarball>
 * --ignore-scripts` into a fresh project. Neither addon is built there, so romgfx must fall back
 * to its TypeScript kernels and read ROMs into memory, and say so; `romgfx demo` and a library
 * call must work. The tarball holds what a user needs and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/cli.js';
import { documentedImports, publishedSpecifiers, runtimeCheckScript, typeCheckSource } from '../helpers/doc-imports.js';

const scratch = tempDir('romgfx-pack-');
afterAll(() => scratch.cleanup());

function run(command: string, args: string[], cwd: string, timeout = 240_000): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the npm package', () => {
  let tarball = '';

  it('packs dist/src, dist/cli (the bundled CLI), dist/workers, bin, the native sources, docs, README and licence, and no tests, benchmarks or fixtures', () => {
    // dist/ is already built by `npm test`; --ignore-scripts skips `prepare` (a second tsc run).
    const packed = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch.path], repoRoot);
    expect(packed.status, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
    tarball = join(scratch.path, info!.filename);
    const paths = info!.files.map((f) => f.path);
    for (const needed of ['package.json', 'README.md', 'LICENSE', 'bin/romgfx.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'dist/cli/main.js', 'dist/workers/thumbnail.js', 'native/binding.gyp', 'native/src/addon.cc', 'native/build-native.mjs', 'docs/game-definition.schema.json']) {
      expect(paths, needed).toContain(needed);
    }
    for (const path of paths) {
      expect(path).not.toMatch(/^(test|bench|fixtures|dist\/test|dist\/bench|native\/build)\//);
      expect(path).not.toMatch(/\.map$/);
    }
    // Quoted in docs/PERFORMANCE.md; a bound so a stray folder cannot slip in unnoticed.
    console.log(`romgfx tarball: ${info!.size} bytes packed, ${info!.unpackedSize} unpacked, ${paths.length} files`);
    expect(statSync(tarball).size).toBeLessThan(4 * 1024 * 1024);
  }, 120_000);

  it('installs with --ignore-scripts (no addon built) and runs the demo and a library call on the fallbacks', () => {
    expect(tarball).not.toBe('');
    const project = join(scratch.path, 'consumer');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
    const install = run('npm', ['install', tarball, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], project, 300_000);
    expect(install.status, install.stderr).toBe(0);

    const version = run('npx', ['--no-install', 'romgfx', 'version', '--json'], project);
    expect(version.status, version.stderr).toBe(0);
    expect(JSON.parse(version.stdout)).toMatchObject({ native: false, mmap: false, romOpenMode: 'memory' });

    const library = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { getCodec, decodeTiles, romFromBytes } from 'romgfx';
         import { buildSnesRom } from 'romgfx/rom';
         const packed = getCodec('hal').compress(new Uint8Array(4096).fill(7));
         const tiles = decodeTiles('snes4bpp', getCodec('hal').decompress(packed).data);
         const rom = romFromBytes(buildSnesRom());
         console.log(JSON.stringify({ pixels: tiles.length, platform: rom.platform }));`,
      ],
      project,
    );
    expect(library.status, library.stderr).toBe(0);
    expect(JSON.parse(library.stdout)).toEqual({ pixels: 8192, platform: 'snes' });

    // Every sub-path and every import the README, docs and examples show, through the installed
    // package's exports: run by Node, and type-checked against its declarations.
    const imports = documentedImports(repoRoot);
    const specifiers = publishedSpecifiers(repoRoot);
    writeFileSync(join(project, 'doc-imports.mjs'), runtimeCheckScript(imports, specifiers));
    const loaded = run(process.execPath, ['doc-imports.mjs'], project);
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(JSON.parse(loaded.stdout)).toEqual({ ok: true, missing: [] });
    writeFileSync(join(project, 'doc-imports.mts'), typeCheckSource(imports, specifiers));
    const typeRoots = join(repoRoot, 'node_modules', '@types');
    const tsc = run(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--typeRoots', typeRoots, '--types', 'node', 'doc-imports.mts'], project);
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);

    const demo = run('npx', ['--no-install', 'romgfx', 'demo'], project);
    expect(demo.status, demo.stdout + demo.stderr).toBe(0);
    expect(statSync(join(project, 'romgfx-demo')).isDirectory()).toBe(true);
  }, 600_000);
});
