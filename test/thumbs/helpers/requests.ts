import type { ThumbnailRequest } from '../../../src/thumbs/request.js';

export const fakeSha1 = 'a'.repeat(40);

/** A request for the scripted worker: `format` picks its behaviour, `offset` its parameter. */
export function scriptedRequest(format: string, offset: number, extra: Partial<ThumbnailRequest> = {}): ThumbnailRequest {
  return { rom: { path: '/nonexistent/scripted.rom', sha1: fakeSha1 }, block: { offset, format, tiles: 1 }, ...extra };
}
