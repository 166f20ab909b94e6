/**
 * bench/scan-corpus: the default scan of every ROM of the homebrew corpus (fixtures/corpus),
 * scored against its truth.json (test/scan/helpers/corpus.ts says how). Prints per ROM and in
 * total: tile blocks found exactly, by start, by overlap, missed; false and mislabelled
 * candidates; tilemaps and palettes found with their kind; blocks in codecs the scan does not
 * look for yet, apart. `--verbose` lists every inexact, missed, false and mislabelled block.
 */
import { join } from 'node:path';
import { closeScanPools, scanRomReport } from '../../src/scan/index.js';
import { addFigures, corpusDirectory, emptyFigures, readCorpusTruth, scoreCorpusRom, type CorpusFigures } from '../../test/scan/helpers/corpus.js';
import { header, table } from '../harness.js';

const verbose = process.argv.includes('--verbose');
header('scan-corpus: default scan of the homebrew corpus against truth.json');
const truth = readCorpusTruth();
const total = emptyFigures();
const rows: (string | number)[][] = [['ROM', 'tile blocks', 'exact', 'start', 'overlap', 'missed', 'unsupp.', 'cands', 'false', 'mislab.', 'maps', 'pals', 'ms']];
const row = (name: string, f: CorpusFigures, ms: number | string): (string | number)[] => [
  name,
  ...[f.tileBlocks, f.exact, f.byStart, f.overlapped, f.missed, f.unsupportedTileBlocks, f.candidates, f.falseCandidates, f.mislabelled].map(String),
  `${f.tilemapsFound}/${f.tilemaps}`,
  `${f.palettesFound}/${f.palettes}`,
  String(ms),
];
let totalMs = 0;
const notes: string[] = [];
try {
  for (const [name, rom] of Object.entries(truth)) {
    const report = await scanRomReport(join(corpusDirectory, name), { cache: false, workers: 2 });
    const scanned = new Set<string>(report.options.codecs);
    const figures = scoreCorpusRom(rom, report.candidates, (codec) => scanned.has(codec));
    addFigures(total, figures);
    totalMs += report.elapsedMs;
    rows.push(row(name, figures, Math.round(report.elapsedMs)));
    for (const note of figures.notes) notes.push(`${name}: ${note}`);
  }
} finally {
  await closeScanPools();
}
rows.push(row('total', total, Math.round(totalMs)));
table(rows);
const percent = (n: number, d: number) => `${d > 0 ? ((100 * n) / d).toFixed(1) : '0.0'}%`;
console.log(
  `tile blocks: ${total.exact}/${total.tileBlocks} exact (${percent(total.exact, total.tileBlocks)}), ${total.byStart} by start (${percent(total.byStart, total.tileBlocks)}), ` +
    `${total.overlapped} overlapped, ${total.missed} missed; ${total.unsupportedTileBlocks} more in codecs not scanned yet`,
);
console.log(`candidates: ${total.candidates}; false ${total.falseCandidates}, mislabelled ${total.mislabelled} (${percent(total.falseCandidates + total.mislabelled, total.candidates)} of reported)`);
console.log(`tilemaps found with their kind: ${total.tilemapsFound}/${total.tilemaps}; palettes: ${total.palettesFound}/${total.palettes}`);
if (verbose) for (const note of notes) console.log(`  ${note}`);

header('scan-corpus: planted streams of real corpus art amid real corpus code (1 MiB SNES, default options)');
{
  const { romFromBytes } = await import('../../src/rom/rom.js');
  const { realArtSnesRom } = await import('../../test/scan/helpers/real-planted.js');
  const fixture = realArtSnesRom(1);
  const report = await scanRomReport(romFromBytes(fixture.bytes, { name: 'real-art.sfc' }), { cache: false, workers: 0 });
  const key = (c: { codec: string; offset: number; packedLength: number }) => `${c.codec}@${c.offset}+${c.packedLength}`;
  const found = new Set(report.candidates.map(key));
  const large = fixture.planted.filter((p) => p.unpackedLength >= 512);
  const exactLarge = large.filter((p) => found.has(key(p))).length;
  const exactAll = fixture.planted.filter((p) => found.has(key(p))).length;
  const touching = (c: { offset: number; packedLength: number }) => fixture.planted.some((p) => c.offset < p.offset + p.packedLength && p.offset < c.offset + c.packedLength);
  const stray = report.candidates.filter((c) => !touching(c));
  console.log(`streams: ${fixture.planted.length} (${large.length} of >= 512 unpacked bytes); exact ${exactAll}, of the large ones ${exactLarge} (${percent(exactLarge, large.length)})`);
  console.log(`candidates: ${report.candidates.length}; touching no stream ${stray.length} (${percent(stray.length, report.candidates.length)}); ${Math.round(report.elapsedMs)} ms in-process`);
  if (verbose) {
    for (const p of fixture.planted) if (!found.has(key(p))) console.log(`  missed ${key(p)} ${p.format} ${p.unpackedLength} B; near: ${report.candidates.filter((c) => c.offset < p.offset + p.packedLength && p.offset < c.offset + c.packedLength).map(key).join(', ') || 'nothing'}`);
    for (const c of stray) console.log(`  stray ${key(c)} ${c.kind} ${c.format} ${c.score}`);
  }
}
