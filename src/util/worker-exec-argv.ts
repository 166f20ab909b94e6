/**
 * execArgv for our Piscina workers. Piscina loads a worker file with require() first and falls
 * back to import(). On Node ≥ 20.19 require() of an ES module works, synchronously; a worker
 * terminated while that synchronous load is instantiating the module graph (an aborted task, a
 * pool closing while a replacement worker starts) took the whole process down here with a V8
 * fatal error ("v8::Module::IsGraphAsync must be used on an instantiated module", seen once in
 * a full test run, in test/thumbs/pool.test.ts). With require(esm) off in the workers, require()
 * refuses at once and Piscina takes the asynchronous import() path. The parent's execArgv is not
 * passed on: an explicit execArgv is validated, and flags that are fine inherited (V8 ones such
 * as --expose-gc) make Worker refuse to start.
 */
export function poolWorkerExecArgv(): string[] | undefined {
  const flag = '--no-experimental-require-module';
  // Node versions before the flag existed cannot require ES modules at all: inherit as usual.
  return process.allowedNodeEnvironmentFlags.has(flag) ? [flag] : undefined;
}
