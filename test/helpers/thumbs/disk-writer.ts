/**
 * Child process for the two-process disk cache test: writes one key `count` times into the cache
 * at `dir` (the same bytes every time, as two romgfx processes rendering one thumbnail would).
 * Usage: node disk-writer.js <dir> <key> <count> <payloadBytes>
 */
import { DiskCache } from '../../../src/thumbs/disk-cache.js';

const [dir, key, countText, sizeText] = process.argv.slice(2);
const cache = new DiskCache({ directory: dir!, maximumBytes: 64 * 1024 * 1024 });
const payload = new Uint8Array(Number(sizeText));
for (let i = 0; i < payload.length; i++) payload[i] = (i * 7 + 3) & 0xff;
for (let i = 0; i < Number(countText); i++) cache.write(key!, { bytes: payload, width: 16, height: 8, format: 'png' });
process.stdout.write('done\n');
