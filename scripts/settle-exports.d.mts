/** See settle-exports.mjs: rewrites an esbuild CommonJS file so that bindings never reassigned are exported as values. */
export function settleExports(code: string, path: string): string;
