// Starts the first screen's API requests at once. The page's modules run only when every module
// of the graph has loaded; this classic async script runs as soon as it arrives, so the candidate
// list and the ROM list are on their way ~100-200 ms sooner (bench/serve; docs/serve.md).
// app.js takes the answers from window.romgfxBoot (each is used once).
(() => {
  const [view, query = ''] = location.hash.replace(/^#/, '').split('?');
  const scan = view === 'scan' ? new URLSearchParams(query).get('scan') : null;
  const quiet = (promise) => { promise.catch(() => {}); return promise; };
  window.romgfxBoot = {
    roms: quiet(fetch('/api/roms')),
    formats: quiet(fetch('/api/formats')),
    scan: scan ? { id: scan, response: quiet(fetch(`/api/scans/${encodeURIComponent(scan)}?layout=rows`)) } : null,
  };
})();
