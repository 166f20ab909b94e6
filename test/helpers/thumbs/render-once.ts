/**
 * Child process for restart tests: one ThumbnailService over the cache at <cacheDir> renders the
 * request given as JSON, prints `source width height bytes`, and closes.
 * Usage: node render-once.js <cacheDir> <requestJson>
 */
import { ThumbnailService } from '../../../src/thumbs/service.js';

const [cacheDir, requestJson] = process.argv.slice(2);
const service = new ThumbnailService({ threads: 1, diskCache: { directory: cacheDir! } });
try {
  const thumbnail = await service.thumbnail(JSON.parse(requestJson!));
  process.stdout.write(`${thumbnail.source} ${thumbnail.width} ${thumbnail.height} ${thumbnail.bytes.length}\n`);
} finally {
  await service.close();
}
