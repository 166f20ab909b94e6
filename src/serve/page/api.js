// The page talks to the server only through its HTTP API (docs/serve.md).
const token = document.querySelector('meta[name="romgfx-token"]').content;

/** An error answered by the server, with its typed JSON (code, message, details). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code ?? 'ERR_HTTP';
    this.details = body?.error?.details ?? {};
  }
}

async function check(response) {
  if (response.ok) return response;
  let body = null;
  try { body = await response.json(); } catch { /* not JSON */ }
  throw new ApiError(response.status, body);
}

export async function getJson(path) {
  return (await check(await fetch(path))).json();
}

/** The JSON boot.js asked for (taken once), or of a new request when it did not. */
export async function bootJson(name, path) {
  const started = window.romgfxBoot?.[name];
  if (!started) return getJson(path);
  window.romgfxBoot[name] = null;
  return unwrap(await started);
}

/** The scan answer boot.js asked for, when it is the scan wanted now (taken once); else null. */
export function takeBootScan(id) {
  const started = window.romgfxBoot?.scan;
  if (!started || started.id !== id) return null;
  window.romgfxBoot.scan = null;
  return started.answer.then(unwrap);
}

function unwrap(answer) {
  if (!answer.ok) throw new ApiError(answer.status, answer.body);
  return answer.body;
}

/** A state-changing request: carries the per-start token. */
export async function send(method, path, body, contentType = 'application/json') {
  const headers = { 'x-romgfx-token': token };
  if (body !== undefined) headers['content-type'] = contentType;
  const payload = body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : body;
  return check(await fetch(path, { method, headers, body: payload }));
}

/** Shows an error (message, code and details) in a box. */
export function showError(box, error) {
  if (!error) { box.hidden = true; box.textContent = ''; return; }
  box.hidden = false;
  const details = error.details && Object.keys(error.details).length > 0 ? '\n' + JSON.stringify(error.details, null, 1) : '';
  box.textContent = `${error.code ?? 'ERR'}: ${error.message}${details}`;
}

/** Saves a blob under a file name. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function hex(n) {
  return '0x' + n.toString(16).toUpperCase();
}

/** The view and its settings from the URL hash: `#view?key=value&…`. */
export function readHash() {
  const text = location.hash.replace(/^#/, '');
  const [view, query = ''] = text.split('?');
  return { view: view || 'rom', params: new URLSearchParams(query) };
}

/** Writes the settings into the URL without a new history entry (shareable, bookmarkable). */
export function writeHash(view, params) {
  const url = `#${view}?${params.toString()}`;
  if (location.hash !== url) history.replaceState(null, '', url);
}
