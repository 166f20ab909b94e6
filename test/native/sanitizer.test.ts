/**
 * Memory safety of the native kernels under AddressSanitizer and UBSan: native/fuzz/harness.cc
 * links the kernels (without Node) with every buffer at its exact heap size, and feeds them
 * random and mutated HAL streams at random offsets and limits, structured data at every encoder
 * level (round-tripped through the decoder), random tile layouts with short buffers, and the
 * zlib deflater (against compress2, linked with the system zlib) reusing its memory, and the
 * small-file reader with exact and short buffers, PNG sample unpacking (every depth, padded and
 * unpadded rows, exact and short buffers), the raw inflate (streams deflated at every level
 * and strategy, cut, mutated, random, into exact and short buffers), and generated, mutated, truncated and random
 * Nemesis, konami1, Saxman, Kosinski, Kosinski Moduled, Comper and LZ4W streams at random offsets and limits
 * into exact-size outputs. Any
 * out-of-bounds access or undefined behaviour aborts the harness. Bounded: one build (~5 s) and
 * a few hundred iterations.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/version.js';

const nativeDir = join(PACKAGE_ROOT, 'native');
const sources = ['fuzz/harness.cc', 'src/deflate.cc', 'src/file_read.cc', 'src/hal_decode.cc', 'src/hal_encode.cc', 'src/hal_matches.cc', 'src/hashes.cc', 'src/inflate.cc', 'src/konami1_decode.cc', 'src/nemesis_decode.cc', 'src/png_samples.cc', 'src/sega_lz_decode.cc', 'src/tiles.cc'].map((file) => join(nativeDir, file));
const scratch = mkdtempSync(join(tmpdir(), 'romgfx-sanitizer-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('native kernels under ASan/UBSan', () => {
  it('build with the sanitizers and survive random, mutated and structured inputs', () => {
    const binary = join(scratch, 'harness');
    const build = spawnSync(
      'g++',
      ['-std=c++17', '-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=undefined', '-fno-omit-frame-pointer', '-Wall', '-Wextra', '-Werror', '-o', binary, ...sources, '-lz'],
      { encoding: 'utf8' },
    );
    expect(build.error, 'g++ must be installed').toBeUndefined();
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    // A new seed each run widens coverage over time; it is in the failure message to reproduce.
    const seed = String(Date.now() % 1_000_000_007);
    const run = spawnSync(binary, ['360', seed], { encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'abort_on_error=1', UBSAN_OPTIONS: 'print_stacktrace=1' } });
    expect(run.stderr, `harness seed ${seed}`).toBe('');
    expect(run.status, `harness seed ${seed}`).toBe(0);
    expect(run.stdout).toBe('ok 360 iterations\n');
  }, 180_000); // a sanitizer build of every kernel: ~40 s when the box is shared with other builds
});
