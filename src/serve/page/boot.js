// The first screen, started at once. A classic script in <head>: it runs before the page's ES
// modules (which wait for the whole module graph, then for their own start-up), and asks for the
// ROM list, the formats and the scan in the URL at once. When the URL shows a scan's gallery, it
// also asks for the first screen's thumbnails (one batch) as soon as the candidate list and the
// formats are in, so they are on their way before the modules have run (bench/serve; docs/serve.md).
// The gallery's rules (which candidates a filter shows, a cell's thumbnail query, the cell size)
// live here once, in window.romgfxGallery, and scan-view.js uses the same ones.
(() => {
  const cellWidth = 156;
  const cellHeight = 182;
  /** Tiles a candidate's thumbnail shows at most. */
  const thumbnailTiles = 64;
  const hex = (n) => '0x' + n.toString(16).toUpperCase();

  /** The thumbnail query of a candidate's cell (its tiles, 8 per row, scale 2). */
  const thumbnailQuery = (c, bytesPerTile) => {
    const tiles = Math.max(1, Math.min(thumbnailTiles, Math.floor(c.unpackedLength / (bytesPerTile || 32))));
    const q = new URLSearchParams({ offset: hex(c.offset), format: c.format, tiles: String(tiles), perRow: '8', scale: '2' });
    if (c.codec !== 'raw') q.set('codec', c.codec);
    return q.toString();
  };
  /** Whether a candidate passes the codec, format and kind filters. */
  const passes = (c, { codec, format, kind }) =>
    !(codec && c.codec !== codec) && !(format && c.format !== format) && !(kind === 'raw' && c.codec !== 'raw') && !(kind === 'compressed' && c.codec === 'raw');
  /** Candidates from the compact scan answer (`?layout=rows`). */
  const fromRows = (result) => {
    const { codecs = [], formats = [], kinds = [] } = result;
    return result.rows.map((r) => ({ offset: r[0], packedLength: r[1], unpackedLength: r[2], codec: codecs[r[3]], format: formats[r[4]], score: r[5], kind: kinds[r[6]] }));
  };
  window.romgfxGallery = { cellWidth, cellHeight, hex, thumbnailQuery, passes, fromRows };

  /** A GET's JSON as {ok, status, body}; api.js turns a failure into its ApiError. */
  const getJson = (path) => {
    const answer = fetch(path).then(async (response) => ({ ok: response.ok, status: response.status, body: await response.json().catch(() => null) }));
    answer.catch(() => {});
    return answer;
  };
  const [view, query = ''] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const scan = view === 'scan' ? params.get('scan') : null;
  const boot = (window.romgfxBoot = { roms: getJson('/api/roms'), formats: getJson('/api/formats'), scan: null, thumbnails: null });
  if (!scan) return;
  boot.scan = { id: scan, answer: getJson(`/api/scans/${encodeURIComponent(scan)}?layout=rows`) };
  const rom = params.get('rom');
  if (!rom) return;
  // The cells in view, from the viewport and the gallery's CSS size (calc(100vh - 9rem), inside
  // main's 1rem padding). An estimate: cells it misses are asked for by scan-view.js as usual.
  const columns = Math.max(1, Math.floor((innerWidth - 34 - 16) / cellWidth));
  const rows = Math.max(1, Math.ceil((innerHeight - 144) / cellHeight));
  const filters = { codec: params.get('codec') ?? '', format: params.get('format') ?? '', kind: params.get('kind') ?? '' };
  const queries = Promise.all([boot.scan.answer, boot.formats]).then(([scanAnswer, formatsAnswer]) => {
    if (!scanAnswer.ok || !formatsAnswer.ok || scanAnswer.body.state !== 'done') return null;
    const bytesPerTile = new Map(formatsAnswer.body.tileFormats.map((f) => [f.name, f.bytesPerTile]));
    const list = [];
    for (const c of fromRows(scanAnswer.body)) {
      if (list.length >= columns * rows) break;
      if (passes(c, filters)) list.push(thumbnailQuery(c, bytesPerTile.get(c.format)));
    }
    return list.length > 0 ? list : null;
  });
  const body = queries.then((list) => {
    if (!list) return null;
    const q = new URLSearchParams();
    for (const item of list) q.append('item', item);
    return fetch(`/api/roms/${encodeURIComponent(rom)}/thumbnails?${q}`).then((r) => (r.ok ? r.arrayBuffer() : null));
  });
  body.catch(() => {});
  boot.thumbnails = { rom, queries, body };
})();
