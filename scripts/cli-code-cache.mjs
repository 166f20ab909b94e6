// Writes the V8 code cache of the bundled CLI (dist/cli/**/*.js → <file>.v8-cache), which
// bin/romgfx.js hands to V8 when it compiles a file of the bundle (issue #18: compiling the
// bundle was most of a start-up). Run by scripts/bundle-cli.mjs right after the bundle is
// written, in a process of its own with no flags, so the caches match a plain `node`.
//
// A cache made before any code ran holds only the top-level code; V8 compiles a function when
// it is first called. So the common commands are run here first, in this process, through the
// bundle (bin/romgfx.js loads it as at run time), on small inputs made in a temporary folder;
// each file's cache then holds every function those runs compiled. Files none of them loaded get
// no cache and are compiled as usual.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { bundleDir, codeCacheOriginFile, codeCacheSuffix, compiledScripts, loadBundleFile } = createRequire(import.meta.url)(join(root, 'bin', 'romgfx.js'));
// Inputs are made with the library (tsc's dist/src), which is not the bundle: its code is not cached.
const { buildSnesRom } = await import('../dist/src/rom/build.js');
const { encodeIndexedPng } = await import('../dist/src/gfx/png.js');
const { grayscalePalette } = await import('../dist/src/gfx/palette.js');
const { builtInCodecCatalog } = await import('../dist/src/codecs/catalog.js');

const { main } = loadBundleFile(join(bundleDir, 'main.js'), undefined);
const { commandTable } = await import('../dist/src/cli/commands/index.js');
const silent = { write: () => true, isTTY: false };

const work = mkdtempSync(join(tmpdir(), 'romgfx-code-cache-'));
try {
  const rom = join(work, 'game.sfc');
  writeFileSync(rom, buildSnesRom({ mapping: 'lorom' }));
  const side = 64;
  const pixels = new Uint8Array(side * side).map((_, i) => ((i >> 2) ^ (i >> 7)) & 15);
  const png = join(work, 'sheet.png');
  writeFileSync(png, encodeIndexedPng({ width: side, height: side, pixels }, grayscalePalette(4)));
  const plain = join(work, 'plain.bin');
  writeFileSync(plain, pixels);
  // Gen-1 pictures are N×N 2bpp tiles (16·N² bytes).
  const picture = join(work, 'picture.bin');
  writeFileSync(picture, pixels.subarray(0, 16 * 7 * 7));

  const runs = [
    ['version'],
    ['version', '--json'],
    ['info', rom],
    ['info', rom, '--json'],
    ['checksum', rom],
    ['addr', '--platform', 'snes', rom, '$00:8000'],
    ['import', png, '--format', 'snes4bpp', '-o', join(work, 'sheet.bin'), '--force'],
    ['extract', rom, '--offset', '0x0', '--format', 'snes4bpp', '--tiles', '16', '-o', join(work, 'tiles.png'), '--force'],
    ['codecs'],
    ['formats'],
    ['--help'],
    ['--version'],
    ['no-such-command'],
    ...commandTable.map((entry) => ['help', entry.name]),
  ];
  for (const codec of builtInCodecCatalog.filter((entry) => entry.canCompress)) {
    const packed = join(work, `plain.${codec.name}`);
    runs.push(['compress', codec.name === 'gen1-pic' ? picture : plain, '--codec', codec.name, '-o', packed, '--force']);
    // PB16 streams do not record their length.
    const size = codec.name === 'pb16' ? ['--size', String(pixels.length)] : [];
    runs.push(['decompress', packed, '--codec', codec.name, ...size, '-o', join(work, `unpacked.${codec.name}`), '--force']);
  }
  // A command that fails still compiled what it ran, but this list is meant to succeed (all but
  // the misspelt command, which is there for its suggestion): say which did not.
  for (const argv of runs) {
    let errors = '';
    const code = await main(argv, { stdout: silent, stderr: { write: (chunk) => ((errors += chunk), true), isTTY: false } });
    if (code !== 0 && argv[0] !== 'no-such-command') console.warn(`romgfx: code-cache run \`romgfx ${argv.join(' ')}\` exited ${code}: ${errors.trim()}`);
  }

  let bytes = 0;
  for (const [filename, script] of compiledScripts) {
    const data = script.createCachedData();
    writeFileSync(filename + codeCacheSuffix, data);
    bytes += data.length;
  }
  // Where the caches were made: bin/romgfx.js offers them only there (V8 keeps the file names).
  writeFileSync(join(bundleDir, codeCacheOriginFile), bundleDir);
  console.log(`romgfx: V8 code cache for ${compiledScripts.size} of the CLI's files (${Math.round(bytes / 1024)} KiB) from ${runs.length} runs`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
