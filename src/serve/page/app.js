// romgfx serve: the page's entry point. Views: ROM (tile viewer), Scan (gallery), Sprites.
import { bootJson, readHash, showError } from './api.js';
import { initRomView, showRomView } from './rom-view.js';
import { initScanView, showScanView } from './scan-view.js';
import { showSpriteView } from './sprite-view.js';

const romSelect = document.getElementById('rom-select');
const status = document.getElementById('status');
const views = ['rom', 'scan', 'sprites'];

async function main() {
  // boot.js has asked for these (and a scan in the URL) already.
  const [{ roms }, formats] = await Promise.all([bootJson('roms', '/api/roms'), bootJson('formats', '/api/formats')]);
  for (const rom of roms) romSelect.append(new Option(`${rom.fileName} (${rom.platform}${rom.title ? ', ' + rom.title : ''})`, rom.id));
  status.textContent = `${roms.length} ROM(s)`;
  initRomView(formats.tileFormats, formats.codecs);
  initScanView(formats.tileFormats, formats.scanCodecs);
  romSelect.addEventListener('change', () => {
    const { view } = readHash();
    location.hash = `#${view}?rom=${encodeURIComponent(romSelect.value)}`;
  });
  window.addEventListener('hashchange', route);
  await route();
  document.body.dataset.ready = 'true';
}

async function route() {
  const { view, params } = readHash();
  const name = views.includes(view) ? view : 'rom';
  const rom = params.get('rom') ?? romSelect.value;
  if (rom) romSelect.value = rom;
  for (const v of views) document.getElementById(`view-${v}`).hidden = v !== name;
  for (const a of document.querySelectorAll('header nav a')) {
    a.classList.toggle('active', a.dataset.view === name);
    a.href = `#${a.dataset.view}?rom=${encodeURIComponent(romSelect.value)}`;
  }
  if (name === 'rom') showRomView(romSelect.value, params);
  else if (name === 'scan') await showScanView(romSelect.value, params);
  else await showSpriteView(romSelect.value);
}

main().catch((error) => {
  status.textContent = 'failed to start';
  const box = document.createElement('div');
  box.className = 'error';
  document.querySelector('main').prepend(box);
  showError(box, error);
});
