// ROM view: a tile viewer at any offset (format, codec, palette, tiles per row, zoom), settings in the URL.
import { getJson, send, ApiError, showError, hex, writeHash } from './api.js';

const form = document.getElementById('rom-form');
const image = document.getElementById('rom-image');
const viewer = document.getElementById('rom-viewer');
const errorBox = document.getElementById('rom-error');
const paletteFile = document.getElementById('palette-file');
const paletteSub = document.getElementById('palette-sub');
let state = { rom: '', formats: [], resolved: null };
let loadSequence = 0;

const fields = ['offset', 'format', 'codec', 'palette', 'perRow', 'rows', 'zoom'];

export function initRomView(formats, codecs) {
  state.formats = formats;
  const formatSelect = form.elements.format;
  for (const f of formats) formatSelect.append(new Option(f.name, f.name));
  formatSelect.value = formats.some((f) => f.name === 'snes4bpp') ? 'snes4bpp' : formats[0].name;
  for (const c of codecs) form.elements.codec.append(new Option(c, c));
  form.addEventListener('input', () => { state.resolved = null; update(); });
  form.addEventListener('submit', (e) => e.preventDefault());
  viewer.addEventListener('keydown', onKey);
  paletteFile.addEventListener('change', loadPaletteFile);
  paletteSub.addEventListener('change', loadPaletteFile);
}

/**
 * A palette file: the server parses it with the CLI's reader (POST /api/palettes) and answers its
 * colours as a `colors:` palette, which goes into the Palette field (and so into the URL).
 */
async function loadPaletteFile() {
  const file = paletteFile.files[0];
  if (!file) return;
  const q = new URLSearchParams({ name: file.name });
  const sub = paletteSub.value.trim();
  if (sub !== '') {
    q.set('subpalette', sub);
    q.set('colours', String(Math.min(256, 2 ** (state.formats.find((f) => f.name === form.elements.format.value)?.bpp ?? 4))));
  }
  try {
    const response = await send('POST', `/api/palettes?${q}`, await file.arrayBuffer(), 'application/octet-stream');
    const answer = await response.json();
    form.elements.palette.value = answer.palette;
    paletteFile.dataset.colours = String(answer.count);
    update();
  } catch (error) {
    showError(errorBox, error);
  }
}

function bytesPerTile() {
  return state.formats.find((f) => f.name === form.elements.format.value)?.bytesPerTile ?? 32;
}

export function showRomView(rom, params) {
  state.rom = rom;
  for (const name of fields) if (params.has(name)) form.elements[name].value = params.get(name);
  state.resolved = null;
  update();
}

function settings() {
  const s = new URLSearchParams();
  s.set('rom', state.rom);
  for (const name of fields) s.set(name, form.elements[name].value.trim());
  return s;
}

/** The thumbnail URL for the current settings (zoom is the server's integer scale). */
export function thumbnailUrl(s) {
  const q = new URLSearchParams();
  q.set('offset', s.get('offset'));
  q.set('format', s.get('format'));
  q.set('tiles', String(Number(s.get('perRow')) * Number(s.get('rows'))));
  q.set('perRow', s.get('perRow'));
  if (s.get('codec')) q.set('codec', s.get('codec'));
  if (s.get('palette') && s.get('palette') !== 'gray') q.set('palette', s.get('palette'));
  q.set('scale', s.get('zoom'));
  return `/api/roms/${encodeURIComponent(s.get('rom'))}/thumbnail?${q}`;
}

async function update() {
  if (!state.rom) return;
  const s = settings();
  writeHash('rom', s);
  const sequence = ++loadSequence;
  try {
    const response = await fetch(thumbnailUrl(s));
    if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
    const blob = await response.blob();
    if (sequence !== loadSequence) return;
    const old = image.src;
    image.src = URL.createObjectURL(blob);
    await image.decode().catch(() => {});
    if (old.startsWith('blob:')) URL.revokeObjectURL(old);
    image.dataset.loaded = String(sequence);
    showError(errorBox, null);
  } catch (error) {
    if (sequence === loadSequence) showError(errorBox, error);
  }
}

async function currentOffset() {
  const text = form.elements.offset.value.trim();
  if (/^(0x[0-9a-f]+|\d+)$/i.test(text)) return Number(text);
  // A bus address: the server maps it through this ROM's mapping.
  const { offset } = await getJson(`/api/roms/${encodeURIComponent(state.rom)}/locate?at=${encodeURIComponent(text)}`);
  return offset;
}

async function onKey(event) {
  const tile = bytesPerTile();
  const row = tile * Number(form.elements.perRow.value);
  const page = row * Number(form.elements.rows.value);
  const steps = { ArrowLeft: -tile, ArrowRight: tile, ArrowUp: -row, ArrowDown: row, PageUp: -page, PageDown: page, ',': -1, '.': 1 };
  if (event.key === 'Home') {
    event.preventDefault();
    form.elements.offset.value = '0x0';
    return update();
  }
  const step = steps[event.key];
  if (step === undefined) return;
  event.preventDefault();
  try {
    const offset = Math.max(0, (await currentOffset()) + step);
    form.elements.offset.value = hex(offset);
    update();
  } catch (error) {
    showError(errorBox, error);
  }
}
