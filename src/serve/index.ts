/** `romgfx serve`: browse a ROM's graphics in the browser (see docs/serve.md). */
export { startServer, defaultServePort, defaultServeHost, keepAliveTimeoutInMs, type ServeOptions, type RunningServer } from './server.js';
export { maximumRequestBodySizeInBytes } from './http.js';
export { tokenHeaderName } from './security.js';
