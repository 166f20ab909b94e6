import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it, expect } from 'vitest';
import { decodeGbaLz77, decodeGbaLz11, encodeGbaLz77, encodeGbaLz11 } from '../../src/codecs/gba/lz.js';
import { decodeGbaRle, encodeGbaRle } from '../../src/codecs/gba/rle.js';
import { decodeGbaHuffman } from '../../src/codecs/gba/huffman.js';
import { decodeGbaDiff } from '../../src/codecs/gba/diff.js';
const dir = join(import.meta.dirname, '../../fixtures/gba-bios');
const rd = (n: string) => new Uint8Array(readFileSync(join(dir, n)));
it('gba', () => {
  const main = rd('main_c.bin');
  for (const [f, dec] of [['main_c_lz77_8.bin', decodeGbaLz77], ['main_c_lz77_16.bin', decodeGbaLz77], ['main_c_rl.bin', decodeGbaRle], ['main_c_huff_4.bin', decodeGbaHuffman], ['main_c_huff_8.bin', decodeGbaHuffman], ['main_c_diff_8.bin', decodeGbaDiff], ['main_c_diff_16.bin', decodeGbaDiff]] as const) {
    const r = dec(rd(f));
    console.log(f, r.packedLength, rd(f).length);
    expect(r.data).toEqual(main);
  }
  const a = encodeGbaLz77(main); const b = encodeGbaLz77(main, { vramSafe: true }); const c = encodeGbaLz11(main); const d = encodeGbaRle(main);
  console.log('lz77', a.length, 'vram', b.length, 'lz11', c.length, 'rle', d.length);
  expect(decodeGbaLz77(a).data).toEqual(main); expect(decodeGbaLz77(b).data).toEqual(main); expect(decodeGbaLz11(c).data).toEqual(main); expect(decodeGbaRle(d).data).toEqual(main);
});
