/**
 * Benchmark-only plain worker thread (no Piscina, no service): renders `n` thumbnails of the
 * benchmark ROM in a loop when asked. Two of these against one give the ceiling for
 * "2 workers / 1 worker" on this machine for exactly this work.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { renderThumbnail } from '../../src/thumbs/render.js';
import { normalizeRequest, type NormalizedRequest, type ThumbnailRequest } from '../../src/thumbs/request.js';
import { getCodec } from '../../src/codecs/index.js';

const { romPath, requests } = workerData as { romPath: string; requests: ThumbnailRequest[] };
const rom = new Uint8Array(readFileSync(romPath));
const normalized: NormalizedRequest[] = requests.map(normalizeRequest);
parentPort!.on('message', ({ from, count }: { from: number; count: number }) => {
  for (let i = from; i < from + count; i++) renderThumbnail(rom, normalized[i % normalized.length]!, 'png', (c, b, o, l) => getCodec(c).decompress(b, o, l), null);
  parentPort!.postMessage(count);
});
