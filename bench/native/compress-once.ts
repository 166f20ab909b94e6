/**
 * `node dist/bench/native/compress-once.js FILE LEVEL OUT`: one HAL compression in a fresh
 * process that loads only the codec and the native glue (not the whole CLI), so bench/native can
 * time "process start included" the way the inhal figures are.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { halKernels } from '../../src/codecs/hal/kernels.js';
import { nativeStatus } from '../../src/native/index.js';

const [file, level, out] = process.argv.slice(2);
if (!file || !level || !out) {
  console.error('usage: compress-once FILE LEVEL OUT');
  process.exit(64);
}
const data = new Uint8Array(readFileSync(file));
const kernels = halKernels();
const packed = level === 'max' ? kernels.encodeOptimal(data) : kernels.encode(data, Number(level) as 1 | 2 | 3 | 4);
writeFileSync(out, packed);
if (process.env.ROMGFX_NATIVE !== '0' && !nativeStatus().loaded) process.exit(70);
