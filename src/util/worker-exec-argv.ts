/**
 * execArgv for our Piscina workers. Piscina loads a worker file with require() first and falls
 * back to import(). On Node ≥ 20.19 require() of an ES module works, synchronously; a worker
 * terminated while that synchronous load is instantiating the module graph (an aborted task, a
 * pool closing while a replacement worker starts) took the whole process down here with a V8
 * fatal error ("v8::Module::IsGraphAsync must be used on an instantiated module", seen once in
 * a full test run, in test/thumbs/pool.test.ts). With require(esm) off in the workers, require()
 * refuses at once and Piscina takes the asynchronous import() path. The rest of the parent's
 * execArgv is kept, as Piscina would by default.
 */
export function poolWorkerExecArgv(): string[] {
  const flag = '--no-experimental-require-module';
  // Node versions before the flag existed cannot require ES modules at all.
  return process.allowedNodeEnvironmentFlags.has(flag) ? [...process.execArgv, flag] : [...process.execArgv];
}
