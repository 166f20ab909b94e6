// Scan view: run the scanner with live progress, then a virtualised gallery of every candidate.
import { getJson, send, showError, download, hex, writeHash, takeBootScan } from './api.js';

// The gallery's rules, shared with boot.js (which asks for the first screen before this module runs).
const { cellWidth, cellHeight, thumbnailQuery, passes, fromRows } = window.romgfxGallery;
/** Rows drawn above and below the visible ones, so a fast scroll does not show blanks. */
const overscanRows = 1;

const gallery = document.getElementById('gallery');
const spacer = document.getElementById('gallery-spacer');
const progress = document.getElementById('scan-progress');
const summary = document.getElementById('scan-summary');
const startButton = document.getElementById('scan-start');
const cancelButton = document.getElementById('scan-cancel');
const definitionButton = document.getElementById('scan-definition');
const pickedCount = document.getElementById('scan-picked');
const errorBox = document.getElementById('scan-error');
const filters = { codec: document.getElementById('filter-codec'), format: document.getElementById('filter-format'), kind: document.getElementById('filter-kind') };

let rom = '';
let scanId = '';
let formats = new Map();
let candidates = [];
let shown = [];
const picked = new Set();
const cells = new Map();
let events = null;

/** A scan's state and candidates, from the compact answer (`?layout=rows`: rows of numbers, names by index). */
async function fetchScan(id) {
  const result = await (takeBootScan(id) ?? getJson(`/api/scans/${encodeURIComponent(id)}?layout=rows`));
  result.candidates = fromRows(result);
  return result;
}

export function initScanView(formatList, scanCodecs) {
  formats = new Map(formatList.map((f) => [f.name, f]));
  for (const c of scanCodecs) filters.codec.append(new Option(c, c));
  for (const f of formatList) filters.format.append(new Option(f.name, f.name));
  for (const select of Object.values(filters)) select.addEventListener('change', () => { applyFilters(); saveHash(); });
  startButton.addEventListener('click', start);
  cancelButton.addEventListener('click', cancel);
  definitionButton.addEventListener('click', downloadDefinition);
  gallery.addEventListener('scroll', () => requestAnimationFrame(draw));
  new ResizeObserver(() => { layout(); draw(); }).observe(gallery);
}

function saveHash() {
  const s = new URLSearchParams({ rom });
  if (scanId) s.set('scan', scanId);
  for (const [name, select] of Object.entries(filters)) if (select.value) s.set(name, select.value);
  writeHash('scan', s);
}

export async function showScanView(romId, params) {
  rom = romId;
  for (const [name, select] of Object.entries(filters)) select.value = params.get(name) ?? '';
  const wanted = params.get('scan') ?? '';
  if (wanted && wanted !== scanId) await follow(wanted);
  else saveHash();
  draw();
}

async function start() {
  showError(errorBox, null);
  try {
    const minimum = Number(document.getElementById('scan-minimum').value);
    const response = await send('POST', `/api/roms/${encodeURIComponent(rom)}/scans`, Number.isSafeInteger(minimum) ? { minimumUnpackedSize: minimum } : {});
    const job = await response.json();
    await follow(job.id);
  } catch (error) {
    showError(errorBox, error);
  }
}

async function cancel() {
  try {
    await send('DELETE', `/api/scans/${encodeURIComponent(scanId)}`);
  } catch (error) {
    showError(errorBox, error);
  }
}

/** Shows a scan: a finished one at once, a running one by following its events until it ends. */
async function follow(id) {
  scanId = id;
  saveHash();
  events?.close();
  candidates = [];
  picked.clear();
  try {
    const result = await fetchScan(id);
    if (result.state === 'done') {
      performance.mark('romgfx:candidates');
      candidates = result.candidates;
      progress.max = 1;
      progress.value = 1;
      summary.textContent = `${candidates.length} candidates`;
      applyFilters();
      return;
    }
  } catch (error) {
    showError(errorBox, error);
    return;
  }
  applyFilters();
  startButton.disabled = true;
  cancelButton.disabled = false;
  summary.textContent = 'scanning…';
  return new Promise((resolve) => {
    events = new EventSource(`/api/scans/${encodeURIComponent(id)}/events`);
    const finish = async (text) => {
      events.close();
      startButton.disabled = false;
      cancelButton.disabled = true;
      summary.textContent = text;
      resolve();
    };
    events.addEventListener('progress', (e) => {
      const p = JSON.parse(e.data);
      progress.max = Math.max(1, p.total);
      progress.value = p.done;
      summary.textContent = `scanning… ${p.total > 0 ? Math.round((100 * p.done) / p.total) : 0}%`;
    });
    events.addEventListener('done', async () => {
      try {
        const result = await fetchScan(id);
        candidates = result.candidates;
        progress.max = 1;
        progress.value = 1;
        applyFilters();
        await finish(`${candidates.length} candidates`);
      } catch (error) {
        showError(errorBox, error);
        await finish('failed');
      }
    });
    events.addEventListener('cancelled', () => finish('cancelled'));
    events.addEventListener('failed', (e) => { showError(errorBox, JSON.parse(e.data).error); finish('failed'); });
    events.onerror = () => { if (events.readyState === EventSource.CLOSED) finish('disconnected'); };
  });
}

