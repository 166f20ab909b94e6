/**
 * Child process for the shutdown-logging test: renders <count> distinct thumbnails of <rom> with
 * worker debug logs on, then closes at once. Every worker log line must reach stderr.
 * Usage: node log-run.js <romPath> <count>
 */
import { ThumbnailService } from '../../../src/thumbs/service.js';

const [romPath, countText] = process.argv.slice(2);
const service = new ThumbnailService({ threads: 2, diskCache: false, workerLogLevel: 'debug' });
const rom = service.rom(romPath!);
const requests = Array.from({ length: Number(countText) }, (_, i) => ({ rom, block: { offset: 0x1000 + i * 32, format: 'snes4bpp', tiles: 4 } }));
const outcomes = await service.renderMany(requests);
await service.close();
process.stdout.write(`${outcomes.filter((o) => o.ok).length}\n`);
