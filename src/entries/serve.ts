/**
 * `romgfx/serve`: the HTTP server behind `romgfx serve` (docs/serve.md) — ROM and definition
 * library, thumbnails, scans, sprite edits, behind a token on localhost.
 * @module romgfx/serve
 */
export { startServer, defaultServePort, maximumRequestBodySizeInBytes, tokenHeaderName, type ServeOptions, type RunningServer } from '../serve/index.js';
// The types `RunningServer` exposes, so the reference and callers can name them.
export type { Library as ServeLibrary, ServedRom, ServedDefinition } from '../serve/library.js';
export type { ServeMetrics, ThumbnailOutcome as ServeThumbnailOutcome } from '../serve/metrics.js';
