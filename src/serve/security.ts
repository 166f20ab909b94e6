/**
 * Who may talk to `romgfx serve`: loopback by default, a per-start token for state-changing
 * requests, and no cross-origin requests (a page on another site must not drive a local server:
 * the browser sends `Origin` and `Sec-Fetch-Site`, which that page cannot forge).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { ServeForbiddenError, UsageError } from '../errors.js';

/** The header that carries the token. */
export const tokenHeaderName = 'x-romgfx-token';
/** Bytes of randomness in a generated token. */
export const generatedTokenSizeInBytes = 24;
/** The shortest `--token` accepted, in characters. */
export const minimumTokenLengthInCharacters = 16;

/** A fresh random token (base64url). */
export function generateToken(): string {
  return randomBytes(generatedTokenSizeInBytes).toString('base64url');
}

/** True for an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const bare = host.replace(/^\[|\]$/gu, '');
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1';
  return false;
}

/** A non-loopback host needs an explicit token: anyone on the network could otherwise drive the server. */
export function checkBindOptions(host: string, token: string | undefined): void {
  if (!isLoopbackHost(host) && token === undefined) throw new UsageError(`--host ${host} is reachable from other machines: give --token too`, { host });
  if (token !== undefined && (token.length < minimumTokenLengthInCharacters || !/^[\x21-\x7e]+$/u.test(token))) {
    throw new UsageError(`--token must be at least ${minimumTokenLengthInCharacters} printable characters without spaces`);
  }
}

/**
 * Refuses a cross-origin request: `Sec-Fetch-Site` other than same-origin/none, or an `Origin`
 * whose host is not the one the request was sent to.
 */
export function checkSameOrigin(request: IncomingMessage): void {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
    throw new ServeForbiddenError(`cross-origin request refused (Sec-Fetch-Site: ${site})`, { secFetchSite: site });
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new ServeForbiddenError(`cross-origin request refused (Origin: ${origin})`, { origin });
  }
  if (originHost !== request.headers.host) throw new ServeForbiddenError(`cross-origin request refused (Origin: ${origin})`, { origin });
}

/** Refuses a state-changing request without the token (compared in constant time). */
export function checkToken(request: IncomingMessage, token: string): void {
  const given = request.headers[tokenHeaderName];
  if (typeof given !== 'string') throw new ServeForbiddenError(`this request changes state: send the ${tokenHeaderName} header the page received`);
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new ServeForbiddenError(`wrong ${tokenHeaderName}`);
}
