/**
 * `romgfx/serve`: the HTTP server behind `romgfx serve` (docs/serve.md) — ROM and definition
 * library, thumbnails, scans, sprite edits, behind a token on localhost.
 * @module romgfx/serve
 */
export { startServer, defaultServePort, maximumRequestBodySizeInBytes, tokenHeaderName, type ServeOptions, type RunningServer } from '../serve/index.js';
