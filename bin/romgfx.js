#!/usr/bin/env node
// The romgfx command: a CommonJS launcher (bin/package.json marks this folder CommonJS) for the
// bundled CLI in dist/cli/ (scripts/bundle-cli.mjs: CommonJS files, one per command module plus
// shared chunks). CommonJS because Node's ES-module loader costs a start-up tens of milliseconds
// on its own (it loads fs/promises, readline and its resolver, and compiles each module twice
// over); a CLI run loads no ES module at all (issue #18).
//
// The bundle's files are compiled here, not by require(), so that V8 can start from the code
// cache the build made for each (`<file>.v8-cache`, written by scripts/cli-code-cache.mjs after
// running the common commands once): V8 then skips parsing and compiling what the cache holds,
// which was most of a start-up once resolution was cheap. V8 checks a cache against its own
// version, flags and the source's length and ignores one that does not fit (the code is then
// compiled as usual); a cache older than its file, or made in another folder, is not offered at
// all. Nothing is written at run time. ROMGFX_CODE_CACHE=0 turns the cache off (to measure it).
//
// The bundle runs only when it is at least as new as tsc's output, so a `tsc` without a new
// bundle runs the fresh unbundled CLI (dist/src, ES modules).
'use strict';
const Module = require('node:module');
const { readFileSync, statSync } = require('node:fs');
const { dirname, join, sep } = require('node:path');

const bundleDir = join(__dirname, '..', 'dist', 'cli');
const codeCacheSuffix = '.v8-cache';
/**
 * The folder the caches were made in (written by the cache writer). V8 (11.3, Node 20) keeps the
 * file name a script had when its cache was made, so a cache made elsewhere would make stack
 * traces name the build's files: the caches are only offered where they were made.
 */
const codeCacheOriginFile = 'v8-cache-origin';
let useCodeCache = process.env.ROMGFX_CODE_CACHE !== '0';
let codeCacheOriginChecked = false;
/** When this file is required (by the build's cache writer) rather than run: every script compiled, by file name. */
const mainModule = require.main;
const compiledScripts = require.main === module ? undefined : new Map();
let vm;

function mtimeMs(path) {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs;
}

function codeCacheFor(filename, sourceMtimeMs) {
  if (useCodeCache && !codeCacheOriginChecked) {
    codeCacheOriginChecked = true;
    let origin;
    try {
      origin = readFileSync(join(bundleDir, codeCacheOriginFile), 'utf8');
    } catch {
      origin = undefined;
    }
    useCodeCache = origin === bundleDir;
  }
  if (!useCodeCache) return undefined;
  const path = filename + codeCacheSuffix;
  const cacheMtimeMs = mtimeMs(path);
  return cacheMtimeMs !== undefined && cacheMtimeMs >= sourceMtimeMs ? readFileSync(path) : undefined;
}

/** The require() a bundle file gets: the bundle's own files through loadBundleFile, anything else (Node built-ins, sharp, pino, piscina) through Node's. */
function requireFor(mod) {
  const dir = dirname(mod.filename);
  function require(id) {
    if (id.startsWith('./') || id.startsWith('../')) {
      const target = join(dir, id);
      if (target.startsWith(bundleDir + sep)) return loadBundleFile(target, mod);
    }
    return mod.require(id);
  }
  require.resolve = (request, options) => Module.createRequire(mod.filename).resolve(request, options);
  require.main = mainModule;
  require.cache = Module._cache;
  return require;
}

/** Loads one CommonJS file of the bundle as require() would (one module object per file, in require.cache), compiled with its code cache. */
function loadBundleFile(filename, parent) {
  const loaded = Module._cache[filename];
  if (loaded) return loaded.exports;
  const sourceMtimeMs = mtimeMs(filename);
  const source = readFileSync(filename, 'utf8');
  const cachedData = codeCacheFor(filename, sourceMtimeMs);
  vm ??= require('node:vm');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, { filename, cachedData });
  compiledScripts?.set(filename, script);
  const mod = new Module(filename, parent);
  mod.filename = filename;
  mod.paths = Module._nodeModulePaths(dirname(filename));
  Module._cache[filename] = mod;
  try {
    script.runInThisContext().call(mod.exports, mod.exports, requireFor(mod), mod, filename, dirname(filename));
  } catch (error) {
    delete Module._cache[filename];
    throw error;
  }
  mod.loaded = true;
  return mod.exports;
}

/** The CLI's main(): the bundle's, or tsc's when the bundle is missing or older. */
function loadMain() {
  const bundled = mtimeMs(join(bundleDir, 'main.js'));
  const compiled = mtimeMs(join(__dirname, '..', 'dist', 'src', 'cli', 'main.js'));
  if (bundled !== undefined && (compiled === undefined || bundled >= compiled)) return Promise.resolve(loadBundleFile(join(bundleDir, 'main.js'), module));
  return import('../dist/src/cli/main.js');
}

if (compiledScripts === undefined) {
  loadMain()
    .then(({ main }) => main(process.argv.slice(2)))
    .then((code) => {
      // Let stdout drain before exiting (a piped `romgfx … --json | jq` must get every byte).
      process.exitCode = code;
    });
} else {
  module.exports = { bundleDir, codeCacheOriginFile, codeCacheSuffix, compiledScripts, loadBundleFile };
}