function applyFilters() {
  const wanted = { codec: filters.codec.value, format: filters.format.value, kind: filters.kind.value };
  shown = [];
  candidates.forEach((c, index) => {
    if (passes(c, wanted)) shown.push(index);
  });
  for (const cell of cells.values()) cell.remove();
  cells.clear();
  gallery.dataset.count = String(shown.length);
  layout();
  draw();
}

function columns() {
  return Math.max(1, Math.floor(gallery.clientWidth / cellWidth));
}

function layout() {
  spacer.style.height = `${Math.ceil(shown.length / columns()) * cellHeight}px`;
}

/**
 * Draws only the rows in view (plus a margin); cells leaving the view are removed. New cells are
 * built off the document and added at once (one layout), and their thumbnails are asked for in
 * view first: the cells on screen in one batch request, the margin's in another after it, so the
 * margin never delays the first screen (a cold one waits on the worker pool).
 */
function draw() {
  const cols = columns();
  const top = gallery.scrollTop;
  const bottom = top + gallery.clientHeight;
  const first = Math.max(0, Math.floor(top / cellHeight) - overscanRows);
  const last = Math.ceil(bottom / cellHeight) + overscanRows;
  const from = first * cols;
  const to = Math.min(shown.length, last * cols);
  const visibleFrom = Math.floor(top / cellHeight) * cols;
  const visibleTo = Math.ceil(bottom / cellHeight) * cols;
  for (const [position, cell] of cells) {
    if (position < from || position >= to) {
      cell.remove();
      cells.delete(position);
    }
  }
  const added = document.createDocumentFragment();
  const inView = [];
  const margin = [];
  for (let position = from; position < to; position++) {
    if (cells.has(position)) continue;
    const cell = makeCell(shown[position]);
    cells.set(position, cell);
    cell.style.transform = `translate(${(position % cols) * cellWidth}px, ${Math.floor(position / cols) * cellHeight}px)`;
    added.append(cell);
    (position >= visibleFrom && position < visibleTo ? inView : margin).push(cell);
  }
  if (inView.length + margin.length === 0) return;
  gallery.append(added);
  const batches = [];
  for (const list of [inView, margin]) for (let i = 0; i < list.length; i += thumbnailsPerBatch) batches.push(list.slice(i, i + thumbnailsPerBatch));
  batches.reduce((previous, batch) => previous.then(() => loadBatch(batch)), Promise.resolve());
}

/** Thumbnails asked for in one request (the server allows up to 128). */
const thumbnailsPerBatch = 64;

/** The first screen's batch boot.js asked for: {rom, items: Map(query → index), parsed} once its answer is in, else null. */
let bootBatch = null;

/** Takes boot.js's first-screen batch (once): the thumbnail queries it asked for and its parsed answer. */
async function takeBootBatch() {
  const started = window.romgfxBoot?.thumbnails;
  if (!started) return null;
  window.romgfxBoot.thumbnails = null;
  const [queries, body] = await Promise.all([started.queries, started.body]).catch(() => [null, null]);
  if (!queries || !body) return null;
  return { rom: started.rom, items: new Map(queries.map((q, i) => [q, i])), parsed: parseBatch(body) };
}

/** A batch answer: a 4-byte big-endian header length, the JSON header, then the PNGs back to back. */
function parseBatch(buffer) {
  const body = new Uint8Array(buffer);
  const headerLength = new DataView(body.buffer, body.byteOffset, 4).getUint32(0);
  const { items } = JSON.parse(new TextDecoder().decode(body.subarray(4, 4 + headerLength)));
  performance.mark('romgfx:thumbnails');
  return { items, body, start: 4 + headerLength };
}

/**
 * Decodes one thumbnail of a batch with createImageBitmap (off the main thread, no blob: URL
 * round trip through the browser process) and shows it in the cell's canvas.
 */
