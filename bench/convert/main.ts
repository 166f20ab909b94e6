/**
 * convert: time and palette/tile counts for a 256×224 SNES screen and a 1024×1024 GBA sheet
 * (synthetic, tile-like: a pool of base tiles of few colours, repeated and mirrored), in
 * romgfx's own mode beside the SuperFamiconv-compatible mode on the same image; then, for every
 * golden vector, romgfx's sub-palette count beside the count SuperFamiconv / rgbgfx wrote
 * (fixtures/convert/manifest.json). Goals: ≤ their counts everywhere; < 50 ms for the screen.
 */
import { readFileSync } from 'node:fs';
import { header, measure, table } from '../harness.js';
import { convertImage, type ConvertTarget, type RgbaImage } from '../../src/convert/index.js';
import { decodePng } from '../../src/gfx/png.js';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

/** A tile-like image: `baseCount` base tiles drawn from `paletteGroups` groups of colours, placed mirrored at random. */
function synthetic(width: number, height: number, baseCount: number, paletteGroups: number, coloursPerGroup: number, seed: number): RgbaImage {
  const random = prng(seed);
  const e5 = (c: number): number => (c << 3) | (c >> 2);
  const groups = Array.from({ length: paletteGroups }, () => Array.from({ length: coloursPerGroup }, () => (e5(Math.floor(random() * 32)) << 16) | (e5(Math.floor(random() * 32)) << 8) | e5(Math.floor(random() * 32))));
  const backdrop = 0x000000;
  const bases = Array.from({ length: baseCount }, () => {
    const group = groups[Math.floor(random() * paletteGroups)]!;
    const subset = group.filter(() => random() < 0.6);
    const colours = subset.length > 0 ? subset : [group[0]!];
    return Array.from({ length: 64 }, () => (random() < 0.3 ? backdrop : colours[Math.floor(random() * colours.length)]!));
  });
  const rgba = new Uint8Array(width * height * 4);
  for (let cy = 0; cy < height / 8; cy++) {
    for (let cx = 0; cx < width / 8; cx++) {
      const base = bases[Math.floor(random() * baseCount)]!;
      const o = Math.floor(random() * 4);
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
        const c = base[(o & 2 ? 7 - y : y) * 8 + (o & 1 ? 7 - x : x)]!;
        rgba.set([c >> 16, (c >> 8) & 0xff, c & 0xff, 255], ((cy * 8 + y) * width + cx * 8 + x) * 4);
      }
    }
  }
  return { width, height, rgba };
}

const runs = 9;
header(`convert: median of ${runs} runs in-process; romgfx mode beside --like superfamiconv on the same image`);
const images: { name: string; target: ConvertTarget; image: RgbaImage }[] = [
  { name: '256x224 screen (snes 4bpp)', target: 'snes', image: synthetic(256, 224, 300, 7, 8, 1) },
  { name: '1024x1024 sheet (gba 4bpp)', target: 'gba', image: synthetic(1024, 1024, 1000, 14, 10, 2) },
];
const rows: (string | number)[][] = [['image', 'mode', 'median ms', 'best ms', 'median CPU ms', 'sub-palettes', 'tiles']];
for (const { name, target, image } of images) {
  for (const like of [undefined, 'superfamiconv'] as const) {
    let result;
    try {
      result = convertImage(image, { target, ...(like ? { like } : {}) });
    } catch (error) {
      rows.push([name, like ?? 'romgfx', '-', '-', '-', `refused: ${(error as Error).name}`, '-']);
      continue;
    }
    // CPU time of this process beside wall time: on a shared, loaded machine the wall clock
    // mostly measures waiting for a core.
    const cpu: number[] = [];
    const sample = await measure(() => {
      const before = process.cpuUsage();
      convertImage(image, { target, ...(like ? { like } : {}) });
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
    }, runs);
    cpu.sort((a, b) => a - b);
    rows.push([name, like ?? 'romgfx', sample.medianMs.toFixed(1), sample.minMs.toFixed(1), cpu[cpu.length >> 1]!.toFixed(1), result.paletteCount, result.tileCount]);
  }
}
table(rows);

header('convert: sub-palettes per golden vector, romgfx mode vs the tool (fixtures/convert/manifest.json)');
interface Run {
  id: string;
  case: string;
  tool: string;
  argv: string[];
  expect: string;
  outputs: { kind: string; bytes: number }[];
}
const manifest = JSON.parse(readFileSync(new URL('../../../fixtures/convert/manifest.json', import.meta.url), 'utf8')) as { runs: Run[] };
const vectorRows: (string | number)[][] = [['run', 'tool sub-palettes', 'romgfx sub-palettes', 'romgfx tiles']];
let worse = 0;
for (const run of manifest.runs) {
  const pal = run.outputs.find((o) => o.kind === 'pal');
  if (run.expect !== 'ok' || !pal || !run.argv.includes('-i') && run.tool === 'superfamiconv') continue;
  const argv = run.argv;
  const flag = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  if (run.tool === 'superfamiconv' && (argv.includes('-R') || argv.includes('-W') || ['palette', 'tiles', 'map'].includes(argv[1]!))) continue;
  if (run.tool === 'rgbgfx' && (argv.includes('-r') || argv.includes('-c') || argv.includes('-d'))) continue;
  const target = (run.tool === 'rgbgfx' ? 'gbc' : (flag('-M') ?? 'snes')) as ConvertTarget;
  const bpp = run.tool === 'rgbgfx' ? 2 : Number(flag('-B') ?? (target === 'gbc' || target === 'gb' ? 2 : 4));
  const colours = run.tool === 'rgbgfx' ? Number(flag('-s') ?? 4) : 1 << bpp;
  const toolCount = Math.ceil(pal.bytes / (target === 'gb' ? 1 : 2 * colours));
  const input = run.tool === 'rgbgfx' ? argv[argv.length - 1]! : flag('-i')!;
  const png = decodePng(new Uint8Array(readFileSync(new URL(`../../../fixtures/convert/${input}`, import.meta.url))));
  try {
    const ours = convertImage(png, { target, bpp, ...(run.tool === 'rgbgfx' && flag('-s') ? { coloursPerPalette: colours } : {}), ...(argv.includes('-S') ? { sprite: true } : {}) });
    if (ours.paletteCount > toolCount) worse++;
    vectorRows.push([run.id, toolCount, ours.paletteCount, ours.tileCount]);
  } catch (error) {
    vectorRows.push([run.id, toolCount, `refused: ${(error as Error).name}`, '-']);
  }
}
table(vectorRows);
console.log(`vectors where romgfx needs more sub-palettes than the tool: ${worse}`);
