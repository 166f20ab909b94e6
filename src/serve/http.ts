/**
 * The HTTP plumbing of `romgfx serve`: a tiny router, JSON and error answers, and request bodies
 * read under a size limit. Errors are answered with the JSON the CLI prints (`err.toJSON()`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InternalError, RomgfxError, ServeBodyTooLargeError, ServeMethodError, ServeNotFoundError, isRomgfxError, type AnyRomgfxError } from '../errors.js';

/** The largest request body the server reads (an uploaded PNG or a JSON list of candidates), in bytes. */
export const maximumRequestBodySizeInBytes = 8 * 1024 * 1024;

/** What a route handler gets: the request, the response, the path parameters and the query. */
export interface RouteContext {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
}

/** A route: method, a path pattern with `{name}` segments, its metrics name, and whether it changes state (needs the token). */
export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  /** The label on the route's metrics (the pattern, so ids never make new series). */
  readonly name: string;
  readonly changesState: boolean;
  readonly handle: (context: RouteContext) => Promise<void> | void;
}

interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** The HTTP status for an error: by its code where the code says more, else by its category. */
export function statusForError(error: RomgfxError): number {
  switch (error.code) {
    case 'ERR_SERVE_NOT_FOUND':
    case 'ERR_SPRITE_NOT_FOUND':
      return 404;
    case 'ERR_SERVE_FORBIDDEN':
      return 403;
    case 'ERR_SERVE_BODY_TOO_LARGE':
      return 413;
    case 'ERR_SERVE_METHOD':
      return 405;
    case 'ERR_ABORTED':
      return 409;
    default:
      break;
  }
  switch (error.category) {
    case 'usage':
      return 400;
    case 'data':
      return 422;
    case 'missing':
      return 404;
    default:
      return 500;
  }
}

/** Matches request paths to routes; a known path with the wrong method is a 405, an unknown one a 404. */
export class Router {
  readonly #routes: CompiledRoute[] = [];

  add(route: Route): void {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        const match = /^\{([a-zA-Z]+)\}$/u.exec(segment);
        if (!match) return segment.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
        names.push(match[1]!);
        // One path segment of safe characters: ids and sprite names, never a path.
        return '([A-Za-z0-9._~%-]{1,200})';
      })
      .join('/');
    this.#routes.push({ route, pattern: new RegExp(`^${source}$`, 'u'), names });
  }

  /** The route and its parameters for a method and path; throws ServeNotFoundError or ServeMethodError. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } {
    const allowed: string[] = [];
    for (const { route, pattern, names } of this.#routes) {
      const found = pattern.exec(path);
      if (!found) continue;
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        let value: string;
        try {
          value = decodeURIComponent(found[i + 1]!);
        } catch {
          throw new ServeNotFoundError(`no such resource: ${path}`, { path });
        }
        params[name] = value;
      });
      return { route, params };
    }
    if (allowed.length > 0) throw new ServeMethodError(method, path, allowed);
    throw new ServeNotFoundError(`no such resource: ${path}`, { path });
  }
}

/**
 * Headers on every answer. Given to writeHead with the others, not through setHeader first:
 * a header set before writeHead makes Node merge the two sets on every response (the
 * thumbnail hit path's cost, bench/serve).
 */
export const commonHeaders: Readonly<Record<string, string>> = { 'X-Content-Type-Options': 'nosniff' };

/** Sends a JSON body. */
export function sendJson(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value));
  response.writeHead(status, { ...commonHeaders, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(body.length), 'Cache-Control': 'no-store', ...headers });
  response.end(body);
}

/** Sends bytes with a content type. */
export function sendBytes(response: ServerResponse, status: number, contentType: string, bytes: Uint8Array, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...commonHeaders, 'Content-Type': contentType, 'Content-Length': String(bytes.length), ...headers });
  response.end(bytes);
}

/** Splits a request target into its path and query without a URL object (the hit path's cost; bench/serve). */
export function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const mark = target.indexOf('?');
  return mark < 0 ? { path: target, query: new URLSearchParams() } : { path: target.slice(0, mark), query: new URLSearchParams(target.slice(mark + 1)) };
}

/** Any thrown value as a RomgfxError (a foreign error is our bug: ERR_INTERNAL). */
export function asRomgfxError(error: unknown): AnyRomgfxError {
  if (isRomgfxError(error)) return error;
  return new InternalError(`unexpected error: ${(error as Error)?.message ?? String(error)}`, {}, { cause: error });
}

/** Answers an error with its status and `toJSON()` (headers already sent: the connection is cut). */
export function sendError(response: ServerResponse, error: unknown): number {
  const typed = asRomgfxError(error);
  const status = statusForError(typed);
  if (response.headersSent) {
    response.destroy();
    return status;
  }
  sendJson(response, status, typed.toJSON(), status === 405 && typed.code === 'ERR_SERVE_METHOD' ? { Allow: typed.details.allowed.join(', ') } : {});
  return status;
}

/** Reads the whole body, refusing (413) as soon as it passes `limitInBytes`. */
export function readBody(request: IncomingMessage, limitInBytes = maximumRequestBodySizeInBytes): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limitInBytes) {
    request.resume();
    return Promise.reject(new ServeBodyTooLargeError(limitInBytes, { declaredBytes: declared }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limitInBytes) {
        refused = true;
        chunks.length = 0;
        // Keep draining so the 413 can be written on this connection.
        reject(new ServeBodyTooLargeError(limitInBytes));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!refused) resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    request.on('error', (error) => reject(error));
  });
}