async function drawItem(cell, item, { body, start }) {
  if (!cell.isConnected) return;
  if (item.status !== 200) return markBroken(cell, item.error?.message);
  try {
    const bitmap = await createImageBitmap(new Blob([body.subarray(start + item.offset, start + item.offset + item.length)], { type: 'image/png' }));
    const canvas = cell.querySelector('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    // Handed over, not drawn: a 'bitmaprenderer' context takes the decoded bitmap as it is,
    // without a 2D context's backing store per cell (a profile of the first screen: 40 2D
    // contexts and draws were ~0.1 s of the main thread on this box).
    canvas.getContext('bitmaprenderer').transferFromImageBitmap(bitmap);
    cell.dataset.state = 'loaded';
  } catch (error) {
    markBroken(cell, error.message);
  }
}

/**
 * The thumbnails of many cells: those boot.js already asked for from its answer, the others in
 * one request (GET /api/roms/{id}/thumbnails; docs/serve.md).
 */
async function loadBatch(batch) {
  batch = batch.filter((cell) => cell.isConnected);
  if (batch.length === 0) return;
  const boot = window.romgfxBoot?.thumbnails ? (bootBatch = await takeBootBatch()) : bootBatch;
  const fromBoot = boot && boot.rom === rom ? batch.filter((cell) => boot.items.has(cell.dataset.thumbnail)) : [];
  const rest = fromBoot.length > 0 ? batch.filter((cell) => !boot.items.has(cell.dataset.thumbnail)) : batch;
  const drawn = fromBoot.map((cell) => drawItem(cell, boot.parsed.items[boot.items.get(cell.dataset.thumbnail)], boot.parsed));
  if (rest.length > 0) {
    const query = new URLSearchParams();
    for (const cell of rest) query.append('item', cell.dataset.thumbnail);
    try {
      const response = await fetch(`/api/roms/${encodeURIComponent(rom)}/thumbnails?${query}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const parsed = parseBatch(await response.arrayBuffer());
      drawn.push(...rest.map((cell, i) => drawItem(cell, parsed.items[i], parsed)));
    } catch (error) {
      for (const cell of rest) if (cell.isConnected) markBroken(cell, error.message);
    }
  }
  await Promise.all(drawn);
}

function markBroken(cell, why) {
  const thumb = cell.querySelector('.thumb');
  thumb.textContent = 'does not decode';
  thumb.title = why ?? '';
  thumb.classList.add('broken');
  cell.dataset.state = 'broken';
}

function tilesOf(c) {
  return Number(new URLSearchParams(thumbnailQuery(c, formats.get(c.format)?.bytesPerTile)).get('tiles'));
}

function makeCell(index) {
  const c = candidates[index];
  const cell = document.createElement('div');
  cell.className = 'cell' + (picked.has(index) ? ' picked' : '');
  cell.dataset.index = String(index);
  const thumb = document.createElement('div');
  thumb.className = 'thumb';
  // A canvas the thumbnail is drawn into (loadBatch); role and label say what it shows.
  const canvas = document.createElement('canvas');
  canvas.width = 0;
  canvas.height = 0;
  // The pixels come from a batch request (loadBatch); a candidate that does not decode (a
  // false hit) says so instead of showing a broken image.
  cell.dataset.thumbnail = thumbnailQuery(c, formats.get(c.format)?.bytesPerTile);
  cell.dataset.state = 'loading';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${c.codec} ${hex(c.offset)}`);
  thumb.append(canvas);
  thumb.addEventListener('click', () => openInRomView(c));
  const label = document.createElement('div');
  label.className = 'label';
  label.innerHTML = '';
  const where = document.createElement('span');
  where.textContent = `${hex(c.offset)} ${c.codec}`;
  const score = document.createElement('span');
  score.textContent = c.score.toFixed(2);
  label.append(where, score);
  const pick = document.createElement('label');
  pick.className = 'label';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = picked.has(index);
  box.addEventListener('change', () => {
    if (box.checked) picked.add(index); else picked.delete(index);
    cell.classList.toggle('picked', box.checked);
    pickedCount.textContent = String(picked.size);
    definitionButton.disabled = picked.size === 0;
  });
  pick.append(box, document.createTextNode(` ${c.format} ${c.unpackedLength}B`));
  cell.append(thumb, label, pick);
  return cell;
}

function openInRomView(c) {
  const tiles = tilesOf(c);
  const s = new URLSearchParams({ rom, offset: hex(c.offset), format: c.format, codec: c.codec === 'raw' ? '' : c.codec, palette: 'gray', perRow: '16', rows: String(Math.max(1, Math.ceil(tiles / 16))), zoom: '2' });
  location.hash = `#rom?${s}`;
}

async function downloadDefinition() {
  try {
    const list = [...picked].map((i) => candidates[i]);
    const response = await send('POST', `/api/roms/${encodeURIComponent(rom)}/definition`, { candidates: list });
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'definition.json';
    download(await response.blob(), name);
  } catch (error) {
    showError(errorBox, error);
  }
}

