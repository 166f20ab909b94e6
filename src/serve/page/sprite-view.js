// Sprite view: every sprite of the ROM's definition; download the PNG, upload an edited one to inject.
import { getJson, send, showError } from './api.js';

const list = document.getElementById('sprites');
const errorBox = document.getElementById('sprites-error');

export async function showSpriteView(rom) {
  list.replaceChildren();
  showError(errorBox, null);
  let answer;
  try {
    answer = await getJson(`/api/roms/${encodeURIComponent(rom)}/sprites`);
  } catch (error) {
    showError(errorBox, error);
    return;
  }
  for (const sprite of answer.sprites) list.append(card(rom, sprite));
}

function card(rom, sprite) {
  const base = `/api/roms/${encodeURIComponent(rom)}/sprites/${encodeURIComponent(sprite.name)}`;
  const box = document.createElement('div');
  box.className = 'sprite';
  box.dataset.sprite = sprite.name;
  const title = document.createElement('strong');
  title.textContent = sprite.name;
  box.append(title);
  if (sprite.error) {
    const e = document.createElement('div');
    e.className = 'error';
    e.textContent = sprite.error;
    box.append(e);
    return box;
  }
  const frame = document.createElement('div');
  frame.className = 'img';
  const img = document.createElement('img');
  img.src = `${base}/png`;
  img.alt = sprite.name;
  img.style.width = `${Math.min(256, sprite.width * 2)}px`;
  frame.append(img);
  const facts = document.createElement('dl');
  for (const [k, v] of [['codec', sprite.codec], ['format', sprite.tileFormat], ['offset', '0x' + sprite.offset.toString(16).toUpperCase()], ['size', `${sprite.width}×${sprite.height}`], ['tiles', sprite.tileCount], ['palette', `${sprite.paletteColours} colours`]]) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = String(v);
    facts.append(dt, dd);
  }
  const downloadLink = document.createElement('a');
  downloadLink.href = `${base}/png`;
  downloadLink.download = `${sprite.name}.png`;
  downloadLink.textContent = 'Download PNG';
  const upload = document.createElement('label');
  upload.textContent = 'Upload edited PNG ';
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = 'image/png';
  upload.append(input);
  const result = document.createElement('div');
  result.className = 'result';
  const error = document.createElement('div');
  error.className = 'error';
  error.hidden = true;
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    result.textContent = 'injecting…';
    showError(error, null);
    try {
      const response = await send('POST', base, new Uint8Array(await file.arrayBuffer()), 'image/png');
      const done = await response.json();
      result.replaceChildren();
      for (const out of [done.rom, done.patch]) {
        const a = document.createElement('a');
        a.href = out.url;
        a.download = out.name;
        a.textContent = `Download ${out.name}`;
        result.append(a);
      }
    } catch (e) {
      result.textContent = '';
      showError(error, e);
    }
    input.value = '';
  });
  box.append(frame, facts, downloadLink, document.createElement('br'), upload, result, error);
  return box;
}
