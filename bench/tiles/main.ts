/**
 * Tile kernels: decode 131,072 tiles (4 MiB of 4bpp data; the same tile count for every format)
 * to the indices plane, and encode them back, per format. MB/s are of tile bytes (the packed
 * side), medians of several runs, printed beside `Buffer.prototype.copy` of the same number of
 * bytes measured in the same run: the memory-speed ceiling.
 */
import { header, mbPerSecond, measure, table, pseudoRandomBytes } from '../harness.js';
import { decodeTilesInto, encodeTilesInto, tileFormats } from '../../src/gfx/formats.js';

const tileCount = 131_072;
const runs = 15;


header(`tiles: decode/encode ${tileCount} tiles per format, MB/s of tile bytes (median of ${runs}, best beside it); baseline Buffer.copy of the same bytes`);
// On a loaded shared machine the fastest run shows what the kernel does when it is not preempted;
// the median is the headline figure.
const rows: (string | number)[][] = [['format', 'bpp', 'tile bytes', 'decode MB/s', '(best)', 'encode MB/s', '(best)', 'Buffer.copy MB/s', 'decode / copy', 'encode / copy']];
const indices = new Uint8Array(tileCount * 64);
const copies = new Map<number, number>();
for (const format of tileFormats) {
  const length = tileCount * format.bytesPerTile;
  const bytes = Buffer.from(pseudoRandomBytes(length, 0x1234 + format.bytesPerTile));
  const output = Buffer.alloc(length);
  const decode = await measure(() => decodeTilesInto(format, bytes, indices, tileCount), runs);
  // Encode what was just decoded, so every index fits and the output must equal the input.
  decodeTilesInto(format, bytes, indices, tileCount);
  const encode = await measure(() => encodeTilesInto(format, indices, output, tileCount), runs);
  if (!output.equals(bytes)) throw new Error(`${format.name}: encode(decode(x)) != x`);
  let copyMbs = copies.get(length);
  if (copyMbs === undefined) {
    const copy = await measure(() => bytes.copy(output), runs * 3);
    copyMbs = mbPerSecond(length, copy.medianMs);
    copies.set(length, copyMbs);
  }
  const decodeMbs = mbPerSecond(length, decode.medianMs);
  const encodeMbs = mbPerSecond(length, encode.medianMs);
  rows.push([format.name, format.bpp, length, decodeMbs, mbPerSecond(length, decode.minMs), encodeMbs, mbPerSecond(length, encode.minMs), copyMbs, `${((decodeMbs / copyMbs) * 100).toFixed(1)}%`, `${((encodeMbs / copyMbs) * 100).toFixed(1)}%`]);
}
table(rows);
