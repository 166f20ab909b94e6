/** The routes of `romgfx serve`: health, metrics, ROMs, thumbnails, scans, sprites, definitions, outputs. */
import { readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { ServeNotFoundError, ServeParameterError } from '../errors.js';
import { ENGINE_VERSION } from '../version.js';
import { encodeIndexedPng } from '../gfx/png.js';
import { colourHex, detectPaletteFileFormat, maximumPaletteColourCount, paletteColour, parsePaletteFile, subPalette, type PaletteFileFormat } from '../gfx/palette.js';
import { getTileFormat, tileFormatNames } from '../gfx/formats.js';
import { codecNames } from '../codecs/registry.js';
import { paletteEncodings } from '../thumbs/request.js';
import { arrangementKinds, paletteFormats } from '../vocabulary.js';
import { scanCodecNames } from '../scan/types.js';
import { scanCandidatesToDefinition } from '../scan/defs.js';
import { assertWritable } from '../util/files.js';
import type { ThumbnailService } from '../thumbs/service.js';
import { asRomgfxError, commonHeaders, readBody, sendBytes, sendJson, statusForError, type Route, type RouteContext } from './http.js';
import type { Library, ServedRom } from './library.js';
import type { ServeMetrics } from './metrics.js';
import { candidatesFromBody, optionalParameter, wholeNumber, parseJsonObject, requiredParameter, scanOptionsFromBody, thumbnailRequestFromQuery } from './params.js';
import { compactCandidateFields, compactScanResult, maximumPlantedCandidates, type ScanEvent, type ScanJobs } from './scans.js';
import { servePage } from './page.js';

/** Candidates one definition download may hold. */
export const maximumDefinitionCandidates = 10_000;
/** How long a browser may reuse a thumbnail without asking again, in seconds (the ETag answers after that). */
export const thumbnailMaxAgeInSeconds = 300;
/** The thumbnails' Cache-Control value (made once, not per answer). */
const thumbnailCacheControl = `private, max-age=${thumbnailMaxAgeInSeconds}`;
/** The most thumbnails one batch request may ask for (a gallery screen is ~40-60). */
export const maximumThumbnailsPerBatch = 128;
/** The largest palette file `POST /api/palettes` reads, in bytes (an indexed PNG kept for its PLTE may carry pixels too). */
export const maximumPaletteUploadSizeInBytes = 1024 * 1024;
/** The palette file formats `POST /api/palettes?type=` names (as the CLI's reader knows them). */
export const paletteFileFormats: readonly PaletteFileFormat[] = ['jasc', 'gpl', 'act', 'bgr555', 'cgram', 'png'];
/** Colours in one sub-palette when `colours` is not given (a 4 bpp row of CGRAM). */
export const defaultSubPaletteColourCount = 16;
/** Outputs (edited ROMs and patches) remembered for download. */
export const maximumRememberedOutputs = 1024;

/** What the routes share. */
export interface RouteDependencies {
  readonly library: Library;
  readonly service: ThumbnailService;
  readonly metrics: ServeMetrics;
  readonly scans: ScanJobs;
  readonly token: string;
  readonly outputDirectory: string;
  readonly startedAt: number;
  readonly testRoutes: boolean;
}

/** Every route, in match order. */
export function buildRoutes(deps: RouteDependencies): Route[] {
  const { library, service, metrics, scans } = deps;
  /** Edited ROMs and patches written this run, by download name. */
  const outputs = new Map<string, string>();
  /** One inject at a time per ROM: a Game holds its pending edit until the save is done. */
  const injectQueues = new Map<string, Promise<unknown>>();
  let outputSequence = 0;

  const gameOf = (served: ServedRom) => {
    if (!served.game) throw new ServeNotFoundError(`ROM "${served.id}" has no game definition that recognises it (start with --defs)`, { rom: served.id });
    return served.game;
  };

  const routes: Route[] = [
    { method: 'GET', path: '/', name: '/', changesState: false, handle: (c) => servePage(c, 'index.html', deps.token) },
    { method: 'GET', path: '/page/{file}', name: '/page/{file}', changesState: false, handle: (c) => servePage(c, c.params.file!, deps.token) },
    {
      method: 'GET',
      path: '/health',
      name: '/health',
      changesState: false,
      handle: ({ response }) => {
        const stats = service.stats();
        sendJson(response, 200, {
          status: 'ok',
          uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 10) / 100,
          version: ENGINE_VERSION,
          pool: { threads: service.threads, queued: stats.queue.depth, active: metrics.thumbnailsInFlight, utilization: stats.workers.utilization },
          cache: { memory: stats.memory, disk: stats.disk },
          roms: library.roms.size,
          requests: metrics.totalRequests,
        });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      name: '/metrics',
      changesState: false,
      handle: ({ response }) => sendBytes(response, 200, 'text/plain; version=0.0.4; charset=utf-8', Buffer.from(metrics.text() + service.metricsText()), { 'Cache-Control': 'no-store' }),
    },
    {
      method: 'GET',
      path: '/api/formats',
      name: '/api/formats',
      changesState: false,
      handle: ({ response }) =>
        sendJson(response, 200, {
          tileFormats: tileFormatNames().map((name) => ({ name, bytesPerTile: getTileFormat(name).bytesPerTile, bpp: getTileFormat(name).bpp })),
          codecs: codecNames(),
          scanCodecs: scanCodecNames,
          paletteEncodings,
          // The shared vocabulary's names (docs/vocabulary.md); paletteEncodings is the same list, kept for old pages.
          paletteFormats,
          arrangementKinds,
        }),
    },
    { method: 'GET', path: '/api/roms', name: '/api/roms', changesState: false, handle: ({ response }) => sendJson(response, 200, { roms: library.describe() }) },
    {
      method: 'GET',
      path: '/api/roms/{id}/thumbnail',
      name: '/api/roms/{id}/thumbnail',
      changesState: false,
      handle: async ({ request, response, params, query }) => {
        const served = library.rom(params.id!);
        const thumbnailRequest = thumbnailRequestFromQuery(query, served.rom, served.ref);
        metrics.thumbnailsInFlight++;
        let thumbnail;
        try {
          thumbnail = await service.thumbnail(thumbnailRequest);
        } catch (error) {
          metrics.thumbnail('error');
          throw error;
        } finally {
          metrics.thumbnailsInFlight--;
        }
        const etag = `"${thumbnail.key}"`;
        const headers = { ETag: etag, 'Cache-Control': thumbnailCacheControl, 'X-Romgfx-Source': thumbnail.source, 'X-Romgfx-Size': `${thumbnail.width}x${thumbnail.height}` };
        if (etagMatches(request.headers['if-none-match'], etag)) {
          metrics.thumbnail('not_modified');
          response.writeHead(304, { ...commonHeaders, ...headers });
          response.end();
          return;
        }
        metrics.thumbnail(thumbnail.source);
        sendBytes(response, 200, 'image/png', thumbnail.bytes, headers);
      },
    },
    {
      // Many thumbnails in one answer, so a gallery screen is one request instead of ~40 queued
      // behind the browser's six connections. Body: a 4-byte big-endian header length, the JSON
      // header ({items: [{status, offset, length, width, height, etag, source} | {status, error}]}),
      // then the PNGs back to back. One bad item does not fail the others.
      method: 'GET',
      path: '/api/roms/{id}/thumbnails',
      name: '/api/roms/{id}/thumbnails',
      changesState: false,
      handle: async ({ response, params, query }) => {
        const served = library.rom(params.id!);
        const items = query.getAll('item');
        if (items.length === 0) throw new ServeParameterError('item', 'give at least one item (a thumbnail query, URL-encoded)');
        if (items.length > maximumThumbnailsPerBatch) throw new ServeParameterError('item', `at most ${maximumThumbnailsPerBatch} per request (got ${items.length})`);
        const header: Record<string, unknown>[] = new Array(items.length);
        const requests: { index: number; request: ReturnType<typeof thumbnailRequestFromQuery> }[] = [];
        items.forEach((item, index) => {
          try {
            requests.push({ index, request: thumbnailRequestFromQuery(new URLSearchParams(item), served.rom, served.ref) });
          } catch (error) {
            const typed = asRomgfxError(error);
            header[index] = { status: statusForError(typed), ...typed.toJSON() };
            metrics.thumbnail('error');
          }
        });
        metrics.thumbnailsInFlight += requests.length;
        let outcomes;
        try {
          outcomes = await service.renderMany(requests.map((r) => r.request));
        } finally {
          metrics.thumbnailsInFlight -= requests.length;
        }
        const parts: Uint8Array[] = [];
        let offset = 0;
        outcomes.forEach((outcome, i) => {
          const index = requests[i]!.index;
          if (!outcome.ok) {
            header[index] = { status: statusForError(outcome.error), ...outcome.error.toJSON() };
            metrics.thumbnail('error');
            return;
          }
          const t = outcome.thumbnail;
          header[index] = { status: 200, offset, length: t.bytes.length, width: t.width, height: t.height, etag: `"${t.key}"`, source: t.source };
          metrics.thumbnail(t.source);
          parts.push(t.bytes);
          offset += t.bytes.length;
        });
        const headerBytes = Buffer.from(JSON.stringify({ items: header }));
        const length = Buffer.alloc(4);
        length.writeUInt32BE(headerBytes.length);
        sendBytes(response, 200, 'application/vnd.romgfx.thumbnails', Buffer.concat([length, headerBytes, ...parts]), { 'Cache-Control': thumbnailCacheControl });
      },
    },
    {
      // A palette file parsed by the CLI's reader (JASC-PAL, GIMP .gpl, Adobe .act, raw BGR555, a
      // CGRAM dump, an indexed PNG's PLTE), answered as the `colors:` palette the thumbnail routes
      // take, so the ROM view's URL carries the colours and stays shareable. Nothing is stored.
      method: 'POST',
      path: '/api/palettes',
      name: '/api/palettes',
      changesState: true,
      handle: async ({ request, response, query }) => {
        const fileName = optionalParameter(query, 'name') ?? '';
        const typeText = optionalParameter(query, 'type');
        if (typeText !== undefined && !(paletteFileFormats as readonly string[]).includes(typeText)) throw new ServeParameterError('type', `must be one of ${paletteFileFormats.join(', ')} (got "${typeText}")`, { value: typeText });
        const subText = optionalParameter(query, 'subpalette');
        const sizeText = optionalParameter(query, 'colours');
        if (sizeText !== undefined && subText === undefined) throw new ServeParameterError('colours', 'is the size of a sub-palette: give subpalette too');
        const bytes = await readBody(request, maximumPaletteUploadSizeInBytes);
        if (bytes.length === 0) throw new ServeParameterError('body', 'send the palette file as the request body');
        const type = (typeText as PaletteFileFormat | undefined) ?? detectPaletteFileFormat(bytes, fileName);
        let palette = parsePaletteFile(bytes, fileName, type);
        const count = palette.count;
        if (subText !== undefined) {
          const size = sizeText === undefined ? defaultSubPaletteColourCount : wholeNumber('colours', sizeText, 2, maximumPaletteColourCount);
          const index = wholeNumber('subpalette', subText, 0, maximumPaletteColourCount - 1);
          if ((index + 1) * size > count) throw new ServeParameterError('subpalette', `sub-palette ${index} of ${size} colours needs ${(index + 1) * size} colours; the file has ${count}`, { value: subText, colours: count });
          palette = subPalette(palette, index, size);
        }
        const colors: string[] = [];
        for (let i = 0; i < palette.count; i++) colors.push(colourHex(paletteColour(palette, i)).replace(/^#/u, ''));
        sendJson(response, 200, { type, fileColours: count, count: palette.count, colors, palette: `colors:${colors.join(',')}` });
      },
    },
    {
      method: 'GET',
      path: '/api/roms/{id}/locate',
      name: '/api/roms/{id}/locate',
      changesState: false,
      handle: ({ response, params, query }) => {
        const served = library.rom(params.id!);
        const offset = served.rom.resolveLocation(requiredParameter(query, 'at'));
        sendJson(response, 200, { offset, hex: '0x' + offset.toString(16).toUpperCase() });
      },
    },
    {
      method: 'POST',
      path: '/api/roms/{id}/scans',
      name: '/api/roms/{id}/scans',
      changesState: true,
      handle: async ({ request, response, params }) => {
        const served = library.rom(params.id!);
        const body = await readBody(request);
        const options = scanOptionsFromBody(body.length === 0 ? {} : parseJsonObject(body, 'body'), served.rom);
        const job = scans.start(served, options);
        sendJson(response, 202, { id: job.id, rom: served.id, state: job.state, events: `/api/scans/${job.id}/events`, result: `/api/scans/${job.id}` });
      },
    },
    {
      method: 'GET',
      path: '/api/scans/{id}',
      name: '/api/scans/{id}',
      changesState: false,
      handle: ({ response, params, query }) => {
        const job = scans.job(params.id!);
        const layout = optionalParameter(query, 'layout') ?? 'objects';
        if (layout !== 'objects' && layout !== 'rows') throw new ServeParameterError('layout', `must be "objects" or "rows" (got "${layout}")`, { value: layout });
        if (layout === 'rows' && job.state === 'done') {
          sendBytes(response, 200, 'application/json; charset=utf-8', compactScanResult(job), { 'Cache-Control': 'no-store' });
          return;
        }
        sendJson(response, 200, { id: job.id, rom: job.romId, state: job.state, done: job.done, total: job.total, error: job.error, ...(layout === 'rows' ? { fields: compactCandidateFields, rows: [] } : { candidates: job.state === 'done' ? job.candidates : [] }) });
      },
    },
    {
      method: 'DELETE',
      path: '/api/scans/{id}',
      name: '/api/scans/{id}',
      changesState: true,
      handle: async ({ response, params }) => {
        const job = scans.cancel(params.id!);
        await job.finished;
        sendJson(response, 200, { id: job.id, state: job.state });
      },
    },
    {
      method: 'GET',
      path: '/api/scans/{id}/events',
      name: '/api/scans/{id}/events',
      changesState: false,
      handle: ({ request, response, params }) => {
        const job = scans.job(params.id!);
        response.writeHead(200, { ...commonHeaders, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        const send = (event: ScanEvent): void => {
          response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
          if (event.type !== 'progress') {
            job.listeners.delete(send);
            response.end();
          }
        };
        if (job.state === 'running') {
          send({ type: 'progress', done: job.done, total: job.total });
          job.listeners.add(send);
          request.on('close', () => job.listeners.delete(send));
        } else if (job.state === 'done') send({ type: 'done', candidates: job.candidates.length });
        else if (job.state === 'cancelled') send({ type: 'cancelled' });
        else send(job.error!);
      },
    },
    {
      method: 'POST',
      path: '/api/roms/{id}/definition',
      name: '/api/roms/{id}/definition',
      changesState: true,
      handle: async ({ request, response, params }) => {
        const served = library.rom(params.id!);
        const body = parseJsonObject(await readBody(request), 'body');
        const candidates = candidatesFromBody(body, served.rom, maximumDefinitionCandidates);
        const definition = scanCandidatesToDefinition(served.rom, candidates);
        const name = `${String(definition.id)}.json`;
        sendBytes(response, 200, 'application/json; charset=utf-8', Buffer.from(JSON.stringify(definition, null, 2) + '\n'), { 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store' });
      },
    },
    {
      method: 'GET',
      path: '/api/definitions',
      name: '/api/definitions',
      changesState: false,
      handle: ({ response }) => sendJson(response, 200, { definitions: [...library.definitions.values()].map((d) => ({ id: d.id, fileName: basename(d.path), name: d.definition.name, sprites: d.definition.sprites.length })) }),
    },
    {
      method: 'GET',
      path: '/api/definitions/{id}',
      name: '/api/definitions/{id}',
      changesState: false,
      handle: ({ response, params }) => {
        const served = library.definition(params.id!);
        sendBytes(response, 200, 'application/json; charset=utf-8', readFileSync(served.path), { 'Content-Disposition': `attachment; filename="${basename(served.path)}"`, 'Cache-Control': 'no-store' });
      },
    },
    {
      method: 'GET',
      path: '/api/roms/{id}/sprites',
      name: '/api/roms/{id}/sprites',
      changesState: false,
      handle: ({ response, params }) => {
        const game = gameOf(library.rom(params.id!));
        const sprites = game.sprites().map((info) => {
          if (info.error !== undefined) return info;
          try {
            const decoded = game.original(info.name);
            return { ...info, width: decoded.width, height: decoded.height, tileCount: decoded.tileCount, paletteColours: decoded.palette.count };
          } catch (error) {
            return { ...info, error: (error as Error).message };
          }
        });
        sendJson(response, 200, { rom: params.id, definition: game.definition.name, variant: game.variant ?? null, sprites });
      },
    },
    {
      method: 'GET',
      path: '/api/roms/{id}/sprites/{name}/png',
      name: '/api/roms/{id}/sprites/{name}/png',
      changesState: false,
      handle: ({ response, params }) => {
        const game = gameOf(library.rom(params.id!));
        const decoded = game.original(params.name!);
        const png = encodeIndexedPng({ width: decoded.width, height: decoded.height, pixels: decoded.indices }, decoded.palette, { transparentIndex0: decoded.transparentIndex0 });
        sendBytes(response, 200, 'image/png', png, { 'Content-Disposition': `attachment; filename="${safeName(params.name!)}.png"`, 'Cache-Control': 'no-store' });
      },
    },
    {
      method: 'POST',
      path: '/api/roms/{id}/sprites/{name}',
      name: '/api/roms/{id}/sprites/{name}',
      changesState: true,
      handle: async ({ request, response, params }) => {
        const served = library.rom(params.id!);
        const game = gameOf(served);
        const name = params.name!;
        const png = await readBody(request);
        if (png.length === 0) throw new ServeParameterError('body', 'send the edited PNG as the request body');
        const previous = injectQueues.get(served.id) ?? Promise.resolve();
        const run = previous.catch(() => {}).then(async () => {
          game.setPixels(name, { png });
          try {
            const sequence = ++outputSequence;
            const stem = `${basename(served.path, extname(served.path))}-${safeName(name)}-${Date.now().toString(36)}-${sequence}`;
            const romName = `${stem}${extname(served.path) || '.bin'}`;
            const patchName = `${stem}.bps`;
            const romPath = join(deps.outputDirectory, romName);
            const patchPath = join(deps.outputDirectory, patchName);
            assertWritable(romPath, false);
            assertWritable(patchPath, false);
            const result = await game.save({ output: romPath, patch: patchPath });
            remember(outputs, romName, romPath);
            remember(outputs, patchName, patchPath);
            return { result, romName, patchName };
          } finally {
            game.revert(name);
          }
        });
        injectQueues.set(served.id, run);
        const { result, romName, patchName } = await run;
        sendJson(response, 200, {
          sprite: name,
          rom: { name: romName, url: `/api/outputs/${encodeURIComponent(romName)}`, crc32: result.outputCrc32 },
          patch: { name: patchName, url: `/api/outputs/${encodeURIComponent(patchName)}`, size: result.patch?.size ?? null },
          sprites: result.sprites,
          checksum: result.checksum,
        });
      },
    },
    {
      method: 'GET',
      path: '/api/outputs/{file}',
      name: '/api/outputs/{file}',
      changesState: false,
      handle: ({ response, params }) => {
        const path = outputs.get(params.file!);
        if (path === undefined) throw new ServeNotFoundError(`no output named "${params.file}"`, { file: params.file });
        sendBytes(response, 200, 'application/octet-stream', readFileSync(path), { 'Content-Disposition': `attachment; filename="${params.file}"`, 'Cache-Control': 'no-store' });
      },
    },
  ];
  if (deps.testRoutes) {
    routes.push({
      method: 'POST',
      path: '/api/test/roms/{id}/scans',
      name: '/api/test/roms/{id}/scans',
      changesState: true,
      handle: async ({ request, response, params }: RouteContext) => {
        const served = library.rom(params.id!);
        const body = parseJsonObject(await readBody(request), 'body');
        const job = scans.plant(served, candidatesFromBody(body, served.rom, maximumPlantedCandidates));
        sendJson(response, 201, { id: job.id, rom: served.id, state: job.state, candidates: job.candidates.length });
      },
    });
  }
  return routes;
}

function remember(outputs: Map<string, string>, name: string, path: string): void {
  outputs.set(name, path);
  if (outputs.size > maximumRememberedOutputs) outputs.delete(outputs.keys().next().value!);
}

/** A sprite name as a file-name part. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/gu, '_').slice(0, 64) || 'sprite';
}

/** RFC 9110 §13.1.2: `*` or a list of entity tags (weak comparison is not for strong validators, but a `W/` copy of ours still names the same bytes). */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((part) => part.trim().replace(/^W\//u, '') === etag);
}
