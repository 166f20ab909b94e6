/**
 * Node built-ins that are expensive to load, required on first use. Node compiles a built-in
 * module the first time anything imports it: node:crypto costs 10–20 ms of start-up and
 * node:zlib 5–10 ms (measured here, issue #18), which every CLI run paid through a static import
 * even when it never hashed or deflated. Modules on a command's start-up path import these
 * getters instead; the result is the same module object a static import would give.
 */
import { createRequire } from 'node:module';

const requireBuiltin = createRequire(import.meta.url);

let cryptoModule: typeof import('node:crypto') | undefined;
let zlibModule: typeof import('node:zlib') | undefined;

/** node:crypto, loaded on the first call. */
export function nodeCrypto(): typeof import('node:crypto') {
  cryptoModule ??= requireBuiltin('node:crypto') as typeof import('node:crypto');
  return cryptoModule;
}

/** node:zlib, loaded on the first call. */
export function nodeZlib(): typeof import('node:zlib') {
  zlibModule ??= requireBuiltin('node:zlib') as typeof import('node:zlib');
  return zlibModule;
}
