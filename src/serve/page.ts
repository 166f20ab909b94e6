/**
 * The page's files, served from the package (`src/serve/page`, listed in package.json "files"):
 * plain HTML, CSS and ES modules, no build step. Only the files in that folder, by exact name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { PACKAGE_ROOT } from '../version.js';
import { ServeNotFoundError } from '../errors.js';
import { sendBytes, type RouteContext } from './http.js';

/** Where the page's files are. */
export const pageDirectory = join(PACKAGE_ROOT, 'src', 'serve', 'page');

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The placeholder in index.html the per-start token replaces. */
const tokenPlaceholder = '%ROMGFX_TOKEN%';

/** Read once per process: the file names are the whitelist. */
let files: Map<string, Buffer> | undefined;

function pageFiles(): Map<string, Buffer> {
  if (!files) {
    files = new Map();
    for (const name of readdirSync(pageDirectory)) if (contentTypes[extname(name)] !== undefined) files.set(name, readFileSync(join(pageDirectory, name)));
  }
  return files;
}

/** Answers one of the page's files; index.html carries the token in a meta tag. */
export function servePage(context: RouteContext, name: string, token: string): void {
  const bytes = pageFiles().get(name);
  if (bytes === undefined) throw new ServeNotFoundError(`no page file "${name}"`, { file: name });
  const body = name === 'index.html' ? Buffer.from(bytes.toString('utf8').replace(tokenPlaceholder, token)) : bytes;
  sendBytes(context.response, 200, contentTypes[extname(name)]!, body, {
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    'X-Frame-Options': 'DENY',
  });
}
