/**
 * `romgfx serve` as a library: `startServer` opens the ROMs and definitions, starts a
 * ThumbnailService and an HTTP server, and returns its URL, token and `close()` (which stops
 * scans, lets the pool drain, and closes every connection).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { IoError, ServeForbiddenError } from '../errors.js';
import { silentLogger } from '../log.js';
import { closeScanPools } from '../scan/pool.js';
import { ThumbnailService } from '../thumbs/service.js';
import type { DiskCacheOptions } from '../thumbs/disk-cache.js';
import { Router, sendError, splitTarget } from './http.js';
import { Library } from './library.js';
import { ServeMetrics } from './metrics.js';
import { buildRoutes } from './routes.js';
import { ScanJobs } from './scans.js';
import { checkBindOptions, checkSameOrigin, checkToken, generateToken, isLoopbackHost } from './security.js';

/** The default port. */
export const defaultServePort = 8080;
/** The default host: loopback only. */
export const defaultServeHost = '127.0.0.1';
/** Idle keep-alive connections are closed after this, in milliseconds. */
export const keepAliveTimeoutInMs = 30_000;

/** What `startServer` needs. */
export interface ServeOptions {
  roms?: readonly string[];
  definitions?: readonly string[];
  /** A folder whose ROMs and .json definitions are served too (the files there at start-up). */
  root?: string;
  /** Port (0: any free port). Default 8080. */
  port?: number;
  host?: string;
  /** The state-changing requests' token (default: a fresh random one per start). */
  token?: string;
  /** Where edited ROMs and patches go (default: a new folder under the temp directory). */
  outputDirectory?: string;
  threads?: number;
  /** The thumbnail disk cache, or false (default: on, in the default cache folder). */
  diskCache?: false | DiskCacheOptions;
  /** The scan result cache: false for none, or a folder (default: the scanner's default folder). */
  scanCache?: false | string;
  /** Adds `/api/test/…` (planting a scan result); for tests and the benchmark only. */
  testRoutes?: boolean;
  logger?: Logger;
}

/** A running server. */
export interface RunningServer {
  readonly url: string;
  readonly token: string;
  readonly outputDirectory: string;
  readonly server: Server;
  readonly service: ThumbnailService;
  readonly library: Library;
  readonly metrics: ServeMetrics;
  close(): Promise<void>;
}

/** Starts `romgfx serve`. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  checkBindOptions(host, options.token);
  const token = options.token ?? generateToken();
  const logger = options.logger ?? silentLogger;
  const outputDirectory = options.outputDirectory ?? join(tmpdir(), `romgfx-serve-${process.pid}-${Date.now().toString(36)}`);
  try {
    mkdirSync(outputDirectory, { recursive: true });
  } catch (error) {
    throw new IoError(`cannot create the output folder ${outputDirectory}: ${(error as Error).message}`, { path: outputDirectory }, { cause: error });
  }
  const service = new ThumbnailService({ ...(options.threads !== undefined ? { threads: options.threads } : {}), diskCache: options.diskCache ?? {}, logger });
  let library: Library;
  try {
    library = await Library.open(options.roms ?? [], options.definitions ?? [], options.root, service);
  } catch (error) {
    await service.close();
    throw error;
  }
  // Start the worker pool now rather than on the first page's first thumbnail (worker start-up
  // was most of a cold gallery's first screen): one one-tile thumbnail of the first ROM.
  const first = library.roms.values().next().value;
  if (first !== undefined) void service.thumbnail({ rom: first.ref, block: { offset: 0, format: 'gb2bpp', tiles: 1 } }).catch((error: unknown) => logger.debug({ err: error }, 'pool warm-up failed'));
  const metrics = new ServeMetrics();
  const scans = new ScanJobs(options.scanCache);
  const router = new Router();
  for (const route of buildRoutes({ library, service, metrics, scans, token, outputDirectory, startedAt: Date.now(), testRoutes: options.testRoutes === true })) router.add(route);
  const loopback = isLoopbackHost(host);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const start = performance.now();
    let routeName = 'unmatched';
    let status: number;
    try {
      const { path, query } = splitTarget(request.url ?? '/');
      if (loopback) checkLoopbackHostHeader(request);
      const { route, params } = router.match(request.method ?? 'GET', path);
      routeName = route.name;
      const navigation = route.path === '/' && request.headers['sec-fetch-mode'] === 'navigate';
      if (!navigation) checkSameOrigin(request);
      if (route.changesState) checkToken(request, token);
      await route.handle({ request, response, params, query });
      status = response.statusCode;
    } catch (error) {
      status = sendError(response, error);
      if (status >= 500) logger.error({ err: error, url: request.url }, 'request failed');
    }
    metrics.observe(routeName, request.method ?? 'GET', status, (performance.now() - start) / 1000);
  };

  const server = createServer({ keepAliveTimeout: keepAliveTimeoutInMs }, (request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new IoError(`cannot listen on ${host}:${options.port ?? defaultServePort}: ${error.message}`, { host, port: options.port ?? defaultServePort }, { cause: error })));
    server.listen(options.port ?? defaultServePort, host, () => resolve());
  }).catch(async (error: unknown) => {
    library.close();
    await service.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}/`,
    token,
    outputDirectory,
    server,
    service,
    library,
    metrics,
    close: () => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await scans.close();
        await service.close();
        server.closeAllConnections();
        await closed;
        await closeScanPools();
        library.close();
      })();
      return closing;
    },
  };
}

/**
 * On loopback, the Host header must name loopback too: a DNS-rebinding page (evil.example
 * resolving to 127.0.0.1) sends its own host name, and is refused here.
 */
function checkLoopbackHostHeader(request: IncomingMessage): void {
  const header = request.headers.host;
  if (header === undefined) return;
  const hostname = header.replace(/:\d+$/u, '');
  if (!isLoopbackHost(hostname)) throw new ServeForbiddenError(`Host "${header}" is not this loopback server`, { host: header });
}
